// The fuzz campaign (DESIGN.md, purpose 3): a seed becomes a sequence of steps (calls from
// the service's request generator, clock advances, bounded runs to idle, forced faults) run
// against a fresh World; every service invariant is checked after every step, and an
// exception inside a service (a "crash" trace event) is a finding too. A failing sequence is
// shrunk (chunks of steps dropped, then steps simplified) and written as a recorded scenario
// file that `wfsim replay` runs.
//
// Steps are scenario steps, with ${name} templates for the ids saved from answers. The
// campaign skips a step whose template names an unbound value (the scenario runner would
// fail it), and drops such steps before a finding is written. The campaign reads no clock:
// callers bound it by seeds or by their own timer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/world.hpp"
#include "properties/requests.hpp"
#include "scenarios/scenario.hpp"

namespace wfsim::properties {

struct FuzzOptions {
  std::string service = "glue";  // the service whose requests are generated
  std::size_t max_steps = 150;    // steps per seed
  // Builds the generator; default make_request_generator(service). Tests plug in their own.
  std::function<std::unique_ptr<RequestGenerator>()> make_generator;
  // Runs once each world is built, before the first step (tests install fake services).
  std::function<void(World&)> prepare_world;
  std::size_t max_shrink_runs = 400;  // replays the shrinker may spend on one finding
};

struct Finding {
  enum class Kind { invariant, crash };
  Kind kind = Kind::invariant;
  std::string signature;      // "invariant glue.job-concurrency", "crash glue:StartJobRun"
  std::string detail;         // what was seen
  std::size_t step_index = 0;  // the step after which it was seen
  bool same_as(const Finding& other) const { return signature == other.signature; }
};

struct SeedRun {
  std::uint64_t seed = 0;
  std::vector<nlohmann::json> steps;  // scenario steps as written, in order run
  std::size_t calls = 0;              // call steps sent (skipped ones excluded)
  std::optional<Finding> finding;
  std::string trace_hash;             // 16 hex digits
};

struct ShrinkResult {
  std::vector<nlohmann::json> steps;  // the smallest failing sequence found
  Finding finding;                    // as that sequence shows it
  std::size_t runs = 0;               // replays spent
};

class FuzzCampaign {
 public:
  explicit FuzzCampaign(FuzzOptions options);

  const FuzzOptions& options() const { return options_; }
  // The world configuration every run of this campaign uses.
  const nlohmann::json& world_config() const { return config_; }

  // Generates and runs up to max_steps steps from `seed`; stops at the first finding.
  SeedRun run_seed(std::uint64_t seed) const;
  // Runs fixed steps against a fresh world made from `seed`; stops at the first finding.
  SeedRun replay(std::uint64_t seed, const std::vector<nlohmann::json>& steps) const;
  // Shrinks a failing sequence to one that fails the same way.
  ShrinkResult shrink(std::uint64_t seed, const std::vector<nlohmann::json>& steps,
                      const Finding& finding) const;
  // The steps without those the campaign skipped (an unbound template) and without saves
  // that never bound: what a scenario file can hold and replay as the campaign ran it.
  std::vector<nlohmann::json> without_skipped(std::uint64_t seed,
                                              const std::vector<nlohmann::json>& steps) const;
  // The scenario the steps make (name, seed, start, this campaign's config).
  nlohmann::json scenario_document(std::uint64_t seed, const std::vector<nlohmann::json>& steps,
                                   const Finding& finding) const;
  // The recorded scenario text for a shrunk finding: every call expects what it answered,
  // except that a call that crashed expects success, so its replay fails where it crashed.
  std::string finding_text(std::uint64_t seed, const ShrinkResult& shrunk) const;

 private:
  FuzzOptions options_;
  nlohmann::json config_;
};

// One world being fuzzed step by step (the campaign's runs, and the libFuzzer harness that
// chooses steps from bytes): runs scenario steps, shows the generator what its calls
// answered, and checks for crashes and broken invariants after every step.
class FuzzSession {
 public:
  FuzzSession(const FuzzCampaign& campaign, std::uint64_t seed);
  ~FuzzSession();
  FuzzSession(const FuzzSession&) = delete;
  FuzzSession& operator=(const FuzzSession&) = delete;

  RequestGenerator& generator();
  World& world();
  // Runs `step`; `generated`, when given, is the call the step was made from, shown to the
  // generator afterwards. Returns what the checks after the step found.
  std::optional<Finding> run(const nlohmann::json& step, const GeneratedCall* generated = nullptr);
  std::size_t calls_sent() const;  // call steps not skipped

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Scenario steps as the campaign writes them.
nlohmann::json call_step(const std::string& service, const GeneratedCall& call,
                         const std::optional<sim::FaultDecision>& fault = std::nullopt);
nlohmann::json advance_step(sim::DurationUs duration_us);  // whole seconds
nlohmann::json until_idle_step(std::uint64_t max_events);

// The seed of the `index`-th run of a campaign from `base_seed` on shard `shard` of
// `shard_count`: shards take disjoint, interleaved seeds (base + shard + index * count).
std::uint64_t campaign_seed(std::uint64_t base_seed, std::uint64_t shard, std::uint64_t shard_count,
                            std::uint64_t index);

// "i/n" -> (i, n) with 0 <= i < n; nullopt when the text is not that.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_shard(const std::string& text);

// Every fuzzable service's invariant catalogue, from a world built with its configuration:
// (service, [(name, description)]), services sorted.
std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>
invariant_catalogues();

}  // namespace wfsim::properties
