// Tests of the Glue job-run lifecycle (job_run_machine.hpp, fact sheet 6.5, rules 9.22 and
// 9.23). The expectation table below spells out the whole cross product of states and
// events, so any change to the machine's transition table fails a test here until the table
// is changed to match.
#include "models/glue/job_run_machine.hpp"

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

using State = JobRunState;
using Event = JobRunEvent;

constexpr std::array<State, 10> kAllStates = {
    State::STARTING,  State::RUNNING, State::STOPPING, State::STOPPED, State::SUCCEEDED,
    State::FAILED,    State::TIMEOUT, State::ERROR,    State::WAITING, State::EXPIRED,
};

constexpr std::array<Event, 9> kAllEvents = {
    Event::capacity_available, Event::resources_allocated,      Event::script_succeeded,
    Event::script_failed,      Event::concurrent_runs_exceeded, Event::job_deleted,
    Event::timeout_elapsed,    Event::stop_requested,           Event::stop_completed,
};

using Expectation = testing::Transition<State, Event>;

constexpr std::optional<State> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // State          | Event                            | Next
    {State::WAITING,   Event::capacity_available,        State::STARTING},
    {State::WAITING,   Event::resources_allocated,       kRejected},
    {State::WAITING,   Event::script_succeeded,          kRejected},
    {State::WAITING,   Event::script_failed,             kRejected},
    {State::WAITING,   Event::concurrent_runs_exceeded,  kRejected},
    {State::WAITING,   Event::job_deleted,               kRejected},
    {State::WAITING,   Event::timeout_elapsed,           State::EXPIRED},
    {State::WAITING,   Event::stop_requested,            State::STOPPING},
    {State::WAITING,   Event::stop_completed,            kRejected},

    {State::STARTING,  Event::capacity_available,        kRejected},
    {State::STARTING,  Event::resources_allocated,       State::RUNNING},
    {State::STARTING,  Event::script_succeeded,          kRejected},
    {State::STARTING,  Event::script_failed,             kRejected},
    {State::STARTING,  Event::concurrent_runs_exceeded,  State::FAILED},
    {State::STARTING,  Event::job_deleted,               State::ERROR},
    {State::STARTING,  Event::timeout_elapsed,           kRejected},
    {State::STARTING,  Event::stop_requested,            State::STOPPING},
    {State::STARTING,  Event::stop_completed,            kRejected},

    {State::RUNNING,   Event::capacity_available,        kRejected},
    {State::RUNNING,   Event::resources_allocated,       kRejected},
    {State::RUNNING,   Event::script_succeeded,          State::SUCCEEDED},
    {State::RUNNING,   Event::script_failed,             State::FAILED},
    {State::RUNNING,   Event::concurrent_runs_exceeded,  kRejected},
    {State::RUNNING,   Event::job_deleted,               kRejected},
    {State::RUNNING,   Event::timeout_elapsed,           State::TIMEOUT},
    {State::RUNNING,   Event::stop_requested,            State::STOPPING},
    {State::RUNNING,   Event::stop_completed,            kRejected},

    {State::STOPPING,  Event::capacity_available,        kRejected},
    {State::STOPPING,  Event::resources_allocated,       kRejected},
    {State::STOPPING,  Event::script_succeeded,          kRejected},
    {State::STOPPING,  Event::script_failed,             kRejected},
    {State::STOPPING,  Event::concurrent_runs_exceeded,  kRejected},
    {State::STOPPING,  Event::job_deleted,               kRejected},
    {State::STOPPING,  Event::timeout_elapsed,           kRejected},
    {State::STOPPING,  Event::stop_requested,            kRejected},
    {State::STOPPING,  Event::stop_completed,            State::STOPPED},

    {State::STOPPED,   Event::capacity_available,        kRejected},
    {State::STOPPED,   Event::resources_allocated,       kRejected},
    {State::STOPPED,   Event::script_succeeded,          kRejected},
    {State::STOPPED,   Event::script_failed,             kRejected},
    {State::STOPPED,   Event::concurrent_runs_exceeded,  kRejected},
    {State::STOPPED,   Event::job_deleted,               kRejected},
    {State::STOPPED,   Event::timeout_elapsed,           kRejected},
    {State::STOPPED,   Event::stop_requested,            kRejected},
    {State::STOPPED,   Event::stop_completed,            kRejected},

    {State::SUCCEEDED, Event::capacity_available,        kRejected},
    {State::SUCCEEDED, Event::resources_allocated,       kRejected},
    {State::SUCCEEDED, Event::script_succeeded,          kRejected},
    {State::SUCCEEDED, Event::script_failed,             kRejected},
    {State::SUCCEEDED, Event::concurrent_runs_exceeded,  kRejected},
    {State::SUCCEEDED, Event::job_deleted,               kRejected},
    {State::SUCCEEDED, Event::timeout_elapsed,           kRejected},
    {State::SUCCEEDED, Event::stop_requested,            kRejected},
    {State::SUCCEEDED, Event::stop_completed,            kRejected},

    {State::FAILED,    Event::capacity_available,        kRejected},
    {State::FAILED,    Event::resources_allocated,       kRejected},
    {State::FAILED,    Event::script_succeeded,          kRejected},
    {State::FAILED,    Event::script_failed,             kRejected},
    {State::FAILED,    Event::concurrent_runs_exceeded,  kRejected},
    {State::FAILED,    Event::job_deleted,               kRejected},
    {State::FAILED,    Event::timeout_elapsed,           kRejected},
    {State::FAILED,    Event::stop_requested,            kRejected},
    {State::FAILED,    Event::stop_completed,            kRejected},

    {State::TIMEOUT,   Event::capacity_available,        kRejected},
    {State::TIMEOUT,   Event::resources_allocated,       kRejected},
    {State::TIMEOUT,   Event::script_succeeded,          kRejected},
    {State::TIMEOUT,   Event::script_failed,             kRejected},
    {State::TIMEOUT,   Event::concurrent_runs_exceeded,  kRejected},
    {State::TIMEOUT,   Event::job_deleted,               kRejected},
    {State::TIMEOUT,   Event::timeout_elapsed,           kRejected},
    {State::TIMEOUT,   Event::stop_requested,            kRejected},
    {State::TIMEOUT,   Event::stop_completed,            kRejected},

    {State::ERROR,     Event::capacity_available,        kRejected},
    {State::ERROR,     Event::resources_allocated,       kRejected},
    {State::ERROR,     Event::script_succeeded,          kRejected},
    {State::ERROR,     Event::script_failed,             kRejected},
    {State::ERROR,     Event::concurrent_runs_exceeded,  kRejected},
    {State::ERROR,     Event::job_deleted,               kRejected},
    {State::ERROR,     Event::timeout_elapsed,           kRejected},
    {State::ERROR,     Event::stop_requested,            kRejected},
    {State::ERROR,     Event::stop_completed,            kRejected},

    {State::EXPIRED,   Event::capacity_available,        kRejected},
    {State::EXPIRED,   Event::resources_allocated,       kRejected},
    {State::EXPIRED,   Event::script_succeeded,          kRejected},
    {State::EXPIRED,   Event::script_failed,             kRejected},
    {State::EXPIRED,   Event::concurrent_runs_exceeded,  kRejected},
    {State::EXPIRED,   Event::job_deleted,               kRejected},
    {State::EXPIRED,   Event::timeout_elapsed,           kRejected},
    {State::EXPIRED,   Event::stop_requested,            kRejected},
    {State::EXPIRED,   Event::stop_completed,            kRejected},
};
// clang-format on

