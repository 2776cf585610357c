// Request validation of every MWAA Serverless operation (fact sheet sections 3, 4 and 7):
// at least one violation per constrained member, the AWS message and the MWAA error shape,
// and the hand-written pattern matchers against std::regex.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "models/common/validation.hpp"
#include "models/mwaa_serverless/request_rules.hpp"
#include "tests/models/mwaa_serverless/service_fixture.hpp"

namespace wfsim::models::mwaa::testing {
namespace {

const std::string kArn =
    "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/orders-AbCdE12345";

json location() { return {{"Bucket", kBucket}, {"ObjectKey", "x.yaml"}}; }

json valid_request(const std::string& operation) {
  if (operation == "CreateWorkflow") {
    return {{"Name", "orders"}, {"DefinitionS3Location", location()}, {"RoleArn", kRole}};
  }
  if (operation == "UpdateWorkflow") {
    return {{"WorkflowArn", kArn}, {"DefinitionS3Location", location()}, {"RoleArn", kRole}};
  }
  if (operation == "ListWorkflows") return json::object();
  if (operation == "GetWorkflowRun" || operation == "StopWorkflowRun" ||
      operation == "ListTaskInstances") {
    return {{"WorkflowArn", kArn}, {"RunId", "run1"}};
  }
  if (operation == "GetTaskInstance") {
    return {{"WorkflowArn", kArn}, {"RunId", "run1"}, {"TaskInstanceId", "ex_1_a_1"}};
  }
  if (operation == "TagResource") return {{"ResourceArn", kArn}, {"Tags", {{"k", "v"}}}};
  if (operation == "UntagResource") return {{"ResourceArn", kArn}, {"TagKeys", {"k"}}};
  if (operation == "ListTagsForResource") return {{"ResourceArn", kArn}};
  return {{"WorkflowArn", kArn}};
}

struct Case {
  std::string operation;
  json patch;           // a JSON patch applied to the operation's valid request
  std::string field;    // the FieldList name expected
  std::string message;  // the start of the FieldList message expected
};

json set(const std::string& path, const json& value) {
  return json::array({{{"op", "add"}, {"path", path}, {"value", value}}});
}
json drop(const std::string& path) { return json::array({{{"op", "remove"}, {"path", path}}}); }

std::map<std::string, std::string> many_tags(int count) {
  std::map<std::string, std::string> tags;
  for (int i = 0; i < count; ++i) tags["k" + std::to_string(i)] = "v";
  return tags;
}

std::vector<Case> arn_cases(const std::string& operation, const std::string& member,
                            std::size_t max_length) {
  return {
      {operation, drop("/" + member), member, "Member must not be null"},
      {operation, set("/" + member, 7), member, "Member must be a string"},
      {operation, set("/" + member, "arn:aws:airflow-serverless:us-east-1:1:workflow/x"), member,
       "Member must satisfy regular expression pattern"},
      {operation, set("/" + member, kArn + std::string(max_length, 'a')), member,
       "Member must have length less than or equal to " + std::to_string(max_length)},
  };
}

std::vector<Case> page_cases(const std::string& operation) {
  return {
      {operation, set("/MaxResults", 0), "MaxResults",
       "Member must have value greater than or equal to 1"},
      {operation, set("/MaxResults", 101), "MaxResults",
       "Member must have value less than or equal to 100"},
      {operation, set("/MaxResults", "10"), "MaxResults", "Member must be an integer"},
      {operation, set("/NextToken", 5), "NextToken", "Member must be a string"},
      {operation, set("/NextToken", "123"), "NextToken", "Invalid NextToken"},
  };
}

std::vector<Case> id_cases(const std::string& operation, const std::string& member) {
  return {
      {operation, drop("/" + member), member, "Member must not be null"},
      {operation, set("/" + member, "_run"), member,
       "Member must satisfy regular expression pattern"},
      {operation, set("/" + member, std::string(256, 'r')), member,
       "Member must have length less than or equal to 255"},
      {operation, set("/" + member, ""), member,
       "Member must have length greater than or equal to 1"},
  };
}

std::vector<Case> version_member_cases(const std::string& operation) {
  return {
      {operation, drop("/DefinitionS3Location"), "DefinitionS3Location", "Member must not be null"},
      {operation, set("/DefinitionS3Location", "s3://x"), "DefinitionS3Location",
       "Member must be an object"},
      {operation, drop("/DefinitionS3Location/Bucket"), "DefinitionS3Location.Bucket",
       "Member must not be null"},
      {operation, set("/DefinitionS3Location/ObjectKey", 3), "DefinitionS3Location.ObjectKey",
       "Member must be a string"},
      {operation, set("/DefinitionS3Location/VersionId", true), "DefinitionS3Location.VersionId",
       "Member must be a string"},
      {operation, drop("/RoleArn"), "RoleArn", "Member must not be null"},
      {operation, set("/RoleArn", "arn:aws:iam::1:role/x"), "RoleArn",
       "Member must satisfy regular expression pattern"},
      {operation, set("/RoleArn", ""), "RoleArn",
       "Member must have length greater than or equal to 1"},
      {operation, set("/Description", ""), "Description",
       "Member must have length greater than or equal to 1"},
      {operation, set("/Description", "two\nlines"), "Description",
       "Member must satisfy regular expression pattern"},
      {operation, set("/Description", std::string(1025, 'd')), "Description",
       "Member must have length less than or equal to 1024"},
      {operation, set("/LoggingConfiguration", json::object()), "LoggingConfiguration.LogGroupName",
       "Member must not be null"},
      {operation, set("/EngineVersion", 2), "EngineVersion",
       "Member must satisfy enum value set: [1]"},
      {operation, set("/EngineVersion", "1"), "EngineVersion", "Member must be an integer"},
      {operation, set("/NetworkConfiguration", {{"SecurityGroupIds", {"sg-ok", "bad"}}}),
       "NetworkConfiguration.SecurityGroupIds[1]",
       "Member must satisfy regular expression pattern"},
      {operation, set("/NetworkConfiguration", {{"SubnetIds", "subnet-1"}}),
       "NetworkConfiguration.SubnetIds", "Member must be a list"},
      {operation, set("/NetworkConfiguration", {{"SubnetIds", {"subnet-A"}}}),
       "NetworkConfiguration.SubnetIds[0]", "Member must satisfy regular expression pattern"},
      {operation, set("/TriggerMode", "sometimes"), "TriggerMode",
       "Member must be one of the recognised trigger modes"},
      {operation, set("/TriggerMode", ""), "TriggerMode",
       "Member must have length greater than or equal to 1"},
      {operation, set("/TriggerMode", std::string(256, 'M')), "TriggerMode",
       "Member must have length less than or equal to 255"},
      {operation, set("/RoleArn", std::string(kRole) + std::string(2048, 'r')), "RoleArn",
       "Member must have length less than or equal to 2048"},
      {operation, set("/LoggingConfiguration", {{"LogGroupName", 5}}),
       "LoggingConfiguration.LogGroupName", "Member must be a string"},
      {operation, set("/LoggingConfiguration", json::array()), "LoggingConfiguration",
       "Member must be an object"},
      {operation, set("/NetworkConfiguration", 5), "NetworkConfiguration",
       "Member must be an object"},
      {operation, set("/NetworkConfiguration", {{"SecurityGroupIds", "sg-1"}}),
       "NetworkConfiguration.SecurityGroupIds", "Member must be a list"},
      {operation, set("/NetworkConfiguration", {{"SecurityGroupIds", {"sg-" + std::string(253, 'a')}}}),
       "NetworkConfiguration.SecurityGroupIds[0]",
       "Member must have length less than or equal to 255"},
      {operation, set("/NetworkConfiguration", {{"SubnetIds", {"subnet-" + std::string(249, 'a')}}}),
       "NetworkConfiguration.SubnetIds[0]", "Member must have length less than or equal to 255"},
      {operation, set("/Code", "s3://code.zip"), "Code", "Member must be an object"},
      {operation, set("/Code", {{"ObjectKey", "c.zip"}}), "Code.Bucket", "Member must not be null"},
      {operation, set("/Code", {{"Bucket", "b"}, {"ObjectKey", 3}}), "Code.ObjectKey",
       "Member must be a string"},
      {operation, set("/Code", {{"Bucket", "b"}, {"ObjectKey", "c.zip"}, {"VersionId", 1}}),
       "Code.VersionId", "Member must be a string"},
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  auto add = [&cases](const std::vector<Case>& more) {
    cases.insert(cases.end(), more.begin(), more.end());
  };
  add({
      {"CreateWorkflow", drop("/Name"), "Name", "Member must not be null"},
      {"CreateWorkflow", set("/Name", "-orders"), "Name",
       "Member must satisfy regular expression pattern"},
      {"CreateWorkflow", set("/Name", std::string(256, 'n')), "Name",
       "Member must have length less than or equal to 255"},
      {"CreateWorkflow", set("/ClientToken", "has space"), "ClientToken",
       "Member must satisfy regular expression pattern"},
      {"CreateWorkflow", set("/ClientToken", std::string(129, 't')), "ClientToken",
       "Member must have length less than or equal to 128"},
      {"CreateWorkflow", set("/ClientToken", ""), "ClientToken",
       "Member must have length greater than or equal to 1"},
      {"CreateWorkflow", set("/EncryptionConfiguration", json::object()),
       "EncryptionConfiguration.Type", "Member must not be null"},
      {"CreateWorkflow", set("/EncryptionConfiguration", {{"Type", "OWN_KEY"}}),
       "EncryptionConfiguration.Type", "Member must satisfy enum value set"},
      {"CreateWorkflow", set("/EncryptionConfiguration", {{"Type", "CUSTOMER_MANAGED_KEY"}}),
       "EncryptionConfiguration.KmsKeyId",
       "Member must not be null when Type is CUSTOMER_MANAGED_KEY"},
      {"CreateWorkflow",
       set("/EncryptionConfiguration", {{"Type", "AWS_MANAGED_KEY"}, {"KmsKeyId", 1}}),
       "EncryptionConfiguration.KmsKeyId", "Member must be a string"},
      {"CreateWorkflow", set("/Tags", many_tags(51)), "Tags",
       "Member must have length less than or equal to 50"},
      {"CreateWorkflow", set("/Tags", {{std::string(129, 'k'), "v"}}), "Tags",
       "Map keys must satisfy constraint"},
      {"CreateWorkflow", set("/Tags", {{"k", std::string(257, 'v')}}), "Tags.k",
       "Member must have length less than or equal to 256"},
      {"CreateWorkflow", set("/Tags", {{"k", 1}}), "Tags.k", "Member must be a string"},
      {"CreateWorkflow", set("/Tags", json::array()), "Tags", "Member must be an object"},
      {"CreateWorkflow", set("/Tags", {{"k", "line\nbreak"}}), "Tags.k",
       "Member must satisfy regular expression pattern: ^.*$"},
      {"CreateWorkflow", set("/Name", ""), "Name",
       "Member must have length greater than or equal to 1"},
      {"CreateWorkflow", set("/Name", 5), "Name", "Member must be a string"},
      {"CreateWorkflow", set("/EncryptionConfiguration", "AWS_MANAGED_KEY"),
       "EncryptionConfiguration", "Member must be an object"},
  });
  add(version_member_cases("CreateWorkflow"));
  add(version_member_cases("UpdateWorkflow"));
  for (const char* operation :
       {"GetWorkflow", "UpdateWorkflow", "DeleteWorkflow", "ListWorkflowVersions",
        "StartWorkflowRun", "GetWorkflowRun", "StopWorkflowRun", "ListWorkflowRuns",
        "GetTaskInstance", "ListTaskInstances"}) {
    add(arn_cases(operation, "WorkflowArn", 2048));
  }
  for (const char* operation : {"TagResource", "UntagResource", "ListTagsForResource"}) {
    add(arn_cases(operation, "ResourceArn", 1011));
  }
  for (const char* operation : {"GetWorkflow", "DeleteWorkflow"}) {
    add({{operation, set("/WorkflowVersion", std::string(31, 'a')), "WorkflowVersion",
          "Member must have length greater than or equal to 32"},
         {operation, set("/WorkflowVersion", std::string(32, 'A')), "WorkflowVersion",
          "Member must satisfy regular expression pattern: ^[a-z0-9]{32}$"},
         {operation, set("/WorkflowVersion", std::string(33, 'a')), "WorkflowVersion",
          "Member must have length less than or equal to 32"}});
  }
  for (const char* operation : {"StartWorkflowRun", "ListWorkflowRuns"}) {
    add({{operation, set("/WorkflowVersion", ""), "WorkflowVersion",
          "Member must have length greater than or equal to 1"},
         {operation, set("/WorkflowVersion", "a\rb"), "WorkflowVersion",
          "Member must satisfy regular expression pattern: ^.+$"},
         {operation, set("/WorkflowVersion", std::string(2049, 'v')), "WorkflowVersion",
          "Member must have length less than or equal to 2048"}});
  }
  add({{"StartWorkflowRun", set("/ClientToken", "tab\there"), "ClientToken",
        "Member must satisfy regular expression pattern"},
       {"StartWorkflowRun", set("/ClientToken", ""), "ClientToken",
        "Member must have length greater than or equal to 1"},
       {"StartWorkflowRun", set("/ClientToken", std::string(129, 't')), "ClientToken",
        "Member must have length less than or equal to 128"},
       {"StartWorkflowRun", set("/OverrideParameters", json::array({1})), "OverrideParameters",
        "Member must be an object"}});
  for (const char* operation :
       {"ListWorkflows", "ListWorkflowVersions", "ListWorkflowRuns", "ListTaskInstances"}) {
    add(page_cases(operation));
  }
  for (const char* operation :
       {"GetWorkflowRun", "StopWorkflowRun", "GetTaskInstance", "ListTaskInstances"}) {
    add(id_cases(operation, "RunId"));
  }
  add(id_cases("GetTaskInstance", "TaskInstanceId"));
  add({{"TagResource", drop("/Tags"), "Tags", "Member must not be null"},
       {"TagResource", set("/Tags", many_tags(51)), "Tags",
        "Member must have length less than or equal to 50"},
       {"TagResource", set("/Tags", {{"", "v"}}), "Tags", "Map keys must satisfy constraint"},
       {"UntagResource", drop("/TagKeys"), "TagKeys", "Member must not be null"},
       {"UntagResource", set("/TagKeys", json::array()), "TagKeys",
        "Member must have length greater than or equal to 1"},
       {"UntagResource", set("/TagKeys", json(std::vector<std::string>(51, "k"))), "TagKeys",
        "Member must have length less than or equal to 50"},
       {"UntagResource", set("/TagKeys", {""}), "TagKeys[0]",
        "Member must have length greater than or equal to 1"},
       {"UntagResource", set("/TagKeys", {std::string(129, 'k')}), "TagKeys[0]",
        "Member must have length less than or equal to 128"},
       {"UntagResource", set("/TagKeys", {"line\nbreak"}), "TagKeys[0]",
        "Member must satisfy regular expression pattern: ^.*$"},
       {"TagResource", set("/Tags", {{"k", "line\nbreak"}}), "Tags.k",
        "Member must satisfy regular expression pattern: ^.*$"}});
  return cases;
}

TEST(MwaaValidation, EveryConstrainedMemberIsChecked) {
  MwaaWorld world;
  for (const Case& c : all_cases()) {
    const json request = valid_request(c.operation).patch(c.patch);
    SCOPED_TRACE(c.operation + " " + request.dump().substr(0, 300));
    const AwsError error = world.error(c.operation, request, "ValidationException");
    EXPECT_EQ(error.http_status, 400);
    ASSERT_TRUE(error.fields.contains("FieldList"));
    const json& fields = error.fields["FieldList"];
    // An empty string breaks both its length and its pattern; nothing else may be reported.
    ASSERT_GE(fields.size(), 1u) << error.body().dump();
    for (const auto& field : fields) EXPECT_EQ(field["Name"], c.field) << error.body().dump();
    EXPECT_EQ(fields[0]["Message"].get<std::string>().rfind(c.message, 0), 0u)
        << fields[0]["Message"];
    EXPECT_EQ(error.fields["Reason"], "fieldValidationFailed");
    EXPECT_FALSE(error.message.empty());
  }
  world.expect_invariants();
}

// Requests that keep every rule get no ValidationException of any Reason: the definition
// they name exists, and the resources they name are merely missing.
TEST(MwaaValidation, ValidRequestsPassValidation) {
  MwaaWorld world;
  world.put("x.yaml", chain_yaml("x"));
  for (const char* operation :
       {"CreateWorkflow", "GetWorkflow", "UpdateWorkflow", "DeleteWorkflow", "ListWorkflows",
        "ListWorkflowVersions", "StartWorkflowRun", "GetWorkflowRun", "StopWorkflowRun",
        "ListWorkflowRuns", "GetTaskInstance", "ListTaskInstances", "TagResource", "UntagResource",
        "ListTagsForResource"}) {
    const auto outcome = world.call(operation, valid_request(operation));
    if (!outcome.ok()) {
      EXPECT_NE(outcome.error().code, "ValidationException")
          << operation << ": " << outcome.error().body().dump();
    }
  }
}

TEST(MwaaValidation, MessageFollowsTheAwsFormat) {
  MwaaWorld world;
  const AwsError one = world.error("GetWorkflowRun", {{"WorkflowArn", kArn}, {"RunId", "a b"}},
                                   "ValidationException");
  EXPECT_EQ(one.message,
            "1 validation error detected: Value 'a b' at 'RunId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9]+[a-zA-Z0-9\\.\\-_]*$");
  EXPECT_EQ(one.body()["__type"], "ValidationException");
  const AwsError two = world.error("CreateWorkflow", json::object(), "ValidationException");
  EXPECT_EQ(two.message.rfind("3 validation errors detected: Value null at 'Name' failed to "
                              "satisfy constraint: Member must not be null; ",
                              0),
            0u)
      << two.message;
  EXPECT_EQ(two.fields["FieldList"].size(), 3u);
}

TEST(MwaaValidation, TriggerModeSpellings) {
  MwaaWorld world;
  world.put("d.yaml", chain_yaml());
  const std::map<std::string, std::string> spellings = {
      {"SCHEDULED", "SCHEDULED"},     {"scheduled", "SCHEDULED"}, {"Manual only", "MANUAL_ONLY"},
      {"manual-only", "MANUAL_ONLY"}, {"MANUAL", "MANUAL_ONLY"},  {"Disabled", "DISABLED"}};
  int index = 0;
  for (const auto& [given, canonical] : spellings) {
    json request = world.create_request("w" + std::to_string(index++), "d.yaml");
    request["TriggerMode"] = given;
    const std::string arn = world.ok("CreateWorkflow", request)["WorkflowArn"];
    EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["TriggerMode"], canonical) << given;
  }
}

TEST(MwaaValidation, UnknownOperationAndMalformedRequests) {
  MwaaWorld world;
  const AwsError unknown = world.error("DescribeWorkflow", json::object(), "ValidationException");
  EXPECT_EQ(unknown.fields["Reason"], "unknownOperation");
  const AwsError not_object = world.error("ListWorkflows", json::array(), "ValidationException");
  EXPECT_EQ(not_object.fields["Reason"], "cannotParse");
  EXPECT_TRUE(world.call("ListWorkflows", nullptr).ok());
  EXPECT_EQ(world.service->operations().size(), 15u);
}

// The hand matchers must equal std::regex_match with the sheet's patterns.
std::string from_alphabet(const std::vector<int>& picks, std::string_view alphabet) {
  std::string out;
  for (int pick : picks) out += alphabet[static_cast<std::size_t>(pick) % alphabet.size()];
  return out;
}

RC_GTEST_PROP(MwaaValidation, HandMatchersEqualTheRegexes, (std::vector<int> picks, int mutation)) {
  const std::string noise = from_alphabet(picks, "aZ09.-_:/ \n\r\x7f!~arnsw");
  std::string arn = kArn;
  if (!picks.empty()) {
    const std::size_t at =
        static_cast<std::size_t>(mutation < 0 ? -mutation : mutation) % arn.size();
    arn = arn.substr(0, at) + noise + arn.substr(at + (mutation % 3 == 0 ? 1 : 0));
  }
  for (const std::string& text :
       {arn, noise,
        std::string("arn:aws-iso-b:airflow-serverless:us-east-1:111122223333:workflow/") + noise}) {
    RC_ASSERT(is_workflow_arn(text) == matches_pattern(kWorkflowArnPattern, text));
    RC_ASSERT(is_id_string(text) == matches_pattern(kIdPattern, text));
    RC_ASSERT(is_workflow_version(text) == matches_pattern(kWorkflowVersionPattern, text));
    RC_ASSERT(is_nonempty_line(text) == matches_pattern(kNonEmptyLinePattern, text));
    RC_ASSERT(is_line(text) == matches_pattern(kLinePattern, text));
    RC_ASSERT(is_client_token(text) == matches_pattern(kClientTokenPattern, text));
  }
}

TEST(MwaaValidation, HandMatchersOnEdgeCases) {
  const std::vector<std::string> arns = {
      kArn,
      "arn:aws-cn:airflow-serverless:cn-north-1:111122223333:workflow/a-0123456789",
      "arn:aws-us-gov:airflow-serverless:us-gov-1:111122223333:workflow/a.b_c-0123456789",
      "arn:aws-iso-f:airflow-serverless:us-isof-2:111122223333:workflow/a--0123456789",
      "arn:aws:airflow-serverless:us-gov-west-1:111122223333:workflow/a-0123456789",
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/-a-0123456789",
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/a-012345678",
      "arn:aws:airflow-serverless:us-east-1:11112222333:workflow/a-0123456789",
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/" + std::string(255, 'a') +
          "-0123456789",
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/" + std::string(256, 'a') +
          "-0123456789",
      "arn:aws-iso:airflow-serverless:us-east-1:111122223333:workflow/a-0123456789\n",
  };
  for (const auto& arn : arns) {
    EXPECT_EQ(is_workflow_arn(arn), matches_pattern(kWorkflowArnPattern, arn)) << arn;
  }
}

// checked_string reports exactly what RequestValidator::string reports for the same rule.
RC_GTEST_PROP(MwaaValidation, CheckedStringEqualsTheValidator, (std::vector<int> picks)) {
  const std::string text = from_alphabet(picks, "ab0_-. \n\xc3\xa9");
  const json request = {{"RunId", text}};
  RequestValidator by_hand(request);
  checked_string(by_hand, request, "RunId", {1, 5, kIdPattern, is_id_string}, true);
  RequestValidator by_regex(request);
  by_regex.string("RunId", {1, 5, kIdPattern}, true);
  RC_ASSERT(by_hand.message() == by_regex.message());
}

}  // namespace
}  // namespace wfsim::models::mwaa::testing
