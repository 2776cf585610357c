// Workflow, version and tag operations of the MWAA Serverless service (fact sheet 7, 8, 9.1):
// every response member, every reachable error, versions, deletion, idempotency, pagination.
#include <regex>

#include <gtest/gtest.h>

#include "tests/models/mwaa_serverless/service_fixture.hpp"

namespace wfsim::models::mwaa::testing {
namespace {

const std::regex kArnShape(
    "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/orders-[a-zA-Z0-9]{10}");
const std::regex kVersionShape("[a-z0-9]{32}");

std::string scheduled_yaml(const std::string& dag_id = "orders",
                           const std::string& schedule = "\"0 * * * *\"") {
  return dag_yaml(dag_id, {{"a", ""}}, "  schedule: " + schedule + "\n");
}

TEST(MwaaWorkflows, CreateWorkflowAnswersEveryMember) {
  MwaaWorld world;
  world.put("orders.yaml", dag_yaml("orders", {{"a", ""}}, "  description: ignored\n"));
  const json response = world.ok("CreateWorkflow", world.create_request("orders", "orders.yaml"));
  EXPECT_TRUE(std::regex_match(response["WorkflowArn"].get<std::string>(), kArnShape));
  EXPECT_EQ(response["CreatedAt"], "2026-01-01T00:00:00Z");
  EXPECT_FALSE(response["RevisionId"].get<std::string>().empty());
  EXPECT_EQ(response["WorkflowStatus"], "READY");
  EXPECT_TRUE(std::regex_match(response["WorkflowVersion"].get<std::string>(), kVersionShape));
  EXPECT_EQ(response["IsLatestVersion"], true);
  ASSERT_EQ(response["Warnings"].size(), 1u);
  EXPECT_NE(response["Warnings"][0].get<std::string>().find("description"), std::string::npos);
  world.expect_invariants();
}

TEST(MwaaWorkflows, GetWorkflowAnswersEveryMember) {
  MwaaWorld world;
  const std::string yaml = scheduled_yaml();
  world.put("orders.yaml", yaml);
  json request = world.create_request("orders", "orders.yaml");
  request["Description"] = "Nightly orders";
  request["EncryptionConfiguration"] = {{"Type", "CUSTOMER_MANAGED_KEY"}, {"KmsKeyId", "key-1"}};
  request["LoggingConfiguration"] = {{"LogGroupName", "/my/logs"}};
  request["EngineVersion"] = 1;
  request["NetworkConfiguration"] = {{"SecurityGroupIds", {"sg-1"}}, {"SubnetIds", {"subnet-1"}}};
  const json created = world.ok("CreateWorkflow", request);
  world.advance(sim::seconds(5));
  const json got = world.ok("GetWorkflow", {{"WorkflowArn", created["WorkflowArn"]}});
  EXPECT_EQ(got["WorkflowArn"], created["WorkflowArn"]);
  EXPECT_EQ(got["WorkflowVersion"], created["WorkflowVersion"]);
  EXPECT_EQ(got["Name"], "orders");
  EXPECT_EQ(got["Description"], "Nightly orders");
  EXPECT_EQ(got["CreatedAt"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(got["ModifiedAt"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(got["EncryptionConfiguration"], request["EncryptionConfiguration"]);
  EXPECT_EQ(got["LoggingConfiguration"], request["LoggingConfiguration"]);
  EXPECT_EQ(got["EngineVersion"], 1);
  EXPECT_EQ(got["WorkflowStatus"], "READY");
  EXPECT_EQ(got["DefinitionS3Location"],
            (json{{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}, {"VersionId", "1"}}));
  EXPECT_EQ(got["ScheduleConfiguration"], (json{{"CronExpression", "0 * * * *"}}));
  EXPECT_EQ(got["RoleArn"], kRole);
  EXPECT_EQ(got["NetworkConfiguration"], request["NetworkConfiguration"]);
  EXPECT_EQ(got["TriggerMode"], "SCHEDULED");
  EXPECT_EQ(got["WorkflowDefinition"], yaml);
}

TEST(MwaaWorkflows, GetWorkflowShowsDefaultsWhenNotGiven) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const json got = world.ok("GetWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(got["EncryptionConfiguration"], (json{{"Type", "AWS_MANAGED_KEY"}}));
  const std::string suffix = arn.substr(arn.find("workflow/") + 9);
  EXPECT_EQ(got["LoggingConfiguration"]["LogGroupName"], "/aws/mwaa-serverless/" + suffix + "/");
  EXPECT_EQ(got["TriggerMode"], "MANUAL_ONLY");
  EXPECT_FALSE(got.contains("Description"));
  EXPECT_FALSE(got.contains("NetworkConfiguration"));
  EXPECT_FALSE(got.contains("ScheduleConfiguration"));
}

TEST(MwaaWorkflows, DefinitionIsSnapshottedAtCreate) {
  MwaaWorld world;
  world.objects.put(kBucket, "v.yaml", chain_yaml("first"));
  world.objects.put(kBucket, "v.yaml", chain_yaml("second"));
  json request = world.create_request("orders", "v.yaml");
  request["DefinitionS3Location"]["VersionId"] = "1";
  const std::string arn = world.ok("CreateWorkflow", request)["WorkflowArn"];
  const std::string latest_arn = world.create("latest", chain_yaml("third"));
  world.objects.put(kBucket, "latest.yaml", chain_yaml("changed"));
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowDefinition"],
            chain_yaml("first"));
  const json latest = world.ok("GetWorkflow", {{"WorkflowArn", latest_arn}});
  EXPECT_EQ(latest["WorkflowDefinition"], chain_yaml("third"));
  EXPECT_EQ(latest["DefinitionS3Location"]["VersionId"], "1");
}

TEST(MwaaWorkflows, CreateWorkflowErrors) {
  MwaaWorld world(json{{"quotas", {{"workflows_per_account", 2}}}});
  world.put("good.yaml", chain_yaml());
  world.put("two-dags.yaml", chain_yaml("one") + chain_yaml("two"));
  world.ok("CreateWorkflow", world.create_request("orders", "good.yaml"));

  const AwsError taken = world.error("CreateWorkflow", world.create_request("orders", "good.yaml"),
                                     "ConflictException");
  EXPECT_EQ(taken.http_status, 409);
  EXPECT_EQ(taken.fields["ResourceId"], "orders");
  EXPECT_EQ(taken.fields["ResourceType"], "Workflow");

  const AwsError missing = world.error("CreateWorkflow", world.create_request("other", "nope.yaml"),
                                       "ValidationException");
  EXPECT_NE(missing.message.find("s3://defs/nope.yaml"), std::string::npos);
  EXPECT_EQ(missing.fields["Reason"], "other");
  EXPECT_EQ(missing.fields["FieldList"][0]["Name"], "DefinitionS3Location");

  json missing_version = world.create_request("other", "good.yaml");
  missing_version["DefinitionS3Location"]["VersionId"] = "7";
  world.error("CreateWorkflow", missing_version, "ValidationException");

  const AwsError invalid = world.error(
      "CreateWorkflow", world.create_request("other", "two-dags.yaml"), "ValidationException");
  EXPECT_EQ(invalid.message, "DAG definition should contain a single DAG");
  EXPECT_EQ(invalid.fields["Reason"], "other");

  world.ok("CreateWorkflow", world.create_request("second", "good.yaml"));
  const AwsError quota = world.error("CreateWorkflow", world.create_request("third", "good.yaml"),
                                     "ServiceQuotaExceededException");
  EXPECT_EQ(quota.http_status, 402);
  EXPECT_EQ(quota.fields["ServiceCode"], "airflow-serverless");
  EXPECT_EQ(quota.fields["QuotaCode"], "workflows-per-account");
  EXPECT_EQ(quota.fields["ResourceId"], "third");
  EXPECT_EQ(quota.fields["ResourceType"], "Workflow");
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"].size(), 2u);
  world.expect_invariants();
}

const json kOneHourTokens = {{"idempotency_window", "PT1H"}};

// Puts "good.yaml" and returns a CreateWorkflow of "orders" with ClientToken "token-1".
json tokened_create(MwaaWorld& world) {
  world.put("good.yaml", chain_yaml());
  json request = world.create_request("orders", "good.yaml");
  request["ClientToken"] = "token-1";
  return request;
}

TEST(MwaaWorkflows, CreateWorkflowIsIdempotentByClientToken) {
  MwaaWorld world(kOneHourTokens);
  json request = tokened_create(world);
  const json first = world.ok("CreateWorkflow", request);
  world.advance(sim::minutes(10));
  EXPECT_EQ(world.ok("CreateWorkflow", request), first);
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"].size(), 1u);

  json changed = request;
  changed["Description"] = "another request under the same name and token";
  const AwsError reused = world.error("CreateWorkflow", changed, "ConflictException");
  EXPECT_NE(reused.message.find("token-1"), std::string::npos);

  world.advance(sim::hours(1));
  // Past the window the token is forgotten; the name is still taken.
  world.error("CreateWorkflow", changed, "ConflictException");
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"].size(), 1u);
}

// The token is keyed by (Name, token), the sheet's guidance (section 8): under another name
// the same token is a new request, not a replay and not a conflict.
TEST(MwaaWorkflows, CreateWorkflowTokensAreKeyedByName) {
  MwaaWorld world(kOneHourTokens);
  json request = tokened_create(world);
  const json first = world.ok("CreateWorkflow", request);
  json other = request;
  other["Name"] = "other";
  const json second = world.ok("CreateWorkflow", other);
  EXPECT_NE(second["WorkflowArn"], first["WorkflowArn"]);
  EXPECT_EQ(world.ok("CreateWorkflow", other), second);
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"].size(), 2u);
}

const char* const kPythonDag =
    "py:\n  tasks:\n    load:\n      operator: "
    "airflow.providers.standard.operators.python.PythonOperator\n"
    "      python_callable: etl.load\n";

json code_at(const std::string& key) { return {{"Bucket", kBucket}, {"ObjectKey", key}}; }

// 12.1: Code is snapshotted with the version and shown by GetWorkflow; an update without it
// keeps the snapshot, an update with it takes a new one.
TEST(MwaaWorkflows, TheCodePackageIsSnapshottedWithTheVersion) {
  MwaaWorld world;
  world.put("etl.zip", "PK zip bytes");
  world.put("etl-2.zip", "PK other bytes");
  world.put("py.yaml", kPythonDag);
  json create = world.create_request("py", "py.yaml");
  create["Code"] = code_at("etl.zip");
  const std::string arn = world.ok("CreateWorkflow", create)["WorkflowArn"];
  const json first = world.ok("GetWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(first["Code"], code_at("etl.zip"));
  EXPECT_EQ(first["CodeSnapshottedAt"], first["ModifiedAt"]);

  world.advance(sim::minutes(5));
  json update = {{"WorkflowArn", arn},
                 {"DefinitionS3Location", code_at("py.yaml")},
                 {"RoleArn", kRole}};
  world.ok("UpdateWorkflow", update);
  const json kept = world.ok("GetWorkflow", {{"WorkflowArn", arn}});
  EXPECT_NE(kept["WorkflowVersion"], first["WorkflowVersion"]);
  EXPECT_EQ(kept["Code"], code_at("etl.zip"));
  EXPECT_EQ(kept["CodeSnapshottedAt"], first["CodeSnapshottedAt"]);

  world.advance(sim::minutes(5));
  update["Code"] = code_at("etl-2.zip");
  update["Code"]["VersionId"] = "1";
  world.ok("UpdateWorkflow", update);
  const json replaced = world.ok("GetWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(replaced["Code"]["ObjectKey"], "etl-2.zip");
  EXPECT_EQ(replaced["Code"]["VersionId"], "1");
  EXPECT_EQ(replaced["CodeSnapshottedAt"], replaced["ModifiedAt"]);
  EXPECT_NE(replaced["CodeSnapshottedAt"], first["CodeSnapshottedAt"]);

  const std::string plain = world.create("plain", chain_yaml("plain"));
  const json without = world.ok("GetWorkflow", {{"WorkflowArn", plain}});
  EXPECT_FALSE(without.contains("Code"));
  EXPECT_FALSE(without.contains("CodeSnapshottedAt"));
}

TEST(MwaaWorkflows, CodePackageErrorsNameCode) {
  MwaaWorld world;
  world.put("py.yaml", kPythonDag);
  const AwsError needs_code = world.error("CreateWorkflow", world.create_request("py", "py.yaml"),
                                          "ValidationException");
  EXPECT_EQ(needs_code.message,
            "Task 'load': PythonOperator imports python_callable 'etl.load' from the code "
            "package, and the workflow has none: give one in Code");
  EXPECT_EQ(needs_code.fields["FieldList"][0]["Name"], "Code");

  json missing = world.create_request("py", "py.yaml");
  missing["Code"] = code_at("nope.zip");
  const AwsError absent = world.error("CreateWorkflow", missing, "ValidationException");
  EXPECT_EQ(absent.message,
            "Unable to read the code package from s3://defs/nope.zip: the object does not exist");
  EXPECT_EQ(absent.fields["FieldList"][0]["Name"], "Code");

  json shapeless = world.create_request("py", "py.yaml");
  shapeless["Code"] = {{"Bucket", kBucket}};
  const AwsError no_key = world.error("CreateWorkflow", shapeless, "ValidationException");
  EXPECT_NE(no_key.message.find("Code.ObjectKey"), std::string::npos) << no_key.message;
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"], json::array());
}

// 12.9: a code package that cannot be extracted fails the run, with no task instances. The
// simulator's rule: an empty object is not a zip archive.
TEST(MwaaWorkflows, ARunOfAPackageThatCannotBeExtractedFails) {
  MwaaWorld world;
  world.put("empty.zip", "");
  world.put("py.yaml", kPythonDag);
  json create = world.create_request("py", "py.yaml");
  create["Code"] = code_at("empty.zip");
  const std::string arn = world.ok("CreateWorkflow", create)["WorkflowArn"];
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "FAILED");
  EXPECT_EQ(detail["ErrorMessage"],
            "The code package s3://defs/empty.zip could not be extracted: it is not a zip "
            "archive");
  EXPECT_EQ(detail["TaskInstances"], json::array());
}

// BashOperator loads a bash_command ending in .sh or .bash from the code package. Without
// one the run fails when it renders its templates (12.9); an inline command, or a script
// name with a trailing space (Airflow's way to run it inline), needs no package.
TEST(MwaaWorkflows, ABashScriptNeedsACodePackage) {
  MwaaWorld world;
  const auto bash_dag = [](const std::string& command) {
    return "sh:\n  tasks:\n    run:\n      operator: "
           "airflow.providers.standard.operators.bash.BashOperator\n"
           "      bash_command: \"" + command + "\"\n";
  };
  const auto run_state = [&world](const std::string& name, const json& code) {
    json create = world.create_request(name, name + ".yaml");
    if (!code.is_null()) create["Code"] = code;
    const std::string arn = world.ok("CreateWorkflow", create)["WorkflowArn"];
    const std::string run = world.start(arn);
    world.run_until_idle();
    return world.run(arn, run)["RunDetail"];
  };
  world.put("etl.zip", "PK zip bytes");
  world.put("script.yaml", bash_dag("scripts/load.sh"));
  const json failed = run_state("script", nullptr);
  EXPECT_EQ(failed["RunState"], "FAILED");
  EXPECT_EQ(failed["ErrorMessage"],
            "Task 'run': TemplateNotFound: scripts/load.sh (BashOperator loads a bash_command "
            "ending in .sh or .bash from the code package, and the workflow has none)");
  EXPECT_EQ(failed["TaskInstances"], json::array());

  world.put("bash.yaml", bash_dag("load.bash"));
  EXPECT_EQ(run_state("bash", nullptr)["RunState"], "FAILED");
  world.put("packaged.yaml", bash_dag("scripts/load.sh"));
  EXPECT_EQ(run_state("packaged", code_at("etl.zip"))["RunState"], "SUCCESS");
  world.put("inline.yaml", bash_dag("echo done"));
  EXPECT_EQ(run_state("inline", nullptr)["RunState"], "SUCCESS");
  world.put("spaced.yaml", bash_dag("bash scripts/load.sh "));
  EXPECT_EQ(run_state("spaced", nullptr)["RunState"], "SUCCESS");

  // An ErrorMessage has at most 255 characters (GenericString): a longer one is cut.
  world.put("long.yaml", bash_dag(std::string(300, 'd') + "/load.sh"));
  const json cut = run_state("long", nullptr);
  EXPECT_EQ(cut["RunState"], "FAILED");
  EXPECT_EQ(cut["ErrorMessage"],
            ("Task 'run': TemplateNotFound: " + std::string(300, 'd')).substr(0, 255));
}

// Every list answers 20 items a page when MaxResults is left out (the Smithy default of
// section 4), and the rest on the next page.
TEST(MwaaWorkflows, ListsPageTwentyItemsWithoutMaxResults) {
  MwaaWorld world;
  std::vector<std::pair<std::string, std::string>> tasks;
  for (int task = 0; task < 21; ++task) tasks.push_back({"t" + std::to_string(task), ""});
  world.put("wide.yaml", dag_yaml("wide", tasks));
  std::string arn;
  for (int workflow = 0; workflow < 21; ++workflow) {
    arn = world.ok("CreateWorkflow", world.create_request("w" + std::to_string(workflow),
                                                          "wide.yaml"))["WorkflowArn"];
  }
  for (int update = 0; update < 20; ++update) {
    world.ok(
        "UpdateWorkflow",
        {{"WorkflowArn", arn}, {"DefinitionS3Location", code_at("wide.yaml")}, {"RoleArn", kRole}});
  }
  std::string run;
  for (int start = 0; start < 21; ++start) {
    run = world.start(arn);
    world.run_until_idle();
  }
  // Each list's page holds one array member, whatever its name.
  const auto items_on = [](const json& page) {
    std::size_t count = 0;
    for (const auto& [member, items] : page.items()) {
      if (items.is_array()) count = items.size();
    }
    return count;
  };
  const std::vector<std::pair<std::string, json>> lists = {
      {"ListWorkflows", json::object()},
      {"ListWorkflowVersions", {{"WorkflowArn", arn}}},
      {"ListWorkflowRuns", {{"WorkflowArn", arn}}},
      {"ListTaskInstances", {{"WorkflowArn", arn}, {"RunId", run}}}};
  for (const auto& [operation, request] : lists) {
    const json first = world.ok(operation, request);
    ASSERT_TRUE(first.contains("NextToken")) << operation;
    json next = request;
    next["NextToken"] = first["NextToken"];
    const json second = world.ok(operation, next);
    EXPECT_FALSE(second.contains("NextToken")) << operation;
    EXPECT_EQ(items_on(first), 20u) << operation;
    EXPECT_EQ(items_on(second), 1u) << operation;
  }
}

TEST(MwaaWorkflows, UpdateWorkflowAppendsVersions) {
  MwaaWorld world;
  world.put("orders.yaml", chain_yaml("v1"));
  json create = world.create_request("orders", "orders.yaml");
  create["Description"] = "kept";
  const json created = world.ok("CreateWorkflow", create);
  const std::string arn = created["WorkflowArn"];
  world.advance(sim::minutes(1));
  world.put("orders-2.yaml", dag_yaml("v2", {{"a", ""}}, "  max_active_runs: 3\n"));
  const json updated =
      world.ok("UpdateWorkflow",
               {{"WorkflowArn", arn},
                {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders-2.yaml"}}},
                {"RoleArn", kRole}});
  EXPECT_EQ(updated["WorkflowArn"], arn);
  EXPECT_EQ(updated["ModifiedAt"], "2026-01-01T00:01:00Z");
  EXPECT_TRUE(std::regex_match(updated["WorkflowVersion"].get<std::string>(), kVersionShape));
  EXPECT_NE(updated["WorkflowVersion"], created["WorkflowVersion"]);
  ASSERT_EQ(updated["Warnings"].size(), 1u);

  const json latest = world.ok("GetWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(latest["WorkflowVersion"], updated["WorkflowVersion"]);
  EXPECT_EQ(latest["Description"], "kept");
  EXPECT_EQ(latest["CreatedAt"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(latest["ModifiedAt"], "2026-01-01T00:01:00Z");
  const json old = world.ok(
      "GetWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", created["WorkflowVersion"]}});
  EXPECT_EQ(old["WorkflowDefinition"], chain_yaml("v1"));

  const json versions =
      world.ok("ListWorkflowVersions", {{"WorkflowArn", arn}})["WorkflowVersions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["WorkflowVersion"], created["WorkflowVersion"]);
  EXPECT_EQ(versions[0]["IsLatestVersion"], false);
  EXPECT_EQ(versions[1]["IsLatestVersion"], true);
  EXPECT_EQ(versions[1]["WorkflowArn"], arn);
  EXPECT_EQ(versions[1]["CreatedAt"], "2026-01-01T00:01:00Z");
  EXPECT_EQ(versions[1]["ModifiedAt"], "2026-01-01T00:01:00Z");
  EXPECT_EQ(versions[1]["DefinitionS3Location"]["ObjectKey"], "orders-2.yaml");
  EXPECT_EQ(versions[1]["TriggerMode"], "MANUAL_ONLY");
  const json summary = world.ok("ListWorkflows", json::object())["Workflows"][0];
  EXPECT_EQ(summary["WorkflowVersion"], updated["WorkflowVersion"]);
  world.expect_invariants();
}

TEST(MwaaWorkflows, UpdateWorkflowErrors) {
  MwaaWorld world(json{{"quotas", {{"versions_per_workflow", 2}}}});
  const std::string arn = world.create("orders", chain_yaml());
  const json update = {
      {"WorkflowArn", arn},
      {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
      {"RoleArn", kRole}};
  json unknown = update;
  unknown["WorkflowArn"] = arn.substr(0, arn.size() - 1) + (arn.back() == 'x' ? "y" : "x");
  const AwsError missing = world.error("UpdateWorkflow", unknown, "ResourceNotFoundException");
  EXPECT_EQ(missing.http_status, 404);
  EXPECT_EQ(missing.fields["ResourceType"], "Workflow");
  EXPECT_EQ(missing.fields["ResourceId"], unknown["WorkflowArn"]);

  world.put("bad.yaml", "orders:\n  tasks: []\n");
  json bad = update;
  bad["DefinitionS3Location"]["ObjectKey"] = "bad.yaml";
  EXPECT_EQ(world.error("UpdateWorkflow", bad, "ValidationException").message,
            "Invalid tasks configuration.");

  world.ok("UpdateWorkflow", update);
  const AwsError quota = world.error("UpdateWorkflow", update, "ServiceQuotaExceededException");
  EXPECT_EQ(quota.fields["QuotaCode"], "versions-per-workflow");
  EXPECT_EQ(world.ok("ListWorkflowVersions", {{"WorkflowArn", arn}})["WorkflowVersions"].size(),
            2u);

  world.start(arn);
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  const AwsError deleting = world.error("UpdateWorkflow", update, "ConflictException");
  EXPECT_EQ(deleting.fields["ResourceId"], arn);
  world.expect_invariants();
}

TEST(MwaaWorkflows, TriggerModeIsCarriedOverOnlyWhenExplicit) {
  MwaaWorld world;
  world.put("scheduled.yaml", scheduled_yaml());
  json create = world.create_request("orders", "scheduled.yaml");
  const std::string arn = world.ok("CreateWorkflow", create)["WorkflowArn"];
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["TriggerMode"], "SCHEDULED");
  json update = {{"WorkflowArn", arn},
                 {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "scheduled.yaml"}}},
                 {"RoleArn", kRole},
                 {"TriggerMode", "DISABLED"}};
  world.ok("UpdateWorkflow", update);
  update.erase("TriggerMode");
  world.ok("UpdateWorkflow", update);
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["TriggerMode"], "DISABLED");
}

TEST(MwaaWorkflows, GetWorkflowErrors) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const std::string unknown_version(32, '0');
  const AwsError version =
      world.error("GetWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", unknown_version}},
                  "ResourceNotFoundException");
  EXPECT_EQ(version.fields["ResourceType"], "WorkflowVersion");
  EXPECT_EQ(version.fields["ResourceId"], unknown_version);
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  world.error("GetWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
}

TEST(MwaaWorkflows, DeleteWorkflowWithoutRunsIsImmediate) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const json response = world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(response, (json{{"WorkflowArn", arn}}));
  world.error("GetWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
  world.error("DeleteWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"], json::array());
  // The name is free again.
  world.create("orders", chain_yaml());
  world.expect_invariants();
}

TEST(MwaaWorkflows, DeleteWorkflowStopsRunsFirst) {
  MwaaWorld world(json{{"timings", {{"stop_delay", 10}}}});
  const std::string arn = world.create("orders", chain_yaml());
  const std::string run = world.start(arn);
  world.advance(sim::minutes(1));
  EXPECT_EQ(world.run_state(arn, run), "RUNNING");
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  world.expect_invariants("after delete");
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowStatus"], "DELETING");
  EXPECT_EQ(world.ok("ListWorkflows", json::object())["Workflows"][0]["WorkflowStatus"],
            "DELETING");
  EXPECT_EQ(world.run_state(arn, run), "STOPPING");
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  const AwsError start =
      world.error("StartWorkflowRun", {{"WorkflowArn", arn}}, "ConflictException");
  EXPECT_EQ(start.fields["ResourceType"], "Workflow");
  world.error("CreateWorkflow", world.create_request("orders", "orders.yaml"), "ConflictException");
  world.advance(sim::seconds(9));
  EXPECT_EQ(world.run_state(arn, run), "STOPPING");
  world.advance(sim::seconds(1));
  world.error("GetWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
  world.error("GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run}},
              "ResourceNotFoundException");
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.expect_invariants("after removal");
}

TEST(MwaaWorkflows, DeleteOneVersion) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const json update = {
      {"WorkflowArn", arn},
      {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
      {"RoleArn", kRole}};
  const std::string second = world.ok("UpdateWorkflow", update)["WorkflowVersion"];
  const std::string third = world.ok("UpdateWorkflow", update)["WorkflowVersion"];
  const std::string old_run = world.start(arn, {{"WorkflowVersion", third}});
  world.run_until_idle();

  const AwsError unknown = world.error(
      "DeleteWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", std::string(32, 'f')}},
      "ResourceNotFoundException");
  EXPECT_EQ(unknown.fields["ResourceType"], "WorkflowVersion");

  const json deleted =
      world.ok("DeleteWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", third}});
  EXPECT_EQ(deleted, (json{{"WorkflowArn", arn}, {"WorkflowVersion", third}}));
  const json versions =
      world.ok("ListWorkflowVersions", {{"WorkflowArn", arn}})["WorkflowVersions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1]["WorkflowVersion"], second);
  EXPECT_EQ(versions[1]["IsLatestVersion"], true);
  world.error("GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", old_run}},
              "ResourceNotFoundException");
  world.error("GetWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", third}},
              "ResourceNotFoundException");
  world.expect_invariants();
}

