// Workflow runs end to end: the chain J1 -> T -> J2, AND/ANY predicates, stop, resume,
// run properties, the concurrency cap, statistics and retention (fact sheet 6.3-6.10).
#include <gtest/gtest.h>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

// J1 -> T -> J2 in workflow "nightly": the start trigger starts J1, T starts J2 when J1
// SUCCEEDED.
void nightly_chain(GlueWorld& world, const json& workflow_extra = json::object()) {
  world.job("J1");
  world.job("J2");
  world.workflow("nightly", workflow_extra);
  world.start_trigger("start", "nightly", {"J1"});
  world.conditional("T", "nightly", "J1", "SUCCEEDED", "J2");
  world.advance(sim::seconds(5));  // triggers leave their transient states
}

json node_named(const json& run, const std::string& name) {
  for (const auto& node : run["Graph"]["Nodes"]) {
    if (node["Name"] == name) return node;
  }
  ADD_FAILURE() << "no node " << name << " in " << run.dump();
  return json::object();
}

std::vector<std::string> job_run_states(const json& run, const std::string& job) {
  std::vector<std::string> states;
  const json node = node_named(run, job);
  if (!node.contains("JobDetails")) return states;
  for (const auto& job_run : node["JobDetails"]["JobRuns"])
    states.push_back(job_run["JobRunState"]);
  return states;
}

TEST(GlueRuns, ChainRunsToCompletionAndCountsStatistics) {
  GlueWorld world;
  nightly_chain(world);
  const std::string run_id = world.start("nightly");
  EXPECT_EQ(run_id.rfind("wr_", 0), 0u);
  EXPECT_EQ(run_id.size(), 3u + 64u);
  json run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "RUNNING");
  EXPECT_EQ(run["Statistics"]["TotalActions"], 2);
  EXPECT_EQ(run["Statistics"]["RunningActions"], 1);
  world.run_until_idle();
  run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_TRUE(run.contains("CompletedOn"));
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 2);
  EXPECT_EQ(run["Statistics"]["RunningActions"], 0);
  EXPECT_EQ(job_run_states(run, "J2"), std::vector<std::string>{"SUCCEEDED"});
  const json j2 = node_named(run, "J2")["JobDetails"]["JobRuns"][0];
  EXPECT_EQ(j2["TriggerName"], "T");
  EXPECT_EQ(j2["PredecessorRuns"][0]["JobName"], "J1");
  world.expect_invariants();
}

TEST(GlueRuns, FailedUpstreamLeavesTheRestUnrunButTheRunCompletes) {
  GlueWorld world(nullptr, {{"job", {{"duration", 60}}},
                            {"jobs", {{"J1", {{"outcome", json::array({"FAILED"})}}}}}});
  nightly_chain(world);
  const std::string run_id = world.start("nightly");
  world.run_until_idle();
  const json run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["Statistics"]["FailedActions"], 1);
  EXPECT_EQ(run["Statistics"]["TotalActions"], 2);
  EXPECT_TRUE(job_run_states(run, "J2").empty());
}

TEST(GlueRuns, ResumeReRunsTheSelectedNodeAndWhatFollows) {
  GlueWorld world(nullptr,
                  {{"job", {{"duration", 60}}},
                   {"jobs", {{"J1", {{"outcome", json::array({"FAILED", "SUCCEEDED"})}}}}}});
  nightly_chain(world);
  const std::string first = world.start("nightly");
  world.run_until_idle();
  const json failed = world.run("nightly", first);
  const std::string j1_id = node_named(failed, "J1")["UniqueId"];
  const json resumed =
      world.ok("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {j1_id}}});
  ASSERT_TRUE(resumed.contains("RunId"));
  EXPECT_NE(resumed["RunId"], first);
  EXPECT_EQ(resumed["NodeIds"], json::array({j1_id}));
  world.run_until_idle();
  const json run = world.run("nightly", resumed["RunId"]);
  EXPECT_EQ(run["PreviousRunId"], first);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(job_run_states(run, "J2"), std::vector<std::string>{"SUCCEEDED"});
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 2);
  world.expect_invariants();
}

