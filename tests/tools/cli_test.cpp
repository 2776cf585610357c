// The `wfsim` CLI end to end: runs the binary as a user would and checks what it prints,
// the files it writes and its exit status (0 all passed, 1 a step failed, 2 malformed input
// or an output that could not be written).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "sim/trace_hash.hpp"
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// One MWAA Serverless run of a one-task workflow, checked to end in SUCCESS. StartWorkflowRun
// draws a RunId from the seed, so the trace depends on the seed.
constexpr const char* kPassingScenario = R"({
  "wfsim": 1, "name": "cli-start", "seed": 42, "start": "2026-01-01T00:00:00Z",
  "config": {"objects": {"s3://defs/one.yaml":
    "one:\n  tasks:\n    only:\n      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"}},
  "steps": [
    {"call": "mwaa-serverless:CreateWorkflow",
     "request": {"Name": "one", "DefinitionS3Location": {"Bucket": "defs", "ObjectKey": "one.yaml"},
                 "RoleArn": "arn:aws:iam::111122223333:role/x"},
     "save": {"arn": "/WorkflowArn"}},
    {"call": "mwaa-serverless:StartWorkflowRun", "request": {"WorkflowArn": "${arn}"},
     "save": {"run": "/RunId"}},
    {"until_idle": true},
    {"call": "mwaa-serverless:GetWorkflowRun",
     "request": {"WorkflowArn": "${arn}", "RunId": "${run}"},
     "expect": {"RunDetail": {"RunState": "SUCCESS"}}}
  ]})";

struct Ran {
  int status = -1;     // the exit status
  std::string output;  // stdout and stderr together
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The trace hash the CLI prints, as 16 hex digits, of a trace file's text.
std::string trace_hash_hex(const std::string& jsonl) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(wfsim::sim::trace_hash_of_jsonl(jsonl)));
  return text;
}

// "trace <16 hex digits>" in the output, or "" when there is none.
std::string printed_trace_hash(const std::string& output) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex("trace ([0-9a-f]{16})"))) return "";
  return match[1];
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 (std::string("wfsim-cli-") + test->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  static Ran wfsim(const std::string& arguments) {
    Ran ran;
    // The binary's path is quoted for the shell; the arguments the tests build need no quoting.
    const std::string command = "'" + std::string(WFSIM_BINARY) + "' " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return ran;
    char buffer[4096];
    std::size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) ran.output.append(buffer, read);
    const int status = ::pclose(pipe);
    ran.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
  }

  fs::path directory_;
};

TEST_F(Cli, APassingScenarioPrintsItsSeedAndDigestFirstAndExitsZero) {
  const fs::path file = write("ok.json", kPassingScenario);
  const Ran ran = wfsim("replay " + file.string());
  EXPECT_EQ(ran.status, 0) << ran.output;
  const std::string first_line = ran.output.substr(0, ran.output.find('\n'));
  EXPECT_TRUE(std::regex_match(
      first_line,
      std::regex("scenario cli-start  seed 42  config [0-9a-f]{16}  \\(.*ok\\.json\\)")))
      << first_line;
  EXPECT_NE(ran.output.find("ok: 4 steps passed"), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find("1 passed, 0 failed\n"), std::string::npos) << ran.output;
}

TEST_F(Cli, AFailedExpectationNamesThePathBothValuesAndTheReplayCommandAndExitsOne) {
  const fs::path file = write("fail.json", replaced(kPassingScenario, R"("RunState": "SUCCESS")",
                                                    R"("RunState": "FAILED")"));
  const Ran ran = wfsim("replay " + file.string());
  EXPECT_EQ(ran.status, 1) << ran.output;
  EXPECT_NE(ran.output.find("FAIL steps[3] call mwaa-serverless:GetWorkflowRun"), std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find(R"(response.RunDetail.RunState: expected "FAILED", got "SUCCESS")"),
            std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find("to replay: wfsim replay " + file.string() + " --seed 42"),
            std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find("0 passed, 1 failed\n"), std::string::npos) << ran.output;
}

TEST_F(Cli, AnUnknownKeyIsReportedWithItsPathAndExitsTwo) {
  const fs::path file = write("bad.json", replaced(kPassingScenario, R"("save": {"run")",
                                                   R"("expekt": {}, "save": {"run")"));
  const Ran ran = wfsim("replay " + file.string());
  EXPECT_EQ(ran.status, 2) << ran.output;
  EXPECT_NE(ran.output.find("steps[1].expekt: unknown key; did you mean 'expect'?"),
            std::string::npos)
      << ran.output;
}

TEST_F(Cli, InputThatIsNotJsonIsAnErrorNotACrash) {
  const fs::path file = write("garbage.json", "{\"wfsim\": 1, \"steps\": [");
  const Ran ran = wfsim("replay " + file.string());
  EXPECT_EQ(ran.status, 2) << ran.output;
  EXPECT_NE(ran.output.find(file.string()), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find("0 passed, 1 failed"), std::string::npos) << ran.output;
}

TEST_F(Cli, TheSeedOptionReplacesTheFilesSeedAndChangesTheTrace) {
  const fs::path file = write("ok.json", kPassingScenario);
  const Ran own_seed = wfsim("replay " + file.string());
  const Ran own_seed_again = wfsim("replay " + file.string());
  const Ran other_seed = wfsim("replay " + file.string() + " --seed 7");
  EXPECT_EQ(other_seed.status, 0) << other_seed.output;
  EXPECT_NE(other_seed.output.find("seed 7  config"), std::string::npos) << other_seed.output;
  EXPECT_EQ(printed_trace_hash(own_seed.output), printed_trace_hash(own_seed_again.output));
  EXPECT_NE(printed_trace_hash(own_seed.output), printed_trace_hash(other_seed.output));
}

