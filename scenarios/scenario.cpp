// The strict parser of scenario format 1. It collects every error it finds rather than
// stopping at the first, so one run of `wfsim replay` shows everything wrong with a file.
//
// Choices made where DESIGN.md is silent:
//  - "wfsim", "name", "seed", "start" and "steps" are required; "config" defaults to {} and
//    "description" to "". A recorded scenario must say its seed and start to replay exactly,
//    and a hand-written one gains nothing from hiding them.
//  - "request" is required with "call" (write {} for an operation without input), so a step
//    that lost its request by a typo ("requets") is caught rather than sent empty.
//  - A save name is letters, digits, '_', '-' and '.'; it is used as ${name}.
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "scenarios/matching.hpp"

namespace wfsim::scenarios {

namespace {

using nlohmann::json;

const std::vector<std::string_view> kTopLevelKeys = {"wfsim", "name",   "description", "seed",
                                                     "start", "config", "steps"};
const std::vector<std::string_view> kStepKeys = {
    "call", "request", "expect", "expect_error", "save", "fault", "expect_fault", "note",
    "advance", "until_idle"};
const std::vector<std::string_view> kActionKeys = {"call", "advance", "until_idle"};
const std::vector<std::string_view> kCallOnlyKeys = {"request",      "expect", "expect_error",
                                                     "save",         "fault",  "expect_fault"};
const std::vector<std::string_view> kFaultKeys = {"kind", "latency", "retry_after_seconds"};
const std::vector<std::string_view> kUntilIdleKeys = {"max_events"};
const std::vector<std::string_view> kFaultKinds = {
    "none",          "throttle",      "internal",  "unavailable", "timeout_before",
    "timeout_after", "lost_response", "duplicate", "latency"};

// The deepest JSON nesting a scenario file may have. Substitution, matching and the trace walk
// JSON recursively, so a bound here keeps a hostile file from exhausting the stack.
constexpr std::size_t kMaxNestingDepth = 256;

// The longest span `advance` accepts: 100 years, far beyond any scenario and far from overflow.
constexpr double kMaxAdvanceSeconds = 100.0 * 366 * 24 * 3600;

// Shows a JSON value in an error message, cut short when long.
std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// JSON integers parse as unsigned when non-negative, but documents built in code hold signed
// ones; both are accepted.
std::optional<std::uint64_t> non_negative_integer(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  return std::nullopt;
}

bool contains(const std::vector<std::string_view>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string unknown_key(const std::string& path, std::string_view key,
                        const std::vector<std::string_view>& known) {
  std::string message = path + ": unknown key";
  std::string suggestion = closest_match(key, known);
  if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
  return message;
}

std::string join(const std::vector<std::string_view>& words) {
  std::string text;
  for (std::string_view word : words) {
    if (!text.empty()) text += ", ";
    text += word;
  }
  return text;
}

// The member path of `key` under `parent` ("" is the top level).
std::string member_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// Collects the errors of one parse.
class Checker {
 public:
  void fail(std::string message) { errors_.push_back(std::move(message)); }
  bool clean() const { return errors_.empty(); }
  std::vector<std::string> take() { return std::move(errors_); }

  // Reports every key of `object` not in `known`.
  void unknown_keys(const json& object, const std::string& path,
                    const std::vector<std::string_view>& known) {
    for (const auto& item : object.items()) {
      if (!contains(known, item.key()))
        fail(unknown_key(member_path(path, item.key()), item.key(), known));
    }
  }

 private:
  std::vector<std::string> errors_;
};

std::optional<sim::FaultKind> parse_fault_kind(const json& value, const std::string& path,
                                               Checker& checker) {
  std::optional<sim::FaultKind> kind;
  if (value.is_string()) kind = sim::fault_kind_from_string(value.get<std::string>());
  if (!kind) {
    std::string message = path + ": " + shown(value) + " is not a fault kind (one of " +
                          join(kFaultKinds) + ")";
    if (value.is_string()) {
      std::string suggestion = closest_match(value.get<std::string>(), kFaultKinds);
      if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
    }
    checker.fail(message);
  }
  return kind;
}

// "fault": "throttle" or {"kind": "latency", "latency": "PT2S", "retry_after_seconds": 1}.
std::optional<sim::FaultDecision> parse_forced_fault(const json& value, const std::string& path,
                                                     Checker& checker) {
  if (value.is_string()) {
    std::optional<sim::FaultKind> kind = parse_fault_kind(value, path, checker);
    if (!kind) return std::nullopt;
    sim::FaultDecision decision;
    decision.kind = *kind;
    return decision;
  }
  if (!value.is_object()) {
    checker.fail(path + ": must be a fault kind or {\"kind\": ..., \"latency\": ..., "
                        "\"retry_after_seconds\": ...}, got " + shown(value));
    return std::nullopt;
  }
  checker.unknown_keys(value, path, kFaultKeys);
  auto kind_member = value.find("kind");
  if (kind_member == value.end()) {
    checker.fail(path + ".kind: missing");
    return std::nullopt;
  }
  std::optional<sim::FaultKind> kind = parse_fault_kind(*kind_member, path + ".kind", checker);
  sim::FaultDecision decision;
  if (kind) decision.kind = *kind;
  if (auto latency = value.find("latency"); latency != value.end()) {
    std::string error;
    std::optional<sim::DurationUs> delay_us = parse_duration(*latency, &error);
    if (delay_us) decision.latency_us = *delay_us;
    else checker.fail(path + ".latency: " + error);
  }
  if (kind) {
    if (const auto misplaced = sim::misplaced_fault_option(
            *kind, value.contains("latency"), value.contains("retry_after_seconds"))) {
      checker.fail(path + "." + misplaced->first + ": " + misplaced->second);
    }
  }
  if (auto retry = value.find("retry_after_seconds"); retry != value.end()) {
    if (retry->is_number_integer() && retry->get<std::int64_t>() >= 0) {
      decision.retry_after_seconds = retry->get<std::int64_t>();
    } else {
      checker.fail(path + ".retry_after_seconds: must be a non-negative integer, got " +
                   shown(*retry));
    }
  }
  if (!kind) return std::nullopt;
  return decision;
}

bool valid_save_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
}

std::map<std::string, std::string> parse_save(const json& value, const std::string& path,
                                              Checker& checker) {
  std::map<std::string, std::string> save;
  if (!value.is_object()) {
    checker.fail(path + ": must be an object of name -> JSON pointer, got " + shown(value));
    return save;
  }
  for (const auto& item : value.items()) {
    std::string item_path = path + "." + item.key();
    if (!valid_save_name(item.key())) {
      checker.fail(item_path + ": a save name is letters, digits, '_', '-' and '.'");
      continue;
    }
    if (!item.value().is_string()) {
      checker.fail(item_path + ": must be a JSON pointer string such as \"/RunId\", got " +
                   shown(item.value()));
      continue;
    }
    const std::string& pointer = item.value().get_ref<const std::string&>();
    try {
      json::json_pointer parsed(pointer);
      save[item.key()] = pointer;
    } catch (const json::exception&) {
      checker.fail(item_path + ": '" + pointer +
                   "' is not a JSON pointer (it starts with '/', e.g. \"/Run/RunId\")");
    }
  }
  return save;
}

void parse_expectations(const json& step, const std::string& path, CallStep& call,
                        Checker& checker) {
  if (auto expect = step.find("expect"); expect != step.end()) call.expect = *expect;
  if (auto expect_error = step.find("expect_error"); expect_error != step.end()) {
    if (expect_error->is_string() && !expect_error->get_ref<const std::string&>().empty()) {
      call.expect_error = expect_error->get<std::string>();
    } else {
      checker.fail(path + ".expect_error: must be an error code string such as "
                          "\"ValidationException\", got " + shown(*expect_error));
    }
  }
  if (call.expect && step.contains("expect_error")) {
    checker.fail(path + ": has both 'expect' and 'expect_error'; a call either answers or fails");
  }
  if (auto expect_fault = step.find("expect_fault"); expect_fault != step.end()) {
    call.expect_fault = parse_fault_kind(*expect_fault, path + ".expect_fault", checker);
  }
}

std::optional<CallStep> parse_call(const json& step, const std::string& path, Checker& checker) {
  CallStep call;
  const json& target = step.at("call");
  std::string text = target.is_string() ? target.get<std::string>() : std::string();
  std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    checker.fail(path + ".call: must be \"service:Operation\" such as "
                        "\"mwaa-serverless:StartWorkflowRun\", got " + shown(target));
  } else {
    call.service = text.substr(0, colon);
    call.operation = text.substr(colon + 1);
  }
  if (auto request = step.find("request"); request != step.end()) {
    call.request = *request;
  } else {
    checker.fail(path + ".request: missing; a call needs a request (write {} for none)");
  }
  parse_expectations(step, path, call, checker);
  call.request_may_have_template = has_template(call.request);
  call.expect_may_have_template = call.expect && has_template(*call.expect);
  if (auto save = step.find("save"); save != step.end()) {
    call.save = parse_save(*save, path + ".save", checker);
  }
  if (auto fault = step.find("fault"); fault != step.end()) {
    call.fault = parse_forced_fault(*fault, path + ".fault", checker);
  }
  return call;
}

std::optional<UntilIdleStep> parse_until_idle(const json& value, const std::string& path,
                                              Checker& checker) {
  UntilIdleStep until_idle;
  if (value.is_boolean() && value.get<bool>()) return until_idle;
  if (value.is_object()) {
    checker.unknown_keys(value, path, kUntilIdleKeys);
    auto max_events = value.find("max_events");
    std::optional<std::uint64_t> count;
    if (max_events != value.end()) count = non_negative_integer(*max_events);
    if (count && *count > 0) {
      until_idle.max_events = *count;
      until_idle.bounded = true;
      return until_idle;
    }
    checker.fail(path + ".max_events: must be a positive integer" +
                 (max_events == value.end() ? std::string(" (missing)")
                                            : ", got " + shown(*max_events)));
    return std::nullopt;
  }
  checker.fail(path + ": must be true or {\"max_events\": N}, got " + shown(value));
  return std::nullopt;
}

// Checks which keys a step has and that it names exactly one action; returns that action.
std::optional<std::string_view> step_action(const json& step, const std::string& path,
                                            Checker& checker) {
  checker.unknown_keys(step, path, kStepKeys);
  std::vector<std::string_view> actions;
  for (std::string_view action : kActionKeys) {
    if (step.contains(std::string(action))) actions.push_back(action);
  }
  if (actions.size() != 1) {
    checker.fail(path + ": a step does exactly one of 'call', 'advance', 'until_idle'" +
                 (actions.empty() ? std::string(", and this one has none")
                                  : ", and this one has " + join(actions)));
    return std::nullopt;
  }
  if (actions.front() != "call") {
    for (std::string_view key : kCallOnlyKeys) {
      if (step.contains(std::string(key))) {
        checker.fail(member_path(path, key) + ": only a 'call' step may have it");
      }
    }
  }
  return actions.front();
}

std::optional<Step> parse_step(const json& source, const std::string& path, Checker& checker) {
  if (!source.is_object()) {
    checker.fail(path + ": a step is an object such as {\"advance\": \"PT1M\"}, got " +
                 shown(source));
    return std::nullopt;
  }
  Step step;
  step.source = source;
  if (auto note = source.find("note"); note != source.end()) {
    if (note->is_string()) step.note = note->get<std::string>();
    else checker.fail(path + ".note: must be a string, got " + shown(*note));
  }
  std::optional<std::string_view> action = step_action(source, path, checker);
  if (!action) return std::nullopt;
  if (*action == "call") {
    std::optional<CallStep> call = parse_call(source, path, checker);
    if (!call) return std::nullopt;
    step.action = std::move(*call);
  } else if (*action == "advance") {
    std::string error;
    std::optional<sim::DurationUs> duration_us = parse_duration(source.at("advance"), &error);
    if (!duration_us) {
      checker.fail(path + ".advance: " + error);
      return std::nullopt;
    }
    step.action = AdvanceStep{*duration_us};
  } else {
    std::optional<UntilIdleStep> until_idle =
        parse_until_idle(source.at("until_idle"), path + ".until_idle", checker);
    if (!until_idle) return std::nullopt;
    step.action = *until_idle;
  }
  return step;
}

void parse_header(const json& document, Scenario& scenario, Checker& checker) {
  auto version = document.find("wfsim");
  if (version == document.end()) {
    checker.fail("wfsim: missing; a scenario starts with \"wfsim\": 1");
  } else if (!version->is_number_integer() || version->get<std::int64_t>() != kFormatVersion) {
    checker.fail("wfsim: format " + shown(*version) +
                 " is not supported; this wfsim reads format 1");
  }
  auto name = document.find("name");
  if (name == document.end()) checker.fail("name: missing");
  else if (!name->is_string() || name->get_ref<const std::string&>().empty()) {
    checker.fail("name: must be a non-empty string, got " + shown(*name));
  } else {
    scenario.name = name->get<std::string>();
  }
  if (auto description = document.find("description"); description != document.end()) {
    if (description->is_string()) scenario.description = description->get<std::string>();
    else checker.fail("description: must be a string, got " + shown(*description));
  }
  auto seed = document.find("seed");
  if (seed == document.end()) checker.fail("seed: missing");
  else if (std::optional<std::uint64_t> value = non_negative_integer(*seed)) {
    scenario.seed = *value;
  } else {
    checker.fail("seed: must be a non-negative integer, got " + shown(*seed));
  }
  auto start = document.find("start");
  std::string error;
  if (start == document.end()) checker.fail("start: missing");
  else if (!start->is_string())
    checker.fail("start: must be an RFC 3339 string, got " + shown(*start));
  else if (std::optional<sim::TimeUs> start_us =
               sim::parse_rfc3339(start->get<std::string>(), &error)) {
    scenario.start_us = *start_us;
    scenario.start_text = start->get<std::string>();
  } else {
    checker.fail("start: " + error);
  }
  if (auto config = document.find("config"); config != document.end()) {
    if (config->is_object()) scenario.config = *config;
    else checker.fail("config: must be an object, got " + shown(*config));
  }
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix; it already
// names the line and column.
std::string parse_error_text(const std::exception& error) {
  std::string text = error.what();
  std::size_t bracket = text.find("] ");
  if (text.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
    text = text.substr(bracket + 2);
  }
  return text;
}

// A first, DOM-free pass over the text: it finds syntax errors, keys written twice in one
// object (a DOM parse silently keeps one of the values), and nesting too deep for the
// recursive walks that follow, each with its path.
class TextChecker : public nlohmann::json_sax<json> {
 public:
  std::vector<std::string> errors;

  bool null() override { return element_done(); }
  bool boolean(bool) override { return element_done(); }
  bool number_integer(number_integer_t) override { return element_done(); }
  bool number_unsigned(number_unsigned_t) override { return element_done(); }
  bool number_float(number_float_t, const string_t&) override { return element_done(); }
  bool string(string_t&) override { return element_done(); }
  bool binary(binary_t&) override { return element_done(); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& key) override {
    Frame& frame = frames_.back();
    frame.key = key;
    if (!frame.keys.insert(key).second) {
      errors.push_back(path() + ": key repeated in one object; only one value would be kept");
    }
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    errors.push_back("malformed JSON: " + parse_error_text(error));
    return false;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;        // the member being read, in an object
    std::size_t index = 0;  // the element being read, in an array
  };

  bool open(bool object) {
    if (frames_.size() >= kMaxNestingDepth) {
      errors.push_back(path() + ": nested deeper than " + std::to_string(kMaxNestingDepth) +
                       " levels; no scenario needs that, and deeper JSON risks the stack");
      return false;
    }
    frames_.push_back(Frame{object, {}, {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return element_done();
  }

  bool element_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  std::string path() const {
    std::string text;
    for (const Frame& frame : frames_) {
      if (frame.object) text = member_path(text, frame.key);
      else text += "[" + std::to_string(frame.index) + "]";
    }
    return text.empty() ? "(top level)" : text;
  }

  std::vector<Frame> frames_;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  // A suggestion is offered when at most a third of the word (and at least one edit) differs.
  std::size_t allowed = std::max<std::size_t>(1, std::min(word.size(), best.size()) / 3);
  return best_distance <= allowed ? best : std::string();
}

std::optional<sim::DurationUs> parse_duration(const json& value, std::string* error) {
  if (value.is_string()) {
    std::optional<sim::DurationUs> parsed =
        sim::parse_iso8601_duration(value.get<std::string>(), error);
    // The same bound as for seconds: a longer step would carry the clock past year 9999.
    if (parsed && *parsed > sim::seconds(static_cast<std::int64_t>(kMaxAdvanceSeconds))) {
      if (error) *error = "must be at most 100 years, got " + shown(value);
      return std::nullopt;
    }
    return parsed;
  }
  if (value.is_number()) {
    double seconds = value.get<double>();
    if (std::isfinite(seconds) && seconds >= 0 && seconds <= kMaxAdvanceSeconds) {
      if (value.is_number_integer()) return sim::seconds(value.get<std::int64_t>());
      return static_cast<sim::DurationUs>(std::llround(seconds * 1e6));
    }
    if (error) *error = "must be between 0 and 100 years of seconds, got " + shown(value);
    return std::nullopt;
  }
  if (error) {
    *error = "must be seconds (a number) or an ISO-8601 duration such as \"PT10M\", got " +
             shown(value);
  }
  return std::nullopt;
}

// Every replayed step is described, so the text is put together in one allocation.
std::string Step::describe() const {
  std::string text;
  if (const auto* call = std::get_if<CallStep>(&action)) {
    text.reserve(6 + call->service.size() + call->operation.size());
    text.append("call ").append(call->service).append(1, ':').append(call->operation);
  } else if (const auto* advance = std::get_if<AdvanceStep>(&action)) {
    text = sim::format_iso8601_duration(advance->duration_us);
    text.insert(0, "advance ");
  } else {
    text = "until_idle";
  }
  return text;
}

ParseResult parse_scenario(const json& document) {
  ParseResult result;
  if (!document.is_object()) {
    result.errors.push_back("(top level): a scenario is a JSON object, got " + shown(document));
    return result;
  }
  Checker checker;
  checker.unknown_keys(document, "", kTopLevelKeys);
  Scenario scenario;
  parse_header(document, scenario, checker);
  auto steps = document.find("steps");
  if (steps == document.end()) {
    checker.fail("steps: missing");
  } else if (!steps->is_array()) {
    checker.fail("steps: must be an array, got " + shown(*steps));
  } else {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      std::optional<Step> step =
          parse_step((*steps)[i], "steps[" + std::to_string(i) + "]", checker);
      if (step) scenario.steps.push_back(std::move(*step));
    }
  }
  if (checker.clean()) result.scenario = std::move(scenario);
  else result.errors = checker.take();
  return result;
}

ParseResult parse_scenario_text(std::string_view text) {
  ParseResult result;
  TextChecker checker;
  json document;
  bool well_formed = false;
  try {
    well_formed = json::sax_parse(text.begin(), text.end(), &checker);
    if (well_formed) document = json::parse(text.begin(), text.end());
  } catch (const std::exception& error) {
    checker.errors.push_back("malformed JSON: " + parse_error_text(error));
    well_formed = false;
  }
  if (!well_formed) {
    result.errors = std::move(checker.errors);
    return result;
  }
  result = parse_scenario(document);
  if (!checker.errors.empty()) {
    result.scenario.reset();
    result.errors.insert(result.errors.begin(), checker.errors.begin(), checker.errors.end());
  }
  return result;
}

ParseResult load_scenario_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    ParseResult result;
    result.errors.push_back(path + ": cannot be read");
    return result;
  }
  ParseResult result = parse_scenario_text(text.str());
  for (std::string& error : result.errors) error = path + ": " + error;
  return result;
}

}  // namespace wfsim::scenarios
