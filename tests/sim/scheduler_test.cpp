#include "sim/scheduler.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wfsim::sim {

// Reaches the private sequence counter so a test can cross its 32-bit renumbering point
// without scheduling four billion timers.
struct SchedulerTestPeer {
  static void set_next_sequence(Scheduler& scheduler, std::uint64_t sequence) {
    scheduler.next_sequence_ = sequence;
  }
};

}  // namespace wfsim::sim

namespace {

using namespace wfsim::sim;

// Records which labelled timers fired, and when.
struct FiringLog {
  std::vector<std::pair<std::string, TimeUs>> entries;
  TimerAction note(Scheduler& scheduler, std::string label) {
    return [this, &scheduler, label] { entries.emplace_back(label, scheduler.now()); };
  }
  std::vector<std::string> labels() const {
    std::vector<std::string> result;
    for (const auto& entry : entries) result.push_back(entry.first);
    return result;
  }
};

TEST(Scheduler, FiresInTimeOrderThenCreationOrder) {
  Scheduler scheduler(1000);
  FiringLog log;
  scheduler.schedule_at(3000, log.note(scheduler, "c"));
  scheduler.schedule_at(2000, log.note(scheduler, "a"));
  scheduler.schedule_at(2000, log.note(scheduler, "b"));
  scheduler.schedule_after(1000, log.note(scheduler, "a2"));  // also due at 2000, created later
  EXPECT_EQ(scheduler.pending(), 4u);
  EXPECT_EQ(scheduler.next_due(), 2000);
  EXPECT_EQ(scheduler.advance(5000), 4u);
  EXPECT_EQ(log.labels(), (std::vector<std::string>{"a", "b", "a2", "c"}));
  EXPECT_EQ(log.entries[0].second, 2000);
  EXPECT_EQ(log.entries[3].second, 3000);
  EXPECT_EQ(scheduler.now(), 6000);
  EXPECT_EQ(scheduler.pending(), 0u);
  EXPECT_FALSE(scheduler.next_due());
}

TEST(Scheduler, TimerIdsAreNeverZeroAndNeverReusedForALiveTimer) {
  Scheduler scheduler;
  const TimerId first = scheduler.schedule_after(10, [] {});
  EXPECT_NE(first, 0u);
  EXPECT_TRUE(scheduler.cancel(first));
  const TimerId second = scheduler.schedule_after(10, [] {});  // reuses the slot
  EXPECT_NE(second, 0u);
  EXPECT_NE(second, first);
  EXPECT_FALSE(scheduler.cancel(first));
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_FALSE(scheduler.cancel(0));
}

TEST(Scheduler, CancelSemantics) {
  Scheduler scheduler;
  FiringLog log;
  const TimerId kept = scheduler.schedule_after(10, log.note(scheduler, "kept"));
  const TimerId dropped = scheduler.schedule_after(5, log.note(scheduler, "dropped"));
  EXPECT_TRUE(scheduler.cancel(dropped));
  EXPECT_FALSE(scheduler.cancel(dropped));  // cancelled before
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.next_due(), 10);  // the cancelled earlier timer no longer counts
  EXPECT_EQ(scheduler.advance(100), 1u);
  EXPECT_FALSE(scheduler.cancel(kept));      // already fired
  EXPECT_FALSE(scheduler.cancel(12345678));  // never existed
  EXPECT_EQ(log.labels(), std::vector<std::string>{"kept"});
}

TEST(Scheduler, APastTimeFiresAtTheCurrentTime) {
  Scheduler scheduler(5000);
  FiringLog log;
  scheduler.schedule_at(10, log.note(scheduler, "late"));
  scheduler.schedule_after(-50, log.note(scheduler, "negative"));
  EXPECT_EQ(scheduler.next_due(), 5000);
  EXPECT_EQ(scheduler.advance(0), 2u);
  EXPECT_EQ(log.entries,
            (std::vector<std::pair<std::string, TimeUs>>{{"late", 5000}, {"negative", 5000}}));
}

