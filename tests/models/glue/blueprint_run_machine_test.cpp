// Tests of the Glue blueprint-run lifecycle (blueprint_run_machine.hpp, fact sheet 5.1
// StartBlueprintRun). The expectation table below spells out the whole cross product of
// states and events, so any change to the machine's transition table fails a test here until
// the table is changed to match.
#include "models/glue/blueprint_run_machine.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

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

using State = BlueprintRunState;
using Event = BlueprintRunEvent;

constexpr std::array<State, 4> kAllStates = {
    State::RUNNING, State::SUCCEEDED, State::FAILED, State::ROLLING_BACK,
};

constexpr std::array<Event, 3> kAllEvents = {
    Event::workflow_created, Event::creation_failed, Event::rollback_finished,
};

using Expectation = testing::Transition<State, Event>;

constexpr std::optional<State> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // State             | Event                    | Next
    {State::RUNNING,      Event::workflow_created,   State::SUCCEEDED},
    {State::RUNNING,      Event::creation_failed,    State::ROLLING_BACK},
    {State::RUNNING,      Event::rollback_finished,  kRejected},

    {State::SUCCEEDED,    Event::workflow_created,   kRejected},
    {State::SUCCEEDED,    Event::creation_failed,    kRejected},
    {State::SUCCEEDED,    Event::rollback_finished,  kRejected},

    {State::FAILED,       Event::workflow_created,   kRejected},
    {State::FAILED,       Event::creation_failed,    kRejected},
    {State::FAILED,       Event::rollback_finished,  kRejected},

    {State::ROLLING_BACK, Event::workflow_created,   kRejected},
    {State::ROLLING_BACK, Event::creation_failed,    kRejected},
    {State::ROLLING_BACK, Event::rollback_finished,  State::FAILED},
};
// clang-format on

const testing::LifecycleTable<BlueprintRunLifecycle, State, Event> kTable(
    State::RUNNING, {kAllStates.begin(), kAllStates.end()},
    {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<State> state) { return decltype(kTable)::name(state); }

TEST(BlueprintRunMachine, ExpectationTableHoldsEveryStateEventPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(BlueprintRunMachine, NewRunIsRunning) {
  BlueprintRunLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.state()), "RUNNING");
}

TEST(BlueprintRunMachine, EveryStateEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

TEST(BlueprintRunMachine, EveryLegalPathEndsInATerminalState) {
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 2),
            (std::set<std::string>{"FAILED", "SUCCEEDED"}));
}

TEST(BlueprintRunMachine, FailureAlwaysRollsBackFirst) {
  // 5.1: a failing run shows ROLLING_BACK before FAILED; nothing reaches FAILED directly
  // from RUNNING.
  for (Event event : kAllEvents) {
    EXPECT_NE(kTable.next(State::RUNNING, event), std::optional<State>(State::FAILED))
        << to_string(event);
  }
  BlueprintRunLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(Event::rollback_finished));
  EXPECT_TRUE(lifecycle.fire(Event::creation_failed));
  EXPECT_EQ(name(lifecycle.state()), "ROLLING_BACK");
  EXPECT_FALSE(lifecycle.fire(Event::workflow_created));
  EXPECT_TRUE(lifecycle.fire(Event::rollback_finished));
  EXPECT_EQ(name(lifecycle.state()), "FAILED");
}

TEST(BlueprintRunMachine, TerminalStatesAreExactlyThoseWithoutTransitions) {
  testing::expect_terminal_exactly_without_transitions(kTable);
}

TEST(BlueprintRunMachine, StateNamesAreTheWireValuesAndRoundTrip) {
  const std::map<State, std::string> wire = {
      {State::RUNNING, "RUNNING"}, {State::SUCCEEDED, "SUCCEEDED"},
      {State::FAILED, "FAILED"},   {State::ROLLING_BACK, "ROLLING_BACK"},
  };
  ASSERT_EQ(wire.size(), kAllStates.size());
  for (const auto& [state, text] : wire) {
    EXPECT_EQ(to_string(state), text);
    std::optional<State> parsed = blueprint_run_state_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, state) << text;
  }
}

TEST(BlueprintRunMachine, EventNamesAreTheEnumNames) {
  const std::map<Event, std::string> names = {
      {Event::workflow_created, "workflow_created"},
      {Event::creation_failed, "creation_failed"},
      {Event::rollback_finished, "rollback_finished"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(BlueprintRunMachine, UnknownStateNamesParseToNothing) {
  using namespace std::string_literals;
  for (std::string text : {""s, "running"s, "Succeeded"s, " FAILED"s, "ROLLING_BACK "s,
                           "ROLLINGBACK"s, "ROLLED_BACK"s, "RUNNING\0"s, "ACTIVE"s}) {
    EXPECT_FALSE(blueprint_run_state_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(BlueprintRunMachine, ValuesOutsideTheEnumAreHarmless) {
  BlueprintRunLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<Event>(99)));
  EXPECT_EQ(name(lifecycle.state()), "RUNNING");
  EXPECT_EQ(to_string(static_cast<State>(99)), "");
  EXPECT_EQ(to_string(static_cast<Event>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<State>(99)));
}

TEST(BlueprintRunMachine, MovedLifecycleKeepsItsStateAndTable) {
  BlueprintRunLifecycle original = kTable.replay({Event::creation_failed});
  BlueprintRunLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.state()), "ROLLING_BACK");
  BlueprintRunLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.state()), "ROLLING_BACK");
  EXPECT_FALSE(assigned.fire(Event::creation_failed));
  EXPECT_TRUE(assigned.fire(Event::rollback_finished));
  EXPECT_EQ(name(assigned.state()), "FAILED");
}

// Random event sequences, including values outside the enum, never crash; every state change
// is an edge of the table; and a terminal state never changes again.
RC_GTEST_PROP(BlueprintRunMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  testing::check_random_events_follow_table(kTable);
}

}  // namespace
}  // namespace wfsim::models::glue
