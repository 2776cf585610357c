#include "properties/client_properties.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace wfsim::properties {
namespace {

std::size_t last_step(const CaseRecord& record) {
  return record.history.steps.empty() ? 0 : record.history.steps.size() - 1;
}

// The routine's attempts with their step indices.
std::vector<std::pair<std::size_t, const Attempt*>> routine_attempts(const CaseRecord& record) {
  std::vector<std::pair<std::size_t, const Attempt*>> out;
  const auto& steps = record.history.steps;
  for (std::size_t i = record.first_routine_step; i < steps.size(); ++i) {
    if (steps[i].attempt) out.push_back({i, &*steps[i].attempt});
  }
  return out;
}

// run id -> statuses the client saw for it (empty string: named without a status).
std::map<std::string, std::set<std::string>> seen_runs(const CaseRecord& record) {
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& [step, attempt] : routine_attempts(record)) {
    if (!attempt->seen.ok()) continue;
    for (const RunSighting& run :
         record.facts->sightings(attempt->operation, attempt->seen.value())) {
      seen[run.run_id].insert(run.status);
    }
  }
  return seen;
}

}  // namespace

ClientProperty at_most_one_run_per_logical_start() {
  return {"at-most-one-run-per-logical-start",
          [](const CaseRecord& record) -> std::optional<Violation> {
            const std::size_t allowed = record.history.logical_starts;
            if (record.created.size() <= allowed) return std::nullopt;
            const CreatedRun& extra = record.created[allowed];
            return Violation{"at-most-one-run-per-logical-start",
                             std::to_string(allowed) + " logical start(s) made " +
                                 std::to_string(record.created.size()) + " runs; run " +
                                 extra.run_id + " is the extra one",
                             extra.step};
          }};
}

ClientProperty no_run_left_unobserved() {
  return {"no-run-left-unobserved", [](const CaseRecord& record) -> std::optional<Violation> {
            const auto seen = seen_runs(record);
            for (const CreatedRun& run : record.created) {
              if (seen.count(run.run_id) == 0) {
                return Violation{"no-run-left-unobserved",
                                 "run " + run.run_id + " was started (history step " +
                                     std::to_string(run.step) +
                                     ") but no response the client saw names it",
                                 last_step(record)};
              }
            }
            return std::nullopt;
          }};
}

ClientProperty active_runs_at_most(std::size_t cap) {
  ClientProperty property{"active-runs-at-most-" + std::to_string(cap),
                          [cap](const CaseRecord& record) -> std::optional<Violation> {
                            for (const ActiveSample& sample : record.active_samples) {
                              if (sample.active <= cap) continue;
                              return Violation{"active-runs-at-most-" + std::to_string(cap),
                                               std::to_string(sample.active) +
                                                   " runs active after history step " +
                                                   std::to_string(sample.step),
                                               sample.step};
                            }
                            return std::nullopt;
                          }};
  property.needs_active_samples = true;
  return property;
}

ClientProperty eventually_sees_terminal_state() {
  return {"eventually-sees-terminal-state",
          [](const CaseRecord& record) -> std::optional<Violation> {
            if (record.created.empty()) {
              return Violation{"eventually-sees-terminal-state", "the client never started a run",
                               last_step(record)};
            }
            const auto seen = seen_runs(record);
            for (const CreatedRun& run : record.created) {
              const auto found = seen.find(run.run_id);
              const bool terminal =
                  found != seen.end() && std::any_of(found->second.begin(), found->second.end(),
                                                     [&](const std::string& status) {
                                                       return record.facts->is_terminal(status);
                                                     });
              if (!terminal) {
                return Violation{"eventually-sees-terminal-state",
                                 "the client never saw run " + run.run_id + " end",
                                 last_step(record)};
              }
            }
            return std::nullopt;
          }};
}

ClientProperty backoff_respects_retry_after() {
  return {"backoff-respects-retry-after", [](const CaseRecord& record) -> std::optional<Violation> {
            const auto attempts = routine_attempts(record);
            for (std::size_t i = 0; i < attempts.size(); ++i) {
              const Attempt& failed = *attempts[i].second;
              if (failed.seen.ok()) continue;
              const auto after = retry_after_seconds(failed.seen.error());
              if (!after) continue;
              for (std::size_t j = i + 1; j < attempts.size(); ++j) {
                const Attempt& next = *attempts[j].second;
                if (next.operation != failed.operation) continue;
                if (next.sent_at_us - failed.sent_at_us < sim::seconds(*after)) {
                  return Violation{"backoff-respects-retry-after",
                                   failed.operation + " was retried " +
                                       std::to_string(next.sent_at_us - failed.sent_at_us) +
                                       " us after an error asking for " + std::to_string(*after) +
                                       " s",
                                   attempts[j].first};
                }
                break;
              }
            }
            return std::nullopt;
          }};
}

ClientProperty never_spins() {
  return {"never-spins", [](const CaseRecord& record) -> std::optional<Violation> {
            const auto attempts = routine_attempts(record);
            for (std::size_t i = 0; i + 1 < attempts.size(); ++i) {
              const Attempt& refused = *attempts[i].second;
              if (refused.seen.ok()) continue;
              const models::AwsError& error = refused.seen.error();
              if (!is_throttling_error(error) && !is_capacity_refusal(error)) continue;
              const Attempt& next = *attempts[i + 1].second;
              if (next.sent_at_us <= refused.sent_at_us) {
                return Violation{"never-spins",
                                 "called " + next.operation + " again at once after " + error.code,
                                 attempts[i + 1].first};
              }
            }
            if (record.aborted) {
              return Violation{"never-spins", "the client was stopped: " + *record.aborted,
                               last_step(record)};
            }
            return std::nullopt;
          }};
}

ClientProperty no_retryable_error_leaks() {
  return {"no-retryable-error-leaks", [](const CaseRecord& record) -> std::optional<Violation> {
            const auto& error = record.result.error;
            if (!error || !is_retryable_error(*error)) return std::nullopt;
            return Violation{"no-retryable-error-leaks",
                             "the routine gave its caller " + error->code +
                                 ", which the SDK's standard mode retries",
                             last_step(record)};
          }};
}

ClientProperty canary_no_fault_reaches_client() {
  return {
      "canary-no-fault-reaches-client", [](const CaseRecord& record) -> std::optional<Violation> {
        for (const auto& [step, attempt] : routine_attempts(record)) {
          if (attempt->fault.kind == sim::FaultKind::none) continue;
          return Violation{"canary-no-fault-reaches-client",
                           std::string("a ") + std::string(sim::to_string(attempt->fault.kind)) +
                               " fault reached " + attempt->operation,
                           step};
        }
        return std::nullopt;
      }};
}

std::vector<ClientProperty> start_once_and_wait_properties() {
  return {at_most_one_run_per_logical_start(), no_run_left_unobserved(),
          eventually_sees_terminal_state(),    backoff_respects_retry_after(),
          never_spins(),                       no_retryable_error_leaks()};
}

}  // namespace wfsim::properties
