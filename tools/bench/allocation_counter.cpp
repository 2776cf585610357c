#include "tools/bench/allocation_counter.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

// Each block carries its size in a header of max_align_t size, so sized and unsized deletes
// both know what they give back.
constexpr std::size_t kHeaderBytes = alignof(std::max_align_t);
std::atomic<std::int64_t> live_bytes{0};

void* allocate(std::size_t size) {
  void* block = std::malloc(size + kHeaderBytes);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  live_bytes.fetch_add(static_cast<std::int64_t>(size), std::memory_order_relaxed);
  return static_cast<char*>(block) + kHeaderBytes;
}

void release(void* pointer) noexcept {
  if (pointer == nullptr) return;
  void* block = static_cast<char*>(pointer) - kHeaderBytes;
  live_bytes.fetch_sub(static_cast<std::int64_t>(*static_cast<std::size_t*>(block)),
                       std::memory_order_relaxed);
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* pointer) noexcept { release(pointer); }
void operator delete[](void* pointer) noexcept { release(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { release(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { release(pointer); }

namespace wfsim::bench {

std::int64_t live_heap_bytes() { return live_bytes.load(std::memory_order_relaxed); }

}  // namespace wfsim::bench
