#include "properties/check_client.hpp"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "scenarios/recorder.hpp"
#include "scenarios/scenario.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

// Decides each attempt of the code under test from the case's script; the setup's attempts
// meet no fault and do not use up the script.
class ScriptedFaults : public FaultSource {
 public:
  explicit ScriptedFaults(const std::vector<sim::FaultDecision>& script) : script_(script) {}
  sim::FaultDecision next(std::string_view, std::string_view) override {
    if (paused || next_ >= script_.size()) return {};
    return script_[next_++];
  }
  bool paused = false;

 private:
  const std::vector<sim::FaultDecision>& script_;
  std::size_t next_ = 0;
};

const ServiceFacts& facts_of(std::string_view service) {
  static const ServiceFacts mwaa = mwaa_serverless_facts();
  static const ServiceFacts glue = glue_facts();
  if (service == mwaa.service) return mwaa;
  if (service == glue.service) return glue;
  throw std::invalid_argument("check_client: no service facts for '" + std::string(service) +
                              "' (known: mwaa-serverless, glue)");
}

// What the service really answered an attempt: the visible answer, or the hidden one of a
// timeout_after or lost_response. A duplicate's second application is the network's doing,
// not the client's, so it does not count as the client's.
const models::JsonOutcome& true_outcome(const Attempt& attempt) {
  const bool hidden_is_first = attempt.fault.kind == sim::FaultKind::timeout_after ||
                               attempt.fault.kind == sim::FaultKind::lost_response;
  return hidden_is_first && attempt.hidden ? *attempt.hidden : attempt.seen;
}

std::vector<CreatedRun> runs_created_by_routine(const CaseRecord& record) {
  std::vector<CreatedRun> created;
  const auto& steps = record.history.steps;
  for (std::size_t i = record.first_routine_step; i < steps.size(); ++i) {
    const auto& attempt = steps[i].attempt;
    if (!attempt || attempt->operation != record.facts->start_operation) continue;
    const models::JsonOutcome& outcome = true_outcome(*attempt);
    if (!outcome.ok()) continue;
    const json::json_pointer pointer(record.facts->run_id_pointer);
    if (!outcome.value().contains(pointer) || !outcome.value()[pointer].is_string()) continue;
    const std::string id = outcome.value()[pointer].get<std::string>();
    const bool known = std::any_of(created.begin(), created.end(),
                                   [&](const CreatedRun& run) { return run.run_id == id; });
    if (!known) created.push_back({id, i});
  }
  return created;
}

std::size_t count_active(const ServiceFacts& facts, const std::vector<RunSighting>& runs) {
  return static_cast<std::size_t>(
      std::count_if(runs.begin(), runs.end(),
                    [&](const RunSighting& run) { return facts.is_active(run.status); }));
}

// sim's splitmix64 as a pure function of its input.
std::uint64_t splitmix(std::uint64_t x) { return sim::splitmix64(x); }

json fault_json(const sim::FaultDecision& fault) {
  if (fault.kind != sim::FaultKind::latency && !fault.retry_after_seconds) {
    return std::string(sim::to_string(fault.kind));
  }
  json out = {{"kind", sim::to_string(fault.kind)}};
  if (fault.kind == sim::FaultKind::latency) {
    out["latency"] = sim::format_iso8601_duration(fault.latency_us);
  }
  if (fault.retry_after_seconds) out["retry_after_seconds"] = *fault.retry_after_seconds;
  return out;
}

json attempt_step(const Attempt& attempt) {
  json step = {{"call", attempt.service + ":" + attempt.operation}, {"request", attempt.request}};
  if (attempt.fault.kind != sim::FaultKind::none) step["fault"] = fault_json(attempt.fault);
  step["note"] = attempt.setup ? "setup"
                               : "client call " + std::to_string(attempt.logical_call) +
                                     ", attempt " + std::to_string(attempt.attempt_number);
  return step;
}

json sleep_step(const Sleep& sleep) {
  return {{"advance", sim::format_iso8601_duration(sleep.duration_us)},
          {"note", sleep.backoff ? "SDK retry backoff" : "the client waits"}};
}

