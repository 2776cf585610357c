// Airflow 3 trigger rules (fact sheet 12.4), decided as early as Airflow decides them: a rule
// runs its task as soon as it is met and gives up as soon as it can no longer be met.
// Follows Airflow's TriggerRuleDep, with one change the sheet implies: where Airflow would
// mark the task SKIPPED (a state MWAA Serverless does not have), the task ends
// UPSTREAM_FAILED. TIMEOUT and CANCELLED upstream tasks count as failed, since Airflow ends a
// timed-out task FAILED. all_done_setup_success equals all_done because definitions have no
// setup tasks; none_skipped equals all_done because nothing is ever skipped.
#include "models/mwaa_serverless/trigger_rules.hpp"

#include <array>

namespace wfsim::models::mwaa {
namespace {

struct RuleName {
  TriggerRule rule;
  std::string_view name;
};

constexpr std::array<RuleName, kTriggerRuleCount> kRuleNames = {{
    {TriggerRule::all_success, "all_success"},
    {TriggerRule::all_failed, "all_failed"},
    {TriggerRule::all_done, "all_done"},
    {TriggerRule::all_done_setup_success, "all_done_setup_success"},
    {TriggerRule::one_success, "one_success"},
    {TriggerRule::one_failed, "one_failed"},
    {TriggerRule::one_done, "one_done"},
    {TriggerRule::none_failed, "none_failed"},
    {TriggerRule::none_failed_min_one_success, "none_failed_min_one_success"},
    {TriggerRule::none_skipped, "none_skipped"},
    {TriggerRule::all_skipped, "all_skipped"},
    {TriggerRule::always, "always"},
}};

// Runs once every upstream task is done, whatever its state.
TriggerDecision when_all_done(const UpstreamCounts& upstream) {
  return upstream.done() == upstream.total ? TriggerDecision::run : TriggerDecision::wait;
}

// Runs once `met` holds; gives up when every upstream task is done and it still does not.
TriggerDecision at_least_one(bool met, const UpstreamCounts& upstream) {
  if (met) return TriggerDecision::run;
  if (upstream.done() == upstream.total) return TriggerDecision::upstream_failed;
  return TriggerDecision::wait;
}

}  // namespace

std::string_view to_string(TriggerRule rule) {
  for (const auto& entry : kRuleNames) {
    if (entry.rule == rule) return entry.name;
  }
  return "";
}

std::optional<TriggerRule> trigger_rule_from_string(std::string_view text) {
  for (const auto& entry : kRuleNames) {
    if (entry.name == text) return entry.rule;
  }
  return std::nullopt;
}

TriggerDecision decide_trigger(TriggerRule rule, const UpstreamCounts& upstream) {
  if (upstream.total == 0) return TriggerDecision::run;
  const std::uint32_t any_failure = upstream.failed + upstream.upstream_failed;
  switch (rule) {
    case TriggerRule::all_success:
      if (any_failure > 0) return TriggerDecision::upstream_failed;
      return upstream.success == upstream.total ? TriggerDecision::run : TriggerDecision::wait;
    case TriggerRule::all_failed:
      if (upstream.success > 0) return TriggerDecision::upstream_failed;
      return when_all_done(upstream);
    case TriggerRule::all_done:
    case TriggerRule::all_done_setup_success:
    case TriggerRule::none_skipped:
      return when_all_done(upstream);
    case TriggerRule::one_success:
      return at_least_one(upstream.success > 0, upstream);
    case TriggerRule::one_failed:
      return at_least_one(any_failure > 0, upstream);
    case TriggerRule::one_done:
      return at_least_one(upstream.success + upstream.failed > 0, upstream);
    case TriggerRule::none_failed:
      if (any_failure > 0) return TriggerDecision::upstream_failed;
      return when_all_done(upstream);
    case TriggerRule::none_failed_min_one_success:
      if (any_failure > 0) return TriggerDecision::upstream_failed;
      if (upstream.done() < upstream.total) return TriggerDecision::wait;
      return upstream.success > 0 ? TriggerDecision::run : TriggerDecision::upstream_failed;
    case TriggerRule::all_skipped:
      // No upstream task is ever skipped, so the first one to finish decides it.
      return upstream.done() > 0 ? TriggerDecision::upstream_failed : TriggerDecision::wait;
    case TriggerRule::always:
      return TriggerDecision::run;
  }
  return TriggerDecision::wait;
}

}  // namespace wfsim::models::mwaa
