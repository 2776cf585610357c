// The recorder. Requests keep their ${name} templates and saves, so the recording reads like
// its source; the expectations are literal, with any "${" in a response escaped as "$${" so
// replay does not mistake it for a template.
#include "scenarios/recorder.hpp"

#include <utility>

namespace wfsim::scenarios {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json ordered(const json& value) {
  return ordered_json::parse(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The members of a call step a recording keeps from its source, in reading order.
ordered_json recorded_call(const Step& step, const StepRecord& record) {
  ordered_json out;
  const json& source = step.source;
  out["call"] = source.at("call");
  out["request"] = ordered(source.at("request"));
  if (source.contains("fault")) out["fault"] = ordered(source.at("fault"));
  if (record.response) {
    out["expect"] = ordered(escape_templates(*record.response));
  } else if (!record.error_code.empty()) {
    out["expect_error"] = record.error_code;
  }
  if (record.fault != sim::FaultKind::none) out["expect_fault"] = sim::to_string(record.fault);
  if (source.contains("save")) out["save"] = ordered(source.at("save"));
  if (source.contains("note")) out["note"] = source.at("note");
  return out;
}

ordered_json recorded_step(const Step& step, const StepRecord* record) {
  bool is_call = std::holds_alternative<CallStep>(step.action);
  // A call that was never made (its substitution failed) has nothing to record.
  if (!is_call || record == nullptr || !record->called) return ordered(step.source);
  return recorded_call(step, *record);
}

}  // namespace

ordered_json build_recording(const Scenario& scenario, const RunResult& run) {
  ordered_json out;
  out["wfsim"] = kFormatVersion;
  out["name"] = scenario.name;
  out["description"] = "Recorded from scenario '" + scenario.name + "' at seed " +
                       std::to_string(run.seed) + ": every call expects exactly what it answered.";
  out["seed"] = run.seed;
  out["start"] = scenario.start_text;
  out["config"] = ordered(scenario.config);
  ordered_json steps = ordered_json::array();
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const StepRecord* record = i < run.steps.size() ? &run.steps[i] : nullptr;
    steps.push_back(recorded_step(scenario.steps[i], record));
  }
  out["steps"] = std::move(steps);
  return out;
}

Recording record_scenario(const Scenario& scenario, const RunOptions& options) {
  RunOptions recording_options = options;
  recording_options.keep_responses = true;
  Recording recording;
  recording.run = run_scenario(scenario, recording_options);
  recording.scenario = build_recording(scenario, recording.run);
  return recording;
}

std::string Recording::text() const {
  return scenario.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace wfsim::scenarios
