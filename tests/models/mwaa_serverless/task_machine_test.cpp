// Tests of the task-instance lifecycle (task_machine.hpp, fact sheet 9.3). The expectation
// table below spells out the whole cross product of the modelled statuses and the events, so
// any change to the machine's transition table fails a test here until the table matches.
#include "models/mwaa_serverless/task_machine.hpp"

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

namespace wfsim::models::mwaa {
namespace {

constexpr std::array<TaskStatus, 14> kAllStatuses = {
    TaskStatus::QUEUED,       TaskStatus::FAILED,          TaskStatus::SCHEDULED,
    TaskStatus::RUNNING,      TaskStatus::SUCCESS,         TaskStatus::UP_FOR_RESCHEDULE,
    TaskStatus::UP_FOR_RETRY, TaskStatus::UPSTREAM_FAILED, TaskStatus::REMOVED,
    TaskStatus::RESTARTING,   TaskStatus::DEFERRED,        TaskStatus::NONE,
    TaskStatus::CANCELLED,    TaskStatus::TIMEOUT,
};

// The statuses the machine can reach; the other four are wire values only (task_machine.cpp).
constexpr std::array<TaskStatus, 10> kModelledStatuses = {
    TaskStatus::NONE,         TaskStatus::SCHEDULED, TaskStatus::QUEUED,
    TaskStatus::RUNNING,      TaskStatus::SUCCESS,   TaskStatus::FAILED,
    TaskStatus::UP_FOR_RETRY, TaskStatus::TIMEOUT,   TaskStatus::UPSTREAM_FAILED,
    TaskStatus::CANCELLED,
};

constexpr std::array<TaskEvent, 9> kAllEvents = {
    TaskEvent::schedule, TaskEvent::queue, TaskEvent::start,           TaskEvent::succeed,
    TaskEvent::fail,     TaskEvent::retry, TaskEvent::time_out,        TaskEvent::upstream_failed,
    TaskEvent::cancel,
};

using Expectation = testing::Transition<TaskStatus, TaskEvent>;

constexpr std::optional<TaskStatus> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // Status                    | Event                      | Next
    {TaskStatus::NONE,             TaskEvent::schedule,         TaskStatus::SCHEDULED},
    {TaskStatus::NONE,             TaskEvent::queue,            kRejected},
    {TaskStatus::NONE,             TaskEvent::start,            kRejected},
    {TaskStatus::NONE,             TaskEvent::succeed,          kRejected},
    {TaskStatus::NONE,             TaskEvent::fail,             kRejected},
    {TaskStatus::NONE,             TaskEvent::retry,            kRejected},
    {TaskStatus::NONE,             TaskEvent::time_out,         kRejected},
    {TaskStatus::NONE,             TaskEvent::upstream_failed,  TaskStatus::UPSTREAM_FAILED},
    {TaskStatus::NONE,             TaskEvent::cancel,           TaskStatus::CANCELLED},

    {TaskStatus::SCHEDULED,        TaskEvent::schedule,         kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::queue,            TaskStatus::QUEUED},
    {TaskStatus::SCHEDULED,        TaskEvent::start,            kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::succeed,          kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::fail,             kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::retry,            kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::time_out,         kRejected},
    {TaskStatus::SCHEDULED,        TaskEvent::upstream_failed,  TaskStatus::UPSTREAM_FAILED},
    {TaskStatus::SCHEDULED,        TaskEvent::cancel,           TaskStatus::CANCELLED},

    {TaskStatus::QUEUED,           TaskEvent::schedule,         kRejected},
    {TaskStatus::QUEUED,           TaskEvent::queue,            kRejected},
    {TaskStatus::QUEUED,           TaskEvent::start,            TaskStatus::RUNNING},
    {TaskStatus::QUEUED,           TaskEvent::succeed,          kRejected},
    {TaskStatus::QUEUED,           TaskEvent::fail,             kRejected},
    {TaskStatus::QUEUED,           TaskEvent::retry,            kRejected},
    {TaskStatus::QUEUED,           TaskEvent::time_out,         kRejected},
    {TaskStatus::QUEUED,           TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::QUEUED,           TaskEvent::cancel,           TaskStatus::CANCELLED},

    {TaskStatus::RUNNING,          TaskEvent::schedule,         kRejected},
    {TaskStatus::RUNNING,          TaskEvent::queue,            kRejected},
    {TaskStatus::RUNNING,          TaskEvent::start,            kRejected},
    {TaskStatus::RUNNING,          TaskEvent::succeed,          TaskStatus::SUCCESS},
    {TaskStatus::RUNNING,          TaskEvent::fail,             TaskStatus::FAILED},
    {TaskStatus::RUNNING,          TaskEvent::retry,            TaskStatus::UP_FOR_RETRY},
    {TaskStatus::RUNNING,          TaskEvent::time_out,         TaskStatus::TIMEOUT},
    {TaskStatus::RUNNING,          TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::RUNNING,          TaskEvent::cancel,           TaskStatus::CANCELLED},

