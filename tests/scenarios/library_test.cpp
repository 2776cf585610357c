// The shipped scenario library (scenarios/library/*.json): every scenario parses, describes
// itself, passes every step with the service invariants checked after each step, gives the
// same trace twice, and still passes under another seed with a different trace (library
// scenarios save the ids they use instead of spelling out random values). A recording of
// each replays exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/recorder.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace wfsim::scenarios {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  fs::path folder = fs::path(WFSIM_SOURCE_DIR) / "scenarios" / "library";
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string failures(const RunResult& run) {
  std::string text;
  if (!run.setup_error.empty()) text += "setup: " + run.setup_error + "\n";
  for (const StepRecord& step : run.steps) {
    for (const Difference& difference : step.differences) {
      text += "steps[" + std::to_string(step.index) + "] " + step.what + ": " +
              difference.to_string() + "\n";
    }
  }
  for (const models::InvariantViolation& violation : run.violations) {
    text += "invariant " + violation.invariant + ": " + violation.detail + "\n";
  }
  return text;
}

Scenario load(const std::string& file) {
  ParseResult parsed = load_scenario_file(file);
  EXPECT_TRUE(parsed.ok()) << ::testing::PrintToString(parsed.errors);
  return parsed.scenario.value_or(Scenario{});
}

RunOptions strict() {
  RunOptions options;
  options.check_invariants_each_step = true;
  return options;
}

class Library : public ::testing::TestWithParam<std::string> {};

TEST(LibraryContents, HoldsAtLeastTenMwaaScenarios) {
  std::vector<std::string> files = library_files();
  std::size_t mwaa = std::count_if(files.begin(), files.end(), [](const std::string& file) {
    return fs::path(file).filename().string().rfind("mwaa-", 0) == 0;
  });
  EXPECT_GE(mwaa, 10u);
}

TEST_P(Library, IsNamedAfterItsFileAndDescribed) {
  Scenario scenario = load(GetParam());
  EXPECT_EQ(scenario.name, fs::path(GetParam()).stem().string());
  EXPECT_FALSE(scenario.description.empty());
}

TEST_P(Library, EveryStepPasses) {
  RunResult run = run_scenario(load(GetParam()), strict());
  EXPECT_TRUE(run.passed()) << failures(run);
  EXPECT_FALSE(run.steps.empty());
}

TEST_P(Library, GivesTheSameTraceTwice) {
  DeterminismReport report = check_determinism(load(GetParam()), strict());
  EXPECT_TRUE(report.deterministic) << report.describe();
}

TEST_P(Library, PassesUnderAnotherSeedWithADifferentTrace) {
  Scenario scenario = load(GetParam());
  RunOptions other = strict();
  other.seed = scenario.seed + 1;
  RunResult own = run_scenario(scenario, strict());
  RunResult reseeded = run_scenario(scenario, other);
  EXPECT_TRUE(reseeded.passed()) << failures(reseeded);
  EXPECT_NE(own.trace_hash, reseeded.trace_hash) << "the seed changed nothing the trace shows";
}

TEST_P(Library, ARecordingReplaysExactly) {
  Recording recording = record_scenario(load(GetParam()));
  ParseResult parsed = parse_scenario_text(recording.text());
  ASSERT_TRUE(parsed.ok()) << ::testing::PrintToString(parsed.errors);
  RunResult replay = run_scenario(*parsed.scenario);
  EXPECT_TRUE(replay.passed()) << failures(replay);
  EXPECT_EQ(replay.trace_hash, recording.run.trace_hash);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Library, ::testing::ValuesIn(library_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Library);

}  // namespace
}  // namespace wfsim::scenarios
