// Tests of the Glue job operations and job runs (jobs.cpp; fact sheet 5, 5.1, 6.5, 6.6,
// rules 9.20, 9.22, 9.23, 9.25): validation and every listed error, defaults, run
// lifecycles, retries, timeouts, queuing, concurrency limits, BatchStopJobRun, pagination
// and retention.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

json job_profiles(const json& per_job, int seconds = 60) {
  json profiles = fixed_profiles(seconds);
  profiles["jobs"] = per_job;
  return profiles;
}

std::string start_run(GlueWorld& world, const std::string& job,
                      const json& extra = json::object()) {
  json request = {{"JobName", job}};
  request.update(extra);
  return world.ok("StartJobRun", request).value("JobRunId", "");
}

json get_run(GlueWorld& world, const std::string& job, const std::string& id,
             bool predecessors = false) {
  return world.ok(
      "GetJobRun",
      {{"JobName", job}, {"RunId", id}, {"PredecessorsIncluded", predecessors}})["JobRun"];
}

std::string state(GlueWorld& world, const std::string& job, const std::string& id) {
  return get_run(world, job, id).value("JobRunState", "");
}

json valid_job(const std::string& name) {
  return {{"Name", name}, {"Role", kRole}, {"Command", {{"Name", "glueetl"}}}};
}

// --- CreateJob / GetJob / DeleteJob ----------------------------------------------------

TEST(GlueJobs, CreateJobRejectsEveryInvalidMemberAndChangesNothing) {
  GlueWorld world;
  const std::vector<json> invalid = {
      {{"Role", kRole}, {"Command", {{"Name", "glueetl"}}}},  // no Name
      {{"Name", "j"}, {"Command", {{"Name", "glueetl"}}}},    // no Role
      {{"Name", "j"}, {"Role", kRole}},                       // no Command
      {{"Name", ""}, {"Role", kRole}, {"Command", {{"Name", "glueetl"}}}},
      {{"Name", std::string(256, 'n')}, {"Role", kRole}, {"Command", {{"Name", "glueetl"}}}},
      {{"Name", "a\nb"}, {"Role", kRole}, {"Command", {{"Name", "glueetl"}}}},
  };
  for (const auto& request : invalid) world.error("CreateJob", request, "InvalidInputException");
  // Each breaks one rule; the message names the member and the rule.
  const std::vector<std::pair<json, std::string>> invalid_members = {
      {{{"Command", {{"Name", "spark"}}}},
       "at 'Command.Name' failed to satisfy constraint: Member must satisfy enum value set: "
       "[glueetl, pythonshell, gluestreaming, glueray]"},
      {{{"Command", {{"Name", "pythonshell"}, {"PythonVersion", "4"}}}},
       "at 'Command.PythonVersion' failed to satisfy constraint: Member must satisfy regular "
       "expression pattern"},
      {{{"Command", {{"Name", "glueray"}, {"Runtime", std::string(65, 'r')}}}},
       "at 'Command.Runtime' failed to satisfy constraint: Member must have length less than or "
       "equal to 64"},
      {{{"Description", std::string(2049, 'd')}},
       "at 'Description' failed to satisfy constraint: Member must have length less than or equal "
       "to 2048"},
      {{{"ExecutionProperty", {{"MaxConcurrentRuns", 0}}}},
       "at 'ExecutionProperty.MaxConcurrentRuns' failed to satisfy constraint: Member must have "
       "value greater than or equal to 1"},
      {{{"ExecutionProperty", 3}},
       "at 'ExecutionProperty' failed to satisfy constraint: Member must be an object"},
      {{{"DefaultArguments", {{"--a", 1}}}},
       "at 'DefaultArguments.--a' failed to satisfy constraint: Member must be a string"},
      {{{"NonOverridableArguments", "x"}},
       "at 'NonOverridableArguments' failed to satisfy constraint: Member must be an object"},
      {{{"MaxRetries", -1}},
       "at 'MaxRetries' failed to satisfy constraint: Member must have value greater than or equal "
       "to 0"},
      {{{"Timeout", 0}},
       "at 'Timeout' failed to satisfy constraint: Member must have value greater than or equal to "
       "1"},
      {{{"Timeout", 10080}},
       "at 'Timeout' failed to satisfy constraint: Member must have value less than or equal to "
       "10079"},
      {{{"MaxCapacity", "ten"}},
       "at 'MaxCapacity' failed to satisfy constraint: Member must be a number"},
      {{{"MaxCapacity", 0}},
       "at 'MaxCapacity' failed to satisfy constraint: Member must have value greater than 0"},
      {{{"MaxCapacity", 2}, {"WorkerType", "G.1X"}, {"NumberOfWorkers", 2}},
       "at 'MaxCapacity' failed to satisfy constraint: Do not set MaxCapacity when WorkerType and "
       "NumberOfWorkers are set"},
      {{{"WorkerType", "G.1X"}},
       "at 'NumberOfWorkers' failed to satisfy constraint: WorkerType and NumberOfWorkers must be "
       "set together"},
      {{{"NumberOfWorkers", 2}},
       "at 'WorkerType' failed to satisfy constraint: WorkerType and NumberOfWorkers must be set "
       "together"},
      {{{"WorkerType", "G.16X"}, {"NumberOfWorkers", 2}},
       "at 'WorkerType' failed to satisfy constraint: Member must satisfy enum value set: "
       "[Standard, G.1X, G.2X, G.025X, G.4X, G.8X, Z.2X]"},
      {{{"NumberOfWorkers", 0}, {"WorkerType", "G.1X"}},
       "at 'NumberOfWorkers' failed to satisfy constraint: Member must have value greater than or "
       "equal to 1"},
      {{{"GlueVersion", "5"}},
       "at 'GlueVersion' failed to satisfy constraint: Member must satisfy regular expression "
       "pattern"},
      {{{"JobRunQueuingEnabled", "yes"}},
       "at 'JobRunQueuingEnabled' failed to satisfy constraint: Member must be a boolean"},
      {{{"JobMode", "CODE"}},
       "at 'JobMode' failed to satisfy constraint: Member must satisfy enum value set: [SCRIPT, "
       "VISUAL, NOTEBOOK]"},
      {{{"ExecutionClass", "CHEAP"}},
       "at 'ExecutionClass' failed to satisfy constraint: Member must satisfy enum value set: "
       "[FLEX, STANDARD]"},
      {{{"Tags", {{"k", std::string(257, 'v')}}}},
       "at 'Tags.k' failed to satisfy constraint: Member must have "},
      {{{"MaintenanceWindow", "Sun:24"}},
       "at 'MaintenanceWindow' failed to satisfy constraint: Member must satisfy regular "
       "expression pattern"},
      {{{"NotificationProperty", {{"NotifyDelayAfter", 0}}}},
       "at 'NotificationProperty.NotifyDelayAfter' failed to satisfy constraint: Member must have "
       "value greater than or equal to 1"},
  };
  for (const auto& [members, rule] : invalid_members) {
    json request = valid_job("j");
    request.update(members);
    const auto error = world.error("CreateJob", request, "InvalidInputException");
    EXPECT_NE(error.message.find(rule), std::string::npos) << rule << "\n" << error.message;
  }
  world.error("GetJob", {{"JobName", "j"}}, "EntityNotFoundException");
}

