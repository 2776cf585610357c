// Airflow 3 trigger rules (fact sheet 12.4) over the terminal states of a task's upstream
// tasks. Airflow's "skipped" state has no MWAA Serverless counterpart (fact sheet 5), so no
// upstream is ever skipped, and a rule that can no longer be met ends the waiting task
// UPSTREAM_FAILED where Airflow would skip it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wfsim::models::mwaa {

enum class TriggerRule : std::uint8_t {
  all_success,
  all_failed,
  all_done,
  all_done_setup_success,
  one_success,
  one_failed,
  one_done,
  none_failed,
  none_failed_min_one_success,
  none_skipped,
  all_skipped,
  always,
};

inline constexpr std::size_t kTriggerRuleCount = 12;

std::string_view to_string(TriggerRule rule);
std::optional<TriggerRule> trigger_rule_from_string(std::string_view text);

// How the upstream tasks of one task stand. A task counts once it is finished: its newest
// instance ended and no retry is pending.
struct UpstreamCounts {
  std::uint32_t total = 0;            // upstream tasks
  std::uint32_t success = 0;          // ended SUCCESS
  std::uint32_t failed = 0;           // ended FAILED, TIMEOUT or CANCELLED
  std::uint32_t upstream_failed = 0;  // ended UPSTREAM_FAILED
  std::uint32_t done() const { return success + failed + upstream_failed; }
};

enum class TriggerDecision { wait, run, upstream_failed };

// A task without upstream tasks always runs, whatever its rule (Airflow evaluates trigger
// rules only over upstream tasks).
TriggerDecision decide_trigger(TriggerRule rule, const UpstreamCounts& upstream);

}  // namespace wfsim::models::mwaa
