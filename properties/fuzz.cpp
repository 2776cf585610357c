// The fuzz campaign: generation, execution with checks after every step, shrinking, and the
// finding's scenario file.
//
// Choices made where the issue is silent:
//  - A seed's steps are 75% calls (one in twelve with a forced fault of any kind), 20% clock
//    advances, 5% runs to idle bounded by a few thousand timer events (schedules never let a
//    world go idle, and a scenario's unbounded until_idle would fail on them).
//  - Saves bind exactly as the scenario runner binds them (from the response, or from an
//    error's body), so a replay of the written file sends the same requests.
//  - Two findings are the same when they break the same invariant, or crash in the same
//    service:operation (or in a timer); shrinking keeps a candidate only if it fails the
//    same way.
//  - A crash in a call is written with no expectation on that call. The replay fails at the
//    step where a service threw, wherever it threw (a call, a timer, the hidden half of a
//    fault): the scenario runner reports every crash of the World as a difference.
#include "properties/fuzz.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "scenarios/matching.hpp"
#include "scenarios/recorder.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

// What one step did, for shrinking and for cleaning the written scenario.
struct StepEffect {
  bool skipped = false;              // a template named an unbound value
  std::vector<std::string> bound;    // the saved names this call bound
  std::optional<models::JsonOutcome> outcome;  // what a call answered (not for skipped calls)
  std::string rejected_change;  // a trace event a rejected call wrote, other than its own
};

// One run in progress: the world, the saved values, the crashes already reported.
struct Execution {
  std::unique_ptr<World> world;
  scenarios::Bindings bindings;
  std::size_t crashes_seen = 0;
};

std::unique_ptr<World> make_world(std::uint64_t seed, const json& config,
                                  const FuzzOptions& options) {
  WorldOptions world_options;
  world_options.seed = seed;
  world_options.config = config;
  auto created = World::create(world_options);
  if (auto* error = std::get_if<std::string>(&created)) {
    throw std::runtime_error("the fuzz configuration is not valid: " + *error);
  }
  auto world = std::move(std::get<std::unique_ptr<World>>(created));
  if (options.prepare_world) options.prepare_world(*world);
  return world;
}

sim::FaultDecision fault_from_json(const json& fault) {
  sim::FaultDecision decision;
  decision.kind = sim::fault_kind_from_string(fault.at("kind").get<std::string>())
                      .value_or(sim::FaultKind::none);
  if (fault.contains("latency"))
    decision.latency_us = sim::seconds(fault["latency"].get<std::int64_t>());
  if (fault.contains("retry_after_seconds"))
    decision.retry_after_seconds = fault["retry_after_seconds"].get<std::int64_t>();
  return decision;
}

json fault_to_json(const sim::FaultDecision& decision) {
  json fault = {{"kind", sim::to_string(decision.kind)}};
  if (decision.kind == sim::FaultKind::latency) fault["latency"] = decision.latency_us / 1'000'000;
  if (decision.retry_after_seconds) fault["retry_after_seconds"] = *decision.retry_after_seconds;
  return fault;
}

// As the scenario runner saves values: from the response, or from an error's body.
void save_values(const json& save, const models::JsonOutcome& outcome, Execution& execution,
                 StepEffect& effect) {
  const json source = outcome.ok() ? outcome.value() : outcome.error().body();
  for (const auto& [name, pointer] : save.items()) {
    try {
      const json::json_pointer path(pointer.get<std::string>());
      if (!source.contains(path)) continue;
      execution.bindings[name] = source.at(path);
      effect.bound.push_back(name);
    } catch (const json::exception&) {
      // A pointer that does not fit the document's shape binds nothing, as in the runner.
    }
  }
}

// A call the service refused (a 4xx answer to an unfaulted call) or never saw (a fault that
// is not applied). DESIGN.md: a rejected call changes nothing.
bool was_rejected(const CallResult& result) {
  if (result.fault != sim::FaultKind::none) return !sim::is_applied(result.fault);
  const int status = result.http_status();
  return status >= 400 && status < 500;
}

// Events a call may write whatever it is: its own record, and housekeeping that time alone
// decides (Glue drops runs past their retention when the next call arrives).
bool is_call_bookkeeping(const std::string& kind) {
  static const std::string kExpired = "_expired";
  return kind == "call" || kind == "fault" || kind == "fault_switch" || kind == "crash" ||
         (kind.size() >= kExpired.size() &&
          kind.compare(kind.size() - kExpired.size(), kExpired.size(), kExpired) == 0);
}

