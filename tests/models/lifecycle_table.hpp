// Shared checks for every lifecycle machine of every service. A machine's test writes its
// whole status x event cross product as an expectation table; the checks here hold the real
// machine to that table: every pair once, every pair from a status reached along the table,
// every maximal path ending terminal, terminal exactly where no row leaves, and random event
// sequences (RapidCheck) moving only along table edges.
//
// A machine handle is expected to look like the MWAA ones: `bool fire(Event)` (false and no
// change when rejected), its current status from `status() const` or, as the Glue handles
// name it, `state() const`; the enums have `to_string` and `is_terminal` found by
// argument-dependent lookup. A handle begins default-constructed in the table's initial
// status unless the table is given its beginnings: each a status and a factory making a
// handle in it (a named constructor, or a constructor taking what is fixed for the handle's
// life). A row whose next status equals its own is an event accepted in place; it neither
// leaves the status nor extends a path. The table's statuses may be finer than the machine's
// (one machine status reached several ways): statuses are compared with the machine's by
// name, so a finer status's `to_string` gives the machine status it stands for.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace wfsim::testing {

template <class Status, class Event>
struct Transition {
  Status from;
  Event event;
  std::optional<Status> next;  // nullopt: the event is rejected in `from`
};

template <class Lifecycle, class = void>
struct HasStatusAccessor : std::false_type {};

template <class Lifecycle>
struct HasStatusAccessor<Lifecycle,
                         std::void_t<decltype(std::declval<const Lifecycle&>().status())>>
    : std::true_type {};

// The handle's current status, whichever of the two accessor names it uses.
template <class Lifecycle>
auto current_status(const Lifecycle& lifecycle) {
  if constexpr (HasStatusAccessor<Lifecycle>::value) {
    return lifecycle.status();
  } else {
    return lifecycle.state();
  }
}

template <class Lifecycle>
std::string current_name(const Lifecycle& lifecycle) {
  return std::string(to_string(current_status(lifecycle)));
}

template <class Lifecycle, class Status, class Event>
class LifecycleTable {
 public:
  using Handle = Lifecycle;
  using StatusType = Status;
  using EventType = Event;
  using Row = Transition<Status, Event>;
  using Path = std::vector<Event>;

  // One way a handle comes into being: the status it starts in and how to make one there.
  struct Beginning {
    Status status;
    std::function<Lifecycle()> make;
  };

  // A path taken from one of the beginnings (an index into them).
  struct Route {
    std::size_t beginning = 0;
    Path events;
  };

  LifecycleTable(Status initial, std::vector<Status> statuses, std::vector<Event> events,
                 std::vector<Row> rows)
      : LifecycleTable({{initial, [] { return Lifecycle(); }}}, std::move(statuses),
                       std::move(events), std::move(rows)) {}

  LifecycleTable(std::vector<Beginning> beginnings, std::vector<Status> statuses,
                 std::vector<Event> events, std::vector<Row> rows)
      : beginnings_(std::move(beginnings)),
        statuses_(std::move(statuses)),
        events_(std::move(events)),
        rows_(std::move(rows)) {}

  const std::vector<Beginning>& beginnings() const { return beginnings_; }
  const std::vector<Status>& statuses() const { return statuses_; }
  const std::vector<Event>& events() const { return events_; }
  const std::vector<Row>& rows() const { return rows_; }

  // The table's answer for one pair; a pair the table does not hold is rejected.
  std::optional<Status> next(Status from, Event event) const {
    for (const Row& row : rows_) {
      if (row.from == from && row.event == event) return row.next;
    }
    return std::nullopt;
  }

  // Whether some event moves `from` to another status (accepting in place does not).
  bool leaves(Status from) const {
    for (Event event : events_) {
      const std::optional<Status> to = next(from, event);
      if (to && *to != from) return true;
    }
    return false;
  }

  static std::string name(std::optional<Status> status) {
    return status ? std::string(to_string(*status)) : std::string("rejected");
  }

  // The shortest route from the beginnings (earlier ones first) to `target` along the table.
  std::optional<Route> path_to(Status target) const {
    std::map<Status, Route> routes;
    std::deque<Status> frontier;
    for (std::size_t index = 0; index < beginnings_.size(); ++index) {
      if (routes.count(beginnings_[index].status) != 0) continue;
      routes[beginnings_[index].status] = Route{index, {}};
      frontier.push_back(beginnings_[index].status);
    }
    while (!frontier.empty()) {
      const Status from = frontier.front();
      frontier.pop_front();
      if (from == target) return routes[from];
      for (Event event : events_) {
        const std::optional<Status> to = next(from, event);
        if (!to || routes.count(*to) != 0) continue;
        routes[*to] = routes[from];
        routes[*to].events.push_back(event);
        frontier.push_back(*to);
      }
    }
    return std::nullopt;
  }

  // Every maximal route from every beginning, leaving out events accepted in place (lifecycle
  // tables have no other cycles).
  std::vector<Route> maximal_paths() const {
    std::vector<Route> routes;
    for (std::size_t index = 0; index < beginnings_.size(); ++index) {
      Route prefix{index, {}};
      collect(beginnings_[index].status, prefix, routes);
    }
    return routes;
  }

  // A fresh handle from the first beginning driven along `events`, each of which must be
  // accepted.
  Lifecycle replay(const Path& events) const { return replay(Route{0, events}); }

