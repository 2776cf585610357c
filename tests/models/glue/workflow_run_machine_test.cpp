// Tests of the Glue workflow-run lifecycle (workflow_run_machine.hpp, fact sheet 6.3, 6.7,
// 6.8, rules 9.3-9.5). The expectation table below spells out the whole cross product of
// statuses and events, so any change to the machine's transition table fails a test here
// until the table is changed to match.
#include "models/glue/workflow_run_machine.hpp"

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

using Status = WorkflowRunStatus;
using Event = WorkflowRunEvent;

constexpr std::array<Status, 5> kAllStatuses = {
    Status::RUNNING, Status::COMPLETED, Status::STOPPING, Status::STOPPED, Status::ERROR,
};

constexpr std::array<Event, 3> kAllEvents = {
    Event::nothing_left_to_run, Event::stop_requested, Event::resume_requested,
};

// A row whose next status is its own accepts the event in place (a resumed run stays
// COMPLETED); the shared checks neither count it as leaving the status nor follow it.
using Expectation = testing::Transition<Status, Event>;

constexpr std::optional<Status> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // Status          | Event                      | Next
    {Status::RUNNING,   Event::nothing_left_to_run,  Status::COMPLETED},
    {Status::RUNNING,   Event::stop_requested,       Status::STOPPING},
    {Status::RUNNING,   Event::resume_requested,     kRejected},

    {Status::COMPLETED, Event::nothing_left_to_run,  kRejected},
    {Status::COMPLETED, Event::stop_requested,       kRejected},
    {Status::COMPLETED, Event::resume_requested,     Status::COMPLETED},

    {Status::STOPPING,  Event::nothing_left_to_run,  Status::STOPPED},
    {Status::STOPPING,  Event::stop_requested,       kRejected},
    {Status::STOPPING,  Event::resume_requested,     kRejected},

    {Status::STOPPED,   Event::nothing_left_to_run,  kRejected},
    {Status::STOPPED,   Event::stop_requested,       kRejected},
    {Status::STOPPED,   Event::resume_requested,     kRejected},

    {Status::ERROR,     Event::nothing_left_to_run,  kRejected},
    {Status::ERROR,     Event::stop_requested,       kRejected},
    {Status::ERROR,     Event::resume_requested,     kRejected},
};
// clang-format on

// A run begins either admitted (RUNNING) or refused over MaxConcurrentRuns (ERROR).
const testing::LifecycleTable<WorkflowRunLifecycle, Status, Event> kTable(
    {{Status::RUNNING, [] { return WorkflowRunLifecycle(); }},
     {Status::ERROR, &WorkflowRunLifecycle::refused_over_concurrency}},
    {kAllStatuses.begin(), kAllStatuses.end()}, {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<Status> status) { return decltype(kTable)::name(status); }

TEST(WorkflowRunMachine, ExpectationTableHoldsEveryStatusEventPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(WorkflowRunMachine, NewRunIsRunning) {
  WorkflowRunLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.status()), "RUNNING");
}

TEST(WorkflowRunMachine, RunRefusedOverConcurrencyIsErrorAndAcceptsNothing) {
  WorkflowRunLifecycle lifecycle = WorkflowRunLifecycle::refused_over_concurrency();
  EXPECT_EQ(name(lifecycle.status()), "ERROR");
  for (Event event : kAllEvents) {
    EXPECT_FALSE(lifecycle.fire(event)) << to_string(event);
    EXPECT_EQ(name(lifecycle.status()), "ERROR");
  }
}

TEST(WorkflowRunMachine, EveryStatusEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

TEST(WorkflowRunMachine, EveryLegalPathEndsInATerminalStatus) {
  // RUNNING completes or is stopped; a refused run is ERROR with no event at all.
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 3),
            (std::set<std::string>{"COMPLETED", "ERROR", "STOPPED"}));
}

TEST(WorkflowRunMachine, StopIsAcceptedOnlyWhileRunning) {
  // Rule 9.4: StopWorkflowRun on a run that is not RUNNING is IllegalWorkflowStateException.
  for (Status status : kAllStatuses) {
    WorkflowRunLifecycle lifecycle = kTable.replay(*kTable.path_to(status));
    EXPECT_EQ(lifecycle.fire(Event::stop_requested), status == Status::RUNNING)
        << to_string(status);
  }
}

