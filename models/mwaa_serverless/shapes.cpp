// Response shapes of the MWAA Serverless API (fact sheet sections 4, 7 and 9.5): summaries
// and details of workflows, versions, runs and task instances, rendered from the compact
// records in state.hpp. Follows 9.5: required members always present, timestamps as RFC 3339
// strings, members that have no value yet (CompletedOn, Duration, EndedAt, ...) omitted,
// never null. Chosen where the sheet is silent: the ErrorMessage texts of task instances
// (task_error_message), the task instance id and log stream forms of the sheet's observed
// notes (12.9), and NextToken positions as decimal sequence numbers.
#include <charconv>

#include "models/common/timestamps.hpp"
#include "models/common/validation.hpp"
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/state.hpp"
#include "sim/random.hpp"

namespace wfsim::models::mwaa {
namespace {

nlohmann::json timestamp(sim::TimeUs t) { return encode_timestamp(t, TimestampFormat::date_time); }

std::int64_t whole_seconds(sim::DurationUs d) { return d / sim::kMicrosecondsPerSecond; }

nlohmann::json location_of(const Version& version) {
  return {{"Bucket", version.bucket},
          {"ObjectKey", version.object_key},
          {"VersionId", version.object_version}};
}

void add_schedule(const Version& version, nlohmann::json& out) {
  if (version.definition.schedule) {
    out["ScheduleConfiguration"] = {{"CronExpression", *version.definition.schedule}};
  }
}

// Lower-case hex of a 64-bit value, `digits` wide, written into `out`.
void append_hex(std::string& out, std::uint64_t value, int digits) {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// The execution uuid, formatted as a version-4 UUID (the version and variant bits are forced
// when the run is created, runs.cpp).
void append_uuid(std::string& out, std::uint64_t high, std::uint64_t low) {
  append_hex(out, high >> 32, 8);
  out += '-';
  append_hex(out, (high >> 16) & 0xFFFF, 4);
  out += '-';
  append_hex(out, high & 0xFFFF, 4);
  out += '-';
  append_hex(out, low >> 48, 4);
  out += '-';
  append_hex(out, low & 0xFFFFFFFFFFFFULL, 12);
}

std::string execution_prefix(const Run& run) {
  std::string prefix = "ex_";
  prefix.reserve(40);
  append_uuid(prefix, run.uuid_high, run.uuid_low);
  prefix += '_';
  return prefix;
}

// TaskInstanceId is an IdString of at most 255 characters (section 3), but a task id may have
// 250 (12.4), so the observed form "ex_<uuid>_<task id>_<attempt>" can be too long. How the
// service shortens it is unconfirmed; the simulator keeps the task id's head and puts "-" and
// 16 hex digits of the whole id's stable hash in place of the rest, so that ids stay distinct
// and within 255 characters.
constexpr std::size_t kMaxIdStringLength = 255;
constexpr std::size_t kHashedTailLength = 17;  // "-" and 16 hex digits

// The task id as a TaskInstanceId shows it, when `room` characters are left for it.
std::string task_part(const std::string& task_id, std::size_t room) {
  if (task_id.size() <= room) return task_id;
  std::string part = task_id.substr(0, room - kHashedTailLength);
  part += '-';
  append_hex(part, sim::stable_hash(task_id), 16);
  return part;
}

// What an instance id leaves for the task id after the prefix, "_" and the attempt.
std::size_t task_part_room(const std::string& prefix, const std::string& attempt) {
  return kMaxIdStringLength - prefix.size() - 1 - attempt.size();
}

// "<prefix><task id>_<attempt>", the prefix being the run's execution_prefix.
std::string instance_id(const std::string& prefix, const Run& run, const TaskInstance& instance) {
  const std::string attempt = std::to_string(instance.attempt);
  std::string id = prefix;
  id += task_part(run.version->definition.tasks[instance.task].task_id,
                  task_part_room(prefix, attempt));
  id += '_';
  id += attempt;
  return id;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::shared_ptr<const Version> Workflow::find_version(std::string_view id) const {
  for (const auto& version : versions) {
    if (version->id == id) return version;
  }
  return nullptr;
}

std::optional<AwsError> MwaaServerless::read_position(
    const std::optional<std::string>& token, const std::string& scope,
    std::optional<std::uint64_t>* position) const {
  if (!token) return std::nullopt;
  const auto text = page_tokens_.decode(scope, *token);
  const auto value = text ? parse_decimal(*text) : std::nullopt;
  if (!value) {
    return validation_error("fieldValidationFailed", "NextToken",
                            "Invalid NextToken " + show_value(nlohmann::json(*token)) +
                                ": it is malformed or belongs to another request");
  }
  *position = value;
  return std::nullopt;
}

std::string MwaaServerless::next_token(const std::string& scope, std::uint64_t position) const {
  return page_tokens_.encode(scope, std::to_string(position));
}

nlohmann::json MwaaServerless::workflow_summary(const Workflow& workflow) const {
  const Version& latest = *workflow.versions.back();
  nlohmann::json out = {
      {"WorkflowArn", workflow.arn}, {"WorkflowVersion", latest.id}, {"Name", workflow.name}};
  if (latest.description) out["Description"] = *latest.description;
  out["CreatedAt"] = timestamp(workflow.created_us);
  out["ModifiedAt"] = timestamp(latest.created_us);
  out["WorkflowStatus"] = workflow.deleting ? "DELETING" : "READY";
  out["TriggerMode"] = to_string(latest.mode);
  return out;
}

nlohmann::json MwaaServerless::workflow_detail(const Workflow& workflow,
                                               const Version& version) const {
  nlohmann::json out = {
      {"WorkflowArn", workflow.arn}, {"WorkflowVersion", version.id}, {"Name", workflow.name}};
  if (version.description) out["Description"] = *version.description;
  out["CreatedAt"] = timestamp(workflow.created_us);
  out["ModifiedAt"] = timestamp(version.created_us);
  out["EncryptionConfiguration"] =
      workflow.encryption ? *workflow.encryption : nlohmann::json{{"Type", "AWS_MANAGED_KEY"}};
  out["LoggingConfiguration"] = {{"LogGroupName", version.log_group}};
  out["EngineVersion"] = version.engine_version;
  out["WorkflowStatus"] = workflow.deleting ? "DELETING" : "READY";
  out["DefinitionS3Location"] = location_of(version);
  if (version.code) {
    nlohmann::json code = {{"Bucket", version.code->bucket},
                           {"ObjectKey", version.code->object_key}};
    if (!version.code->version_id.empty()) code["VersionId"] = version.code->version_id;
    out["Code"] = std::move(code);
    out["CodeSnapshottedAt"] = timestamp(version.code->snapshotted_us);
  }
  add_schedule(version, out);
  out["RoleArn"] = version.role_arn;
  if (version.network) out["NetworkConfiguration"] = *version.network;
  out["TriggerMode"] = to_string(version.mode);
  out["WorkflowDefinition"] = version.definition.source_text;
  return out;
}

nlohmann::json MwaaServerless::version_summary(const Workflow& workflow,
                                               const Version& version) const {
  nlohmann::json out = {{"WorkflowVersion", version.id},
                        {"WorkflowArn", workflow.arn},
                        {"IsLatestVersion", workflow.versions.back().get() == &version},
                        {"CreatedAt", timestamp(version.created_us)},
                        {"ModifiedAt", timestamp(version.created_us)},
                        {"DefinitionS3Location", location_of(version)}};
  add_schedule(version, out);
  out["TriggerMode"] = to_string(version.mode);
  return out;
}

nlohmann::json MwaaServerless::run_summary(const Run& run) const {
  nlohmann::json detail = {{"Status", to_string(run.status)},
                           {"CreatedOn", timestamp(run.created_us)},
                           {"StartedAt", timestamp(run.created_us)}};
  if (run.completed_us != kNever) detail["EndedAt"] = timestamp(run.completed_us);
  return {{"RunId", run.id},
          {"WorkflowArn", run.workflow->arn},
          {"WorkflowVersion", run.version->id},
          {"RunType", to_string(run.type)},
          {"RunDetailSummary", std::move(detail)}};
}

// Built in key order (append_in_key_order): GetWorkflowRun is the call a polling client
// repeats.
nlohmann::json MwaaServerless::run_detail(const Run& run) const {
  nlohmann::json::array_t ids;
  ids.reserve(run.instances.size());
  const std::string prefix = execution_prefix(run);
  for (const auto& instance : run.instances) ids.emplace_back(instance_id(prefix, run, instance));
  const nlohmann::json created = timestamp(run.created_us);
  const bool completed = run.completed_us != kNever;
  nlohmann::json::object_t out;
  if (completed) append_in_key_order(out, "CompletedOn", timestamp(run.completed_us));
  append_in_key_order(out, "CreatedAt", created);
  if (completed) {
    append_in_key_order(out, "Duration", whole_seconds(run.completed_us - run.created_us));
  }
  if (run.error_message) append_in_key_order(out, "ErrorMessage", *run.error_message);
  append_in_key_order(out, "ModifiedAt", timestamp(run.modified_us));
  append_in_key_order(out, "RunId", run.id);
  append_in_key_order(out, "RunState", to_string(run.status));
  append_in_key_order(out, "RunType", to_string(run.type));
  append_in_key_order(out, "StartedOn", created);
  append_in_key_order(out, "TaskInstances", std::move(ids));
  append_in_key_order(out, "WorkflowArn", run.workflow->arn);
  append_in_key_order(out, "WorkflowVersion", run.version->id);
  return nlohmann::json(std::move(out));
}

std::string MwaaServerless::task_instance_id(const Run& run, const TaskInstance& instance) const {
  return instance_id(execution_prefix(run), run, instance);
}

// Parses "ex_<uuid>_<task id>_<attempt>" against the run instead of keeping every id.
const TaskInstance* MwaaServerless::find_instance(const Run& run, std::string_view id) const {
  const std::string prefix = execution_prefix(run);
  if (id.substr(0, prefix.size()) != prefix) return nullptr;
  id.remove_prefix(prefix.size());
  const std::size_t last = id.rfind('_');
  if (last == std::string_view::npos) return nullptr;
  const auto attempt = parse_decimal(id.substr(last + 1));
  // Only the canonical spelling of the attempt names an instance ("_1", not "_01").
  if (!attempt || std::to_string(*attempt) != id.substr(last + 1)) return nullptr;
  const std::string_view shown_task = id.substr(0, last);
  const std::size_t room = task_part_room(prefix, std::to_string(*attempt));
  for (const auto& instance : run.instances) {
    if (instance.attempt != *attempt) continue;
    const std::string& task_id = run.version->definition.tasks[instance.task].task_id;
    // Most ids show the task id whole; only a long one needs its shortened form made.
    const bool shown = task_id.size() <= room ? task_id == shown_task
                                              : task_part(task_id, room) == shown_task;
    if (shown) return &instance;
  }
  return nullptr;
}

std::string MwaaServerless::task_error_message(const Run& run, const TaskInstance& instance) const {
  const TaskDefinition& task = run.version->definition.tasks[instance.task];
  const std::string timeout_text = "Task execution timed out after " +
                                   std::to_string(whole_seconds(task.execution_timeout_us)) +
                                   " seconds (execution_timeout)";
  // Rendered again only for an attempt that failed so: the run's template context does not
  // change, so the value is the one that failed it.
  const auto failed_text = [this, &run, &instance] {
    std::string text = "Task execution failed";
    const auto oversized = instance.xcom_too_large ? oversized_xcom(run, instance) : std::nullopt;
    if (oversized) {
      text += ": XCom value '" + oversized->first + "' is " + std::to_string(oversized->second) +
              " bytes, more than the " + std::to_string(kMaxXcomValueBytes) +
              " (100 KB) an XCom value may hold";
    }
    return text;
  };
  switch (instance.status) {
    case TaskStatus::FAILED:
      return failed_text();
    case TaskStatus::TIMEOUT:
      return timeout_text;
    case TaskStatus::UP_FOR_RETRY:
      return (instance.timed_out ? timeout_text : failed_text()) + "; attempt " +
             std::to_string(instance.attempt + 1) + " will follow";
    case TaskStatus::UPSTREAM_FAILED:
      return "Trigger rule " + std::string(to_string(run.version->tasks[instance.task].rule)) +
             " can no longer be met by the upstream tasks";
    case TaskStatus::CANCELLED:
      return run.status == RunStatus::TIMEOUT ? "Task cancelled: the workflow run timed out"
                                              : "Task cancelled: the workflow run was stopped";
    default:
      return "";
  }
}

std::optional<std::pair<std::string, std::size_t>> MwaaServerless::oversized_xcom(
    const Run& run, const TaskInstance& instance) const {
  const auto& xcom = run.version->tasks[instance.task].profile.xcom;
  if (!xcom) return std::nullopt;
  const TemplateContext context =
      template_context(run, run.version->definition.tasks[instance.task].task_id);
  for (const auto& [key, text] : *xcom) {
    const auto rendered = render_template(text, context);
    const auto* value = std::get_if<std::string>(&rendered);
    if (value != nullptr && value->size() > kMaxXcomValueBytes) {
      return std::make_pair(key, value->size());
    }
  }
  return std::nullopt;
}

nlohmann::json MwaaServerless::task_instance_summary(const Run& run,
                                                     const TaskInstance& instance) const {
  nlohmann::json out = {{"WorkflowArn", run.workflow->arn},
                        {"WorkflowVersion", run.version->id},
                        {"RunId", run.id},
                        {"TaskInstanceId", task_instance_id(run, instance)},
                        {"Status", to_string(instance.status)}};
  if (instance.started_us != kNever && instance.ended_us() != kNever) {
    out["DurationInSeconds"] = whole_seconds(instance.ended_us() - instance.started_us);
  }
  out["OperatorName"] = run.version->definition.tasks[instance.task].operator_name;
  return out;
}

nlohmann::json MwaaServerless::task_instance_detail(const Run& run,
                                                    const TaskInstance& instance) const {
  const TaskDefinition& task = run.version->definition.tasks[instance.task];
  nlohmann::json out = task_instance_summary(run, instance);
  out["ModifiedAt"] = timestamp(instance.modified_us);
  if (instance.started_us != kNever) out["StartedAt"] = timestamp(instance.started_us);
  if (instance.ended_us() != kNever) out["EndedAt"] = timestamp(instance.ended_us());
  out["AttemptNumber"] = instance.attempt;
  const std::string error = task_error_message(run, instance);
  if (!error.empty()) out["ErrorMessage"] = std::string(first_code_points(error, kMaxErrorMessage));
  // A task id that starts with '_', '.' or '-' is accepted (12.4 leaves it unconfirmed), and
  // is shown as it is, although the API's IdString would want an alphanumeric first character.
  out["TaskId"] = task.task_id;
  // The observed form of 12.9 (run-derivation notes), kept although its '=' and '/' fall
  // outside the IdString pattern that section 3 gives LogStream: the sheet conflicts here,
  // and clients read log streams by this form.
  out["LogStream"] = "workflow_id=" + run.workflow->resource_name + "/run_id=" + run.id +
                     "/task_id=" + task.task_id + "/attempt=" + std::to_string(instance.attempt) +
                     ".log";
  const auto& xcom = run.version->tasks[instance.task].profile.xcom;
  if (instance.status == TaskStatus::SUCCESS && xcom) {
    const TemplateContext context = template_context(run, task.task_id);
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [key, text] : *xcom) {
      auto rendered = render_template(text, context);
      // The templates rendered at configuration time, so an error here can only come from
      // a value of this run; its text is shown in place of the value.
      const std::string& value = std::holds_alternative<std::string>(rendered)
                                     ? std::get<std::string>(rendered)
                                     : std::get<DefinitionError>(rendered).message;
      // An Xcom value has 1..255 characters (section 7): one that renders empty is left
      // out, a longer one is cut to its first 255 (chosen; the sheet names no rule).
      if (value.empty()) continue;
      values[key] = std::string(first_code_points(value, kMaxXcomText));
    }
    out["Xcom"] = std::move(values);
  }
  return out;
}

}  // namespace wfsim::models::mwaa
