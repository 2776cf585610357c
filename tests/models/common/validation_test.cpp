#include "models/common/validation.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

// Fact-sheet patterns, spelled as in mwaa-serverless.md section 3.
constexpr std::string_view kNamePattern = "^[a-zA-Z0-9]+[a-zA-Z0-9\\.\\-_]*$";
constexpr std::string_view kClientTokenPattern = "^[\\x21-\\x7E]+$";
constexpr std::string_view kWorkflowArnPattern =
    "^arn:aws(?:-(?:cn|us-gov|iso|iso-b|iso-e|iso-f))?:airflow-serverless:"
    "([a-z]{2}-[a-z]+-[0-9]{1}):([0-9]{12}):workflow/"
    "([a-zA-Z0-9][a-zA-Z0-9\\.\\-_]{0,254}-[a-zA-Z0-9]{10})$";
constexpr std::string_view kRoleArnPattern =
    "^arn:aws(?:-(?:cn|us-gov|iso|iso-b|iso-e|iso-f))?:iam::[0-9]{12}:role"
    "(/[a-zA-Z0-9+=,.@_\\-]{1,512})*?/[a-zA-Z0-9+=,.@_\\-]{1,64}$";

const StringRule kName{1, 255, kNamePattern};

TEST(ValidationTest, ValidRequestHasNoViolations) {
  const json request = {{"Name", "nightly-etl_1.0"}, {"MaxResults", 50}, {"Enabled", true}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName, true), "nightly-etl_1.0");
  EXPECT_EQ(validator.integer("MaxResults", {1, 100}), 50);
  EXPECT_EQ(validator.boolean("Enabled"), true);
  EXPECT_TRUE(validator.ok());
  EXPECT_EQ(validator.message(), "");
}

TEST(ValidationTest, MissingRequiredMemberIsNull) {
  const json request = json::object();
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName, true), std::nullopt);
  EXPECT_EQ(validator.message(),
            "1 validation error detected: Value null at 'Name' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(ValidationTest, AbsentOptionalMemberAndJsonNullAreNotViolations) {
  const json request = {{"Description", nullptr}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Description", {1, 1024, "^.+$"}), std::nullopt);
  EXPECT_EQ(validator.integer("MaxResults", {1, 100}), std::nullopt);
  EXPECT_TRUE(validator.ok());
}

TEST(ValidationTest, MaximumLength) {
  const json request = {{"Name", std::string(256, 'a')}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName), std::nullopt);
  ASSERT_EQ(validator.violations().size(), 1U);
  EXPECT_EQ(validator.violations()[0].path, "Name");
  EXPECT_EQ(validator.violations()[0].message, "Member must have length less than or equal to 255");
}

TEST(ValidationTest, MinimumLengthAlsoChecksThePattern) {
  const json request = {{"Name", ""}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName), std::nullopt);
  EXPECT_EQ(validator.message(),
            "2 validation errors detected: Value '' at 'Name' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1; Value '' at 'Name' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "^[a-zA-Z0-9]+[a-zA-Z0-9\\.\\-_]*$");
}

TEST(ValidationTest, LengthCountsCodePointsNotBytes) {
  const json request = {{"Description", "\xC3\xA9\xC3\xA9\xC3\xA9"}};  // three e-acute
  RequestValidator validator(request);
  EXPECT_TRUE(validator.string("Description", {1, 3}).has_value());
  EXPECT_TRUE(validator.ok());
}

TEST(ValidationTest, PatternViolationNamesThePattern) {
  const json request = {{"Name", "a b"}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName), std::nullopt);
  EXPECT_EQ(validator.message(),
            "1 validation error detected: Value 'a b' at 'Name' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9]+[a-zA-Z0-9\\.\\-_]*$");
}

