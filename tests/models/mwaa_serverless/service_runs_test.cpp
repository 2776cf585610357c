// Workflow runs of the MWAA Serverless service (fact sheet 7, 8, 9.2, 12.6-12.9): the run
// lifecycle through the scheduler, every response member, idempotency, quotas, stopping,
// run-time definition errors, timeouts, schedules, throttling, faults and configuration.
#include <regex>

#include <gtest/gtest.h>

#include "tests/models/mwaa_serverless/service_fixture.hpp"

namespace wfsim::models::mwaa::testing {
namespace {

// Fixed timings so every instant below can be computed: 2 s to QUEUED, 3 s more to RUNNING,
// 4 s per task in QUEUED, 10 s per task attempt, 6 s to stop.
json fixed_timings(json extra = json::object()) {
  json config = {
      {"timings",
       {{"queue_delay", 2}, {"startup", 3}, {"task_queue_delay", 4}, {"stop_delay", 6}}}};
  config.update(extra);
  return config;
}
json ten_second_tasks() { return {{"task", {{"duration", 10}}}}; }

std::string at(int seconds) { return sim::format_rfc3339(kStart + sim::seconds(seconds)); }

TEST(MwaaRuns, StartWorkflowRunAnswersEveryMember) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  world.advance(sim::seconds(7));
  const json started = world.ok("StartWorkflowRun", {{"WorkflowArn", arn}});
  EXPECT_TRUE(std::regex_match(started["RunId"].get<std::string>(), std::regex("[a-zA-Z0-9]{15}")));
  EXPECT_EQ(started["Status"], "STARTING");
  EXPECT_EQ(started["StartedAt"], at(7));
  EXPECT_EQ(started.size(), 3u);
}

TEST(MwaaRuns, LifecycleFollowsTheConfiguredTimings) {
  MwaaWorld world(fixed_timings(), ten_second_tasks());
  const std::string arn = world.create("orders", chain_yaml());
  const std::string run = world.start(arn, {{"OverrideParameters", {{"day", "mon"}, {"n", 3}}}});
  const std::vector<std::pair<int, std::string>> expected = {{1, "STARTING"}, {2, "QUEUED"},
                                                             {4, "QUEUED"},   {5, "RUNNING"},
                                                             {46, "RUNNING"}, {47, "SUCCESS"}};
  int now = 0;
  for (const auto& [second, state] : expected) {
    world.advance(sim::seconds(second - now));
    now = second;
    EXPECT_EQ(world.run_state(arn, run), state) << "at " << second << " s";
    world.expect_invariants("at " + std::to_string(second));
  }
  const json got = world.run(arn, run);
  const std::string version = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  EXPECT_EQ(got["WorkflowArn"], arn);
  EXPECT_EQ(got["WorkflowVersion"], version);
  EXPECT_EQ(got["RunId"], run);
  EXPECT_EQ(got["RunType"], "ON_DEMAND");
  EXPECT_EQ(got["OverrideParameters"], (json{{"day", "mon"}, {"n", 3}}));
  const json& detail = got["RunDetail"];
  EXPECT_EQ(detail["WorkflowArn"], arn);
  EXPECT_EQ(detail["WorkflowVersion"], version);
  EXPECT_EQ(detail["RunId"], run);
  EXPECT_EQ(detail["RunType"], "ON_DEMAND");
  EXPECT_EQ(detail["StartedOn"], at(0));
  EXPECT_EQ(detail["CreatedAt"], at(0));
  EXPECT_EQ(detail["CompletedOn"], at(47));
  EXPECT_EQ(detail["ModifiedAt"], at(47));
  EXPECT_EQ(detail["Duration"], 47);
  EXPECT_FALSE(detail.contains("ErrorMessage"));
  EXPECT_EQ(detail["TaskInstances"].size(), 3u);
  EXPECT_EQ(detail["RunState"], "SUCCESS");
  EXPECT_EQ(world.scheduler.pending(), 0u);
}

TEST(MwaaRuns, UnfinishedRunOmitsCompletionMembers) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const std::string run = world.start(arn);
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "STARTING");
  EXPECT_EQ(detail["TaskInstances"], json::array());
  for (const char* member : {"CompletedOn", "Duration", "ErrorMessage"}) {
    EXPECT_FALSE(detail.contains(member)) << member;
  }
  EXPECT_FALSE(world.run(arn, run).contains("OverrideParameters"));
}