TEST(Scheduler, AdvanceWindowIncludesItsEndAndExcludesBeyond) {
  Scheduler scheduler;
  FiringLog log;
  scheduler.schedule_at(100, log.note(scheduler, "at_end"));
  scheduler.schedule_at(101, log.note(scheduler, "after_end"));
  EXPECT_EQ(scheduler.advance(100), 1u);
  EXPECT_EQ(scheduler.now(), 100);
  EXPECT_EQ(scheduler.advance(0), 0u);
  EXPECT_EQ(scheduler.advance(1), 1u);
  EXPECT_EQ(scheduler.now(), 101);
  EXPECT_EQ(log.labels(), (std::vector<std::string>{"at_end", "after_end"}));
  EXPECT_EQ(scheduler.advance(-10), 0u);  // the clock never runs backwards
  EXPECT_EQ(scheduler.now(), 101);
}

TEST(Scheduler, TimersScheduledByTimersFireWithinTheWindow) {
  Scheduler scheduler;
  FiringLog log;
  scheduler.schedule_at(10, [&] {
    log.entries.emplace_back("first", scheduler.now());
    scheduler.schedule_after(20, log.note(scheduler, "inside"));    // due 30
    scheduler.schedule_after(0, log.note(scheduler, "now"));        // due 10, after "first"
    scheduler.schedule_after(100, log.note(scheduler, "outside"));  // due 110
  });
  EXPECT_EQ(scheduler.advance(50), 3u);
  EXPECT_EQ(log.entries, (std::vector<std::pair<std::string, TimeUs>>{
                             {"first", 10}, {"now", 10}, {"inside", 30}}));
  EXPECT_EQ(scheduler.now(), 50);
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.next_due(), 110);
}

TEST(Scheduler, ActionsMayCancelOthersAndThemselves) {
  Scheduler scheduler;
  FiringLog log;
  TimerId self = 0;
  TimerId victim = 0;
  self = scheduler.schedule_at(10, [&] {
    EXPECT_FALSE(scheduler.cancel(self));  // already firing: not pending
    EXPECT_TRUE(scheduler.cancel(victim));
    log.entries.emplace_back("self", scheduler.now());
  });
  victim = scheduler.schedule_at(10, log.note(scheduler, "victim"));
  scheduler.schedule_at(20, log.note(scheduler, "survivor"));
  EXPECT_EQ(scheduler.advance(100), 2u);
  EXPECT_EQ(log.labels(), (std::vector<std::string>{"self", "survivor"}));
}

TEST(Scheduler, ManySchedulesFromOneActionSurviveSlotGrowth) {
  Scheduler scheduler;
  int fired = 0;
  scheduler.schedule_at(1, [&] {
    for (int i = 0; i < 10000; ++i) scheduler.schedule_after(i, [&fired] { ++fired; });
  });
  EXPECT_EQ(scheduler.advance(20000), 10001u);
  EXPECT_EQ(fired, 10000);
}

TEST(Scheduler, RunUntilIdleStopsAtTheEventLimit) {
  Scheduler scheduler;
  FiringLog log;
  for (int i = 1; i <= 5; ++i)
    scheduler.schedule_at(i * 10, log.note(scheduler, std::to_string(i)));
  const auto result = scheduler.run_until_idle(3);
  EXPECT_EQ(result.fired, 3u);
  EXPECT_FALSE(result.idle);
  EXPECT_EQ(scheduler.now(), 30);  // the last fired timer's time
  const auto rest = scheduler.run_until_idle();
  EXPECT_EQ(rest.fired, 2u);
  EXPECT_TRUE(rest.idle);
  EXPECT_EQ(scheduler.now(), 50);
}

TEST(Scheduler, ByDefaultTimersPastTheLastWritableInstantNeverFire) {
  Scheduler scheduler;
  scheduler.schedule_at(kLastInstantUs, [] {});
  scheduler.schedule_at(kLastInstantUs + 1, [] {});
  const auto result = scheduler.run_until_idle();
  EXPECT_EQ(result.fired, 1u);
  EXPECT_FALSE(result.idle);
  EXPECT_EQ(scheduler.now(), kLastInstantUs);
}

TEST(Scheduler, RunUntilIdleStopsAtTheTimeLimit) {
  Scheduler scheduler;
  scheduler.schedule_at(10, [] {});
  scheduler.schedule_at(20, [] {});
  scheduler.schedule_at(21, [] {});
  const auto result = scheduler.run_until_idle(UINT64_MAX, 20);
  EXPECT_EQ(result.fired, 2u);
  EXPECT_FALSE(result.idle);
  EXPECT_EQ(scheduler.now(), 20);
  const auto none = scheduler.run_until_idle(0);
  EXPECT_EQ(none.fired, 0u);
  EXPECT_FALSE(none.idle);
}