std::string fault_summary(const CheckCase& check_case) {
  std::string text;
  for (std::size_t i = 0; i < check_case.faults.size(); ++i) {
    if (check_case.faults[i].kind == sim::FaultKind::none) continue;
    if (!text.empty()) text += ", ";
    text += "attempt " + std::to_string(i + 1) + ": " +
            std::string(sim::to_string(check_case.faults[i].kind));
  }
  return text.empty() ? "no faults" : text;
}

bool fails_with(const CaseOutcome& outcome, const std::string& property) {
  return std::any_of(outcome.violations.begin(), outcome.violations.end(),
                     [&](const Violation& violation) { return violation.property == property; });
}

// Greedy shrinking over RapidCheck's shrink tree: take the first smaller case that still
// breaks the same property, until none does or the run budget is spent.
Failure shrink(const CheckSpec& spec, rc::Shrinkable<CheckCase> failing, CaseOutcome outcome,
               std::size_t max_runs) {
  Failure failure;
  failure.original = failing.value();
  failure.original_client_steps = outcome.client_steps();
  const std::string property = outcome.violations.front().property;
  bool smaller_found = true;
  while (smaller_found && failure.shrink_runs < max_runs) {
    smaller_found = false;
    auto shrinks = failing.shrinks();
    while (auto child = shrinks.next()) {
      if (failure.shrink_runs >= max_runs) break;
      ++failure.shrink_runs;
      CaseOutcome child_outcome = run_case(spec, child->value());
      if (fails_with(child_outcome, property)) {
        failing = std::move(*child);
        outcome = std::move(child_outcome);
        smaller_found = true;
        break;
      }
    }
  }
  failure.minimal = failing.value();
  // The shrunk case's first violation may be another property's; keep the one we chased
  // first so the report is about it.
  std::stable_partition(outcome.violations.begin(), outcome.violations.end(),
                        [&](const Violation& violation) { return violation.property == property; });
  failure.outcome = std::move(outcome);
  return failure;
}

std::string write_scenario(const std::string& dir, const std::string& name,
                           const std::string& text) {
  const std::string path = (dir.empty() ? std::string(".") : dir) + "/" + name + ".failure.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("check_client: cannot write " + path);
  return path;
}

}  // namespace

std::size_t CheckCase::fault_count() const {
  return static_cast<std::size_t>(std::count_if(faults.begin(), faults.end(), [](const auto& f) {
    return f.kind != sim::FaultKind::none;
  }));
}

void showValue(const CheckCase& check_case, std::ostream& out) {
  out << "world seed " << check_case.world_seed << ", " << fault_summary(check_case);
}

std::size_t CaseOutcome::client_steps() const {
  const std::size_t first = record.first_routine_step;
  std::size_t end = record.history.steps.size();
  for (const Violation& violation : violations) end = std::min(end, violation.step + 1);
  return end > first ? end - first : 0;
}

rc::Gen<CheckCase> case_generator(const FaultMenu& menu) {
  // Each raw decision is (roll, kind index, seconds). A decision is a fault when its roll
  // clears the case's density, so shrinking a roll toward 0 removes the fault, a kind index
  // toward 0 picks the first switched-on kind, the seconds toward 1. The seconds are a
  // latency fault's delay and a throttle's RetryAfterSeconds (where the service has it), so
  // backoff_respects_retry_after meets waits other than the default.
  using RawDecision = std::tuple<int, std::size_t, std::int64_t>;
  const auto raw_decision = rc::gen::tuple(
      rc::gen::inRange(0, 8),
      rc::gen::inRange<std::size_t>(0, std::max<std::size_t>(menu.kinds.size(), 1)),
      rc::gen::inRange<std::int64_t>(1, std::max<std::int64_t>(menu.max_latency_seconds, 1) + 1));
  return rc::gen::map(
      rc::gen::tuple(
          rc::gen::noShrink(rc::gen::inRange<std::uint64_t>(1, 1ULL << 31)),
          rc::gen::container<std::vector<bool>>(menu.kinds.size(), rc::gen::arbitrary<bool>()),
          rc::gen::inRange(0, 4), rc::gen::container<std::vector<RawDecision>>(raw_decision)),
      [menu](
          const std::tuple<std::uint64_t, std::vector<bool>, int, std::vector<RawDecision>>& raw) {
        const auto& [world_seed, switched_on, density_level, decisions] = raw;
        // Swarm: only the kinds this case switched on; density 1/8, 2/8, 4/8 or 8/8.
        std::vector<sim::FaultKind> kinds;
        for (std::size_t i = 0; i < menu.kinds.size(); ++i) {
          if (switched_on[i]) kinds.push_back(menu.kinds[i]);
        }
        const int density = 1 << density_level;
        CheckCase check_case;
        check_case.world_seed = world_seed;
        const std::size_t length = std::min(decisions.size(), menu.max_script);
        for (std::size_t i = 0; i < length; ++i) {
          const auto& [roll, kind_index, latency_seconds] = decisions[i];
          sim::FaultDecision decision;
          if (!kinds.empty() && roll >= 8 - density) {
            decision.kind = kinds[kind_index % kinds.size()];
            if (decision.kind == sim::FaultKind::latency)
              decision.latency_us = sim::seconds(latency_seconds);
            if (decision.kind == sim::FaultKind::throttle)
              decision.retry_after_seconds = latency_seconds;
          }
          check_case.faults.push_back(decision);
        }
        return check_case;
      });
}

