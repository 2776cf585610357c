// Storage for the lifecycle machines of run_machine.cpp and task_machine.cpp. Every run makes
// one run machine and one task machine per task instance, and drops each as soon as it is
// terminal, so machines are made and freed as fast as runs progress. A freed block is kept
// on a free list of its thread and handed to the next machine of the same type instead of
// going back to the heap; a list never holds more blocks than were alive at once on its
// thread, and gives them back to the heap when the thread ends.
#pragma once

#include <cstddef>
#include <new>

namespace wfsim::models::mwaa {

template <class Machine>
class MachinePool {
 public:
  static void* allocate() {
    static_assert(alignof(Block) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                  "blocks come from the global operator new");
    FreeList& list = free_list();
    if (list.head == nullptr) return ::operator new(sizeof(Block));
    Block* block = list.head;
    list.head = block->next;
    return block;
  }

  static void release(void* memory) noexcept {
    FreeList& list = free_list();
    Block* block = static_cast<Block*>(memory);
    block->next = list.head;
    list.head = block;
  }

 private:
  union Block {
    Block* next;
    alignas(Machine) unsigned char bytes[sizeof(Machine)];
  };

  struct FreeList {
    Block* head = nullptr;

    FreeList() = default;
    FreeList(const FreeList&) = delete;
    FreeList& operator=(const FreeList&) = delete;
    ~FreeList() {
      while (head != nullptr) {
        Block* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  };

  static FreeList& free_list() {
    // Per thread, so worlds on different threads (tests, a fuzzer) never share a list.
    thread_local FreeList list;
    return list;
  }
};

}  // namespace wfsim::models::mwaa
