// Glue workflow operations (workflows.cpp) and tags (tags.cpp): validation and every listed
// error of CreateWorkflow, UpdateWorkflow, DeleteWorkflow, GetWorkflow, ListWorkflows,
// BatchGetWorkflows, TagResource, UntagResource and GetTags, and their behaviour.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

const std::string kWorkflowArn = "arn:aws:glue:us-east-1:111122223333:workflow/";

json workflow_of(GlueWorld& world, const std::string& name, bool graph = false) {
  return world.ok("GetWorkflow", {{"Name", name}, {"IncludeGraph", graph}})["Workflow"];
}

json names_listed(GlueWorld& world) {
  return world.ok("ListWorkflows", json::object())["Workflows"];
}

TEST(GlueWorkflowsTest, CreateWorkflowRejectsEveryInvalidMemberAndCreatesNothing) {
  GlueWorld world;
  json many_tags = json::object();
  for (int i = 0; i < 51; ++i) many_tags["k" + std::to_string(i)] = "v";
  const json bad_requests[] = {
      json::object(),
      {{"Name", ""}},
      {{"Name", std::string(256, 'w')}},
      {{"Name", "line\nbreak"}},
      {{"Name", 7}},
      {{"Name", "w"}, {"Description", std::string(120001, 'd')}},
      {{"Name", "w"}, {"MaxConcurrentRuns", 0}},
      {{"Name", "w"}, {"MaxConcurrentRuns", "two"}},
      {{"Name", "w"}, {"DefaultRunProperties", {{"", "v"}}}},
      {{"Name", "w"}, {"DefaultRunProperties", {{"k", 1}}}},
      {{"Name", "w"}, {"Tags", many_tags}},
      {{"Name", "w"}, {"Tags", {{std::string(129, 'k'), "v"}}}},
  };
  for (const auto& request : bad_requests) {
    const auto error = world.error("CreateWorkflow", request, "InvalidInputException");
    EXPECT_EQ(error.fields.value("FromFederationSource", true), false) << request.dump();
  }
  EXPECT_TRUE(names_listed(world).empty());
}

TEST(GlueWorkflowsTest, NameLengthCountsUtf8Bytes) {
  GlueWorld world;
  std::string name;
  for (int i = 0; i < 128; ++i) name += "\xC3\xA9";  // 128 characters, 256 bytes
  world.error("CreateWorkflow", {{"Name", name}}, "InvalidInputException");
  world.ok("CreateWorkflow", {{"Name", name.substr(0, 254)}});
}

TEST(GlueWorkflowsTest, CreateWorkflowStoresEveryMember) {
  GlueWorld world;
  world.advance(sim::seconds(5));
  EXPECT_EQ(world.ok("CreateWorkflow", {{"Name", "nightly"},
                                        {"Description", "loads\nthe lake"},
                                        {"DefaultRunProperties", {{"day", "mon"}}},
                                        {"MaxConcurrentRuns", 2},
                                        {"Tags", {{"team", "data"}}}}),
            json({{"Name", "nightly"}}));
  const json workflow = workflow_of(world, "nightly");
  EXPECT_EQ(workflow["Name"], "nightly");
  EXPECT_EQ(workflow["Description"], "loads\nthe lake");
  EXPECT_EQ(workflow["DefaultRunProperties"], json({{"day", "mon"}}));
  EXPECT_EQ(workflow["MaxConcurrentRuns"], 2);
  EXPECT_EQ(workflow["CreationStatus"], "CREATED");
  EXPECT_DOUBLE_EQ(workflow["CreatedOn"].get<double>(), 1767225605.0);
  EXPECT_EQ(workflow["LastModifiedOn"], workflow["CreatedOn"]);
  EXPECT_FALSE(workflow.contains("LastRun"));
  EXPECT_FALSE(workflow.contains("Graph"));
  EXPECT_FALSE(workflow.contains("BlueprintDetails"));
  EXPECT_EQ(world.ok("GetTags", {{"ResourceArn", kWorkflowArn + "nightly"}})["Tags"],
            json({{"team", "data"}}));
}

TEST(GlueWorkflowsTest, CreateWorkflowErrors) {
  GlueWorld world(json{{"quotas", {{"workflows", 2}}}});
  world.workflow("a");
  world.error("CreateWorkflow", {{"Name", "a"}}, "AlreadyExistsException");
  world.workflow("b");
  world.error("CreateWorkflow", {{"Name", "c"}}, "ResourceNumberLimitExceededException");
  EXPECT_EQ(names_listed(world), json({"a", "b"}));
}

