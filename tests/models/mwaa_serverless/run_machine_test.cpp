// Tests of the workflow-run lifecycle (run_machine.hpp, fact sheet 9.2). The expectation
// table below spells out the whole cross product of statuses and events, so any change to
// the machine's transition table fails a test here until the table is changed to match.
#include "models/mwaa_serverless/run_machine.hpp"

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

constexpr std::array<RunStatus, 8> kAllStatuses = {
    RunStatus::STARTING, RunStatus::QUEUED,  RunStatus::RUNNING,  RunStatus::SUCCESS,
    RunStatus::FAILED,   RunStatus::TIMEOUT, RunStatus::STOPPING, RunStatus::STOPPED,
};

constexpr std::array<RunEvent, 7> kAllEvents = {
    RunEvent::queued,    RunEvent::started,        RunEvent::succeeded,      RunEvent::failed,
    RunEvent::timed_out, RunEvent::stop_requested, RunEvent::stop_completed,
};

struct Expectation {
  RunStatus from;
  RunEvent event;
  std::optional<RunStatus> next;  // std::nullopt: the event is rejected
};

constexpr std::optional<RunStatus> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // Status            | Event                    | Next
    {RunStatus::STARTING, RunEvent::queued,          RunStatus::QUEUED},
    {RunStatus::STARTING, RunEvent::started,         kRejected},
    {RunStatus::STARTING, RunEvent::succeeded,       kRejected},
    {RunStatus::STARTING, RunEvent::failed,          RunStatus::FAILED},
    {RunStatus::STARTING, RunEvent::timed_out,       kRejected},
    {RunStatus::STARTING, RunEvent::stop_requested,  RunStatus::STOPPING},
    {RunStatus::STARTING, RunEvent::stop_completed,  kRejected},

    {RunStatus::QUEUED,   RunEvent::queued,          kRejected},
    {RunStatus::QUEUED,   RunEvent::started,         RunStatus::RUNNING},
    {RunStatus::QUEUED,   RunEvent::succeeded,       kRejected},
    {RunStatus::QUEUED,   RunEvent::failed,          RunStatus::FAILED},
    {RunStatus::QUEUED,   RunEvent::timed_out,       kRejected},
    {RunStatus::QUEUED,   RunEvent::stop_requested,  RunStatus::STOPPING},
    {RunStatus::QUEUED,   RunEvent::stop_completed,  kRejected},

    {RunStatus::RUNNING,  RunEvent::queued,          kRejected},
    {RunStatus::RUNNING,  RunEvent::started,         kRejected},
    {RunStatus::RUNNING,  RunEvent::succeeded,       RunStatus::SUCCESS},
    {RunStatus::RUNNING,  RunEvent::failed,          RunStatus::FAILED},
    {RunStatus::RUNNING,  RunEvent::timed_out,       RunStatus::TIMEOUT},
    {RunStatus::RUNNING,  RunEvent::stop_requested,  RunStatus::STOPPING},
    {RunStatus::RUNNING,  RunEvent::stop_completed,  kRejected},

    {RunStatus::SUCCESS,  RunEvent::queued,          kRejected},
    {RunStatus::SUCCESS,  RunEvent::started,         kRejected},
    {RunStatus::SUCCESS,  RunEvent::succeeded,       kRejected},
    {RunStatus::SUCCESS,  RunEvent::failed,          kRejected},
    {RunStatus::SUCCESS,  RunEvent::timed_out,       kRejected},
    {RunStatus::SUCCESS,  RunEvent::stop_requested,  kRejected},
    {RunStatus::SUCCESS,  RunEvent::stop_completed,  kRejected},

    {RunStatus::FAILED,   RunEvent::queued,          kRejected},
    {RunStatus::FAILED,   RunEvent::started,         kRejected},
    {RunStatus::FAILED,   RunEvent::succeeded,       kRejected},
    {RunStatus::FAILED,   RunEvent::failed,          kRejected},
    {RunStatus::FAILED,   RunEvent::timed_out,       kRejected},
    {RunStatus::FAILED,   RunEvent::stop_requested,  kRejected},
    {RunStatus::FAILED,   RunEvent::stop_completed,  kRejected},

    {RunStatus::TIMEOUT,  RunEvent::queued,          kRejected},
    {RunStatus::TIMEOUT,  RunEvent::started,         kRejected},
    {RunStatus::TIMEOUT,  RunEvent::succeeded,       kRejected},
    {RunStatus::TIMEOUT,  RunEvent::failed,          kRejected},
    {RunStatus::TIMEOUT,  RunEvent::timed_out,       kRejected},
    {RunStatus::TIMEOUT,  RunEvent::stop_requested,  kRejected},
    {RunStatus::TIMEOUT,  RunEvent::stop_completed,  kRejected},

    {RunStatus::STOPPING, RunEvent::queued,          kRejected},
    {RunStatus::STOPPING, RunEvent::started,         kRejected},
    {RunStatus::STOPPING, RunEvent::succeeded,       kRejected},
    {RunStatus::STOPPING, RunEvent::failed,          kRejected},
    {RunStatus::STOPPING, RunEvent::timed_out,       kRejected},
    {RunStatus::STOPPING, RunEvent::stop_requested,  kRejected},
    {RunStatus::STOPPING, RunEvent::stop_completed,  RunStatus::STOPPED},

    {RunStatus::STOPPED,  RunEvent::queued,          kRejected},
    {RunStatus::STOPPED,  RunEvent::started,         kRejected},
    {RunStatus::STOPPED,  RunEvent::succeeded,       kRejected},
    {RunStatus::STOPPED,  RunEvent::failed,          kRejected},
    {RunStatus::STOPPED,  RunEvent::timed_out,       kRejected},
    {RunStatus::STOPPED,  RunEvent::stop_requested,  kRejected},
    {RunStatus::STOPPED,  RunEvent::stop_completed,  kRejected},
};
// clang-format on

