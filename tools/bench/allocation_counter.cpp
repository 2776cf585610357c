#include "tools/bench/allocation_counter.hpp"

#include <malloc.h>

namespace wfsim::bench {

// glibc's own totals: bytes in chunks handed out from the arenas plus bytes in chunks it
// mapped directly. Reading them costs nothing per allocation, unlike replacing operator new,
// whose bookkeeping (a size header and an atomic add per call) made the measured service
// slower and its blocks larger than they are. The figure includes malloc's chunk headers and
// rounding, which a retained run really does cost.
std::int64_t live_heap_bytes() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
}

}  // namespace wfsim::bench
