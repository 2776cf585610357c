// Faults injected at the API boundary (DESIGN.md, Faults). This file knows sites only as
// strings ("glue:StartWorkflowRun"); what a fault looks like to a caller is each service's
// business. Every decision that injects a fault, and every swarm switch, is written to the
// trace.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/random.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace wfsim::sim {

enum class FaultKind {
  none,
  throttle,        // the service's throttling error; not applied
  internal,        // the service's 500-class error; not applied
  unavailable,     // HTTP 503; not applied
  timeout_before,  // timeout error; not applied
  timeout_after,   // timeout error; applied
  lost_response,   // no response at all; applied
  duplicate,       // normal response; applied twice
  latency,         // normal response after a virtual delay; applied
};

std::string_view to_string(FaultKind kind);
std::optional<FaultKind> fault_kind_from_string(std::string_view text);
// True for the kinds whose request reaches the service (timeout_after, lost_response,
// duplicate, latency).
bool is_applied(FaultKind kind);

// The delay of a latency fault that names none, in a rule or a forced fault. An explicit
// 0 is kept: it is a latency fault that takes no time.
constexpr DurationUs kDefaultFaultLatencyUs = 1'000'000;

struct FaultRule {
  std::string match = "*";          // "service:Operation"; '*' matches any run of characters
  FaultKind kind = FaultKind::none;
  std::optional<Ratio> probability;   // chance per matching call; unset with `nth` empty = always
  std::vector<std::uint64_t> nth;     // 1-based indices among this rule's matching calls
  DurationUs latency_us = kDefaultFaultLatencyUs;  // latency kind: the virtual delay
  std::optional<std::int64_t> retry_after_seconds;  // throttle: RetryAfterSeconds to report

  // {"match": "mwaa-serverless:StartWorkflowRun", "kind": "throttle", "probability": "1/10",
  //  "nth": [1, 3], "latency": "PT2S", "retry_after_seconds": 1}
  static std::optional<FaultRule> from_json(const nlohmann::json& json, std::string* error);
  nlohmann::json to_json() const;
};

struct FaultPlan {
  std::vector<FaultRule> rules;  // the first rule that fires wins
  // Swarm mode: each (site, kind) of the rules is switched on or off once per run from the
  // seed, with this chance of being on; active sites then fire with their rule's probability.
  // Two rules of one kind that match one site share its switch.
  bool swarm = false;
  Ratio swarm_site_on{1, 2};

  // {"swarm": false, "swarm_site_on": "1/2", "rules": [...]}; {} is the empty plan.
  static std::optional<FaultPlan> from_json(const nlohmann::json& json, std::string* error);
  nlohmann::json to_json() const;
  bool empty() const { return rules.empty(); }
};

struct FaultDecision {
  FaultKind kind = FaultKind::none;
  DurationUs latency_us = kDefaultFaultLatencyUs;  // read only for the latency kind
  std::optional<std::int64_t> retry_after_seconds;
  std::size_t rule_index = 0;  // which rule fired; meaningful when kind != none and not forced
};

bool glob_match(std::string_view pattern, std::string_view text);

// The options that belong to one kind: a delay to latency, RetryAfterSeconds to throttle.
// When `kind` cannot carry an option given, returns {member, rule}: ("latency", "applies only
// to kind \"latency\""); a plan rule and a scenario's forced fault word it their own way.
std::optional<std::pair<std::string, std::string>> misplaced_fault_option(FaultKind kind,
                                                                         bool has_latency,
                                                                         bool has_retry_after);

class FaultInjector {
 public:
  // `rng` should be the world's "faults" stream; `trace` may be null.
  FaultInjector(FaultPlan plan, Rng rng, Trace* trace);

  // Called once per API call, before the service sees it. `site` is "service:Operation".
  FaultDecision decide(std::string_view site, TimeUs now_us);

  // Forces the decision for the next call (used by replays of recorded faults and by
  // shrinking); consumed by the next decide().
  void force_next(FaultDecision decision);

  const FaultPlan& plan() const { return plan_; }
  std::uint64_t calls_seen() const { return calls_; }
  std::uint64_t faults_injected() const { return injected_; }

 private:
  FaultDecision decide_from_rules(std::string_view site, TimeUs now_us);
  bool rule_fires(std::size_t rule_index, std::uint64_t count, std::string_view site,
                  TimeUs now_us);
  bool site_active(FaultKind kind, std::string_view site, TimeUs now_us);

  FaultPlan plan_;
  Rng rng_;
  std::uint64_t swarm_seed_;
  Trace* trace_;
  std::vector<std::uint64_t> rule_match_counts_;
  std::map<std::pair<FaultKind, std::string>, bool> swarm_switches_;
  std::optional<FaultDecision> forced_;
  std::uint64_t calls_ = 0;
  std::uint64_t injected_ = 0;
};

}  // namespace wfsim::sim
