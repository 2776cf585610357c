#include "models/common/arn.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace wfsim::models {
namespace {

TEST(ArnTest, PartitionForRegion) {
  EXPECT_EQ(partition_for_region("us-east-1"), "aws");
  EXPECT_EQ(partition_for_region("eu-west-1"), "aws");
  EXPECT_EQ(partition_for_region("cn-north-1"), "aws-cn");
  EXPECT_EQ(partition_for_region("us-gov-west-1"), "aws-us-gov");
  EXPECT_EQ(partition_for_region("us-iso-east-1"), "aws-iso");
  EXPECT_EQ(partition_for_region("us-isob-east-1"), "aws-iso-b");
  EXPECT_EQ(partition_for_region("eu-isoe-west-1"), "aws-iso-e");
  EXPECT_EQ(partition_for_region("us-isof-south-1"), "aws-iso-f");
  EXPECT_EQ(partition_for_region(""), "aws");
}

TEST(ArnTest, MakeArn) {
  EXPECT_EQ(make_arn("airflow-serverless", "us-east-1", "111122223333", "workflow/etl-AbC1234567"),
            "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/etl-AbC1234567");
  EXPECT_EQ(make_arn("glue", "cn-northwest-1", "111122223333", "workflow/w"),
            "arn:aws-cn:glue:cn-northwest-1:111122223333:workflow/w");
}

TEST(ArnTest, ParseSplitsOnTheFirstFiveColons) {
  const auto arn = parse_arn("arn:aws:swf:us-east-1:111122223333:/domain/d:with:colons");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "swf");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->resource, "/domain/d:with:colons");
}

TEST(ArnTest, ParseAllowsEmptyRegionAndAccount) {
  const auto arn = parse_arn("arn:aws:iam::111122223333:role/r");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->region, "");
  EXPECT_EQ(arn->resource, "role/r");
  EXPECT_TRUE(parse_arn("arn:aws:s3:::bucket").has_value());
}

TEST(ArnTest, ParseRejectsMalformedText) {
  EXPECT_EQ(parse_arn(""), std::nullopt);
  EXPECT_EQ(parse_arn("arn:aws:glue:us-east-1:111122223333"), std::nullopt);  // five parts
  EXPECT_EQ(parse_arn("arm:aws:glue:us-east-1:111122223333:workflow/w"), std::nullopt);
  EXPECT_EQ(parse_arn("ARN:aws:glue:us-east-1:111122223333:workflow/w"), std::nullopt);
  EXPECT_EQ(parse_arn("arn::glue:us-east-1:111122223333:workflow/w"), std::nullopt);
  EXPECT_EQ(parse_arn("arn:aws::us-east-1:111122223333:workflow/w"), std::nullopt);
  EXPECT_EQ(parse_arn("arn:aws:glue:us-east-1:111122223333:"), std::nullopt);
}

TEST(ArnTest, RoundTrip) {
  const std::string text =
      make_arn("airflow-serverless", "us-gov-east-1", "111122223333", "workflow/x-0123456789");
  const auto arn = parse_arn(text);
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws-us-gov");
  EXPECT_EQ(arn->to_string(), text);
}

RC_GTEST_PROP(ArnProperty, ParseInvertsToString, (std::string resource)) {
  RC_PRE(!resource.empty());
  const Arn arn{"aws", "glue", "eu-west-1", "111122223333", resource};
  const auto parsed = parse_arn(arn.to_string());
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->resource == resource);
  RC_ASSERT(parsed->to_string() == arn.to_string());
}

}  // namespace
}  // namespace wfsim::models
