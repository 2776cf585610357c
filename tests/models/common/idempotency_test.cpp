#include "models/common/idempotency.hpp"

#include <gtest/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

constexpr sim::TimeUs kStart = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

TEST(JsonFingerprintTest, IgnoresMemberOrderButNotValues) {
  const json a = json::parse(R"({"Name":"n","ClientToken":"t","Params":{"x":1,"y":[1,2]}})");
  const json b = json::parse(R"({"Params":{"y":[1,2],"x":1},"ClientToken":"t","Name":"n"})");
  const json c = json::parse(R"({"Params":{"y":[2,1],"x":1},"ClientToken":"t","Name":"n"})");
  EXPECT_EQ(json_fingerprint(a), json_fingerprint(b));
  EXPECT_NE(json_fingerprint(a), json_fingerprint(c));
  EXPECT_NE(json_fingerprint(json(1)), json_fingerprint(json("1")));
}

TEST(JsonFingerprintTest, IsFnv1aOfTheCompactText) {
  // Pinned values (FNV-1a 64 of "{}" and of {"a":1,"b":[true,null]}), so that a change of
  // hash or of text form, which would change recorded fingerprints, fails here first.
  EXPECT_EQ(json_fingerprint(json::object()), 0x08F44B07B5901A25ULL);
  EXPECT_EQ(json_fingerprint(json::parse(R"({"b":[true,null],"a":1})")), 0x595CF28929E773EAULL);
}

TEST(IdempotencyStoreTest, MissThenReplay) {
  IdempotencyStore store(sim::hours(8));
  const std::string key = "StartWorkflowRun|arn|token-1";
  EXPECT_EQ(store.find(key, 1, kStart).match, IdempotencyStore::Match::miss);
  store.remember(key, 1, json{{"RunId", "r1"}}, kStart);
  const auto lookup = store.find(key, 1, kStart + sim::minutes(5));
  ASSERT_EQ(lookup.match, IdempotencyStore::Match::replay);
  ASSERT_NE(lookup.response, nullptr);
  EXPECT_EQ((*lookup.response)["RunId"], "r1");
  EXPECT_EQ(store.size(), 1U);
}

TEST(IdempotencyStoreTest, DifferentRequestIsConflict) {
  IdempotencyStore store(sim::hours(8));
  store.remember("k", 1, json{{"RunId", "r1"}}, kStart);
  const auto lookup = store.find("k", 2, kStart);
  EXPECT_EQ(lookup.match, IdempotencyStore::Match::conflict);
  EXPECT_EQ(lookup.response, nullptr);
}

TEST(IdempotencyStoreTest, KeysAreIndependent) {
  IdempotencyStore store(sim::hours(8));
  store.remember("a", 1, json{{"RunId", "r1"}}, kStart);
  EXPECT_EQ(store.find("b", 1, kStart).match, IdempotencyStore::Match::miss);
}

TEST(IdempotencyStoreTest, ExpiresStrictlyAfterRetention) {
  IdempotencyStore store(sim::hours(1));
  store.remember("k", 1, json{{"RunId", "r1"}}, kStart);
  EXPECT_EQ(store.find("k", 1, kStart + sim::hours(1)).match, IdempotencyStore::Match::replay);
  EXPECT_EQ(store.find("k", 1, kStart + sim::hours(1) + 1).match, IdempotencyStore::Match::miss);
  EXPECT_EQ(store.size(), 0U);
}

TEST(IdempotencyStoreTest, ExpireDropsOnlyOldEntries) {
  IdempotencyStore store(sim::minutes(10));
  store.remember("old", 1, json(1), kStart);
  store.remember("new", 2, json(2), kStart + sim::minutes(5));
  store.expire(kStart + sim::minutes(12));
  EXPECT_EQ(store.size(), 1U);
  EXPECT_EQ(store.find("new", 2, kStart + sim::minutes(12)).match, IdempotencyStore::Match::replay);
  EXPECT_EQ(store.find("old", 1, kStart + sim::minutes(12)).match, IdempotencyStore::Match::miss);
}

TEST(IdempotencyStoreTest, RememberAgainRestartsTheWindow) {
  IdempotencyStore store(sim::minutes(10));
  store.remember("k", 1, json("first"), kStart);
  store.remember("k", 2, json("second"), kStart + sim::minutes(8));
  const auto lookup = store.find("k", 2, kStart + sim::minutes(15));
  ASSERT_EQ(lookup.match, IdempotencyStore::Match::replay);
  EXPECT_EQ(*lookup.response, json("second"));
  EXPECT_EQ(store.find("k", 2, kStart + sim::minutes(18) + 1).match, IdempotencyStore::Match::miss);
  EXPECT_EQ(store.size(), 0U);
}

TEST(IdempotencyStoreTest, ReportsItsRetention) {
  EXPECT_EQ(IdempotencyStore(sim::days(1)).retention_us(), sim::days(1));
}

}  // namespace
}  // namespace wfsim::models
