// check_client on the example clients: the correct ones pass over thousands of seeds, each
// buggy one is caught and shrunk to at most five client steps, the scenario file written for
// it replays exactly, and the canary proves the harness can fail.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "properties/check_client.hpp"
#include "properties/client_properties.hpp"
#include "properties/examples/clients.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace wfsim::properties {
namespace {

using examples::Bug;

constexpr std::uint64_t kSeed = 20261121;

CheckOptions options(std::size_t cases) {
  CheckOptions out;
  out.seed = kSeed;
  out.cases = cases;
  out.scenario_dir = testing::TempDir();
  out.log = &std::cout;
  return out;
}

// The scenario of a failure replays with every step as recorded.
void expect_replays(const Failure& failure) {
  std::ifstream file(failure.scenario_path);
  ASSERT_TRUE(file) << failure.scenario_path;
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), failure.scenario_text);
  const scenarios::ParseResult parsed = scenarios::parse_scenario_text(text.str());
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front();
  const scenarios::RunResult replay = scenarios::run_scenario(*parsed.scenario);
  EXPECT_TRUE(replay.passed());
  for (const auto& step : replay.steps) {
    for (const auto& difference : step.differences)
      ADD_FAILURE() << step.what << ": " << difference.to_string();
  }
}

// The spec's bug is caught and shrunk, `property` is the first violation and `violated`
// every property the minimal case breaks, and the case's scenario replays. Returns the
// failure (an empty one when nothing failed).
Failure expect_caught(const CheckSpec& spec, const std::string& property,
                      const std::set<std::string>& violated) {
  const CheckReport report = check_client(spec, options(500));
  EXPECT_FALSE(report.passed()) << spec.name << " passed " << report.cases_run << " cases";
  if (report.passed()) return Failure{};
  const Failure& failure = *report.failure;
  std::set<std::string> names;
  for (const Violation& violation : failure.outcome.violations) names.insert(violation.property);
  EXPECT_EQ(names, violated) << describe_failure(spec, failure);
  if (failure.outcome.violations.empty()) return failure;
  EXPECT_EQ(failure.outcome.violations.front().property, property);
  EXPECT_LE(failure.outcome.client_steps(), 5u) << describe_failure(spec, failure);
  EXPECT_LE(failure.minimal.fault_count(), failure.original.fault_count());
  expect_replays(failure);
  return failure;
}

TEST(CheckClientExamples, CorrectMwaaClientPassesThousandsOfSeeds) {
  const CheckReport report =
      check_client(examples::mwaa_start_once_spec(Bug::none, false), options(2000));
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.cases_run, 2000u);
}

TEST(CheckClientExamples, CorrectGlueClientPassesThousandsOfSeeds) {
  const CheckReport report =
      check_client(examples::glue_start_once_spec(Bug::none, false), options(2000));
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.cases_run, 2000u);
}

TEST(CheckClientExamples, CorrectClientsPassWithSdkRetriesAndUnderACapacityLimit) {
  for (const bool busy : {false, true}) {
    for (const RetryPolicy& retry : {RetryPolicy::none(), RetryPolicy::standard()}) {
      EXPECT_TRUE(check_client(examples::mwaa_start_once_spec(Bug::none, busy, retry), options(300))
                      .passed());
      EXPECT_TRUE(check_client(examples::glue_start_once_spec(Bug::none, busy, retry), options(300))
                      .passed());
    }
  }
}

TEST(CheckClientExamples, RetryingAStartWithoutATokenMakesASecondRun) {
  const std::set<std::string> violated = {"at-most-one-run-per-logical-start",
                                          "no-run-left-unobserved",
                                          "eventually-sees-terminal-state"};
  expect_caught(examples::mwaa_start_once_spec(Bug::retry_start_without_token, false),
                "at-most-one-run-per-logical-start", violated);
  expect_caught(examples::glue_start_once_spec(Bug::retry_start_without_token, false),
                "at-most-one-run-per-logical-start", violated);
}

TEST(CheckClientExamples, TreatingATimeoutAsNotStartedLeavesARunUnobserved) {
  // It also hands the timeout, which the SDKs retry, to its own caller.
  const std::set<std::string> violated = {"no-run-left-unobserved",
                                          "eventually-sees-terminal-state",
                                          "no-retryable-error-leaks"};
  expect_caught(examples::mwaa_start_once_spec(Bug::timeout_means_not_started, false),
                "no-run-left-unobserved", violated);
  expect_caught(examples::glue_start_once_spec(Bug::timeout_means_not_started, false),
                "no-run-left-unobserved", violated);
}

TEST(CheckClientExamples, SpinningOnACapacityRefusalIsCaughtWithoutAnyFault) {
  for (const CheckSpec& spec : {examples::mwaa_start_once_spec(Bug::spin_on_capacity, true),
                                examples::glue_start_once_spec(Bug::spin_on_capacity, true)}) {
    // Stopped by the call budget, it never sees its run end either.
    const Failure failure =
        expect_caught(spec, "never-spins", {"never-spins", "eventually-sees-terminal-state"});
    EXPECT_EQ(failure.minimal.fault_count(), 0u) << describe_failure(spec, failure);
  }
}

