#include "models/common/object_store.hpp"

#include <gtest/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

TEST(ObjectStoreTest, StringIsOneVersion) {
  std::string error;
  const auto store = ObjectStore::from_json(json{{"s3://defs/etl/dag.yaml", "tasks: {}"}}, &error);
  ASSERT_TRUE(store.has_value()) << error;
  const auto object = store->get("defs", "etl/dag.yaml");
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(object->body, "tasks: {}");
  EXPECT_EQ(object->version_id, "1");
  EXPECT_EQ(store->get("defs", "etl/dag.yaml", "1")->body, "tasks: {}");
  EXPECT_EQ(store->get("defs", "etl/dag.yaml", "2"), std::nullopt);
}

TEST(ObjectStoreTest, ListGivesNumberedVersionsLastIsLatest) {
  const auto store = ObjectStore::from_json(json{{"s3://b/k", {"v1", "v2", "v3"}}}, nullptr);
  ASSERT_TRUE(store.has_value());
  EXPECT_EQ(store->get("b", "k")->body, "v3");
  EXPECT_EQ(store->get("b", "k")->version_id, "3");
  EXPECT_EQ(store->get("b", "k", "1")->body, "v1");
  EXPECT_EQ(store->get("b", "k", "2")->body, "v2");
  EXPECT_EQ(store->get("b", "k", "2")->version_id, "2");
  for (const std::string version : {"0", "4", "02", "-1", "x", "1 ", "99999999999999999999"}) {
    EXPECT_EQ(store->get("b", "k", version), std::nullopt) << version;
  }
}

TEST(ObjectStoreTest, MissingObjects) {
  const auto store = ObjectStore::from_json(json{{"s3://b/k", "x"}}, nullptr);
  EXPECT_EQ(store->get("b", "other"), std::nullopt);
  EXPECT_EQ(store->get("other", "k"), std::nullopt);
  EXPECT_EQ(store->get("b", "k/"), std::nullopt);
  EXPECT_EQ(ObjectStore().get("b", "k"), std::nullopt);
}

TEST(ObjectStoreTest, PutAddsAVersion) {
  ObjectStore store;
  store.put("b", "k", "first");
  store.put("b", "k", "second");
  EXPECT_EQ(store.get("b", "k")->body, "second");
  EXPECT_EQ(store.get("b", "k")->version_id, "2");
  EXPECT_EQ(store.get("b", "k", "1")->body, "first");
}

TEST(ObjectStoreTest, KeyKeepsItsSlashes) {
  const auto store = ObjectStore::from_json(json{{"s3://b/a/b/c.yaml", "x"}}, nullptr);
  EXPECT_TRUE(store->get("b", "a/b/c.yaml").has_value());
  EXPECT_FALSE(store->get("b/a", "b/c.yaml").has_value());
}

TEST(ObjectStoreTest, NullIsAnEmptyStore) {
  const auto store = ObjectStore::from_json(json(nullptr), nullptr);
  ASSERT_TRUE(store.has_value());
  EXPECT_EQ(store->get("b", "k"), std::nullopt);
}

TEST(ObjectStoreTest, MalformedConfigurationIsAnError) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json::array(), "must be an object mapping s3://bucket/key to contents"},
      {json{{"b/k", "x"}}, "b/k: not an object location of the form s3://bucket/key"},
      {json{{"S3://b/k", "x"}}, "S3://b/k: not an object location of the form s3://bucket/key"},
      {json{{"s3:///k", "x"}}, "s3:///k: not an object location of the form s3://bucket/key"},
      {json{{"s3://b/", "x"}}, "s3://b/: not an object location of the form s3://bucket/key"},
      {json{{"s3://b", "x"}}, "s3://b: not an object location of the form s3://bucket/key"},
      {json{{"s3://b/k", json::array()}},
       "s3://b/k: must be a string or a non-empty list of strings"},
      {json{{"s3://b/k", {"v1", 2}}}, "s3://b/k: must be a string or a non-empty list of strings"},
      {json{{"s3://b/k", 5}}, "s3://b/k: must be a string or a non-empty list of strings"},
  };
  for (const auto& [config, expected] : cases) {
    std::string error;
    EXPECT_FALSE(ObjectStore::from_json(config, &error).has_value()) << config.dump();
    EXPECT_EQ(error, expected);
    EXPECT_FALSE(ObjectStore::from_json(config, nullptr).has_value());
  }
}

}  // namespace
}  // namespace wfsim::models
