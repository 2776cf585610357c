// The runner: expectations, errors, saves, forced faults, clock steps, seed override, and
// the determinism check, all against the fake service.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.hpp"
#include "tests/world/fake_service.hpp"

namespace wfsim::scenarios {
namespace {

using nlohmann::json;
using testing::FakeService;

Scenario scenario_of(const json& steps, json config = json::object()) {
  json document = {{"wfsim", 1}, {"name", "test"}, {"seed", 5}, {"start", "2026-01-01T00:00:00Z"},
                   {"config", std::move(config)}, {"steps", steps}};
  ParseResult parsed = parse_scenario(document);
  EXPECT_TRUE(parsed.ok()) << ::testing::PrintToString(parsed.errors);
  return parsed.scenario.value_or(Scenario{});
}

RunOptions with_fake() {
  RunOptions options;
  options.prepare_world = [](World& world) { FakeService::install(world); };
  return options;
}

RunResult run(const json& steps, RunOptions options = with_fake()) {
  return run_scenario(scenario_of(steps), options);
}

std::vector<std::string> differences(const StepRecord& step) {
  std::vector<std::string> lines;
  for (const Difference& difference : step.differences) lines.push_back(difference.to_string());
  return lines;
}

TEST(Runner, PassingAndFailingExpectationsAreCounted) {
  RunResult result = run(json::array({
      {{"call", "fake:Echo"}, {"request", {{"a", 1}, {"b", 2}}}, {"expect", {{"a", 1}}}},
      {{"call", "fake:Echo"}, {"request", {{"a", 1}}}, {"expect", {{"a", 2}}}},
      {{"call", "fake:Fail"}, {"request", json::object()}, {"expect_error", "FakeFailure"}},
  }));
  ASSERT_EQ(result.steps.size(), 3u);
  EXPECT_TRUE(result.steps[0].passed);
  EXPECT_FALSE(result.steps[1].passed);
  EXPECT_EQ(differences(result.steps[1]),
            std::vector<std::string>{"response.a: expected 2, got 1"});
  EXPECT_TRUE(result.steps[2].passed);
  EXPECT_EQ(result.steps_passed, 2u);
  EXPECT_EQ(result.steps_failed, 1u);
  EXPECT_FALSE(result.passed());
  EXPECT_EQ(result.steps[1].what, "call fake:Echo");
  EXPECT_EQ(result.trace_hash.size(), 16u);
}

// A fuzz finding whose exception came from a timer replays as a failure at the step where
// the timer fired, although every answer matched.
TEST(Runner, AServiceThatThrowsFailsTheStepEvenWhenTheAnswerMatched) {
  RunResult result = run(json::array({
      {{"call", "fake:LaterThrow"}, {"request", json::object()}, {"expect", json::object()}},
      {{"advance", 2}},
      {{"call", "fake:Throw"}, {"request", json::object()}, {"expect_error", "InternalFailure"}},
  }));
  ASSERT_EQ(result.steps.size(), 3u);
  EXPECT_TRUE(result.steps[0].passed);
  EXPECT_EQ(differences(result.steps[1]),
            std::vector<std::string>{"crash: timer threw: timer exploded"});
  EXPECT_EQ(differences(result.steps[2]),
            std::vector<std::string>{"crash: fake:Throw threw: fake exploded"});
  EXPECT_EQ(result.steps_failed, 2u);
}

TEST(Runner, AnErrorFailsACallThatDoesNotExpectIt) {
  RunResult result = run(json::array({{{"call", "fake:Fail"}, {"request", json::object()}}}));
  ASSERT_FALSE(result.steps[0].passed);
  EXPECT_EQ(differences(result.steps[0]),
            std::vector<std::string>{
                "response: expected a response, got error FakeFailure (HTTP 400): asked to fail"});
  EXPECT_EQ(result.steps[0].error_code, "FakeFailure");
}

TEST(Runner, ExpectErrorNeedsThatExactCode) {
  RunResult result = run(json::array({
      {{"call", "fake:Fail"}, {"request", json::object()}, {"expect_error", "OtherError"}},
      {{"call", "fake:Echo"}, {"request", json::object()}, {"expect_error", "FakeFailure"}},
  }));
  EXPECT_EQ(differences(result.steps[0]),
            std::vector<std::string>{"error: expected OtherError, got FakeFailure: asked to fail"});
  EXPECT_EQ(differences(result.steps[1]),
            std::vector<std::string>{"error: expected FakeFailure, got a response: {}"});
}

TEST(Runner, SavedValuesReachLaterRequestsAndExpectations) {
  RunResult result = run(json::array({
      {{"call", "fake:Count"}, {"request", json::object()}, {"save", {{"n", "/count"}}}},
      {{"call", "fake:Echo"}, {"request", {{"value", "${n}"}, {"text", "n=${n}"}}},
       {"expect", {{"value", 1}, {"text", "n=1"}}}, {"save", {{"whole", ""}}}},
      {{"call", "fake:Echo"}, {"request", "${whole}"}, {"expect", "${whole}"}},
      {{"call", "fake:Fail"}, {"request", json::object()}, {"expect_error", "FakeFailure"},
       {"save", {{"reason", "/Reason"}}}},
      {{"call", "fake:Echo"}, {"request", {{"r", "${reason}"}}}, {"expect", {{"r", "asked"}}}},
  }));
  for (const StepRecord& step : result.steps)
    EXPECT_TRUE(step.passed) << ::testing::PrintToString(differences(step));
}

TEST(Runner, AnUnknownNameFailsTheStepWithoutCallingAndAMissingPointerFailsTheSave) {
  RunResult result = run(json::array({
      {{"call", "fake:Count"}, {"request", {{"x", "${nope}"}}}},
      {{"call", "fake:Count"}, {"request", json::object()}, {"expect", {{"count", 1}}},
       {"save", {{"id", "/Id"}}}},
  }));
  EXPECT_FALSE(result.steps[0].called);
  EXPECT_EQ(differences(result.steps[0]),
            std::vector<std::string>{"request.x: unknown name ${nope} (nothing is saved yet)"});
  EXPECT_EQ(differences(result.steps[1]),
            std::vector<std::string>{"save.id: /Id is not in the response"});
}

TEST(Runner, AFailedSaveUnbindsTheNameInsteadOfKeepingAnEarlierValue) {
  RunResult result = run(json::array({
      {{"call", "fake:Count"}, {"request", json::object()}, {"save", {{"n", "/count"}}}},
      {{"call", "fake:Count"}, {"request", json::object()}, {"save", {{"n", "/missing"}}}},
      {{"call", "fake:Echo"}, {"request", {{"value", "${n}"}}}},
  }));
  EXPECT_TRUE(result.steps[0].passed);
  EXPECT_FALSE(result.steps[1].passed);
  EXPECT_FALSE(result.steps[2].called);
  ASSERT_EQ(differences(result.steps[2]).size(), 1u);
  EXPECT_EQ(differences(result.steps[2])[0].rfind("request.value: unknown name ${n}", 0), 0u)
      << differences(result.steps[2])[0];
}

// Fault rules may name what prepare_world installs; they are checked once it has run.
TEST(Runner, FaultRulesAreCheckedAgainstTheServicesPrepareWorldInstalls) {
  const json steps = json::array({{{"call", "fake:Count"}, {"request", json::object()}}});
  const auto config_with_match = [](const char* match) {
    return json{{"faults", {{"rules", {{{"match", match}, {"kind", "internal"}, {"nth", {9}}}}}}}};
  };
  RunResult good = run_scenario(scenario_of(steps, config_with_match("fake:*")), with_fake());
  EXPECT_TRUE(good.setup_error.empty()) << good.setup_error;
  EXPECT_TRUE(good.passed());
  RunResult typo = run_scenario(scenario_of(steps, config_with_match("fake:Cuont")), with_fake());
  EXPECT_EQ(typo.setup_error.rfind("config.faults.rules[0].match: 'fake:Cuont' matches no call", 0),
            0u)
      << typo.setup_error;
  EXPECT_TRUE(typo.steps.empty());
}

TEST(Runner, ForcedFaultsAndExpectFault) {
  RunResult result = run(json::array({
      {{"call", "fake:Count"}, {"request", json::object()}, {"fault", "throttle"},
       {"expect_error", "ThrottlingException"}, {"expect_fault", "throttle"}},
      {{"call", "fake:Count"}, {"request", json::object()}, {"fault", "duplicate"},
       {"expect", {{"count", 1}}}, {"expect_fault", "duplicate"}},
      {{"call", "fake:Count"}, {"request", json::object()}, {"expect", {{"count", 3}}},
       {"expect_fault", "latency"}},
  }));
  EXPECT_TRUE(result.steps[0].passed);
  EXPECT_TRUE(result.steps[1].passed);
  EXPECT_EQ(differences(result.steps[2]),
            std::vector<std::string>{"fault: expected latency, got none"});
}

TEST(Runner, PlanFaultsAreSeenByExpectFault) {
  json config = {
      {"faults", {{"rules", {{{"match", "fake:Echo"}, {"kind", "lost_response"}, {"nth", {1}}}}}}}};
  RunResult result = run_scenario(scenario_of(json::array({{{"call", "fake:Echo"},
                                                            {"request", json::object()},
                                                            {"expect_error", "RequestTimeout"},
                                                            {"expect_fault", "lost_response"}}}),
                                              config),
                                  with_fake());
  EXPECT_TRUE(result.passed());
}

TEST(Runner, ClockStepsMoveVirtualTime) {
  RunResult result = run(json::array({
      {{"call", "fake:Later"}, {"request", {{"after_seconds", 90}}}},
      {{"advance", "PT1M"}},
      {{"call", "fake:Fired"}, {"request", json::object()}, {"expect", {{"fired", 0}}}},
      {{"until_idle", true}},
      {{"call", "fake:Fired"}, {"request", json::object()}, {"expect", {{"fired", 1}}}},
  }));
  EXPECT_TRUE(result.passed());
  const sim::TimeUs start = 1767225600000000;
  EXPECT_EQ(result.steps[1].time_us, start + sim::minutes(1));
  EXPECT_EQ(result.steps[3].time_us, start + sim::seconds(90));
  EXPECT_EQ(result.end_time_us, start + sim::seconds(90));
}

TEST(Runner, UntilIdleFailsOnARecurringTimerUnlessBounded) {
  RunResult unbounded = run(
      json::array({{{"call", "fake:Tick"}, {"request", json::object()}}, {{"until_idle", true}}}));
  ASSERT_FALSE(unbounded.steps[1].passed);
  EXPECT_NE(differences(unbounded.steps[1])[0].find("still busy after 100000 timer events"),
            std::string::npos);
  RunResult bounded = run(json::array(
      {{{"call", "fake:Tick"}, {"request", json::object()}},
       {{"until_idle", {{"max_events", 10}}}},
       {{"call", "fake:Fired"}, {"request", json::object()}, {"expect", {{"fired", 10}}}}}));
  EXPECT_TRUE(bounded.passed());
}

TEST(Runner, SeedOverrideChangesRandomnessAndIsReported) {
  json steps = json::array(
      {{{"call", "fake:Random"}, {"request", json::object()}, {"save", {{"v", "/value"}}}}});
  RunResult first = run(steps);
  RunOptions options = with_fake();
  options.seed = 6;
  RunResult other = run(steps, options);
  EXPECT_EQ(first.seed, 5u);
  EXPECT_EQ(other.seed, 6u);
  EXPECT_NE(first.trace_hash, other.trace_hash);
  EXPECT_NE(first.config_digest, other.config_digest);
  EXPECT_EQ(first.trace_hash, run(steps).trace_hash);
}

TEST(Runner, AnInvalidConfigIsASetupError) {
  RunResult result = run_scenario(scenario_of(json::array(), {{"regoin", "x"}}));
  EXPECT_EQ(result.setup_error.rfind("config.regoin: unknown member", 0), 0u);
  EXPECT_FALSE(result.passed());
  EXPECT_TRUE(result.steps.empty());
}

TEST(Runner, InvariantViolationsFailTheRun) {
  RunOptions options;
  options.prepare_world = [](World& world) {
    FakeService::install(world).violations.push_back({"always-broken", "planted"});
  };
  RunResult at_end = run(json::array({{{"advance", 1}}}), options);
  EXPECT_EQ(at_end.steps_failed, 0u);
  ASSERT_EQ(at_end.violations.size(), 1u);
  EXPECT_EQ(at_end.violations[0].invariant, "fake:always-broken");
  EXPECT_FALSE(at_end.passed());
  options.check_invariants_each_step = true;
  RunResult each = run(json::array({{{"advance", 1}}}), options);
  EXPECT_EQ(differences(each.steps[0]),
            std::vector<std::string>{"invariant fake:always-broken: planted"});
}

TEST(Runner, TraceEventsCanBeDroppedWithoutChangingTheHash) {
  json steps =
      json::array({{{"call", "fake:Count"}, {"request", json::object()}}, {{"advance", 5}}});
  RunOptions dropped = with_fake();
  dropped.trace.keep_events = false;
  RunResult kept = run(steps);
  RunResult light = run(steps, dropped);
  EXPECT_FALSE(kept.world->trace().events().empty());
  EXPECT_TRUE(light.world->trace().events().empty());
  EXPECT_EQ(kept.trace_hash, light.trace_hash);
}

TEST(Determinism, AReplayIsDeterministic) {
  json steps = json::array({{{"call", "fake:Random"}, {"request", json::object()}},
                            {{"call", "fake:Later"}, {"request", json::object()}},
                            {{"until_idle", true}}});
  DeterminismReport report = check_determinism(scenario_of(steps), with_fake());
  EXPECT_TRUE(report.deterministic) << report.describe();
  EXPECT_EQ(report.first_hash, report.second_hash);
  EXPECT_TRUE(report.first_run.passed());
}

TEST(Determinism, APlantedDifferenceIsFoundWithItsIndexTimeAndLines) {
  json steps = json::array({{{"call", "fake:Echo"}, {"request", json::object()}},
                            {{"advance", 60}},
                            {{"call", "fake:Leak"}, {"request", json::object()}},
                            {{"call", "fake:Echo"}, {"request", json::object()}}});
  DeterminismReport report = check_determinism(scenario_of(steps), with_fake());
  ASSERT_FALSE(report.deterministic);
  ASSERT_TRUE(report.first_difference.has_value());
  const std::vector<sim::TraceEvent>& events = report.first_run.world->trace().events();
  std::uint64_t leak_index = 0;
  while (leak_index < events.size() && events[leak_index].detail.value("operation", "") != "Leak")
    ++leak_index;
  EXPECT_EQ(*report.first_difference, leak_index);
  EXPECT_EQ(report.time_us, 1767225600000000 + sim::seconds(60));
  EXPECT_NE(report.first_line, report.second_line);
  EXPECT_NE(report.first_line.find("Leak"), std::string::npos);
  EXPECT_NE(report.describe().find("first differ at trace event " + std::to_string(leak_index)),
            std::string::npos);
}

}  // namespace
}  // namespace wfsim::scenarios
