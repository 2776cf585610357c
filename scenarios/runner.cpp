// The scenario runner. A step's failure never stops the replay: later steps still run, so
// one replay reports every divergence, and the summary counts them.
#include "scenarios/runner.hpp"

#include <utility>

namespace wfsim::scenarios {

namespace {

using nlohmann::json;

// Everything one replay carries from step to step.
struct Replay {
  World& world;
  Bindings bindings;
};

// The step's JSON with saved values put in: the original itself when it holds no template
// (the common case, and every expectation of a recorded scenario), else a substituted copy
// kept in `storage`; nullptr after recording why substitution failed.
const json* resolved(const json& value, bool may_have_template, const Bindings& bindings,
                     const std::string& path, std::vector<Difference>& problems,
                     std::optional<json>& storage) {
  if (!may_have_template || !has_template(value)) return &value;
  storage = substitute(value, bindings, path, &problems);
  return storage ? &*storage : nullptr;
}

void check_fault(const CallStep& call, const CallResult& result, StepRecord& record) {
  if (call.expect_fault && *call.expect_fault != result.fault) {
    record.differences.push_back(
        {"fault", "expected " + std::string(sim::to_string(*call.expect_fault)) + ", got " +
                      std::string(sim::to_string(result.fault))});
  }
}

void check_outcome(const json* expect, const std::optional<std::string>& expect_error,
                   const CallResult& result, StepRecord& record) {
  const models::JsonOutcome& outcome = result.outcome;
  if (expect_error) {
    if (outcome.ok()) {
      record.differences.push_back({"error", "expected " + *expect_error + ", got a response: " +
                                                 show_json(outcome.value())});
    } else if (outcome.error().code != *expect_error) {
      record.differences.push_back({"error", "expected " + *expect_error + ", got " +
                                                 outcome.error().code + ": " +
                                                 outcome.error().message});
    }
    return;
  }
  if (!outcome.ok()) {
    const models::AwsError& error = outcome.error();
    record.differences.push_back(
        {"response", "expected a response, got error " + error.code + " (HTTP " +
                         std::to_string(error.http_status) + "): " + error.message});
    return;
  }
  if (expect) {
    std::vector<Difference> differences = match_subset(*expect, outcome.value(), "response");
    for (Difference& difference : differences) record.differences.push_back(std::move(difference));
  }
}

void save_values(const CallStep& call, const CallResult& result, Replay& replay,
                 StepRecord& record) {
  if (call.save.empty()) return;
  // Only an error's body has to be made; a response is read where it is.
  const json error_body = result.outcome.ok() ? json() : result.outcome.error().body();
  const json& source = result.outcome.ok() ? result.outcome.value() : error_body;
  const std::string where = result.outcome.ok() ? "the response" : "the error body";
  for (const auto& [name, pointer] : call.save) {
    try {
      json::json_pointer path(pointer);
      if (source.contains(path)) {
        replay.bindings[name] = source.at(path);
        continue;
      }
    } catch (const json::exception&) {
      // A pointer that does not fit the document's shape is reported as not found below.
    }
    record.differences.push_back({"save." + name, pointer + " is not in " + where});
    // A later ${name} must not quietly use an earlier step's value: it is reported unbound.
    replay.bindings.erase(name);
  }
}

void run_call(const CallStep& call, Replay& replay, bool keep_response, StepRecord& record) {
  std::vector<Difference> problems;
  std::optional<json> request_storage;
  std::optional<json> expect_storage;
  std::optional<json> code_storage;
  const json* request = resolved(call.request, call.request_may_have_template, replay.bindings,
                                 "request", problems, request_storage);
  const json* expect = nullptr;
  if (call.expect) {
    expect = resolved(*call.expect, call.expect_may_have_template, replay.bindings, "expect",
                      problems, expect_storage);
  }
  std::optional<std::string> expect_error;
  if (call.expect_error) {
    const json written(*call.expect_error);
    const json* code =
        resolved(written, true, replay.bindings, "expect_error", problems, code_storage);
    if (code) expect_error = code->is_string() ? code->get<std::string>() : code->dump();
  }
  if (!problems.empty()) {
    record.differences = std::move(problems);
    return;
  }
  CallResult result =
      call.fault ? replay.world.call_with_fault(call.service, call.operation, *request, *call.fault)
                 : replay.world.call(call.service, call.operation, *request);
  record.called = true;
  record.fault = result.fault;
  if (result.outcome.ok()) {
    if (keep_response) record.response = result.outcome.value();
  } else {
    record.error_code = result.outcome.error().code;
  }
  check_fault(call, result, record);
  check_outcome(expect, expect_error, result, record);
  save_values(call, result, replay, record);
}

void run_until_idle(const UntilIdleStep& step, World& world, StepRecord& record) {
  sim::Scheduler::IdleResult idle = world.run_until_idle(step.max_events);
  if (!idle.idle && !step.bounded) {
    record.differences.push_back(
        {"until_idle", "still busy after " + std::to_string(idle.fired) + " timer events (" +
                           std::to_string(world.scheduler().pending()) +
                           " pending); a recurring timer such as a schedule never goes idle: "
                           "use \"advance\", or {\"max_events\": N} to bound the work"});
  }
}

StepRecord run_step(const Step& step, std::size_t index, Replay& replay,
                    const RunOptions& options) {
  StepRecord record;
  record.index = index;
  record.what = step.describe();
  const std::size_t crashes_before = replay.world.crashes().size();
  if (const auto* call = std::get_if<CallStep>(&step.action)) {
    run_call(*call, replay, options.keep_responses, record);
  } else if (const auto* advance = std::get_if<AdvanceStep>(&step.action)) {
    replay.world.advance(advance->duration_us);
  } else {
    run_until_idle(std::get<UntilIdleStep>(step.action), replay.world, record);
  }
  if (options.check_invariants_each_step) {
    for (const models::InvariantViolation& violation : replay.world.check_invariants()) {
      record.differences.push_back({"invariant " + violation.invariant, violation.detail});
    }
  }
  // A service that threw is a failure of the step even when the caller's answer matched
  // (the exception may have come from a timer, or from the hidden half of a fault).
  const auto& crashes = replay.world.crashes();
  for (std::size_t i = crashes_before; i < crashes.size(); ++i) {
    record.differences.push_back({"crash", crashes[i].where + " threw: " + crashes[i].what});
  }
  record.time_us = replay.world.now();
  record.passed = record.differences.empty();
  return record;
}

std::string event_line(const std::vector<sim::TraceEvent>& events, std::uint64_t index) {
  return index < events.size() ? events[index].to_json_line() : std::string("(none)");
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  result.name = scenario.name;
  WorldOptions world_options;
  world_options.seed = options.seed.value_or(scenario.seed);
  world_options.start_us = scenario.start_us;
  world_options.config = scenario.config;
  world_options.trace = options.trace;
  result.seed = world_options.seed;
  result.config_digest = World::digest_of(world_options);

  // Services that prepare_world installs may be what the fault rules name: the rules are
  // checked once it has run.
  world_options.require_known_calls = !options.prepare_world;
  auto created = World::create(world_options);
  if (auto* error = std::get_if<std::string>(&created)) {
    result.setup_error = *error;
    return result;
  }
  result.world = std::move(std::get<std::unique_ptr<World>>(created));
  if (options.prepare_world) {
    options.prepare_world(*result.world);
    if (std::optional<std::string> error = result.world->unknown_call_pattern()) {
      result.setup_error = *error;
      return result;
    }
  }

  Replay replay{*result.world, {}};
  result.steps.reserve(scenario.steps.size());
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    StepRecord record = run_step(scenario.steps[i], i, replay, options);
    ++(record.passed ? result.steps_passed : result.steps_failed);
    result.steps.push_back(std::move(record));
  }
  result.violations = result.world->check_invariants();
  result.trace_hash = result.world->trace().hash_hex();
  result.end_time_us = result.world->now();
  return result;
}

std::string DeterminismReport::describe() const {
  if (deterministic) return "deterministic: both runs have trace " + first_hash;
  std::string text = "NOT deterministic: trace " + first_hash + " vs " + second_hash;
  if (first_difference) {
    text += "; the runs first differ at trace event " + std::to_string(*first_difference) +
            " (virtual time " + sim::format_rfc3339(time_us) + ")\n  first run:  " + first_line +
            "\n  second run: " + second_line;
  }
  return text;
}

DeterminismReport check_determinism(const Scenario& scenario, const RunOptions& options) {
  RunOptions traced = options;
  traced.trace.enabled = true;
  traced.trace.keep_events = true;
  DeterminismReport report;
  report.first_run = run_scenario(scenario, traced);
  RunResult second = run_scenario(scenario, traced);
  if (!report.first_run.world || !second.world) return report;
  const std::vector<sim::TraceEvent>& a = report.first_run.world->trace().events();
  const std::vector<sim::TraceEvent>& b = second.world->trace().events();
  report.first_hash = report.first_run.trace_hash;
  report.second_hash = second.trace_hash;
  report.deterministic = report.first_hash == report.second_hash;
  if (!report.deterministic) {
    report.first_difference = sim::first_difference(a, b);
    if (report.first_difference) {
      std::uint64_t index = *report.first_difference;
      report.time_us = index < a.size() ? a[index].time_us : b[index].time_us;
      report.first_line = event_line(a, index);
      report.second_line = event_line(b, index);
    }
  }
  return report;
}

}  // namespace wfsim::scenarios