TEST_F(Cli, ATraceIsWrittenAsJsonLinesWhoseHashIsTheOnePrinted) {
  const fs::path file = write("ok.json", kPassingScenario);
  const fs::path trace = directory_ / "trace.jsonl";
  const Ran ran = wfsim("replay " + file.string() + " --trace " + trace.string());
  ASSERT_EQ(ran.status, 0) << ran.output;
  const std::string text = read_file(trace);
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> kinds;
  while (std::getline(lines, line)) {
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(event.is_object()) << line;
    kinds.push_back(event.value("kind", ""));
  }
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "call"), 3);
  EXPECT_EQ(trace_hash_hex(text), printed_trace_hash(ran.output));
}

TEST_F(Cli, ARecordingReplaysWithTheSameTrace) {
  const fs::path file = write("ok.json", kPassingScenario);
  const fs::path recording = directory_ / "recorded.json";
  const Ran recorded =
      wfsim("replay " + file.string() + " --seed 7 --record " + recording.string());
  ASSERT_EQ(recorded.status, 0) << recorded.output;
  const nlohmann::json scenario = nlohmann::json::parse(read_file(recording));
  EXPECT_EQ(scenario.at("seed"), 7);
  // Full responses are the expectations: the RunId drawn by seed 7 among them.
  EXPECT_TRUE(scenario.at("steps").at(1).at("expect").contains("RunId")) << scenario.dump(2);
  const Ran replayed = wfsim("replay " + recording.string());
  EXPECT_EQ(replayed.status, 0) << replayed.output;
  EXPECT_EQ(printed_trace_hash(replayed.output), printed_trace_hash(recorded.output));
}

// DESIGN.md names `wfsim record`: replay --record under its own name, --out required.
TEST_F(Cli, RecordWritesTheRecordingThatReplayRecordWrites) {
  const fs::path file = write("ok.json", kPassingScenario);
  const fs::path by_record = directory_ / "by-record.json";
  const fs::path by_replay = directory_ / "by-replay.json";
  const Ran recorded = wfsim("record " + file.string() + " --seed 7 --out " + by_record.string());
  ASSERT_EQ(recorded.status, 0) << recorded.output;
  ASSERT_EQ(wfsim("replay " + file.string() + " --seed 7 --record " + by_replay.string()).status,
            0);
  EXPECT_EQ(read_file(by_record), read_file(by_replay));
  EXPECT_NE(read_file(by_record).find("\"RunId\""), std::string::npos);
  const Ran without_out = wfsim("record " + file.string());
  EXPECT_EQ(without_out.status, 2) << without_out.output;
  EXPECT_NE(without_out.output.find("--out"), std::string::npos) << without_out.output;
}

// Two scenarios of one name replayed together must not write one file twice.
TEST_F(Cli, ScenariosThatShareANameGetOutputFilesOfTheirOwn) {
  write("a.json", kPassingScenario);
  write("b.json", replaced(kPassingScenario, "\"seed\": 42", "\"seed\": 43"));
  const fs::path trace = directory_ / "out" / "t.jsonl";
  fs::create_directories(trace.parent_path());
  const Ran ran = wfsim("replay " + (directory_ / "a.json").string() + " " +
                        (directory_ / "b.json").string() + " --trace " + trace.string());
  ASSERT_EQ(ran.status, 0) << ran.output;
  const fs::path first = directory_ / "out" / "t.cli-start.jsonl";
  const fs::path second = directory_ / "out" / "t.cli-start-2.jsonl";
  ASSERT_TRUE(fs::exists(first)) << ran.output;
  ASSERT_TRUE(fs::exists(second)) << ran.output;
  EXPECT_NE(read_file(first), read_file(second)) << "different seeds, different traces";
}

TEST_F(Cli, AnOutputThatCannotBeWrittenFailsTheRunWithExitTwo) {
  const fs::path file = write("ok.json", kPassingScenario);
  const std::string unwritable = (directory_ / "missing-directory" / "trace.jsonl").string();
  const Ran ran = wfsim("replay " + file.string() + " --trace " + unwritable);
  EXPECT_EQ(ran.status, 2) << ran.output;
  EXPECT_NE(ran.output.find("cannot write the trace to " + unwritable), std::string::npos)
      << ran.output;
}

TEST_F(Cli, AMissingFileAndABadSeedAreUsageErrors) {
  const Ran missing = wfsim("replay " + (directory_ / "nope.json").string());
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("no such file or directory"), std::string::npos) << missing.output;
  const fs::path file = write("ok.json", kPassingScenario);
  const Ran bad_seed = wfsim("replay " + file.string() + " --seed -1");
  EXPECT_EQ(bad_seed.status, 2) << bad_seed.output;
  EXPECT_NE(bad_seed.output.find("is not a seed"), std::string::npos) << bad_seed.output;
}

TEST_F(Cli, FuzzRunsItsSeedsAndRejectsAnUnknownService) {
  const Ran ran =
      wfsim("fuzz --service mwaa-serverless --seeds 3 --seconds 600 --max-steps 20 --out " +
            (directory_ / "findings").string());
  EXPECT_EQ(ran.status, 0) << ran.output;
  EXPECT_NE(ran.output.find("3 seeds, 60 steps"), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find("0 findings"), std::string::npos) << ran.output;
  const Ran unknown = wfsim("fuzz --service swf --seeds 1");
  EXPECT_EQ(unknown.status, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("--service must be glue or mwaa-serverless, got 'swf'"),
            std::string::npos)
      << unknown.output;
}

}  // namespace