TEST(MwaaRuns, GetAndStopWorkflowRunErrors) {
  MwaaWorld world;
  const std::string arn = world.create("orders", chain_yaml());
  const std::string other =
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/x-0123456789";
  for (const char* operation : {"GetWorkflowRun", "StopWorkflowRun"}) {
    const AwsError workflow = world.error(operation, {{"WorkflowArn", other}, {"RunId", "r1"}},
                                          "ResourceNotFoundException");
    EXPECT_EQ(workflow.fields["ResourceType"], "Workflow");
    const AwsError run = world.error(operation, {{"WorkflowArn", arn}, {"RunId", "r1"}},
                                     "ResourceNotFoundException");
    EXPECT_EQ(run.fields["ResourceType"], "WorkflowRun");
    EXPECT_EQ(run.fields["ResourceId"], "r1");
  }
}

TEST(MwaaRuns, StartWorkflowRunErrors) {
  MwaaWorld world(
      json{{"quotas", {{"concurrent_runs_per_workflow", 2}, {"concurrent_runs_per_account", 3}}}});
  const std::string arn = world.create("orders", chain_yaml());
  const std::string other =
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/x-0123456789";
  EXPECT_EQ(world.error("StartWorkflowRun", {{"WorkflowArn", other}}, "ResourceNotFoundException")
                .fields["ResourceType"],
            "Workflow");
  const AwsError version =
      world.error("StartWorkflowRun", {{"WorkflowArn", arn}, {"WorkflowVersion", "v-unknown"}},
                  "ResourceNotFoundException");
  EXPECT_EQ(version.fields["ResourceType"], "WorkflowVersion");
  EXPECT_EQ(version.fields["ResourceId"], "v-unknown");

  world.start(arn);
  world.start(arn);
  const AwsError per_workflow =
      world.error("StartWorkflowRun", {{"WorkflowArn", arn}}, "ServiceQuotaExceededException");
  EXPECT_EQ(per_workflow.fields["QuotaCode"], "concurrent-runs-per-workflow");
  EXPECT_EQ(per_workflow.fields["ServiceCode"], "airflow-serverless");
  EXPECT_EQ(per_workflow.fields["ResourceType"], "WorkflowRun");
  EXPECT_EQ(per_workflow.fields["ResourceId"], arn);
  const std::string second = world.create("second", chain_yaml("second"));
  world.start(second);
  EXPECT_EQ(
      world.error("StartWorkflowRun", {{"WorkflowArn", second}}, "ServiceQuotaExceededException")
          .fields["QuotaCode"],
      "concurrent-runs-per-account");
  world.expect_invariants();
  world.run_until_idle();
  world.start(arn);
  world.start(second);

  const std::string disabled =
      world.create("off", chain_yaml("off"), {{"TriggerMode", "DISABLED"}});
  const AwsError off =
      world.error("StartWorkflowRun", {{"WorkflowArn", disabled}}, "ConflictException");
  EXPECT_EQ(off.fields["ResourceId"], disabled);
  EXPECT_EQ(off.fields["ResourceType"], "Workflow");
  world.expect_invariants();
}

TEST(MwaaRuns, StartWorkflowRunIsIdempotentByClientToken) {
  MwaaWorld world(json{{"idempotency_window", "PT2H"}});
  const std::string arn = world.create("orders", chain_yaml());
  const std::string other_arn = world.create("other", chain_yaml("other"));
  const json request = {
      {"WorkflowArn", arn}, {"ClientToken", "start-1"}, {"OverrideParameters", {{"a", 1}}}};
  const json first = world.ok("StartWorkflowRun", request);
  world.advance(sim::minutes(30));
  EXPECT_EQ(world.ok("StartWorkflowRun", request), first);
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 1u);

  json changed = request;
  changed["OverrideParameters"]["a"] = 2;
  const AwsError conflict = world.error("StartWorkflowRun", changed, "ConflictException");
  EXPECT_EQ(conflict.http_status, 409);
  EXPECT_EQ(conflict.fields["ResourceId"], arn);

  json elsewhere = request;
  elsewhere["WorkflowArn"] = other_arn;
  EXPECT_NE(world.ok("StartWorkflowRun", elsewhere)["RunId"], first["RunId"]);

  world.advance(sim::hours(2));
  EXPECT_NE(world.ok("StartWorkflowRun", request)["RunId"], first["RunId"]);
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 2u);
}