TEST(GlueJobs, CreateJobNamesEveryViolationInOneMessage) {
  GlueWorld world;
  const auto error =
      world.error("CreateJob", {{"Name", "j"}, {"Timeout", 0}}, "InvalidInputException");
  EXPECT_NE(error.message.find("3 validation errors"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("Role"), std::string::npos);
  EXPECT_NE(error.message.find("Command"), std::string::npos);
}

TEST(GlueJobs, CreateJobAnswersAlreadyExistsEvenForAnIdenticalRequest) {
  GlueWorld world;
  EXPECT_EQ(world.ok("CreateJob", valid_job("j"))["Name"], "j");
  world.error("CreateJob", valid_job("j"), "AlreadyExistsException");
}

TEST(GlueJobs, CreateJobOverTheJobQuotaIsResourceNumberLimitExceeded) {
  GlueWorld world(json{{"quotas", {{"jobs", 1}}}});
  world.job("a");
  world.error("CreateJob", valid_job("b"), "ResourceNumberLimitExceededException");
  world.ok("DeleteJob", {{"JobName", "a"}});
  world.job("b");
}

TEST(GlueJobs, GetJobFillsDefaultsAndEchoesStoredMembers) {
  GlueWorld world;
  world.advance(sim::seconds(5));
  world.job("etl", {{"LogUri", "s3://logs/"},
                    {"Connections", {{"Connections", {"c1"}}}},
                    {"Description", "nightly"},
                    {"Tags", {{"team", "data"}}}});
  const json job = world.ok("GetJob", {{"JobName", "etl"}})["Job"];
  EXPECT_EQ(job["Name"], "etl");
  EXPECT_EQ(job["Role"], kRole);
  EXPECT_EQ(job["Command"]["Name"], "glueetl");
  EXPECT_EQ(job["Command"]["ScriptLocation"], "s3://scripts/etl.py");
  EXPECT_EQ(job["ExecutionProperty"]["MaxConcurrentRuns"], 1);
  EXPECT_EQ(job["MaxRetries"], 0);
  EXPECT_EQ(job["Timeout"], 2880);
  EXPECT_EQ(job["GlueVersion"], "0.9");
  EXPECT_EQ(job["JobMode"], "SCRIPT");
  EXPECT_EQ(job["MaxCapacity"], 10.0);
  EXPECT_EQ(job["JobRunQueuingEnabled"], false);
  EXPECT_EQ(job["LogUri"], "s3://logs/");
  EXPECT_EQ(job["Connections"]["Connections"][0], "c1");
  EXPECT_EQ(job["Description"], "nightly");
  EXPECT_FALSE(job.contains("Tags"));
  EXPECT_DOUBLE_EQ(job["CreatedOn"].get<double>(), (kStart + sim::seconds(5)) / 1e6);
  EXPECT_EQ(job["LastModifiedOn"], job["CreatedOn"]);
}

TEST(GlueJobs, DefaultTimeoutIs480FromGlue5AndPythonShellGetsASmallCapacity) {
  GlueWorld world;
  world.job("new", {{"GlueVersion", "5.0"}});
  world.job("old", {{"GlueVersion", "4.0"}});
  world.job("py", {{"Command", {{"Name", "pythonshell"}, {"PythonVersion", "3.9"}}}});
  world.job("workers", {{"WorkerType", "G.2X"}, {"NumberOfWorkers", 4}, {"Timeout", 30}});
  EXPECT_EQ(world.ok("GetJob", {{"JobName", "new"}})["Job"]["Timeout"], 480);
  EXPECT_EQ(world.ok("GetJob", {{"JobName", "old"}})["Job"]["Timeout"], 2880);
  EXPECT_EQ(world.ok("GetJob", {{"JobName", "py"}})["Job"]["MaxCapacity"], 0.0625);
  const json workers = world.ok("GetJob", {{"JobName", "workers"}})["Job"];
  EXPECT_EQ(workers["WorkerType"], "G.2X");
  EXPECT_EQ(workers["NumberOfWorkers"], 4);
  EXPECT_FALSE(workers.contains("MaxCapacity"));
  EXPECT_EQ(workers["Timeout"], 30);
}

TEST(GlueJobs, GetJobAndDeleteJobErrors) {
  GlueWorld world;
  world.error("GetJob", json::object(), "InvalidInputException");
  world.error("GetJob", {{"JobName", 5}}, "InvalidInputException");
  world.error("GetJob", {{"JobName", "missing"}}, "EntityNotFoundException");
  world.error("DeleteJob", {{"JobName", ""}}, "InvalidInputException");
  EXPECT_EQ(world.ok("DeleteJob", {{"JobName", "missing"}})["JobName"], "missing");
  world.job("j");
  EXPECT_EQ(world.ok("DeleteJob", {{"JobName", "j"}})["JobName"], "j");
  world.error("GetJob", {{"JobName", "j"}}, "EntityNotFoundException");
}

// --- StartJobRun and the run lifecycle ------------------------------------------------

TEST(GlueJobs, StartJobRunRunsThroughStartingRunningSucceeded) {
  GlueWorld world;
  world.job("j", {{"DefaultArguments", {{"--day", "mon"}, {"--mode", "full"}}},
                  {"NonOverridableArguments", {{"--env", "prod"}}}});
  const std::string id =
      start_run(world, "j", {{"Arguments", {{"--mode", "delta"}, {"--env", "dev"}, {"--x", "1"}}}});
  EXPECT_TRUE(std::regex_match(id, std::regex("jr_[0-9a-f]{64}"))) << id;
  json run = get_run(world, "j", id);
  EXPECT_EQ(run["JobRunState"], "STARTING");
  EXPECT_EQ(run["Attempt"], 0);
  EXPECT_FALSE(run.contains("TriggerName"));
  EXPECT_FALSE(run.contains("CompletedOn"));
  EXPECT_FALSE(run.contains("PreviousRunId"));
  EXPECT_EQ(run["Arguments"],
            json({{"--day", "mon"}, {"--mode", "delta"}, {"--env", "prod"}, {"--x", "1"}}));
  EXPECT_EQ(run["LogGroupName"], "/aws-glue/jobs");
  EXPECT_EQ(run["Timeout"], 2880);
  EXPECT_EQ(run["MaxCapacity"], 10.0);
  EXPECT_EQ(run["AllocatedCapacity"], 10);
  EXPECT_EQ(run["GlueVersion"], "0.9");
  EXPECT_EQ(run["JobMode"], "SCRIPT");
  world.advance(sim::seconds(10));
  EXPECT_EQ(state(world, "j", id), "RUNNING");
  world.advance(sim::seconds(30));
  EXPECT_EQ(get_run(world, "j", id)["ExecutionTime"], 30);
  world.advance(sim::seconds(30));
  run = get_run(world, "j", id);
  EXPECT_EQ(run["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(run["ExecutionTime"], 60);
  EXPECT_DOUBLE_EQ(run["CompletedOn"].get<double>(), (kStart + sim::seconds(70)) / 1e6);
  EXPECT_FALSE(run.contains("ErrorMessage"));
  world.expect_invariants("after a job run");
}

TEST(GlueJobs, StartJobRunValidationAndUnknownJob) {
  GlueWorld world;
  world.job("j");
  world.error("StartJobRun", json::object(), "InvalidInputException");
  world.error("StartJobRun", {{"JobName", "missing"}}, "EntityNotFoundException");
  const std::vector<json> invalid_members = {
      {{"Timeout", 0}},
      {{"Timeout", 10080}},
      {{"Arguments", {{"a", 1}}}},
      {{"MaxCapacity", -1}},
      {{"WorkerType", "G.1X"}},
      {{"NumberOfWorkers", 0}},
      {{"ExecutionClass", "X"}},
      {{"JobRunQueuingEnabled", 1}},
      {{"SecurityConfiguration", ""}},
      {{"NotificationProperty", {{"NotifyDelayAfter", 0}}}},
      {{"JobRunId", ""}},
      {{"ExecutionRoleSessionPolicy", "x"}},
      {{"MaxCapacity", 1}, {"WorkerType", "G.1X"}, {"NumberOfWorkers", 1}},
  };
  for (const auto& members : invalid_members) {
    json request = {{"JobName", "j"}};
    request.update(members);
    world.error("StartJobRun", request, "InvalidInputException");
  }
  EXPECT_TRUE(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].empty());
}

// AllocatedCapacity is an integer: capacities past int64's range report the largest
// instead of an undefined cast (found with MaxCapacity 1e300).
TEST(GlueJobs, AllocatedCapacityOfHugeCapacitiesIsTheLargestInteger) {
  GlueWorld world;
  world.job("huge", {{"MaxCapacity", 1e300}});
  world.job("many", {{"WorkerType", "G.8X"}, {"NumberOfWorkers", INT64_MAX}});
  for (const char* job : {"huge", "many"}) {
    const json run = get_run(world, job, start_run(world, job, json::object()));
    EXPECT_EQ(run["AllocatedCapacity"], INT64_MAX) << job;
  }
}

// A retention beyond a century would carry the expiry time past int64: refused.
TEST(GlueJobs, RetentionsAreBoundedInTheConfiguration) {
  const ObjectStore objects;
  sim::Scheduler scheduler(kStart);
  sim::Trace trace;
  const sim::RandomStreams streams(1);
  for (const char* member : {"run_retention", "job_run_retention"}) {
    auto made = make_glue(
        ServiceContext{scheduler, trace, streams, objects, "111122223333", "us-east-1"},
        json{{"timings", {{member, "P106751991D"}}}}, nullptr);
    ASSERT_TRUE(std::holds_alternative<std::string>(made)) << member;
    EXPECT_NE(std::get<std::string>(made).find("at most 100 years"), std::string::npos)
        << std::get<std::string>(made);
  }
}

TEST(GlueJobs, StartJobRunMembersOverrideTheJob) {
  GlueWorld world;
  world.job(
      "py",
      {{"Command", {{"Name", "pythonshell"}}}, {"Timeout", 100}, {"ExecutionClass", "STANDARD"}});
  const std::string id = start_run(world, "py",
                                   {{"Timeout", 7},
                                    {"WorkerType", "G.1X"},
                                    {"NumberOfWorkers", 3},
                                    {"ExecutionClass", "FLEX"},
                                    {"SecurityConfiguration", "sec"},
                                    {"NotificationProperty", {{"NotifyDelayAfter", 2}}}});
  const json run = get_run(world, "py", id);
  EXPECT_EQ(run["Timeout"], 7);
  EXPECT_EQ(run["WorkerType"], "G.1X");
  EXPECT_EQ(run["NumberOfWorkers"], 3);
  EXPECT_EQ(run["AllocatedCapacity"], 3);
  EXPECT_EQ(run["ExecutionClass"], "FLEX");
  EXPECT_EQ(run["SecurityConfiguration"], "sec");
  EXPECT_EQ(run["NotificationProperty"]["NotifyDelayAfter"], 2);
  EXPECT_EQ(run["LogGroupName"], "/aws-glue/python-jobs");
  const json default_run =
      get_run(world, "py", start_run(world, "py", {{"JobRunQueuingEnabled", true}}));
  EXPECT_EQ(default_run["MaxCapacity"], 0.0625);
  EXPECT_EQ(default_run["AllocatedCapacity"], 0);
  EXPECT_EQ(default_run["Timeout"], 100);
  EXPECT_EQ(default_run["ExecutionClass"], "STANDARD");
  // A job that names no class runs STANDARD, Glue's default: the member is always filled.
  world.job("plain");
  EXPECT_EQ(get_run(world, "plain", start_run(world, "plain"))["ExecutionClass"], "STANDARD");
}

TEST(GlueJobs, ScriptedFailureEndsFailedWithAnErrorMessage) {
  GlueWorld world(nullptr, job_profiles({{"j", {{"outcome", {"FAILED"}}}}}));
  world.job("j");
  const std::string id = start_run(world, "j");
  world.advance(sim::seconds(70));
  const json run = get_run(world, "j", id);
  EXPECT_EQ(run["JobRunState"], "FAILED");
  EXPECT_TRUE(run.contains("ErrorMessage"));
  EXPECT_EQ(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].size(), 1u);
}

// --- retries (rule 9.22) ----------------------------------------------------------------

TEST(GlueJobs, FailedAttemptsAreRetriedAsNewRunsUntilOneSucceeds) {
  GlueWorld world(nullptr, job_profiles({{"j", {{"outcome", {"FAILED", "FAILED", "SUCCEEDED"}}}}}));
  world.job("j", {{"MaxRetries", 5}, {"DefaultArguments", {{"--a", "1"}}}});
  const std::string first = start_run(world, "j");
  world.advance(sim::hours(1));
  const json runs = world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0]["Attempt"], 2);
  EXPECT_EQ(runs[0]["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(runs[0]["PreviousRunId"], runs[1]["Id"]);
  EXPECT_EQ(runs[1]["Attempt"], 1);
  EXPECT_EQ(runs[1]["JobRunState"], "FAILED");
  EXPECT_EQ(runs[1]["PreviousRunId"], first);
  EXPECT_EQ(runs[2]["Id"], first);
  EXPECT_EQ(runs[2]["Attempt"], 0);
  EXPECT_EQ(runs[0]["Arguments"], runs[2]["Arguments"]);
  // Each retry starts when the attempt before it fails: 70 s per attempt.
  EXPECT_DOUBLE_EQ(runs[0]["StartedOn"].get<double>(), (kStart + sim::seconds(140)) / 1e6);
}

TEST(GlueJobs, RetriesStopAtMaxRetries) {
  GlueWorld world(nullptr, job_profiles({{"j", {{"outcome", {"FAILED"}}}}}));
  world.job("j", {{"MaxRetries", 1}});
  start_run(world, "j");
  world.advance(sim::hours(1));
  const json runs = world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["JobRunState"], "FAILED");
  EXPECT_EQ(runs[1]["JobRunState"], "FAILED");
}

