// Deterministic randomness. Every distribution here is integer arithmetic on the raw
// xoshiro256** output, so the same seed yields the same values with any compiler or standard
// library; nothing calls <cmath> or a std::*_distribution.
#include "sim/random.hpp"

#include <limits>
#include <utility>

namespace wfsim::sim {
namespace {

constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
// ln 2 in units of 2^-64, rounded to nearest.
constexpr std::uint64_t kLn2Q64 = 0xb17217f7d1cf79acULL;
// Bits of log2 precision computed for exponential(): 2^-32 is far finer than a microsecond
// at any mean a simulation uses.
constexpr int kLogFractionBits = 32;

void set_error(std::string* error, std::string message) {
  if (error != nullptr) {
    *error = std::move(message);
  }
}

// Parses a run of decimal digits into an unsigned 64-bit value; nullopt on overflow or
// non-digits.
std::optional<std::uint64_t> parse_unsigned(std::string_view digits) {
  if (digits.empty()) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

int highest_bit(std::uint64_t value) { return 63 - __builtin_clzll(value); }

// log2(m) for m >= 1 in units of 2^-kLogFractionBits. The integer part is the highest set
// bit; each fraction bit comes from squaring the mantissa (a Q2.62 number in [1, 2)): if the
// square reaches 2, the bit is one and the square is halved.
std::uint64_t log2_fixed(std::uint64_t m) {
  const int whole = highest_bit(m);
  std::uint64_t mantissa = whole <= 62 ? m << (62 - whole) : m >> (whole - 62);
  std::uint64_t fraction = 0;
  for (int bit = 0; bit < kLogFractionBits; ++bit) {
    mantissa = static_cast<std::uint64_t>((static_cast<Uint128>(mantissa) * mantissa) >> 62);
    fraction <<= 1;
    if (mantissa >= (std::uint64_t{1} << 63)) {
      mantissa >>= 1;
      fraction |= 1;
    }
  }
  return (static_cast<std::uint64_t>(whole) << kLogFractionBits) | fraction;
}

}  // namespace

std::optional<Ratio> Ratio::parse(std::string_view text, std::string* error) {
  const std::size_t slash = text.find('/');
  const std::string_view numerator_text = text.substr(0, slash);
  const std::string_view denominator_text =
      slash == std::string_view::npos ? std::string_view("1") : text.substr(slash + 1);
  const auto numerator = parse_unsigned(numerator_text);
  const auto denominator = parse_unsigned(denominator_text);
  const std::string shown = "'" + std::string(text) + "'";
  if (!numerator || !denominator) {
    set_error(error,
              "invalid probability " + shown +
                  ": expected a ratio of non-negative integers such as \"1/20\", \"0\" or \"1\"");
    return std::nullopt;
  }
  if (*denominator == 0) {
    set_error(error, "invalid probability " + shown + ": the denominator must not be 0");
    return std::nullopt;
  }
  if (*numerator > *denominator) {
    set_error(error, "invalid probability " + shown + ": a probability cannot exceed 1");
    return std::nullopt;
  }
  return Ratio{*numerator, *denominator};
}

std::string Ratio::to_string() const {
  return std::to_string(numerator) + "/" + std::to_string(denominator);
}

std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t stable_hash(std::string_view text) {
  return stable_hash_continue(kFnvOffsetBasis, text);
}

std::uint64_t stable_hash_continue(std::uint64_t hash, std::string_view text) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

Rng::Rng(std::uint64_t seed) {
  // Four consecutive splitmix64 outputs are distinct, so the state is never all zero.
  std::uint64_t mixer = seed;
  for (std::uint64_t& word : state_) {
    word = splitmix64(mixer);
  }
}

std::uint64_t Rng::redraw_below_threshold(std::uint64_t range, std::uint64_t low_word,
                                          std::uint64_t high_word) {
  const std::uint64_t threshold = (0 - range) % range;
  while (low_word < threshold) {
    const Uint128 product = static_cast<Uint128>(next()) * range;
    low_word = static_cast<std::uint64_t>(product);
    high_word = static_cast<std::uint64_t>(product >> 64);
  }
  return high_word;
}

std::int64_t Rng::uniform_signed(std::int64_t low, std::int64_t high) {
  if (low > high) {
    std::swap(low, high);
  }
  // Offsets from `low` are done in unsigned arithmetic, where wrapping is defined.
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t offset = uniform(0, span);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
}

bool Rng::chance(Ratio ratio) {
  // Certain outcomes draw nothing, so a 0 or 1 probability never moves the stream.
  if (ratio.never()) {
    return false;
  }
  if (ratio.always()) {
    return true;
  }
  return uniform(0, ratio.denominator - 1) < ratio.numerator;
}

DurationUs Rng::exponential(DurationUs mean_us) {
  if (mean_us <= 0) {
    return 0;
  }
  // u = m / 2^63 with m uniform in [1, 2^63], so -log2(u) = 63 - log2(m) is never negative.
  const std::uint64_t m = (next() >> 1) + 1;
  const std::uint64_t minus_log2_u = (std::uint64_t{63} << kLogFractionBits) - log2_fixed(m);
  // -ln(u) = -log2(u) * ln 2, kept in units of 2^-kLogFractionBits.
  const auto minus_ln_u =
      static_cast<std::uint64_t>((static_cast<Uint128>(minus_log2_u) * kLn2Q64) >> 64);
  const Uint128 scaled =
      static_cast<Uint128>(mean_us) * minus_ln_u + (Uint128{1} << (kLogFractionBits - 1));
  const Uint128 result = scaled >> kLogFractionBits;
  if (result > static_cast<Uint128>(std::numeric_limits<DurationUs>::max())) {
    return std::numeric_limits<DurationUs>::max();
  }
  return static_cast<DurationUs>(result);
}

Rng Rng::child(std::string_view name) const {
  // Each state word is folded into the name's hash through splitmix64, so children of equal
  // parents with equal names agree, and any difference in either gives a different stream.
  std::uint64_t mixer = stable_hash(name);
  std::uint64_t seed = 0;
  for (std::uint64_t word : state_) {
    mixer ^= word;
    seed ^= splitmix64(mixer);
  }
  return Rng(seed);
}

Rng RandomStreams::stream(std::string_view name) const {
  std::uint64_t name_mixer = stable_hash(name);
  std::uint64_t mixer = root_seed_ ^ splitmix64(name_mixer);
  return Rng(splitmix64(mixer));
}

}  // namespace wfsim::sim
