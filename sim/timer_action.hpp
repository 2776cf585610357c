// What a timer does when it fires: a move-only callable that keeps small captures inline.
//
// std::function was the action type first. Its inline buffer holds 16 bytes, and every move,
// reset and call goes through its manager function, while a simulated run schedules and fires
// a dozen timers whose lambdas capture a pointer or two. Here a capture of up to 24 bytes
// lives inline, which keeps a scheduler slot at 48 bytes. A capture that is trivially
// copyable (every pointer-and-index lambda) moves with a plain copy and needs no destructor,
// so scheduling and firing such an action makes no indirect call but the one that runs it.
// Larger or throwing-move captures go to the heap.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace wfsim::sim {

class TimerAction {
 public:
  TimerAction() noexcept = default;
  TimerAction(std::nullptr_t) noexcept {}  // NOLINT: an empty action, as with std::function

  template <class F, class Stored = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<Stored, TimerAction> &&
                                     std::is_invocable_r_v<void, Stored&>>>
  TimerAction(F&& action) {  // NOLINT: implicit, so a lambda converts as it did to std::function
    emplace<Stored>(std::forward<F>(action));
  }

  TimerAction(TimerAction&& other) noexcept { take(other); }
  TimerAction& operator=(TimerAction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  TimerAction& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  TimerAction(const TimerAction&) = delete;
  TimerAction& operator=(const TimerAction&) = delete;
  ~TimerAction() { reset(); }

  // Replaces the action with `action`, built in place (the scheduler builds each timer's
  // action in its slot this way, with no move at all).
  template <class F>
  void assign(F&& action) {
    using Stored = std::decay_t<F>;
    if constexpr (std::is_same_v<Stored, TimerAction>) {
      *this = std::forward<F>(action);
    } else {
      reset();
      emplace<Stored>(std::forward<F>(action));
    }
  }

  explicit operator bool() const noexcept { return invoke_ != nullptr; }
  // Runs the action; it must not be empty.
  void operator()() { invoke_(storage_); }

  void reset() noexcept {
    if (manage_ != nullptr) manage_(Operation::destroy, storage_, nullptr);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

 private:
  static constexpr std::size_t kInlineBytes = 24;
  enum class Operation { move_to, destroy };
  using Invoker = void (*)(void* storage);
  // Null for an inline action that is trivially copyable: moved by copying its bytes.
  using Manager = void (*)(Operation operation, void* storage, void* target);

  template <class Stored>
  static constexpr bool kFitsInline = sizeof(Stored) <= kInlineBytes &&
                                      alignof(Stored) <= alignof(void*) &&
                                      std::is_nothrow_move_constructible_v<Stored>;

  template <class Stored, class F>
  void emplace(F&& action) {
    if constexpr (kFitsInline<Stored>) {
      ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(action));
      invoke_ = [](void* storage) { (*std::launder(static_cast<Stored*>(storage)))(); };
      if constexpr (!std::is_trivially_copyable_v<Stored>) {
        manage_ = [](Operation operation, void* storage, void* target) {
          Stored* stored = std::launder(static_cast<Stored*>(storage));
          if (operation == Operation::move_to) ::new (target) Stored(std::move(*stored));
          stored->~Stored();
        };
      }
    } else {
      ::new (static_cast<void*>(storage_)) Stored*(new Stored(std::forward<F>(action)));
      invoke_ = [](void* storage) { (**std::launder(static_cast<Stored**>(storage)))(); };
      manage_ = [](Operation operation, void* storage, void* target) {
        Stored* stored = *std::launder(static_cast<Stored**>(storage));
        if (operation == Operation::move_to) {
          ::new (target) Stored*(stored);
        } else {
          delete stored;
        }
      };
    }
  }

  void take(TimerAction& other) noexcept {
    invoke_ = other.invoke_;
    manage_ = other.manage_;
    if (manage_ != nullptr) {
      manage_(Operation::move_to, other.storage_, storage_);
    } else if (invoke_ != nullptr) {
      std::memcpy(storage_, other.storage_, kInlineBytes);
    }
    other.invoke_ = nullptr;
    other.manage_ = nullptr;
  }

  alignas(void*) unsigned char storage_[kInlineBytes];
  Invoker invoke_ = nullptr;
  Manager manage_ = nullptr;
};

}  // namespace wfsim::sim
