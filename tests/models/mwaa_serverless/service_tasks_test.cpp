// Task instances of the MWAA Serverless service (fact sheet 7, 9.3, 12.4, 12.9): the twelve
// Airflow 3 trigger rules, retries, execution timeouts, the leaf rule for the run's state,
// and GetTaskInstance / ListTaskInstances.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "models/mwaa_serverless/trigger_rules.hpp"
#include "tests/models/mwaa_serverless/service_fixture.hpp"

namespace wfsim::models::mwaa::testing {
namespace {

using Decision = TriggerDecision;

// Fixed timings: RUNNING at 5 s, 4 s in QUEUED per attempt.
json fixed_timings() {
  return {{"timings",
           {{"queue_delay", 2}, {"startup", 3}, {"task_queue_delay", 4}, {"stop_delay", 6}}}};
}

json task_profiles(const std::string& workflow, const json& tasks,
                   const json& default_task = {{"duration", 10}}) {
  return {{"task", default_task}, {"workflows", {{workflow, {{"tasks", tasks}}}}}};
}

std::string at(int seconds) { return sim::format_rfc3339(kStart + sim::seconds(seconds)); }

struct RuleRow {
  TriggerRule rule;
  UpstreamCounts counts;  // total, success, failed, upstream_failed
  Decision expected;
};

TEST(MwaaTriggerRules, DecisionTable) {
  const UpstreamCounts none_done{3, 0, 0, 0};
  const UpstreamCounts one_success{3, 1, 0, 0};
  const UpstreamCounts one_failed{3, 0, 1, 0};
  const UpstreamCounts one_upstream_failed{3, 0, 0, 1};
  const UpstreamCounts all_success{3, 3, 0, 0};
  const UpstreamCounts all_failed{3, 0, 2, 1};
  const UpstreamCounts mixed_done{3, 1, 1, 1};
  const std::vector<RuleRow> rows = {
      {TriggerRule::all_success, none_done, Decision::wait},
      {TriggerRule::all_success, one_success, Decision::wait},
      {TriggerRule::all_success, one_failed, Decision::upstream_failed},
      {TriggerRule::all_success, one_upstream_failed, Decision::upstream_failed},
      {TriggerRule::all_success, all_success, Decision::run},
      {TriggerRule::all_failed, one_failed, Decision::wait},
      {TriggerRule::all_failed, one_success, Decision::upstream_failed},
      {TriggerRule::all_failed, all_failed, Decision::run},
      {TriggerRule::all_done, mixed_done, Decision::run},
      {TriggerRule::all_done, one_failed, Decision::wait},
      {TriggerRule::all_done_setup_success, mixed_done, Decision::run},
      {TriggerRule::all_done_setup_success, one_success, Decision::wait},
      {TriggerRule::one_success, none_done, Decision::wait},
      {TriggerRule::one_success, one_success, Decision::run},
      {TriggerRule::one_success, all_failed, Decision::upstream_failed},
      {TriggerRule::one_failed, one_success, Decision::wait},
      {TriggerRule::one_failed, one_upstream_failed, Decision::run},
      {TriggerRule::one_failed, all_success, Decision::upstream_failed},
      {TriggerRule::one_done, one_upstream_failed, Decision::wait},
      {TriggerRule::one_done, one_failed, Decision::run},
      {TriggerRule::one_done, UpstreamCounts{2, 0, 0, 2}, Decision::upstream_failed},
      {TriggerRule::none_failed, one_success, Decision::wait},
      {TriggerRule::none_failed, all_success, Decision::run},
      {TriggerRule::none_failed, one_upstream_failed, Decision::upstream_failed},
      {TriggerRule::none_failed_min_one_success, one_success, Decision::wait},
      {TriggerRule::none_failed_min_one_success, all_success, Decision::run},
      {TriggerRule::none_failed_min_one_success, one_failed, Decision::upstream_failed},
      {TriggerRule::none_skipped, one_success, Decision::wait},
      {TriggerRule::none_skipped, mixed_done, Decision::run},
      {TriggerRule::all_skipped, none_done, Decision::wait},
      {TriggerRule::all_skipped, one_success, Decision::upstream_failed},
      {TriggerRule::always, none_done, Decision::run},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(decide_trigger(row.rule, row.counts), row.expected)
        << to_string(row.rule) << " success=" << row.counts.success
        << " failed=" << row.counts.failed << " upstream_failed=" << row.counts.upstream_failed;
  }
  for (std::size_t i = 0; i < kTriggerRuleCount; ++i) {
    const auto rule = static_cast<TriggerRule>(i);
    EXPECT_EQ(decide_trigger(rule, UpstreamCounts{}), Decision::run) << to_string(rule);
    EXPECT_EQ(trigger_rule_from_string(to_string(rule)), rule);
  }
  EXPECT_FALSE(trigger_rule_from_string("all_succeeded").has_value());
}

struct RuleCase {
  std::string rule;
  std::string downstream_status;  // with one upstream SUCCESS and one FAILED
};

// Each rule end to end: "good" succeeds, "bad" fails (no retries), "last" depends on both.
// "last" is the only leaf, so the run succeeds exactly when it does (the leaf rule, 12.9).
TEST(MwaaTriggerRules, EveryRuleEndToEnd) {
  const std::vector<RuleCase> cases = {
      {"all_success", "UPSTREAM_FAILED"},
      {"all_failed", "UPSTREAM_FAILED"},
      {"all_done", "SUCCESS"},
      {"all_done_setup_success", "SUCCESS"},
      {"one_success", "SUCCESS"},
      {"one_failed", "SUCCESS"},
      {"one_done", "SUCCESS"},
      {"none_failed", "UPSTREAM_FAILED"},
      {"none_failed_min_one_success", "UPSTREAM_FAILED"},
      {"none_skipped", "SUCCESS"},
      {"all_skipped", "UPSTREAM_FAILED"},
      {"always", "SUCCESS"},
  };
  ASSERT_EQ(cases.size(), kTriggerRuleCount);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.rule);
    MwaaWorld world(fixed_timings(), task_profiles("rules", {{"bad", {{"outcome", {"FAILED"}}}}}));
    const std::string arn = world.create(
        "rules",
        dag_yaml(
            "rules",
            {{"good", ""},
             {"bad", "      retries: 0\n"},
             {"last", "      dependencies: [good, bad]\n      trigger_rule: " + c.rule + "\n"}}));
    const std::string run = world.start(arn);
    world.run_until_idle();
    const auto statuses = world.task_statuses(arn, run);
    EXPECT_EQ(statuses.at("good"), std::vector<std::string>{"SUCCESS"});
    EXPECT_EQ(statuses.at("bad"), std::vector<std::string>{"FAILED"});
    EXPECT_EQ(statuses.at("last"), std::vector<std::string>{c.downstream_status});
    const json detail = world.run(arn, run)["RunDetail"];
    const bool success = c.downstream_status == "SUCCESS";
    EXPECT_EQ(detail["RunState"], success ? "SUCCESS" : "FAILED");
    EXPECT_EQ(detail.value("ErrorMessage", ""), success ? "" : "Workflow execution failed");
    world.expect_invariants();
  }
}