TEST(GlueRuns, ResumeDropsSelectedNodesDownstreamOfAnotherSelectedNode) {
  GlueWorld world;
  nightly_chain(world);
  const std::string first = world.start("nightly");
  world.run_until_idle();
  const json run = world.run("nightly", first);
  const std::string j1 = node_named(run, "J1")["UniqueId"];
  const std::string j2 = node_named(run, "J2")["UniqueId"];
  const json resumed =
      world.ok("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {j2, j1}}});
  EXPECT_EQ(resumed["NodeIds"], json::array({j1}));
  world.run_until_idle();
  const json again = world.run("nightly", resumed["RunId"]);
  EXPECT_EQ(job_run_states(again, "J1").size(), 1u);
  EXPECT_EQ(job_run_states(again, "J2").size(), 1u);
  // A resumed run can itself be resumed.
  world.ok("ResumeWorkflowRun",
           {{"Name", "nightly"}, {"RunId", resumed["RunId"]}, {"NodeIds", {j2}}});
}

TEST(GlueRuns, ResumeCopiesNodesThatAreNotReRun) {
  GlueWorld world;
  nightly_chain(world);
  const std::string first = world.start("nightly");
  world.run_until_idle();
  const json original = world.run("nightly", first);
  const std::string j2 = node_named(original, "J2")["UniqueId"];
  const json resumed =
      world.ok("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {j2}}});
  const json run = world.run("nightly", resumed["RunId"]);
  // J1 is copied with its original run; J2 runs again.
  EXPECT_EQ(node_named(run, "J1")["JobDetails"], node_named(original, "J1")["JobDetails"]);
  EXPECT_EQ(job_run_states(run, "J2"), std::vector<std::string>{"STARTING"});
}

// start -> {J1, J2}; T (ANY of J1, J2 SUCCEEDED) -> J3, in workflow "fan".
void any_fan(GlueWorld& world) {
  for (const char* job : {"J1", "J2", "J3"}) world.job(job);
  world.workflow("fan");
  world.start_trigger("start", "fan", {"J1", "J2"});
  world.ok("CreateTrigger",
           {{"Name", "T"},
            {"WorkflowName", "fan"},
            {"Type", "CONDITIONAL"},
            {"StartOnCreation", true},
            {"Predicate",
             {{"Logical", "ANY"},
              {"Conditions",
               {{{"LogicalOperator", "EQUALS"}, {"JobName", "J1"}, {"State", "SUCCEEDED"}},
                {{"LogicalOperator", "EQUALS"}, {"JobName", "J2"}, {"State", "SUCCEEDED"}}}}}},
            {"Actions", {{{"JobName", "J3"}}}}});
  world.advance(sim::seconds(5));
}

// Resuming J2 in the ANY fan copies J1, whose SUCCEEDED must not fire T again: J3 waits for
// the J2 that runs again.
TEST(GlueRuns, ResumedAnyTriggerWaitsForTheNodeThatRunsAgain) {
  GlueWorld world;
  any_fan(world);
  const std::string first = world.start("fan");
  world.run_until_idle();
  const std::string j2 = node_named(world.run("fan", first), "J2")["UniqueId"];
  const json resumed =
      world.ok("ResumeWorkflowRun", {{"Name", "fan"}, {"RunId", first}, {"NodeIds", {j2}}});
  const std::string again = resumed["RunId"];
  world.advance(sim::seconds(30));  // J2 is starting again
  EXPECT_EQ(job_run_states(world.run("fan", again), "J2"), std::vector<std::string>{"RUNNING"});
  EXPECT_TRUE(job_run_states(world.run("fan", again), "J3").empty());
  world.run_until_idle();
  const json run = world.run("fan", again);
  EXPECT_EQ(run["Status"], "COMPLETED");
  ASSERT_EQ(job_run_states(run, "J3"), std::vector<std::string>{"SUCCEEDED"});
  const json j3 = node_named(run, "J3")["JobDetails"]["JobRuns"][0];
  const std::string j2_again = node_named(run, "J2")["JobDetails"]["JobRuns"][0]["Id"];
  bool waited_for_j2 = false;
  for (const auto& predecessor : j3["PredecessorRuns"]) {
    waited_for_j2 = waited_for_j2 || predecessor["RunId"] == j2_again;
  }
  EXPECT_TRUE(waited_for_j2) << j3.dump();
  world.expect_invariants();
}

// The ANY fan, J2 failing every time: resumed, J2 fails again, and T then fires on the
// copied J1's SUCCEEDED, as it did in the original run, once nothing else runs.
TEST(GlueRuns, ResumedAnyTriggerFiresOnACopiedStateOnceNothingRuns) {
  GlueWorld world(nullptr, {{"job", {{"duration", 60}}},
                            {"jobs", {{"J2", {{"outcome", json::array({"FAILED"})}}}}}});
  any_fan(world);
  const std::string first = world.start("fan");
  world.run_until_idle();
  const json original = world.run("fan", first);
  ASSERT_EQ(job_run_states(original, "J3"), std::vector<std::string>{"SUCCEEDED"});
  const std::string j2 = node_named(original, "J2")["UniqueId"];
  const std::string again = world.ok(
      "ResumeWorkflowRun", {{"Name", "fan"}, {"RunId", first}, {"NodeIds", {j2}}})["RunId"];
  world.run_until_idle();
  const json run = world.run("fan", again);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(job_run_states(run, "J2"), std::vector<std::string>{"FAILED"});
  ASSERT_EQ(job_run_states(run, "J3"), std::vector<std::string>{"SUCCEEDED"});
  const json j3 = node_named(run, "J3")["JobDetails"]["JobRuns"][0];
  const json j2_again = node_named(run, "J2")["JobDetails"]["JobRuns"][0];
  EXPECT_GE(j3["StartedOn"].get<double>(), j2_again["CompletedOn"].get<double>());
  EXPECT_EQ(j3["PredecessorRuns"][0]["JobName"], "J1");
  world.expect_invariants();
}

TEST(GlueRuns, ResumeRules) {
  GlueWorld world;
  nightly_chain(world);
  const std::string first = world.start("nightly");
  const json running = world.run("nightly", first);
  const std::string j1 = node_named(running, "J1")["UniqueId"];
  const std::string j2 = node_named(running, "J2")["UniqueId"];
  const std::string trigger = node_named(running, "T")["UniqueId"];
  world.error("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {j1}}},
              "IllegalWorkflowStateException");
  world.run_until_idle();
  world.error("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {trigger}}},
              "InvalidInputException");
  world.error("ResumeWorkflowRun",
              {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {"wnode_x"}}},
              "InvalidInputException");
  world.error("ResumeWorkflowRun",
              {{"Name", "nightly"}, {"RunId", "wr_missing"}, {"NodeIds", {j1}}},
              "EntityNotFoundException");
  world.error("ResumeWorkflowRun", {{"Name", "other"}, {"RunId", first}, {"NodeIds", {j1}}},
              "EntityNotFoundException");
  world.error("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}},
              "InvalidInputException");
  (void)j2;
}

TEST(GlueRuns, ResumeOfANodeThatNeverRanIsInvalid) {
  GlueWorld world(nullptr, {{"job", {{"duration", 60}}},
                            {"jobs", {{"J1", {{"outcome", json::array({"FAILED"})}}}}}});
  nightly_chain(world);
  const std::string first = world.start("nightly");
  world.run_until_idle();
  const std::string j2 = node_named(world.run("nightly", first), "J2")["UniqueId"];
  const AwsError error =
      world.error("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", first}, {"NodeIds", {j2}}},
                  "InvalidInputException");
  EXPECT_NE(error.message.find("was not run"), std::string::npos) << error.message;
}