TEST(MwaaRuns, PinnedVersionRunsThatVersion) {
  MwaaWorld world;
  const std::string arn = world.create("orders", dag_yaml("orders", {{"only", ""}}));
  const std::string first = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  world.put("orders-2.yaml", chain_yaml("orders"));
  world.ok("UpdateWorkflow",
           {{"WorkflowArn", arn},
            {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders-2.yaml"}}},
            {"RoleArn", kRole}});
  const std::string pinned = world.start(arn, {{"WorkflowVersion", first}});
  const std::string latest = world.start(arn);
  world.run_until_idle();
  EXPECT_EQ(world.run(arn, pinned)["WorkflowVersion"], first);
  EXPECT_EQ(world.task_statuses(arn, pinned).size(), 1u);
  EXPECT_EQ(world.task_statuses(arn, latest).size(), 3u);
}

const char* kTemplatedDag =
    "templated:\n"
    "  params:\n"
    "    bucket: default-bucket\n"
    "  tasks:\n"
    "    echo:\n"
    "      operator: airflow.providers.standard.operators.bash.BashOperator\n"
    "      bash_command: \"echo {{ params.bucket }} {{ ds }}\"\n";

TEST(MwaaRuns, OverrideParametersReachTaskTemplates) {
  const json profiles = {
      {"workflows",
       {{"templated",
         {{"tasks",
           {{"echo", {{"xcom", {{"bucket", "{{ params.bucket }}"}, {"day", "{{ ds }}"}}}}}}}}}}}};
  MwaaWorld world(nullptr, profiles);
  const std::string arn = world.create("templated", kTemplatedDag);
  const std::string with =
      world.start(arn, {{"OverrideParameters", {{"bucket", "override-bucket"}}}});
  const std::string without = world.start(arn);
  world.run_until_idle();
  for (const auto& [run, bucket] :
       {std::pair{with, "override-bucket"}, std::pair{without, "default-bucket"}}) {
    const json id = world.run(arn, run)["RunDetail"]["TaskInstances"][0];
    const json instance = world.task_instance(arn, run, id);
    EXPECT_EQ(instance["Status"], "SUCCESS");
    EXPECT_EQ(instance["Xcom"], (json{{"bucket", bucket}, {"day", "2026-01-01"}}));
  }
}

// Xcom keys and values have 1..255 characters (section 7): a value that renders empty is
// left out, and a longer one is cut to 255 characters.
TEST(MwaaRuns, XcomValuesStayWithinTheirLengthLimits) {
  const json profiles = {
      {"workflows",
       {{"templated",
         {{"tasks",
           {{"echo",
             {{"xcom",
               {{"bucket", "{{ params.bucket }}"},
                {"empty", "{{ params.missing }}"},
                {"long", "{{ params.bucket }}" + std::string(300, 'x')}}}}}}}}}}}};
  MwaaWorld world(nullptr, profiles);
  const std::string arn = world.create("templated", kTemplatedDag);
  const std::string run = world.start(arn);
  world.run_until_idle();
  const json id = world.run(arn, run)["RunDetail"]["TaskInstances"][0];
  const json xcom = world.task_instance(arn, run, id)["Xcom"];
  EXPECT_EQ(xcom["bucket"], "default-bucket");
  EXPECT_FALSE(xcom.contains("empty"));
  EXPECT_EQ(xcom["long"], "default-bucket" + std::string(255 - 14, 'x'));
}

// A task may push an XCom value of at most 100 KB (12.6, 12.7): an attempt whose value
// renders larger fails, and says why; one of exactly 102 400 bytes succeeds.
TEST(MwaaRuns, AnXcomValueOver100KbFailsTheAttempt) {
  const json profiles = {
      {"workflows",
       {{"templated", {{"tasks", {{"echo", {{"xcom", {{"blob", "{{ params.bucket }}"}}}}}}}}}}}};
  MwaaWorld world(nullptr, profiles);
  const std::string arn = world.create("templated", kTemplatedDag);
  const std::string fits =
      world.start(arn, {{"OverrideParameters", {{"bucket", std::string(102400, 'x')}}}});
  const std::string too_large =
      world.start(arn, {{"OverrideParameters", {{"bucket", std::string(102401, 'x')}}}});
  world.run_until_idle();

  const json fitting = world.run(arn, fits)["RunDetail"];
  EXPECT_EQ(fitting["RunState"], "SUCCESS");
  const json pushed = world.task_instance(arn, fits, fitting["TaskInstances"][0]);
  EXPECT_EQ(pushed["Xcom"]["blob"], std::string(255, 'x'));

  const json failed = world.run(arn, too_large)["RunDetail"];
  EXPECT_EQ(failed["RunState"], "FAILED");
  ASSERT_EQ(failed["TaskInstances"].size(), 2u);  // the default retry fails the same way
  const std::string expected_error =
      "Task execution failed: XCom value 'blob' is 102401 bytes, more than the 102400 (100 KB) "
      "an XCom value may hold";
  const json first = world.task_instance(arn, too_large, failed["TaskInstances"][0]);
  EXPECT_EQ(first["Status"], "UP_FOR_RETRY");
  EXPECT_EQ(first["ErrorMessage"], expected_error + "; attempt 2 will follow");
  const json last = world.task_instance(arn, too_large, failed["TaskInstances"][1]);
  EXPECT_EQ(last["Status"], "FAILED");
  EXPECT_EQ(last["ErrorMessage"], expected_error);
  EXPECT_FALSE(last.contains("Xcom"));
}

// A task instance's ErrorMessage has at most 255 characters (GenericString): the XCom
// failure of a long key is cut.
TEST(MwaaRuns, TaskErrorMessagesAreCutTo255Characters) {
  const std::string key(200, 'k');
  const json profiles = {
      {"workflows",
       {{"templated", {{"tasks", {{"echo", {{"xcom", {{key, "{{ params.bucket }}"}}}}}}}}}}}};
  MwaaWorld world(nullptr, profiles);
  const std::string arn = world.create("templated", kTemplatedDag);
  const std::string run =
      world.start(arn, {{"OverrideParameters", {{"bucket", std::string(102401, 'x')}}}});
  world.run_until_idle();
  const json failed = world.run(arn, run)["RunDetail"];
  const json last = world.task_instance(arn, run, failed["TaskInstances"][1]);
  const std::string whole = "Task execution failed: XCom value '" + key +
                            "' is 102401 bytes, more than the 102400 (100 KB) an XCom value may "
                            "hold";
  ASSERT_GT(whole.size(), 255u);
  EXPECT_EQ(last["ErrorMessage"], whole.substr(0, 255));
}

TEST(MwaaRuns, TemplateErrorFailsTheRunWithoutTaskInstances) {
  MwaaWorld world(fixed_timings());
  const std::string arn =
      world.create("broken", "broken:\n  tasks:\n    echo:\n      operator: " + std::string(kBash) +
                                 "\n      bash_command: \"echo {{ params.bucket\"\n");
  const std::string run = world.start(arn);
  world.advance(sim::seconds(5));
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "FAILED");
  EXPECT_EQ(detail["ErrorMessage"],
            "unexpected end of template, expected 'end of print statement'.");
  EXPECT_EQ(detail["TaskInstances"], json::array());
  EXPECT_EQ(detail["CompletedOn"], at(5));
  world.expect_invariants();
}

