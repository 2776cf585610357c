// Per-operation throttling with token buckets, in integer arithmetic on the virtual clock.
// Off unless configured: a world without limits never throttles.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace wfsim::models {

struct TokenBucketOptions {
  std::uint64_t requests_per_second = 10;  // refill rate, tokens per virtual second
  std::uint64_t burst = 10;                // bucket capacity, tokens
};

class TokenBucket {
 public:
  TokenBucket(TokenBucketOptions options, sim::TimeUs now_us);
  // Takes one token if there is one. When there is none, returns the wait until one refills.
  std::optional<sim::DurationUs> take(sim::TimeUs now_us);

 private:
  void refill(sim::TimeUs now_us);
  TokenBucketOptions options_;
  std::uint64_t micro_tokens_;  // tokens * 1e6, so refill needs no floating point
  sim::TimeUs last_refill_us_;
};

class OperationThrottle {
 public:
  // {"StartWorkflowRun": {"requests_per_second": 1, "burst": 2}, "*": {...}}; "*" applies to
  // every operation without its own entry.
  static std::optional<OperationThrottle> from_json(const nlohmann::json& config,
                                                    std::string* error);
  OperationThrottle() = default;

  // nullopt: allowed. A value: throttled, retry after that long.
  std::optional<sim::DurationUs> check(std::string_view operation, sim::TimeUs now_us);

 private:
  // Transparent comparators: every call looks its operation up by view, without a copy.
  std::map<std::string, TokenBucketOptions, std::less<>> options_;
  std::map<std::string, TokenBucket, std::less<>> buckets_;
};

}  // namespace wfsim::models
