// The AWS Glue trigger-state lifecycle as a Boost.MSM machine (fact sheet 5.1, 6.2;
// trigger_machine.hpp lists the choices made where the sheet is silent).
//
// Follows the sheet: CREATING settles in CREATED; StartTrigger activates a SCHEDULED,
// CONDITIONAL or EVENT trigger through ACTIVATING and fires an ON_DEMAND one in place;
// StopTrigger deactivates through DEACTIVATING; UpdateTrigger and DeleteTrigger pass through
// UPDATING and DELETING.
// The trigger's type is fixed, so StartTrigger's two meanings are two guarded rows of one
// event rather than two machines. UPDATING is one wire state but three MSM states, one per
// state an update can begin in, so the table itself says where each update returns.
// An event without a row, or whose guards all refuse, is not ignored: process_event reports
// it as unhandled, the state stays, and TriggerLifecycle::fire returns false so the caller
// reports the violation.
#include "models/glue/trigger_machine.hpp"

#include <array>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector.hpp>

namespace wfsim::models::glue {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events, one empty type per TriggerEvent value and named after it.
struct creation_completed {};
struct start_requested {};
struct activation_completed {};
struct stop_requested {};
struct deactivation_completed {};
struct update_requested {};
struct update_completed {};
struct delete_requested {};

// Every state writes its own TriggerState into the machine on entry, and the state it rests
// in (for an UPDATING state, where the update returns), so the mapping from MSM state to
// TriggerState lives in the state names below and state() never has to look it up.
template <TriggerState kState, TriggerState kResting = kState>
struct WireState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.state = kState;
    machine.resting = kResting;
  }
};

// Guard: StartTrigger fires an ON_DEMAND trigger at once instead of activating it (6.2).
struct IsOnDemand {
  template <class Event, class Machine, class Source, class Target>
  bool operator()(const Event&, Machine& machine, Source&, Target&) const {
    return machine.type == TriggerType::ON_DEMAND;
  }
};

// Guard: the types StartTrigger activates. Spelled out rather than "not ON_DEMAND", so a
// type outside the enum is refused by both guards.
struct IsActivatable {
  template <class Event, class Machine, class Source, class Target>
  bool operator()(const Event&, Machine& machine, Source&, Target&) const {
    return machine.type == TriggerType::SCHEDULED || machine.type == TriggerType::CONDITIONAL ||
           machine.type == TriggerType::EVENT;
  }
};

struct TriggerFrontEnd : msm::front::state_machine_def<TriggerFrontEnd> {
  // Events are applied one at a time by TriggerLifecycle::fire and no action raises another
  // event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  struct CREATING : WireState<TriggerState::CREATING> {};
  struct CREATED : WireState<TriggerState::CREATED> {};
  struct ACTIVATING : WireState<TriggerState::ACTIVATING> {};
  struct ACTIVATED : WireState<TriggerState::ACTIVATED> {};
  struct DEACTIVATING : WireState<TriggerState::DEACTIVATING> {};
  struct DEACTIVATED : WireState<TriggerState::DEACTIVATED> {};
  struct DELETING : WireState<TriggerState::DELETING> {};
  struct UPDATING_CREATED : WireState<TriggerState::UPDATING, TriggerState::CREATED> {};
  struct UPDATING_ACTIVATED : WireState<TriggerState::UPDATING, TriggerState::ACTIVATED> {};
  struct UPDATING_DEACTIVATED : WireState<TriggerState::UPDATING, TriggerState::DEACTIVATED> {};

  typedef CREATING initial_state;

  // A row whose Next is `none` is an internal transition: accepted, state unchanged.
  // clang-format off
  struct transition_table : mpl::vector<
      // Start                | Event                 | Next                | Action | Guard
      Row<CREATING,             creation_completed,     CREATED,              none, none>,

      Row<CREATED,              start_requested,        ACTIVATING,           none, IsActivatable>,
      Row<CREATED,              start_requested,        none,                 none, IsOnDemand>,
      Row<CREATED,              update_requested,       UPDATING_CREATED,     none, none>,
      Row<CREATED,              delete_requested,       DELETING,             none, none>,

      Row<ACTIVATING,           activation_completed,   ACTIVATED,            none, none>,

      Row<ACTIVATED,            stop_requested,         DEACTIVATING,         none, none>,
      Row<ACTIVATED,            update_requested,       UPDATING_ACTIVATED,   none, none>,
      Row<ACTIVATED,            delete_requested,       DELETING,             none, none>,

      Row<DEACTIVATING,         deactivation_completed, DEACTIVATED,          none, none>,

      Row<DEACTIVATED,          start_requested,        ACTIVATING,           none, none>,
      Row<DEACTIVATED,          update_requested,       UPDATING_DEACTIVATED, none, none>,
      Row<DEACTIVATED,          delete_requested,       DELETING,             none, none>,

      Row<UPDATING_CREATED,     update_completed,       CREATED,              none, none>,
      Row<UPDATING_ACTIVATED,   update_completed,       ACTIVATED,            none, none>,
      Row<UPDATING_DEACTIVATED, update_completed,       DEACTIVATED,          none, none>
  > {};
  // clang-format on

  // An event the current state has no row for is a lifecycle violation. process_event
  // reports it as unhandled, which fire() returns; overriding this keeps MSM from asserting.
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {}

