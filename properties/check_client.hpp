// check_client: runs the user's client routine over many seeds, each case with a swarm of
// injected faults (each case switches on a few fault kinds and a density), judges the
// recorded history with a set of properties, and on a failure shrinks the fault decisions
// and their timings to a minimal failing case, writes it as a scenario file that replays the
// failure exactly (calls, faults, responses), and prints the seed and the replay command.
//
// Standalone:
//   CheckReport report = check_client(spec, options);  // options: seed, cases, scenario_dir
// Inside a GoogleTest suite, under RapidCheck (RapidCheck generates and shrinks the case):
//   RC_GTEST_PROP(MyClient, StartsOnce, ()) { check_one_case_under_rapidcheck(spec); }
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <rapidcheck.h>

#include "properties/client.hpp"
#include "properties/service_facts.hpp"
#include "sim/faults.hpp"

namespace wfsim::properties {

// What the code under test hands back to its own caller.
struct RoutineResult {
  std::optional<models::AwsError> error;  // the error it surfaced, if it gave up
};

// A run that an attempt of the code under test created, as the service really answered.
struct CreatedRun {
  std::string run_id;
  std::size_t step = 0;  // the history step of the attempt that created it
};

// The number of active runs right after a step of the history.
struct ActiveSample {
  std::size_t step = 0;
  std::size_t active = 0;
};

// Everything one case produced, which the properties judge.
struct CaseRecord {
  const ServiceFacts* facts = nullptr;
  History history;
  RoutineResult result;
  std::optional<std::string> aborted;  // the client exceeded its call budget
  std::vector<RunSighting> runs_before;  // runs the setup left
  std::vector<CreatedRun> created;       // by the code under test's own attempts
  std::vector<RunSighting> final_census;
  std::vector<ActiveSample> active_samples;  // filled when a property asks for them
  std::size_t first_routine_step = 0;        // steps before it belong to the setup
};

struct Violation {
  std::string property;
  std::string detail;
  // The history step after which the violation shows; the scenario stops there.
  std::size_t step = 0;
};

struct ClientProperty {
  std::string name;
  std::function<std::optional<Violation>(const CaseRecord&)> check;
  bool needs_active_samples = false;
};

// The faults a case may draw from. Each case switches on a non-empty subset of `kinds`
// and a density, then decides each of its first `max_script` attempts from them.
struct FaultMenu {
  std::vector<sim::FaultKind> kinds = {
      sim::FaultKind::throttle,      sim::FaultKind::internal,
      sim::FaultKind::unavailable,   sim::FaultKind::timeout_before,
      sim::FaultKind::timeout_after, sim::FaultKind::lost_response,
      sim::FaultKind::duplicate,     sim::FaultKind::latency};
  std::size_t max_script = 24;
  std::int64_t max_latency_seconds = 30;
};

// One generated case: the world's seed and the fault decision of each attempt of the code
// under test, in order (attempts beyond the script meet no fault).
struct CheckCase {
  std::uint64_t world_seed = 1;
  std::vector<sim::FaultDecision> faults;

  std::size_t fault_count() const;
};
// How RapidCheck prints a case in a counterexample.
void showValue(const CheckCase& check_case, std::ostream& out);

struct CheckSpec {
  std::string name;     // names the scenario file: <name>.failure.json
  std::string service;  // "mwaa-serverless" | "glue"
  nlohmann::json config = nlohmann::json::object();  // the world's configuration, no faults
  // Runs first, without faults; what it returns is handed to the routine (ARNs, names).
  std::function<nlohmann::json(Client&)> setup;
  std::function<RoutineResult(Client&, const nlohmann::json& setup_values)> routine;
  std::vector<ClientProperty> properties;
  FaultMenu faults;
  RetryPolicy retry = RetryPolicy::none();
  ClientLimits limits;
};

struct CaseOutcome {
  CaseRecord record;
  std::vector<Violation> violations;
  bool passed() const { return violations.empty(); }
  // Steps of the code under test up to the first violation (or all of them).
  std::size_t client_steps() const;
};

// The generator of cases for `menu` (swarm: each case its own kinds and density).
rc::Gen<CheckCase> case_generator(const FaultMenu& menu);
// Runs one case and judges it.
CaseOutcome run_case(const CheckSpec& spec, const CheckCase& check_case);

struct Failure {
  // The failing case is case `case_index` of the check's seed and case count: check_client
  // with that seed and count and CheckOptions::first_case = case_index draws it first.
  std::uint64_t check_seed = 0;
  std::size_t case_index = 0;
  std::size_t case_count = 0;
  std::uint64_t case_seed = 0;  // the case's random seed, from check_seed and case_index
  CheckCase original;
  CheckCase minimal;
  CaseOutcome outcome;          // of the minimal case
  std::size_t original_client_steps = 0;
  std::size_t shrink_runs = 0;
  std::string scenario_text;    // the failure as a scenario file
  std::string scenario_path;    // where it was written; empty when not written
  std::string replay_command;   // "wfsim replay <path>"
};

struct CheckOptions {
  std::uint64_t seed = 20261121;
  std::size_t cases = 1000;
  // Start at this case (0-based) instead of the first, to rerun a reported failure: a case
  // depends on the seed, its index and the case count, which sets how sizes grow. Must be
  // below `cases` (check_client throws std::invalid_argument otherwise).
  std::size_t first_case = 0;
  std::size_t max_shrink_runs = 2000;
  std::string scenario_dir;       // where a failure's scenario goes; empty: not written
  std::ostream* log = nullptr;    // progress and the failure report; null: silent
};

struct CheckReport {
  std::size_t cases_run = 0;
  std::optional<Failure> failure;
  bool passed() const { return !failure.has_value(); }
};

CheckReport check_client(const CheckSpec& spec, const CheckOptions& options = {});

// The scenario that replays `check_case` up to its first violation, closed by census calls
// that show what the service holds; recorded, so every response is pinned.
std::string failure_scenario_text(const CheckSpec& spec, const CheckCase& check_case,
                                  const CaseOutcome& outcome);

// For RC_GTEST_PROP: draws a case, runs it, and on a failure writes the scenario to
// `scenario_dir` (each shrink step overwrites it, so the file left is the minimal case)
// and fails with the violation and the replay command.
void check_one_case_under_rapidcheck(const CheckSpec& spec, const std::string& scenario_dir);

// The report check_client prints for a failure.
std::string describe_failure(const CheckSpec& spec, const Failure& failure);

}  // namespace wfsim::properties