TEST(Scheduler, RunUntilIdleFollowsChainsAndReportsIdle) {
  Scheduler scheduler(100);
  int remaining = 50;
  std::function<void()> step = [&] {
    if (--remaining > 0) scheduler.schedule_after(7, step);
  };
  scheduler.schedule_after(7, step);
  const auto result = scheduler.run_until_idle();
  EXPECT_EQ(result.fired, 50u);
  EXPECT_TRUE(result.idle);
  EXPECT_EQ(scheduler.now(), 100 + 50 * 7);
  const auto empty = scheduler.run_until_idle();
  EXPECT_EQ(empty.fired, 0u);
  EXPECT_TRUE(empty.idle);
  EXPECT_EQ(scheduler.now(), 450);
}

// Schedule-then-cancel far in the future, as timeouts that never fire do: the scheduler
// keeps working and pending() stays exact while stale entries are purged.
TEST(Scheduler, ManyCancelledTimersDoNotDisturbOrder) {
  Scheduler scheduler;
  std::vector<int> order;
  for (int i = 0; i < 20000; ++i) {
    const TimerId id = scheduler.schedule_at(1'000'000 + i, [&order, i] { order.push_back(i); });
    if (i % 3 != 0) {
      EXPECT_TRUE(scheduler.cancel(id));
    }
  }
  EXPECT_EQ(scheduler.pending(), 6667u);
  EXPECT_EQ(scheduler.next_due(), 1'000'000);
  scheduler.run_until_idle();
  ASSERT_EQ(order.size(), 6667u);
  for (std::size_t k = 0; k < order.size(); ++k) ASSERT_EQ(order[k], static_cast<int>(3 * k));
}

// Even labels schedule a child timer when they fire, so the property also covers timers
// scheduled from inside actions (children have negative labels and are never cancelled).
bool spawns_child(int label) { return label >= 0 && label % 2 == 0; }
DurationUs child_delay_us(int label) { return label % 13; }
int child_label(int label) { return -(label + 1); }

TEST(Scheduler, SequenceRenumberingKeepsCreationOrderAndIds) {
  Scheduler scheduler;
  FiringLog log;
  scheduler.schedule_at(50, log.note(scheduler, "early_late"));
  const TimerId cancelled = scheduler.schedule_at(5, log.note(scheduler, "cancelled"));
  SchedulerTestPeer::set_next_sequence(scheduler, 0xffffffffULL - 2);
  std::vector<TimerId> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(scheduler.schedule_at(10, log.note(scheduler, "same" + std::to_string(i))));
  }
  scheduler.schedule_at(50, log.note(scheduler, "late_late"));
  EXPECT_TRUE(scheduler.cancel(cancelled));
  EXPECT_TRUE(scheduler.cancel(ids[4]));  // an id issued after the renumbering
  EXPECT_TRUE(scheduler.cancel(ids[1]));  // an id issued before it
  EXPECT_EQ(scheduler.pending(), 6u);
  scheduler.run_until_idle();
  EXPECT_EQ(log.labels(), (std::vector<std::string>{"same0", "same2", "same3", "same5",
                                                    "early_late", "late_late"}));
}

// The same wrap with more timers pending than the near array holds, so that the renumbered
// entries sit in the radix queue's buckets and ready list.
TEST(Scheduler, SequenceRenumberingInTheRadixQueueKeepsCreationOrder) {
  Scheduler scheduler;
  FiringLog log;
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    scheduler.schedule_at(100 + i, log.note(scheduler, "far" + std::to_string(i)));
  }
  SchedulerTestPeer::set_next_sequence(scheduler, 0xffffffffULL - 2);
  for (int i = 0; i < 6; ++i) {
    scheduler.schedule_at(10, log.note(scheduler, "same" + std::to_string(i)));
    expected.push_back("same" + std::to_string(i));
  }
  for (int i = 0; i < 20; ++i) expected.push_back("far" + std::to_string(i));
  EXPECT_EQ(scheduler.pending(), 26u);
  scheduler.run_until_idle();
  EXPECT_EQ(log.labels(), expected);
}

// The reference model: a plain list of pending timers, fired by scanning for the smallest
// (time, creation index).
struct ReferenceTimer {
  TimeUs when_us;
  std::uint64_t created;
  int label;
};

struct ReferenceScheduler {
  TimeUs now_us = 0;
  std::uint64_t created = 0;
  std::vector<ReferenceTimer> pending;
  std::vector<std::pair<int, TimeUs>> fired;

