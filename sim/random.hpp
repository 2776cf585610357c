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

std::uint64_t splitmix64(std::uint64_t& state);
// FNV-1a 64 of a name: the stable key that derives a stream from the root seed.
std::uint64_t stable_hash(std::string_view text);
// FNV-1a 64 continued from an earlier hash: stable_hash(a + b) equals
// stable_hash_continue(stable_hash(a), b). The trace chains its events with it.
std::uint64_t stable_hash_continue(std::uint64_t hash, std::string_view text);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next();  // the raw 64-bit output

  // Uniform integer in [low, high] inclusive, without modulo bias. low <= high.
  std::uint64_t uniform(std::uint64_t low, std::uint64_t high);
  std::int64_t uniform_signed(std::int64_t low, std::int64_t high);
  // True with probability ratio.numerator / ratio.denominator.
  bool chance(Ratio ratio);
  // Exponential with the given mean, computed with integer arithmetic only (a fixed
  // table of -ln(u) in 2^-32 units); the result is rounded to whole microseconds.
  DurationUs exponential(DurationUs mean_us);
  // Index in [0, n). n > 0.
  std::size_t choice(std::size_t n);

  // An independent stream named relative to this one.
  Rng child(std::string_view name) const;

 private:
  std::uint64_t state_[4];
};

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
