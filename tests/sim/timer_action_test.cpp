#include "sim/timer_action.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <utility>

namespace {

using wfsim::sim::TimerAction;

// Counts the live copies of a capture, so a test sees every construction and destruction.
struct Tracked {
  explicit Tracked(int* live) : live(live) { ++*live; }
  Tracked(const Tracked& other) : live(other.live) { ++*live; }
  Tracked(Tracked&& other) noexcept : live(other.live) { ++*live; }
  ~Tracked() { --*live; }
  int* live;
};

TEST(TimerAction, ASmallTriviallyCopyableCaptureRunsAfterMoves) {
  int fired = 0;
  int* target = &fired;
  TimerAction first = [target, step = 3] { *target += step; };
  TimerAction second = std::move(first);
  EXPECT_FALSE(first);  // NOLINT(bugprone-use-after-move): a moved-from action is empty
  ASSERT_TRUE(second);
  TimerAction third;
  third = std::move(second);
  third();
  third();
  EXPECT_EQ(fired, 6);
}

TEST(TimerAction, AnInlineCaptureWithADestructorIsMovedAndDestroyedOnce) {
  int live = 0;
  int fired = 0;
  {
    TimerAction action = [tracked = Tracked(&live), &fired] { ++fired; };
    EXPECT_EQ(live, 1);
    TimerAction moved = std::move(action);
    EXPECT_EQ(live, 1);
    moved();
    moved.reset();
    EXPECT_EQ(live, 0);
    EXPECT_FALSE(moved);
  }
  EXPECT_EQ(live, 0);
  EXPECT_EQ(fired, 1);
}

TEST(TimerAction, ALargeCaptureGoesToTheHeapAndIsFreedOnce) {
  int live = 0;
  std::array<std::uint64_t, 8> payload{};
  payload[7] = 41;
  std::uint64_t seen = 0;
  {
    TimerAction action = [payload, tracked = Tracked(&live), &seen] { seen = payload[7] + 1; };
    TimerAction moved = std::move(action);
    EXPECT_EQ(live, 1);  // the heap copy moved by pointer, not copied
    moved();
    TimerAction assigned = [] {};
    assigned = std::move(moved);
    assigned();
  }
  EXPECT_EQ(live, 0);
  EXPECT_EQ(seen, 42u);
}

TEST(TimerAction, AssigningNullOrAnotherActionReleasesTheOldCapture) {
  int live = 0;
  TimerAction action = [tracked = Tracked(&live), text = std::string(40, 'x')] {};
  EXPECT_EQ(live, 1);
  action = nullptr;
  EXPECT_EQ(live, 0);
  action = [tracked = Tracked(&live)] {};
  action = [] {};
  EXPECT_EQ(live, 0);
  EXPECT_TRUE(action);
}

TEST(TimerAction, AMoveOnlyCaptureIsAccepted) {
  auto owned = std::make_unique<int>(5);
  int seen = 0;
  TimerAction action = [owned = std::move(owned), &seen] { seen = *owned; };
  TimerAction moved = std::move(action);
  moved();
  EXPECT_EQ(seen, 5);
}

}  // namespace
