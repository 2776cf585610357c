// Replays a scenario against a fresh World: each call's request gets its ${name} values, is
// sent, and its response is checked against the step's expectations; advance and until_idle
// move the clock. Every step is run and reported, so one replay shows every divergence.
//
// A call step with neither "expect" nor "expect_error" passes only when the call succeeds:
// an error response fails it unless the step names that error, so an accidental error never
// passes silently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/world.hpp"
#include "scenarios/matching.hpp"
#include "scenarios/scenario.hpp"
#include "sim/faults.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace wfsim::scenarios {

struct RunOptions {
  std::optional<std::uint64_t> seed;  // replaces the scenario's seed when set
  sim::TraceOptions trace;            // keep or drop trace events (the hash is kept either way)
  bool keep_responses = false;        // StepRecord keeps each call's response (the recorder)
  bool check_invariants_each_step = false;  // else only once, after the last step
  // Runs once the world is built, before the first step: harnesses and tests install fakes.
  std::function<void(World&)> prepare_world;
};

struct StepRecord {
  std::size_t index = 0;  // 0-based, as in "steps[3]"
  std::string what;       // Step::describe()
  bool passed = true;
  std::vector<Difference> differences;
  sim::TimeUs time_us = 0;  // virtual time when the step ended
  // Calls only.
  bool called = false;                          // false when substitution failed
  sim::FaultKind fault = sim::FaultKind::none;  // the fault the call received
  std::optional<nlohmann::json> response;       // with keep_responses, a successful answer
  std::string error_code;                       // the error code of a failed call
};

struct RunResult {
  std::string name;
  std::uint64_t seed = 0;     // the seed actually used
  std::string config_digest;  // World::config_digest()
  std::string setup_error;    // non-empty: the world could not be built and no step ran
  std::vector<StepRecord> steps;
  std::size_t steps_passed = 0;
  std::size_t steps_failed = 0;
  std::vector<models::InvariantViolation> violations;  // found after the last step
  std::string trace_hash;                              // 16 hex digits
  sim::TimeUs end_time_us = 0;
  std::unique_ptr<World> world;  // the world as the run left it (its trace, its services)

  bool passed() const { return setup_error.empty() && steps_failed == 0 && violations.empty(); }
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

// Runs a scenario twice with the same options and compares the traces (DESIGN.md,
// Determinism rules).
struct DeterminismReport {
  bool deterministic = true;
  std::string first_hash;
  std::string second_hash;
  std::optional<std::uint64_t> first_difference;  // trace index of the first differing event
  sim::TimeUs time_us = 0;                        // its virtual time
  std::string first_line;                         // the event in each run ("(none)" past the end)
  std::string second_line;
  RunResult first_run;  // the first of the two runs, for reporting its steps

  // One paragraph for people: where the runs part, or that they agree.
  std::string describe() const;
};

// Trace events are kept for both runs whatever `options.trace` says, since the report needs
// them.
DeterminismReport check_determinism(const Scenario& scenario, const RunOptions& options = {});

}  // namespace wfsim::scenarios
