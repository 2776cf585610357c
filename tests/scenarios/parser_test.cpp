// The strict scenario parser: every key error names its JSON path, malformed JSON names its
// line and column, and nothing a file holds crashes the parser.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "scenarios/scenario.hpp"

namespace wfsim::scenarios {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({
    "wfsim": 1, "name": "minimal", "seed": 42, "start": "2026-01-01T00:00:00Z",
    "steps": [{"advance": 60}]
  })");
}

json with_step(const json& step) {
  json document = minimal();
  document["steps"] = json::array({step});
  return document;
}

std::vector<std::string> errors_of(const json& document) {
  ParseResult result = parse_scenario(document);
  EXPECT_FALSE(result.ok());
  return result.errors;
}

// The single error a document has.
std::string error_of(const json& document) {
  std::vector<std::string> errors = errors_of(document);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? std::string() : errors.front();
}

TEST(ScenarioParser, ReadsEveryPartOfAValidScenario) {
  ParseResult result = parse_scenario_text(R"({
    "wfsim": 1, "name": "all", "description": "every key", "seed": 18446744073709551615,
    "start": "2026-01-01T00:00:00.25Z", "config": {"region": "eu-west-1"},
    "steps": [
      {"call": "mwaa-serverless:StartWorkflowRun", "request": {"WorkflowArn": "${arn}"},
       "expect": {"Status": "STARTING"}, "save": {"run": "/RunId"},
       "fault": {"kind": "latency", "latency": "PT2S"}, "expect_fault": "latency", "note": "n"},
      {"call": "mwaa-serverless:GetWorkflowRun", "request": {}, "expect_error": "ResourceNotFoundException",
       "fault": "throttle"},
      {"advance": "PT10M"}, {"advance": 1.5}, {"until_idle": true}, {"until_idle": {"max_events": 5}}
    ]})");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.errors);
  const Scenario& scenario = *result.scenario;
  EXPECT_EQ(scenario.name, "all");
  EXPECT_EQ(scenario.description, "every key");
  EXPECT_EQ(scenario.seed, UINT64_MAX);
  EXPECT_EQ(scenario.start_us, 1767225600250000);
  EXPECT_EQ(scenario.start_text, "2026-01-01T00:00:00.25Z");
  EXPECT_EQ(scenario.config["region"], "eu-west-1");
  ASSERT_EQ(scenario.steps.size(), 6u);
  const auto& start = std::get<CallStep>(scenario.steps[0].action);
  EXPECT_EQ(start.service, "mwaa-serverless");
  EXPECT_EQ(start.operation, "StartWorkflowRun");
  EXPECT_EQ(start.request["WorkflowArn"], "${arn}");
  EXPECT_EQ((*start.expect)["Status"], "STARTING");
  EXPECT_EQ(start.save.at("run"), "/RunId");
  EXPECT_EQ(start.fault->kind, sim::FaultKind::latency);
  EXPECT_EQ(start.fault->latency_us, sim::seconds(2));
  EXPECT_EQ(*start.expect_fault, sim::FaultKind::latency);
  EXPECT_EQ(scenario.steps[0].note, "n");
  const auto& get = std::get<CallStep>(scenario.steps[1].action);
  EXPECT_EQ(*get.expect_error, "ResourceNotFoundException");
  EXPECT_EQ(get.fault->kind, sim::FaultKind::throttle);
  EXPECT_EQ(std::get<AdvanceStep>(scenario.steps[2].action).duration_us, sim::minutes(10));
  EXPECT_EQ(std::get<AdvanceStep>(scenario.steps[3].action).duration_us, 1'500'000);
  EXPECT_FALSE(std::get<UntilIdleStep>(scenario.steps[4].action).bounded);
  EXPECT_EQ(std::get<UntilIdleStep>(scenario.steps[5].action).max_events, 5u);
  EXPECT_TRUE(std::get<UntilIdleStep>(scenario.steps[5].action).bounded);
  EXPECT_EQ(scenario.steps[0].describe(), "call mwaa-serverless:StartWorkflowRun");
  EXPECT_EQ(scenario.steps[2].describe(), "advance PT10M");
  EXPECT_EQ(scenario.steps[4].describe(), "until_idle");
}

TEST(ScenarioParser, ConfigDefaultsToEmpty) {
  ParseResult result = parse_scenario(minimal());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.scenario->config, json::object());
}

