// Shared checks for every lifecycle machine of every service. A machine's test writes its
// whole status x event cross product as an expectation table; the checks here hold the real
// machine to that table: every pair once, every pair from a status reached along the table,
// every maximal path ending terminal, terminal exactly where no row leaves, and random event
// sequences (RapidCheck) moving only along table edges.
//
// A machine handle is expected to look like the MWAA ones: default-constructible in its
// initial status, `Status status() const`, `bool fire(Event)` (false and no change when
// rejected); the enums have `to_string` and `is_terminal` found by argument-dependent lookup.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wfsim::testing {

template <class Status, class Event>
struct Transition {
  Status from;
  Event event;
  std::optional<Status> next;  // nullopt: the event is rejected in `from`
};

template <class Lifecycle, class Status, class Event>
class LifecycleTable {
 public:
  using Row = Transition<Status, Event>;
  using Path = std::vector<Event>;

  LifecycleTable(Status initial, std::vector<Status> statuses, std::vector<Event> events,
                 std::vector<Row> rows)
      : initial_(initial),
        statuses_(std::move(statuses)),
        events_(std::move(events)),
        rows_(std::move(rows)) {}

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

  bool leaves(Status from) const {
    for (Event event : events_) {
      if (next(from, event)) return true;
    }
    return false;
  }

  static std::string name(std::optional<Status> status) {
    return status ? std::string(to_string(*status)) : std::string("rejected");
  }

  // The shortest event sequence from the initial status to `target` along the table.
  std::optional<Path> path_to(Status target) const {
    std::map<Status, Path> paths = {{initial_, {}}};
    std::deque<Status> frontier = {initial_};
    while (!frontier.empty()) {
      const Status from = frontier.front();
      frontier.pop_front();
      if (from == target) return paths[from];
      for (Event event : events_) {
        const std::optional<Status> to = next(from, event);
        if (!to || paths.count(*to) != 0) continue;
        paths[*to] = paths[from];
        paths[*to].push_back(event);
        frontier.push_back(*to);
      }
    }
    return std::nullopt;
  }

  // Every maximal event sequence from the initial status (lifecycle tables have no cycles).
  std::vector<Path> maximal_paths() const {
    std::vector<Path> paths;
    Path prefix;
    collect(initial_, prefix, paths);
    return paths;
  }

  // A fresh machine driven along `events`, each of which must be accepted.
  Lifecycle replay(const Path& events) const {
    Lifecycle lifecycle;
    for (Event event : events) {
      EXPECT_TRUE(lifecycle.fire(event)) << "replaying " << to_string(event);
    }
    return lifecycle;
  }

  // The statuses a real machine reaches by breadth-first search over its own answers.
  std::set<std::string> reachable_names() const {
    std::map<Status, Path> paths = {{initial_, {}}};
    std::deque<Status> frontier = {initial_};
    while (!frontier.empty()) {
      const Path prefix = paths[frontier.front()];
      frontier.pop_front();
      for (Event event : events_) {
        Lifecycle lifecycle = replay(prefix);
        if (!lifecycle.fire(event) || paths.count(lifecycle.status()) != 0) continue;
        paths[lifecycle.status()] = prefix;
        paths[lifecycle.status()].push_back(event);
        frontier.push_back(lifecycle.status());
      }
    }
    std::set<std::string> names;
    for (const auto& entry : paths) names.insert(name(entry.first));
    return names;
  }

 private:
  void collect(Status from, Path& prefix, std::vector<Path>& paths) const {
    bool extended = false;
    for (Event event : events_) {
      const std::optional<Status> to = next(from, event);
      if (!to) continue;
      extended = true;
      prefix.push_back(event);
      collect(*to, prefix, paths);
      prefix.pop_back();
    }
    if (!extended) paths.push_back(prefix);
  }

  Status initial_;
  std::vector<Status> statuses_;
  std::vector<Event> events_;
  std::vector<Row> rows_;
};

// The table names each (status, event) pair of its statuses and events exactly once.
template <class Table>
void expect_each_pair_once(const Table& table) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& row : table.rows()) {
    EXPECT_TRUE(pairs.insert({Table::name(row.from), std::string(to_string(row.event))}).second)
        << Table::name(row.from) << " x " << to_string(row.event) << " appears twice";
  }
  EXPECT_EQ(pairs.size(), table.statuses().size() * table.events().size());
}

// For every row: reach `from` along the table, fire the event, compare with the row.
template <class Table>
void expect_machine_follows_table(const Table& table) {
  for (const auto& row : table.rows()) {
    SCOPED_TRACE(Table::name(row.from) + " x " + std::string(to_string(row.event)));
    const auto path = table.path_to(row.from);
    ASSERT_TRUE(path.has_value()) << "the table never reaches this status";
    auto lifecycle = table.replay(*path);
    ASSERT_EQ(Table::name(lifecycle.status()), Table::name(row.from));
    EXPECT_EQ(lifecycle.fire(row.event), row.next.has_value());
    EXPECT_EQ(Table::name(lifecycle.status()), Table::name(row.next.value_or(row.from)));
  }
}

// Drives the machine along every maximal path; returns the names of the statuses they end
// in, each of which must be terminal.
template <class Table>
std::set<std::string> walk_maximal_paths(const Table& table, std::size_t expected_paths) {
  const auto paths = table.maximal_paths();
  EXPECT_EQ(paths.size(), expected_paths);
  std::set<std::string> endings;
  for (const auto& path : paths) {
    auto lifecycle = table.replay(path);
    EXPECT_TRUE(is_terminal(lifecycle.status())) << Table::name(lifecycle.status());
    endings.insert(Table::name(lifecycle.status()));
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

// Property body: random event values (one past the last is outside the enum) change the
// status only along table edges, and a terminal status never changes.
template <class Table>
void check_random_events_follow_table(const Table& table) {
  using Event = typename Table::Path::value_type;
  const int event_count = static_cast<int>(table.events().size());
  const auto values = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, event_count + 1));
  auto lifecycle = table.replay({});
  for (int value : values) {
    const auto event = static_cast<Event>(value);
    const auto before = lifecycle.status();
    const auto expected = table.next(before, event);
    const bool fired = lifecycle.fire(event);
    RC_LOG() << Table::name(before) << " x " << value << " -> "
             << Table::name(lifecycle.status()) << "\n";
    RC_ASSERT(fired == expected.has_value());
    RC_ASSERT(lifecycle.status() == expected.value_or(before));
    if (is_terminal(before)) RC_ASSERT(lifecycle.status() == before);
  }
}

}  // namespace wfsim::testing