CaseOutcome run_case(const CheckSpec& spec, const CheckCase& check_case) {
  CaseOutcome outcome;
  CaseRecord& record = outcome.record;
  record.facts = &facts_of(spec.service);
  WorldOptions options;
  options.seed = check_case.world_seed;
  options.config = spec.config;
  options.trace.keep_events = false;
  auto created = World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) {
    throw std::invalid_argument("check_client: the spec's config is wrong: " + *error);
  }
  World& world = *std::get<std::unique_ptr<World>>(created);

  ScriptedFaults faults(check_case.faults);
  Client client(world, spec.service, spec.retry, &faults, &record.history, spec.limits);
  faults.paused = true;
  client.set_setup_mode(true);
  const json setup_values = spec.setup ? spec.setup(client) : json::object();
  client.set_setup_mode(false);
  faults.paused = false;
  record.first_routine_step = record.history.steps.size();
  record.runs_before = record.facts->census(world);

  const bool sample = std::any_of(spec.properties.begin(), spec.properties.end(),
                                  [](const ClientProperty& p) { return p.needs_active_samples; });
  if (sample) {
    client.set_after_attempt([&] {
      record.active_samples.push_back({record.history.steps.size() - 1,
                                       count_active(*record.facts, record.facts->census(world))});
    });
  }
  try {
    record.result = spec.routine(client, setup_values);
  } catch (const CallBudgetExceeded& exceeded) {
    record.aborted = exceeded.reason;
  }
  record.created = runs_created_by_routine(record);
  record.final_census = record.facts->census(world);

  for (const ClientProperty& property : spec.properties) {
    if (auto violation = property.check(record))
      outcome.violations.push_back(std::move(*violation));
  }
  std::stable_sort(outcome.violations.begin(), outcome.violations.end(),
                   [](const Violation& a, const Violation& b) { return a.step < b.step; });
  return outcome;
}

std::string failure_scenario_text(const CheckSpec& spec, const CheckCase& check_case,
                                  const CaseOutcome& outcome) {
  const auto& steps = outcome.record.history.steps;
  const std::size_t end = outcome.record.first_routine_step + outcome.client_steps();
  json scenario_steps = json::array();
  for (std::size_t i = 0; i < end && i < steps.size(); ++i) {
    scenario_steps.push_back(steps[i].attempt ? attempt_step(*steps[i].attempt)
                                              : sleep_step(*steps[i].sleep));
  }
  // The census, read in a world replayed to the same point, shows what the service holds.
  const ServiceFacts& facts = facts_of(spec.service);
  WorldOptions options;
  options.seed = check_case.world_seed;
  options.config = spec.config;
  std::string description = "check_client failure of '" + spec.name + "'";
  if (!outcome.violations.empty()) {
    const Violation& first = outcome.violations.front();
    description += ": " + first.property + ": " + first.detail;
  }
  json document = {{"wfsim", scenarios::kFormatVersion},
                   {"name", spec.name + "-failure"},
                   {"description", description},
                   {"seed", check_case.world_seed},
                   {"start", sim::format_rfc3339(options.start_us)},
                   {"config", spec.config},
                   {"steps", std::move(scenario_steps)}};
  auto parsed = scenarios::parse_scenario(document);
  if (!parsed.ok()) {
    throw std::logic_error("check_client: the failure scenario does not parse: " +
                           parsed.errors.front());
  }
  // Census calls need the world as the replay leaves it: replay, then list.
  const scenarios::RunResult replayed = scenarios::run_scenario(*parsed.scenario);
  for (const auto& [operation, request] : facts.census_calls(*replayed.world)) {
    document["steps"].push_back({{"call", spec.service + ":" + operation},
                                 {"request", request},
                                 {"note", "census: the runs the service holds"}});
  }
  parsed = scenarios::parse_scenario(document);
  if (!parsed.ok()) {
    throw std::logic_error("check_client: the failure scenario does not parse: " +
                           parsed.errors.front());
  }
  scenarios::Recording recording = scenarios::record_scenario(*parsed.scenario);
  recording.scenario["description"] = description;
  return recording.text();
}

