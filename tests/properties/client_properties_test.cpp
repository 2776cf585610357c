// The ready client properties judged on hand-built histories: each one passes a history that
// keeps its rule and fails, at the step it names, one that breaks it. check_client's tests
// run them only inside whole checks, where a property that never fired would go unnoticed.
#include "properties/client_properties.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "properties/service_facts.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

const ServiceFacts& mwaa() {
  static const ServiceFacts facts = mwaa_serverless_facts();
  return facts;
}

models::AwsError error(const std::string& code, int http_status, json fields = json::object()) {
  models::AwsError out;
  out.code = code;
  out.message = code;
  out.http_status = http_status;
  out.fields = std::move(fields);
  return out;
}

// A history of the code under test, built step by step, and the record the checks read.
class RecordBuilder {
 public:
  RecordBuilder() { record_.facts = &mwaa(); }

  RecordBuilder& start_ok(sim::TimeUs at_s, const std::string& run_id) {
    return started(at_s, run_id, json{{"RunId", run_id}, {"Status", "STARTING"}});
  }
  // The start was applied, but the client saw only a transport error.
  RecordBuilder& start_lost(sim::TimeUs at_s, const std::string& run_id) {
    return started(at_s, run_id, error("RequestTimeout", 0));
  }
  RecordBuilder& get(sim::TimeUs at_s, const std::string& run_id, const std::string& state) {
    return attempt(
        at_s, "GetWorkflowRun",
        models::JsonOutcome(json{{"RunId", run_id}, {"RunDetail", {{"RunState", state}}}}));
  }
  RecordBuilder& refused(sim::TimeUs at_s, const std::string& operation, models::AwsError why) {
    return attempt(at_s, operation, models::JsonOutcome(std::move(why)));
  }
  RecordBuilder& logical_starts(std::size_t count) {
    record_.history.logical_starts = count;
    return *this;
  }
  RecordBuilder& returned(models::AwsError why) {
    record_.result.error = std::move(why);
    return *this;
  }
  RecordBuilder& active_after_each(std::vector<std::size_t> counts) {
    for (std::size_t step = 0; step < counts.size(); ++step) {
      record_.active_samples.push_back({step, counts[step]});
    }
    return *this;
  }
  const CaseRecord& record() const { return record_; }

 private:
  // A start attempt that made `run_id`, whatever the client saw.
  RecordBuilder& started(sim::TimeUs at_s, const std::string& run_id, models::JsonOutcome seen) {
    attempt(at_s, "StartWorkflowRun", std::move(seen));
    record_.created.push_back({run_id, record_.history.steps.size() - 1});
    return *this;
  }
  RecordBuilder& attempt(sim::TimeUs at_s, const std::string& operation, models::JsonOutcome seen) {
    Attempt made;
    made.sent_at_us = sim::seconds(at_s);
    made.service = "mwaa-serverless";
    made.operation = operation;
    made.seen = std::move(seen);
    History::Step step;
    step.attempt = std::move(made);
    record_.history.steps.push_back(std::move(step));
    return *this;
  }

  CaseRecord record_;
};

// The property's verdict on the record: empty when it holds, else the violation's step.
std::optional<std::size_t> violated_at(const ClientProperty& property, const CaseRecord& record) {
  const std::optional<Violation> violation = property.check(record);
  if (!violation) return std::nullopt;
  EXPECT_EQ(violation->property, property.name);
  EXPECT_FALSE(violation->detail.empty());
  return violation->step;
}

TEST(ClientProperties, AtMostOneRunPerLogicalStart) {
  const ClientProperty property = at_most_one_run_per_logical_start();
  RecordBuilder once;
  once.logical_starts(1).start_ok(0, "r1").get(60, "r1", "SUCCESS");
  EXPECT_EQ(violated_at(property, once.record()), std::nullopt);

  RecordBuilder twice;
  twice.logical_starts(1).start_lost(0, "r1").start_ok(5, "r2");
  EXPECT_EQ(violated_at(property, twice.record()), std::optional<std::size_t>(1));
  EXPECT_NE(property.check(twice.record())->detail.find("run r2 is the extra one"),
            std::string::npos);
}

TEST(ClientProperties, NoRunLeftUnobserved) {
  const ClientProperty property = no_run_left_unobserved();
  RecordBuilder seen_later;
  seen_later.start_lost(0, "r1").get(10, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, seen_later.record()), std::nullopt);

  RecordBuilder never_seen;
  never_seen.start_lost(0, "r1").get(10, "other", "RUNNING");
  EXPECT_EQ(violated_at(property, never_seen.record()), std::optional<std::size_t>(1));
}

