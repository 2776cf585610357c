// Tests of the Glue crawl lifecycle and the crawler State and LastCrawl.Status derived from it
// (crawl_machine.hpp, fact sheet 5.1, 6.5). The expectation table below spells out the whole
// cross product of crawl states and events, so any change to the machine's transition table
// fails a test here until the table is changed to match.
#include "models/glue/crawl_machine.hpp"

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

using State = CrawlState;
using Event = CrawlEvent;

constexpr std::array<State, 6> kAllStates = {
    State::RUNNING, State::CANCELLING, State::CANCELLED,
    State::SUCCEEDED, State::FAILED,   State::ERROR,
};

constexpr std::array<Event, 5> kAllEvents = {
    Event::targets_crawled, Event::crawler_failed, Event::crawler_unavailable,
    Event::stop_requested,  Event::stop_completed,
};

using Expectation = testing::Transition<State, Event>;

constexpr std::optional<State> kRejected = std::nullopt;

// clang-format off
constexpr Expectation kExpectations[] = {
    // State           | Event                       | Next
    {State::RUNNING,    Event::targets_crawled,      State::SUCCEEDED},
    {State::RUNNING,    Event::crawler_failed,       State::FAILED},
    {State::RUNNING,    Event::crawler_unavailable,  State::ERROR},
    {State::RUNNING,    Event::stop_requested,       State::CANCELLING},
    {State::RUNNING,    Event::stop_completed,       kRejected},

    {State::CANCELLING, Event::targets_crawled,      kRejected},
    {State::CANCELLING, Event::crawler_failed,       kRejected},
    {State::CANCELLING, Event::crawler_unavailable,  kRejected},
    {State::CANCELLING, Event::stop_requested,       kRejected},
    {State::CANCELLING, Event::stop_completed,       State::CANCELLED},

    {State::CANCELLED,  Event::targets_crawled,      kRejected},
    {State::CANCELLED,  Event::crawler_failed,       kRejected},
    {State::CANCELLED,  Event::crawler_unavailable,  kRejected},
    {State::CANCELLED,  Event::stop_requested,       kRejected},
    {State::CANCELLED,  Event::stop_completed,       kRejected},

    {State::SUCCEEDED,  Event::targets_crawled,      kRejected},
    {State::SUCCEEDED,  Event::crawler_failed,       kRejected},
    {State::SUCCEEDED,  Event::crawler_unavailable,  kRejected},
    {State::SUCCEEDED,  Event::stop_requested,       kRejected},
    {State::SUCCEEDED,  Event::stop_completed,       kRejected},

    {State::FAILED,     Event::targets_crawled,      kRejected},
    {State::FAILED,     Event::crawler_failed,       kRejected},
    {State::FAILED,     Event::crawler_unavailable,  kRejected},
    {State::FAILED,     Event::stop_requested,       kRejected},
    {State::FAILED,     Event::stop_completed,       kRejected},

    {State::ERROR,      Event::targets_crawled,      kRejected},
    {State::ERROR,      Event::crawler_failed,       kRejected},
    {State::ERROR,      Event::crawler_unavailable,  kRejected},
    {State::ERROR,      Event::stop_requested,       kRejected},
    {State::ERROR,      Event::stop_completed,       kRejected},
};
// clang-format on

const testing::LifecycleTable<CrawlLifecycle, State, Event> kTable(
    State::RUNNING, {kAllStates.begin(), kAllStates.end()},
    {kAllEvents.begin(), kAllEvents.end()},
    {std::begin(kExpectations), std::end(kExpectations)});

std::string name(std::optional<State> state) { return decltype(kTable)::name(state); }

TEST(CrawlMachine, ExpectationTableHoldsEveryStateEventPairOnce) {
  testing::expect_each_pair_once(kTable);
}

TEST(CrawlMachine, NewCrawlIsRunning) {
  CrawlLifecycle lifecycle;
  EXPECT_EQ(name(lifecycle.state()), "RUNNING");
}

TEST(CrawlMachine, EveryStateEventPairFollowsTheTable) {
  testing::expect_machine_follows_table(kTable);
}

