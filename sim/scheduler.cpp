// The scheduler: a radix queue of 16-byte entries ordered by (time, sequence), with the
// actions kept apart in a slot vector. Timers are never due before the clock, so the queue
// only ever hands out keys at or after the last one it handed out, which is what a radix
// queue needs: an entry sits in the bucket named by the highest bit in which its time
// differs from the current ready time, finding the next time means emptying the lowest
// non-empty bucket into lower ones, and every entry moves at most 64 times in its life.
// Those moves are sequential copies, so with 100 000 timers pending the queue does far less
// waiting on memory than a heap, whose every pop follows a random path to the bottom.
//
// The entries due at the ready time are kept apart in sequence order, which is how equal
// times keep their creation order. A timer id names a slot and the slot's generation, so
// cancelling is O(1): the slot is released at once and its entry, now stale, is dropped when
// it is next looked at (or in a bulk purge). The ready time only ever moves to a live
// entry's time that is about to fire, so it never passes the clock and a timer scheduled
// "now" always fits the queue.
//
// While few timers are pending (at most kNearCapacity, with the radix queue empty) they are
// kept instead in a short array sorted latest first. A world with a handful of runs in
// flight has only a few timers, and for those an insertion into a short array and a pop from
// its end cost a fraction of filing into buckets and redistributing them; cancelling there
// removes the entry at once. When the array would overflow, its timers move to the radix
// queue, which then keeps every timer until none is live, so a queue that hovers around the
// capacity does not move timers back and forth.
//
// Sequence numbers live in 32 bits of an entry. Before they would run out (after 2^32 - 1
// schedules) the pending timers are renumbered 1..n in their firing order, which preserves
// every ordering decision, so the wrap is invisible from outside.
#include "sim/scheduler.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace wfsim::sim {
namespace {

// Stale entries are purged in one pass when they outnumber live ones by this margin, so
// schedule-then-cancel patterns (timeouts that never fire) cannot grow the queue unboundedly.
constexpr std::size_t kCompactionSlack = 1024;
constexpr std::uint64_t kLastSequence = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
// A bucket this small, when emptied, holds the next timers to fire (see redistribute).
constexpr std::size_t kSoonBucketSize = 32;

__extension__ typedef unsigned __int128 Uint128;

TimeUs saturating_add(TimeUs base_us, DurationUs delta_us) {
  if (delta_us > 0 && base_us > std::numeric_limits<TimeUs>::max() - delta_us) {
    return std::numeric_limits<TimeUs>::max();
  }
  if (delta_us < 0 && base_us < std::numeric_limits<TimeUs>::min() - delta_us) {
    return std::numeric_limits<TimeUs>::min();
  }
  return base_us + delta_us;
}

TimerId make_timer_id(std::uint32_t slot, std::uint32_t generation) {
  return (static_cast<TimerId>(generation) << 32) | slot;
}

std::uint64_t make_order(std::uint64_t sequence, std::uint32_t slot) {
  return (sequence << 32) | slot;
}

std::uint32_t slot_of(std::uint64_t order) { return static_cast<std::uint32_t>(order); }
std::uint32_t sequence_of(std::uint64_t order) { return static_cast<std::uint32_t>(order >> 32); }

int highest_bit(std::uint64_t value) { return 63 - __builtin_clzll(value); }

}  // namespace

Scheduler::Scheduler(TimeUs start_us) : now_us_(start_us), ready_key_(time_key(start_us)) {}

// Flipping the sign bit maps signed times onto unsigned keys in the same order.
inline std::uint64_t Scheduler::time_key(TimeUs time_us) {
  return static_cast<std::uint64_t>(time_us) ^ kSignBit;
}

inline TimeUs Scheduler::time_of(std::uint64_t key) { return static_cast<TimeUs>(key ^ kSignBit); }

// One 128-bit comparison of (time key, order) orders exactly like comparing time first and
// sequence second.
bool Scheduler::earlier(const Entry& a, const Entry& b) {
  const Uint128 key_a = (static_cast<Uint128>(a.time_key) << 64) | a.order;
  const Uint128 key_b = (static_cast<Uint128>(b.time_key) << 64) | b.order;
  return key_a < key_b;
}