TEST(MwaaRuns, RunTimeoutCancelsActiveTasks) {
  MwaaWorld world(
      fixed_timings(
          {{"timings",
            {{"queue_delay", 2}, {"startup", 3}, {"task_queue_delay", 4}, {"run_timeout", 100}}}}),
      json{{"task", {{"duration", 3000}}}});
  const std::string arn = world.create("slow", chain_yaml("slow"));
  const std::string run = world.start(arn);
  world.advance(sim::seconds(104));
  EXPECT_EQ(world.run_state(arn, run), "RUNNING");
  world.advance(sim::seconds(1));
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "TIMEOUT");
  EXPECT_EQ(detail["ErrorMessage"], "Workflow execution timed out");
  EXPECT_EQ(detail["Duration"], 105);
  const auto statuses = world.task_statuses(arn, run);
  EXPECT_EQ(statuses.at("a"), std::vector<std::string>{"CANCELLED"});
  EXPECT_EQ(statuses.at("c"), std::vector<std::string>{"CANCELLED"});
  const json a = world.task_instance(arn, run, detail["TaskInstances"][0]);
  EXPECT_EQ(a["ErrorMessage"], "Task cancelled: the workflow run timed out");
  EXPECT_EQ(a["DurationInSeconds"], 96);
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.expect_invariants();
}