  // A fresh handle from the route's beginning driven along its events, each of which must be
  // accepted.
  Lifecycle replay(const Route& route) const {
    Lifecycle lifecycle = beginnings_.at(route.beginning).make();
    for (Event event : route.events) {
      EXPECT_TRUE(lifecycle.fire(event)) << "replaying " << to_string(event);
    }
    return lifecycle;
  }

  // The names of the statuses a real machine reaches by breadth-first search over its own
  // answers, from every beginning.
  std::set<std::string> reachable_names() const {
    std::map<std::string, Route> routes;
    std::deque<std::string> frontier;
    for (std::size_t index = 0; index < beginnings_.size(); ++index) {
      const std::string begun = current_name(replay(Route{index, {}}));
      if (routes.emplace(begun, Route{index, {}}).second) frontier.push_back(begun);
    }
    while (!frontier.empty()) {
      const Route prefix = routes[frontier.front()];
      frontier.pop_front();
      for (Event event : events_) {
        Lifecycle lifecycle = replay(prefix);
        if (!lifecycle.fire(event) || routes.count(current_name(lifecycle)) != 0) continue;
        Route extended = prefix;
        extended.events.push_back(event);
        routes[current_name(lifecycle)] = extended;
        frontier.push_back(current_name(lifecycle));
      }
    }
    std::set<std::string> names;
    for (const auto& entry : routes) names.insert(entry.first);
    return names;
  }

 private:
  void collect(Status from, Route& prefix, std::vector<Route>& routes) const {
    bool extended = false;
    for (Event event : events_) {
      const std::optional<Status> to = next(from, event);
      if (!to || *to == from) continue;
      extended = true;
      prefix.events.push_back(event);
      collect(*to, prefix, routes);
      prefix.events.pop_back();
    }
    if (!extended) routes.push_back(prefix);
  }

  std::vector<Beginning> beginnings_;
  std::vector<Status> statuses_;
  std::vector<Event> events_;
  std::vector<Row> rows_;
};

// The table names each (status, event) pair of its statuses and events exactly once.
template <class Table>
void expect_each_pair_once(const Table& table) {
  std::set<std::pair<typename Table::StatusType, typename Table::EventType>> pairs;
  for (const auto& row : table.rows()) {
    EXPECT_TRUE(pairs.insert({row.from, row.event}).second)
        << Table::name(row.from) << " x " << to_string(row.event) << " appears twice";
  }
  EXPECT_EQ(pairs.size(), table.statuses().size() * table.events().size());
}

// For every row: reach `from` along the table, fire the event, compare with the row.
template <class Table>
void expect_machine_follows_table(const Table& table) {
  for (const auto& row : table.rows()) {
    SCOPED_TRACE(Table::name(row.from) + " x " + std::string(to_string(row.event)));
    const auto route = table.path_to(row.from);
    ASSERT_TRUE(route.has_value()) << "the table never reaches this status";
    auto lifecycle = table.replay(*route);
    ASSERT_EQ(current_name(lifecycle), Table::name(row.from));
    EXPECT_EQ(lifecycle.fire(row.event), row.next.has_value());
    EXPECT_EQ(current_name(lifecycle), Table::name(row.next.value_or(row.from)));
  }
}

// Drives the machine along every maximal path; returns the names of the statuses they end
// in, each of which must be terminal.
template <class Table>
std::set<std::string> walk_maximal_paths(const Table& table, std::size_t expected_paths) {
  const auto routes = table.maximal_paths();
  EXPECT_EQ(routes.size(), expected_paths);
  std::set<std::string> endings;
  for (const auto& route : routes) {
    auto lifecycle = table.replay(route);
    EXPECT_TRUE(is_terminal(current_status(lifecycle))) << current_name(lifecycle);
    endings.insert(current_name(lifecycle));
  }
  return endings;
}

// is_terminal() holds exactly for the statuses no row leaves.
template <class Table>
void expect_terminal_exactly_without_transitions(const Table& table) {
  for (const auto& status : table.statuses()) {
    EXPECT_EQ(is_terminal(status), !table.leaves(status)) << Table::name(status);
  }
}

// Property body: from a random beginning (drawn only when there are several), random event
// values (one past the last is outside the enum) change the status only along table edges,
// and a terminal status never changes. `after_each_event`, when given, checks what else the
// test requires of the handle after every event.
template <class Table>
void check_random_events_follow_table(
    const Table& table,
    const std::function<void(const typename Table::Handle&)>& after_each_event = nullptr) {
  using Event = typename Table::EventType;
  const std::size_t beginning_count = table.beginnings().size();
  const std::size_t beginning =
      beginning_count == 1 ? 0 : *rc::gen::inRange<std::size_t>(0, beginning_count);
  const int event_count = static_cast<int>(table.events().size());
  const auto values = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, event_count + 1));
  auto lifecycle = table.replay(typename Table::Route{beginning, {}});
  auto status = table.beginnings()[beginning].status;
  RC_ASSERT(current_name(lifecycle) == Table::name(status));
  for (int value : values) {
    const auto event = static_cast<Event>(value);
    const auto before = status;
    const auto expected = table.next(before, event);
    const bool fired = lifecycle.fire(event);
    RC_LOG() << Table::name(before) << " x " << value << " -> " << current_name(lifecycle)
             << "\n";
    RC_ASSERT(fired == expected.has_value());
    status = expected.value_or(before);
    RC_ASSERT(current_name(lifecycle) == Table::name(status));
    if (is_terminal(before)) RC_ASSERT(current_name(lifecycle) == Table::name(before));
    if (after_each_event) after_each_event(lifecycle);
  }
}

}  // namespace wfsim::testing