TEST(MwaaWorkflows, DeleteVersionWithActiveRunRemovesItOnceStopped) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const std::string first = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  world.ok("UpdateWorkflow",
           {{"WorkflowArn", arn},
            {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
            {"RoleArn", kRole}});
  const std::string run = world.start(arn, {{"WorkflowVersion", first}});
  world.advance(sim::minutes(1));
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", first}});
  EXPECT_EQ(world.run_state(arn, run), "STOPPING");
  world.expect_invariants("while stopping");
  world.run_until_idle();
  world.error("GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run}},
              "ResourceNotFoundException");
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowStatus"], "READY");
  world.expect_invariants("after removal");
}

TEST(MwaaWorkflows, DeleteWorkflowRemovesItsSchedule) {
  MwaaWorld world;
  const std::string arn = world.create("orders", scheduled_yaml());
  EXPECT_EQ(world.scheduler.pending(), 1u);
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.advance(sim::days(1));
  world.error("GetWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
}

TEST(MwaaWorkflows, DeletingTheLatestVersionArmsThePreviousSchedule) {
  MwaaWorld world;
  const std::string arn = world.create("orders", scheduled_yaml());
  const std::string manual =
      world.ok("UpdateWorkflow",
               {{"WorkflowArn", arn},
                {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
                {"RoleArn", kRole},
                {"TriggerMode", "MANUAL_ONLY"}})["WorkflowVersion"];
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", manual}});
  EXPECT_EQ(world.scheduler.pending(), 1u);
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["TriggerMode"], "SCHEDULED");
  world.expect_invariants();
  world.advance(sim::hours(1));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 1u);
}