bool Scheduler::is_live(const Entry& entry) const {
  return slots_[slot_of(entry.order)].sequence == sequence_of(entry.order);
}

TimerId Scheduler::file_timer(TimeUs when_us, std::uint32_t slot) {
  if (next_sequence_ > kLastSequence) {
    renumber();
  }
  Slot& target = slots_[slot];
  target.sequence = static_cast<std::uint32_t>(next_sequence_);
  ++live_count_;
  const Entry entry{time_key(std::max(when_us, now_us_)), make_order(next_sequence_++, slot)};
  if (entry_count_ == 0 && near_.size() < kNearCapacity) {
    insert_near(entry);
  } else {
    if (!near_.empty()) move_near_to_radix();
    ++entry_count_;
    occupied_ |= file(entry, ready_key_);
  }
  return make_timer_id(slot, target.generation);
}

TimeUs Scheduler::after_now(DurationUs delay_us) const {
  return saturating_add(now_us_, std::max<DurationUs>(delay_us, 0));
}

bool Scheduler::cancel(TimerId id) {
  const auto slot = static_cast<std::uint32_t>(id);
  const auto generation = static_cast<std::uint32_t>(id >> 32);
  if (slot >= slots_.size() || slots_[slot].sequence == 0 ||
      slots_[slot].generation != generation) {
    return false;
  }
  if (!near_.empty()) {
    remove_near(slot);
  }
  release_slot(slot);
  --live_count_;
  if (live_count_ == 0) {
    clear_radix();
  } else if (entry_count_ > 2 * live_count_ + kCompactionSlack) {
    compact();
  }
  return true;
}

std::optional<TimeUs> Scheduler::next_due() const {
  const std::optional<std::uint64_t> key = earliest_live_key();
  if (!key) {
    return std::nullopt;
  }
  return time_of(*key);
}

std::uint64_t Scheduler::advance(DurationUs d_us) {
  const TimeUs limit_us = saturating_add(now_us_, std::max<DurationUs>(d_us, 0));
  std::uint64_t fired = 0;
  TimerAction action;
  while (pop_due(limit_us, action)) {
    action();
    ++fired;
  }
  // An action that advanced the clock itself may have moved it past the limit already;
  // time never runs backwards.
  now_us_ = std::max(now_us_, limit_us);
  return fired;
}

Scheduler::IdleResult Scheduler::run_until_idle(std::uint64_t max_events, TimeUs time_limit_us) {
  IdleResult result;
  TimerAction action;
  while (result.fired < max_events && pop_due(time_limit_us, action)) {
    action();
    ++result.fired;
  }
  result.idle = live_count_ == 0;
  return result;
}

bool Scheduler::pop_due(TimeUs limit_us, TimerAction& action) {
  const std::uint64_t limit_key = time_key(limit_us);
  std::uint32_t slot = 0;
  if (!(near_.empty() ? pop_radix(limit_key, slot) : pop_near(limit_key, slot))) {
    return false;
  }
  // The action leaves its slot before it runs, so it may schedule (and grow the slot
  // vector), cancel other timers, or cancel its own id, which is then simply not pending.
  action = std::move(slots_[slot].action);
  release_slot(slot);
  --live_count_;
  now_us_ = std::max(now_us_, time_of(ready_key_));
  if (live_count_ == 0) {
    clear_radix();
  }
  return true;
}

// The ready key follows the near timers as they fire, so that it is never later than a
// pending timer when they move to the radix queue.
bool Scheduler::pop_near(std::uint64_t limit_key, std::uint32_t& slot) {
  const Entry next = near_.back();
  if (next.time_key > limit_key) {
    return false;
  }
  near_.pop_back();
  ready_key_ = next.time_key;
  slot = slot_of(next.order);
  return true;
}

bool Scheduler::pop_radix(std::uint64_t limit_key, std::uint32_t& slot) {
  const bool ready_is_live = ready_head_ < ready_.size() && !has_stale_entries();
  if (!ready_is_live && !ready_has_live() && !refill_ready(limit_key)) {
    return false;
  }
  if (ready_key_ > limit_key) {
    return false;
  }
  slot = slot_of(ready_[ready_head_++].order);
  --entry_count_;
  if (ready_head_ < ready_.size()) {
    // Timers due at one instant may be many, taken from a bucket too large to prefetch
    // (see redistribute): start loading the next one's slot while this action runs.
    __builtin_prefetch(&slots_[slot_of(ready_[ready_head_].order)]);
  }
  return true;
}