TEST(GlueJobs, TimedOutAndStoppedRunsAreNotRetried) {
  GlueWorld world(nullptr, job_profiles({{"t", {{"outcome", {"TIMEOUT"}}}}}));
  world.job("t", {{"MaxRetries", 3}, {"Timeout", 1}});
  world.job("s", {{"MaxRetries", 3}});
  start_run(world, "t");
  const std::string stopped = start_run(world, "s");
  world.ok("BatchStopJobRun", {{"JobName", "s"}, {"JobRunIds", {stopped}}});
  world.advance(sim::hours(1));
  EXPECT_EQ(world.ok("GetJobRuns", {{"JobName", "t"}})["JobRuns"].size(), 1u);
  EXPECT_EQ(world.ok("GetJobRuns", {{"JobName", "s"}})["JobRuns"].size(), 1u);
}

TEST(GlueJobs, StartJobRunWithJobRunIdRetriesAnEarlierRun) {
  GlueWorld world;
  world.job("j");
  world.job("other");
  const std::string first = start_run(world, "j");
  world.advance(sim::hours(1));
  const std::string retry = start_run(world, "j", {{"JobRunId", first}});
  const json run = get_run(world, "j", retry);
  EXPECT_EQ(run["PreviousRunId"], first);
  EXPECT_EQ(run["Attempt"], 1);
  world.advance(sim::hours(1));
  world.error("StartJobRun", {{"JobName", "j"}, {"JobRunId", "jr_nope"}},
              "EntityNotFoundException");
  world.error("StartJobRun", {{"JobName", "other"}, {"JobRunId", first}},
              "EntityNotFoundException");
}