TEST(CrawlMachine, EveryLegalPathEndsInATerminalState) {
  EXPECT_EQ(testing::walk_maximal_paths(kTable, 4),
            (std::set<std::string>{"CANCELLED", "ERROR", "FAILED", "SUCCEEDED"}));
}

TEST(CrawlMachine, CrawlerStateFollowsItsCurrentCrawl) {
  // 6.5: READY -> RUNNING -> (STOPPING) -> READY, driven by the crawl it last started.
  EXPECT_EQ(to_string(crawler_state(std::nullopt)), "READY");
  const std::map<State, std::string> crawler = {
      {State::RUNNING, "RUNNING"},   {State::CANCELLING, "STOPPING"},
      {State::CANCELLED, "READY"},   {State::SUCCEEDED, "READY"},
      {State::FAILED, "READY"},      {State::ERROR, "READY"},
  };
  ASSERT_EQ(crawler.size(), kAllStates.size());
  for (const auto& [state, text] : crawler) {
    EXPECT_EQ(to_string(crawler_state(state)), text) << to_string(state);
  }
}

TEST(CrawlMachine, StopIsAcceptedExactlyWhenTheCrawlerIsRunning) {
  // 5.1 StopCrawler: the crawl accepts a stop only while its crawler is RUNNING; a STOPPING
  // crawler (CrawlerStoppingException) and a READY one (CrawlerNotRunningException) reject.
  for (State state : kAllStates) {
    CrawlLifecycle lifecycle = kTable.replay(*kTable.path_to(state));
    EXPECT_EQ(lifecycle.fire(Event::stop_requested),
              crawler_state(state) == CrawlerState::RUNNING)
        << to_string(state);
  }
}

TEST(CrawlMachine, LastCrawlStatusComesOnlyFromCrawlsTheCrawlerRanToTheEnd) {
  const std::map<State, std::string> last = {
      {State::RUNNING, "none"},          {State::CANCELLING, "none"},
      {State::CANCELLED, "CANCELLED"},   {State::SUCCEEDED, "SUCCEEDED"},
      {State::FAILED, "FAILED"},         {State::ERROR, "none"},
  };
  ASSERT_EQ(last.size(), kAllStates.size());
  for (const auto& [state, text] : last) {
    std::optional<LastCrawlStatus> status = last_crawl_status(state);
    EXPECT_EQ(status ? std::string(to_string(*status)) : std::string("none"), text)
        << to_string(state);
  }
}

TEST(CrawlMachine, TerminalStatesAreExactlyThoseWithoutTransitions) {
  testing::expect_terminal_exactly_without_transitions(kTable);
}

TEST(CrawlMachine, StateNamesAreTheWireValuesAndRoundTrip) {
  const std::map<State, std::string> wire = {
      {State::RUNNING, "RUNNING"},     {State::CANCELLING, "CANCELLING"},
      {State::CANCELLED, "CANCELLED"}, {State::SUCCEEDED, "SUCCEEDED"},
      {State::FAILED, "FAILED"},       {State::ERROR, "ERROR"},
  };
  ASSERT_EQ(wire.size(), kAllStates.size());
  for (const auto& [state, text] : wire) {
    EXPECT_EQ(to_string(state), text);
    std::optional<State> parsed = crawl_state_from_string(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, state) << text;
  }
}

TEST(CrawlMachine, CrawlerStateAndLastCrawlStatusNamesAreTheWireValuesAndRoundTrip) {
  const std::map<CrawlerState, std::string> crawler = {
      {CrawlerState::READY, "READY"},
      {CrawlerState::RUNNING, "RUNNING"},
      {CrawlerState::STOPPING, "STOPPING"},
  };
  for (const auto& [state, text] : crawler) {
    EXPECT_EQ(to_string(state), text);
    EXPECT_EQ(crawler_state_from_string(text), std::optional<CrawlerState>(state)) << text;
  }
  const std::map<LastCrawlStatus, std::string> last = {
      {LastCrawlStatus::SUCCEEDED, "SUCCEEDED"},
      {LastCrawlStatus::CANCELLED, "CANCELLED"},
      {LastCrawlStatus::FAILED, "FAILED"},
  };
  for (const auto& [status, text] : last) {
    EXPECT_EQ(to_string(status), text);
    EXPECT_EQ(last_crawl_status_from_string(text), std::optional<LastCrawlStatus>(status))
        << text;
  }
}