std::string describe_failure(const CheckSpec& spec, const Failure& failure) {
  std::ostringstream out;
  out << "check_client: '" << spec.name << "' failed at case " << failure.case_index << " of "
      << failure.case_count << " (seed " << failure.check_seed << "; rerun it first with "
      << "CheckOptions seed = " << failure.check_seed << ", cases = " << failure.case_count
      << ", first_case = " << failure.case_index << ")\n";
  for (const Violation& violation : failure.outcome.violations) {
    out << "  " << violation.property << ": " << violation.detail << "\n";
  }
  out << "  shrunk from " << failure.original_client_steps << " to "
      << failure.outcome.client_steps() << " client steps (" << failure.original.fault_count()
      << " -> " << failure.minimal.fault_count() << " faults: " << fault_summary(failure.minimal)
      << ") in " << failure.shrink_runs << " runs\n";
  if (!failure.replay_command.empty()) out << "  replay: " << failure.replay_command << "\n";
  return out.str();
}

CheckReport check_client(const CheckSpec& spec, const CheckOptions& options) {
  // A rerun that would draw no case must not report a pass.
  if (options.first_case >= options.cases) {
    throw std::invalid_argument("check_client: first_case " + std::to_string(options.first_case) +
                                " is not below cases " + std::to_string(options.cases));
  }
  CheckReport report;
  const rc::Gen<CheckCase> generator = case_generator(spec.faults);
  for (std::size_t i = options.first_case; i < options.cases; ++i) {
    const std::uint64_t case_seed = splitmix(options.seed ^ splitmix(i));
    // Sizes grow over the run, as RapidCheck's do, so early cases are short.
    const int size = options.cases > 1 ? static_cast<int>(i * 100 / (options.cases - 1)) : 100;
    rc::Shrinkable<CheckCase> drawn = generator(rc::Random(case_seed), size);
    CaseOutcome outcome = run_case(spec, drawn.value());
    ++report.cases_run;
    if (outcome.passed()) continue;

    Failure failure = shrink(spec, std::move(drawn), std::move(outcome), options.max_shrink_runs);
    failure.check_seed = options.seed;
    failure.case_index = i;
    failure.case_count = options.cases;
    failure.case_seed = case_seed;
    failure.scenario_text = failure_scenario_text(spec, failure.minimal, failure.outcome);
    if (!options.scenario_dir.empty()) {
      failure.scenario_path =
          write_scenario(options.scenario_dir, spec.name, failure.scenario_text);
      failure.replay_command = "wfsim replay " + failure.scenario_path;
    }
    if (options.log) *options.log << describe_failure(spec, failure);
    report.failure = std::move(failure);
    return report;
  }
  if (options.log) {
    *options.log << "check_client: '" << spec.name << "' passed " << report.cases_run
                 << " cases (seed " << options.seed << ")\n";
  }
  return report;
}

void check_one_case_under_rapidcheck(const CheckSpec& spec, const std::string& scenario_dir) {
  const CheckCase check_case = *case_generator(spec.faults);
  const CaseOutcome outcome = run_case(spec, check_case);
  if (outcome.passed()) return;
  const std::string path =
      write_scenario(scenario_dir, spec.name, failure_scenario_text(spec, check_case, outcome));
  std::string message;
  for (const Violation& violation : outcome.violations) {
    message += violation.property + ": " + violation.detail + "\n";
  }
  message += "replay (the file holds the last, smallest failing case): wfsim replay " + path;
  RC_FAIL(message);
}

}  // namespace wfsim::properties