TEST(MwaaRuns, StopWhileQueued) {
  MwaaWorld world(fixed_timings());
  const std::string arn = world.create("orders", chain_yaml());
  const std::string run = world.start(arn);
  world.advance(sim::seconds(3));
  const json stopped = world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run}});
  const std::string version = world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  EXPECT_EQ(stopped, (json{{"WorkflowArn", arn},
                           {"WorkflowVersion", version},
                           {"RunId", run},
                           {"Status", "STOPPING"}}));
  world.expect_invariants("stopping");
  EXPECT_EQ(world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run}})["Status"],
            "STOPPING");
  world.advance(sim::seconds(6));
  const json detail = world.run(arn, run)["RunDetail"];
  EXPECT_EQ(detail["RunState"], "STOPPED");
  EXPECT_EQ(detail["TaskInstances"], json::array());
  EXPECT_EQ(detail["CompletedOn"], at(9));
  EXPECT_FALSE(detail.contains("ErrorMessage"));
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.expect_invariants("stopped");
}

TEST(MwaaRuns, StopWhileStartingAndWhileRunning) {
  MwaaWorld world(fixed_timings(), ten_second_tasks());
  const std::string arn = world.create("orders", chain_yaml());
  const std::string starting = world.start(arn);
  EXPECT_EQ(world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", starting}})["Status"],
            "STOPPING");
  const std::string running = world.start(arn);
  world.advance(sim::seconds(20));  // a done at 19 s, b queued at 19 s
  EXPECT_EQ(world.task_statuses(arn, running).at("b"), std::vector<std::string>{"QUEUED"});
  world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", running}});
  const auto statuses = world.task_statuses(arn, running);
  EXPECT_EQ(statuses.at("a"), std::vector<std::string>{"SUCCESS"});
  EXPECT_EQ(statuses.at("b"), std::vector<std::string>{"CANCELLED"});
  EXPECT_EQ(statuses.at("c"), std::vector<std::string>{"CANCELLED"});
  world.run_until_idle();
  EXPECT_EQ(world.run_state(arn, starting), "STOPPED");
  EXPECT_EQ(world.run_state(arn, running), "STOPPED");
  // Stopping a finished run answers its status and changes nothing (@idempotent).
  EXPECT_EQ(world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", running}})["Status"],
            "STOPPED");
  const std::string done = world.start(arn);
  world.run_until_idle();
  EXPECT_EQ(world.ok("StopWorkflowRun", {{"WorkflowArn", arn}, {"RunId", done}})["Status"],
            "SUCCESS");
  world.expect_invariants();
}

TEST(MwaaRuns, ListWorkflowRunsNewestFirstWithPagesAndVersionFilter) {
  MwaaWorld world(fixed_timings(), ten_second_tasks());
  const std::string arn = world.create("orders", chain_yaml());
  const std::string first_version =
      world.ok("GetWorkflow", {{"WorkflowArn", arn}})["WorkflowVersion"];
  std::vector<std::string> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(world.start(arn));
    world.advance(sim::seconds(1));
  }
  world.ok("UpdateWorkflow",
           {{"WorkflowArn", arn},
            {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "orders.yaml"}}},
            {"RoleArn", kRole}});
  runs.push_back(world.start(arn));
  world.run_until_idle();
  std::vector<std::string> seen;
  json request = {{"WorkflowArn", arn}, {"MaxResults", 3}};
  for (;;) {
    const json page = world.ok("ListWorkflowRuns", request);
    for (const auto& summary : page["WorkflowRuns"]) seen.push_back(summary["RunId"]);
    if (!page.contains("NextToken")) break;
    request["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{runs[3], runs[2], runs[1], runs[0]}));
  const json filtered =
      world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}, {"WorkflowVersion", first_version}});
  ASSERT_EQ(filtered["WorkflowRuns"].size(), 3u);
  const json summary = filtered["WorkflowRuns"][2];
  EXPECT_EQ(summary["RunId"], runs[0]);
  EXPECT_EQ(summary["WorkflowArn"], arn);
  EXPECT_EQ(summary["WorkflowVersion"], first_version);
  EXPECT_EQ(summary["RunType"], "ON_DEMAND");
  EXPECT_EQ(
      summary["RunDetailSummary"],
      (json{
          {"Status", "SUCCESS"}, {"CreatedOn", at(0)}, {"StartedAt", at(0)}, {"EndedAt", at(47)}}));
  // A token is bound to its filter.
  const json paged = world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}, {"MaxResults", 1}});
  world.error(
      "ListWorkflowRuns",
      {{"WorkflowArn", arn}, {"WorkflowVersion", first_version}, {"NextToken", paged["NextToken"]}},
      "ValidationException");
  const std::string unknown =
      "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/x-0123456789";
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", unknown}}),
            (json{{"WorkflowRuns", json::array()}}));
  const std::string running = world.start(arn);
  const json active =
      world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}, {"MaxResults", 1}})["WorkflowRuns"][0];
  EXPECT_EQ(active["RunId"], running);
  EXPECT_FALSE(active["RunDetailSummary"].contains("EndedAt"));
}

