// Tests of the workflow-run lifecycle (run_machine.hpp, fact sheet 9.2). The expectation
// table below spells out the whole cross product of statuses and events, so any change to
// the machine's transition table fails a test here until the table is changed to match.
#include "models/mwaa_serverless/run_machine.hpp"

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

constexpr std::array<RunStatus, 8> kAllStatuses = {
    RunStatus::STARTING, RunStatus::QUEUED,  RunStatus::RUNNING,  RunStatus::SUCCESS,
    RunStatus::FAILED,   RunStatus::TIMEOUT, RunStatus::STOPPING, RunStatus::STOPPED,
};

constexpr std::array<RunEvent, 7> kAllEvents = {
    RunEvent::queued,    RunEvent::started,        RunEvent::succeeded,      RunEvent::failed,
    RunEvent::timed_out, RunEvent::stop_requested, RunEvent::stop_completed,
};

using Expectation = testing::Transition<RunStatus, RunEvent>;

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

const testing::LifecycleTable<RunLifecycle, RunStatus, RunEvent> kTable(
    RunStatus::STARTING, {kAllStatuses.begin(), kAllStatuses.end()},
    {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<RunStatus> status) { return decltype(kTable)::name(status); }

TEST(RunMachine, ExpectationTableHoldsEveryStatusEventPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(RunMachine, NewRunIsStarting) {
  RunLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.status()), "STARTING");
}

TEST(RunMachine, EveryStatusEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

TEST(RunMachine, EveryLegalPathEndsInATerminalStatus) {
  // STARTING, QUEUED and RUNNING each fail or stop (6 paths) and RUNNING also succeeds or
  // times out (2 more).
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 8),
            (std::set<std::string>{"FAILED", "STOPPED", "SUCCESS", "TIMEOUT"}));
}

TEST(RunMachine, RejectedEventsLeaveTheStatusAndTheTableIntact) {
  // QUEUED rejects everything but started, failed and stop_requested; after any number of
  // rejections it still follows its rows.
  RunLifecycle lifecycle = kTable.replay({RunEvent::queued});
  for (RunEvent event : {RunEvent::queued, RunEvent::succeeded, RunEvent::timed_out,
                         RunEvent::stop_completed, RunEvent::queued}) {
    EXPECT_FALSE(lifecycle.fire(event)) << to_string(event);
    EXPECT_EQ(name(lifecycle.status()), "QUEUED");
  }
  EXPECT_TRUE(lifecycle.fire(RunEvent::started));
  EXPECT_EQ(name(lifecycle.status()), "RUNNING");
}

TEST(RunMachine, TerminalStatusesAreExactlyThoseWithoutTransitions) {
  testing::expect_terminal_exactly_without_transitions(kTable);
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
  RunLifecycle original = kTable.replay({RunEvent::queued});
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
  testing::check_random_events_follow_table(kTable);
}

}  // namespace
}  // namespace wfsim::models::mwaa