TEST(GlueRuns, StopStopsRunningJobsAndStartsNothingNew) {
  GlueWorld world;
  nightly_chain(world);
  const std::string run_id = world.start("nightly");
  world.advance(sim::seconds(20));
  world.ok("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", run_id}});
  EXPECT_EQ(world.run_status("nightly", run_id), "STOPPING");
  world.error("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", run_id}},
              "IllegalWorkflowStateException");
  world.run_until_idle();
  const json run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "STOPPED");
  EXPECT_EQ(job_run_states(run, "J1"), std::vector<std::string>{"STOPPED"});
  EXPECT_TRUE(job_run_states(run, "J2").empty());
  EXPECT_EQ(run["Statistics"]["StoppedActions"], 1);
  world.error("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", run_id}},
              "IllegalWorkflowStateException");
  world.expect_invariants();
}

// An update leaves an ACTIVATED trigger ACTIVATED and a run keeps its snapshot, so a
// predicate met while the trigger is UPDATING fires it in the run, with the snapshot's action.
TEST(GlueRuns, TriggerBeingUpdatedStillFiresInARunWithItsSnapshot) {
  GlueWorld world(json{{"timings", {{"trigger_transition", 600}}}});
  world.job("J1");
  world.job("J2");
  world.job("J3");
  world.workflow("nightly");
  world.start_trigger("start", "nightly", {"J1"});
  world.conditional("T", "nightly", "J1", "SUCCEEDED", "J2");
  world.advance(sim::seconds(1200));  // CREATING, then ACTIVATING, 600 s each
  const std::string run_id = world.start("nightly");
  const json update = {
      {"Name", "T"},
      {"TriggerUpdate",
       {{"Predicate", {{"Conditions", {{{"LogicalOperator", "EQUALS"}, {"JobName", "J1"},
                                        {"State", "SUCCEEDED"}}}}}},
        {"Actions", {{{"JobName", "J3"}}}}}}};
  EXPECT_EQ(world.ok("UpdateTrigger", update)["Trigger"]["State"], "UPDATING");
  world.advance(sim::seconds(300));  // J1 (10 s start-up, 60 s run) ends; T is still UPDATING
  EXPECT_EQ(world.ok("GetTrigger", {{"Name", "T"}})["Trigger"]["State"], "UPDATING");
  world.run_until_idle();
  const json run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(job_run_states(run, "J2"), std::vector<std::string>{"SUCCEEDED"});
  for (const auto& node : run["Graph"]["Nodes"]) EXPECT_NE(node["Name"], "J3");
  world.expect_invariants();
}