TEST(ScenarioParser, UnknownStepKeySuggestsTheNearestKey) {
  json step = {{"call", "fake:Echo"}, {"request", json::object()}, {"expct", json::object()}};
  EXPECT_EQ(error_of(with_step(step)), "steps[0].expct: unknown key; did you mean 'expect'?");
  json swapped = {{"call", "fake:Echo"}, {"request", json::object()}, {"saev", json::object()}};
  EXPECT_EQ(error_of(with_step(swapped)), "steps[0].saev: unknown key; did you mean 'save'?");
  json far = {{"advance", 1}, {"zzzzzzzz", 1}};
  EXPECT_EQ(error_of(with_step(far)), "steps[0].zzzzzzzz: unknown key");
}

TEST(ScenarioParser, UnknownTopLevelKeyIsNamed) {
  json document = minimal();
  document["sed"] = 1;
  EXPECT_EQ(error_of(document), "sed: unknown key; did you mean 'seed'?");
}

TEST(ScenarioParser, HeaderMembersAreRequiredAndTyped) {
  for (const char* member : {"wfsim", "name", "seed", "start", "steps"}) {
    json document = minimal();
    document.erase(member);
    EXPECT_EQ(error_of(document).rfind(std::string(member) + ": missing", 0), 0u) << member;
  }
  json document = minimal();
  document["wfsim"] = 2;
  EXPECT_EQ(error_of(document), "wfsim: format 2 is not supported; this wfsim reads format 1");
  document = minimal();
  document["seed"] = -1;
  EXPECT_EQ(error_of(document).rfind("seed: must be a non-negative integer", 0), 0u);
  document = minimal();
  document["start"] = "2026-13-01T00:00:00Z";
  EXPECT_EQ(error_of(document).rfind("start: ", 0), 0u);
  document = minimal();
  document["config"] = "x";
  EXPECT_EQ(error_of(document).rfind("config: must be an object", 0), 0u);
  document = minimal();
  document["steps"] = json::object();
  EXPECT_EQ(error_of(document).rfind("steps: must be an array", 0), 0u);
  document = minimal();
  document["description"] = 5;
  EXPECT_EQ(error_of(document).rfind("description: must be a string", 0), 0u);
}

TEST(ScenarioParser, AStepDoesExactlyOneAction) {
  EXPECT_EQ(error_of(with_step({{"advance", 1}, {"until_idle", true}})),
            "steps[0]: a step does exactly one of 'call', 'advance', 'until_idle', and this one "
            "has advance, until_idle");
  EXPECT_EQ(error_of(with_step({{"note", "nothing"}})),
            "steps[0]: a step does exactly one of 'call', 'advance', 'until_idle', and this one "
            "has none");
  EXPECT_EQ(error_of(with_step(json::array())).rfind("steps[0]: a step is an object", 0), 0u);
}

TEST(ScenarioParser, CallOnlyKeysAreRejectedOnClockSteps) {
  EXPECT_EQ(error_of(with_step({{"advance", 1}, {"expect", json::object()}})),
            "steps[0].expect: only a 'call' step may have it");
}

TEST(ScenarioParser, CallStepsAreChecked) {
  EXPECT_EQ(error_of(with_step({{"call", "StartWorkflowRun"}, {"request", json::object()}}))
                .rfind("steps[0].call: must be \"service:Operation\"", 0),
            0u);
  EXPECT_EQ(error_of(with_step({{"call", "fake:Echo"}})),
            "steps[0].request: missing; a call needs a request (write {} for none)");
  EXPECT_EQ(error_of(with_step({{"call", "fake:Echo"}, {"request", json::object()},
                                {"expect", json::object()}, {"expect_error", "X"}})),
            "steps[0]: has both 'expect' and 'expect_error'; a call either answers or fails");
  EXPECT_EQ(
      error_of(with_step({{"call", "fake:Echo"}, {"request", json::object()}, {"expect_error", 5}}))
          .rfind("steps[0].expect_error: must be an error code string", 0),
      0u);
}

TEST(ScenarioParser, SavesNeedNamesAndPointers) {
  json step = {{"call", "fake:Echo"}, {"request", json::object()}};
  step["save"] = {{"run", "RunId"}};
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].save.run: 'RunId' is not a JSON pointer", 0),
            0u);
  step["save"] = {{"run id", "/RunId"}};
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].save.run id: a save name is", 0), 0u);
  step["save"] = {{"run", 3}};
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].save.run: must be a JSON pointer", 0), 0u);
  step["save"] = "run";
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].save: must be an object", 0), 0u);
}