TEST(ClientProperties, ActiveRunsAtMost) {
  const ClientProperty property = active_runs_at_most(2);
  EXPECT_TRUE(property.needs_active_samples);
  EXPECT_EQ(property.name, "active-runs-at-most-2");
  RecordBuilder within;
  within.active_after_each({1, 2, 2, 0});
  EXPECT_EQ(violated_at(property, within.record()), std::nullopt);

  RecordBuilder over;
  over.active_after_each({1, 2, 3, 1});
  EXPECT_EQ(violated_at(property, over.record()), std::optional<std::size_t>(2));
}

TEST(ClientProperties, EventuallySeesTerminalState) {
  const ClientProperty property = eventually_sees_terminal_state();
  RecordBuilder ended;
  ended.start_ok(0, "r1").get(60, "r1", "RUNNING").get(120, "r1", "FAILED");
  EXPECT_EQ(violated_at(property, ended.record()), std::nullopt);

  RecordBuilder still_running;
  still_running.start_ok(0, "r1").get(60, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, still_running.record()), std::optional<std::size_t>(1));

  RecordBuilder another_ended;  // the run that ended is not the one it made
  another_ended.start_ok(0, "r1").get(60, "r2", "SUCCESS");
  EXPECT_NE(violated_at(property, another_ended.record()), std::nullopt);

  RecordBuilder nothing_started;
  nothing_started.refused(0, "StartWorkflowRun", error("ValidationException", 400));
  EXPECT_EQ(violated_at(property, nothing_started.record()), std::optional<std::size_t>(0));
}

TEST(ClientProperties, BackoffRespectsRetryAfter) {
  const ClientProperty property = backoff_respects_retry_after();
  const models::AwsError throttled = error("ThrottlingException", 429, {{"RetryAfterSeconds", 10}});
  RecordBuilder waited;
  waited.refused(0, "GetWorkflowRun", throttled).get(10, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, waited.record()), std::nullopt);

  RecordBuilder too_soon;
  too_soon.refused(0, "GetWorkflowRun", throttled).get(9, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, too_soon.record()), std::optional<std::size_t>(1));

  // Only the next attempt of the same operation counts, and an error without the member
  // asks for nothing.
  RecordBuilder other_operation;
  other_operation.refused(0, "GetWorkflowRun", throttled)
      .start_ok(1, "r1")
      .get(10, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, other_operation.record()), std::nullopt);
  RecordBuilder no_member;
  no_member.refused(0, "GetWorkflowRun", error("ThrottlingException", 429)).get(0, "r1", "RUNNING");
  EXPECT_EQ(violated_at(property, no_member.record()), std::nullopt);
}

TEST(ClientProperties, NeverSpins) {
  const ClientProperty property = never_spins();
  RecordBuilder waited;
  waited.refused(0, "StartWorkflowRun", error("ServiceQuotaExceededException", 402))
      .start_ok(30, "r1");
  EXPECT_EQ(violated_at(property, waited.record()), std::nullopt);

  RecordBuilder at_once;
  at_once.start_ok(0, "r0")
      .refused(5, "StartWorkflowRun", error("ThrottlingException", 429))
      .start_ok(5, "r1");
  EXPECT_EQ(violated_at(property, at_once.record()), std::optional<std::size_t>(2));

  // An error that is neither throttling nor a capacity refusal may be retried at once.
  RecordBuilder validation;
  validation.refused(0, "StartWorkflowRun", error("ValidationException", 400)).start_ok(0, "r1");
  EXPECT_EQ(violated_at(property, validation.record()), std::nullopt);

  CaseRecord aborted = waited.record();
  aborted.aborted = "more than 200 calls";
  EXPECT_EQ(violated_at(property, aborted), std::optional<std::size_t>(1));
}

TEST(ClientProperties, NoRetryableErrorLeaks) {
  const ClientProperty property = no_retryable_error_leaks();
  RecordBuilder kept;
  kept.start_ok(0, "r1").returned(error("ValidationException", 400));
  EXPECT_EQ(violated_at(property, kept.record()), std::nullopt);
  for (const models::AwsError& leaked :
       {error("ThrottlingException", 429), error("InternalServerException", 500),
        error("RequestTimeout", 0)}) {
    RecordBuilder leaking;
    leaking.start_ok(0, "r1").returned(leaked);
    EXPECT_EQ(violated_at(property, leaking.record()), std::optional<std::size_t>(0))
        << leaked.code;
  }
}

TEST(ClientProperties, StartOnceAndWaitHasEveryPropertyButTheCanary) {
  std::vector<std::string> names;
  for (const ClientProperty& property : start_once_and_wait_properties()) {
    names.push_back(property.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "at-most-one-run-per-logical-start", "no-run-left-unobserved",
                       "eventually-sees-terminal-state", "backoff-respects-retry-after",
                       "never-spins", "no-retryable-error-leaks"}));
}

}  // namespace
}  // namespace wfsim::properties