TEST(WorkflowRunMachine, CompletedRunCanBeResumedRepeatedlyAndStaysCompleted) {
  // 6.8: only a COMPLETED run is resumed, several times if asked, and each resume starts a
  // new run; the resumed one keeps its status.
  WorkflowRunLifecycle lifecycle = kTable.replay({Event::nothing_left_to_run});
  for (int resume = 0; resume < 3; ++resume) {
    EXPECT_TRUE(lifecycle.fire(Event::resume_requested));
    EXPECT_EQ(name(lifecycle.status()), "COMPLETED");
  }
  WorkflowRunLifecycle stopped = kTable.replay({Event::stop_requested, Event::nothing_left_to_run});
  EXPECT_FALSE(stopped.fire(Event::resume_requested));
  EXPECT_EQ(name(stopped.status()), "STOPPED");
}

TEST(WorkflowRunMachine, TerminalStatusesAreExactlyThoseThatNeverChange) {
  testing::expect_terminal_exactly_without_transitions(kTable);
}

TEST(WorkflowRunMachine, TerminalSetIsTheSheets) {
  const std::map<Status, bool> terminal = {
      {Status::RUNNING, false}, {Status::COMPLETED, true}, {Status::STOPPING, false},
      {Status::STOPPED, true},  {Status::ERROR, true},
  };
  ASSERT_EQ(terminal.size(), kAllStatuses.size());
  for (const auto& [status, expected] : terminal) {
    EXPECT_EQ(is_terminal(status), expected) << to_string(status);
  }
}

TEST(WorkflowRunMachine, StatusNamesAreTheWireValuesAndRoundTrip) {
  const std::map<Status, std::string> wire = {
      {Status::RUNNING, "RUNNING"}, {Status::COMPLETED, "COMPLETED"},
      {Status::STOPPING, "STOPPING"}, {Status::STOPPED, "STOPPED"}, {Status::ERROR, "ERROR"},
  };
  ASSERT_EQ(wire.size(), kAllStatuses.size());
  for (const auto& [status, text] : wire) {
    EXPECT_EQ(to_string(status), text);
    std::optional<Status> parsed = workflow_run_status_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, status) << text;
  }
}

TEST(WorkflowRunMachine, EventNamesAreTheEnumNames) {
  const std::map<Event, std::string> names = {
      {Event::nothing_left_to_run, "nothing_left_to_run"},
      {Event::stop_requested, "stop_requested"},
      {Event::resume_requested, "resume_requested"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(WorkflowRunMachine, UnknownStatusNamesParseToNothing) {
  using namespace std::string_literals;
  for (std::string text : {""s, "running"s, "Completed"s, " ERROR"s, "STOPPED "s, "FAILED"s,
                           "SUCCEEDED"s, "RUNNING\0"s, "CANCELLED"s, "TIMEOUT"s}) {
    EXPECT_FALSE(workflow_run_status_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(WorkflowRunMachine, ValuesOutsideTheEnumAreHarmless) {
  WorkflowRunLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<Event>(99)));
  EXPECT_EQ(name(lifecycle.status()), "RUNNING");
  EXPECT_EQ(to_string(static_cast<Status>(99)), "");
  EXPECT_EQ(to_string(static_cast<Event>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<Status>(99)));
}

TEST(WorkflowRunMachine, MovedLifecycleKeepsItsStatusAndTable) {
  WorkflowRunLifecycle original = kTable.replay({Event::stop_requested});
  WorkflowRunLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.status()), "STOPPING");
  EXPECT_FALSE(moved.fire(Event::stop_requested));
  WorkflowRunLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.status()), "STOPPING");
  EXPECT_TRUE(assigned.fire(Event::nothing_left_to_run));
  EXPECT_EQ(name(assigned.status()), "STOPPED");
}

// Random beginnings and event sequences, including values outside the enum, never crash;
// every status change is an edge of the table; and a terminal status never changes again.
RC_GTEST_PROP(WorkflowRunMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  testing::check_random_events_follow_table(kTable);
}

}  // namespace
}  // namespace wfsim::models::glue