TEST(MwaaWorkflows, DeletingTheLastVersionDeletesTheWorkflow) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const std::string version = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}, {"WorkflowVersion", version}});
  world.error("GetWorkflow", {{"WorkflowArn", arn}}, "ResourceNotFoundException");
}

TEST(MwaaWorkflows, ListWorkflowsPagesInCreationOrder) {
  MwaaWorld world;
  EXPECT_EQ(world.ok("ListWorkflows", json::object()), (json{{"Workflows", json::array()}}));
  std::vector<std::string> arns;
  for (int i = 0; i < 5; ++i) {
    world.put("w.yaml", chain_yaml());
    json request = world.create_request("w" + std::to_string(i), "w.yaml");
    if (i == 0) request["Description"] = "first";
    arns.push_back(world.ok("CreateWorkflow", request)["WorkflowArn"]);
    world.advance(sim::seconds(1));
  }
  std::vector<std::string> seen;
  json request = {{"MaxResults", 2}};
  int pages = 0;
  for (;;) {
    const json page = world.ok("ListWorkflows", request);
    ++pages;
    for (const auto& summary : page["Workflows"]) seen.push_back(summary["WorkflowArn"]);
    if (!page.contains("NextToken")) break;
    request["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, arns);
  const json first = world.ok("ListWorkflows", {{"MaxResults", 1}});
  const json summary = first["Workflows"][0];
  EXPECT_EQ(summary["Name"], "w0");
  EXPECT_EQ(summary["Description"], "first");
  EXPECT_EQ(summary["CreatedAt"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(summary["ModifiedAt"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(summary["WorkflowStatus"], "READY");
  EXPECT_EQ(summary["TriggerMode"], "MANUAL_ONLY");
  EXPECT_TRUE(summary.contains("WorkflowVersion"));
  // A token belongs to its list: another list or an edited token is a ValidationException.
  const std::string token = first["NextToken"];
  world.error("ListWorkflowVersions", {{"WorkflowArn", arns[0]}, {"NextToken", token}},
              "ValidationException");
  world.error("ListWorkflows", {{"NextToken", token + "0"}}, "ValidationException");
  world.error("ListWorkflows", {{"NextToken", "123"}}, "ValidationException");
}

TEST(MwaaWorkflows, ListWorkflowVersionsPagesAndIgnoresUnknownWorkflows) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const json update = {
      {"WorkflowArn", arn},
      {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
      {"RoleArn", kRole}};
  world.ok("UpdateWorkflow", update);
  world.ok("UpdateWorkflow", update);
  const json page1 = world.ok("ListWorkflowVersions", {{"WorkflowArn", arn}, {"MaxResults", 2}});
  ASSERT_EQ(page1["WorkflowVersions"].size(), 2u);
  const json page2 =
      world.ok("ListWorkflowVersions",
               {{"WorkflowArn", arn}, {"MaxResults", 2}, {"NextToken", page1["NextToken"]}});
  ASSERT_EQ(page2["WorkflowVersions"].size(), 1u);
  EXPECT_FALSE(page2.contains("NextToken"));
  EXPECT_EQ(page2["WorkflowVersions"][0]["IsLatestVersion"], true);
  const std::string other =
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/none-0123456789";
  EXPECT_EQ(world.ok("ListWorkflowVersions", {{"WorkflowArn", other}}),
            (json{{"WorkflowVersions", json::array()}}));
}

TEST(MwaaWorkflows, Tags) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml(), {{"Tags", {{"team", "data"}}}});
  EXPECT_EQ(world.ok("ListTagsForResource", {{"ResourceArn", arn}}),
            (json{{"Tags", {{"team", "data"}}}}));
  EXPECT_EQ(
      world.ok("TagResource", {{"ResourceArn", arn}, {"Tags", {{"env", "prod"}, {"team", "ml"}}}}),
      json::object());
  EXPECT_EQ(world.ok("ListTagsForResource", {{"ResourceArn", arn}})["Tags"],
            (json{{"env", "prod"}, {"team", "ml"}}));
  EXPECT_EQ(world.ok("UntagResource", {{"ResourceArn", arn}, {"TagKeys", {"env", "absent"}}}),
            json::object());
  EXPECT_EQ(world.ok("ListTagsForResource", {{"ResourceArn", arn}})["Tags"],
            (json{{"team", "ml"}}));

  std::map<std::string, std::string> many;
  for (int i = 0; i < 50; ++i) many["k" + std::to_string(i)] = "v";
  const AwsError too_many =
      world.error("TagResource", {{"ResourceArn", arn}, {"Tags", many}}, "ValidationException");
  EXPECT_EQ(too_many.fields["FieldList"][0]["Name"], "Tags");
  EXPECT_EQ(world.ok("ListTagsForResource", {{"ResourceArn", arn}})["Tags"].size(), 1u);

  world.ok("DeleteWorkflow", {{"WorkflowArn", arn}});
  for (const char* operation : {"TagResource", "UntagResource", "ListTagsForResource"}) {
    const json request = {{"ResourceArn", arn}, {"Tags", {{"a", "b"}}}, {"TagKeys", {"a"}}};
    const AwsError error = world.error(operation, request, "ResourceNotFoundException");
    EXPECT_EQ(error.fields["ResourceId"], arn);
  }
}

}  // namespace
}  // namespace wfsim::models::mwaa::testing