TEST(MwaaRuns, SchedulesFireOverDaysWithinStartAndEndDates) {
  const json profiles = {{"task", {{"duration", 60}, {"xcom", {{"ds", "{{ ds }}"}}}}}};
  MwaaWorld world(nullptr, profiles);
  const std::string arn = world.create(
      "nightly",
      dag_yaml(
          "nightly", {{"a", ""}},
          "  schedule: \"0 2 * * *\"\n  start_date: \"2026-01-03\"\n  end_date: \"2026-01-06\"\n"));
  EXPECT_EQ(world.ok("GetWorkflow", {{"WorkflowArn", arn}})["TriggerMode"], "SCHEDULED");
  world.advance(sim::days(10));
  const json runs = world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"];
  ASSERT_EQ(runs.size(), 3u);
  std::vector<std::string> days;
  for (const auto& summary : runs) {
    EXPECT_EQ(summary["RunType"], "SCHEDULED");
    EXPECT_EQ(summary["RunDetailSummary"]["Status"], "SUCCESS");
    const std::string run = summary["RunId"];
    const json detail = world.run(arn, run);
    EXPECT_EQ(detail["RunType"], "SCHEDULED");
    const json instance = world.task_instance(arn, run, detail["RunDetail"]["TaskInstances"][0]);
    days.push_back(instance["Xcom"]["ds"]);
  }
  EXPECT_EQ(days, (std::vector<std::string>{"2026-01-05", "2026-01-04", "2026-01-03"}));
  EXPECT_EQ(runs[2]["RunDetailSummary"]["CreatedOn"], "2026-01-03T02:00:00Z");
  EXPECT_EQ(world.scheduler.pending(), 0u);
  std::size_t fires = 0;
  for (const auto& event : world.trace.events()) fires += event.kind == "schedule_fire" ? 1 : 0;
  EXPECT_EQ(fires, 3u);
  world.expect_invariants();
}

TEST(MwaaRuns, OnlyTheLatestVersionIsScheduledAndModesApply) {
  MwaaWorld world(nullptr, json{{"task", {{"duration", 30}}}});
  const std::string arn =
      world.create("hourly", dag_yaml("hourly", {{"a", ""}}, "  schedule: \"0 * * * *\"\n"));
  world.advance(sim::hours(2) + sim::minutes(30));  // fires at 01:00 and 02:00
  world.put("every-30.yaml", dag_yaml("hourly", {{"a", ""}}, "  schedule: \"*/30 * * * *\"\n"));
  json update = {{"WorkflowArn", arn},
                 {"DefinitionS3Location", {{"Bucket", kBucket}, {"ObjectKey", "every-30.yaml"}}},
                 {"RoleArn", kRole}};
  const std::string second = world.ok("UpdateWorkflow", update)["WorkflowVersion"];
  world.expect_invariants("after update");
  world.advance(sim::hours(1));  // 03:00 and 03:30 from the new version only
  const json runs = world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"];
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0]["WorkflowVersion"], second);
  EXPECT_EQ(runs[1]["WorkflowVersion"], second);
  EXPECT_EQ(runs[1]["RunDetailSummary"]["CreatedOn"], "2026-01-01T03:00:00Z");
  EXPECT_NE(runs[2]["WorkflowVersion"], second);

  update["TriggerMode"] = "MANUAL_ONLY";
  world.ok("UpdateWorkflow", update);
  world.advance(sim::hours(3));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 4u);
  world.start(arn);
  update["TriggerMode"] = "DISABLED";
  world.ok("UpdateWorkflow", update);
  world.advance(sim::hours(3));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 5u);
  world.error("StartWorkflowRun", {{"WorkflowArn", arn}}, "ConflictException");
  update["TriggerMode"] = "SCHEDULED";
  world.ok("UpdateWorkflow", update);
  world.advance(sim::minutes(30));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 6u);
  world.expect_invariants();
}