// A run begins either started at once (STARTING) or queued (WAITING).
const testing::LifecycleTable<JobRunLifecycle, State, Event> kTable(
    {{State::STARTING, [] { return JobRunLifecycle(); }},
     {State::WAITING, &JobRunLifecycle::queued}},
    {kAllStates.begin(), kAllStates.end()}, {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<State> state) { return decltype(kTable)::name(state); }

TEST(JobRunMachine, ExpectationTableHoldsEveryStateEventPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(JobRunMachine, NewRunIsStartingAndQueuedRunIsWaiting) {
  EXPECT_EQ(name(JobRunLifecycle().state()), "STARTING");
  EXPECT_EQ(name(JobRunLifecycle::queued().state()), "WAITING");
}

TEST(JobRunMachine, EveryStateEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

TEST(JobRunMachine, EveryLegalPathEndsInATerminalState) {
  // From STARTING: RUNNING ends four ways, and STARTING itself fails, errs or stops (7
  // paths). A queued run adds those 7 after capacity_available, and expires or stops (9).
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 16),
            (std::set<std::string>{"ERROR", "EXPIRED", "FAILED", "STOPPED", "SUCCEEDED",
                                   "TIMEOUT"}));
}

TEST(JobRunMachine, TimeoutExpiresAQueuedRunAndTimesOutARunningOne) {
  // Rule 9.23 and 6.5: the same elapsed Timeout means EXPIRED before the run starts and
  // TIMEOUT once it runs; while STARTING the timeout clock is not yet armed.
  JobRunLifecycle queued = JobRunLifecycle::queued();
  EXPECT_TRUE(queued.fire(Event::timeout_elapsed));
  EXPECT_EQ(name(queued.state()), "EXPIRED");

  JobRunLifecycle started;
  EXPECT_FALSE(started.fire(Event::timeout_elapsed));
  EXPECT_EQ(name(started.state()), "STARTING");
  EXPECT_TRUE(started.fire(Event::resources_allocated));
  EXPECT_TRUE(started.fire(Event::timeout_elapsed));
  EXPECT_EQ(name(started.state()), "TIMEOUT");
}

TEST(JobRunMachine, QueuedRunIsStoppedThroughStopping) {
  JobRunLifecycle lifecycle = JobRunLifecycle::queued();
  EXPECT_FALSE(lifecycle.fire(Event::stop_completed));
  EXPECT_TRUE(lifecycle.fire(Event::stop_requested));
  EXPECT_EQ(name(lifecycle.state()), "STOPPING");
  EXPECT_TRUE(lifecycle.fire(Event::stop_completed));
  EXPECT_EQ(name(lifecycle.state()), "STOPPED");
}

TEST(JobRunMachine, StartedRunNeverGoesBackToWaiting) {
  // WAITING comes only before a run starts: no event leads into it.
  for (const Expectation& expectation : kExpectations) {
    EXPECT_NE(expectation.next, std::optional<State>(State::WAITING))
        << to_string(expectation.from) << " x " << to_string(expectation.event);
  }
}

TEST(JobRunMachine, RetriesAreNewAttemptsAfterFailureOnly) {
  // Rule 9.22: a failed attempt stays FAILED; the retry is a new run that starts afresh.
  JobRunLifecycle attempt = kTable.replay({Event::resources_allocated, Event::script_failed});
  ASSERT_EQ(name(attempt.state()), "FAILED");
  EXPECT_TRUE(is_retryable(attempt.state()));
  for (Event event : kAllEvents) EXPECT_FALSE(attempt.fire(event)) << to_string(event);
  EXPECT_EQ(name(attempt.state()), "FAILED");
  EXPECT_EQ(name(JobRunLifecycle().state()), "STARTING");

  for (State state : kAllStates) {
    EXPECT_EQ(is_retryable(state), state == State::FAILED) << to_string(state);
  }
  EXPECT_FALSE(is_retryable(static_cast<State>(99)));
}

TEST(JobRunMachine, TerminalStatesAreExactlyThoseWithoutTransitions) {
  testing::expect_terminal_exactly_without_transitions(kTable);
}

TEST(JobRunMachine, TerminalSetIsTheSheets) {
  const std::map<State, bool> terminal = {
      {State::STARTING, false}, {State::RUNNING, false},  {State::STOPPING, false},
      {State::STOPPED, true},   {State::SUCCEEDED, true}, {State::FAILED, true},
      {State::TIMEOUT, true},   {State::ERROR, true},     {State::WAITING, false},
      {State::EXPIRED, true},
  };
  ASSERT_EQ(terminal.size(), kAllStates.size());
  for (const auto& [state, expected] : terminal) {
    EXPECT_EQ(is_terminal(state), expected) << to_string(state);
  }
}

TEST(JobRunMachine, StateNamesAreTheWireValuesAndRoundTrip) {
  const std::map<State, std::string> wire = {
      {State::STARTING, "STARTING"},   {State::RUNNING, "RUNNING"},
      {State::STOPPING, "STOPPING"},   {State::STOPPED, "STOPPED"},
      {State::SUCCEEDED, "SUCCEEDED"}, {State::FAILED, "FAILED"},
      {State::TIMEOUT, "TIMEOUT"},     {State::ERROR, "ERROR"},
      {State::WAITING, "WAITING"},     {State::EXPIRED, "EXPIRED"},
  };
  ASSERT_EQ(wire.size(), kAllStates.size());
  for (const auto& [state, text] : wire) {
    EXPECT_EQ(to_string(state), text);
    std::optional<State> parsed = job_run_state_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, state) << text;
  }
}