// --- timeouts --------------------------------------------------------------------------

TEST(GlueJobs, ARunLongerThanItsTimeoutEndsTimeoutAtTheTimeout) {
  GlueWorld world(nullptr, fixed_profiles(600));
  world.job("j", {{"Timeout", 5}});
  const std::string id = start_run(world, "j");
  world.advance(sim::seconds(10) + sim::minutes(5) - 1);
  EXPECT_EQ(state(world, "j", id), "RUNNING");
  world.advance(1);
  const json run = get_run(world, "j", id);
  EXPECT_EQ(run["JobRunState"], "TIMEOUT");
  EXPECT_EQ(run["ExecutionTime"], 300);
  EXPECT_TRUE(run.contains("ErrorMessage"));
}

TEST(GlueJobs, TheLaunchTimeoutWinsOverTheJobTimeout) {
  GlueWorld world(nullptr, job_profiles({{"j", {{"outcome", {"TIMEOUT"}}}}}));
  world.job("j", {{"Timeout", 100}});
  const std::string id = start_run(world, "j", {{"Timeout", 2}});
  world.advance(sim::seconds(10) + sim::minutes(2));
  EXPECT_EQ(state(world, "j", id), "TIMEOUT");
}

// --- concurrency, queuing, WAITING and EXPIRED (6.5, 6.6, rule 9.23) -------------------

