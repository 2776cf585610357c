#include "models/common/error.hpp"

#include <gtest/gtest.h>

namespace wfsim::models {
namespace {

TEST(AwsErrorTest, BodyCarriesTypeMessageAndEveryField) {
  AwsError error{"ResourceNotFoundException",
                 "Workflow not found",
                 404,
                 {{"ResourceId", "arn:x"}, {"ResourceType", "Workflow"}}};
  const nlohmann::json expected = {{"__type", "ResourceNotFoundException"},
                                   {"Message", "Workflow not found"},
                                   {"ResourceId", "arn:x"},
                                   {"ResourceType", "Workflow"}};
  EXPECT_EQ(error.body(), expected);
}

TEST(AwsErrorTest, MessageMemberFollowsTheServiceModel) {
  AwsError error{"UnknownResourceFault", "gone", 400, nlohmann::json::object()};
  const nlohmann::json expected = {{"__type", "UnknownResourceFault"}, {"message", "gone"}};
  EXPECT_EQ(error.body("message"), expected);
}

TEST(AwsErrorTest, FieldsNeverReplaceTheCodeOrMessage) {
  AwsError error{"ThrottlingException",
                 "slow down",
                 429,
                 {{"__type", "Other"}, {"Message", "other"}, {"RetryAfterSeconds", 2}}};
  const auto body = error.body();
  EXPECT_EQ(body["__type"], "ThrottlingException");
  EXPECT_EQ(body["Message"], "slow down");
  EXPECT_EQ(body["RetryAfterSeconds"], 2);
}

TEST(AwsErrorTest, FieldsThatAreNotAnObjectAreIgnored) {
  AwsError error{"InternalServerException", "boom", 500, nlohmann::json::array({1, 2})};
  EXPECT_EQ(error.body().size(), 2U);
}

TEST(AwsErrorTest, ServerFaultIsFiveHundredAndAbove) {
  EXPECT_FALSE((AwsError{"ValidationException", "", 400, {}}).server_fault());
  EXPECT_FALSE((AwsError{"ThrottlingException", "", 429, {}}).server_fault());
  EXPECT_TRUE((AwsError{"InternalServerException", "", 500, {}}).server_fault());
  EXPECT_TRUE((AwsError{"OperationTimeoutException", "", 504, {}}).server_fault());
}

TEST(OutcomeTest, HoldsEitherValueOrError) {
  JsonOutcome good = nlohmann::json{{"RunId", "r1"}};
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(static_cast<bool>(good));
  EXPECT_EQ(good.value()["RunId"], "r1");

  JsonOutcome bad = AwsError{"ValidationException", "bad", 400, {}};
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(bad.error().code, "ValidationException");
}

}  // namespace
}  // namespace wfsim::models
