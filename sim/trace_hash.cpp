#include "sim/trace_hash.hpp"

#include <cstring>

namespace wfsim::sim {
namespace {

// `count` (at most 8) bytes as a little-endian word, missing high bytes zero.
std::uint64_t little_endian_word(const char* bytes, std::size_t count) {
  unsigned char octets[8] = {};
  std::memcpy(octets, bytes, count);
  std::uint64_t word = 0;
  for (int i = 7; i >= 0; --i) word = (word << 8) | octets[i];
  return word;
}

// For a fixed word this is a bijection of the hash (xor, multiply by an odd constant,
// xorshift), so two traces that differ in one word keep different hashes to the end.
std::uint64_t mix(std::uint64_t hash, std::uint64_t word) {
  hash = (hash ^ word) * 0x9e3779b97f4a7c15ULL;
  return hash ^ (hash >> 32);
}

}  // namespace

std::uint64_t fold_trace_line(std::uint64_t hash, std::string_view line) {
  const std::size_t whole = line.size() / 8 * 8;
  for (std::size_t i = 0; i < whole; i += 8)
    hash = mix(hash, little_endian_word(line.data() + i, 8));
  // The zero-padded tail, then the length, so that lines which differ only in trailing zero
  // bytes or in where one line ends and the next begins still hash apart.
  hash = mix(hash, little_endian_word(line.data() + whole, line.size() - whole));
  return mix(hash, line.size());
}

std::uint64_t trace_hash_of_jsonl(std::string_view text) {
  std::uint64_t hash = kTraceHashStart;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
    hash = fold_trace_line(hash, text.substr(0, length));
    text.remove_prefix(length);
  }
  return hash;
}

}  // namespace wfsim::sim
