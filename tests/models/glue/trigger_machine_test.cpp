// Tests of the Glue trigger-state lifecycle (trigger_machine.hpp, fact sheet 5.1, 6.2, rule
// 9.9). The expectation table below spells out the whole cross product of machine states and
// events, so any change to the machine's transition table fails a test here until the table
// is changed to match.
#include "models/glue/trigger_machine.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/models/lifecycle_table.hpp"

namespace wfsim::models::glue {
namespace {

using State = TriggerState;
using Type = TriggerType;
using Event = TriggerEvent;

// The machine's states. UPDATING is one wire state but three nodes, one per state an update
// can begin in, because where update_completed leads depends on it.
enum class Node {
  CREATING, CREATED, ACTIVATING, ACTIVATED, DEACTIVATING, DEACTIVATED,
  UPDATING_CREATED, UPDATING_ACTIVATED, UPDATING_DEACTIVATED, DELETING
};

constexpr std::array<Node, 10> kAllNodes = {
    Node::CREATING,         Node::CREATED,            Node::ACTIVATING,
    Node::ACTIVATED,        Node::DEACTIVATING,       Node::DEACTIVATED,
    Node::UPDATING_CREATED, Node::UPDATING_ACTIVATED, Node::UPDATING_DEACTIVATED,
    Node::DELETING,
};

constexpr std::array<State, 8> kAllStates = {
    State::CREATING,     State::CREATED,     State::ACTIVATING, State::ACTIVATED,
    State::DEACTIVATING, State::DEACTIVATED, State::DELETING,   State::UPDATING,
};

constexpr std::array<Type, 4> kAllTypes = {
    Type::SCHEDULED, Type::CONDITIONAL, Type::ON_DEMAND, Type::EVENT,
};

constexpr std::array<Event, 8> kAllEvents = {
    Event::creation_completed,     Event::start_requested,  Event::activation_completed,
    Event::stop_requested,         Event::deactivation_completed,
    Event::update_requested,       Event::update_completed, Event::delete_requested,
};

State wire(Node node) {
  switch (node) {
    case Node::CREATING: return State::CREATING;
    case Node::CREATED: return State::CREATED;
    case Node::ACTIVATING: return State::ACTIVATING;
    case Node::ACTIVATED: return State::ACTIVATED;
    case Node::DEACTIVATING: return State::DEACTIVATING;
    case Node::DEACTIVATED: return State::DEACTIVATED;
    case Node::UPDATING_CREATED:
    case Node::UPDATING_ACTIVATED:
    case Node::UPDATING_DEACTIVATED:
      return State::UPDATING;
    case Node::DELETING: return State::DELETING;
  }
  return State::DELETING;
}

// The shared checks compare the table with the machine by name, so a node is named after the
// wire state it stands for, and is terminal when that state is.
std::string to_string(Node node) { return std::string(to_string(wire(node))); }

bool is_terminal(Node node) { return is_terminal(wire(node)); }

// A row whose next node is its own accepts the event in place.
using Expectation = testing::Transition<Node, Event>;

constexpr std::optional<Node> kRejected = std::nullopt;

// For SCHEDULED, CONDITIONAL and EVENT triggers.
// clang-format off
constexpr Expectation kExpectations[] = {
    // Node                     | Event                         | Next
    {Node::CREATING,             Event::creation_completed,      Node::CREATED},
    {Node::CREATING,             Event::start_requested,         kRejected},
    {Node::CREATING,             Event::activation_completed,    kRejected},
    {Node::CREATING,             Event::stop_requested,          kRejected},
    {Node::CREATING,             Event::deactivation_completed,  kRejected},
    {Node::CREATING,             Event::update_requested,        kRejected},
    {Node::CREATING,             Event::update_completed,        kRejected},
    {Node::CREATING,             Event::delete_requested,        kRejected},

    {Node::CREATED,              Event::creation_completed,      kRejected},
    {Node::CREATED,              Event::start_requested,         Node::ACTIVATING},
    {Node::CREATED,              Event::activation_completed,    kRejected},
    {Node::CREATED,              Event::stop_requested,          kRejected},
    {Node::CREATED,              Event::deactivation_completed,  kRejected},
    {Node::CREATED,              Event::update_requested,        Node::UPDATING_CREATED},
    {Node::CREATED,              Event::update_completed,        kRejected},
    {Node::CREATED,              Event::delete_requested,        Node::DELETING},

    {Node::ACTIVATING,           Event::creation_completed,      kRejected},
    {Node::ACTIVATING,           Event::start_requested,         kRejected},
    {Node::ACTIVATING,           Event::activation_completed,    Node::ACTIVATED},
    {Node::ACTIVATING,           Event::stop_requested,          kRejected},
    {Node::ACTIVATING,           Event::deactivation_completed,  kRejected},
    {Node::ACTIVATING,           Event::update_requested,        kRejected},
    {Node::ACTIVATING,           Event::update_completed,        kRejected},
    {Node::ACTIVATING,           Event::delete_requested,        kRejected},

    {Node::ACTIVATED,            Event::creation_completed,      kRejected},
    {Node::ACTIVATED,            Event::start_requested,         kRejected},
    {Node::ACTIVATED,            Event::activation_completed,    kRejected},
    {Node::ACTIVATED,            Event::stop_requested,          Node::DEACTIVATING},
    {Node::ACTIVATED,            Event::deactivation_completed,  kRejected},
    {Node::ACTIVATED,            Event::update_requested,        Node::UPDATING_ACTIVATED},
    {Node::ACTIVATED,            Event::update_completed,        kRejected},
    {Node::ACTIVATED,            Event::delete_requested,        Node::DELETING},

    {Node::DEACTIVATING,         Event::creation_completed,      kRejected},
    {Node::DEACTIVATING,         Event::start_requested,         kRejected},
    {Node::DEACTIVATING,         Event::activation_completed,    kRejected},
    {Node::DEACTIVATING,         Event::stop_requested,          kRejected},
    {Node::DEACTIVATING,         Event::deactivation_completed,  Node::DEACTIVATED},
    {Node::DEACTIVATING,         Event::update_requested,        kRejected},
    {Node::DEACTIVATING,         Event::update_completed,        kRejected},
    {Node::DEACTIVATING,         Event::delete_requested,        kRejected},

    {Node::DEACTIVATED,          Event::creation_completed,      kRejected},
    {Node::DEACTIVATED,          Event::start_requested,         Node::ACTIVATING},
    {Node::DEACTIVATED,          Event::activation_completed,    kRejected},
    {Node::DEACTIVATED,          Event::stop_requested,          kRejected},
    {Node::DEACTIVATED,          Event::deactivation_completed,  kRejected},
    {Node::DEACTIVATED,          Event::update_requested,        Node::UPDATING_DEACTIVATED},
    {Node::DEACTIVATED,          Event::update_completed,        kRejected},
    {Node::DEACTIVATED,          Event::delete_requested,        Node::DELETING},

    {Node::UPDATING_CREATED,     Event::creation_completed,      kRejected},
    {Node::UPDATING_CREATED,     Event::start_requested,         kRejected},
    {Node::UPDATING_CREATED,     Event::activation_completed,    kRejected},
    {Node::UPDATING_CREATED,     Event::stop_requested,          kRejected},
    {Node::UPDATING_CREATED,     Event::deactivation_completed,  kRejected},
    {Node::UPDATING_CREATED,     Event::update_requested,        kRejected},
    {Node::UPDATING_CREATED,     Event::update_completed,        Node::CREATED},
    {Node::UPDATING_CREATED,     Event::delete_requested,        kRejected},

    {Node::UPDATING_ACTIVATED,   Event::creation_completed,      kRejected},
    {Node::UPDATING_ACTIVATED,   Event::start_requested,         kRejected},
    {Node::UPDATING_ACTIVATED,   Event::activation_completed,    kRejected},
    {Node::UPDATING_ACTIVATED,   Event::stop_requested,          kRejected},
    {Node::UPDATING_ACTIVATED,   Event::deactivation_completed,  kRejected},
    {Node::UPDATING_ACTIVATED,   Event::update_requested,        kRejected},
    {Node::UPDATING_ACTIVATED,   Event::update_completed,        Node::ACTIVATED},
    {Node::UPDATING_ACTIVATED,   Event::delete_requested,        kRejected},

    {Node::UPDATING_DEACTIVATED, Event::creation_completed,      kRejected},
    {Node::UPDATING_DEACTIVATED, Event::start_requested,         kRejected},
    {Node::UPDATING_DEACTIVATED, Event::activation_completed,    kRejected},
    {Node::UPDATING_DEACTIVATED, Event::stop_requested,          kRejected},
    {Node::UPDATING_DEACTIVATED, Event::deactivation_completed,  kRejected},
    {Node::UPDATING_DEACTIVATED, Event::update_requested,        kRejected},
    {Node::UPDATING_DEACTIVATED, Event::update_completed,        Node::DEACTIVATED},
    {Node::UPDATING_DEACTIVATED, Event::delete_requested,        kRejected},

    {Node::DELETING,             Event::creation_completed,      kRejected},
    {Node::DELETING,             Event::start_requested,         kRejected},
    {Node::DELETING,             Event::activation_completed,    kRejected},
    {Node::DELETING,             Event::stop_requested,          kRejected},
    {Node::DELETING,             Event::deactivation_completed,  kRejected},
    {Node::DELETING,             Event::update_requested,        kRejected},
    {Node::DELETING,             Event::update_completed,        kRejected},
    {Node::DELETING,             Event::delete_requested,        kRejected},
};

// Where an ON_DEMAND trigger differs: StartTrigger fires it in place instead of activating it.
constexpr Expectation kOnDemandExpectations[] = {
    // Node                     | Event                         | Next
    {Node::CREATED,              Event::start_requested,         Node::CREATED},
};
// clang-format on

// The nodes an ON_DEMAND trigger reaches; without activation the others never come, so its
// table holds only their rows.
constexpr std::array<Node, 4> kOnDemandNodes = {
    Node::CREATING, Node::CREATED, Node::UPDATING_CREATED, Node::DELETING,
};

using TriggerTable = testing::LifecycleTable<TriggerLifecycle, Node, Event>;

// The expectation table for a trigger of `type`, which is fixed when the trigger is created.
TriggerTable table_for(Type type) {
  const bool on_demand = type == Type::ON_DEMAND;
  std::vector<Node> nodes(kAllNodes.begin(), kAllNodes.end());
  if (on_demand) nodes.assign(kOnDemandNodes.begin(), kOnDemandNodes.end());
  std::vector<Expectation> rows;
  for (const Expectation& expectation : kExpectations) {
    if (std::find(nodes.begin(), nodes.end(), expectation.from) == nodes.end()) continue;
    rows.push_back(expectation);
    if (!on_demand) continue;
    for (const Expectation& difference : kOnDemandExpectations) {
      if (difference.from == expectation.from && difference.event == expectation.event) {
        rows.back() = difference;
      }
    }
  }
  return TriggerTable({{Node::CREATING, [type] { return TriggerLifecycle(type); }}}, nodes,
                      {kAllEvents.begin(), kAllEvents.end()}, rows);
}

std::string name(State state) { return std::string(to_string(state)); }

// The nodes the table of `type` reaches from CREATING.
std::set<Node> reachable_nodes(Type type) {
  const TriggerTable table = table_for(type);
  std::set<Node> nodes;
  for (Node node : kAllNodes) {
    if (table.path_to(node)) nodes.insert(node);
  }
  return nodes;
}

TEST(TriggerMachine, ExpectationTableHoldsEveryNodeEventPairOnce) {
  for (Type type : kAllTypes) {
    SCOPED_TRACE(to_string(type));
    testing::expect_each_pair_once(table_for(type));
  }
}

TEST(TriggerMachine, NewTriggerIsCreatingWithItsType) {
  for (Type type : kAllTypes) {
    TriggerLifecycle lifecycle(type);
    EXPECT_EQ(name(lifecycle.state()), "CREATING");
    EXPECT_EQ(lifecycle.type(), type);
  }
}

TEST(TriggerMachine, EveryReachableNodeEventPairFollowsTheTableForEveryType) {
  for (Type type : kAllTypes) {
    SCOPED_TRACE(to_string(type));
    testing::expect_machine_follows_table(table_for(type));
  }
}

TEST(TriggerMachine, OnDemandTriggerFiresInPlaceAndNeverActivates) {
  // 6.2: an ON_DEMAND trigger is always CREATED; StartTrigger fires it, as often as asked.
  EXPECT_EQ(reachable_nodes(Type::ON_DEMAND),
            (std::set<Node>{Node::CREATING, Node::CREATED, Node::UPDATING_CREATED,
                            Node::DELETING}));
  TriggerLifecycle lifecycle = table_for(Type::ON_DEMAND).replay({Event::creation_completed});
  for (int start = 0; start < 3; ++start) {
    EXPECT_TRUE(lifecycle.fire(Event::start_requested));
    EXPECT_EQ(name(lifecycle.state()), "CREATED");
  }
  EXPECT_FALSE(lifecycle.fire(Event::stop_requested));
  EXPECT_EQ(name(lifecycle.state()), "CREATED");
}

TEST(TriggerMachine, OtherTypesReachEveryNode) {
  for (Type type : {Type::SCHEDULED, Type::CONDITIONAL, Type::EVENT}) {
    EXPECT_EQ(reachable_nodes(type), std::set<Node>(kAllNodes.begin(), kAllNodes.end()))
        << to_string(type);
  }
}

TEST(TriggerMachine, UpdateReturnsToTheStateItBeganIn) {
  const TriggerTable scheduled = table_for(Type::SCHEDULED);
  for (Node origin : {Node::CREATED, Node::ACTIVATED, Node::DEACTIVATED}) {
    TriggerLifecycle lifecycle = scheduled.replay(*scheduled.path_to(origin));
    EXPECT_TRUE(lifecycle.fire(Event::update_requested));
    EXPECT_EQ(name(lifecycle.state()), "UPDATING");
    EXPECT_TRUE(lifecycle.fire(Event::update_completed));
    EXPECT_EQ(name(lifecycle.state()), name(wire(origin)));
  }
}

// A workflow run asks where a trigger rests: an UPDATING trigger rests in the state its
// update returns to; every other node rests in its own state.
TEST(TriggerMachine, RestingStateIsTheUpdatesOriginOnlyWhileUpdating) {
  const TriggerTable table = table_for(Type::CONDITIONAL);
  const std::map<Node, State> updating_origin = {
      {Node::UPDATING_CREATED, State::CREATED},
      {Node::UPDATING_ACTIVATED, State::ACTIVATED},
      {Node::UPDATING_DEACTIVATED, State::DEACTIVATED},
  };
  for (Node node : kAllNodes) {
    const TriggerLifecycle lifecycle = table.replay(*table.path_to(node));
    const auto origin = updating_origin.find(node);
    const State expected = origin == updating_origin.end() ? wire(node) : origin->second;
    EXPECT_EQ(name(lifecycle.resting_state()), name(expected)) << name(wire(node));
  }
}

TEST(TriggerMachine, TransientStatesAcceptOnlyTheEventCompletingThem) {
  const std::map<Node, Event> completion = {
      {Node::CREATING, Event::creation_completed},
      {Node::ACTIVATING, Event::activation_completed},
      {Node::DEACTIVATING, Event::deactivation_completed},
      {Node::UPDATING_CREATED, Event::update_completed},
      {Node::UPDATING_ACTIVATED, Event::update_completed},
      {Node::UPDATING_DEACTIVATED, Event::update_completed},
  };
  const TriggerTable event_trigger = table_for(Type::EVENT);
  for (const auto& [node, completing] : completion) {
    for (Event event : kAllEvents) {
      EXPECT_EQ(event_trigger.next(node, event).has_value(), event == completing)
          << name(wire(node)) << " x " << to_string(event);
    }
  }
}

TEST(TriggerMachine, TerminalStatesAreExactlyThoseWithoutTransitions) {
  for (Type type : kAllTypes) {
    SCOPED_TRACE(to_string(type));
    testing::expect_terminal_exactly_without_transitions(table_for(type));
  }
}

TEST(TriggerMachine, OnlyActivatedTriggersOtherThanOnDemandFireOnTheirOwn) {
  // Rule 9.9: CREATED and DEACTIVATED triggers do not fire, nor do transient ones.
  for (Type type : kAllTypes) {
    for (State state : kAllStates) {
      EXPECT_EQ(fires_on_its_own(type, state),
                type != Type::ON_DEMAND && state == State::ACTIVATED)
          << to_string(type) << " " << to_string(state);
    }
  }
}

TEST(TriggerMachine, StateAndTypeNamesAreTheWireValuesAndRoundTrip) {
  const std::map<State, std::string> states = {
      {State::CREATING, "CREATING"},         {State::CREATED, "CREATED"},
      {State::ACTIVATING, "ACTIVATING"},     {State::ACTIVATED, "ACTIVATED"},
      {State::DEACTIVATING, "DEACTIVATING"}, {State::DEACTIVATED, "DEACTIVATED"},
      {State::DELETING, "DELETING"},         {State::UPDATING, "UPDATING"},
  };
  ASSERT_EQ(states.size(), kAllStates.size());
  for (const auto& [state, text] : states) {
    EXPECT_EQ(to_string(state), text);
    EXPECT_EQ(trigger_state_from_string(text), std::optional<State>(state)) << text;
  }
  const std::map<Type, std::string> types = {
      {Type::SCHEDULED, "SCHEDULED"}, {Type::CONDITIONAL, "CONDITIONAL"},
      {Type::ON_DEMAND, "ON_DEMAND"}, {Type::EVENT, "EVENT"},
  };
  ASSERT_EQ(types.size(), kAllTypes.size());
  for (const auto& [type, text] : types) {
    EXPECT_EQ(to_string(type), text);
    EXPECT_EQ(trigger_type_from_string(text), std::optional<Type>(type)) << text;
  }
}

TEST(TriggerMachine, EventNamesAreTheEnumNames) {
  const std::map<Event, std::string> names = {
      {Event::creation_completed, "creation_completed"},
      {Event::start_requested, "start_requested"},
      {Event::activation_completed, "activation_completed"},
      {Event::stop_requested, "stop_requested"},
      {Event::deactivation_completed, "deactivation_completed"},
      {Event::update_requested, "update_requested"},
      {Event::update_completed, "update_completed"},
      {Event::delete_requested, "delete_requested"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(TriggerMachine, UnknownNamesParseToNothing) {
  using namespace std::string_literals;
  for (std::string text : {""s, "created"s, "Activated"s, " DELETING"s, "UPDATING "s,
                           "DELETED"s, "ACTIVE"s, "CREATED\0"s, "ON_DEMAND"s}) {
    EXPECT_FALSE(trigger_state_from_string(text).has_value()) << '"' << text << '"';
  }
  for (std::string text : {""s, "scheduled"s, "ON-DEMAND"s, "ONDEMAND"s, "EVENT "s,
                           "CONDITION"s, "CREATED"s}) {
    EXPECT_FALSE(trigger_type_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(TriggerMachine, ValuesOutsideTheEnumsAreHarmless) {
  TriggerLifecycle lifecycle(Type::SCHEDULED);
  EXPECT_FALSE(lifecycle.fire(static_cast<Event>(99)));
  EXPECT_EQ(name(lifecycle.state()), "CREATING");
  EXPECT_EQ(to_string(static_cast<State>(99)), "");
  EXPECT_EQ(to_string(static_cast<Type>(99)), "");
  EXPECT_EQ(to_string(static_cast<Event>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<State>(99)));
  EXPECT_FALSE(fires_on_its_own(static_cast<Type>(99), State::ACTIVATED));

  // A type outside the enum is neither activated nor fired by StartTrigger.
  TriggerLifecycle unknown_type(static_cast<Type>(99));
  EXPECT_TRUE(unknown_type.fire(Event::creation_completed));
  EXPECT_FALSE(unknown_type.fire(Event::start_requested));
  EXPECT_EQ(name(unknown_type.state()), "CREATED");
  EXPECT_TRUE(unknown_type.fire(Event::delete_requested));
  EXPECT_EQ(name(unknown_type.state()), "DELETING");
}

TEST(TriggerMachine, MovedLifecycleKeepsItsStateTypeAndTable) {
  TriggerLifecycle original = table_for(Type::CONDITIONAL)
                                  .replay({Event::creation_completed, Event::start_requested,
                                           Event::activation_completed, Event::update_requested});
  TriggerLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.state()), "UPDATING");
  EXPECT_EQ(moved.type(), Type::CONDITIONAL);
  TriggerLifecycle assigned(Type::ON_DEMAND);
  assigned = std::move(moved);
  EXPECT_EQ(assigned.type(), Type::CONDITIONAL);
  EXPECT_TRUE(assigned.fire(Event::update_completed));
  EXPECT_EQ(name(assigned.state()), "ACTIVATED");
  EXPECT_TRUE(assigned.fire(Event::stop_requested));
  EXPECT_EQ(name(assigned.state()), "DEACTIVATING");
}

// Random types and event sequences, including event values outside the enum, never crash;
// every state change is an edge of the table for the trigger's type; DELETING never changes.
RC_GTEST_PROP(TriggerMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  const Type type = *rc::gen::elementOf(kAllTypes);
  RC_LOG() << to_string(type) << "\n";
  testing::check_random_events_follow_table(table_for(type));
}

}  // namespace
}  // namespace wfsim::models::glue
