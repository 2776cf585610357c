// What every simulated service offers the World, and what the World lends every service.
// A service gets time, randomness, the trace and the object store through its context,
// never through a global.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/error.hpp"
#include "models/common/object_store.hpp"
#include "sim/faults.hpp"
#include "sim/random.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace wfsim::models {

struct ServiceContext {
  sim::Scheduler& scheduler;
  sim::Trace& trace;
  const sim::RandomStreams& streams;  // a service names its streams "<service>/<purpose>"
  const ObjectStore& objects;
  std::string account_id;             // 12 digits
  std::string region;                 // "us-east-1"
};

struct InvariantViolation {
  std::string invariant;  // a name from the service's catalogue
  std::string detail;     // what was seen
};

// The operation names of a service's handler table (any map keyed by name), sorted as
// Service::operations() returns them.
template <class HandlerTable>
std::vector<std::string> sorted_operation_names(const HandlerTable& handlers) {
  std::vector<std::string> names;
  names.reserve(handlers.size());
  for (const auto& [operation, handler] : handlers) names.emplace_back(operation);
  std::sort(names.begin(), names.end());
  return names;
}

// IAM's wording for an action no identity-based policy allows.
inline std::string access_denied_message(const std::string& principal, const std::string& action) {
  return "User: " + principal + " is not authorized to perform: " + action +
         " because no identity-based policy allows the " + action + " action";
}

class Service {
 public:
  virtual ~Service() = default;

  // "mwaa-serverless", "glue", "swf", "appflow".
  virtual std::string_view name() const = 0;
  // Sorted, so that generators which choose among them draw the same operation on every
  // run and every standard library.
  virtual std::vector<std::string> operations() const = 0;

  // One API call; `request` is the operation's JSON exactly as on the wire. Never throws
  // for anything a caller can send: bad input is an AwsError, and a rejected call changes
  // nothing.
  virtual JsonOutcome call(std::string_view operation, const nlohmann::json& request) = 0;

  // A call made to look, not to act: answered as call() answers it, but it spends none of
  // the configured request rate. A harness that reads the state between a client's calls
  // (check_client's census) must not change what the client is answered. Only read-only
  // operations are observed.
  virtual JsonOutcome observe(std::string_view operation, const nlohmann::json& request) {
    return call(operation, request);
  }

  // The error a caller sees for an injected fault that is not applied (throttle, internal,
  // unavailable, timeout_before) or whose response is replaced (timeout_after).
  virtual AwsError fault_error(const sim::FaultDecision& decision) const = 0;

  // The error for a call the world's "deny" configuration refuses, as IAM refuses a caller
  // whose policy does not allow the action. The default is AWS's common
  // AccessDeniedException (HTTP 400) naming the action "<name()>:<operation>"; a service
  // with its own modelled shape or IAM prefix overrides it.
  virtual AwsError access_denied(std::string_view operation, const std::string& principal) const {
    return {"AccessDeniedException",
            access_denied_message(principal, std::string(name()) + ":" + std::string(operation)),
            400};
  }

  // Checks the service's own invariants (fuzzing, properties); empty when all hold.
  virtual std::vector<InvariantViolation> check_invariants() const { return {}; }

  // Every invariant check_invariants can report, as (name, one-line description), for
  // `wfsim fuzz --list-invariants` and for readers of a finding.
  virtual std::vector<std::pair<std::string, std::string>> invariant_catalogue() const {
    return {};
  }
};

}  // namespace wfsim::models
