// Fault plans and the injector (DESIGN.md, Faults). Choices where the design is silent:
// - a rule's option that does not apply to its kind ("latency" on a throttle rule) is an
//   error, like an unknown member, so that a misplaced option never passes silently;
// - every rule whose pattern matches a call counts that call, even when an earlier rule
//   fired, so "nth" always means the n-th call the rule matches;
// - a forced decision bypasses the plan entirely: rule counters, swarm switches and the
//   random stream are left untouched, so forcing one call does not shift later decisions;
// - swarm switches are drawn from a stream keyed by (swarm seed, rule index, site), never
//   from the order in which sites are first called.
#include "sim/faults.hpp"

#include <algorithm>
#include <limits>

namespace wfsim::sim {
namespace {


constexpr std::pair<FaultKind, std::string_view> kKindNames[] = {
    {FaultKind::none, "none"},
    {FaultKind::throttle, "throttle"},
    {FaultKind::internal, "internal"},
    {FaultKind::unavailable, "unavailable"},
    {FaultKind::timeout_before, "timeout_before"},
    {FaultKind::timeout_after, "timeout_after"},
    {FaultKind::lost_response, "lost_response"},
    {FaultKind::duplicate, "duplicate"},
    {FaultKind::latency, "latency"},
};

void set_error(std::string* error, std::string message) {
  if (error != nullptr) {
    *error = std::move(message);
  }
}

// A value quoted in an error message. Invalid UTF-8 from a caller is replaced, because
// nlohmann's default dump would throw on it.
std::string shown(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string injectable_kind_list() {
  std::string list;
  for (const auto& [kind, name] : kKindNames) {
    if (kind == FaultKind::none) continue;
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

// Seconds as a JSON number (integer or fractional, rounded to the microsecond) or an
// ISO-8601 duration string. Returns an empty string on success, otherwise what was wrong.
std::string parse_latency(const nlohmann::json& value, DurationUs& latency_us) {
  if (value.is_string()) {
    std::string problem;
    const auto parsed = parse_iso8601_duration(value.get_ref<const std::string&>(), &problem);
    if (!parsed) return problem;
    latency_us = *parsed;
    return "";
  }
  constexpr double kMaxSeconds = 9.0e12;  // keeps the microsecond count inside int64
  if (value.is_number_unsigned() || value.is_number_integer()) {
    const auto whole = value.get<std::int64_t>();
    if (whole < 0 || whole > static_cast<std::int64_t>(kMaxSeconds)) {
      return "latency must be between 0 and 9e12 seconds";
    }
    latency_us = seconds(whole);
    return "";
  }
  if (value.is_number_float()) {
    const double seconds_value = value.get<double>();
    if (!(seconds_value >= 0.0 && seconds_value <= kMaxSeconds)) {
      return "latency must be between 0 and 9e12 seconds";
    }
    latency_us = static_cast<DurationUs>(seconds_value * 1e6 + 0.5);
    return "";
  }
  return "latency must be a number of seconds or an ISO-8601 duration such as \"PT2S\"";
}

std::string parse_nth(const nlohmann::json& value, std::vector<std::uint64_t>& nth) {
  if (!value.is_array()) return "nth must be an array of positive integers such as [1, 3]";
  for (const auto& element : value) {
    // nlohmann stores a positive integer as signed or unsigned depending on how the value
    // was built, so the sign is checked on the signed view.
    if (!element.is_number_integer() ||
        (!element.is_number_unsigned() && element.get<std::int64_t>() <= 0) ||
        element.get<std::uint64_t>() == 0) {
      return "nth must hold positive integers (1 is the first matching call), got " +
             shown(element);
    }
    nth.push_back(element.get<std::uint64_t>());
  }
  return "";
}

// Reads one member of a rule object. Returns an empty string on success.
std::string read_rule_member(const std::string& key, const nlohmann::json& value, FaultRule& rule) {
  if (key == "match") {
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      return "match must be a non-empty string such as \"glue:StartWorkflowRun\" or \"*\"";
    }
    rule.match = value.get<std::string>();
    return "";
  }
  if (key == "kind") {
    const auto kind = value.is_string()
                          ? fault_kind_from_string(value.get_ref<const std::string&>())
                          : std::nullopt;
    if (!kind || *kind == FaultKind::none) {
      return "kind must be one of " + injectable_kind_list() + ", got " + shown(value);
    }
    rule.kind = *kind;
    return "";
  }
  if (key == "probability") {
    std::string problem;
    if (!value.is_string()) return "probability must be a ratio string such as \"1/10\"";
    rule.probability = Ratio::parse(value.get_ref<const std::string&>(), &problem);
    return problem;
  }
  if (key == "nth") return parse_nth(value, rule.nth);
  if (key == "latency") return parse_latency(value, rule.latency_us);
  if (key == "retry_after_seconds") {
    const bool non_negative =
        value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    if (!non_negative) return "retry_after_seconds must be a non-negative integer";
    const auto retry_after = value.get<std::uint64_t>();
    if (retry_after > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return "retry_after_seconds is too large";
    }
    rule.retry_after_seconds = static_cast<std::int64_t>(retry_after);
    return "";
  }
  return "unknown member '" + key +
         "' (expected match, kind, probability, nth, latency, retry_after_seconds)";
}

// Options that only make sense for one kind. Returns an empty string when consistent.
std::string check_rule_consistency(const nlohmann::json& json, const FaultRule& rule) {
  if (!json.contains("kind")) return "kind is required";
  const auto misplaced = misplaced_fault_option(rule.kind, json.contains("latency"),
                                                json.contains("retry_after_seconds"));
  return misplaced ? misplaced->first + " " + misplaced->second : "";
}

std::string read_plan_member(const std::string& key, const nlohmann::json& value, FaultPlan& plan) {
  if (key == "swarm") {
    if (!value.is_boolean()) return "swarm must be true or false";
    plan.swarm = value.get<bool>();
    return "";
  }
  if (key == "swarm_site_on") {
    if (!value.is_string()) return "swarm_site_on must be a ratio string such as \"1/2\"";
    std::string problem;
    const auto ratio = Ratio::parse(value.get_ref<const std::string&>(), &problem);
    if (!ratio) return "swarm_site_on: " + problem;
    plan.swarm_site_on = *ratio;
    return "";
  }
  if (key == "rules") {
    if (!value.is_array()) return "rules must be an array of rule objects";
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::string problem;
      auto rule = FaultRule::from_json(value[i], &problem);
      if (!rule) return "rules[" + std::to_string(i) + "]: " + problem;
      plan.rules.push_back(std::move(*rule));
    }
    return "";
  }
  return "unknown member '" + key + "' (expected swarm, swarm_site_on, rules)";
}

}  // namespace

std::string_view to_string(FaultKind kind) {
  for (const auto& [candidate, name] : kKindNames) {
    if (candidate == kind) return name;
  }
  return "none";
}

std::optional<FaultKind> fault_kind_from_string(std::string_view text) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> misplaced_fault_option(FaultKind kind,
                                                                         bool has_latency,
                                                                         bool has_retry_after) {
  if (has_latency && kind != FaultKind::latency) {
    return std::make_pair("latency", "applies only to kind \"latency\"");
  }
  if (has_retry_after && kind != FaultKind::throttle) {
    return std::make_pair("retry_after_seconds", "applies only to kind \"throttle\"");
  }
  return std::nullopt;
}

bool is_applied(FaultKind kind) {
  return kind == FaultKind::timeout_after || kind == FaultKind::lost_response ||
         kind == FaultKind::duplicate || kind == FaultKind::latency;
}

std::optional<FaultRule> FaultRule::from_json(const nlohmann::json& json, std::string* error) {
  if (!json.is_object()) {
    set_error(error, "a fault rule must be an object, got " + shown(json));
    return std::nullopt;
  }
  FaultRule rule;
  for (const auto& member : json.items()) {
    std::string problem = read_rule_member(member.key(), member.value(), rule);
    if (!problem.empty()) {
      set_error(error, "fault rule: " + problem);
      return std::nullopt;
    }
  }
  std::string problem = check_rule_consistency(json, rule);
  if (!problem.empty()) {
    set_error(error, "fault rule: " + problem);
    return std::nullopt;
  }
  return rule;
}

nlohmann::json FaultRule::to_json() const {
  nlohmann::json json = {{"match", match}, {"kind", std::string(to_string(kind))}};
  if (probability) json["probability"] = probability->to_string();
  if (!nth.empty()) json["nth"] = nth;
  if (kind == FaultKind::latency) json["latency"] = format_iso8601_duration(latency_us);
  if (retry_after_seconds) json["retry_after_seconds"] = *retry_after_seconds;
  return json;
}

std::optional<FaultPlan> FaultPlan::from_json(const nlohmann::json& json, std::string* error) {
  if (!json.is_object()) {
    set_error(error, "a fault plan must be an object, got " + shown(json));
    return std::nullopt;
  }
  FaultPlan plan;
  for (const auto& member : json.items()) {
    std::string problem = read_plan_member(member.key(), member.value(), plan);
    if (!problem.empty()) {
      set_error(error, "fault plan: " + problem);
      return std::nullopt;
    }
  }
  return plan;
}

nlohmann::json FaultPlan::to_json() const {
  nlohmann::json rule_list = nlohmann::json::array();
  for (const FaultRule& rule : rules) {
    rule_list.push_back(rule.to_json());
  }
  return {{"swarm", swarm}, {"swarm_site_on", swarm_site_on.to_string()}, {"rules", rule_list}};
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point: on a mismatch, the most recent '*' absorbs one
  // more character. This is linear in practice and never recurses.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

FaultInjector::FaultInjector(FaultPlan plan, Rng rng, Trace* trace)
    : plan_(std::move(plan)),
      rng_(rng),
      swarm_seed_(rng.child("swarm").next()),
      trace_(trace),
      rule_match_counts_(plan_.rules.size(), 0) {}

void FaultInjector::force_next(FaultDecision decision) { forced_ = decision; }

FaultDecision FaultInjector::decide(std::string_view site, TimeUs now_us) {
  ++calls_;
  FaultDecision decision;
  bool forced = false;
  if (forced_) {
    decision = *forced_;
    forced_.reset();
    forced = true;
  } else {
    decision = decide_from_rules(site, now_us);
  }
  if (decision.kind == FaultKind::none) {
    return decision;
  }
  ++injected_;
  if (trace_ != nullptr && trace_->enabled()) {
    nlohmann::json detail = {{"site", std::string(site)},
                             {"fault", std::string(to_string(decision.kind))}};
    // A forced fault came from the caller, not from a rule.
    if (!forced) detail["rule"] = decision.rule_index;
    if (decision.kind == FaultKind::latency) detail["latency_us"] = decision.latency_us;
    if (decision.retry_after_seconds) detail["retry_after_seconds"] = *decision.retry_after_seconds;
    if (forced) detail["forced"] = true;
    trace_->record(now_us, "fault", std::move(detail));
  }
  return decision;
}

FaultDecision FaultInjector::decide_from_rules(std::string_view site, TimeUs now_us) {
  FaultDecision decision;
  for (std::size_t index = 0; index < plan_.rules.size(); ++index) {
    const FaultRule& rule = plan_.rules[index];
    if (!glob_match(rule.match, site)) {
      continue;
    }
    const std::uint64_t count = ++rule_match_counts_[index];
    if (decision.kind != FaultKind::none || !rule_fires(index, count, site, now_us)) {
      continue;
    }
    decision.kind = rule.kind;
    decision.rule_index = index;
    decision.retry_after_seconds = rule.retry_after_seconds;
    decision.latency_us = rule.latency_us;
  }
  return decision;
}

bool FaultInjector::rule_fires(std::size_t rule_index, std::uint64_t count, std::string_view site,
                               TimeUs now_us) {
  const FaultRule& rule = plan_.rules[rule_index];
  if (plan_.swarm && !site_active(rule.kind, site, now_us)) {
    return false;
  }
  if (!rule.nth.empty() && std::find(rule.nth.begin(), rule.nth.end(), count) != rule.nth.end()) {
    return true;
  }
  if (rule.probability) {
    return rng_.chance(*rule.probability);
  }
  return rule.nth.empty();
}

bool FaultInjector::site_active(FaultKind kind, std::string_view site, TimeUs now_us) {
  auto key = std::make_pair(kind, std::string(site));
  const auto found = swarm_switches_.find(key);
  if (found != swarm_switches_.end()) {
    return found->second;
  }
  // A stream of its own per (site, kind), derived from the swarm seed alone, so a switch
  // does not depend on which sites happened to be called first.
  const std::string_view kind_name = to_string(kind);
  Rng switch_rng = Rng(swarm_seed_).child(std::string(kind_name) + "|" + key.second);
  const bool on = switch_rng.chance(plan_.swarm_site_on);
  if (trace_ != nullptr && trace_->enabled()) {
    trace_->record(now_us, "fault_switch",
                   {{"site", key.second}, {"fault", std::string(kind_name)}, {"on", on}});
  }
  swarm_switches_.emplace(std::move(key), on);
  return on;
}

}  // namespace wfsim::sim
