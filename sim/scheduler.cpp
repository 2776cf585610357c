// The scheduler: a 4-ary min-heap of 16-byte entries ordered by (time, sequence), with the
// actions kept apart in a slot vector, so the heap stays small and cache-friendly. A timer id
// names a slot and the slot's generation, so cancelling is O(1): the slot is released at once
// and its heap entry, now stale, is dropped when it reaches the top (or in a bulk purge). The
// heap top is always a live entry, which keeps next_due() exact.
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

constexpr std::size_t kArity = 4;
// Stale entries are purged in one pass when they outnumber live ones by this margin, so
// schedule-then-cancel patterns (timeouts that never fire) cannot grow the heap unboundedly.
constexpr std::size_t kCompactionSlack = 1024;
constexpr std::uint64_t kLastSequence = std::numeric_limits<std::uint32_t>::max();

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

}  // namespace

Scheduler::Scheduler(TimeUs start_us) : now_us_(start_us) {}

// One 128-bit comparison of (time with its sign bit flipped, order) is branch-free and
// orders exactly like comparing time first and sequence second.
bool Scheduler::earlier(const Entry& a, const Entry& b) {
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  const Uint128 key_a =
      (static_cast<Uint128>(static_cast<std::uint64_t>(a.when_us) ^ kSignBit) << 64) | a.order;
  const Uint128 key_b =
      (static_cast<Uint128>(static_cast<std::uint64_t>(b.when_us) ^ kSignBit) << 64) | b.order;
  return key_a < key_b;
}

bool Scheduler::is_live(const Entry& entry) const {
  return slots_[slot_of(entry.order)].sequence == sequence_of(entry.order);
}

TimerId Scheduler::schedule_at(TimeUs when_us, TimerAction action) {
  if (next_sequence_ > kLastSequence) {
    renumber();
  }
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& target = slots_[slot];
  target.action = std::move(action);
  target.sequence = static_cast<std::uint32_t>(next_sequence_);
  ++live_count_;
  heap_push(Entry{std::max(when_us, now_us_), make_order(next_sequence_++, slot)});
  return make_timer_id(slot, target.generation);
}

TimerId Scheduler::schedule_after(DurationUs delay_us, TimerAction action) {
  return schedule_at(saturating_add(now_us_, std::max<DurationUs>(delay_us, 0)), std::move(action));
}

bool Scheduler::cancel(TimerId id) {
  const auto slot = static_cast<std::uint32_t>(id);
  const auto generation = static_cast<std::uint32_t>(id >> 32);
  if (slot >= slots_.size() || slots_[slot].sequence == 0 ||
      slots_[slot].generation != generation) {
    return false;
  }
  release_slot(slot);
  --live_count_;
  drop_stale_top();
  if (heap_.size() > 2 * live_count_ + kCompactionSlack) {
    compact();
  }
  return true;
}

std::optional<TimeUs> Scheduler::next_due() const {
  if (heap_.empty()) {
    return std::nullopt;
  }
  return heap_.front().when_us;
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
  if (heap_.empty() || heap_.front().when_us > limit_us) {
    return false;
  }
  const Entry top = heap_.front();
  heap_pop();
  // The action leaves its slot before it runs, so it may schedule (and grow the slot
  // vector), cancel other timers, or cancel its own id, which is then simply not pending.
  const std::uint32_t slot = slot_of(top.order);
  action = std::move(slots_[slot].action);
  release_slot(slot);
  --live_count_;
  drop_stale_top();
  if (!heap_.empty()) {
    // The next timer's slot is a likely cache miss; start loading it while this action runs.
    __builtin_prefetch(&slots_[slot_of(heap_.front().order)]);
  }
  now_us_ = std::max(now_us_, top.when_us);
  return true;
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

void Scheduler::drop_stale_top() {
  // Every pending timer has exactly one entry, so equal counts mean nothing is stale.
  while (heap_.size() != live_count_ && !is_live(heap_.front())) {
    heap_pop();
  }
}

void Scheduler::compact() {
  heap_.erase(std::remove_if(heap_.begin(), heap_.end(),
                             [this](const Entry& entry) { return !is_live(entry); }),
              heap_.end());
  if (heap_.size() < 2) {
    return;
  }
  for (std::size_t parent = (heap_.size() - 2) / kArity + 1; parent > 0; --parent) {
    sift_down(parent - 1);
  }
}

void Scheduler::renumber() {
  compact();
  std::sort(heap_.begin(), heap_.end(), earlier);  // a sorted array is a valid heap
  for (std::size_t i = 0; i < heap_.size(); ++i) {
    const std::uint32_t slot = slot_of(heap_[i].order);
    heap_[i].order = make_order(i + 1, slot);
    slots_[slot].sequence = static_cast<std::uint32_t>(i + 1);
  }
  next_sequence_ = heap_.size() + 1;
}

void Scheduler::heap_push(const Entry& entry) {
  // Move parents down into the hole instead of swapping, then drop the entry in once.
  heap_.push_back(entry);
  Entry* base = heap_.data();
  std::size_t hole = heap_.size() - 1;
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!earlier(entry, base[parent])) {
      break;
    }
    base[hole] = base[parent];
    hole = parent;
  }
  base[hole] = entry;
}

void Scheduler::heap_pop() {
  const Entry last = heap_.back();
  heap_.pop_back();
  if (heap_.empty()) {
    return;
  }
  heap_.front() = last;
  sift_down(0);
}

std::size_t Scheduler::smallest_child(std::size_t first_child) const {
  const Entry* base = heap_.data();
  const std::size_t size = heap_.size();
  if (first_child + kArity <= size) {
    // All four children exist: a two-round tournament the compiler does without branches.
    const std::size_t left =
        earlier(base[first_child + 1], base[first_child]) ? first_child + 1 : first_child;
    const std::size_t right =
        earlier(base[first_child + 3], base[first_child + 2]) ? first_child + 3 : first_child + 2;
    return earlier(base[right], base[left]) ? right : left;
  }
  std::size_t best = first_child;
  for (std::size_t child = first_child + 1; child < size; ++child) {
    if (earlier(base[child], base[best])) {
      best = child;
    }
  }
  return best;
}

void Scheduler::sift_down(std::size_t hole) {
  Entry* base = heap_.data();
  const Entry moving = base[hole];
  const std::size_t size = heap_.size();
  while (hole * kArity + 1 < size) {
    const std::size_t first_child = hole * kArity + 1;
    // The sixteen grandchildren are contiguous (256 bytes): loading them now overlaps
    // the next level's memory latency with this level's comparisons.
    const std::size_t first_grandchild = first_child * kArity + 1;
    for (std::size_t offset = 0; offset < kArity * kArity && first_grandchild + offset < size;
         offset += kArity) {
      __builtin_prefetch(base + first_grandchild + offset);
    }
    const std::size_t best = smallest_child(first_child);
    if (!earlier(base[best], moving)) {
      break;
    }
    base[hole] = base[best];
    hole = best;
  }
  base[hole] = moving;
}

}  // namespace wfsim::sim