TEST(MwaaTriggerRules, EarlyRulesRunBeforeEveryUpstreamIsDone) {
  MwaaWorld world(fixed_timings(), task_profiles("early", {{"slow", {{"duration", 100}}}}));
  const std::string arn = world.create(
      "early",
      dag_yaml("early",
               {{"fast", ""},
                {"slow", ""},
                {"after", "      dependencies: [fast, slow]\n      trigger_rule: one_success\n"}}));
  const std::string run = world.start(arn);
  world.advance(sim::seconds(25));  // fast ends at 19 s; after queued then, running at 23 s
  EXPECT_EQ(world.task_statuses(arn, run).at("after"), std::vector<std::string>{"RUNNING"});
  EXPECT_EQ(world.task_statuses(arn, run).at("slow"), std::vector<std::string>{"RUNNING"});
  world.expect_invariants();
  world.run_until_idle();
  EXPECT_EQ(world.run_state(arn, run), "SUCCESS");
}

TEST(MwaaTasks, UpstreamFailureCascadesDownTheChain) {
  MwaaWorld world(fixed_timings(), task_profiles("chain", {{"a", {{"outcome", {"FAILED"}}}}}));
  const std::string arn =
      world.create("chain", dag_yaml("chain", {{"a", "      retries: 0\n"},
                                               {"b", "      dependencies: [a]\n"},
                                               {"c", "      dependencies: [b]\n"}}));
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "FAILED");
  EXPECT_EQ(detail["CompletedOn"], at(19));
  const json c = world.task_instance(arn, run, detail["TaskInstances"][2]);
  EXPECT_EQ(c["Status"], "UPSTREAM_FAILED");
  EXPECT_EQ(c["EndedAt"], at(19));
  EXPECT_FALSE(c.contains("StartedAt"));
  EXPECT_FALSE(c.contains("DurationInSeconds"));
  EXPECT_EQ(c["ErrorMessage"],
            "Trigger rule all_success can no longer be met by the upstream tasks");
  const json a = world.task_instance(arn, run, detail["TaskInstances"][0]);
  EXPECT_EQ(a["Status"], "FAILED");
  EXPECT_EQ(a["ErrorMessage"], "Task execution failed");
  world.expect_invariants();
}

