// Deterministic randomness: xoshiro256** seeded through splitmix64, and integer-only
// distributions of our own, so a seed gives the same numbers on every standard library.
// Streams are derived from the root seed and a stable name: adding a component never shifts
// the numbers another component draws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace wfsim::sim {

// A probability as an integer ratio, e.g. 1/20. Parsed from "1/20", "0", "1".
struct Ratio {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;  // never 0

  static std::optional<Ratio> parse(std::string_view text, std::string* error = nullptr);
  std::string to_string() const;  // "1/20"
  bool never() const { return numerator == 0; }
  bool always() const { return numerator >= denominator; }
};

// The full product of two 64-bit words, for Lemire's draws and the fixed-point exponential.
__extension__ typedef unsigned __int128 Uint128;

std::uint64_t splitmix64(std::uint64_t& state);
// FNV-1a 64 of a name: the stable key that derives a stream from the root seed.
std::uint64_t stable_hash(std::string_view text);
// FNV-1a 64 continued from an earlier hash: stable_hash(a + b) equals
// stable_hash_continue(stable_hash(a), b). The trace chains its events with it.
std::uint64_t stable_hash_continue(std::uint64_t hash, std::string_view text);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  // The raw 64-bit output. next, uniform and choice are defined below, in the header: ids
  // and behaviour draws call them per character or per attempt, and an out-of-line call
  // per draw cost more than the draw itself.
  inline std::uint64_t next();

  // Uniform integer in [low, high] inclusive, without modulo bias. low <= high.
  inline std::uint64_t uniform(std::uint64_t low, std::uint64_t high);
  std::int64_t uniform_signed(std::int64_t low, std::int64_t high);
  // True with probability ratio.numerator / ratio.denominator.
  bool chance(Ratio ratio);
  // Exponential with the given mean, computed with integer arithmetic only (a fixed
  // table of -ln(u) in 2^-32 units); the result is rounded to whole microseconds.
  DurationUs exponential(DurationUs mean_us);
  // Index in [0, n). n > 0.
  inline std::size_t choice(std::size_t n);

  // An independent stream named relative to this one.
  Rng child(std::string_view name) const;

 private:
  static std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // Lemire's rejection loop, rarely entered, so out of line: given the first draw's words,
  // the high word of the first draw that is not rejected.
  std::uint64_t redraw_below_threshold(std::uint64_t range, std::uint64_t low_word,
                                       std::uint64_t high_word);

  std::uint64_t state_[4];
};

// xoshiro256**.
std::uint64_t Rng::next() {
  const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
  const std::uint64_t shifted = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= shifted;
  state_[3] = rotate_left(state_[3], 45);
  return result;
}

std::uint64_t Rng::uniform(std::uint64_t low, std::uint64_t high) {
  if (low > high) {
    const std::uint64_t swapped = low;
    low = high;
    high = swapped;
  }
  const std::uint64_t span = high - low;
  if (span == UINT64_MAX) {
    return next();
  }
  // Lemire's multiply-and-reject: the high word of x * range is uniform once the few low
  // words below 2^64 mod range are rejected.
  const std::uint64_t range = span + 1;
  const Uint128 product = static_cast<Uint128>(next()) * range;
  std::uint64_t high_word = static_cast<std::uint64_t>(product >> 64);
  const auto low_word = static_cast<std::uint64_t>(product);
  if (low_word < range) {
    high_word = redraw_below_threshold(range, low_word, high_word);
  }
  return low + high_word;
}

std::size_t Rng::choice(std::size_t n) {
  if (n <= 1) {
    return 0;
  }
  return static_cast<std::size_t>(uniform(0, n - 1));
}

class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t root_seed) : root_seed_(root_seed) {}
  std::uint64_t root_seed() const { return root_seed_; }
  // The same name always gives the same stream for the same root seed.
  Rng stream(std::string_view name) const;

 private:
  std::uint64_t root_seed_;
};

}  // namespace wfsim::sim