// The table's answer for one pair; a value outside the enum is rejected everywhere.
std::optional<RunStatus> expected_next(RunStatus from, RunEvent event) {
  for (const Expectation& expectation : kExpectations) {
    if (expectation.from == from && expectation.event == event) return expectation.next;
  }
  return kRejected;
}

std::string name(std::optional<RunStatus> status) {
  return status ? std::string(to_string(*status)) : std::string("rejected");
}

// Shortest event sequence from STARTING to `target` along the expectation table.
std::optional<std::vector<RunEvent>> path_to(RunStatus target) {
  std::map<RunStatus, std::vector<RunEvent>> paths = {{RunStatus::STARTING, {}}};
  std::deque<RunStatus> frontier = {RunStatus::STARTING};
  while (!frontier.empty()) {
    RunStatus from = frontier.front();
    frontier.pop_front();
    if (from == target) return paths[from];
    for (RunEvent event : kAllEvents) {
      std::optional<RunStatus> next = expected_next(from, event);
      if (!next || paths.count(*next) != 0) continue;
      paths[*next] = paths[from];
      paths[*next].push_back(event);
      frontier.push_back(*next);
    }
  }
  return std::nullopt;
}

RunLifecycle replay(const std::vector<RunEvent>& events) {
  RunLifecycle lifecycle;
  for (RunEvent event : events) {
    EXPECT_TRUE(lifecycle.fire(event)) << "replaying " << to_string(event);
  }
  return lifecycle;
}

// Every maximal event sequence from `from` along the table (the table has no cycles).
void collect_paths(RunStatus from, std::vector<RunEvent>& prefix,
                   std::vector<std::vector<RunEvent>>& paths) {
  bool has_next = false;
  for (RunEvent event : kAllEvents) {
    std::optional<RunStatus> next = expected_next(from, event);
    if (!next) continue;
    has_next = true;
    prefix.push_back(event);
    collect_paths(*next, prefix, paths);
    prefix.pop_back();
  }
  if (!has_next) paths.push_back(prefix);
}

TEST(RunMachine, ExpectationTableHoldsEveryStatusEventPairOnce) {
  std::set<std::pair<RunStatus, RunEvent>> pairs;
  for (const Expectation& expectation : kExpectations) {
    EXPECT_TRUE(pairs.insert({expectation.from, expectation.event}).second)
        << to_string(expectation.from) << " x " << to_string(expectation.event);
  }
  EXPECT_EQ(pairs.size(), kAllStatuses.size() * kAllEvents.size());
}

TEST(RunMachine, NewRunIsStarting) {
  RunLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.status()), "STARTING");
}

TEST(RunMachine, EveryStatusEventPairFollowsTheTable) {
  for (const Expectation& expectation : kExpectations) {
    SCOPED_TRACE(std::string(to_string(expectation.from)) + " x " +
                 std::string(to_string(expectation.event)));
    std::optional<std::vector<RunEvent>> path = path_to(expectation.from);
    ASSERT_TRUE(path.has_value());
    RunLifecycle lifecycle = replay(*path);
    ASSERT_EQ(name(lifecycle.status()), name(expectation.from));
    EXPECT_EQ(lifecycle.fire(expectation.event), expectation.next.has_value());
    EXPECT_EQ(name(lifecycle.status()), name(expectation.next.value_or(expectation.from)));
  }
}

TEST(RunMachine, EveryLegalPathEndsInATerminalStatus) {
  std::vector<RunEvent> prefix;
  std::vector<std::vector<RunEvent>> paths;
  collect_paths(RunStatus::STARTING, prefix, paths);
  std::set<std::string> endings;
  for (const std::vector<RunEvent>& path : paths) {
    RunLifecycle lifecycle;
    for (RunEvent event : path) {
      std::optional<RunStatus> next = expected_next(lifecycle.status(), event);
      ASSERT_TRUE(lifecycle.fire(event)) << to_string(event);
      EXPECT_EQ(name(lifecycle.status()), name(next));
    }
    EXPECT_TRUE(is_terminal(lifecycle.status())) << name(lifecycle.status());
    endings.insert(name(lifecycle.status()));
  }
  // STARTING, QUEUED and RUNNING each fail or stop (6 paths) and RUNNING also succeeds or
  // times out (2 more).
  EXPECT_EQ(paths.size(), 8u);
  EXPECT_EQ(endings, (std::set<std::string>{"FAILED", "STOPPED", "SUCCESS", "TIMEOUT"}));
}