// The first event since `from` that is not bookkeeping: a transition, a note of something
// created or deleted, a timer firing means the rejected call changed something.
std::string change_since(const sim::Trace& trace, std::size_t from) {
  const auto& events = trace.events();
  for (std::size_t i = from; i < events.size(); ++i) {
    if (!is_call_bookkeeping(events[i].kind)) return events[i].to_json_line();
  }
  return {};
}

StepEffect run_call(const json& step, Execution& execution) {
  StepEffect effect;
  const std::string site = step.at("call").get<std::string>();
  const std::size_t colon = site.find(':');
  const std::string service = site.substr(0, colon);
  const std::string operation = site.substr(colon + 1);
  const json& written = step.at("request");
  std::optional<json> substituted;
  if (scenarios::has_template(written)) {
    std::vector<scenarios::Difference> problems;
    substituted = scenarios::substitute(written, execution.bindings, "request", &problems);
    if (!substituted) {
      effect.skipped = true;
      return effect;
    }
  }
  const json& request = substituted ? *substituted : written;
  World& world = *execution.world;
  const std::size_t events_before = world.trace().events().size();
  CallResult result = step.contains("fault") ? world.call_with_fault(service, operation, request,
                                                                     fault_from_json(step["fault"]))
                                             : world.call(service, operation, request);
  if (was_rejected(result)) effect.rejected_change = change_since(world.trace(), events_before);
  if (step.contains("save")) save_values(step["save"], result.outcome, execution, effect);
  effect.outcome = std::move(result.outcome);
  return effect;
}

StepEffect run_step(const json& step, Execution& execution) {
  if (step.contains("call")) return run_call(step, execution);
  if (step.contains("advance")) {
    execution.world->advance(sim::seconds(step["advance"].get<std::int64_t>()));
  } else {
    execution.world->run_until_idle(step["until_idle"]["max_events"].get<std::uint64_t>());
  }
  return {};
}

// A crash the World caught since the last look, a rejected call that changed something, or
// a broken invariant, as a finding.
std::optional<Finding> check_after_step(Execution& execution, const StepEffect& effect,
                                        std::size_t index) {
  const std::vector<ServiceCrash>& crashes = execution.world->crashes();
  if (execution.crashes_seen < crashes.size()) {
    const ServiceCrash& crash = crashes[execution.crashes_seen++];
    Finding finding;
    finding.kind = Finding::Kind::crash;
    finding.signature = "crash " + crash.where;  // "crash glue:Operation" or "crash timer"
    finding.detail = crash.what;
    finding.step_index = index;
    return finding;
  }
  if (!effect.rejected_change.empty()) {
    Finding finding;
    finding.signature = "invariant fuzz:rejected-call-changes-nothing";
    finding.detail = "a rejected call wrote " + effect.rejected_change;
    finding.step_index = index;
    return finding;
  }
  std::vector<models::InvariantViolation> violations = execution.world->check_invariants();
  if (violations.empty()) return std::nullopt;
  Finding finding;
  finding.signature = "invariant " + violations.front().invariant;
  finding.detail = violations.front().detail;
  finding.step_index = index;
  return finding;
}

json next_step(RequestGenerator& generator, sim::Rng& rng, GeneratedCall* call) {
  const std::uint64_t roll = rng.choice(100);
  if (roll < 75) {
    *call = generator.next(rng);
    std::optional<sim::FaultDecision> fault;
    if (rng.choice(12) == 0) fault = generate_fault(rng);
    return call_step(generator.service(), *call, fault);
  }
  if (roll < 95) return advance_step(generate_advance(rng));
  return until_idle_step(rng.uniform(200, 5000));
}

// Replays `steps`, keeping what each did; stops after the first finding.
SeedRun replay_steps(std::uint64_t seed, const std::vector<json>& steps, const json& config,
                     const FuzzOptions& options, std::vector<StepEffect>* effects) {
  SeedRun run;
  run.seed = seed;
  Execution execution{make_world(seed, config, options), {}, 0};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    StepEffect effect = run_step(steps[i], execution);
    run.steps.push_back(steps[i]);
    if (steps[i].contains("call") && !effect.skipped) ++run.calls;
    run.finding = check_after_step(execution, effect, i);
    if (effects) effects->push_back(std::move(effect));
    if (run.finding) break;
  }
  run.trace_hash = execution.world->trace().hash_hex();
  return run;
}

