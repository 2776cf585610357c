// The bytes the benchmark process holds on the heap, read from the C library's allocator
// statistics. Used to measure what a retained completed run costs (DESIGN.md budget:
// <= 1 KiB).
#pragma once

#include <cstdint>

namespace wfsim::bench {

// Bytes currently allocated from the heap and not yet freed, allocator overhead included.
std::int64_t live_heap_bytes();

}  // namespace wfsim::bench