TEST(MwaaRuns, ScheduleOverQuotaSkipsTheFire) {
  MwaaWorld world(json{{"quotas", {{"concurrent_runs_per_workflow", 1}}}},
                  json{{"task", {{"duration", 600}}}});
  const std::string arn =
      world.create("busy", dag_yaml("busy", {{"a", ""}}, "  schedule: \"* * * * *\"\n"));
  world.advance(sim::minutes(5));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 1u);
  std::size_t skipped = 0;
  for (const auto& event : world.trace.events()) {
    if (event.kind != "schedule_skipped") continue;
    ++skipped;
    EXPECT_EQ(event.detail["reason"], "concurrent-runs-per-workflow");
  }
  EXPECT_EQ(skipped, 4u);
  world.expect_invariants();
}

TEST(MwaaRuns, SchedulesDoNotCatchUp) {
  MwaaWorld world;
  world.advance(sim::minutes(10));
  const std::string arn = world.create(
      "past",
      dag_yaml("past", {{"a", ""}}, "  schedule: \"@daily\"\n  start_date: \"2025-06-01\"\n"));
  world.advance(sim::hours(23));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 0u);
  world.advance(sim::hours(1));
  EXPECT_EQ(world.ok("ListWorkflowRuns", {{"WorkflowArn", arn}})["WorkflowRuns"].size(), 1u);
}

TEST(MwaaRuns, ThrottlingFromConfiguration) {
  MwaaWorld world(
      json{{"throttle", {{"ListWorkflows", {{"requests_per_second", 1}, {"burst", 2}}}}}});
  world.ok("ListWorkflows", json::object());
  world.ok("ListWorkflows", json::object());
  const AwsError throttled = world.error("ListWorkflows", json::object(), "ThrottlingException");
  EXPECT_EQ(throttled.http_status, 429);
  EXPECT_EQ(throttled.fields["ServiceCode"], "airflow-serverless");
  EXPECT_EQ(throttled.fields["QuotaCode"], "api-request-rate");
  EXPECT_EQ(throttled.fields["RetryAfterSeconds"], 1);
  // Other operations have their own (absent) limit.
  world.error(
      "GetWorkflow",
      {{"WorkflowArn", "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/x-0123456789"}},
      "ResourceNotFoundException");
  world.advance(sim::seconds(1));
  world.ok("ListWorkflows", json::object());
}

TEST(MwaaRuns, FaultErrors) {
  MwaaWorld world;
  sim::FaultDecision decision;
  decision.kind = sim::FaultKind::throttle;
  AwsError error = world.service->fault_error(decision);
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_EQ(error.http_status, 429);
  EXPECT_EQ(error.fields["RetryAfterSeconds"], 1);
  EXPECT_EQ(error.fields["ServiceCode"], "airflow-serverless");
  EXPECT_TRUE(error.fields.contains("QuotaCode"));
  decision.retry_after_seconds = 7;
  EXPECT_EQ(world.service->fault_error(decision).fields["RetryAfterSeconds"], 7);
  decision.kind = sim::FaultKind::internal;
  error = world.service->fault_error(decision);
  EXPECT_EQ(error.code, "InternalServerException");
  EXPECT_EQ(error.http_status, 500);
  EXPECT_EQ(error.fields["RetryAfterSeconds"], 7);
  decision.kind = sim::FaultKind::unavailable;
  EXPECT_EQ(world.service->fault_error(decision).http_status, 503);
  EXPECT_EQ(world.service->fault_error(decision).code, "ServiceUnavailableException");
  for (auto kind : {sim::FaultKind::timeout_before, sim::FaultKind::timeout_after}) {
    decision.kind = kind;
    EXPECT_EQ(world.service->fault_error(decision).code, "OperationTimeoutException");
    EXPECT_EQ(world.service->fault_error(decision).http_status, 504);
  }
  EXPECT_FALSE(world.service->fault_error(decision).message.empty());
}