// The steps without the skipped ones and without saves that never bound: the same run, and
// one the scenario runner replays with every save found.
std::vector<json> cleaned(const std::vector<json>& steps, const std::vector<StepEffect>& effects) {
  std::vector<json> out;
  for (std::size_t i = 0; i < steps.size() && i < effects.size(); ++i) {
    if (effects[i].skipped) continue;
    json step = steps[i];
    if (step.contains("save")) {
      json kept = json::object();
      for (const std::string& name : effects[i].bound) kept[name] = step["save"][name];
      if (kept.empty()) {
        step.erase("save");
      } else {
        step["save"] = kept;
      }
    }
    out.push_back(std::move(step));
  }
  return out;
}

// Simpler versions of one step, simplest first.
std::vector<json> simplifications(const json& step) {
  std::vector<json> out;
  if (step.contains("fault")) {
    json without = step;
    without.erase("fault");
    out.push_back(without);
  }
  if (step.contains("advance") && step["advance"].get<std::int64_t>() > 1) {
    const std::int64_t seconds = step["advance"].get<std::int64_t>();
    out.push_back({{"advance", 1}});
    out.push_back({{"advance", seconds / 2}});
  }
  if (step.contains("request") && step["request"].is_object()) {
    for (const auto& [key, value] : step["request"].items()) {
      json without = step;
      without["request"].erase(key);
      out.push_back(without);
    }
  }
  return out;
}

}  // namespace

FuzzCampaign::FuzzCampaign(FuzzOptions options) : options_(std::move(options)) {
  if (!options_.make_generator) {
    const std::string service = options_.service;
    options_.make_generator = [service] { return make_request_generator(service); };
  }
  std::unique_ptr<RequestGenerator> generator = options_.make_generator();
  if (!generator)
    throw std::invalid_argument("no request generator for service '" + options_.service + "'");
  config_ = generator->world_config();
}

struct FuzzSession::State {
  std::unique_ptr<RequestGenerator> generator;
  Execution execution;
  std::size_t steps = 0;
  std::size_t calls = 0;
};

FuzzSession::FuzzSession(const FuzzCampaign& campaign, std::uint64_t seed)
    : state_(new State{
          campaign.options().make_generator(),
          Execution{make_world(seed, campaign.world_config(), campaign.options()), {}, 0}, 0, 0}) {}

FuzzSession::~FuzzSession() = default;

RequestGenerator& FuzzSession::generator() { return *state_->generator; }
World& FuzzSession::world() { return *state_->execution.world; }
std::size_t FuzzSession::calls_sent() const { return state_->calls; }

std::optional<Finding> FuzzSession::run(const json& step, const GeneratedCall* generated) {
  StepEffect effect = run_step(step, state_->execution);
  if (step.contains("call") && !effect.skipped) {
    ++state_->calls;
    if (generated)
      state_->generator->observe(*generated, *effect.outcome, state_->execution.bindings);
  }
  return check_after_step(state_->execution, effect, state_->steps++);
}

json call_step(const std::string& service, const GeneratedCall& call,
               const std::optional<sim::FaultDecision>& fault) {
  json step = {{"call", service + ":" + call.operation}, {"request", call.request}};
  if (!call.save.empty()) step["save"] = call.save;
  if (fault) step["fault"] = fault_to_json(*fault);
  return step;
}

json advance_step(sim::DurationUs duration_us) { return {{"advance", duration_us / 1'000'000}}; }

json until_idle_step(std::uint64_t max_events) {
  return {{"until_idle", {{"max_events", max_events}}}};
}

SeedRun FuzzCampaign::run_seed(std::uint64_t seed) const {
  SeedRun run;
  run.seed = seed;
  FuzzSession session(*this, seed);
  sim::Rng rng = sim::RandomStreams(seed).stream("fuzz/steps");
  for (std::size_t i = 0; i < options_.max_steps && !run.finding; ++i) {
    GeneratedCall call;
    json step = next_step(session.generator(), rng, &call);
    run.finding = session.run(step, step.contains("call") ? &call : nullptr);
    run.steps.push_back(std::move(step));
  }
  run.calls = session.calls_sent();
  run.trace_hash = session.world().trace().hash_hex();
  return run;
}

SeedRun FuzzCampaign::replay(std::uint64_t seed, const std::vector<json>& steps) const {
  return replay_steps(seed, steps, config_, options_, nullptr);
}

std::vector<json> FuzzCampaign::without_skipped(std::uint64_t seed,
                                                const std::vector<json>& steps) const {
  std::vector<StepEffect> effects;
  replay_steps(seed, steps, config_, options_, &effects);
  return cleaned(steps, effects);
}

