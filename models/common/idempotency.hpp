// Idempotency tokens (ClientToken and the like). A token is remembered with a fingerprint of
// the request it came with and the response it produced, for a retention window. The same
// token with the same request replays the original response; with a different request it is
// a conflict, which each service answers with its own error.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace wfsim::models {

// Stable 64-bit hash of a JSON value (object members in key order), for request fingerprints.
std::uint64_t json_fingerprint(const nlohmann::json& value);

class IdempotencyStore {
 public:
  explicit IdempotencyStore(sim::DurationUs retention_us) : retention_us_(retention_us) {}

  enum class Match { miss, replay, conflict };
  struct Lookup {
    Match match = Match::miss;
    const nlohmann::json* response = nullptr;  // set when match == replay
  };

  // `key` names the scope: operation, resource and token, e.g. "StartWorkflowRun|<arn>|<token>".
  Lookup find(const std::string& key, std::uint64_t request_fingerprint, sim::TimeUs now_us);
  void remember(const std::string& key, std::uint64_t request_fingerprint,
                nlohmann::json response, sim::TimeUs now_us);
  // Drops entries older than the window; called from find() opportunistically.
  void expire(sim::TimeUs now_us);
  std::size_t size() const { return entries_.size(); }
  sim::DurationUs retention_us() const { return retention_us_; }

 private:
  struct Entry {
    std::uint64_t fingerprint;
    nlohmann::json response;
    sim::TimeUs stored_at_us;
  };
  sim::DurationUs retention_us_;
  std::map<std::string, Entry> entries_;
  // The same keys ordered by the time they were stored, so expire() visits only old entries.
  std::multimap<sim::TimeUs, std::string> keys_by_age_;
};

}  // namespace wfsim::models