TEST(GlueWorkflowsTest, UpdateWorkflowKeepsOmittedMembers) {  // rule 9.15
  GlueWorld world;
  world.workflow(
      "w",
      {{"Description", "d"}, {"DefaultRunProperties", {{"k", "v"}}}, {"MaxConcurrentRuns", 3}});
  world.advance(sim::seconds(60));
  EXPECT_EQ(world.ok("UpdateWorkflow", {{"Name", "w"}, {"MaxConcurrentRuns", 1}}),
            json({{"Name", "w"}}));
  json workflow = workflow_of(world, "w");
  EXPECT_EQ(workflow["Description"], "d");
  EXPECT_EQ(workflow["DefaultRunProperties"], json({{"k", "v"}}));
  EXPECT_EQ(workflow["MaxConcurrentRuns"], 1);
  EXPECT_DOUBLE_EQ(workflow["LastModifiedOn"].get<double>() - workflow["CreatedOn"].get<double>(),
                   60.0);
  world.ok("UpdateWorkflow",
           {{"Name", "w"}, {"Description", ""}, {"DefaultRunProperties", {{"x", "y"}}}});
  workflow = workflow_of(world, "w");
  EXPECT_EQ(workflow["Description"], "");
  EXPECT_EQ(workflow["DefaultRunProperties"], json({{"x", "y"}}));
  EXPECT_EQ(workflow["MaxConcurrentRuns"], 1);
}

TEST(GlueWorkflowsTest, UpdateWorkflowErrors) {
  GlueWorld world;
  world.workflow("w", {{"MaxConcurrentRuns", 3}});
  world.error("UpdateWorkflow", {{"Name", "missing"}}, "EntityNotFoundException");
  world.error("UpdateWorkflow", {{"Name", "w"}, {"MaxConcurrentRuns", -1}},
              "InvalidInputException");
  world.error("UpdateWorkflow", json::object(), "InvalidInputException");
  EXPECT_EQ(workflow_of(world, "w")["MaxConcurrentRuns"], 3);
}

TEST(GlueWorkflowsTest, GetWorkflowErrors) {
  GlueWorld world;
  world.error("GetWorkflow", {{"Name", "missing"}}, "EntityNotFoundException");
  world.error("GetWorkflow", json::object(), "InvalidInputException");
  world.workflow("w");
  world.error("GetWorkflow", {{"Name", "w"}, {"IncludeGraph", "yes"}}, "InvalidInputException");
}

TEST(GlueWorkflowsTest, DeleteWorkflowIsIdempotentAndTakesTriggersAlong) {  // rule 9.14
  GlueWorld world;
  world.error("DeleteWorkflow", json::object(), "InvalidInputException");
  EXPECT_EQ(world.ok("DeleteWorkflow", {{"Name", "never-was"}}), json({{"Name", "never-was"}}));
  world.workflow("w");
  world.start_trigger("start", "w", {"j1"});
  world.conditional("next", "w", "j1", "SUCCEEDED", "j2");
  world.ok("CreateTrigger",
           {{"Name", "outside"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"JobName", "j1"}}}}});
  EXPECT_EQ(world.ok("DeleteWorkflow", {{"Name", "w"}}), json({{"Name", "w"}}));
  world.error("GetWorkflow", {{"Name", "w"}}, "EntityNotFoundException");
  world.error("GetTrigger", {{"Name", "start"}}, "EntityNotFoundException");
  world.error("GetTrigger", {{"Name", "next"}}, "EntityNotFoundException");
  world.ok("GetTrigger", {{"Name", "outside"}});
  world.ok("DeleteWorkflow", {{"Name", "w"}});
  world.run_until_idle();
  world.expect_invariants("after DeleteWorkflow");
}

// The runs go with the workflow; the job runs they launched keep going on their own.
TEST(GlueWorkflowsTest, DeleteWorkflowWithARunningRunLeavesItsJobRunsRunning) {
  GlueWorld world;
  world.job("j1");
  world.job("j2");
  world.workflow("w");
  world.start_trigger("start", "w", {"j1"});
  world.conditional("next", "w", "j1", "SUCCEEDED", "j2");
  const std::string run_id = world.start("w");
  world.advance(sim::seconds(20));
  const json job_runs = world.ok("GetJobRuns", {{"JobName", "j1"}})["JobRuns"];
  ASSERT_EQ(job_runs.size(), 1u);
  world.ok("DeleteWorkflow", {{"Name", "w"}});
  world.error("GetWorkflowRun", {{"Name", "w"}, {"RunId", run_id}}, "EntityNotFoundException");
  world.advance(sim::hours(1));
  const json finished =
      world.ok("GetJobRun", {{"JobName", "j1"}, {"RunId", job_runs[0]["Id"]}})["JobRun"];
  EXPECT_EQ(finished["JobRunState"], "SUCCEEDED");
  EXPECT_TRUE(world.ok("GetJobRuns", {{"JobName", "j2"}})["JobRuns"].empty());
  world.expect_invariants("after deleting a workflow with a running run");
}

