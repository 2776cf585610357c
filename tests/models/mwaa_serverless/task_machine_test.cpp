// Tests of the task-instance lifecycle (task_machine.hpp, fact sheet 9.3). The expectation
// table below spells out the whole cross product of the modelled statuses and the events, so
// any change to the machine's transition table fails a test here until the table matches.
#include "models/mwaa_serverless/task_machine.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

struct Expectation {
  TaskStatus from;
  TaskEvent event;
  std::optional<TaskStatus> next;  // std::nullopt: the event is rejected
};

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

// The table's answer for one pair; an unlisted pair (a value outside the enum) is rejected.
std::optional<TaskStatus> expected_next(TaskStatus from, TaskEvent event) {
  for (const Expectation& expectation : kExpectations) {
    if (expectation.from == from && expectation.event == event) return expectation.next;
  }
  return kRejected;
}

std::string name(std::optional<TaskStatus> status) {
  return status ? std::string(to_string(*status)) : std::string("rejected");
}

// Shortest event sequence from NONE to `target` along the expectation table.
std::optional<std::vector<TaskEvent>> path_to(TaskStatus target) {
  std::map<TaskStatus, std::vector<TaskEvent>> paths = {{TaskStatus::NONE, {}}};
  std::deque<TaskStatus> frontier = {TaskStatus::NONE};
  while (!frontier.empty()) {
    TaskStatus from = frontier.front();
    frontier.pop_front();
    if (from == target) return paths[from];
    for (TaskEvent event : kAllEvents) {
      std::optional<TaskStatus> next = expected_next(from, event);
      if (!next || paths.count(*next) != 0) continue;
      paths[*next] = paths[from];
      paths[*next].push_back(event);
      frontier.push_back(*next);
    }
  }
  return std::nullopt;
}

TaskLifecycle replay(const std::vector<TaskEvent>& events) {
  TaskLifecycle lifecycle;
  for (TaskEvent event : events) {
    EXPECT_TRUE(lifecycle.fire(event)) << "replaying " << to_string(event);
  }
  return lifecycle;
}

// Every maximal event sequence from `from` along the table (the table has no cycles).
void collect_paths(TaskStatus from, std::vector<TaskEvent>& prefix,
                   std::vector<std::vector<TaskEvent>>& paths) {
  bool has_next = false;
  for (TaskEvent event : kAllEvents) {
    std::optional<TaskStatus> next = expected_next(from, event);
    if (!next) continue;
    has_next = true;
    prefix.push_back(event);
    collect_paths(*next, prefix, paths);
    prefix.pop_back();
  }
  if (!has_next) paths.push_back(prefix);
}

TEST(TaskMachine, ExpectationTableHoldsEveryModelledPairOnce) {
  const std::set<TaskStatus> modelled(kModelledStatuses.begin(), kModelledStatuses.end());
  std::set<std::pair<TaskStatus, TaskEvent>> pairs;
  for (const Expectation& expectation : kExpectations) {
    EXPECT_EQ(modelled.count(expectation.from), 1u) << to_string(expectation.from);
    EXPECT_TRUE(pairs.insert({expectation.from, expectation.event}).second)
        << to_string(expectation.from) << " x " << to_string(expectation.event);
  }
  EXPECT_EQ(pairs.size(), kModelledStatuses.size() * kAllEvents.size());
}

TEST(TaskMachine, NewInstanceIsNone) {
  TaskLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.status()), "NONE");
}

TEST(TaskMachine, EveryStatusEventPairFollowsTheTable) {
  for (const Expectation& expectation : kExpectations) {
    SCOPED_TRACE(std::string(to_string(expectation.from)) + " x " +
                 std::string(to_string(expectation.event)));
    std::optional<std::vector<TaskEvent>> path = path_to(expectation.from);
    ASSERT_TRUE(path.has_value());
    TaskLifecycle lifecycle = replay(*path);
    ASSERT_EQ(name(lifecycle.status()), name(expectation.from));
    EXPECT_EQ(lifecycle.fire(expectation.event), expectation.next.has_value());
    EXPECT_EQ(name(lifecycle.status()), name(expectation.next.value_or(expectation.from)));
  }
}

