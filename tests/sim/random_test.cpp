#include "sim/random.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <vector>

namespace {

using namespace wfsim::sim;

// The golden values below were computed by an independent reference implementation of
// splitmix64, xoshiro256** and the distributions; a change of algorithm breaks them.
TEST(Random, Splitmix64MatchesItsPublishedFirstOutput) {
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(state, 0x9e3779b97f4a7c15ULL);
}

TEST(Random, Seed42RawOutputsArePinned) {
  Rng rng(42);
  EXPECT_EQ(rng.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(rng.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(rng.next(), 0xae17533239e499a1ULL);
  EXPECT_EQ(rng.next(), 0xecb8ad4703b360a1ULL);
}

TEST(Random, Seed42DiceRollsArePinned) {
  Rng rng(42);
  std::vector<std::uint64_t> rolls;
  for (int i = 0; i < 10; ++i) rolls.push_back(rng.uniform(1, 6));
  EXPECT_EQ(rolls, (std::vector<std::uint64_t>{1, 3, 5, 6, 6, 5, 5, 6, 5, 4}));
}

TEST(Random, Seed42ExponentialDrawsArePinned) {
  Rng rng(42);
  std::vector<DurationUs> draws;
  for (int i = 0; i < 5; ++i) draws.push_back(rng.exponential(1'000'000));
  EXPECT_EQ(draws, (std::vector<DurationUs>{2478571, 970271, 385599, 78294, 8230}));
}

TEST(Random, StableHashIsFnv1a64) {
  EXPECT_EQ(stable_hash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stable_hash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(stable_hash("foobar"), 0x85944171f73967e8ULL);
}

TEST(Random, UniformBucketsPassAChiSquareCheck) {
  Rng rng(7);
  constexpr int kBuckets = 10;
  constexpr int kDraws = 100'000;
  std::array<int, kBuckets> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[rng.uniform(0, kBuckets - 1)];
  const double expected = static_cast<double>(kDraws) / kBuckets;
  double chi_square = 0;
  for (int count : counts) chi_square += (count - expected) * (count - expected) / expected;
  EXPECT_LT(chi_square, 27.88);  // 9 degrees of freedom, p = 0.001
}

TEST(Random, SmallRangesAreUnbiased) {
  Rng rng(11);
  std::array<int, 3> counts{};
  for (int i = 0; i < 300'000; ++i) ++counts[rng.uniform(0, 2)];
  for (int count : counts) EXPECT_NEAR(count, 100'000, 1'000);
}

// A range of 3 * 2^62 values: reducing a 64-bit draw modulo the range would return values
// below 2^62 half of the time instead of a third.
TEST(Random, LargeRangesHaveNoModuloBias) {
  Rng rng(13);
  const std::uint64_t range_high = 3 * (std::uint64_t{1} << 62) - 1;
  int low_quarter = 0;
  constexpr int kDraws = 60'000;
  for (int i = 0; i < kDraws; ++i)
    low_quarter += rng.uniform(0, range_high) < (std::uint64_t{1} << 62);
  EXPECT_NEAR(low_quarter, kDraws / 3, 600);
}

TEST(Random, UniformEdgeCases) {
  Rng rng(3);
  EXPECT_EQ(rng.uniform(5, 5), 5u);
  Rng copy(3);
  EXPECT_EQ(Rng(3).uniform(0, UINT64_MAX), copy.next());
  bool seen[7] = {};
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t value = rng.uniform_signed(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen[value + 3] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);
  for (int i = 0; i < 100; ++i) {
    const std::int64_t value = rng.uniform_signed(INT64_MIN, INT64_MIN + 1);
    EXPECT_TRUE(value == INT64_MIN || value == INT64_MIN + 1);
  }
  const std::uint64_t reversed = rng.uniform(9, 2);  // reversed bounds are swapped, not a crash
  EXPECT_GE(reversed, 2u);
  EXPECT_LE(reversed, 9u);
  EXPECT_EQ(rng.choice(1), 0u);
  EXPECT_EQ(rng.choice(0), 0u);
}

RC_GTEST_PROP(Random, UniformStaysInRange, (std::uint64_t seed, std::uint64_t a, std::uint64_t b)) {
  Rng rng(seed);
  const std::uint64_t low = std::min(a, b);
  const std::uint64_t high = std::max(a, b);
  const std::uint64_t value = rng.uniform(low, high);
  RC_ASSERT(value >= low);
  RC_ASSERT(value <= high);
}

TEST(Random, ChanceOfOneQuarterHasTheRightFrequency) {
  Rng rng(42);
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) hits += rng.chance({1, 4});
  EXPECT_NEAR(hits, 25'000, 500);
}

TEST(Random, CertainChancesDoNotDraw) {
  Rng rng(5);
  Rng untouched(5);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(rng.chance({0, 7}));
    EXPECT_TRUE(rng.chance({7, 7}));
  }
  EXPECT_EQ(rng.next(), untouched.next());
}

TEST(Random, ExponentialHasTheRightMeanAndTail) {
  Rng rng(99);
  constexpr int kDraws = 200'000;
  constexpr DurationUs kMeanUs = 1'000'000;
  double sum = 0;
  int above_mean = 0;
  for (int i = 0; i < kDraws; ++i) {
    const DurationUs value = rng.exponential(kMeanUs);
    ASSERT_GE(value, 0);
    sum += static_cast<double>(value);
    above_mean += value > kMeanUs;
  }
  EXPECT_NEAR(sum / kDraws, kMeanUs, kMeanUs / 100);
  EXPECT_NEAR(static_cast<double>(above_mean) / kDraws, 0.3679, 0.005);  // e^-1
  EXPECT_EQ(rng.exponential(0), 0);
  EXPECT_EQ(rng.exponential(-5), 0);
}

TEST(Ratio, ParsesRatiosAndCertainties) {
  const auto twentieth = Ratio::parse("1/20");
  ASSERT_TRUE(twentieth);
  EXPECT_EQ(twentieth->numerator, 1u);
  EXPECT_EQ(twentieth->denominator, 20u);
  EXPECT_EQ(twentieth->to_string(), "1/20");
  EXPECT_TRUE(Ratio::parse("0")->never());
  EXPECT_TRUE(Ratio::parse("1")->always());
  EXPECT_EQ(Ratio::parse("3/4")->to_string(), "3/4");
  EXPECT_TRUE(Ratio::parse("4/4")->always());
}

TEST(Ratio, RejectsBadTextWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"1/0", "denominator must not be 0"},
      {"5/4", "cannot exceed 1"},
      {"2", "cannot exceed 1"},
      {"-1/2", "non-negative integers"},
      {"1/-2", "non-negative integers"},
      {"", "non-negative integers"},
      {"0.5", "non-negative integers"},
      {"1/2/3", "non-negative integers"},
      {" 1/2", "non-negative integers"},
      {"1/", "non-negative integers"},
      {"99999999999999999999/1", "non-negative integers"},
  };
  for (const auto& [text, reason] : cases) {
    std::string error;
    EXPECT_FALSE(Ratio::parse(text, &error)) << text;
    EXPECT_NE(error.find(reason), std::string::npos) << text << " -> " << error;
  }
}

TEST(Streams, TheSameNameGivesTheSameStream) {
  const RandomStreams streams(42);
  Rng first = streams.stream("glue/durations");
  Rng again = streams.stream("glue/durations");
  Rng other = streams.stream("glue/ids");
  Rng other_root = RandomStreams(43).stream("glue/durations");
  const std::uint64_t value = first.next();
  EXPECT_EQ(value, again.next());
  EXPECT_NE(value, other.next());
  EXPECT_NE(value, other_root.next());
}

TEST(Streams, ChildrenDependOnParentAndName) {
  Rng parent(42);
  Rng child_a = parent.child("a");
  Rng child_a_again = parent.child("a");
  Rng child_b = parent.child("b");
  const std::uint64_t value = child_a.next();
  EXPECT_EQ(value, child_a_again.next());
  EXPECT_NE(value, child_b.next());
  Rng untouched(42);
  EXPECT_EQ(parent.next(), untouched.next());  // deriving a child draws nothing
  EXPECT_NE(parent.child("a").next(), value);  // the parent moved on, so the child differs
}

}  // namespace