TEST(GlueJobs, OverMaxConcurrentRunsStartJobRunIsConcurrentRunsExceeded) {
  GlueWorld world;
  world.job("j", {{"ExecutionProperty", {{"MaxConcurrentRuns", 2}}}});
  start_run(world, "j");
  start_run(world, "j");
  world.error("StartJobRun", {{"JobName", "j"}}, "ConcurrentRunsExceededException");
  EXPECT_EQ(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].size(), 2u);
  world.advance(sim::hours(1));
  start_run(world, "j");
}

TEST(GlueJobs, OverTheAccountQuotaStartJobRunIsResourceNumberLimitExceeded) {
  GlueWorld world(json{{"quotas", {{"concurrent_job_runs", 1}}}});
  world.job("a");
  world.job("b");
  start_run(world, "a");
  world.error("StartJobRun", {{"JobName", "b"}}, "ResourceNumberLimitExceededException");
  const std::string queued = start_run(world, "b", {{"JobRunQueuingEnabled", true}});
  const json run = get_run(world, "b", queued);
  EXPECT_EQ(run["JobRunState"], "WAITING");
  EXPECT_NE(run.value("StateDetail", "").find("quota"), std::string::npos);
  world.advance(sim::seconds(70));
  EXPECT_EQ(state(world, "b", queued), "STARTING");
}