TEST(ScenarioParser, FaultsAreChecked) {
  json step = {{"call", "fake:Echo"}, {"request", json::object()}};
  step["fault"] = "throtle";
  EXPECT_NE(error_of(with_step(step)).find("steps[0].fault: \"throtle\" is not a fault kind"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(step)).find("did you mean 'throttle'?"), std::string::npos);
  step["fault"] = {{"kind", "latency"}, {"latncy", "PT1S"}};
  EXPECT_EQ(error_of(with_step(step)),
            "steps[0].fault.latncy: unknown key; did you mean 'latency'?");
  step["fault"] = {{"latency", "PT1S"}};
  EXPECT_EQ(error_of(with_step(step)), "steps[0].fault.kind: missing");
  step["fault"] = {{"kind", "throttle"}, {"retry_after_seconds", -1}};
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].fault.retry_after_seconds: must be", 0), 0u);
  step["fault"] = {{"kind", "latency"}, {"latency", "soon"}};
  EXPECT_EQ(error_of(with_step(step)).rfind("steps[0].fault.latency: ", 0), 0u);
  // As in a plan's rule, a delay belongs to latency and RetryAfterSeconds to throttle.
  step["fault"] = {{"kind", "internal"}, {"latency", "PT1S"}};
  EXPECT_EQ(error_of(with_step(step)),
            "steps[0].fault.latency: applies only to kind \"latency\"");
  step["fault"] = {{"kind", "latency"}, {"retry_after_seconds", 1}};
  EXPECT_EQ(error_of(with_step(step)),
            "steps[0].fault.retry_after_seconds: applies only to kind \"throttle\"");
  step.erase("fault");
  step["expect_fault"] = "lost";
  EXPECT_EQ(
      error_of(with_step(step)).rfind("steps[0].expect_fault: \"lost\" is not a fault kind", 0),
      0u);
}

TEST(ScenarioParser, ClockStepsAreChecked) {
  EXPECT_EQ(error_of(with_step({{"advance", -1}})).rfind("steps[0].advance: must be between", 0),
            0u);
  EXPECT_EQ(error_of(with_step({{"advance", "PT"}})).rfind("steps[0].advance: ", 0), 0u);
  // An ISO-8601 duration has the same 100-year bound as seconds.
  EXPECT_EQ(error_of(with_step({{"advance", "P106751990D"}})),
            "steps[0].advance: must be at most 100 years, got \"P106751990D\"");
  EXPECT_TRUE(parse_scenario(with_step({{"advance", "P36500D"}})).ok());
  EXPECT_EQ(error_of(with_step({{"advance", true}})).rfind("steps[0].advance: must be seconds", 0),
            0u);
  EXPECT_EQ(
      error_of(with_step({{"until_idle", false}})).rfind("steps[0].until_idle: must be true", 0),
      0u);
  EXPECT_EQ(error_of(with_step({{"until_idle", {{"max_events", 0}}}})),
            "steps[0].until_idle.max_events: must be a positive integer, got 0");
  EXPECT_EQ(errors_of(with_step({{"until_idle", {{"max_event", 3}}}})),
            (std::vector<std::string>{
                "steps[0].until_idle.max_event: unknown key; did you mean 'max_events'?",
                "steps[0].until_idle.max_events: must be a positive integer (missing)"}));
}

TEST(ScenarioParser, EveryErrorIsReportedNotJustTheFirst) {
  json document = minimal();
  document["steps"] = json::array({{{"advance", -1}}, {{"call", "x"}}, {{"until_idle", 1}}});
  document["nme"] = "x";
  EXPECT_EQ(errors_of(document).size(), 5u);
}

TEST(ScenarioParser, MalformedJsonNamesLineAndColumn) {
  ParseResult result = parse_scenario_text("{\n  \"wfsim\": 1,\n  \"name\": \"x\",,\n}");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind("malformed JSON: parse error at line 3, column 15", 0), 0u)
      << result.errors[0];
  EXPECT_FALSE(parse_scenario_text("").ok());
  EXPECT_FALSE(parse_scenario_text("\xff\xfe").ok());
  EXPECT_EQ(
      parse_scenario_text("[1]").errors.at(0).rfind("(top level): a scenario is a JSON object", 0),
      0u);
}

TEST(ScenarioParser, RepeatedKeysAreErrorsWithTheirPath) {
  ParseResult result = parse_scenario_text(R"({"wfsim": 1, "name": "x", "seed": 1,
    "start": "2026-01-01T00:00:00Z",
    "steps": [{"advance": 1}, {"call": "fake:Echo", "request": {"a": 1, "a": 2}}]})");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0],
            "steps[1].request.a: key repeated in one object; only one value would be kept");
}