// A new timer has the highest sequence so far, so among equal times it goes last, which in
// this latest-first array is nearest the front.
void Scheduler::insert_near(const Entry& entry) {
  auto position = near_.end();
  while (position != near_.begin() && earlier(*(position - 1), entry)) {
    --position;
  }
  near_.insert(position, entry);
}

void Scheduler::remove_near(std::uint32_t slot) {
  for (auto it = near_.begin(); it != near_.end(); ++it) {
    if (slot_of(it->order) == slot) {
      near_.erase(it);
      return;
    }
  }
}

// Earliest first, so that entries due at the ready time reach the ready list in sequence
// order.
void Scheduler::move_near_to_radix() {
  std::uint64_t occupied = occupied_;
  for (auto it = near_.rbegin(); it != near_.rend(); ++it) {
    occupied |= file(*it, ready_key_);
  }
  occupied_ = occupied;
  entry_count_ += near_.size();
  near_.clear();
}

// With no timer live, whatever the radix queue still holds is cancelled: dropping it all
// lets the next timers use the near array again.
void Scheduler::clear_radix() {
  if (entry_count_ == 0) {
    return;
  }
  ready_.clear();
  ready_head_ = 0;
  while (occupied_ != 0) {
    Bucket& bucket = buckets_[static_cast<std::size_t>(__builtin_ctzll(occupied_))];
    bucket.entries.clear();
    bucket.min_key = UINT64_MAX;
    occupied_ &= occupied_ - 1;
  }
  entry_count_ = 0;
}

std::uint32_t Scheduler::take_slot() {
  if (free_slots_.empty()) {
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  const std::uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void Scheduler::release_slot(std::uint32_t slot) {
  Slot& released = slots_[slot];
  released.action = nullptr;
  released.sequence = 0;
  // Generation 0 is never handed out, so a timer id is never 0.
  released.generation = released.generation == std::numeric_limits<std::uint32_t>::max()
                            ? 1
                            : released.generation + 1;
  free_slots_.push_back(slot);
}

// Files an entry relative to `ready_key` and returns the bit of the bucket it went to, or 0
// for the ready list. The caller keeps the key and the occupied bits in registers: loaded
// from members, the compiler would reload them after every store of an entry.
inline std::uint64_t Scheduler::file(const Entry& entry, std::uint64_t ready_key) {
  const std::uint64_t difference = entry.time_key ^ ready_key;
  if (difference == 0) {
    // Nothing pending has a later sequence, so the entry belongs at the end.
    ready_.push_back(entry);
    return 0;
  }
  const int index = highest_bit(difference);
  Bucket& bucket = buckets_[static_cast<std::size_t>(index)];
  // Masks rather than branches: whether a moved entry is its bucket's smallest is a coin
  // toss the predictor would often lose.
  const std::uint64_t smallest = std::uint64_t{0} - (entry.time_key < bucket.min_key);
  bucket.min_key = (entry.time_key & smallest) | (bucket.min_key & ~smallest);
  bucket.entries.push_back(entry);
  return std::uint64_t{1} << index;
}

// Drops cancelled entries from the front of the ready list; true when a live one is left.
bool Scheduler::ready_has_live() {
  while (ready_head_ < ready_.size()) {
    if (!has_stale_entries() || is_live(ready_[ready_head_])) {
      return true;
    }
    ++ready_head_;
    --entry_count_;
  }
  ready_.clear();
  ready_head_ = 0;
  return false;
}

// With the ready list empty, moves the earliest pending time into it, unless that time is
// past `limit_key`: the ready time must never pass a time the clock has not reached.
bool Scheduler::refill_ready(std::uint64_t limit_key) {
  while (occupied_ != 0) {
    const int index = __builtin_ctzll(occupied_);
    Bucket& bucket = buckets_[static_cast<std::size_t>(index)];
    if (bucket.min_key > limit_key) {
      return false;  // min_key is never above the earliest live key
    }
    if (has_stale_entries()) {
      purge(bucket);
      if (bucket.entries.empty()) {
        occupied_ &= ~(std::uint64_t{1} << index);
        continue;
      }
      if (bucket.min_key > limit_key) {
        return false;
      }
    }
    ready_key_ = bucket.min_key;
    redistribute(index);
    return true;
  }
  return false;
}

// Empties a bucket into lower buckets and the ready list, relative to the new ready key (the
// bucket's smallest). The bucket's entries agree with that key above bit `index` and have
// that bit set, as the key does, so each lands strictly lower.
void Scheduler::redistribute(int index) {
  Bucket& bucket = buckets_[static_cast<std::size_t>(index)];
  occupied_ &= ~(std::uint64_t{1} << index);
  if (bucket.entries.size() <= kSoonBucketSize) {
    // These timers fire within the next few events, and their slots are likely cache
    // misses: loading them now hides the latency that a load at firing time would expose.
    for (const Entry& entry : bucket.entries) {
      __builtin_prefetch(&slots_[slot_of(entry.order)]);
    }
  }
  const std::uint64_t ready_key = ready_key_;
  std::uint64_t occupied = occupied_;
  for (const Entry& entry : bucket.entries) {
    occupied |= file(entry, ready_key);
  }
  occupied_ = occupied;
  bucket.entries.clear();
  bucket.min_key = UINT64_MAX;
  // The bucket held its entries in arrival order, not sequence order.
  if (ready_.size() > 1) {
    std::sort(ready_.begin(), ready_.end(),
              [](const Entry& a, const Entry& b) { return a.order < b.order; });
  }
}

void Scheduler::purge(Bucket& bucket) {
  std::vector<Entry>& entries = bucket.entries;
  const std::size_t before = entries.size();
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [this](const Entry& entry) { return !is_live(entry); }),
                entries.end());
  entry_count_ -= before - entries.size();
  bucket.min_key = UINT64_MAX;
  for (const Entry& entry : entries) {
    bucket.min_key = std::min(bucket.min_key, entry.time_key);
  }
}

