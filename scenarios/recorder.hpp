// Records a scenario: runs it and writes a scenario of the same shape whose every call
// expects exactly what this run answered (the full response as "expect", or the error code
// as "expect_error", plus "expect_fault" where a fault was injected). Config, seed, start,
// clock steps, saves, forced faults and notes are kept, so the recording replays with every
// step passing.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace wfsim::scenarios {

struct Recording {
  RunResult run;                 // the run that was recorded
  nlohmann::ordered_json scenario;  // the recorded scenario, keys in the order people read them
  // The recorded scenario as file text (two-space indent, final newline).
  std::string text() const;
};

// Runs `scenario` (options.keep_responses is turned on) and records it. The recording uses
// the seed the run used, so a seed override is carried into the file.
Recording record_scenario(const Scenario& scenario, const RunOptions& options = {});

// Builds the recorded scenario from a run made with keep_responses.
nlohmann::ordered_json build_recording(const Scenario& scenario, const RunResult& run);

}  // namespace wfsim::scenarios
