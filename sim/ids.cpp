// Identifiers drawn from a seeded stream, so the same seed names everything the same way.
#include "sim/ids.hpp"

#include <cstdint>

namespace wfsim::sim {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kLowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

std::string IdGenerator::uuid4() {
  std::uint8_t bytes[16];
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng_.next();
    for (int i = 0; i < 8; ++i) {
      bytes[half * 8 + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    }
  }
  // RFC 4122: version 4 in the high nibble of byte 6, variant 10xx in the top bits of byte 8.
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += kHexDigits[bytes[i] >> 4];
    text += kHexDigits[bytes[i] & 0x0f];
  }
  return text;
}

std::string IdGenerator::alphanumeric(std::size_t n) { return from_alphabet(kAlphanumeric, n); }

std::string IdGenerator::lower_alphanumeric(std::size_t n) {
  return from_alphabet(kLowerAlphanumeric, n);
}

std::string IdGenerator::hex(std::size_t n) { return from_alphabet(kHexDigits, n); }

std::string IdGenerator::digits(std::size_t n) { return from_alphabet(kDigits, n); }

std::string IdGenerator::from_alphabet(std::string_view alphabet, std::size_t n) {
  std::string text(n, '\0');
  // The draws run on a local copy of the stream: stores of chars may alias anything, so
  // with the member the compiler would reload and store its state around every character.
  Rng stream = rng_;
  for (char& c : text) {
    c = alphabet[stream.choice(alphabet.size())];
  }
  rng_ = stream;
  return text;
}

}  // namespace wfsim::sim
