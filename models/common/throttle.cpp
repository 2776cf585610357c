// Token-bucket throttling on the virtual clock (DESIGN.md: off unless configured). Choices:
// - Each operation has its own bucket; a "*" entry gives the options for every operation
//   without its own entry, and each such operation still gets a bucket of its own.
// - A bucket starts full and refills continuously; the count is kept in micro-tokens so that
//   refill and the wait until the next token are exact integers.
// - Options of zero would mean "never refill" or "never hold a token"; the bucket raises them
//   to one, and from_json rejects them with a message.
#include "models/common/throttle.hpp"

#include <algorithm>

namespace wfsim::models {
namespace {

constexpr std::uint64_t kMicroTokensPerToken = 1'000'000;
// Bounds that keep every micro-token product far inside 64 bits.
constexpr std::uint64_t kMaxOption = 1'000'000'000;

TokenBucketOptions bounded(TokenBucketOptions options) {
  options.requests_per_second =
      std::clamp<std::uint64_t>(options.requests_per_second, 1, kMaxOption);
  options.burst = std::clamp<std::uint64_t>(options.burst, 1, kMaxOption);
  return options;
}

std::optional<std::uint64_t> option_value(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number >= 1 && number <= kMaxOption) return number;
  } else if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    if (number >= 1 && number <= static_cast<std::int64_t>(kMaxOption)) {
      return static_cast<std::uint64_t>(number);
    }
  }
  return std::nullopt;
}

bool read_option(const nlohmann::json& value, const std::string& path, std::uint64_t* out,
                 std::string* error) {
  const auto number = option_value(value);
  if (!number) {
    if (error != nullptr) {
      *error = path + ": must be an integer from 1 to " + std::to_string(kMaxOption) + ", got " +
               value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return false;
  }
  *out = *number;
  return true;
}

std::optional<TokenBucketOptions> options_from_json(const nlohmann::json& json,
                                                    const std::string& path, std::string* error) {
  if (!json.is_object()) {
    if (error != nullptr) *error = path + ": must be an object";
    return std::nullopt;
  }
  TokenBucketOptions options;
  for (const auto& [name, value] : json.items()) {
    const std::string member_path = path + "." + name;
    bool ok = false;
    if (name == "requests_per_second") {
      ok = read_option(value, member_path, &options.requests_per_second, error);
    } else if (name == "burst") {
      ok = read_option(value, member_path, &options.burst, error);
    } else if (error != nullptr) {
      *error = member_path + ": unknown member (expected requests_per_second or burst)";
    }
    if (!ok) return std::nullopt;
  }
  return options;
}

}  // namespace

TokenBucket::TokenBucket(TokenBucketOptions options, sim::TimeUs now_us)
    : options_(bounded(options)),
      micro_tokens_(options_.burst * kMicroTokensPerToken),
      last_refill_us_(now_us) {}

void TokenBucket::refill(sim::TimeUs now_us) {
  if (now_us <= last_refill_us_) return;
  const auto elapsed_us = static_cast<std::uint64_t>(now_us - last_refill_us_);
  last_refill_us_ = now_us;
  const std::uint64_t capacity = options_.burst * kMicroTokensPerToken;
  // A token per second is one micro-token per microsecond, so the refill is elapsed * rate.
  const std::uint64_t missing = capacity - micro_tokens_;
  if (elapsed_us >= missing / options_.requests_per_second + 1) {
    micro_tokens_ = capacity;
    return;
  }
  micro_tokens_ = std::min(capacity, micro_tokens_ + elapsed_us * options_.requests_per_second);
}

std::optional<sim::DurationUs> TokenBucket::take(sim::TimeUs now_us) {
  refill(now_us);
  if (micro_tokens_ >= kMicroTokensPerToken) {
    micro_tokens_ -= kMicroTokensPerToken;
    return std::nullopt;
  }
  const std::uint64_t missing = kMicroTokensPerToken - micro_tokens_;
  const std::uint64_t rate = options_.requests_per_second;
  return static_cast<sim::DurationUs>((missing + rate - 1) / rate);
}

std::optional<OperationThrottle> OperationThrottle::from_json(const nlohmann::json& config,
                                                              std::string* error) {
  OperationThrottle throttle;
  if (config.is_null()) return throttle;
  if (!config.is_object()) {
    if (error != nullptr) *error = "must be an object of operation names to bucket options";
    return std::nullopt;
  }
  for (const auto& [operation, options_json] : config.items()) {
    const auto options = options_from_json(options_json, operation, error);
    if (!options) return std::nullopt;
    throttle.options_[operation] = *options;
  }
  return throttle;
}

std::optional<sim::DurationUs> OperationThrottle::check(std::string_view operation,
                                                        sim::TimeUs now_us) {
  auto options = options_.find(operation);
  if (options == options_.end()) options = options_.find(std::string_view("*"));
  if (options == options_.end()) return std::nullopt;
  auto bucket = buckets_.find(operation);
  if (bucket == buckets_.end()) {
    bucket = buckets_.emplace(std::string(operation), TokenBucket(options->second, now_us)).first;
  }
  return bucket->second.take(now_us);
}

}  // namespace wfsim::models
