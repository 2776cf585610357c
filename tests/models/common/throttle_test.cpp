#include "models/common/throttle.hpp"

#include <gtest/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

constexpr sim::TimeUs kStart = 1'767'225'600'000'000;

TEST(TokenBucketTest, StartsFullThenThrottles) {
  TokenBucket bucket({2, 3}, kStart);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  // Two tokens a second: the next one is half a second away.
  EXPECT_EQ(bucket.take(kStart), sim::DurationUs{500'000});
}

TEST(TokenBucketTest, WaitShrinksAsTimePasses) {
  TokenBucket bucket({2, 1}, kStart);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  EXPECT_EQ(bucket.take(kStart + 100'000), sim::DurationUs{400'000});
  EXPECT_EQ(bucket.take(kStart + 499'999), sim::DurationUs{1});
  EXPECT_EQ(bucket.take(kStart + 500'000), std::nullopt);
  EXPECT_EQ(bucket.take(kStart + 500'000), sim::DurationUs{500'000});
}

TEST(TokenBucketTest, RefillIsExactForRatesThatDoNotDivideASecond) {
  TokenBucket bucket({3, 1}, kStart);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  // A third of a second is 333333.33 microseconds: after 333333 the token is still short.
  EXPECT_EQ(bucket.take(kStart), sim::DurationUs{333'334});
  EXPECT_EQ(bucket.take(kStart + 333'333), sim::DurationUs{1});
  EXPECT_EQ(bucket.take(kStart + 333'334), std::nullopt);
}

TEST(TokenBucketTest, NeverHoldsMoreThanTheBurst) {
  TokenBucket bucket({1, 2}, kStart);
  const sim::TimeUs later = kStart + sim::days(3650);
  EXPECT_EQ(bucket.take(later), std::nullopt);
  EXPECT_EQ(bucket.take(later), std::nullopt);
  EXPECT_EQ(bucket.take(later), sim::DurationUs{1'000'000});
}

TEST(TokenBucketTest, ZeroOptionsAreRaisedToOne) {
  TokenBucket bucket({0, 0}, kStart);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  EXPECT_EQ(bucket.take(kStart), sim::DurationUs{1'000'000});
}

TEST(TokenBucketTest, ClockGoingBackwardsAddsNothing) {
  TokenBucket bucket({1, 1}, kStart);
  EXPECT_EQ(bucket.take(kStart), std::nullopt);
  EXPECT_EQ(bucket.take(kStart - sim::seconds(10)), sim::DurationUs{1'000'000});
}

TEST(OperationThrottleTest, UnconfiguredNeverThrottles) {
  OperationThrottle throttle;
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(throttle.check("StartWorkflowRun", kStart), std::nullopt);
  auto from_null = OperationThrottle::from_json(json(nullptr), nullptr);
  ASSERT_TRUE(from_null.has_value());
  EXPECT_EQ(from_null->check("StartWorkflowRun", kStart), std::nullopt);
}

TEST(OperationThrottleTest, PerOperationAndWildcard) {
  std::string error;
  auto throttle = OperationThrottle::from_json(
      json::parse(R"({"StartWorkflowRun": {"requests_per_second": 1, "burst": 1},
                      "*": {"requests_per_second": 4, "burst": 2}})"),
      &error);
  ASSERT_TRUE(throttle.has_value()) << error;
  EXPECT_EQ(throttle->check("StartWorkflowRun", kStart), std::nullopt);
  EXPECT_EQ(throttle->check("StartWorkflowRun", kStart), sim::DurationUs{1'000'000});
  // Operations under "*" each get their own bucket of two.
  EXPECT_EQ(throttle->check("GetWorkflow", kStart), std::nullopt);
  EXPECT_EQ(throttle->check("GetWorkflow", kStart), std::nullopt);
  EXPECT_EQ(throttle->check("GetWorkflow", kStart), sim::DurationUs{250'000});
  EXPECT_EQ(throttle->check("ListWorkflows", kStart), std::nullopt);
}

TEST(OperationThrottleTest, MissingMembersTakeDefaults) {
  auto throttle = OperationThrottle::from_json(json::parse(R"({"GetWorkflow": {}})"), nullptr);
  ASSERT_TRUE(throttle.has_value());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(throttle->check("GetWorkflow", kStart), std::nullopt);
  EXPECT_EQ(throttle->check("GetWorkflow", kStart), sim::DurationUs{100'000});
  EXPECT_EQ(throttle->check("ListWorkflows", kStart), std::nullopt);
}

TEST(OperationThrottleTest, FromJsonErrorsNameTheMember) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([1])", "must be an object of operation names to bucket options"},
      {R"({"A": 5})", "A: must be an object"},
      {R"({"A": {"requests_per_second": 0}})",
       "A.requests_per_second: must be an integer from 1 to 1000000000, got 0"},
      {R"({"A": {"burst": -1}})", "A.burst: must be an integer from 1 to 1000000000, got -1"},
      {R"({"A": {"burst": 1.5}})", "A.burst: must be an integer from 1 to 1000000000, got 1.5"},
      {R"({"A": {"burst": "2"}})", "A.burst: must be an integer from 1 to 1000000000, got \"2\""},
      {R"({"A": {"burst": 1000000001}})",
       "A.burst: must be an integer from 1 to 1000000000, got 1000000001"},
      {R"({"A": {"rate": 1}})", "A.rate: unknown member (expected requests_per_second or burst)"},
  };
  for (const auto& [config, expected] : cases) {
    std::string error;
    EXPECT_FALSE(OperationThrottle::from_json(json::parse(config), &error).has_value()) << config;
    EXPECT_EQ(error, expected);
    EXPECT_FALSE(OperationThrottle::from_json(json::parse(config), nullptr).has_value());
  }
}

}  // namespace
}  // namespace wfsim::models