TEST(MwaaTasks, AllDoneLeafMakesTheRunSucceedDespiteAFailure) {
  MwaaWorld world(fixed_timings(), task_profiles("cleanup", {{"work", {{"outcome", {"FAILED"}}}}}));
  const std::string arn = world.create(
      "cleanup",
      dag_yaml("cleanup",
               {{"work", "      retries: 0\n"},
                {"tidy", "      dependencies: [work]\n      trigger_rule: all_done\n"}}));
  const std::string run = world.start(arn);
  world.run_until_idle();
  EXPECT_EQ(world.run_state(arn, run), "SUCCESS");
}

TEST(MwaaTasks, RetriesMakeNewInstancesPerAttempt) {
  MwaaWorld world(fixed_timings(),
                  task_profiles("flaky", {{"a", {{"outcome", {"FAILED", "FAILED", "SUCCESS"}}}}}));
  const std::string arn = world.create(
      "flaky", dag_yaml("flaky", {{"a", "      retries: 2\n      retry_delay: 30\n"}}));
  const std::string run = world.start(arn);
  world.advance(sim::seconds(20));  // attempt 1 ends at 19 s
  json ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  ASSERT_EQ(ids.size(), 1u);
  world.advance(sim::seconds(28));
  EXPECT_EQ(world.run(arn, run)["RunDetail"]["TaskInstances"].size(), 1u);
  world.advance(sim::seconds(1));  // attempt 2 created at 49 s
  ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  ASSERT_EQ(ids.size(), 2u);
  world.expect_invariants("waiting for retry");
  world.run_until_idle();
  ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  ASSERT_EQ(ids.size(), 3u);
  const std::vector<std::string> statuses = {"UP_FOR_RETRY", "UP_FOR_RETRY", "SUCCESS"};
  for (std::size_t i = 0; i < 3; ++i) {
    const json instance = world.task_instance(arn, run, ids[i]);
    EXPECT_EQ(instance["Status"], statuses[i]);
    EXPECT_EQ(instance["AttemptNumber"], static_cast<int>(i + 1));
    EXPECT_EQ(instance["TaskId"], "a");
    EXPECT_EQ(ids[i].get<std::string>().substr(ids[i].get<std::string>().size() - 4),
              "_a_" + std::to_string(i + 1));
  }
  const json first = world.task_instance(arn, run, ids[0]);
  EXPECT_EQ(first["ErrorMessage"], "Task execution failed; attempt 2 will follow");
  EXPECT_EQ(first["EndedAt"], at(19));
  const json second = world.task_instance(arn, run, ids[1]);
  EXPECT_EQ(second["StartedAt"], at(53));
  EXPECT_EQ(world.run(arn, run)["RunDetail"]["CompletedOn"], at(19 + 30 + 14 + 30 + 14));
  EXPECT_EQ(world.run_state(arn, run), "SUCCESS");
  world.expect_invariants();
}

TEST(MwaaTasks, RetriesComeFromDefaultArgsAndRunOut) {
  MwaaWorld world(fixed_timings(), task_profiles("giveup", {{"a", {{"outcome", {"FAILED"}}}}}));
  const std::string arn =
      world.create("giveup", dag_yaml("giveup", {{"a", ""}, {"b", "      dependencies: [a]\n"}},
                                      "  default_args:\n    retries: 1\n    retry_delay: 5\n"));
  const std::string run = world.start(arn);
  world.run_until_idle();
  const auto statuses = world.task_statuses(arn, run);
  EXPECT_EQ(statuses.at("a"), (std::vector<std::string>{"UP_FOR_RETRY", "FAILED"}));
  EXPECT_EQ(statuses.at("b"), std::vector<std::string>{"UPSTREAM_FAILED"});
  EXPECT_EQ(world.run(arn, run)["RunDetail"]["ErrorMessage"], "Workflow execution failed");
}

const char* kOneMinuteTimeout =
    "      execution_timeout:\n        __type__: datetime.timedelta\n        minutes: 1\n";

