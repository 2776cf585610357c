// The scheduler owns virtual time. Timers fire in (time, sequence) order; the sequence number
// is the order in which they were scheduled, so two timers due at the same instant always
// fire in the order they were created, on every run and every standard library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/time.hpp"
#include "sim/timer_action.hpp"

namespace wfsim::sim {

using TimerId = std::uint64_t;  // never 0; 0 means "no timer"

class Scheduler {
 public:
  explicit Scheduler(TimeUs start_us = 0);

  TimeUs now() const { return now_us_; }

  // A `when` in the past is treated as now: the timer fires on the next advance. The action
  // is any callable of no arguments (or a TimerAction); it is built in the timer's slot.
  template <class F>
  TimerId schedule_at(TimeUs when_us, F&& action) {
    const std::uint32_t slot = take_slot();
    try {
      slots_[slot].action.assign(std::forward<F>(action));
    } catch (...) {
      // Copying the callable threw: the slot goes back unused and nothing was filed.
      free_slots_.push_back(slot);
      throw;
    }
    return file_timer(when_us, slot);
  }
  template <class F>
  TimerId schedule_after(DurationUs delay_us, F&& action) {
    return schedule_at(after_now(delay_us), std::forward<F>(action));
  }

  // True if the timer was pending and is now cancelled; false if it fired, was cancelled
  // before, or never existed.
  bool cancel(TimerId id);

  std::size_t pending() const { return live_count_; }
  std::optional<TimeUs> next_due() const;

  // Fires every timer due at or before now + d (including timers that those timers schedule
  // within the window), then sets the clock to now + d. Returns the number fired.
  std::uint64_t advance(DurationUs d_us);

  // Fires timers in order until none is left, `max_events` have fired, or the next timer is
  // later than `time_limit_us` (absolute). The clock ends at the last fired timer's time.
  // By default timers past kLastInstantUs, which no timestamp can write, never fire.
  struct IdleResult {
    std::uint64_t fired = 0;  // timers fired by this call
    bool idle = false;        // true when no timer is pending at the end
  };
  IdleResult run_until_idle(std::uint64_t max_events = UINT64_MAX,
                            TimeUs time_limit_us = kLastInstantUs);

 private:
  friend struct SchedulerTestPeer;  // lets a test start the sequence just before it wraps

  struct Entry {
    std::uint64_t time_key;  // time_key(when): the time with its sign bit flipped
    std::uint64_t order;     // sequence << 32 | slot: breaks ties by sequence, names the slot
  };
  struct Slot {
    TimerAction action;
    std::uint32_t generation = 1;  // the high half of a TimerId; bumped on release, never 0
    std::uint32_t sequence = 0;    // sequence of the pending timer held here; 0 when free
  };
  // Bucket b holds the entries whose time key differs from ready_key_ first at bit b.
  struct Bucket {
    std::vector<Entry> entries;  // in no particular order
    // No entry's key is smaller; exact unless a cancelled entry set it.
    std::uint64_t min_key = UINT64_MAX;
  };
  static constexpr int kBucketCount = 64;
  // At most this many timers pending, the queue is a sorted array (see scheduler.cpp).
  static constexpr std::size_t kNearCapacity = 16;

  // Files the timer whose action `slot` holds, due at `when_us` (the clock if earlier).
  TimerId file_timer(TimeUs when_us, std::uint32_t slot);
  TimeUs after_now(DurationUs delay_us) const;
  static std::uint64_t time_key(TimeUs time_us);
  static TimeUs time_of(std::uint64_t key);
  static bool earlier(const Entry& a, const Entry& b);
  bool pop_due(TimeUs limit_us, TimerAction& action);
  bool pop_near(std::uint64_t limit_key, std::uint32_t& slot);
  bool pop_radix(std::uint64_t limit_key, std::uint32_t& slot);
  void insert_near(const Entry& entry);
  void remove_near(std::uint32_t slot);
  void move_near_to_radix();
  void clear_radix();
  std::uint32_t take_slot();
  void release_slot(std::uint32_t slot);
  bool is_live(const Entry& entry) const;
  // Asked only while the radix queue is in use, when the near array is empty.
  bool has_stale_entries() const { return entry_count_ != live_count_; }
  std::uint64_t file(const Entry& entry, std::uint64_t ready_key);
  bool ready_has_live();
  bool refill_ready(std::uint64_t limit_key);
  void redistribute(int bucket_index);
  void purge(Bucket& bucket);
  void compact();
  void renumber();
  std::optional<std::uint64_t> earliest_live_key() const;

  TimeUs now_us_;
  std::uint64_t next_sequence_ = 1;  // renumbered before it passes 2^32 - 1
  std::size_t live_count_ = 0;
  // The few timers pending while the radix queue is empty, all live, latest first. Once
  // they would outgrow kNearCapacity they all move to the radix queue, which then keeps
  // every timer until none is live.
  std::vector<Entry> near_;
  std::size_t entry_count_ = 0;  // entries in the radix queue, cancelled ones included
  std::uint64_t ready_key_;      // no entry is earlier; the time of the ready entries
  std::vector<Entry> ready_;     // entries at ready_key_ in sequence order, from ready_head_
  std::size_t ready_head_ = 0;
  std::uint64_t occupied_ = 0;  // bit b set when bucket b holds entries
  std::array<Bucket, kBucketCount> buckets_;
  std::vector<Slot> slots_;  // actions, indexed by slot
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace wfsim::sim