TEST(GlueJobs, QueuedRunsWaitAndStartInArrivalOrder) {
  GlueWorld world;
  world.job("j", {{"JobRunQueuingEnabled", true}});
  const std::string first = start_run(world, "j");
  const std::string second = start_run(world, "j");
  const std::string third = start_run(world, "j");
  json waiting = get_run(world, "j", second);
  EXPECT_EQ(waiting["JobRunState"], "WAITING");
  EXPECT_TRUE(waiting["JobRunQueuingEnabled"].get<bool>());
  EXPECT_NE(waiting.value("StateDetail", "").find("MaxConcurrentRuns"), std::string::npos);
  EXPECT_EQ(state(world, "j", third), "WAITING");
  world.advance(sim::seconds(70));
  EXPECT_EQ(state(world, "j", first), "SUCCEEDED");
  const json started = get_run(world, "j", second);
  EXPECT_EQ(started["JobRunState"], "STARTING");
  EXPECT_FALSE(started.contains("StateDetail"));
  EXPECT_EQ(state(world, "j", third), "WAITING");
  world.advance(sim::seconds(70));
  EXPECT_EQ(state(world, "j", second), "SUCCEEDED");
  EXPECT_EQ(state(world, "j", third), "STARTING");
  world.advance(sim::hours(1));
  EXPECT_EQ(state(world, "j", third), "SUCCEEDED");
  world.expect_invariants("after queued runs");
}

TEST(GlueJobs, TheRunQueuingValueWinsOverTheJobValue) {
  GlueWorld world;
  world.job("on", {{"JobRunQueuingEnabled", true}});
  world.job("off");
  start_run(world, "on");
  start_run(world, "off");
  world.error("StartJobRun", {{"JobName", "on"}, {"JobRunQueuingEnabled", false}},
              "ConcurrentRunsExceededException");
  const std::string queued = start_run(world, "off", {{"JobRunQueuingEnabled", true}});
  EXPECT_EQ(state(world, "off", queued), "WAITING");
}

TEST(GlueJobs, AQueuedRunExpiresWhenItsTimeoutElapsesBeforeItStarts) {
  GlueWorld world(nullptr, fixed_profiles(3600));
  world.job("j", {{"JobRunQueuingEnabled", true}});
  start_run(world, "j");
  const std::string queued = start_run(world, "j", {{"Timeout", 2}});
  world.advance(sim::minutes(2) - 1);
  EXPECT_EQ(state(world, "j", queued), "WAITING");
  world.advance(1);
  const json run = get_run(world, "j", queued);
  EXPECT_EQ(run["JobRunState"], "EXPIRED");
  EXPECT_TRUE(run.contains("CompletedOn"));
  EXPECT_TRUE(run.contains("ErrorMessage"));
  EXPECT_EQ(run["ExecutionTime"], 0);
}

TEST(GlueJobs, AStoppedWaitingRunNeverStarts) {
  GlueWorld world;
  world.job("j", {{"JobRunQueuingEnabled", true}});
  start_run(world, "j");
  const std::string queued = start_run(world, "j");
  const json answer = world.ok("BatchStopJobRun", {{"JobName", "j"}, {"JobRunIds", {queued}}});
  EXPECT_EQ(answer["SuccessfulSubmissions"].size(), 1u);
  EXPECT_EQ(state(world, "j", queued), "STOPPED");  // it held nothing to release
  world.advance(sim::hours(1));
  EXPECT_EQ(state(world, "j", queued), "STOPPED");
  EXPECT_EQ(get_run(world, "j", queued)["ExecutionTime"], 0);
}

// --- BatchStopJobRun (rule 9.25) -------------------------------------------------------

