// The scenario file, format 1 (DESIGN.md, The scenario file): the data model and a strict
// parser. Every key of the scenario's own structure is checked, so a typo is an error that
// names its JSON path ("steps[3].expct: unknown key; did you mean 'expect'?"). The payloads
// inside "request", "expect" and "config" are not judged here: they belong to the service
// and the world.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/faults.hpp"
#include "sim/time.hpp"

namespace wfsim::scenarios {

inline constexpr int kFormatVersion = 1;
// The event bound of `"until_idle": true`. A world that is still busy after this many timer
// events has a recurring timer (a schedule) and will never be idle.
inline constexpr std::uint64_t kDefaultUntilIdleEvents = 100'000;

struct CallStep {
  std::string service;    // "mwaa-serverless"
  std::string operation;  // "StartWorkflowRun"
  nlohmann::json request = nlohmann::json::object();  // may hold ${name} templates
  std::optional<nlohmann::json> expect;               // a subset of the response
  std::optional<std::string> expect_error;            // the error code
  std::map<std::string, std::string> save;            // name -> JSON pointer into the response
  std::optional<sim::FaultDecision> fault;            // forced for this call
  std::optional<sim::FaultKind> expect_fault;         // the fault this call must receive
  // False when `request` (`expect`) holds no ${name}. The parser looks once, so that replays
  // need not walk a recorded response again on every run; code that builds a CallStep may
  // leave them true, and the replay then looks for itself.
  bool request_may_have_template = true;
  bool expect_may_have_template = true;
};

struct AdvanceStep {
  sim::DurationUs duration_us = 0;
};

struct UntilIdleStep {
  std::uint64_t max_events = kDefaultUntilIdleEvents;
  // {"max_events": N}: the caller bounds the work, so stopping at the bound is not a failure;
  // `true` must reach idle.
  bool bounded = false;
};

struct Step {
  std::variant<CallStep, AdvanceStep, UntilIdleStep> action;
  std::string note;       // free text, for readers
  nlohmann::json source;  // the step exactly as written (the recorder keeps it)

  // "call mwaa-serverless:StartWorkflowRun", "advance PT10M", "until_idle".
  std::string describe() const;
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  sim::TimeUs start_us = 0;
  std::string start_text;  // "start" as written, so a recording keeps it exactly
  nlohmann::json config = nlohmann::json::object();
  std::vector<Step> steps;
};

struct ParseResult {
  std::optional<Scenario> scenario;  // set when there are no errors
  std::vector<std::string> errors;   // each names the JSON path it is about
  bool ok() const { return scenario.has_value(); }
};

// Parses scenario text. Malformed JSON is an error with line and column; a key repeated in
// one object is an error too, since JSON parsers silently keep only one of them.
ParseResult parse_scenario_text(std::string_view text);
// Checks an already parsed document.
ParseResult parse_scenario(const nlohmann::json& document);
// Reads and parses a file; an unreadable file is an error naming the path.
ParseResult load_scenario_file(const std::string& path);

// A duration as a scenario writes it: seconds (a non-negative number) or an ISO-8601 string.
std::optional<sim::DurationUs> parse_duration(const nlohmann::json& value, std::string* error);

// The candidate closest to `word` by edit distance (a transposition counts as one edit), when
// it is close enough to be a likely typo; empty otherwise.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace wfsim::scenarios