TEST(ScenarioParser, DeepNestingIsRefusedWithoutExhaustingTheStack) {
  std::string deep = R"({"wfsim": 1, "name": "x", "seed": 1, "start": "2026-01-01T00:00:00Z",
    "steps": [{"call": "fake:Echo", "request": )" +
                     std::string(100000, '[') + std::string(100000, ']') + "}]}";
  ParseResult result = parse_scenario_text(deep);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind("steps[0].request", 0), 0u) << result.errors[0];
  EXPECT_NE(result.errors[0].find("nested deeper than 256 levels"), std::string::npos);
}

TEST(ScenarioParser, UnreadableFileIsNamed) {
  ParseResult result = load_scenario_file("/nonexistent/scenario.json");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], "/nonexistent/scenario.json: cannot be read");
}

TEST(ScenarioParser, ClosestMatchOffersOnlyLikelyTypos) {
  std::vector<std::string_view> keys = {"expect", "expect_error", "request"};
  EXPECT_EQ(closest_match("expect_eror", keys), "expect_error");
  EXPECT_EQ(closest_match("requets", keys), "request");
  EXPECT_EQ(closest_match("x", keys), "");
  EXPECT_EQ(closest_match("response", keys), "");
}

TEST(ScenarioParser, DurationsAreSecondsOrIso8601) {
  std::string error;
  EXPECT_EQ(parse_duration(json(90), &error), sim::seconds(90));
  EXPECT_EQ(parse_duration(json(0.25), &error), 250'000);
  EXPECT_EQ(parse_duration(json("P1D"), &error), sim::days(1));
  EXPECT_FALSE(parse_duration(json(1e300), &error));
  EXPECT_FALSE(parse_duration(json(nullptr), &error));
}

// Whatever bytes a file holds, the parser answers with a scenario or errors, never a crash.
RC_GTEST_PROP(ScenarioParserProperty, ArbitraryTextNeverCrashes, (const std::string& text)) {
  ParseResult result = parse_scenario_text(text);
  RC_ASSERT(result.ok() != !result.errors.empty());
}

// Random text almost never parses as JSON, so the property above mostly meets the syntax
// error path. Byte edits of a valid scenario's text reach the scenario rules as well: the
// parser still answers with a scenario or errors, and the edits that keep it valid do so.
RC_GTEST_PROP(ScenarioParserProperty, EditedValidTextNeverCrashes, ()) {
  std::string text = R"({"wfsim":1,"name":"e","seed":7,"start":"2026-01-01T00:00:00Z",
    "config":{"objects":{"s3://b/k":"x"},"faults":{"rules":[{"match":"*","kind":"latency",
    "latency":"PT1S","nth":2}]}},"steps":[{"call":"mwaa-serverless:ListWorkflows",
    "request":{"MaxResults":5},"save":{"t":"/NextToken"},"expect":{"Workflows":[]},
    "fault":{"kind":"throttle","retry_after_seconds":3}},{"advance":"PT5M"},
    {"until_idle":{"max_events":9}},{"call":"glue:GetWorkflow","request":{"Name":"${t}"},
    "expect_error":"EntityNotFoundException","note":"n"}]})";
  RC_ASSERT(parse_scenario_text(text).ok());  // the edits start from a valid scenario
  const auto edits = *rc::gen::inRange<std::size_t>(1, 8);
  for (std::size_t edit = 0; edit < edits; ++edit) {
    const auto at = *rc::gen::inRange<std::size_t>(0, text.size());
    const char byte = *rc::gen::elementOf(std::string("{}[]\":,0123456789-.eE tfnul${}\\\n\x01\xff"));
    switch (*rc::gen::inRange(0, 3)) {
      case 0: text.insert(at, 1, byte); break;
      case 1: text.erase(at, 1); break;
      default: text[at] = byte; break;
    }
  }
  const ParseResult result = parse_scenario_text(text);
  RC_CLASSIFY(result.ok(), "still valid");
  RC_ASSERT(result.ok() != !result.errors.empty());
}

// Mutating a valid scenario's keys gives errors, never a crash.
RC_GTEST_PROP(ScenarioParserProperty, RenamedKeysAreReported, (const std::string& key)) {
  RC_PRE(!key.empty());
  json document = minimal();
  document["steps"][0][key] = 1;
  ParseResult result = parse_scenario(document);
  // Only "advance" may be set to 1 here: it replaces the step's own advance.
  RC_ASSERT(result.ok() == (key == "advance"));
}

}  // namespace
}  // namespace wfsim::scenarios
