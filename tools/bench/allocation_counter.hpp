// Counts the bytes the benchmark process holds on the heap, by replacing the global
// operator new and delete in the benchmark executable only. Used to measure what a retained
// completed run costs (DESIGN.md budget: <= 1 KiB).
#pragma once

#include <cstdint>

namespace wfsim::bench {

// Bytes currently allocated through operator new and not yet freed.
std::int64_t live_heap_bytes();

}  // namespace wfsim::bench