TEST(MwaaTasks, AttemptLongerThanExecutionTimeoutTimesOut) {
  MwaaWorld world(fixed_timings(), task_profiles("slow", {{"a", {{"duration", 120}}}}));
  const std::string arn = world.create(
      "slow", dag_yaml("slow", {{"a", std::string("      retries: 0\n") + kOneMinuteTimeout}}));
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "FAILED");
  const json a = world.task_instance(arn, run, detail["TaskInstances"][0]);
  EXPECT_EQ(a["Status"], "TIMEOUT");
  EXPECT_EQ(a["DurationInSeconds"], 60);
  EXPECT_EQ(a["StartedAt"], at(9));
  EXPECT_EQ(a["EndedAt"], at(69));
  EXPECT_EQ(a["ErrorMessage"], "Task execution timed out after 60 seconds (execution_timeout)");
}

TEST(MwaaTasks, ProfileTimeoutRunsIntoTheTimeoutAndRetries) {
  MwaaWorld world(
      fixed_timings(),
      task_profiles("stuck", {{"a", {{"duration", 5}, {"outcome", {"TIMEOUT", "SUCCESS"}}}}}));
  const std::string arn = world.create(
      "stuck", dag_yaml("stuck", {{"a", std::string("      retries: 1\n      retry_delay: 0\n") +
                                            kOneMinuteTimeout}}));
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  ASSERT_EQ(ids.size(), 2u);
  const json first = world.task_instance(arn, run, ids[0]);
  EXPECT_EQ(first["Status"], "UP_FOR_RETRY");
  EXPECT_EQ(first["DurationInSeconds"], 60);
  EXPECT_EQ(first["ErrorMessage"],
            "Task execution timed out after 60 seconds (execution_timeout); attempt 2 will follow");
  EXPECT_EQ(world.task_instance(arn, run, ids[1])["DurationInSeconds"], 5);
  EXPECT_EQ(world.run_state(arn, run), "SUCCESS");
}

TEST(MwaaTasks, GetTaskInstanceAnswersEveryMember) {
  const json profiles =
      task_profiles("orders", {{"a", {{"xcom", {{"rows", "42"}, {"run", "{{ run_id }}"}}}}}});
  MwaaWorld world(fixed_timings(), profiles);
  const std::string arn = world.create("orders", chain_yaml("orders"));
  const std::string version = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  const std::string run = world.start(arn);
  world.advance(sim::seconds(6));
  const std::string id = world.run(arn, run)["RunDetail"]["TaskInstances"][0];
  const json queued = world.task_instance(arn, run, id);
  EXPECT_EQ(queued["Status"], "QUEUED");
  for (const char* member : {"StartedAt", "EndedAt", "DurationInSeconds", "ErrorMessage", "Xcom"}) {
    EXPECT_FALSE(queued.contains(member)) << member;
  }
  const json waiting =
      world.task_instance(arn, run, world.run(arn, run)["RunDetail"]["TaskInstances"][1]);
  EXPECT_EQ(waiting["Status"], "NONE");
  world.run_until_idle();
  const json got = world.task_instance(arn, run, id);
  EXPECT_EQ(got["WorkflowArn"], arn);
  EXPECT_EQ(got["RunId"], run);
  EXPECT_EQ(got["TaskInstanceId"], id);
  EXPECT_EQ(got["WorkflowVersion"], version);
  EXPECT_EQ(got["Status"], "SUCCESS");
  EXPECT_EQ(got["DurationInSeconds"], 10);
  EXPECT_EQ(got["OperatorName"], "EmptyOperator");
  EXPECT_EQ(got["ModifiedAt"], at(19));
  EXPECT_EQ(got["StartedAt"], at(9));
  EXPECT_EQ(got["EndedAt"], at(19));
  EXPECT_EQ(got["AttemptNumber"], 1);
  EXPECT_FALSE(got.contains("ErrorMessage"));
  EXPECT_EQ(got["TaskId"], "a");
  const std::string resource = arn.substr(arn.find("workflow/") + 9);
  EXPECT_EQ(got["LogStream"],
            "workflow_id=" + resource + "/run_id=" + run + "/task_id=a/attempt=1.log");
  EXPECT_EQ(got["Xcom"], (json{{"rows", "42"}, {"run", run}}));
  EXPECT_FALSE(world.task_instance(arn, run, world.run(arn, run)["RunDetail"]["TaskInstances"][1])
                   .contains("Xcom"));
}