ShrinkResult FuzzCampaign::shrink(std::uint64_t seed, const std::vector<json>& steps,
                                  const Finding& finding) const {
  ShrinkResult result;
  result.finding = finding;
  result.steps.assign(steps.begin(),
                      steps.begin() + std::min(steps.size(), finding.step_index + 1));
  // Keeps `candidate` when it fails the same way, cut after the step that shows it.
  auto try_candidate = [&](const std::vector<json>& candidate) {
    if (result.runs >= options_.max_shrink_runs) return false;
    ++result.runs;
    SeedRun run = replay(seed, candidate);
    if (!run.finding || !run.finding->same_as(finding)) return false;
    result.finding = *run.finding;
    result.steps = std::move(run.steps);
    return true;
  };
  // Delta debugging: drop chunks of steps, halving the chunk size down to single steps.
  for (std::size_t chunk = std::max<std::size_t>(result.steps.size() / 2, 1); chunk >= 1;
       chunk /= 2) {
    for (std::size_t start = 0; start < result.steps.size();) {
      std::vector<json> candidate = result.steps;
      const std::size_t end = std::min(candidate.size(), start + chunk);
      candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(start),
                      candidate.begin() + static_cast<std::ptrdiff_t>(end));
      if (candidate.empty() || !try_candidate(candidate)) start += chunk;
    }
    if (chunk == 1) break;
  }
  // Then make each remaining step simpler: no fault, shorter advances, fewer members.
  for (std::size_t i = 0; i < result.steps.size(); ++i) {
    bool simplified = true;
    while (simplified && i < result.steps.size()) {
      simplified = false;
      for (const json& simpler : simplifications(result.steps[i])) {
        std::vector<json> candidate = result.steps;
        candidate[i] = simpler;
        if (try_candidate(candidate)) {
          simplified = true;
          break;
        }
      }
    }
  }
  std::vector<StepEffect> effects;
  SeedRun last = replay_steps(seed, result.steps, config_, options_, &effects);
  std::vector<json> clean = cleaned(result.steps, effects);
  ++result.runs;
  SeedRun check = replay(seed, clean);
  if (check.finding && check.finding->same_as(finding)) {
    result.steps = std::move(check.steps);
    result.finding = *check.finding;
  } else if (last.finding) {
    result.finding = *last.finding;
  }
  return result;
}

json FuzzCampaign::scenario_document(std::uint64_t seed, const std::vector<json>& steps,
                                     const Finding& finding) const {
  return {
      {"wfsim", scenarios::kFormatVersion},
      {"name", "fuzz-" + options_.service + "-" + std::to_string(seed)},
      {"description", "Found by wfsim fuzz --service " + options_.service + " (seed " +
                          std::to_string(seed) + "): " + finding.signature + ": " + finding.detail},
      {"seed", seed},
      {"start", sim::format_rfc3339(WorldOptions().start_us)},  // the fuzzed world's start
      {"config", config_},
      {"steps", steps}};
}

std::string FuzzCampaign::finding_text(std::uint64_t seed, const ShrinkResult& shrunk) const {
  scenarios::ParseResult parsed =
      scenarios::parse_scenario(scenario_document(seed, shrunk.steps, shrunk.finding));
  if (!parsed.ok()) {
    std::string errors;
    for (const std::string& error : parsed.errors) errors += error + "; ";
    throw std::runtime_error("the shrunk sequence is not a valid scenario: " + errors);
  }
  scenarios::RunOptions run_options;
  run_options.prepare_world = options_.prepare_world;
  scenarios::Recording recording = scenarios::record_scenario(*parsed.scenario, run_options);
  nlohmann::ordered_json& steps = recording.scenario["steps"];
  const std::size_t last = shrunk.finding.step_index;
  if (shrunk.finding.kind == Finding::Kind::crash && last < steps.size() &&
      steps[last].value("expect_error", "") == "InternalFailure") {
    steps[last].erase("expect_error");
    steps[last]["note"] = "crashed here: " + shrunk.finding.detail;
  }
  return recording.text();
}

std::uint64_t campaign_seed(std::uint64_t base_seed, std::uint64_t shard, std::uint64_t shard_count,
                            std::uint64_t index) {
  return base_seed + shard + index * shard_count;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  auto number = [](const std::string& digits) -> std::optional<std::uint64_t> {
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
  };
  const auto index = number(text.substr(0, slash));
  const auto count = number(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return std::make_pair(*index, *count);
}

std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>
invariant_catalogues() {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> out;
  for (const std::string& service : fuzzable_services()) {
    FuzzOptions options;
    options.service = service;
    FuzzCampaign campaign(options);
    std::unique_ptr<World> world = make_world(1, campaign.world_config(), options);
    out.emplace_back(service, world->service(service)->invariant_catalogue());
  }
  return out;
}

}  // namespace wfsim::properties