// Found by the harness: the SDKs' standard mode retries a lost response, and Glue's
// StartWorkflowRun carries no idempotency token, so SDK retries alone can start two runs.
TEST(CheckClientExamples, LettingTheSdkRetryAGlueStartMakesASecondRun) {
  expect_caught(examples::glue_start_once_spec(Bug::start_through_sdk_retries, false,
                                               RetryPolicy::standard()),
                "at-most-one-run-per-logical-start",
                {"at-most-one-run-per-logical-start", "no-run-left-unobserved",
                 "eventually-sees-terminal-state"});
}

TEST(CheckClientExamples, TheCanaryFailsAndShrinksToOneFault) {
  CheckSpec spec = examples::mwaa_start_once_spec(Bug::none, false);
  spec.name = "canary";
  spec.properties = {canary_no_fault_reaches_client()};
  const CheckReport report = check_client(spec, options(200));
  ASSERT_FALSE(report.passed());
  const Failure& failure = *report.failure;
  EXPECT_EQ(failure.minimal.fault_count(), 1u);
  EXPECT_EQ(failure.outcome.client_steps(), 1u);
  expect_replays(failure);
}

TEST(CheckClient, TheSameCaseGivesTheSameHistory) {
  const CheckSpec spec = examples::glue_start_once_spec(Bug::none, false);
  CheckCase check_case;
  check_case.world_seed = 99;
  for (const sim::FaultKind kind : {sim::FaultKind::timeout_after, sim::FaultKind::none,
                                    sim::FaultKind::lost_response, sim::FaultKind::throttle}) {
    sim::FaultDecision decision;
    decision.kind = kind;
    check_case.faults.push_back(decision);
  }
  const CaseOutcome first = run_case(spec, check_case);
  const CaseOutcome second = run_case(spec, check_case);
  ASSERT_EQ(first.record.history.steps.size(), second.record.history.steps.size());
  for (std::size_t i = 0; i < first.record.history.steps.size(); ++i) {
    const auto& a = first.record.history.steps[i];
    const auto& b = second.record.history.steps[i];
    ASSERT_EQ(a.attempt.has_value(), b.attempt.has_value());
    if (a.attempt) {
      EXPECT_EQ(a.attempt->sent_at_us, b.attempt->sent_at_us);
      EXPECT_EQ(a.attempt->request, b.attempt->request);
      EXPECT_EQ(a.attempt->seen.ok(), b.attempt->seen.ok());
    } else {
      EXPECT_EQ(a.sleep->duration_us, b.sleep->duration_us);
    }
  }
  EXPECT_TRUE(first.passed());
}

// The report names the first failing case so that it can be rerun on its own: the same
// seed and case count with first_case at its index draw it first and shrink it the same.
TEST(CheckClient, TheFirstFailingCaseIsReportedSoThatItCanBeRerunFirst) {
  CheckSpec spec = examples::mwaa_start_once_spec(Bug::none, false);
  spec.properties = {canary_no_fault_reaches_client()};
  CheckOptions quiet = options(200);
  quiet.log = nullptr;
  const CheckReport first = check_client(spec, quiet);
  ASSERT_FALSE(first.passed());
  const Failure& failure = *first.failure;
  EXPECT_EQ(first.cases_run, failure.case_index + 1);  // nothing failed before it
  EXPECT_EQ(failure.check_seed, kSeed);
  EXPECT_EQ(failure.case_count, 200u);
  ASSERT_GT(failure.case_index, 0u) << "the rerun below would prove nothing";

  CheckOptions rerun = quiet;
  rerun.first_case = failure.case_index;
  const CheckReport again = check_client(spec, rerun);
  ASSERT_FALSE(again.passed());
  EXPECT_EQ(again.cases_run, 1u);
  EXPECT_EQ(again.failure->case_index, failure.case_index);
  EXPECT_EQ(again.failure->case_seed, failure.case_seed);
  EXPECT_EQ(again.failure->scenario_text, failure.scenario_text);

  const std::string report = describe_failure(spec, failure);
  EXPECT_NE(report.find("failed at case " + std::to_string(failure.case_index) + " of 200 (seed " +
                        std::to_string(kSeed) + ";"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("first_case = " + std::to_string(failure.case_index)), std::string::npos);

  CheckOptions past_the_end = quiet;
  past_the_end.first_case = past_the_end.cases;
  EXPECT_THROW(check_client(spec, past_the_end), std::invalid_argument);
  EXPECT_NE(report.find("replay: wfsim replay "), std::string::npos);
}

// The same check driven by RapidCheck inside GoogleTest: RapidCheck draws and shrinks.
RC_GTEST_PROP(CheckClientUnderRapidCheck, CorrectMwaaClientStartsOnceAndSeesTheEnd, ()) {
  check_one_case_under_rapidcheck(examples::mwaa_start_once_spec(Bug::none, false),
                                  testing::TempDir());
}

RC_GTEST_PROP(CheckClientUnderRapidCheck, CorrectGlueClientStartsOnceAndSeesTheEnd, ()) {
  check_one_case_under_rapidcheck(
      examples::glue_start_once_spec(Bug::none, false, RetryPolicy::standard()),
      testing::TempDir());
}

}  // namespace
}  // namespace wfsim::properties
