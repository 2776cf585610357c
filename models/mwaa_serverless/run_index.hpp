// The runs of one workflow by RunId, for GetWorkflowRun, StopWorkflowRun and the task
// instance operations. Every run is added once, and a workflow keeps all its completed runs,
// so the index grows by one entry per run for as long as the workflow lives; a node-based
// hash map cost an allocation and some 70 bytes per entry. This is an open-addressing table
// (linear probing) of run pointers with their hashes beside them, so a probe compares a
// hash before it reads a run's id. It is never iterated, so nothing depends on its order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wfsim::models::mwaa {

struct Run;

class RunIndex {
 public:
  // The run with this id, or nullptr.
  Run* find(std::string_view id) const;
  // Adds `run` under run.id; false, and nothing changes, when another run has that id.
  bool insert(Run& run);
  // The table outgrows the cache once a workflow has many runs, so the probe of a new id
  // is a cache miss. prefetch() returns the id's hash and starts loading the slot where its
  // probe begins; a caller with other work to do before insert(run, hash) hides the miss.
  std::uint64_t prefetch(std::string_view id) const;
  bool insert(Run& run, std::uint64_t hash);  // hash: prefetch(run.id)
  // Removes the run with this id; nothing happens when there is none.
  void erase(std::string_view id);
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    Run* run = nullptr;  // nullptr: empty
  };

  static std::uint64_t hash_of(std::string_view id);
  // The slot holding `id`, or the empty slot where the probe for it ended.
  std::size_t probe(std::string_view id, std::uint64_t hash) const;
  // Puts an entry whose id is not in the table into the first free slot of its probe.
  void place(const Slot& slot);
  void grow();

  std::vector<Slot> slots_;  // empty, or a power of two in size
  std::size_t size_ = 0;
};

}  // namespace wfsim::models::mwaa
