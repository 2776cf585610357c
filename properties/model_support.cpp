#include "properties/model_support.hpp"

#include <string>
#include <variant>

#include <rapidcheck.h>

namespace wfsim::properties {

const std::vector<sim::FaultKind>& injectable_fault_kinds() {
  static const std::vector<sim::FaultKind> kinds = {
      sim::FaultKind::throttle,       sim::FaultKind::internal,      sim::FaultKind::unavailable,
      sim::FaultKind::timeout_before, sim::FaultKind::timeout_after, sim::FaultKind::lost_response,
      sim::FaultKind::duplicate,      sim::FaultKind::latency};
  return kinds;
}

int applications(sim::FaultKind kind) {
  if (kind == sim::FaultKind::duplicate) return 2;
  return kind == sim::FaultKind::none || sim::is_applied(kind) ? 1 : 0;
}

CallResult call_with(World& world, std::string_view service, std::string_view operation,
                     const nlohmann::json& request, sim::FaultKind fault) {
  if (fault == sim::FaultKind::none) return world.call(service, operation, request);
  sim::FaultDecision decision;
  decision.kind = fault;
  return world.call_with_fault(service, operation, request, decision);
}

const models::JsonOutcome& first_answer(const CallResult& result) {
  const bool hidden = result.fault == sim::FaultKind::timeout_after ||
                      result.fault == sim::FaultKind::lost_response;
  return hidden && result.hidden_outcome ? *result.hidden_outcome : result.outcome;
}

const models::JsonOutcome* second_answer(const CallResult& result) {
  if (result.fault != sim::FaultKind::duplicate || !result.hidden_outcome) return nullptr;
  return &*result.hidden_outcome;
}

std::optional<std::string> visible_fault_code(sim::FaultKind kind, const FaultCodes& codes) {
  switch (kind) {
    case sim::FaultKind::throttle:
      return codes.throttle;
    case sim::FaultKind::internal:
      return codes.internal;
    case sim::FaultKind::unavailable:
      return std::string("ServiceUnavailableException");
    case sim::FaultKind::timeout_before:
    case sim::FaultKind::timeout_after:
      return codes.timeout;
    case sim::FaultKind::lost_response:
      return std::string("RequestTimeout");
    case sim::FaultKind::none:
    case sim::FaultKind::duplicate:
    case sim::FaultKind::latency:
      break;
  }
  return std::nullopt;
}

StatusGraph::StatusGraph(std::initializer_list<std::pair<std::string, std::string>> edges,
                         std::initializer_list<std::string> terminal)
    : terminal_(terminal) {
  for (const auto& [from, to] : edges) {
    edges_[from].insert(to);
    edges_[to];
  }
  for (const auto& status : terminal_) edges_[status];
}

bool StatusGraph::known(const std::string& status) const { return edges_.count(status) > 0; }

bool StatusGraph::reachable(const std::string& from, const std::string& to) const {
  if (from == to) return known(from);
  std::set<std::string> seen = {from};
  std::vector<std::string> pending = {from};
  while (!pending.empty()) {
    const auto found = edges_.find(pending.back());
    pending.pop_back();
    if (found == edges_.end()) continue;
    for (const auto& next : found->second) {
      if (next == to) return true;
      if (seen.insert(next).second) pending.push_back(next);
    }
  }
  return false;
}

void expect(bool condition, const std::string& message) {
  if (!condition) RC_FAIL(message);
}

std::string outcome_code(const models::JsonOutcome& outcome) {
  return outcome.ok() ? std::string("OK") : outcome.error().code;
}

void expect_code(const models::JsonOutcome& answer, const std::string& code,
                 const std::string& what) {
  expect(outcome_code(answer) == code,
         what + ": expected " + code + ", got " + outcome_code(answer) +
             (answer.ok() ? " " + answer.value().dump() : " " + answer.error().message));
}

std::unique_ptr<World> create_model_world(const WorldOptions& options, const std::string& model) {
  auto made = World::create(options);
  if (auto* error = std::get_if<std::string>(&made)) {
    RC_FAIL("the " + model + " model world was rejected: " + *error);
  }
  return std::move(std::get<std::unique_ptr<World>>(made));
}

nlohmann::json oracle_read(World& world, std::string_view service, std::string_view operation,
                           const nlohmann::json& request) {
  const CallResult result = world.call(service, operation, request);
  expect(result.outcome.ok(), "oracle read " + std::string(operation) + " " + request.dump() +
                                  " failed: " + outcome_code(result.outcome));
  return result.outcome.ok() ? result.outcome.value() : nlohmann::json::object();
}

nlohmann::json oracle_read_all(World& world, std::string_view service,
                               std::string_view operation, nlohmann::json request,
                               const char* items, int page_size) {
  nlohmann::json all = nlohmann::json::array();
  request["MaxResults"] = page_size;
  for (int page = 0; page < 100; ++page) {
    const nlohmann::json answer = oracle_read(world, service, operation, request);
    for (const auto& item : answer.value(items, nlohmann::json::array())) all.push_back(item);
    if (!answer.contains("NextToken")) break;
    request["NextToken"] = answer["NextToken"];
  }
  return all;
}

void expect_invariants(World& world, const std::string& what) {
  for (const models::InvariantViolation& violation : world.check_invariants()) {
    expect(false,
           "invariant " + violation.invariant + " broken after " + what + ": " + violation.detail);
  }
}

void count_call(Coverage* coverage, std::string_view operation, sim::FaultKind fault,
                const CallResult& result) {
  if (coverage == nullptr) return;
  if (fault != sim::FaultKind::none) ++(*coverage)["fault:" + std::string(sim::to_string(fault))];
  if (applications(fault) >= 1) {
    ++(*coverage)[std::string(operation) + ":" + outcome_code(first_answer(result))];
  }
  if (const models::JsonOutcome* second = second_answer(result)) {
    ++(*coverage)[std::string(operation) + ":" + outcome_code(*second)];
  }
}

}  // namespace wfsim::properties