// A trigger stopped before its predicate is met does not fire in the run (rule 9.9).
TEST(GlueRuns, DeactivatedTriggerDoesNotFireInARun) {
  GlueWorld world;
  nightly_chain(world);
  const std::string run_id = world.start("nightly");
  world.ok("StopTrigger", {{"Name", "T"}});
  world.run_until_idle();
  const json run = world.run("nightly", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_TRUE(job_run_states(run, "J2").empty());
}

TEST(GlueRuns, AndWaitsForEveryConditionAnyFiresOnTheFirst) {
  GlueWorld world(nullptr, {{"job", {{"duration", 60}}}, {"jobs", {{"B", {{"duration", 600}}}}}});
  for (const char* job : {"A", "B", "AND_NEXT", "ANY_NEXT"}) world.job(job);
  world.workflow("fan");
  world.start_trigger("start", "fan", {"A", "B"});
  for (const std::string logical : {"AND", "ANY"}) {
    world.ok("CreateTrigger",
             {{"Name", logical + "_T"},
              {"WorkflowName", "fan"},
              {"Type", "CONDITIONAL"},
              {"StartOnCreation", true},
              {"Predicate",
               {{"Logical", logical},
                {"Conditions",
                 {{{"LogicalOperator", "EQUALS"}, {"JobName", "A"}, {"State", "SUCCEEDED"}},
                  {{"LogicalOperator", "EQUALS"}, {"JobName", "B"}, {"State", "SUCCEEDED"}}}}}},
              {"Actions", {{{"JobName", logical + "_NEXT"}}}}});
  }
  world.advance(sim::seconds(5));
  const std::string run_id = world.start("fan");
  world.advance(sim::seconds(120));  // A is done, B still runs
  json run = world.run("fan", run_id);
  EXPECT_EQ(job_run_states(run, "ANY_NEXT").size(), 1u);
  EXPECT_TRUE(job_run_states(run, "AND_NEXT").empty());
  world.run_until_idle();
  run = world.run("fan", run_id);
  EXPECT_EQ(job_run_states(run, "AND_NEXT").size(), 1u);
  EXPECT_EQ(job_run_states(run, "ANY_NEXT").size(), 1u);  // fired once only
  EXPECT_EQ(run["Status"], "COMPLETED");
}

TEST(GlueRuns, RunPropertiesOverlayDefaultsAndMergeOnPut) {
  GlueWorld world;
  nightly_chain(world, {{"DefaultRunProperties", {{"env", "prod"}, {"day", "mon"}}}});
  const std::string run_id = world.start("nightly", {{"RunProperties", {{"day", "tue"}}}});
  json properties = world.ok("GetWorkflowRunProperties",
                             {{"Name", "nightly"}, {"RunId", run_id}})["RunProperties"];
  EXPECT_EQ(properties, json({{"env", "prod"}, {"day", "tue"}}));
  world.ok("PutWorkflowRunProperties",
           {{"Name", "nightly"}, {"RunId", run_id}, {"RunProperties", {{"out", "s3://x"}}}});
  properties = world.ok("GetWorkflowRunProperties",
                        {{"Name", "nightly"}, {"RunId", run_id}})["RunProperties"];
  EXPECT_EQ(properties, json({{"env", "prod"}, {"day", "tue"}, {"out", "s3://x"}}));
  world.error("PutWorkflowRunProperties", {{"Name", "nightly"}, {"RunId", run_id}},
              "InvalidInputException");
  world.error("PutWorkflowRunProperties",
              {{"Name", "nightly"}, {"RunId", run_id}, {"RunProperties", {{"", "x"}}}},
              "InvalidInputException");
  world.error("GetWorkflowRunProperties", {{"Name", "nightly"}, {"RunId", "wr_nope"}},
              "EntityNotFoundException");
}

TEST(GlueRuns, ConcurrencyCapRefusesApiStarts) {
  GlueWorld world;
  nightly_chain(world, {{"MaxConcurrentRuns", 1}});
  world.start("nightly");
  const AwsError error =
      world.error("StartWorkflowRun", {{"Name", "nightly"}}, "ConcurrentRunsExceededException");
  EXPECT_EQ(error.message, "Concurrent runs exceeded for workflow: nightly");
  const json runs = world.ok("GetWorkflowRuns", {{"Name", "nightly"}})["Runs"];
  EXPECT_EQ(runs.size(), 1u);
  world.run_until_idle();
  world.start("nightly");
  world.expect_invariants();
}

TEST(GlueRuns, WorkflowWithoutStartTriggerCompletesAtOnce) {
  GlueWorld world;
  world.workflow("empty");
  const std::string run_id = world.start("empty");
  const json run = world.run("empty", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["Statistics"]["TotalActions"], 0);
}

TEST(GlueRuns, GetWorkflowRunsIsNewestFirstAndPaginated) {
  GlueWorld world;
  world.workflow("empty");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(world.start("empty"));
    world.advance(sim::seconds(1));
  }
  json page = world.ok("GetWorkflowRuns", {{"Name", "empty"}, {"MaxResults", 2}});
  ASSERT_EQ(page["Runs"].size(), 2u);
  EXPECT_EQ(page["Runs"][0]["WorkflowRunId"], ids[4]);
  EXPECT_EQ(page["Runs"][1]["WorkflowRunId"], ids[3]);
  std::vector<std::string> seen;
  json request = {{"Name", "empty"}, {"MaxResults", 2}};
  while (true) {
    page = world.ok("GetWorkflowRuns", request);
    for (const auto& run : page["Runs"]) seen.push_back(run["WorkflowRunId"]);
    if (!page.contains("NextToken")) break;
    request["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(seen, std::vector<std::string>(ids.rbegin(), ids.rend()));
  world.error("GetWorkflowRuns", {{"Name", "empty"}, {"NextToken", "forged"}},
              "InvalidInputException");
  world.error("GetWorkflowRuns", {{"Name", "empty"}, {"MaxResults", 1001}},
              "InvalidInputException");
  world.error("GetWorkflowRuns", {{"Name", "none"}}, "EntityNotFoundException");
}

TEST(GlueRuns, RunsExpireNinetyDaysAfterCompletion) {
  GlueWorld world;
  world.workflow("empty");
  const std::string run_id = world.start("empty");
  world.advance(sim::hours(24 * 90) - sim::seconds(1));
  world.ok("GetWorkflowRun", {{"Name", "empty"}, {"RunId", run_id}});
  world.advance(sim::seconds(1));
  world.error("GetWorkflowRun", {{"Name", "empty"}, {"RunId", run_id}}, "EntityNotFoundException");
}

TEST(GlueRuns, RunOperationsValidateEveryMember) {
  GlueWorld world;
  world.workflow("w");
  world.error("StartWorkflowRun", json::object(), "InvalidInputException");
  world.error("StartWorkflowRun", {{"Name", std::string(256, 'a')}}, "InvalidInputException");
  world.error("StartWorkflowRun", {{"Name", "bad\nname"}}, "InvalidInputException");
  world.error("StartWorkflowRun", {{"Name", "w"}, {"RunProperties", {{"k", 1}}}},
              "InvalidInputException");
  world.error("StartWorkflowRun", {{"Name", "missing"}}, "EntityNotFoundException");
  world.error("GetWorkflowRun", {{"Name", "w"}}, "InvalidInputException");
  world.error("GetWorkflowRun", {{"Name", "w"}, {"RunId", "wr_1"}, {"IncludeGraph", "yes"}},
              "InvalidInputException");
  world.error("StopWorkflowRun", {{"Name", "w"}, {"RunId", "wr_1"}}, "EntityNotFoundException");
  const AwsError error = world.error("StartWorkflowRun", {{"Name", ""}}, "InvalidInputException");
  EXPECT_NE(error.message.find("Name"), std::string::npos) << error.message;
  EXPECT_EQ(error.fields["FromFederationSource"], false);
  // 255 bytes is the limit, in bytes (rule 9.19): 128 two-byte characters are too long.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xc3\xa9";
  world.error("StartWorkflowRun", {{"Name", wide}}, "InvalidInputException");
}

}  // namespace
}  // namespace wfsim::models::glue::testing