  void schedule(TimeUs when_us, int label) {
    pending.push_back({std::max(when_us, now_us), created++, label});
  }
  bool cancel(int label) {
    const auto it = std::find_if(pending.begin(), pending.end(),
                                 [label](const ReferenceTimer& t) { return t.label == label; });
    if (it == pending.end()) return false;
    pending.erase(it);
    return true;
  }
  std::optional<TimeUs> next_due() const {
    std::optional<TimeUs> earliest;
    for (const ReferenceTimer& timer : pending) {
      if (!earliest || timer.when_us < *earliest) earliest = timer.when_us;
    }
    return earliest;
  }
  void advance(DurationUs d_us) {
    const TimeUs limit_us = now_us + d_us;
    while (!pending.empty()) {
      const auto it =
          std::min_element(pending.begin(), pending.end(), [](const auto& a, const auto& b) {
            return a.when_us < b.when_us || (a.when_us == b.when_us && a.created < b.created);
          });
      if (it->when_us > limit_us) break;
      now_us = it->when_us;
      const int label = it->label;
      fired.emplace_back(label, now_us);
      pending.erase(it);
      if (spawns_child(label)) schedule(now_us + child_delay_us(label), child_label(label));
    }
    now_us = limit_us;
  }
};

// Bursts of schedules and long advances take the pending count across the near array's
// capacity and back to zero, so timers move between the array and the radix queue.
RC_GTEST_PROP(Scheduler, MatchesASortedListModel, ()) {
  Scheduler scheduler;
  ReferenceScheduler model;
  std::vector<std::pair<int, TimeUs>> fired;
  std::map<int, TimerId> ids;
  int next_label = 0;
  const auto schedule_one = [&] {
    const TimeUs when_us = model.now_us + *rc::gen::inRange<TimeUs>(-20, 100);
    const int label = next_label++;
    ids[label] = scheduler.schedule_at(when_us, [&fired, &scheduler, label] {
      fired.emplace_back(label, scheduler.now());
      if (spawns_child(label)) {
        const int child = child_label(label);
        scheduler.schedule_after(child_delay_us(label), [&fired, &scheduler, child] {
          fired.emplace_back(child, scheduler.now());
        });
      }
    });
    model.schedule(when_us, label);
  };
  const int steps = *rc::gen::inRange(1, 200);
  for (int step = 0; step < steps; ++step) {
    const int choice = *rc::gen::inRange(0, 12);
    if (choice < 5) {
      schedule_one();
    } else if (choice == 10) {
      const int burst = *rc::gen::inRange(1, 40);
      for (int i = 0; i < burst; ++i) schedule_one();
    } else if (choice == 11) {
      scheduler.advance(200);
      model.advance(200);
    } else if (choice < 7 && next_label > 0) {
      const int label = *rc::gen::inRange(0, next_label);
      RC_ASSERT(scheduler.cancel(ids[label]) == model.cancel(label));
    } else {
      const DurationUs d_us = *rc::gen::inRange<DurationUs>(0, 60);
      scheduler.advance(d_us);
      model.advance(d_us);
    }
    RC_ASSERT(scheduler.now() == model.now_us);
    RC_ASSERT(scheduler.pending() == model.pending.size());
    RC_ASSERT(scheduler.next_due() == model.next_due());
    RC_ASSERT(fired == model.fired);
  }
  model.advance(1000);
  scheduler.advance(1000);
  RC_ASSERT(fired == model.fired);
}

// A callable whose copy throws, as a capture's allocation may.
struct ThrowsWhenCopied {
  ThrowsWhenCopied() = default;
  ThrowsWhenCopied(const ThrowsWhenCopied&) { throw std::runtime_error("copy failed"); }
  void operator()() const {}
};

TEST(Scheduler, AnActionThatCannotBeStoredLeavesNoTimerPending) {
  Scheduler scheduler;
  const ThrowsWhenCopied action;
  EXPECT_THROW(scheduler.schedule_after(10, action), std::runtime_error);
  EXPECT_EQ(scheduler.pending(), 0u);
  EXPECT_FALSE(scheduler.next_due());
  int fired = 0;
  scheduler.schedule_after(20, [&fired] { ++fired; });
  EXPECT_EQ(scheduler.advance(100), 1u);
  EXPECT_EQ(fired, 1);
}

}  // namespace
