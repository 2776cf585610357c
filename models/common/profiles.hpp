// Behaviour profiles (DESIGN.md, How runs progress): how long a unit of work takes and how it
// ends. A profile is JSON such as
//   {"duration": {"uniform": [30, 300]}, "outcome": {"fail": "1/20"}}
//   {"duration": 45, "outcome": ["FAILED", "SUCCESS"]}          (scripted, per attempt)
//   {"duration": "PT2M", "outcome": {"fail": "1/10", "timeout": "1/50"}}
// Durations are seconds (number) or ISO-8601 strings; distributions are
//   {"fixed": d}, {"uniform": [lo, hi]}, {"exponential": mean}.
// Layers override field by field: service default <- resource <- sub-resource.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/random.hpp"
#include "sim/time.hpp"

namespace wfsim::models {

struct DurationSpec {
  enum class Kind { fixed, uniform, exponential };
  Kind kind = Kind::fixed;
  sim::DurationUs first_us = 0;   // fixed value, uniform low, or exponential mean
  sim::DurationUs second_us = 0;  // uniform high

  static std::optional<DurationSpec> from_json(const nlohmann::json& json, std::string* error);
  sim::DurationUs draw(sim::Rng& rng) const;
};

// Parses a duration given as seconds (integer or fractional number) or as an ISO-8601 string.
std::optional<sim::DurationUs> parse_duration_json(const nlohmann::json& json,
                                                   std::string* error);

struct BehaviourProfile {
  std::optional<DurationSpec> duration;
  std::optional<sim::Ratio> fail;                // chance an attempt ends FAILED
  std::optional<sim::Ratio> timeout;             // chance an attempt runs into its timeout
  std::optional<std::vector<std::string>> script;  // outcome per attempt; last one repeats

  static std::optional<BehaviourProfile> from_json(const nlohmann::json& json,
                                                   std::string* error);
  // This profile with every field that `over` sets replaced by `over`'s.
  BehaviourProfile overlay(const BehaviourProfile& over) const;

  // The outcome of attempt `attempt` (1-based): the script's entry when scripted, else
  // "TIMEOUT" / "FAILED" by chance, else "SUCCESS". Draws from `rng` only when not scripted.
  std::string outcome_for_attempt(int attempt, sim::Rng& rng) const;
  // The same outcome, with the same draws, as a view into this profile or a literal: task
  // starts ask for it once per attempt and only compare it.
  std::string_view outcome_view_for_attempt(int attempt, sim::Rng& rng) const;
  sim::DurationUs draw_duration(sim::Rng& rng, sim::DurationUs fallback_us) const;
};

}  // namespace wfsim::models