    {TaskStatus::SUCCESS,          TaskEvent::schedule,         kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::queue,            kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::start,            kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::succeed,          kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::fail,             kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::retry,            kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::time_out,         kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::SUCCESS,          TaskEvent::cancel,           kRejected},

    {TaskStatus::FAILED,           TaskEvent::schedule,         kRejected},
    {TaskStatus::FAILED,           TaskEvent::queue,            kRejected},
    {TaskStatus::FAILED,           TaskEvent::start,            kRejected},
    {TaskStatus::FAILED,           TaskEvent::succeed,          kRejected},
    {TaskStatus::FAILED,           TaskEvent::fail,             kRejected},
    {TaskStatus::FAILED,           TaskEvent::retry,            kRejected},
    {TaskStatus::FAILED,           TaskEvent::time_out,         kRejected},
    {TaskStatus::FAILED,           TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::FAILED,           TaskEvent::cancel,           kRejected},

    {TaskStatus::UP_FOR_RETRY,     TaskEvent::schedule,         kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::queue,            kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::start,            kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::succeed,          kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::fail,             kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::retry,            kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::time_out,         kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::UP_FOR_RETRY,     TaskEvent::cancel,           kRejected},

    {TaskStatus::TIMEOUT,          TaskEvent::schedule,         kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::queue,            kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::start,            kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::succeed,          kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::fail,             kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::retry,            kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::time_out,         kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::TIMEOUT,          TaskEvent::cancel,           kRejected},

    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::schedule,         kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::queue,            kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::start,            kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::succeed,          kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::fail,             kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::retry,            kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::time_out,         kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::UPSTREAM_FAILED,  TaskEvent::cancel,           kRejected},

    {TaskStatus::CANCELLED,        TaskEvent::schedule,         kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::queue,            kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::start,            kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::succeed,          kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::fail,             kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::retry,            kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::time_out,         kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::upstream_failed,  kRejected},
    {TaskStatus::CANCELLED,        TaskEvent::cancel,           kRejected},
};
// clang-format on

const testing::LifecycleTable<TaskLifecycle, TaskStatus, TaskEvent> kTable(
    TaskStatus::NONE, {kModelledStatuses.begin(), kModelledStatuses.end()},
    {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<TaskStatus> status) { return decltype(kTable)::name(status); }

TEST(TaskMachine, ExpectationTableHoldsEveryModelledPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(TaskMachine, NewInstanceIsNone) {
  TaskLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.status()), "NONE");
}

TEST(TaskMachine, EveryStatusEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

// Explores the machine itself, not the table: breadth first over every event from every
// status it reaches. Reschedule, deferral, restarts and removal are not simulated, so their
// statuses must never appear.
TEST(TaskMachine, ReachableStatusesAreExactlyTheModelledOnes) {
  std::set<std::string> modelled;
  for (TaskStatus status : kModelledStatuses) modelled.insert(name(status));
  const std::set<std::string> reached = kTable.reachable_names();
  EXPECT_EQ(reached, modelled);
  for (const char* unmodelled : {"UP_FOR_RESCHEDULE", "DEFERRED", "RESTARTING", "REMOVED"}) {
    EXPECT_EQ(reached.count(unmodelled), 0u) << unmodelled;
  }
}

TEST(TaskMachine, EveryLegalPathEndsInATerminalStatus) {
  // NONE and SCHEDULED each end upstream-failed or cancelled (4 paths), QUEUED is cancelled
  // (1) and RUNNING has five endings (5).
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 10),
            (std::set<std::string>{"CANCELLED", "FAILED", "SUCCESS", "TIMEOUT",
                                   "UPSTREAM_FAILED", "UP_FOR_RETRY"}));
}

TEST(TaskMachine, RejectedEventsLeaveTheStatusAndTheTableIntact) {
  // SCHEDULED rejects everything but queue, upstream_failed and cancel; after any number of
  // rejections it still follows its rows.
  TaskLifecycle lifecycle = kTable.replay({TaskEvent::schedule});
  for (TaskEvent event : {TaskEvent::schedule, TaskEvent::start, TaskEvent::succeed,
                          TaskEvent::fail, TaskEvent::retry, TaskEvent::time_out}) {
    EXPECT_FALSE(lifecycle.fire(event)) << to_string(event);
    EXPECT_EQ(name(lifecycle.status()), "SCHEDULED");
  }
  EXPECT_TRUE(lifecycle.fire(TaskEvent::queue));
  EXPECT_EQ(name(lifecycle.status()), "QUEUED");
}

TEST(TaskMachine, ModelledStatusesAreTerminalExactlyWhenWithoutTransitions) {
  testing::expect_terminal_exactly_without_transitions(kTable);
}