TEST(MwaaRuns, ConfigurationErrorsNameTheMember) {
  sim::Scheduler scheduler(kStart);
  sim::Trace trace;
  sim::RandomStreams streams(1);
  ObjectStore objects;
  const ServiceContext context{scheduler, trace, streams, objects, "111122223333", "us-east-1"};
  const std::vector<std::pair<json, std::string>> bad_config = {
      {json::array(), "services.mwaa-serverless: must be an object"},
      {{{"bogus", 1}}, "services.mwaa-serverless.bogus: unknown member"},
      {{{"quotas", {{"workflows", 1}}}},
       "services.mwaa-serverless.quotas.workflows: unknown member"},
      {{{"quotas", {{"versions_per_workflow", -1}}}},
       "services.mwaa-serverless.quotas.versions_per_workflow: must be a non-negative integer"},
      {{{"timings", {{"startup", "soon"}}}}, "services.mwaa-serverless.timings.startup: "},
      {{{"timings", {{"run_timeout", 0}}}},
       "services.mwaa-serverless.timings.run_timeout: must be longer than zero"},
      {{{"timings", {{"jitter", 1}}}}, "services.mwaa-serverless.timings.jitter: unknown member"},
      {{{"throttle", 5}}, "services.mwaa-serverless.throttle: "},
      {{{"idempotency_window", "forever"}}, "services.mwaa-serverless.idempotency_window: "},
  };
  for (const auto& [config, prefix] : bad_config) {
    auto made = make_mwaa_serverless(context, config, nullptr);
    ASSERT_TRUE(std::holds_alternative<std::string>(made)) << config.dump();
    EXPECT_EQ(std::get<std::string>(made).rfind(prefix, 0), 0u) << std::get<std::string>(made);
  }
  const std::vector<std::pair<json, std::string>> bad_profiles = {
      {{{"tasks", {}}}, "profiles.mwaa-serverless.tasks: unknown member"},
      {{{"task", {{"outcome", {"MAYBE"}}}}},
       "profiles.mwaa-serverless.task.outcome: 'MAYBE' is not a task outcome"},
      {{{"task", {{"speed", 1}}}}, "profiles.mwaa-serverless.task.speed: unknown member"},
      {{{"task", {{"xcom", {{"k", "{{ ds "}}}}}}, "profiles.mwaa-serverless.task.xcom.k: "},
      {{{"task", {{"xcom", {{std::string(256, 'k'), "v"}}}}}},
       "profiles.mwaa-serverless.task.xcom." + std::string(256, 'k') +
           ": an XCom key must have 1 to 255 characters, this one has 256"},
      {{{"task", {{"xcom", {{"k", ""}}}}}},
       "profiles.mwaa-serverless.task.xcom.k: must be a non-empty template string"},
      {{{"workflows", {{"w", {{"tasks", {{"t", {{"duration", -1}}}}}}}}}},
       "profiles.mwaa-serverless.workflows.w.tasks.t.duration: "},
      {{{"workflows", {{"w", {{"jobs", {}}}}}}},
       "profiles.mwaa-serverless.workflows.w.jobs: unknown member"},
  };
  for (const auto& [profiles, prefix] : bad_profiles) {
    auto made = make_mwaa_serverless(context, nullptr, profiles);
    ASSERT_TRUE(std::holds_alternative<std::string>(made)) << profiles.dump();
    EXPECT_EQ(std::get<std::string>(made).rfind(prefix, 0), 0u) << std::get<std::string>(made);
  }
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<Service>>(
      make_mwaa_serverless(context, nullptr, nullptr)));
}

TEST(MwaaRuns, TraceRecordsTransitionsAndIsDeterministic) {
  auto run_once = [](sim::TraceOptions options) {
    MwaaWorld world(nullptr, json{{"task", {{"outcome", {{"fail", "1/3"}}}}}}, 7, options);
    const std::string arn = world.create("orders", chain_yaml());
    for (int i = 0; i < 5; ++i) world.start(arn);
    world.run_until_idle();
    return std::make_pair(world.trace.hash(), world.trace.size());
  };
  const auto first = run_once({});
  EXPECT_EQ(first, run_once({}));
  EXPECT_GT(first.second, 30u);
  MwaaWorld world(nullptr, nullptr, 7);
  const std::string arn = world.create("orders", chain_yaml());
  world.start(arn);
  world.run_until_idle();
  const auto& events = world.trace.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().kind, "transition");
  EXPECT_TRUE(events.front().detail["from"].is_null());
  EXPECT_EQ(events.front().detail["to"], "STARTING");
  for (const auto& event : events) EXPECT_NE(event.kind, "violation");
  EXPECT_EQ(run_once({true, false}).second, 0u);
}

}  // namespace
}  // namespace wfsim::models::mwaa::testing