TEST(ValidationTest, ClientTokenPatternWithHexEscapes) {
  EXPECT_TRUE(matches_pattern(kClientTokenPattern, "3f2b1c9e-7a4d-4e2b-9f1a-0c6d5e4b3a21"));
  EXPECT_TRUE(matches_pattern(kClientTokenPattern, "!~"));
  EXPECT_FALSE(matches_pattern(kClientTokenPattern, "has space"));
  EXPECT_FALSE(matches_pattern(kClientTokenPattern, ""));
  EXPECT_FALSE(matches_pattern(kClientTokenPattern, "tab\there"));
  EXPECT_FALSE(matches_pattern(kClientTokenPattern, "\x7F"));
  EXPECT_FALSE(matches_pattern(kClientTokenPattern, "caf\xC3\xA9"));
}

TEST(ValidationTest, ArnPatternsWithGroupsAndCounts) {
  EXPECT_TRUE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/nightly-AbCdE12345"));
  EXPECT_TRUE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws-cn:airflow-serverless:cn-north-1:111122223333:workflow/a-0123456789"));
  // The sheet's region group allows one word between the hyphens, so us-gov-west-1 fails.
  EXPECT_FALSE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws-us-gov:airflow-serverless:us-gov-west-1:111122223333:workflow/a-0123456789"));
  EXPECT_FALSE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws-xx:airflow-serverless:us-east-1:111122223333:workflow/nightly-AbCdE12345"));
  EXPECT_FALSE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws:airflow-serverless:us-east-12:111122223333:workflow/nightly-AbCdE12345"));
  EXPECT_FALSE(matches_pattern(
      kWorkflowArnPattern,
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/nightly-AbCdE1234"));
  EXPECT_TRUE(matches_pattern(kRoleArnPattern, "arn:aws:iam::111122223333:role/service/run-me"));
  EXPECT_TRUE(matches_pattern(kRoleArnPattern, "arn:aws-cn:iam::111122223333:role/a+b=c,d.e@f_g"));
  EXPECT_FALSE(matches_pattern(kRoleArnPattern, "arn:aws:iam::111122223333:user/someone"));
}

TEST(ValidationTest, PatternMatchesTheWholeValue) {
  EXPECT_TRUE(matches_pattern("[a-z]+", "abc"));
  EXPECT_FALSE(matches_pattern("[a-z]+", "abc1"));
  EXPECT_FALSE(matches_pattern("[a-z]+", "1abc"));
  EXPECT_FALSE(matches_pattern("^.+$", "line\nbreak"));
}

TEST(ValidationTest, BrokenPatternRejectsEverythingWithoutThrowing) {
  EXPECT_FALSE(matches_pattern("([a-z", "abc"));
  EXPECT_FALSE(matches_pattern("([a-z", "abc"));  // served from the cache the second time
}

TEST(ValidationTest, OverlongValueIsNeverMatched) {
  const std::string huge(200'000, 'a');
  EXPECT_FALSE(matches_pattern("^.*$", huge));
  // The longest value a pattern ever sees: 2048 four-byte characters.
  std::string longest;
  for (int i = 0; i < 2048; ++i) longest += "\xF0\x9F\x98\x80";
  EXPECT_TRUE(matches_pattern("^.*$", longest));
  EXPECT_FALSE(matches_pattern("^.*$", longest + "a"));
  const std::string role = "arn:aws:iam::111122223333:role" + std::string(2000, '/') + "/r";
  EXPECT_FALSE(matches_pattern(kRoleArnPattern, role));
  const json request = {{"Definition", huge}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Definition", {1, 255, "^.*$"}), std::nullopt);
  ASSERT_EQ(validator.violations().size(), 1U);
  EXPECT_EQ(validator.violations()[0].message, "Member must have length less than or equal to 255");
}

TEST(ValidationTest, LongValuesAreCutInMessages) {
  const json request = {{"Name", std::string(300, 'x')}};
  RequestValidator validator(request);
  validator.string("Name", kName);
  EXPECT_EQ(validator.violations()[0].value, "'" + std::string(200, 'x') + "...'");
}

TEST(ValidationTest, ShowValue) {
  EXPECT_EQ(show_value("abc"), "'abc'");
  EXPECT_EQ(show_value(101), "101");
  EXPECT_EQ(show_value(nullptr), "null");
  EXPECT_EQ(show_value(true), "true");
  EXPECT_EQ(show_value(json::array({1, "a"})), "[1,\"a\"]");
  EXPECT_EQ(show_value(json{{"b", 1}, {"a", 2}}), "{\"a\":2,\"b\":1}");
  // Cutting never splits a multi-byte character.
  std::string accents;
  for (int i = 0; i < 201; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(show_value(accents), "'" + accents.substr(0, 400) + "...'");
}

TEST(ValidationTest, IntegerRangeMessages) {
  const json request = {{"Low", 0}, {"High", 101}, {"Fine", 100}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.integer("Low", {1, 100}), std::nullopt);
  EXPECT_EQ(validator.integer("High", {1, 100}), std::nullopt);
  EXPECT_EQ(validator.integer("Fine", {1, 100}), 100);
  EXPECT_EQ(validator.message(),
            "2 validation errors detected: Value 0 at 'Low' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1; Value 101 at 'High' failed to "
            "satisfy constraint: Member must have value less than or equal to 100");
}

TEST(ValidationTest, IntegerTypes) {
  const json request = {{"Whole", 20.0},
                        {"Half", 1.5},
                        {"Text", "5"},
                        {"Flag", true},
                        {"Huge", 18446744073709551615ULL},
                        {"HugeFloat", 1e300},
                        {"Negative", -7}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.integer("Whole", {}), 20);
  EXPECT_EQ(validator.integer("Negative", {}), -7);
  EXPECT_EQ(validator.integer("Half", {}), std::nullopt);
  EXPECT_EQ(validator.integer("Text", {}), std::nullopt);
  EXPECT_EQ(validator.integer("Flag", {}), std::nullopt);
  EXPECT_EQ(validator.integer("Huge", {}), std::nullopt);
  EXPECT_EQ(validator.integer("HugeFloat", {}), std::nullopt);
  const auto& violations = validator.violations();
  ASSERT_EQ(violations.size(), 5U);
  EXPECT_EQ(violations[0].message, "Member must be an integer");
  EXPECT_EQ(violations[0].value, "1.5");
  EXPECT_EQ(violations[1].message, "Member must be an integer");
  EXPECT_EQ(violations[1].value, "'5'");
  EXPECT_EQ(violations[2].message, "Member must be an integer");
  EXPECT_EQ(violations[3].message,
            "Member must have value less than or equal to 9223372036854775807");
  EXPECT_EQ(violations[4].message,
            "Member must have value less than or equal to 9223372036854775807");
}

TEST(ValidationTest, TypeErrors) {
  const json request = {{"Name", 5},        {"Enabled", "yes"},      {"Location", "s3://x"},
                        {"SubnetIds", "a"}, {"Tags", json::array()}, {"Mode", 1}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName), std::nullopt);
  EXPECT_EQ(validator.boolean("Enabled"), std::nullopt);
  EXPECT_EQ(validator.object("Location"), nullptr);
  EXPECT_EQ(validator.array("SubnetIds", {}), nullptr);
  EXPECT_EQ(validator.string_map("Tags", {0, 50}, {1, 128}, {0, 256}), std::nullopt);
  EXPECT_EQ(validator.enumeration("Mode", {"A", "B"}), std::nullopt);
  const auto& violations = validator.violations();
  ASSERT_EQ(violations.size(), 6U);
  EXPECT_EQ(violations[0].message, "Member must be a string");
  EXPECT_EQ(violations[0].value, "5");
  EXPECT_EQ(violations[1].message, "Member must be a boolean");
  EXPECT_EQ(violations[1].value, "'yes'");
  EXPECT_EQ(violations[2].message, "Member must be an object");
  EXPECT_EQ(violations[3].message, "Member must be a list");
  EXPECT_EQ(violations[4].message, "Member must be an object");
  EXPECT_EQ(violations[4].value, "[]");
  EXPECT_EQ(violations[5].message, "Member must be a string");
}

TEST(ValidationTest, EnumerationValueSet) {
  const json request = {{"RunType", "SCHEDULE"}, {"Status", "READY"}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.enumeration("Status", {"READY", "DELETING"}), "READY");
  EXPECT_EQ(validator.enumeration("RunType", {"ON_DEMAND", "SCHEDULED"}), std::nullopt);
  EXPECT_EQ(validator.message(),
            "1 validation error detected: Value 'SCHEDULE' at 'RunType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ON_DEMAND, SCHEDULED]");
}

TEST(ValidationTest, NestedPaths) {
  const json request = {{"DefinitionS3Location", {{"Bucket", ""}}}};
  RequestValidator validator(request);
  auto location = validator.nested("DefinitionS3Location", true);
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->path_of("Bucket"), "DefinitionS3Location.Bucket");
  location->string("Bucket", {1, 63}, true);
  location->string("ObjectKey", {1, 1024}, true);
  EXPECT_FALSE(validator.ok());
  EXPECT_EQ(validator.message(),
            "2 validation errors detected: Value '' at 'DefinitionS3Location.Bucket' failed to "
            "satisfy constraint: Member must have length greater than or equal to 1; Value null "
            "at 'DefinitionS3Location.ObjectKey' failed to satisfy constraint: Member must not "
            "be null");
  EXPECT_EQ(location->message(), validator.message());
}

TEST(ValidationTest, NestedMissingOrWrongType) {
  const json request = {{"LoggingConfiguration", "group"}};
  RequestValidator validator(request);
  EXPECT_FALSE(validator.nested("LoggingConfiguration").has_value());
  EXPECT_FALSE(validator.nested("NetworkConfiguration").has_value());
  EXPECT_FALSE(validator.nested("EncryptionConfiguration", true).has_value());
  ASSERT_EQ(validator.violations().size(), 2U);
  EXPECT_EQ(validator.violations()[0].path, "LoggingConfiguration");
  EXPECT_EQ(validator.violations()[0].message, "Member must be an object");
  EXPECT_EQ(validator.violations()[1].path, "EncryptionConfiguration");
  EXPECT_EQ(validator.violations()[1].message, "Member must not be null");
}

TEST(ValidationTest, DoublyNestedPaths) {
  const json request = {{"Outer", {{"Inner", {{"Leaf", 3}}}}}};
  RequestValidator validator(request);
  auto outer = validator.nested("Outer");
  auto inner = outer->nested("Inner");
  inner->integer("Leaf", {5, 10});
  ASSERT_EQ(validator.violations().size(), 1U);
  EXPECT_EQ(validator.violations()[0].path, "Outer.Inner.Leaf");
}

TEST(ValidationTest, ListCountAndItems) {
  const json request = {{"TagKeys", json::array()},
                        {"SubnetIds", {"subnet-1a", "sg-1", 7}},
                        {"SecurityGroupIds", {"sg-01", "sg-02"}}};
  RequestValidator validator(request);
  const StringRule subnet{1, 255, "^subnet-[a-z0-9]*$"};
  EXPECT_EQ(validator.string_list("TagKeys", {1, 50}, {1, 128}), std::nullopt);
  EXPECT_EQ(validator.string_list("SubnetIds", {}, subnet), std::nullopt);
  const auto groups = validator.string_list("SecurityGroupIds", {}, {1, 255, "^sg-[a-z0-9]*$"});
  ASSERT_TRUE(groups.has_value());
  EXPECT_EQ(*groups, (std::vector<std::string>{"sg-01", "sg-02"}));
  EXPECT_EQ(validator.message(),
            "3 validation errors detected: Value [] at 'TagKeys' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1; Value 'sg-1' at 'SubnetIds[1]' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "^subnet-[a-z0-9]*$; Value 7 at 'SubnetIds[2]' failed to satisfy constraint: Member "
            "must be a string");
}

TEST(ValidationTest, ArrayCountMaximum) {
  const json request = {{"Ids", json::array({1, 2, 3})}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.array("Ids", {0, 2}), nullptr);
  ASSERT_EQ(validator.violations().size(), 1U);
  EXPECT_EQ(validator.violations()[0].message, "Member must have length less than or equal to 2");
  EXPECT_EQ(validator.violations()[0].value, "[1,2,3]");
}

TEST(ValidationTest, StringMapEntries) {
  const json request = {{"Tags", {{"team", "data"}, {"", "x"}, {"owner", 5}}}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string_map("Tags", {0, 50}, {1, 128, "^.*$"}, {0, 256, "^.*$"}),
            std::nullopt);
  const auto& violations = validator.violations();
  ASSERT_EQ(violations.size(), 2U);
  EXPECT_EQ(violations[0].path, "Tags");
  EXPECT_EQ(violations[0].value, "''");
  EXPECT_EQ(violations[0].message,
            "Map keys must satisfy constraint: [Member must have length greater than or equal "
            "to 1]");
  EXPECT_EQ(violations[1].path, "Tags.owner");
  EXPECT_EQ(violations[1].message, "Member must be a string");
}

TEST(ValidationTest, StringMapValueRuleAndCount) {
  const json request = {{"Tags", {{"a", std::string(257, 'v')}}}, {"Few", {{"a", "1"}}}};
  RequestValidator validator(request);
  EXPECT_EQ(validator.string_map("Tags", {0, 50}, {1, 128}, {0, 256}), std::nullopt);
  EXPECT_EQ(validator.string_map("Few", {2, 50}, {1, 128}, {0, 256}), std::nullopt);
  const auto& violations = validator.violations();
  ASSERT_EQ(violations.size(), 2U);
  EXPECT_EQ(violations[0].path, "Tags.a");
  EXPECT_EQ(violations[0].message, "Member must have length less than or equal to 256");
  EXPECT_EQ(violations[1].path, "Few");
  EXPECT_EQ(violations[1].message, "Member must have length greater than or equal to 2");
}

TEST(ValidationTest, StringMapReturnsEntriesInKeyOrder) {
  const json request = {{"Tags", {{"b", "2"}, {"a", "1"}}}};
  RequestValidator validator(request);
  const auto tags = validator.string_map("Tags", {0, 50}, {1, 128}, {0, 256});
  ASSERT_TRUE(tags.has_value());
  const std::vector<std::pair<std::string, std::string>> expected = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(*tags, expected);
}

TEST(ValidationTest, FailRecordsTheGivenPath) {
  const json request = {{"EncryptionConfiguration", {{"Type", "CUSTOMER_MANAGED_KEY"}}}};
  RequestValidator validator(request);
  auto encryption = validator.nested("EncryptionConfiguration");
  encryption->fail(encryption->path_of("KmsKeyId"),
                   "Member must be present when Type is CUSTOMER_MANAGED_KEY");
  EXPECT_EQ(validator.message(),
            "1 validation error detected: Value null at 'EncryptionConfiguration.KmsKeyId' failed "
            "to satisfy constraint: Member must be present when Type is CUSTOMER_MANAGED_KEY");
}

TEST(ValidationTest, RequestThatIsNotAnObjectOnlyReportsRequiredMembers) {
  const json request = json::array({1});
  RequestValidator validator(request);
  EXPECT_EQ(validator.string("Name", kName), std::nullopt);
  EXPECT_TRUE(validator.ok());
  EXPECT_EQ(validator.string("Name", kName, true), std::nullopt);
  EXPECT_EQ(validator.violations().size(), 1U);
}

// Whatever JSON arrives, validation reports instead of throwing, and a getter that returns a
// value never recorded a violation for it.
RC_GTEST_PROP(ValidationProperty, ArbitraryMemberValuesNeverThrow, (int choice, std::string text)) {
  const std::vector<json> values = {json(text),           json(choice),         json(choice * 0.5),
                                    json::array({text}),  json{{text, choice}}, json(nullptr),
                                    json(choice % 2 == 0)};
  const json& member = values[static_cast<std::size_t>(choice) % values.size()];
  const json request = {{"Member", member}};
  RequestValidator validator(request);
  const bool got_string = validator.string("Member", kName).has_value();
  RC_ASSERT(got_string == (validator.ok() && !member.is_null()));
  validator.integer("Member", {1, 100});
  validator.boolean("Member");
  validator.string_list("Member", {1, 3}, kName);
  validator.string_map("Member", {0, 2}, kName, kName);
  validator.enumeration("Member", {"A"});
  RC_ASSERT(validator.message().empty() == validator.ok());
}

}  // namespace
}  // namespace wfsim::models
