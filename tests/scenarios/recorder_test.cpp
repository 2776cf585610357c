// The recorder: a recording keeps the scenario's shape, expects every response exactly, and
// replays with every step passing.
#include <gtest/gtest.h>

#include <string>

#include "scenarios/recorder.hpp"
#include "tests/world/fake_service.hpp"

namespace wfsim::scenarios {
namespace {

using nlohmann::json;
using testing::FakeService;

RunOptions with_fake() {
  RunOptions options;
  options.prepare_world = [](World& world) { FakeService::install(world); };
  return options;
}

const char* kSource = R"({
  "wfsim": 1, "name": "record-me", "seed": 9, "start": "2026-03-01T12:00:00.123456Z",
  "config": {"faults": {"rules": [{"match": "fake:Count", "kind": "internal", "nth": [2]}]}},
  "steps": [
    {"call": "fake:Count", "request": {}, "save": {"n": "/count"}, "note": "first"},
    {"call": "fake:Count", "request": {}, "expect_error": "InternalServerException"},
    {"call": "fake:Echo", "request": {"n": "${n}", "literal": "$${kept}"}},
    {"call": "fake:Random", "request": {}, "fault": {"kind": "latency", "latency": 3}},
    {"call": "fake:Fail", "request": {}, "expect_error": "FakeFailure"},
    {"advance": "PT1H"},
    {"call": "fake:Later", "request": {"after_seconds": 5}},
    {"until_idle": true},
    {"call": "fake:Fired", "request": {}}
  ]})";

Scenario parsed(const std::string& text) {
  ParseResult result = parse_scenario_text(text);
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(result.errors);
  return result.scenario.value_or(Scenario{});
}

TEST(Recorder, ARecordingExpectsEveryResponseAndKeepsTheShape) {
  Recording recording = record_scenario(parsed(kSource), with_fake());
  const nlohmann::ordered_json& out = recording.scenario;
  EXPECT_EQ(out["wfsim"], 1);
  EXPECT_EQ(out["name"], "record-me");
  EXPECT_EQ(out["seed"], 9);
  EXPECT_EQ(out["start"], "2026-03-01T12:00:00.123456Z");
  EXPECT_EQ(out["config"]["faults"]["rules"][0]["kind"], "internal");
  const auto& steps = out["steps"];
  ASSERT_EQ(steps.size(), 9u);
  EXPECT_EQ(steps[0]["expect"], nlohmann::ordered_json({{"count", 1}}));
  EXPECT_EQ(steps[0]["save"]["n"], "/count");
  EXPECT_EQ(steps[0]["note"], "first");
  EXPECT_EQ(steps[1]["expect_error"], "InternalServerException");
  EXPECT_EQ(steps[1]["expect_fault"], "internal");
  EXPECT_EQ(steps[2]["request"]["n"], "${n}");
  EXPECT_EQ(steps[2]["expect"]["literal"], "$${kept}");
  EXPECT_EQ(steps[3]["fault"]["latency"], 3);
  EXPECT_EQ(steps[3]["expect_fault"], "latency");
  EXPECT_TRUE(steps[3]["expect"].contains("value"));
  EXPECT_EQ(steps[4]["expect_error"], "FakeFailure");
  EXPECT_EQ(steps[5], nlohmann::ordered_json({{"advance", "PT1H"}}));
  EXPECT_EQ(steps[7], nlohmann::ordered_json({{"until_idle", true}}));
  EXPECT_EQ(steps[8]["expect"]["fired"], 1);
  EXPECT_EQ(recording.text().back(), '\n');
  EXPECT_EQ(recording.text().rfind("{\n  \"wfsim\": 1,\n  \"name\": \"record-me\"", 0), 0u);
}

TEST(Recorder, ARecordingReplaysWithEveryStepPassing) {
  Recording recording = record_scenario(parsed(kSource), with_fake());
  Scenario replayed = parsed(recording.text());
  RunResult run = run_scenario(replayed, with_fake());
  for (const StepRecord& step : run.steps) {
    EXPECT_TRUE(step.passed) << "steps[" << step.index << "] " << step.what << ": "
                             << (step.differences.empty() ? "" : step.differences[0].to_string());
  }
  EXPECT_TRUE(run.passed());
  EXPECT_EQ(run.trace_hash, recording.run.trace_hash);
}

TEST(Recorder, ARecordingIsExactSoAnotherSeedDiverges) {
  RunOptions options = with_fake();
  options.seed = 10;
  Recording recording = record_scenario(parsed(kSource), options);
  EXPECT_EQ(recording.scenario["seed"], 10);
  Scenario replayed = parsed(recording.text());
  EXPECT_TRUE(run_scenario(replayed, with_fake()).passed());
  RunOptions other_seed = with_fake();
  other_seed.seed = 11;
  RunResult diverged = run_scenario(replayed, other_seed);
  EXPECT_FALSE(diverged.steps[3].passed);
  EXPECT_EQ(diverged.steps[3].differences.at(0).path, "response.value");
}

}  // namespace
}  // namespace wfsim::scenarios
