// The World: one virtual clock and scheduler, one root seed, one fault plan, one trace, and
// the simulated services. Everything a scenario, a property or the wire server does goes
// through World::call, one request at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/error.hpp"
#include "models/common/object_store.hpp"
#include "models/common/service.hpp"
#include "sim/faults.hpp"
#include "sim/random.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace wfsim {

struct WorldOptions {
  std::uint64_t seed = 1;                 // the root seed; every stream derives from it
  sim::TimeUs start_us = 1767225600000000;  // virtual start; default 2026-01-01T00:00:00Z
  // {"account": "111122223333", "region": "us-east-1", "profiles": {}, "faults": {},
  //  "objects": {}, "services": {}}; unknown members are an error.
  nlohmann::json config = nlohmann::json::object();
  sim::TraceOptions trace;                // keep or drop trace events
  // Every fault rule's match and every "deny" entry must name calls this world simulates,
  // so that a typo such as "glue" or "glu:*" is an error instead of a rule that never
  // fires. Only tests that install fake services after creation turn this off, and check
  // with unknown_call_pattern() once the fakes are in.
  bool require_known_calls = true;
};

// What the caller of one API call gets.
struct CallResult {
  // Null until the call is answered: an empty object would cost an allocation per call.
  models::JsonOutcome outcome = models::JsonOutcome(nlohmann::json());
  // lost_response: the request was applied but no response arrived; `outcome` then holds a
  // transport error with code "RequestTimeout" and http_status 0.
  bool response_lost = false;
  sim::FaultKind fault = sim::FaultKind::none;  // the injected fault, if any
  sim::DurationUs latency_us = 0;               // virtual time the call took (latency fault)
  // What the service really answered when the caller did not see it: the hidden answer of a
  // timeout_after or lost_response, or the second application's answer of a duplicate. The
  // harness reads it to know the true effect of a call; the caller never sees it.
  std::optional<models::JsonOutcome> hidden_outcome;
  int http_status() const { return outcome.ok() ? 200 : outcome.error().http_status; }
};

// An exception a service let escape (from a call or a timer action); the World caught it.
struct ServiceCrash {
  sim::TimeUs at_us = 0;
  std::string where;  // "glue:StartWorkflowRun", or "timer"
  std::string what;   // the exception's message
};

class World {
 public:
  // Builds a world, or says which configuration member is wrong.
  static std::variant<std::unique_ptr<World>, std::string> create(const WorldOptions& options);
  ~World();

  // One API call: `service` is "mwaa-serverless" | "glue" | "swf" | "appflow". The fault
  // plan is consulted first; unknown services and operations get AWS-shaped errors.
  CallResult call(std::string_view service, std::string_view operation,
                  const nlohmann::json& request);
  // The same call with the fault decision forced instead of drawn from the plan (replays of
  // recorded faults, a scenario step's "fault"). Calls rejected before the fault plan is
  // consulted (unknown service or operation, non-object request) do not use it.
  CallResult call_with_fault(std::string_view service, std::string_view operation,
                             const nlohmann::json& request, const sim::FaultDecision& forced);

  // Fires every timer due within `d_us`, then moves the clock to now + d_us. The clock
  // stops at sim::kLastInstantUs (9999-12-31T23:59:59.999999Z), the last instant RFC 3339
  // can write; timers due later never fire.
  std::uint64_t advance(sim::DurationUs d_us);
  // Fires timers until none is left (or only timers past sim::kLastInstantUs are) or
  // `max_events` have fired.
  sim::Scheduler::IdleResult run_until_idle(std::uint64_t max_events = 10'000'000);

  sim::TimeUs now() const { return scheduler_.now(); }
  std::uint64_t seed() const { return options_.seed; }
  sim::Trace& trace() { return trace_; }
  const sim::Trace& trace() const { return trace_; }
  sim::Scheduler& scheduler() { return scheduler_; }
  sim::FaultInjector& faults() { return *faults_; }
  models::Service* service(std::string_view name);
  std::vector<std::string> service_names() const;
  // Every exception a service let escape so far, in order; each is also a "crash" trace event.
  const std::vector<ServiceCrash>& crashes() const { return crashes_; }
  // Every service's invariant violations, each prefixed with the service name.
  std::vector<models::InvariantViolation> check_invariants() const;
  // 16 hex digits naming the configuration and seed, printed before every run.
  std::string config_digest() const;
  // The digest a world built from `options` would have: FNV-1a 64 of the canonical JSON of
  // {seed, start, config}, so it can be printed before the world is built.
  static std::string digest_of(const WorldOptions& options);

  // The error for the first fault rule match or "deny" entry that names no installed
  // operation, for a world built with require_known_calls off once its services are in.
  std::optional<std::string> unknown_call_pattern() const;

  // Test-only: installs `service` in place of any service with the same name, so tests can
  // drive the world's fault handling with a small fake service.
  void add_service_for_testing(std::unique_ptr<models::Service> service);
  const WorldOptions& options() const { return options_; }

 private:
  explicit World(const WorldOptions& options);
  std::optional<std::string> build(const nlohmann::json& config);
  std::optional<std::string> build_services(const nlohmann::json& config,
                                            const std::string& account, const std::string& region);
  void install(std::unique_ptr<models::Service> service);
  sim::TimeUs clock_target(sim::DurationUs d_us) const;
  bool simulates_a_call_matching(const std::string& pattern) const;
  std::optional<std::string> read_deny(const nlohmann::json& deny);
  bool denied(std::string_view site) const;
  std::string joined_service_names() const;  // "glue, mwaa-serverless"
  // The protocol's own error for a call that never reaches the fault plan, or nullopt with
  // *target set to the service that takes the call.
  std::optional<models::AwsError> reject(std::string_view service, std::string_view operation,
                                         const nlohmann::json& request,
                                         models::Service** target) const;
  CallResult call_impl(std::string_view service, std::string_view operation,
                       const nlohmann::json& request, const sim::FaultDecision* forced);
  CallResult deliver(models::Service& service, std::string_view operation,
                     const nlohmann::json& request, const sim::FaultDecision& decision);
  // The service's answer, or InternalFailure and a "crash" trace event if it threw.
  models::JsonOutcome apply(models::Service& service, std::string_view operation,
                            const nlohmann::json& request);
  models::AwsError fault_error(models::Service& service, std::string_view operation,
                               const nlohmann::json& request, const sim::FaultDecision& decision);
  void record_call(std::string_view service, std::string_view operation,
                   const nlohmann::json& request, const CallResult& result);
  void record_crash(std::string_view service, std::string_view operation,
                    const nlohmann::json& request, std::string_view what);
  void record_timer_crash(std::string_view what);

  WorldOptions options_;
  sim::Scheduler scheduler_;
  sim::Trace trace_;
  sim::RandomStreams streams_;
  models::ObjectStore objects_;
  std::unique_ptr<sim::FaultInjector> faults_;
  // Per service name: the service and its operations. One lookup finds both on a call; the
  // operation is then one hash away, where a sorted list took four string comparisons.
  struct Installed {
    std::unique_ptr<models::Service> service;
    std::vector<std::string> operation_names;        // owns the text that `operations` views
    std::unordered_set<std::string_view> operations;
  };
  std::map<std::string, Installed, std::less<>> services_;
  std::string site_;  // the fault site of the call in progress
  // config "deny": calls answered with the service's AccessDeniedException, as if the
  // caller's IAM policy did not allow them ("service:Operation", '*' allowed).
  std::vector<std::string> deny_;
  std::string principal_;  // who is denied, named in the message
  std::vector<ServiceCrash> crashes_;
};

}  // namespace wfsim