  TriggerState state = TriggerState::CREATING;
  TriggerState resting = TriggerState::CREATING;
  TriggerType type = TriggerType::ON_DEMAND;
};

using TriggerBackEnd = msm::back::state_machine<TriggerFrontEnd>;

// Every trigger in a simulated account holds one of these, so its size is pinned.
static_assert(sizeof(TriggerBackEnd) <= 64, "the trigger machine has grown");

constexpr std::array<TriggerState, 8> kAllTriggerStates = {
    TriggerState::CREATING,     TriggerState::CREATED,     TriggerState::ACTIVATING,
    TriggerState::ACTIVATED,    TriggerState::DEACTIVATING, TriggerState::DEACTIVATED,
    TriggerState::DELETING,     TriggerState::UPDATING,
};

constexpr std::array<TriggerType, 4> kAllTriggerTypes = {
    TriggerType::SCHEDULED, TriggerType::CONDITIONAL, TriggerType::ON_DEMAND, TriggerType::EVENT,
};

// The one value in `all` whose wire spelling is `text`, if any.
template <class Enum, std::size_t kCount>
std::optional<Enum> parse_wire(const std::array<Enum, kCount>& all, std::string_view text) {
  for (Enum value : all) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}

}  // namespace

struct TriggerLifecycle::Machine {
  TriggerBackEnd back_end;

  template <class Event>
  bool apply(const Event& event) {
    return back_end.process_event(event) == msm::back::HANDLED_TRUE;
  }
};

TriggerLifecycle::TriggerLifecycle(TriggerType type) : machine_(std::make_unique<Machine>()) {
  // The guards read the type, so it is in place before the machine starts.
  machine_->back_end.type = type;
  machine_->back_end.start();
}
TriggerLifecycle::~TriggerLifecycle() = default;
TriggerLifecycle::TriggerLifecycle(TriggerLifecycle&&) noexcept = default;
TriggerLifecycle& TriggerLifecycle::operator=(TriggerLifecycle&&) noexcept = default;

TriggerType TriggerLifecycle::type() const { return machine_->back_end.type; }
TriggerState TriggerLifecycle::state() const { return machine_->back_end.state; }
TriggerState TriggerLifecycle::resting_state() const { return machine_->back_end.resting; }

bool TriggerLifecycle::fire(TriggerEvent event) {
  switch (event) {
    case TriggerEvent::creation_completed: return machine_->apply(creation_completed{});
    case TriggerEvent::start_requested: return machine_->apply(start_requested{});
    case TriggerEvent::activation_completed: return machine_->apply(activation_completed{});
    case TriggerEvent::stop_requested: return machine_->apply(stop_requested{});
    case TriggerEvent::deactivation_completed: return machine_->apply(deactivation_completed{});
    case TriggerEvent::update_requested: return machine_->apply(update_requested{});
    case TriggerEvent::update_completed: return machine_->apply(update_completed{});
    case TriggerEvent::delete_requested: return machine_->apply(delete_requested{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(TriggerState state) {
  switch (state) {
    case TriggerState::CREATING: return "CREATING";
    case TriggerState::CREATED: return "CREATED";
    case TriggerState::ACTIVATING: return "ACTIVATING";
    case TriggerState::ACTIVATED: return "ACTIVATED";
    case TriggerState::DEACTIVATING: return "DEACTIVATING";
    case TriggerState::DEACTIVATED: return "DEACTIVATED";
    case TriggerState::DELETING: return "DELETING";
    case TriggerState::UPDATING: return "UPDATING";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(TriggerType type) {
  switch (type) {
    case TriggerType::SCHEDULED: return "SCHEDULED";
    case TriggerType::CONDITIONAL: return "CONDITIONAL";
    case TriggerType::ON_DEMAND: return "ON_DEMAND";
    case TriggerType::EVENT: return "EVENT";
  }
  return "";
}

std::string_view to_string(TriggerEvent event) {
  switch (event) {
    case TriggerEvent::creation_completed: return "creation_completed";
    case TriggerEvent::start_requested: return "start_requested";
    case TriggerEvent::activation_completed: return "activation_completed";
    case TriggerEvent::stop_requested: return "stop_requested";
    case TriggerEvent::deactivation_completed: return "deactivation_completed";
    case TriggerEvent::update_requested: return "update_requested";
    case TriggerEvent::update_completed: return "update_completed";
    case TriggerEvent::delete_requested: return "delete_requested";
  }
  return "";
}

std::optional<TriggerState> trigger_state_from_string(std::string_view text) {
  return parse_wire(kAllTriggerStates, text);
}

std::optional<TriggerType> trigger_type_from_string(std::string_view text) {
  return parse_wire(kAllTriggerTypes, text);
}

bool is_terminal(TriggerState state) { return state == TriggerState::DELETING; }

bool fires_on_its_own(TriggerType type, TriggerState state) {
  switch (type) {
    case TriggerType::SCHEDULED:
    case TriggerType::CONDITIONAL:
    case TriggerType::EVENT:
      return state == TriggerState::ACTIVATED;
    case TriggerType::ON_DEMAND:
      return false;
  }
  return false;
}

}  // namespace wfsim::models::glue
