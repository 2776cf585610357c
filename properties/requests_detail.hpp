// What the per-service generators share inside properties/: a fresh-name counter, the pools
// of bound saved names, and small drawing helpers. Not part of the library's interface.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "properties/requests.hpp"
#include "sim/random.hpp"

namespace wfsim::properties {

// `text` as a JSON string that substitute() leaves unchanged ("${" written "$${").
nlohmann::json escape_literal(const std::string& text);

std::unique_ptr<RequestGenerator> make_mwaa_generator();
std::unique_ptr<RequestGenerator> make_glue_generator();

inline bool one_in(sim::Rng& rng, std::uint64_t n) { return rng.choice(n) == 0; }

template <class T>
const T& pick(sim::Rng& rng, const std::vector<T>& items) {
  return items[rng.choice(items.size())];
}

// "${name}": the template that stands for a saved value.
inline std::string reference(const std::string& name) { return "${" + name + "}"; }

// A saved name the generator is waiting to see bound, and what it will stand for.
struct PendingSave {
  std::string kind;     // "arn", "run", "task", "version", "token", "job-run", "node", ...
  std::string name;     // the saved name
  nlohmann::json context = nlohmann::json::object();  // what it belongs to (workflow, job...)
};

// Saved names by kind, once bound; each entry keeps its context.
class SavedPools {
 public:
  // A fresh saved name for `kind` ("run7"), to be bound by the call being generated.
  std::string fresh(const std::string& kind) { return kind + std::to_string(++counter_); }
  // Remembers that `call` saves `name` as `kind` with `context`.
  void expect(GeneratedCall& call, const std::string& kind, const std::string& pointer,
              nlohmann::json context = nlohmann::json::object()) {
    const std::string name = fresh(kind);
    call.save[name] = pointer;
    pending_[name] = PendingSave{kind, name, std::move(context)};
  }
  // Moves the pending names of `call` that `bindings` now holds into their pools.
  void settle(const GeneratedCall& call, const scenarios::Bindings& bindings) {
    for (const auto& [name, pointer] : call.save) {
      auto found = pending_.find(name);
      if (found == pending_.end()) continue;
      if (bindings.count(name) > 0) {
        std::vector<PendingSave>& pool = pools_[found->second.kind];
        // Keep pools small: recent entries are the likeliest to still exist.
        if (pool.size() >= kMaxPool) pool.erase(pool.begin());
        pool.push_back(found->second);
      }
      pending_.erase(found);
    }
  }
  // Forgets the entries of `kind` that `matches` picks (a resource that was deleted).
  template <class Matches>
  void forget(const std::string& kind, Matches matches) {
    auto found = pools_.find(kind);
    if (found == pools_.end()) return;
    std::vector<PendingSave>& pool = found->second;
    pool.erase(std::remove_if(pool.begin(), pool.end(), matches), pool.end());
  }
  const std::vector<PendingSave>& pool(const std::string& kind) const {
    static const std::vector<PendingSave> kEmpty;
    auto found = pools_.find(kind);
    return found == pools_.end() ? kEmpty : found->second;
  }

 private:
  static constexpr std::size_t kMaxPool = 12;
  std::uint64_t counter_ = 0;
  std::map<std::string, PendingSave> pending_;
  std::map<std::string, std::vector<PendingSave>> pools_;
};

// A page request of a listing: sometimes a page size up to `max_page`, sometimes a saved
// NextToken of the same listing with the request it came from, now and then `bad_token`; the
// answer's NextToken is saved for later pages.
inline void page_request(SavedPools& pools, GeneratedCall& call, sim::Rng& rng,
                         nlohmann::json base, std::uint64_t max_page, const char* bad_token) {
  if (one_in(rng, 2)) base["MaxResults"] = rng.uniform(1, max_page);
  call.request = base;
  const auto& tokens = pools.pool("token");
  if (!tokens.empty() && one_in(rng, 2)) {
    const PendingSave& token = pick(rng, tokens);
    if (token.context["operation"] == call.operation) {
      call.request = token.context["request"];
      call.request["NextToken"] = reference(token.name);
    }
  }
  if (one_in(rng, 12)) call.request["NextToken"] = bad_token;
  nlohmann::json context = {{"operation", call.operation}, {"request", call.request}};
  context["request"].erase("NextToken");
  pools.expect(call, "token", "/NextToken", context);
}

}  // namespace wfsim::properties