TEST(MwaaTasks, GetTaskInstanceErrors) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml("orders"));
  const std::string run = world.start(arn);
  const std::string other_run = world.start(arn);
  world.run_until_idle();
  const std::string id = world.run(arn, run)["RunDetail"]["TaskInstances"][0];
  const std::string unknown =
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/x-0123456789";
  EXPECT_EQ(world
                .error("GetTaskInstance",
                       {{"WorkflowArn", unknown}, {"RunId", run}, {"TaskInstanceId", id}},
                       "ResourceNotFoundException")
                .fields["ResourceType"],
            "Workflow");
  EXPECT_EQ(world
                .error("GetTaskInstance",
                       {{"WorkflowArn", arn}, {"RunId", "nope"}, {"TaskInstanceId", id}},
                       "ResourceNotFoundException")
                .fields["ResourceType"],
            "WorkflowRun");
  for (const std::string& bad :
       {id.substr(0, id.size() - 1) + "2", id.substr(0, id.size() - 3) + "z_1",
        std::string("ex_1_a_1"), id + "_1"}) {
    const AwsError error = world.error(
        "GetTaskInstance", {{"WorkflowArn", arn}, {"RunId", run}, {"TaskInstanceId", bad}},
        "ResourceNotFoundException");
    EXPECT_EQ(error.fields["ResourceType"], "TaskInstance");
    EXPECT_EQ(error.fields["ResourceId"], bad);
  }
  world.error("GetTaskInstance",
              {{"WorkflowArn", arn}, {"RunId", other_run}, {"TaskInstanceId", id}},
              "ResourceNotFoundException");
}

// A task id may have 250 characters (12.4) but a TaskInstanceId at most 255 (section 3): a
// long task id is shortened in the instance id, and the id still finds its instance.
TEST(MwaaTasks, LongTaskIdsGiveInstanceIdsWithinTheIdStringLimit) {
  const std::string head(230, 'x');
  const std::string first = head + "1";
  const std::string second = head + "2";
  const std::string short_id(213, 'y');  // the longest task id shown whole at attempt 1
  MwaaWorld world;
  const std::string arn =
      world.create("long", dag_yaml("long", {{first, ""}, {second, ""}, {short_id, ""}}));
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  ASSERT_EQ(ids.size(), 3u);
  const std::regex id_string("^[a-zA-Z0-9]+[a-zA-Z0-9\\.\\-_]*$");
  std::set<std::string> distinct;
  for (const json& id : ids) {
    const std::string text = id.get<std::string>();
    EXPECT_LE(text.size(), 255u) << text;
    EXPECT_TRUE(std::regex_match(text, id_string)) << text;
    distinct.insert(text);
    const json detail = world.task_instance(arn, run, text);
    EXPECT_EQ(detail["TaskInstanceId"], text);
    EXPECT_EQ(detail["Status"], "SUCCESS");
  }
  EXPECT_EQ(distinct.size(), 3u);
  std::set<std::string> task_ids;
  for (const json& id : ids) task_ids.insert(world.task_instance(arn, run, id)["TaskId"]);
  EXPECT_EQ(task_ids, (std::set<std::string>{first, second, short_id}));
  EXPECT_NE(ids.dump().find("_" + short_id + "_1"), std::string::npos) << "shown whole";
}

TEST(MwaaTasks, ListTaskInstancesPagesInCreationOrder) {
  MwaaWorld world(fixed_timings());
  const std::string arn = world.create(
      "wide", dag_yaml("wide", {{"t1", ""}, {"t2", ""}, {"t3", ""}, {"t4", ""}, {"t5", ""}}));
  const std::string version = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json all_ids = world.run(arn, run)["RunDetail"]["TaskInstances"];
  std::vector<json> seen;
  json request = {{"WorkflowArn", arn}, {"RunId", run}, {"MaxResults", 2}};
  for (;;) {
    const json page = world.ok("ListTaskInstances", request);
    for (const auto& summary : page["TaskInstances"]) seen.push_back(summary);
    if (!page.contains("NextToken")) break;
    request["NextToken"] = page["NextToken"];
  }
  ASSERT_EQ(seen.size(), 5u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i]["TaskInstanceId"], all_ids[i]);
  EXPECT_EQ(seen[0]["WorkflowArn"], arn);
  EXPECT_EQ(seen[0]["WorkflowVersion"], version);
  EXPECT_EQ(seen[0]["RunId"], run);
  EXPECT_EQ(seen[0]["Status"], "SUCCESS");
  EXPECT_EQ(seen[0]["OperatorName"], "EmptyOperator");
  EXPECT_TRUE(seen[0]["DurationInSeconds"].is_number_integer());
  EXPECT_EQ(world.ok("ListTaskInstances", {{"WorkflowArn", arn}, {"RunId", "none"}}),
            (json{{"TaskInstances", json::array()}}));
}

}  // namespace
}  // namespace wfsim::models::mwaa::testing