TEST(GlueJobs, BatchStopJobRunStopsActiveRunsAndReportsTheOthers) {
  GlueWorld world;
  world.job("j", {{"ExecutionProperty", {{"MaxConcurrentRuns", 3}}}});
  world.job("other");
  const std::string done = start_run(world, "j");
  world.advance(sim::hours(1));
  const std::string running = start_run(world, "j");
  const std::string starting = start_run(world, "j");
  const std::string foreign = start_run(world, "other");
  world.advance(sim::seconds(5));
  const json answer = world.ok(
      "BatchStopJobRun", {{"JobName", "j"}, {"JobRunIds", {running, done, "jr_unknown", foreign}}});
  ASSERT_EQ(answer["SuccessfulSubmissions"].size(), 1u);
  EXPECT_EQ(answer["SuccessfulSubmissions"][0], json({{"JobName", "j"}, {"JobRunId", running}}));
  ASSERT_EQ(answer["Errors"].size(), 3u);
  EXPECT_EQ(answer["Errors"][0]["JobRunId"], done);
  EXPECT_EQ(answer["Errors"][0]["ErrorDetail"]["ErrorCode"], "InvalidInputException");
  EXPECT_EQ(answer["Errors"][1]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
  EXPECT_EQ(answer["Errors"][2]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
  EXPECT_EQ(state(world, "j", running), "STOPPING");
  EXPECT_EQ(state(world, "j", starting), "STARTING");
  world.advance(sim::seconds(5));
  const json stopped = get_run(world, "j", running);
  EXPECT_EQ(stopped["JobRunState"], "STOPPED");
  EXPECT_TRUE(stopped.contains("CompletedOn"));
  EXPECT_EQ(state(world, "other", foreign), "RUNNING");
}

TEST(GlueJobs, BatchStopJobRunValidationAndUnknownJob) {
  GlueWorld world;
  world.error("BatchStopJobRun", {{"JobName", "j"}}, "InvalidInputException");
  world.error("BatchStopJobRun", {{"JobName", "j"}, {"JobRunIds", json::array()}},
              "InvalidInputException");
  json many = json::array();
  for (int i = 0; i < 26; ++i) many.push_back("jr_" + std::to_string(i));
  world.error("BatchStopJobRun", {{"JobName", "j"}, {"JobRunIds", many}}, "InvalidInputException");
  const json answer =
      world.ok("BatchStopJobRun", {{"JobName", "missing"}, {"JobRunIds", {"jr_1", "jr_2"}}});
  EXPECT_TRUE(answer["SuccessfulSubmissions"].empty());
  ASSERT_EQ(answer["Errors"].size(), 2u);
  EXPECT_EQ(answer["Errors"][1]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
}

// --- GetJobRun / GetJobRuns ------------------------------------------------------------

TEST(GlueJobs, GetJobRunErrorsAndPredecessorsIncluded) {
  GlueWorld world;
  world.job("j");
  world.job("k");
  const std::string id = start_run(world, "j");
  world.error("GetJobRun", {{"JobName", "j"}}, "InvalidInputException");
  world.error("GetJobRun", {{"JobName", "j"}, {"RunId", id}, {"PredecessorsIncluded", "y"}},
              "InvalidInputException");
  world.error("GetJobRun", {{"JobName", "x"}, {"RunId", id}}, "EntityNotFoundException");
  world.error("GetJobRun", {{"JobName", "k"}, {"RunId", id}}, "EntityNotFoundException");
  world.error("GetJobRun", {{"JobName", "j"}, {"RunId", "jr_x"}}, "EntityNotFoundException");
  EXPECT_FALSE(get_run(world, "j", id).contains("PredecessorRuns"));
  EXPECT_EQ(get_run(world, "j", id, true)["PredecessorRuns"], json::array());
}

TEST(GlueJobs, GetJobRunsPagesNewestFirst) {
  GlueWorld world;
  world.job("j", {{"ExecutionProperty", {{"MaxConcurrentRuns", 5}}}});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(start_run(world, "j"));
    world.advance(sim::seconds(1));
  }
  const json first = world.ok("GetJobRuns", {{"JobName", "j"}, {"MaxResults", 2}});
  ASSERT_EQ(first["JobRuns"].size(), 2u);
  EXPECT_EQ(first["JobRuns"][0]["Id"], ids[2]);
  EXPECT_EQ(first["JobRuns"][1]["Id"], ids[1]);
  ASSERT_TRUE(first.contains("NextToken"));
  start_run(world, "j");  // a newer run does not shift the pages already handed out
  const json second = world.ok(
      "GetJobRuns", {{"JobName", "j"}, {"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["JobRuns"].size(), 1u);
  EXPECT_EQ(second["JobRuns"][0]["Id"], ids[0]);
  EXPECT_FALSE(second.contains("NextToken"));
  world.error("GetJobRuns", {{"JobName", "j"}, {"NextToken", "forged"}}, "InvalidInputException");
  world.error("GetJobRuns", {{"JobName", "j"}, {"MaxResults", 201}}, "InvalidInputException");
  world.error("GetJobRuns", {{"JobName", "j"}, {"MaxResults", 0}}, "InvalidInputException");
  world.error("GetJobRuns", {{"JobName", "missing"}}, "EntityNotFoundException");
}

TEST(GlueJobs, StandaloneRunsExpireAfterTheRetention) {
  GlueWorld world(json{{"timings", {{"job_run_retention", 3600}}}});
  world.job("j");
  const std::string id = start_run(world, "j");
  world.advance(sim::seconds(70) + sim::seconds(3600) - 1);
  EXPECT_EQ(state(world, "j", id), "SUCCEEDED");
  world.advance(1);
  world.error("GetJobRun", {{"JobName", "j"}, {"RunId", id}}, "EntityNotFoundException");
  EXPECT_TRUE(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].empty());
}

// 6.12: job runs are kept for their own retention, workflow runs' job runs too. Before the
// audit a workflow's job run was never removed.
TEST(GlueJobs, WorkflowJobRunsExpireAfterTheirOwnRetention) {
  GlueWorld world(json{{"timings", {{"run_retention", "P1D"}, {"job_run_retention", "P3D"}}}},
                  fixed_profiles(60));
  world.job("j");
  world.workflow("w");
  world.start_trigger("go", "w", {"j"});
  const std::string run = world.start("w");
  world.run_until_idle();
  ASSERT_EQ(world.run_status("w", run), "COMPLETED");
  const json job_runs = world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"];
  ASSERT_EQ(job_runs.size(), 1u);
  const std::string id = job_runs[0]["Id"];
  world.advance(sim::days(2));
  world.error("GetWorkflowRun", {{"Name", "w"}, {"RunId", run}}, "EntityNotFoundException");
  EXPECT_EQ(state(world, "j", id), "SUCCEEDED") << "the job run outlives its workflow run";
  world.advance(sim::days(1) + sim::minutes(10));
  world.error("GetJobRun", {{"JobName", "j"}, {"RunId", id}}, "EntityNotFoundException");
  EXPECT_TRUE(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].empty());
}

TEST(GlueJobs, DeletingAJobLetsItsRunningRunFinish) {
  GlueWorld world;
  world.job("j");
  start_run(world, "j");
  world.ok("DeleteJob", {{"JobName", "j"}});
  world.advance(sim::hours(1));
  world.job("j");
  EXPECT_TRUE(world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"].empty());
  start_run(world, "j");
}

TEST(GlueJobs, SameSeedSameRuns) {
  const json profiles = {
      {"job", {{"duration", {{"uniform", {10, 500}}}}, {"outcome", {{"fail", "1/3"}}}}}};
  auto history = [&](std::uint64_t seed) {
    GlueWorld world(nullptr, profiles, seed);
    world.job("j", {{"MaxRetries", 2}});
    for (int run = 0; run < 4; ++run) {
      start_run(world, "j");
      world.advance(sim::hours(1));
    }
    return world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"];
  };
  const json first = history(7);
  ASSERT_GE(first.size(), 4u);
  EXPECT_EQ(first, history(7));
  EXPECT_NE(first, history(8));  // the durations and outcomes come from the seed
}

// --- job runs a workflow launches (these need the lead's runs.cpp and triggers.cpp) ----

TEST(GlueJobsInWorkflows, WorkflowRunsPassWorkflowArgumentsAndTriggerName) {
  GlueWorld world;
  world.job("j", {{"DefaultArguments", {{"--a", "1"}}}});
  world.workflow("wf");
  world.start_trigger("start", "wf", {"j"});
  const std::string run_id = world.start("wf");
  const json runs = world.ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["TriggerName"], "start");
  EXPECT_EQ(runs[0]["Arguments"]["--WORKFLOW_NAME"], "wf");
  EXPECT_EQ(runs[0]["Arguments"]["--WORKFLOW_RUN_ID"], run_id);
  EXPECT_EQ(runs[0]["Arguments"]["--a"], "1");
  world.advance(sim::hours(1));
  EXPECT_EQ(world.run_status("wf", run_id), "COMPLETED");
}

TEST(GlueJobsInWorkflows, ADeletedJobGivesAnErrorRunAndABusyJobAFailedOneNotRetried) {
  GlueWorld world(nullptr, fixed_profiles(600));
  world.job("gone");
  world.job("busy", {{"MaxRetries", 2}});
  world.workflow("wf");
  world.start_trigger("start", "wf", {"gone", "busy"});
  world.ok("DeleteJob", {{"JobName", "gone"}});
  start_run(world, "busy");
  const std::string run_id = world.start("wf");
  world.expect_invariants("right after the start");  // the failed runs never held a slot
  world.advance(sim::seconds(1));
  // An attempt that never ran is not retried, whatever MaxRetries says.
  const json busy_runs = world.ok("GetJobRuns", {{"JobName", "busy"}})["JobRuns"];
  ASSERT_EQ(busy_runs.size(), 2u);
  EXPECT_EQ(busy_runs[0]["JobRunState"], "FAILED");
  EXPECT_NE(busy_runs[0].value("ErrorMessage", "").find("Concurrent runs exceeded"),
            std::string::npos);
  const json run = world.run("wf", run_id);
  bool saw_error = false;
  for (const auto& node : run["Graph"]["Nodes"]) {
    if (node["Name"] != "gone") continue;
    ASSERT_EQ(node["JobDetails"]["JobRuns"].size(), 1u);
    EXPECT_EQ(node["JobDetails"]["JobRuns"][0]["JobRunState"], "ERROR");
    saw_error = true;
  }
  EXPECT_TRUE(saw_error);
}

TEST(GlueJobsInWorkflows, OverTheAccountQuotaAWorkflowJobRunFailsOrWaits) {
  GlueWorld world(json{{"quotas", {{"concurrent_job_runs", 1}}}}, fixed_profiles(600));
  world.job("a");
  world.job("b");
  world.job("queued", {{"JobRunQueuingEnabled", true}});
  world.workflow("wf");
  world.start_trigger("start", "wf", {"b", "queued"});
  start_run(world, "a");
  world.start("wf");
  const json b_runs = world.ok("GetJobRuns", {{"JobName", "b"}})["JobRuns"];
  ASSERT_EQ(b_runs.size(), 1u);
  EXPECT_EQ(b_runs[0]["JobRunState"], "FAILED");
  EXPECT_NE(b_runs[0].value("ErrorMessage", "").find("quota"), std::string::npos);
  const json queued = world.ok("GetJobRuns", {{"JobName", "queued"}})["JobRuns"];
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0]["JobRunState"], "WAITING");
  world.expect_invariants("with a queued workflow job run");
  world.advance(sim::seconds(610));
  EXPECT_EQ(state(world, "queued", queued[0]["Id"]), "STARTING");
}

TEST(GlueJobsInWorkflows, RetriesAreAppendedToTheNodesJobRuns) {
  GlueWorld world(nullptr, job_profiles({{"j", {{"outcome", {"FAILED", "SUCCEEDED"}}}}}));
  world.job("j", {{"MaxRetries", 1}});
  world.workflow("wf");
  world.start_trigger("start", "wf", {"j"});
  const std::string run_id = world.start("wf");
  world.advance(sim::hours(1));
  const json run = world.run("wf", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  for (const auto& node : run["Graph"]["Nodes"]) {
    if (node["Type"] != "JOB") continue;
    const json& attempts = node["JobDetails"]["JobRuns"];
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0]["JobRunState"], "FAILED");
    EXPECT_EQ(attempts[1]["JobRunState"], "SUCCEEDED");
    EXPECT_EQ(attempts[1]["PreviousRunId"], attempts[0]["Id"]);
    EXPECT_EQ(attempts[1]["Arguments"]["--WORKFLOW_RUN_ID"], run_id);
  }
}

}  // namespace
}  // namespace wfsim::models::glue::testing