TEST(CrawlMachine, EventNamesAreTheEnumNames) {
  const std::map<Event, std::string> names = {
      {Event::targets_crawled, "targets_crawled"},
      {Event::crawler_failed, "crawler_failed"},
      {Event::crawler_unavailable, "crawler_unavailable"},
      {Event::stop_requested, "stop_requested"},
      {Event::stop_completed, "stop_completed"},
  };
  ASSERT_EQ(names.size(), kAllEvents.size());
  for (const auto& [event, text] : names) EXPECT_EQ(to_string(event), text);
}

TEST(CrawlMachine, UnknownNamesParseToNothing) {
  using namespace std::string_literals;
  // Each enum rejects the others' values where they differ, and near misses of its own.
  for (std::string text : {""s, "running"s, "Cancelled"s, " FAILED"s, "READY"s, "STOPPING"s,
                           "CANCELED"s, "ERROR\0"s, "STOPPED"s}) {
    EXPECT_FALSE(crawl_state_from_string(text).has_value()) << '"' << text << '"';
  }
  for (std::string text : {""s, "ready"s, "CANCELLING"s, "STOPPED"s, "SUCCEEDED"s, "READY "s}) {
    EXPECT_FALSE(crawler_state_from_string(text).has_value()) << '"' << text << '"';
  }
  for (std::string text : {""s, "ERROR"s, "RUNNING"s, "CANCELLING"s, "Failed"s, "SUCCESS"s}) {
    EXPECT_FALSE(last_crawl_status_from_string(text).has_value()) << '"' << text << '"';
  }
}

TEST(CrawlMachine, ValuesOutsideTheEnumsAreHarmless) {
  CrawlLifecycle lifecycle;
  EXPECT_FALSE(lifecycle.fire(static_cast<Event>(99)));
  EXPECT_EQ(name(lifecycle.state()), "RUNNING");
  EXPECT_EQ(to_string(static_cast<State>(99)), "");
  EXPECT_EQ(to_string(static_cast<Event>(99)), "");
  EXPECT_EQ(to_string(static_cast<CrawlerState>(99)), "");
  EXPECT_EQ(to_string(static_cast<LastCrawlStatus>(99)), "");
  EXPECT_FALSE(is_terminal(static_cast<State>(99)));
  EXPECT_EQ(crawler_state(static_cast<State>(99)), CrawlerState::READY);
  EXPECT_FALSE(last_crawl_status(static_cast<State>(99)).has_value());
}

TEST(CrawlMachine, MovedLifecycleKeepsItsStateAndTable) {
  CrawlLifecycle original = kTable.replay({Event::stop_requested});
  CrawlLifecycle moved(std::move(original));
  EXPECT_EQ(name(moved.state()), "CANCELLING");
  EXPECT_FALSE(moved.fire(Event::targets_crawled));
  CrawlLifecycle assigned;
  assigned = std::move(moved);
  EXPECT_EQ(name(assigned.state()), "CANCELLING");
  EXPECT_TRUE(assigned.fire(Event::stop_completed));
  EXPECT_EQ(name(assigned.state()), "CANCELLED");
}

// Random event sequences, including values outside the enum, never crash; every state change
// is an edge of the table; a terminal state never changes again; and the crawler is READY
// exactly when its crawl has ended.
RC_GTEST_PROP(CrawlMachineProperty, RandomEventsOnlyFollowTableEdges, ()) {
  testing::check_random_events_follow_table(kTable, [](const CrawlLifecycle& lifecycle) {
    RC_ASSERT((crawler_state(lifecycle.state()) == CrawlerState::READY) ==
              is_terminal(lifecycle.state()));
  });
}

}  // namespace
}  // namespace wfsim::models::glue