TEST(JobRunMachine, EventNamesAreTheEnumNames) {
  const std::map<Event, std::string> names = {
      {Event::capacity_available, "capacity_available"},
      {Event::resources_allocated, "resources_allocated"},
      {Event::script_succeeded, "script_succeeded"},
      {Event::script_failed, "script_failed"},
      {Event::concurrent_runs_exceeded, "concurrent_runs_exceeded"},
      {Event::job_deleted, "job_deleted"},
      {Event::timeout_elapsed, "timeout_elapsed"},
      {Event::stop_requested, "stop_requested"},
      {Event::stop_completed, "stop_completed"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(JobRunMachine, UnknownStateNamesParseToNothing) {
  using namespace std::string_literals;
  for (std::string text : {""s, "running"s, "Succeeded"s, " FAILED"s, "WAITING "s, "TIMED_OUT"s,
                           "SUCCESS"s, "EXPIRED\0"s, "CANCELLED"s, "QUEUED"s}) {
    EXPECT_FALSE(job_run_state_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(JobRunMachine, ValuesOutsideTheEnumAreHarmless) {
  JobRunLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<Event>(99)));
  EXPECT_EQ(name(lifecycle.state()), "STARTING");
  EXPECT_EQ(to_string(static_cast<State>(99)), "");
  EXPECT_EQ(to_string(static_cast<Event>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<State>(99)));
}

TEST(JobRunMachine, MovedLifecycleKeepsItsStateAndTable) {
  JobRunLifecycle original = JobRunLifecycle::queued();
  JobRunLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.state()), "WAITING");
  EXPECT_TRUE(moved.fire(Event::capacity_available));
  JobRunLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.state()), "STARTING");
  EXPECT_FALSE(assigned.fire(Event::capacity_available));
  EXPECT_TRUE(assigned.fire(Event::resources_allocated));
  EXPECT_TRUE(assigned.fire(Event::script_succeeded));
  EXPECT_EQ(name(assigned.state()), "SUCCEEDED");
}

// Random beginnings and event sequences, including values outside the enum, never crash;
// every state change is an edge of the table; and a terminal state never changes again.
RC_GTEST_PROP(JobRunMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  testing::check_random_events_follow_table(kTable);
}

}  // namespace
}  // namespace wfsim::models::glue