// Fact sheet 6.1: J1 -> T -> J2 gives edges (J1, T) and (T, J2).
TEST(GlueWorkflowsTest, GetWorkflowIncludeGraphShowsTheStaticGraph) {
  GlueWorld world;
  world.workflow("w");
  world.start_trigger("start", "w", {"j1"});
  world.conditional("t", "w", "j1", "SUCCEEDED", "j2");
  const json graph = workflow_of(world, "w", true)["Graph"];
  std::map<std::string, std::string> names;  // UniqueId -> Type:Name
  for (const auto& node : graph["Nodes"]) {
    names[node["UniqueId"]] =
        node["Type"].get<std::string>() + ":" + node["Name"].get<std::string>();
    if (node["Type"] == "TRIGGER") {
      EXPECT_EQ(node["TriggerDetails"]["Trigger"]["Name"], node["Name"]);
    }
  }
  EXPECT_EQ(names.size(), 4u);
  std::multimap<std::string, std::string> edges;
  for (const auto& edge : graph["Edges"]) {
    edges.emplace(names[edge["SourceId"]], names[edge["DestinationId"]]);
  }
  const std::multimap<std::string, std::string> expected = {
      {"TRIGGER:start", "JOB:j1"}, {"JOB:j1", "TRIGGER:t"}, {"TRIGGER:t", "JOB:j2"}};
  EXPECT_EQ(edges, expected);
}

TEST(GlueWorkflowsTest, LastRunIsTheNewestRun) {
  GlueWorld world;
  world.job("j1");
  world.workflow("w");
  world.start_trigger("start", "w", {"j1"});
  const std::string first = world.start("w");
  world.advance(sim::hours(1));
  EXPECT_EQ(workflow_of(world, "w")["LastRun"]["WorkflowRunId"], first);
  const std::string second = world.start("w");
  const json last_run = workflow_of(world, "w")["LastRun"];
  EXPECT_EQ(last_run["WorkflowRunId"], second);
  EXPECT_EQ(last_run["Status"], "RUNNING");
  EXPECT_FALSE(last_run.contains("Graph"));
}

TEST(GlueWorkflowsTest, ListWorkflowsPagesInNameOrder) {
  GlueWorld world;
  for (const char* name : {"c", "a", "b"}) world.workflow(name);
  const json first = world.ok("ListWorkflows", {{"MaxResults", 2}});
  EXPECT_EQ(first["Workflows"], json({"a", "b"}));
  ASSERT_TRUE(first.contains("NextToken"));
  const json second =
      world.ok("ListWorkflows", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  EXPECT_EQ(second["Workflows"], json({"c"}));
  EXPECT_FALSE(second.contains("NextToken"));
  EXPECT_EQ(names_listed(world), json({"a", "b", "c"}));
  world.error("ListWorkflows", {{"NextToken", "forged"}}, "InvalidInputException");
  world.error("ListWorkflows", {{"MaxResults", 0}}, "InvalidInputException");
  world.error("ListWorkflows", {{"MaxResults", 26}}, "InvalidInputException");
}

TEST(GlueWorkflowsTest, BatchGetWorkflowsSplitsFoundAndMissing) {
  GlueWorld world;
  world.workflow("a");
  world.workflow("b");
  const json response = world.ok("BatchGetWorkflows", {{"Names", {"b", "nope", "a"}}});
  ASSERT_EQ(response["Workflows"].size(), 2u);
  EXPECT_EQ(response["Workflows"][0]["Name"], "b");
  EXPECT_EQ(response["Workflows"][1]["Name"], "a");
  EXPECT_FALSE(response["Workflows"][0].contains("Graph"));
  EXPECT_EQ(response["MissingWorkflows"], json({"nope"}));
  const json with_graph = world.ok("BatchGetWorkflows", {{"Names", {"a"}}, {"IncludeGraph", true}});
  EXPECT_TRUE(with_graph["Workflows"][0].contains("Graph"));
  world.error("BatchGetWorkflows", {{"Names", json::array()}}, "InvalidInputException");
  world.error("BatchGetWorkflows", json::object(), "InvalidInputException");
  json many = json::array();
  for (int i = 0; i < 26; ++i) many.push_back("w" + std::to_string(i));
  world.error("BatchGetWorkflows", {{"Names", many}}, "InvalidInputException");
}

// ---------------------------------------------------------------------------------------
// Tags.

TEST(GlueTagsTest, TagUntagAndGetOnEveryKind) {
  GlueWorld world;
  world.workflow("w");
  world.job("j");
  world.crawler("c");
  world.ok("CreateTrigger",
           {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"JobName", "j"}}}}});
  const std::string prefix = "arn:aws:glue:us-east-1:111122223333:";
  for (const std::string resource : {"workflow/w", "job/j", "crawler/c", "trigger/t"}) {
    const std::string arn = prefix + resource;
    EXPECT_EQ(
        world.ok("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", {{"a", "1"}, {"b", "2"}}}}),
        json::object());
    world.ok("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", {{"a", "one"}}}});
    EXPECT_EQ(world.ok("GetTags", {{"ResourceArn", arn}})["Tags"], json({{"a", "one"}, {"b", "2"}}))
        << resource;
    world.ok("UntagResource", {{"ResourceArn", arn}, {"TagsToRemove", {"b", "absent"}}});
    EXPECT_EQ(world.ok("GetTags", {{"ResourceArn", arn}})["Tags"], json({{"a", "one"}}));
  }
}