// Explores the machine itself, not the table: breadth first over every event from every
// status it reaches. Reschedule, deferral, restarts and removal are not simulated, so their
// statuses must never appear.
TEST(TaskMachine, ReachableStatusesAreExactlyTheModelledOnes) {
  std::map<TaskStatus, std::vector<TaskEvent>> paths = {{TaskStatus::NONE, {}}};
  std::deque<TaskStatus> frontier = {TaskStatus::NONE};
  while (!frontier.empty()) {
    const std::vector<TaskEvent> prefix = paths[frontier.front()];
    frontier.pop_front();
    for (TaskEvent event : kAllEvents) {
      TaskLifecycle lifecycle = replay(prefix);
      if (!lifecycle.fire(event) || paths.count(lifecycle.status()) != 0) continue;
      paths[lifecycle.status()] = prefix;
      paths[lifecycle.status()].push_back(event);
      frontier.push_back(lifecycle.status());
    }
  }
  std::set<std::string> reached;
  for (const auto& [status, path] : paths) reached.insert(name(status));
  std::set<std::string> modelled;
  for (TaskStatus status : kModelledStatuses) modelled.insert(name(status));
  EXPECT_EQ(reached, modelled);
  for (const char* unmodelled : {"UP_FOR_RESCHEDULE", "DEFERRED", "RESTARTING", "REMOVED"}) {
    EXPECT_EQ(reached.count(unmodelled), 0u) << unmodelled;
  }
}

TEST(TaskMachine, EveryLegalPathEndsInATerminalStatus) {
  std::vector<TaskEvent> prefix;
  std::vector<std::vector<TaskEvent>> paths;
  collect_paths(TaskStatus::NONE, prefix, paths);
  std::set<std::string> endings;
  for (const std::vector<TaskEvent>& path : paths) {
    TaskLifecycle lifecycle;
    for (TaskEvent event : path) {
      std::optional<TaskStatus> next = expected_next(lifecycle.status(), event);
      ASSERT_TRUE(lifecycle.fire(event)) << to_string(event);
      EXPECT_EQ(name(lifecycle.status()), name(next));
    }
    EXPECT_TRUE(is_terminal(lifecycle.status())) << name(lifecycle.status());
    endings.insert(name(lifecycle.status()));
  }
  // NONE and SCHEDULED each end upstream-failed or cancelled (4 paths), QUEUED is cancelled
  // (1) and RUNNING has five endings (5).
  EXPECT_EQ(paths.size(), 10u);
  EXPECT_EQ(endings, (std::set<std::string>{"CANCELLED", "FAILED", "SUCCESS", "TIMEOUT",
                                            "UPSTREAM_FAILED", "UP_FOR_RETRY"}));
}

TEST(TaskMachine, RejectedEventsLeaveTheStatusAndTheTableIntact) {
  // SCHEDULED rejects everything but queue, upstream_failed and cancel; after any number of
  // rejections it still follows its rows.
  TaskLifecycle lifecycle = replay({TaskEvent::schedule});
  for (TaskEvent event : {TaskEvent::schedule, TaskEvent::start, TaskEvent::succeed,
                          TaskEvent::fail, TaskEvent::retry, TaskEvent::time_out}) {
    EXPECT_FALSE(lifecycle.fire(event)) << to_string(event);
    EXPECT_EQ(name(lifecycle.status()), "SCHEDULED");
  }
  EXPECT_TRUE(lifecycle.fire(TaskEvent::queue));
  EXPECT_EQ(name(lifecycle.status()), "QUEUED");
}

TEST(TaskMachine, ModelledStatusesAreTerminalExactlyWhenWithoutTransitions) {
  for (TaskStatus status : kModelledStatuses) {
    bool has_transition = false;
    for (TaskEvent event : kAllEvents) has_transition |= expected_next(status, event).has_value();
    EXPECT_EQ(is_terminal(status), !has_transition) << to_string(status);
  }
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
  TaskLifecycle original = replay({TaskEvent::schedule, TaskEvent::queue});
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
  const int event_count = static_cast<int>(kAllEvents.size());
  const std::vector<int> events =
      *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, event_count + 1));
  TaskLifecycle lifecycle;
  for (int value : events) {
    const TaskEvent event = static_cast<TaskEvent>(value);
    const TaskStatus before = lifecycle.status();
    const std::optional<TaskStatus> next = expected_next(before, event);
    const bool fired = lifecycle.fire(event);
    RC_LOG() << to_string(before) << " x " << value << " -> " << to_string(lifecycle.status())
             << "\n";
    RC_ASSERT(fired == next.has_value());
    RC_ASSERT(lifecycle.status() == next.value_or(before));
    if (is_terminal(before)) RC_ASSERT(lifecycle.status() == before);
  }
}

}  // namespace
}  // namespace wfsim::models::mwaa
