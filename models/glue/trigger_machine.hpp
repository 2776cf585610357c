// The lifecycle of one AWS Glue trigger's State (fact sheet 3, 5.1 CreateTrigger /
// StartTrigger / StopTrigger / UpdateTrigger / DeleteTrigger, 6.2, rule 9.9). The Boost.MSM
// machine lives in trigger_machine.cpp (one translation unit per machine); this header shows
// only states, types, events and a small handle, so the service code compiles without MSM.
//
//   CREATING -> CREATED                                      CreateTrigger completes
//   CREATED | DEACTIVATED -> ACTIVATING -> ACTIVATED         StartTrigger (not ON_DEMAND)
//   CREATED -> CREATED                                       StartTrigger on ON_DEMAND: fires
//   ACTIVATED -> DEACTIVATING -> DEACTIVATED                 StopTrigger
//   CREATED | ACTIVATED | DEACTIVATED -> UPDATING -> back    UpdateTrigger
//   CREATED | ACTIVATED | DEACTIVATED -> DELETING            DeleteTrigger
//
// Sheet rules followed: 5.1 and 6.2 (StartTrigger takes a SCHEDULED, CONDITIONAL or EVENT
// trigger from CREATED or DEACTIVATED through ACTIVATING to ACTIVATED; an ON_DEMAND trigger
// fires at once and always stays CREATED; StopTrigger goes ACTIVATED -> DEACTIVATING ->
// DEACTIVATED; DeleteTrigger shows DELETING, then the trigger is gone; CREATING, DELETING and
// UPDATING are transients). Chosen where the sheet is silent:
// - CreateTrigger with StartOnCreation is CREATING -> CREATED followed by an ordinary start;
//   the caller rejects StartOnCreation on ON_DEMAND before creating anything (5.1).
// - An update returns the trigger to the state it began in, so updating an ACTIVATED
//   trigger leaves it ACTIVATED. The machine keeps one UPDATING state per origin for that.
// - A trigger in a transient state rejects every event but the one completing it; the
//   caller answers ConcurrentModificationException, which Update-, Stop- and DeleteTrigger
//   list. StartTrigger on an ACTIVATED trigger and StopTrigger on one that is not ACTIVATED
//   are rejected too; the caller picks the answer.
// - DELETING is terminal: no event leaves it, and the caller removes the trigger when the
//   deletion completes (TriggerState has no value for a deleted trigger).
// - Rule 9.9: only an ACTIVATED trigger of type SCHEDULED, CONDITIONAL or EVENT fires on its
//   own (fires_on_its_own); an UPDATING trigger does not, even one updated from ACTIVATED.
//   A workflow run asks resting_state() instead: an update does not touch its snapshot.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::glue {

// TriggerState and TriggerType, spelled as on the wire (fact sheet 3).
enum class TriggerState {
  CREATING, CREATED, ACTIVATING, ACTIVATED, DEACTIVATING, DEACTIVATED, DELETING, UPDATING
};
enum class TriggerType { SCHEDULED, CONDITIONAL, ON_DEMAND, EVENT };

enum class TriggerEvent {
  creation_completed,      // CREATING -> CREATED
  start_requested,         // StartTrigger: CREATED | DEACTIVATED -> ACTIVATING, or ON_DEMAND
                           // fires and stays CREATED
  activation_completed,    // ACTIVATING -> ACTIVATED
  stop_requested,          // StopTrigger: ACTIVATED -> DEACTIVATING
  deactivation_completed,  // DEACTIVATING -> DEACTIVATED
  update_requested,        // UpdateTrigger: CREATED | ACTIVATED | DEACTIVATED -> UPDATING
  update_completed,        // UPDATING -> the state the update began in
  delete_requested,        // DeleteTrigger: CREATED | ACTIVATED | DEACTIVATED -> DELETING
};

std::string_view to_string(TriggerState state);
std::string_view to_string(TriggerType type);
std::string_view to_string(TriggerEvent event);
std::optional<TriggerState> trigger_state_from_string(std::string_view text);
std::optional<TriggerType> trigger_type_from_string(std::string_view text);
// DELETING only: every other state still accepts an event.
bool is_terminal(TriggerState state);
// True when a trigger of this type in this state fires by itself, on its schedule, events or
// predicate (rule 9.9). A workflow's start trigger also fires through StartWorkflowRun, in
// any state; that path does not ask this.
bool fires_on_its_own(TriggerType type, TriggerState state);
// ON_DEMAND, SCHEDULED and EVENT triggers start a workflow's runs; CONDITIONAL ones never do
// (fact sheet 6.2).
inline bool is_start_type(TriggerType type) { return type != TriggerType::CONDITIONAL; }

class TriggerLifecycle {
 public:
  // A trigger being created (CREATING). The type is fixed for the trigger's life (5.1
  // UpdateTrigger cannot change it) and decides what StartTrigger does.
  explicit TriggerLifecycle(TriggerType type);
  ~TriggerLifecycle();
  TriggerLifecycle(TriggerLifecycle&&) noexcept;
  TriggerLifecycle& operator=(TriggerLifecycle&&) noexcept;

  TriggerType type() const;
  TriggerState state() const;
  // The state, except for an UPDATING trigger the state its update returns to: what a
  // workflow run, which keeps its own snapshot of the definition, asks (runs.cpp).
  TriggerState resting_state() const;
  // Applies the event. Returns false, and changes nothing, when the current state has no
  // transition for it (the caller records the violation and answers with its error). True
  // for start_requested on an ON_DEMAND trigger means: fire its actions now.
  bool fire(TriggerEvent event);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::glue