// One instance per attempt makes UP_FOR_RETRY an ending; Airflow's waiting states are not.
TEST(TaskMachine, TerminalSetFollowsOneInstancePerAttempt) {
  const std::map<TaskStatus, bool> terminal = {
      {TaskStatus::QUEUED, false},       {TaskStatus::FAILED, true},
      {TaskStatus::SCHEDULED, false},    {TaskStatus::RUNNING, false},
      {TaskStatus::SUCCESS, true},       {TaskStatus::UP_FOR_RESCHEDULE, false},
      {TaskStatus::UP_FOR_RETRY, true},  {TaskStatus::UPSTREAM_FAILED, true},
      {TaskStatus::REMOVED, true},       {TaskStatus::RESTARTING, false},
      {TaskStatus::DEFERRED, false},     {TaskStatus::NONE, false},
      {TaskStatus::CANCELLED, true},     {TaskStatus::TIMEOUT, true},
  };
  ASSERT_EQ(terminal.size(), kAllStatuses.size());
  for (const auto& [status, expected] : terminal) {
    EXPECT_EQ(is_terminal(status), expected) << to_string(status);
  }
}

TEST(TaskMachine, StatusNamesAreTheWireValuesAndRoundTrip) {
  const std::map<TaskStatus, std::string> wire = {
      {TaskStatus::QUEUED, "QUEUED"},
      {TaskStatus::FAILED, "FAILED"},
      {TaskStatus::SCHEDULED, "SCHEDULED"},
      {TaskStatus::RUNNING, "RUNNING"},
      {TaskStatus::SUCCESS, "SUCCESS"},
      {TaskStatus::UP_FOR_RESCHEDULE, "UP_FOR_RESCHEDULE"},
      {TaskStatus::UP_FOR_RETRY, "UP_FOR_RETRY"},
      {TaskStatus::UPSTREAM_FAILED, "UPSTREAM_FAILED"},
      {TaskStatus::REMOVED, "REMOVED"},
      {TaskStatus::RESTARTING, "RESTARTING"},
      {TaskStatus::DEFERRED, "DEFERRED"},
      {TaskStatus::NONE, "NONE"},
      {TaskStatus::CANCELLED, "CANCELLED"},
      {TaskStatus::TIMEOUT, "TIMEOUT"},
  };
  ASSERT_EQ(wire.size(), kAllStatuses.size());
  for (const auto& [status, text] : wire) {
    EXPECT_EQ(to_string(status), text);
    std::optional<TaskStatus> parsed = task_status_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, status) << text;
  }
}

TEST(TaskMachine, EventNamesAreTheEnumNames) {
  const std::map<TaskEvent, std::string> names = {
      {TaskEvent::schedule, "schedule"},   {TaskEvent::queue, "queue"},
      {TaskEvent::start, "start"},         {TaskEvent::succeed, "succeed"},
      {TaskEvent::fail, "fail"},           {TaskEvent::retry, "retry"},
      {TaskEvent::time_out, "time_out"},   {TaskEvent::upstream_failed, "upstream_failed"},
      {TaskEvent::cancel, "cancel"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(TaskMachine, UnknownStatusNamesParseToNothing) {
  using namespace std::string_literals;
  // SKIPPED is Airflow's, not the service's; CANCELED is the US spelling the wire never uses.
  for (std::string text : {""s, "SKIPPED"s, "none"s, "up_for_retry"s, "UP_FOR_RETRY\n"s,
                           " NONE"s, "CANCELED"s, "UPSTREAM-FAILED"s, "TIMED_OUT"s,
                           "RUNNING\0"s}) {
    EXPECT_FALSE(task_status_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(TaskMachine, ValuesOutsideTheEnumAreHarmless) {
  TaskLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<TaskEvent>(99)));
  EXPECT_EQ(name(lifecycle.status()), "NONE");
  EXPECT_EQ(to_string(static_cast<TaskStatus>(99)), "");
  EXPECT_EQ(to_string(static_cast<TaskEvent>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<TaskStatus>(99)));
}

TEST(TaskMachine, MovedLifecycleKeepsItsStatusAndTable) {
  TaskLifecycle original = kTable.replay({TaskEvent::schedule, TaskEvent::queue});
  TaskLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.status()), "QUEUED");
  EXPECT_TRUE(moved.fire(TaskEvent::start));
  TaskLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.status()), "RUNNING");
  EXPECT_FALSE(assigned.fire(TaskEvent::upstream_failed));
  EXPECT_TRUE(assigned.fire(TaskEvent::retry));
  EXPECT_EQ(name(assigned.status()), "UP_FOR_RETRY");
}

// Random event sequences, including values outside the enum, never crash; every status
// change is an edge of the table; and a terminal status never changes again.
RC_GTEST_PROP(TaskMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  testing::check_random_events_follow_table(kTable);
}

}  // namespace
}  // namespace wfsim::models::mwaa
