// Pagination tokens (mwaa-serverless.md 9.4: an invalid or forged token is a validation error).
// A token is base64url(position) + "." + 16 hex digits of a keyed hash over the world secret,
// the list's scope and the position. The hash is not cryptographic; it only has to make
// tokens from another list, edited tokens and random text fail to decode in tests.
#include "models/common/pagination.hpp"

#include <array>

namespace wfsim::models {
namespace {

constexpr std::size_t kMaxTokenLength = 2048;
constexpr std::size_t kSealDigits = 16;
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kHexDigits = "0123456789abcdef";

// The splitmix64 finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class KeyedHash {
 public:
  explicit KeyedHash(std::uint64_t key) : state_(mix(key)), key_(key) {}

  // Length first, so that ("ab", "c") and ("a", "bc") never hash alike.
  void absorb(std::string_view text) {
    absorb_word(text.size());
    for (std::size_t start = 0; start < text.size(); start += 8) {
      std::uint64_t word = 0;
      for (std::size_t i = start; i < text.size() && i < start + 8; ++i) {
        word |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[i]))
                << (8 * (i - start));
      }
      absorb_word(word);
    }
  }
  std::uint64_t finish() const { return mix(state_ ^ key_); }

 private:
  void absorb_word(std::uint64_t word) { state_ = mix(state_ ^ word); }
  std::uint64_t state_;
  std::uint64_t key_;
};

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t index = kAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = ((buffer << 6) | static_cast<std::uint32_t>(index)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Only the canonical spelling is accepted (unused low bits zero), so no two token texts
  // carry the same position.
  if (base64url_encode(out) != text) return std::nullopt;
  return out;
}

std::string hex(std::uint64_t value) {
  std::string out(kSealDigits, '0');
  for (std::size_t i = kSealDigits; i-- > 0; value >>= 4) out[i] = kHexDigits[value & 0xF];
  return out;
}

std::optional<std::uint64_t> parse_hex(std::string_view text) {
  if (text.size() != kSealDigits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    const std::size_t digit = kHexDigits.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    value = (value << 4) | digit;
  }
  return value;
}

}  // namespace

std::uint64_t PageTokenCodec::seal(std::string_view scope, std::string_view position) const {
  KeyedHash hash(secret_);
  hash.absorb(scope);
  hash.absorb(position);
  return hash.finish();
}

std::string PageTokenCodec::encode(std::string_view scope, std::string_view position) const {
  return base64url_encode(position) + "." + hex(seal(scope, position));
}

std::optional<std::string> PageTokenCodec::decode(std::string_view scope,
                                                  std::string_view token) const {
  if (token.empty() || token.size() > kMaxTokenLength) return std::nullopt;
  const std::size_t dot = token.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto sealed = parse_hex(token.substr(dot + 1));
  const auto position = base64url_decode(token.substr(0, dot));
  if (!sealed || !position) return std::nullopt;
  if (*sealed != seal(scope, *position)) return std::nullopt;
  return position;
}

}  // namespace wfsim::models