void Scheduler::compact() {
  ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(ready_head_));
  ready_head_ = 0;
  const std::size_t ready_before = ready_.size();
  ready_.erase(std::remove_if(ready_.begin(), ready_.end(),
                              [this](const Entry& entry) { return !is_live(entry); }),
               ready_.end());
  entry_count_ -= ready_before - ready_.size();
  for (int index = 0; index < kBucketCount; ++index) {
    Bucket& bucket = buckets_[static_cast<std::size_t>(index)];
    purge(bucket);
    if (bucket.entries.empty()) {
      occupied_ &= ~(std::uint64_t{1} << index);
    }
  }
}

void Scheduler::renumber() {
  compact();
  std::vector<Entry*> entries;
  entries.reserve(entry_count_ + near_.size());
  for (Entry& entry : near_) {
    entries.push_back(&entry);
  }
  for (Entry& entry : ready_) {
    entries.push_back(&entry);
  }
  for (Bucket& bucket : buckets_) {
    for (Entry& entry : bucket.entries) {
      entries.push_back(&entry);
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry* a, const Entry* b) { return earlier(*a, *b); });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::uint32_t slot = slot_of(entries[i]->order);
    entries[i]->order = make_order(i + 1, slot);
    slots_[slot].sequence = static_cast<std::uint32_t>(i + 1);
  }
  next_sequence_ = entries.size() + 1;
}

// The ready list holds the earliest time, and after it the lowest bucket; cancelled entries
// are skipped, so the answer is exact.
std::optional<std::uint64_t> Scheduler::earliest_live_key() const {
  if (!near_.empty()) {
    return near_.back().time_key;
  }
  for (std::size_t i = ready_head_; i < ready_.size(); ++i) {
    if (is_live(ready_[i])) {
      return ready_key_;
    }
  }
  for (const Bucket& bucket : buckets_) {
    std::optional<std::uint64_t> earliest;
    for (const Entry& entry : bucket.entries) {
      if (is_live(entry) && (!earliest || entry.time_key < *earliest)) {
        earliest = entry.time_key;
      }
    }
    if (earliest) {
      return earliest;
    }
  }
  return std::nullopt;
}

}  // namespace wfsim::sim
