// Idempotency tokens (mwaa-serverless.md section 8). The sheet documents no retention window,
// so the window is the caller's (the world's) choice; an entry is still valid at exactly
// stored_at + retention and gone one microsecond later. Fingerprints hash the compact JSON
// text, in which nlohmann writes object members sorted by key, so member order in a request
// never changes its fingerprint.
#include "models/common/idempotency.hpp"

#include "sim/random.hpp"

namespace wfsim::models {

std::uint64_t json_fingerprint(const nlohmann::json& value) {
  return sim::stable_hash(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

IdempotencyStore::Lookup IdempotencyStore::find(const std::string& key,
                                                std::uint64_t request_fingerprint,
                                                sim::TimeUs now_us) {
  expire(now_us);
  const auto found = entries_.find(key);
  if (found == entries_.end()) return {};
  if (found->second.fingerprint != request_fingerprint) return {Match::conflict, nullptr};
  return {Match::replay, &found->second.response};
}

void IdempotencyStore::remember(const std::string& key, std::uint64_t request_fingerprint,
                                nlohmann::json response, sim::TimeUs now_us) {
  const auto existing = entries_.find(key);
  if (existing != entries_.end()) {
    auto [first, last] = keys_by_age_.equal_range(existing->second.stored_at_us);
    for (auto it = first; it != last; ++it) {
      if (it->second == key) {
        keys_by_age_.erase(it);
        break;
      }
    }
  }
  entries_[key] = Entry{request_fingerprint, std::move(response), now_us};
  keys_by_age_.emplace(now_us, key);
}

void IdempotencyStore::expire(sim::TimeUs now_us) {
  while (!keys_by_age_.empty()) {
    const auto oldest = keys_by_age_.begin();
    if (now_us - oldest->first <= retention_us_) return;
    entries_.erase(oldest->second);
    keys_by_age_.erase(oldest);
  }
}

}  // namespace wfsim::models