TEST(RunMachine, RejectedEventsLeaveTheStatusAndTheTableIntact) {
  // QUEUED rejects everything but started, failed and stop_requested; after any number of
  // rejections it still follows its rows.
  RunLifecycle lifecycle = replay({RunEvent::queued});
  for (RunEvent event : {RunEvent::queued, RunEvent::succeeded, RunEvent::timed_out,
                         RunEvent::stop_completed, RunEvent::queued}) {
    EXPECT_FALSE(lifecycle.fire(event)) << to_string(event);
    EXPECT_EQ(name(lifecycle.status()), "QUEUED");
  }
  EXPECT_TRUE(lifecycle.fire(RunEvent::started));
  EXPECT_EQ(name(lifecycle.status()), "RUNNING");
}

TEST(RunMachine, TerminalStatusesAreExactlyThoseWithoutTransitions) {
  for (RunStatus status : kAllStatuses) {
    bool has_transition = false;
    for (RunEvent event : kAllEvents) has_transition |= expected_next(status, event).has_value();
    EXPECT_EQ(is_terminal(status), !has_transition) << to_string(status);
  }
}

TEST(RunMachine, TerminalSetIsTheAirflowSensorsSet) {
  const std::map<RunStatus, bool> terminal = {
      {RunStatus::STARTING, false}, {RunStatus::QUEUED, false}, {RunStatus::RUNNING, false},
      {RunStatus::SUCCESS, true},   {RunStatus::FAILED, true},  {RunStatus::TIMEOUT, true},
      {RunStatus::STOPPING, false}, {RunStatus::STOPPED, true},
  };
  ASSERT_EQ(terminal.size(), kAllStatuses.size());
  for (const auto& [status, expected] : terminal) {
    EXPECT_EQ(is_terminal(status), expected) << to_string(status);
  }
}

TEST(RunMachine, StatusNamesAreTheWireValuesAndRoundTrip) {
  const std::map<RunStatus, std::string> wire = {
      {RunStatus::STARTING, "STARTING"}, {RunStatus::QUEUED, "QUEUED"},
      {RunStatus::RUNNING, "RUNNING"},   {RunStatus::SUCCESS, "SUCCESS"},
      {RunStatus::FAILED, "FAILED"},     {RunStatus::TIMEOUT, "TIMEOUT"},
      {RunStatus::STOPPING, "STOPPING"}, {RunStatus::STOPPED, "STOPPED"},
  };
  ASSERT_EQ(wire.size(), kAllStatuses.size());
  for (const auto& [status, text] : wire) {
    EXPECT_EQ(to_string(status), text);
    std::optional<RunStatus> parsed = run_status_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, status) << text;
  }
}

TEST(RunMachine, EventNamesAreTheEnumNames) {
  const std::map<RunEvent, std::string> names = {
      {RunEvent::queued, "queued"},         {RunEvent::started, "started"},
      {RunEvent::succeeded, "succeeded"},   {RunEvent::failed, "failed"},
      {RunEvent::timed_out, "timed_out"},   {RunEvent::stop_requested, "stop_requested"},
      {RunEvent::stop_completed, "stop_completed"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(RunMachine, UnknownStatusNamesParseToNothing) {
  using namespace std::string_literals;
  for (std::string text : {""s, "starting"s, "Running"s, " QUEUED"s, "SUCCESS "s, "STOP"s,
                           "CANCELLED"s, "SUCCEEDED"s, "SUCCESS\0"s, "TIMED_OUT"s}) {
    EXPECT_FALSE(run_status_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(RunMachine, ValuesOutsideTheEnumAreHarmless) {
  RunLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<RunEvent>(99)));
  EXPECT_EQ(name(lifecycle.status()), "STARTING");
  EXPECT_EQ(to_string(static_cast<RunStatus>(99)), "");
  EXPECT_EQ(to_string(static_cast<RunEvent>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<RunStatus>(99)));
}

TEST(RunMachine, MovedLifecycleKeepsItsStatusAndTable) {
  RunLifecycle original = replay({RunEvent::queued});
  RunLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.status()), "QUEUED");
  EXPECT_TRUE(moved.fire(RunEvent::started));
  RunLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.status()), "RUNNING");
  EXPECT_FALSE(assigned.fire(RunEvent::queued));
  EXPECT_TRUE(assigned.fire(RunEvent::succeeded));
  EXPECT_EQ(name(assigned.status()), "SUCCESS");
}

// Random event sequences, including values outside the enum, never crash; every status
// change is an edge of the table; and a terminal status never changes again.
RC_GTEST_PROP(RunMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  const int event_count = static_cast<int>(kAllEvents.size());
  const std::vector<int> events =
      *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, event_count + 1));
  RunLifecycle lifecycle;
  for (int value : events) {
    const RunEvent event = static_cast<RunEvent>(value);
    const RunStatus before = lifecycle.status();
    const std::optional<RunStatus> next = expected_next(before, event);
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