TEST(GlueTagsTest, Errors) {
  GlueWorld world;
  world.workflow("w");
  const std::string arn = kWorkflowArn + "w";
  for (const std::string bad :
       {"not-an-arn", "arn:aws:s3:::bucket/key", "arn:aws:glue:us-east-1:111122223333:table/x",
        "arn:aws:glue:us-east-1:111122223333:workflow"}) {
    world.error("GetTags", {{"ResourceArn", bad}}, "InvalidInputException");
    world.error("TagResource", {{"ResourceArn", bad}, {"TagsToAdd", {{"a", "1"}}}},
                "InvalidInputException");
  }
  world.error("GetTags", {{"ResourceArn", kWorkflowArn + "missing"}}, "EntityNotFoundException");
  world.error("GetTags", {{"ResourceArn", "arn:aws:glue:us-east-1:999999999999:workflow/w"}},
              "EntityNotFoundException");
  world.error("UntagResource", {{"ResourceArn", kWorkflowArn + "missing"}, {"TagsToRemove", {"a"}}},
              "EntityNotFoundException");
  world.error("GetTags", json::object(), "InvalidInputException");
  world.error("TagResource", {{"ResourceArn", arn}}, "InvalidInputException");
  world.error("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", {{"", "v"}}}},
              "InvalidInputException");
  world.error("UntagResource", {{"ResourceArn", arn}}, "InvalidInputException");
}

TEST(GlueTagsTest, AResourceHoldsAtMostFiftyTags) {
  GlueWorld world;
  world.workflow("w");
  const std::string arn = kWorkflowArn + "w";
  json forty = json::object();
  for (int i = 0; i < 40; ++i) forty["k" + std::to_string(i)] = "v";
  world.ok("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", forty}});
  json eleven = json::object();
  for (int i = 100; i < 111; ++i) eleven["k" + std::to_string(i)] = "v";
  world.error("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", eleven}},
              "InvalidInputException");
  EXPECT_EQ(world.ok("GetTags", {{"ResourceArn", arn}})["Tags"].size(), 40u);
  eleven.erase("k100");
  world.ok("TagResource", {{"ResourceArn", arn}, {"TagsToAdd", eleven}});
  EXPECT_EQ(world.ok("GetTags", {{"ResourceArn", arn}})["Tags"].size(), 50u);
}

}  // namespace
}  // namespace wfsim::models::glue::testing

namespace wfsim::models::glue::testing {
namespace {

// Configured throttling answers a call past the rate with ThrottlingException (HTTP 400, as
// Glue's JSON protocol sends it); an observation is answered but spends none of the rate.
TEST(GlueWorkflowsTest, ThrottlingFromConfigurationAndObservationsThatSpendNothing) {
  const json one_per_second = {{"requests_per_second", 1}, {"burst", 1}};
  GlueWorld world(json{{"throttle", {{"ListWorkflows", one_per_second}}}});
  for (int look = 0; look < 3; ++look) {
    EXPECT_TRUE(world.service->observe("ListWorkflows", json::object()).ok()) << look;
  }
  world.ok("ListWorkflows", json::object());
  const AwsError throttled = world.error("ListWorkflows", json::object(), "ThrottlingException");
  EXPECT_EQ(throttled.http_status, 400);
  // Other operations keep their own (absent) limit.
  world.ok("ListTriggers", json::object());
}

}  // namespace
}  // namespace wfsim::models::glue::testing
