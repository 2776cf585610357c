// The RunId index of a workflow (run_index.hpp). The table is at most three quarters full,
// so a probe that finds no run ends after a few slots; it doubles when it would be fuller.
// Removal shifts later entries of the same probe run back, so no tombstones pile up when
// DeleteWorkflow removes a version's runs.
#include "models/mwaa_serverless/run_index.hpp"

#include <functional>

#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

constexpr std::size_t kInitialSlots = 16;

}  // namespace

std::uint64_t RunIndex::hash_of(std::string_view id) { return std::hash<std::string_view>{}(id); }

std::size_t RunIndex::probe(std::string_view id, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t index = hash & mask;
  while (slots_[index].run != nullptr &&
         (slots_[index].hash != hash || slots_[index].run->id != id)) {
    index = (index + 1) & mask;
  }
  return index;
}

Run* RunIndex::find(std::string_view id) const {
  if (slots_.empty()) return nullptr;
  return slots_[probe(id, hash_of(id))].run;
}

std::uint64_t RunIndex::prefetch(std::string_view id) const {
  const std::uint64_t hash = hash_of(id);
  if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  return hash;
}

bool RunIndex::insert(Run& run) { return insert(run, hash_of(run.id)); }

bool RunIndex::insert(Run& run, std::uint64_t hash) {
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  Slot& slot = slots_[probe(run.id, hash)];
  if (slot.run != nullptr) return false;
  slot = {hash, &run};
  ++size_;
  return true;
}

void RunIndex::place(const Slot& slot) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t index = slot.hash & mask;
  while (slots_[index].run != nullptr) index = (index + 1) & mask;
  slots_[index] = slot;
}

void RunIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{});
  for (const Slot& slot : old) {
    if (slot.run != nullptr) place(slot);
  }
}

void RunIndex::erase(std::string_view id) {
  if (slots_.empty()) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = probe(id, hash_of(id));
  if (slots_[hole].run == nullptr) return;
  --size_;
  // Every later entry of the probe run whose home slot does not lie after the hole (going
  // round the table) would no longer be found past it, so it moves into the hole.
  for (std::size_t next = (hole + 1) & mask; slots_[next].run != nullptr;
       next = (next + 1) & mask) {
    const std::size_t home = slots_[next].hash & mask;
    const bool home_after_hole = ((home - hole - 1) & mask) < ((next - hole) & mask);
    if (home_after_hole) continue;
    slots_[hole] = slots_[next];
    hole = next;
  }
  slots_[hole] = Slot{};
}

}  // namespace wfsim::models::mwaa
