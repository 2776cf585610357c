// What the model-based command sets of model_mwaa.hpp and model_glue.hpp share: one call with
// an optional forced fault and what that fault means for the call's effect, the oracle's
// reads, the status graphs a run may move along, the world's creation and invariant check,
// and the failure helpers every check uses.
//
// The reference model of each service has two halves. The RapidCheck Model is the plan: what
// can be known without asking the simulator (the fault the next call gets, the clock), so
// that generation and shrinking stay pure. The oracle lives beside the World in the Sut and
// is the observing half: after every command it reads the service back (a snapshot) and
// checks the snapshot against what it predicted from the previous one. Reads made by the
// oracle never carry an injected fault.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "models/world.hpp"
#include "sim/faults.hpp"

namespace wfsim::properties {

// The kinds InjectFault chooses from: every kind but none.
const std::vector<sim::FaultKind>& injectable_fault_kinds();

// The command that forces a fault on the next call, for any plan with a `next_fault`: it only
// changes the plan; the next command reads and clears it.
template <class Plan, class Sut>
class InjectFaultCommand : public rc::state::Command<Plan, Sut> {
 public:
  InjectFaultCommand() : kind_(*rc::gen::elementOf(injectable_fault_kinds())) {}

  void checkPreconditions(const Plan& plan) const override {
    RC_PRE(plan.next_fault == sim::FaultKind::none);
  }
  void apply(Plan& plan) const override { plan.next_fault = kind_; }
  void show(std::ostream& os) const override {
    os << "InjectFault(" << sim::to_string(kind_) << ")";
  }

 private:
  sim::FaultKind kind_;
};

// How many times a call with this fault reaches the service: 0, 1 or 2 (duplicate).
int applications(sim::FaultKind kind);

// One call with `fault` forced, or drawn from the (empty) plan when it is none.
CallResult call_with(World& world, std::string_view service, std::string_view operation,
                     const nlohmann::json& request, sim::FaultKind fault);

// What the service really answered to the first application: the visible outcome, or the
// hidden one of a timeout_after or lost_response.
const models::JsonOutcome& first_answer(const CallResult& result);

// The answer of the second application of a duplicate; null for every other kind.
const models::JsonOutcome* second_answer(const CallResult& result);

// The error code the caller must see for an injected fault that hides the service's answer
// (throttle, internal, unavailable, timeout_before, timeout_after, lost_response), given the
// service's own codes for throttling, internal errors and timeouts; nullopt for the kinds whose
// answer the caller sees.
struct FaultCodes {
  std::string throttle;
  std::string internal;
  std::string timeout;
};
std::optional<std::string> visible_fault_code(sim::FaultKind kind, const FaultCodes& codes);

// A lifecycle as a directed graph of statuses; reachable() is the reflexive, transitive
// closure, since the oracle sees a run only now and then and may miss statuses in between.
class StatusGraph {
 public:
  StatusGraph(std::initializer_list<std::pair<std::string, std::string>> edges,
              std::initializer_list<std::string> terminal);
  bool reachable(const std::string& from, const std::string& to) const;
  bool known(const std::string& status) const;
  bool terminal(const std::string& status) const { return terminal_.count(status) > 0; }

 private:
  std::map<std::string, std::set<std::string>> edges_;
  std::set<std::string> terminal_;
};

// Fails the current RapidCheck case with `message` when `condition` is false.
void expect(bool condition, const std::string& message);

// "<code>" of an error outcome, "OK" for a success: the short form checks compare.
std::string outcome_code(const models::JsonOutcome& outcome);

// Fails the current case unless `answer`'s outcome_code is `code`; the message shows what
// came instead.
void expect_code(const models::JsonOutcome& answer, const std::string& code,
                 const std::string& what);

// The world a model runs in; a configuration the World rejects fails the case, naming `model`.
std::unique_ptr<World> create_model_world(const WorldOptions& options, const std::string& model);

// A read the oracle makes: no fault, and it must succeed. A failure fails the case (the
// message shows the request) and gives an empty object.
nlohmann::json oracle_read(World& world, std::string_view service, std::string_view operation,
                           const nlohmann::json& request);

// Every page of a list operation, `page_size` at a time: the `items` of each page, in order.
nlohmann::json oracle_read_all(World& world, std::string_view service,
                               std::string_view operation, nlohmann::json request,
                               const char* items, int page_size);

// Fails the case when a service of `world` reports a broken invariant after `what`.
void expect_invariants(World& world, const std::string& what);

// How often each answer was seen: "Operation:Code" (Code "OK" for a success) per
// application, "fault:<kind>" per injected fault, "AdvanceClock" per advance. Tests read it to
// prove the sequences reach the cases the checks are about.
using Coverage = std::map<std::string, std::size_t>;

// Counts one call into `coverage` (nothing when it is null): its injected fault, and the
// answer of each application that reached the service.
void count_call(Coverage* coverage, std::string_view operation, sim::FaultKind fault,
                const CallResult& result);

}  // namespace wfsim::properties
