// Behaviour profiles (DESIGN.md, How runs progress). Choices the design leaves open:
// - Error messages start with the member path inside the profile ("outcome.fail: ..."); the
//   world adds where the profile sits in its configuration.
// - A chance is a string ("1/20", "0", "1") or the integer 0 or 1.
// - An exponential mean must be positive: a zero mean is written {"fixed": 0}.
// - Script entries are any non-empty strings; each service decides which outcome names it
//   knows ("SUCCESS", "FAILED", "TIMEOUT" here).
// - overlay() treats the outcome as one unit where it has to: a layer that sets a script
//   replaces the chances below it, and a layer that sets a chance drops the script below it,
//   since a script would otherwise hide the chance the layer asked for.
// - Unscripted outcomes draw the timeout chance, then the fail chance, always both, so an
//   attempt uses the stream the same way whatever it ends in.
#include "models/common/profiles.hpp"

#include <algorithm>
#include <cmath>

namespace wfsim::models {
namespace {

constexpr std::int64_t kMaxSeconds = INT64_MAX / sim::kMicrosecondsPerSecond;

std::string shown(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string member_path(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// Returns false so that callers can write `return fail_at(...)` for a failed parse.
bool fail_at(std::string* error, const std::string& path, const std::string& message) {
  if (error != nullptr) *error = path.empty() ? message : path + ": " + message;
  return false;
}

std::optional<sim::DurationUs> seconds_from_number(const nlohmann::json& json,
                                                   std::string* problem) {
  const bool negative = json.is_number_float()
                            ? json.get<double>() < 0
                            : !json.is_number_unsigned() && json.get<std::int64_t>() < 0;
  if (negative) {
    *problem = "a duration must not be negative, got " + shown(json);
    return std::nullopt;
  }
  if (json.is_number_float()) {
    const double seconds = json.get<double>();
    if (std::isfinite(seconds) && seconds < static_cast<double>(kMaxSeconds)) {
      return static_cast<sim::DurationUs>(
          std::llround(seconds * static_cast<double>(sim::kMicrosecondsPerSecond)));
    }
  } else if (json.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSeconds)) {
    return sim::seconds(json.get<std::int64_t>());
  }
  *problem = "a duration of " + shown(json) + " seconds is too long";
  return std::nullopt;
}

std::optional<sim::DurationUs> duration_at(const nlohmann::json& json, const std::string& path,
                                           std::string* error) {
  std::string problem;
  const auto duration = parse_duration_json(json, &problem);
  if (!duration) fail_at(error, path, problem);
  return duration;
}

std::optional<DurationSpec> distribution_at(const nlohmann::json& json, const std::string& path,
                                            std::string* error) {
  if (json.size() != 1) {
    fail_at(error, path, "must have exactly one of fixed, uniform or exponential");
    return std::nullopt;
  }
  const std::string& name = json.begin().key();
  const nlohmann::json& value = json.begin().value();
  const std::string inner = member_path(path, name);
  DurationSpec spec;
  if (name == "fixed") {
    const auto fixed = duration_at(value, inner, error);
    if (!fixed) return std::nullopt;
    spec.first_us = *fixed;
    return spec;
  }
  if (name == "uniform") {
    if (!value.is_array() || value.size() != 2) {
      fail_at(error, inner, "must be a list [low, high], got " + shown(value));
      return std::nullopt;
    }
    const auto low = duration_at(value[0], inner + "[0]", error);
    const auto high = low ? duration_at(value[1], inner + "[1]", error) : std::nullopt;
    if (!low || !high) return std::nullopt;
    if (*low > *high) {
      fail_at(error, inner,
              "low bound " + sim::format_iso8601_duration(*low) + " is greater than high bound " +
                  sim::format_iso8601_duration(*high));
      return std::nullopt;
    }
    return DurationSpec{DurationSpec::Kind::uniform, *low, *high};
  }
  if (name == "exponential") {
    const auto mean = duration_at(value, inner, error);
    if (!mean) return std::nullopt;
    if (*mean <= 0) {
      fail_at(error, inner, "the mean must be greater than zero (use {\"fixed\": 0})");
      return std::nullopt;
    }
    return DurationSpec{DurationSpec::Kind::exponential, *mean, 0};
  }
  fail_at(error, inner, "unknown distribution (expected fixed, uniform or exponential)");
  return std::nullopt;
}

std::optional<DurationSpec> spec_at(const nlohmann::json& json, const std::string& path,
                                    std::string* error) {
  if (json.is_object()) return distribution_at(json, path, error);
  const auto fixed = duration_at(json, path, error);
  if (!fixed) return std::nullopt;
  return DurationSpec{DurationSpec::Kind::fixed, *fixed, 0};
}

std::optional<sim::Ratio> ratio_at(const nlohmann::json& json, const std::string& path,
                                   std::string* error) {
  std::string text;
  if (json.is_string()) {
    text = json.get<std::string>();
  } else if (json.is_number_integer()) {
    text = shown(json);
  } else {
    fail_at(error, path, "must be a ratio such as \"1/20\", got " + shown(json));
    return std::nullopt;
  }
  // Ratio::parse also rejects a zero denominator and chances above one.
  std::string problem;
  const auto ratio = sim::Ratio::parse(text, &problem);
  if (!ratio) fail_at(error, path, problem);
  return ratio;
}

bool read_script(const nlohmann::json& json, const std::string& path, BehaviourProfile* profile,
                 std::string* error) {
  if (json.empty()) return fail_at(error, path, "a scripted outcome list must not be empty");
  std::vector<std::string> script;
  for (std::size_t index = 0; index < json.size(); ++index) {
    const auto& entry = json[index];
    if (!entry.is_string() || entry.get_ref<const std::string&>().empty()) {
      return fail_at(error, path + "[" + std::to_string(index) + "]",
                     "must be an outcome name such as \"FAILED\", got " + shown(entry));
    }
    script.push_back(entry.get<std::string>());
  }
  profile->script = std::move(script);
  return true;
}

bool read_outcome(const nlohmann::json& json, const std::string& path, BehaviourProfile* profile,
                  std::string* error) {
  if (json.is_array()) return read_script(json, path, profile, error);
  if (!json.is_object()) {
    return fail_at(error, path,
                   "must be a list of outcomes per attempt or an object with fail and timeout "
                   "chances, got " +
                       shown(json));
  }
  for (const auto& [name, value] : json.items()) {
    const std::string inner = member_path(path, name);
    if (name != "fail" && name != "timeout") {
      return fail_at(error, inner, "unknown member (expected fail or timeout)");
    }
    const auto ratio = ratio_at(value, inner, error);
    if (!ratio) return false;
    (name == "fail" ? profile->fail : profile->timeout) = *ratio;
  }
  return true;
}

}  // namespace

std::optional<sim::DurationUs> parse_duration_json(const nlohmann::json& json, std::string* error) {
  std::string problem;
  std::optional<sim::DurationUs> duration;
  if (json.is_number()) {
    duration = seconds_from_number(json, &problem);
  } else if (json.is_string()) {
    duration = sim::parse_iso8601_duration(json.get_ref<const std::string&>(), &problem);
  } else {
    problem = "must be a number of seconds or an ISO-8601 duration string, got " + shown(json);
  }
  if (!duration && error != nullptr) *error = problem;
  return duration;
}

std::optional<DurationSpec> DurationSpec::from_json(const nlohmann::json& json,
                                                    std::string* error) {
  return spec_at(json, "", error);
}

sim::DurationUs DurationSpec::draw(sim::Rng& rng) const {
  switch (kind) {
    case Kind::fixed:
      return first_us;
    case Kind::uniform:
      return rng.uniform_signed(first_us, second_us);
    case Kind::exponential:
      return rng.exponential(first_us);
  }
  return first_us;
}

std::optional<BehaviourProfile> BehaviourProfile::from_json(const nlohmann::json& json,
                                                            std::string* error) {
  if (!json.is_object()) {
    fail_at(error, "", "a profile must be an object, got " + shown(json));
    return std::nullopt;
  }
  BehaviourProfile profile;
  for (const auto& [name, value] : json.items()) {
    if (name == "duration") {
      profile.duration = spec_at(value, name, error);
      if (!profile.duration) return std::nullopt;
    } else if (name == "outcome") {
      if (!read_outcome(value, name, &profile, error)) return std::nullopt;
    } else {
      fail_at(error, name, "unknown member (expected duration or outcome)");
      return std::nullopt;
    }
  }
  return profile;
}

BehaviourProfile BehaviourProfile::overlay(const BehaviourProfile& over) const {
  BehaviourProfile merged = *this;
  if (over.duration) merged.duration = over.duration;
  if (over.script) {
    merged.script = over.script;
    merged.fail.reset();
    merged.timeout.reset();
  }
  if (over.fail || over.timeout) merged.script.reset();
  if (over.fail) merged.fail = over.fail;
  if (over.timeout) merged.timeout = over.timeout;
  return merged;
}

std::string BehaviourProfile::outcome_for_attempt(int attempt, sim::Rng& rng) const {
  return std::string(outcome_view_for_attempt(attempt, rng));
}

std::string_view BehaviourProfile::outcome_view_for_attempt(int attempt, sim::Rng& rng) const {
  if (script && !script->empty()) {
    const std::size_t index = attempt < 1 ? 0 : static_cast<std::size_t>(attempt - 1);
    return (*script)[std::min(index, script->size() - 1)];
  }
  const bool timed_out = timeout && rng.chance(*timeout);
  const bool failed = fail && rng.chance(*fail);
  if (timed_out) return "TIMEOUT";
  if (failed) return "FAILED";
  return "SUCCESS";
}

sim::DurationUs BehaviourProfile::draw_duration(sim::Rng& rng, sim::DurationUs fallback_us) const {
  return duration ? duration->draw(rng) : fallback_us;
}

}  // namespace wfsim::models
