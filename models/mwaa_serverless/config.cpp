// Configuration of the MWAA Serverless service: quotas, timings, throttling and the
// idempotency window from config.services["mwaa-serverless"], and task behaviour profiles
// from config.profiles["mwaa-serverless"]. The layouts are documented at the top of
// service.cpp. Unknown members are errors, so that a typo never passes silently; every
// error message starts with the path of the member that is wrong.
#include <limits>

#include "models/common/validation.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

constexpr std::string_view kServicePrefix = "services.mwaa-serverless";
constexpr std::string_view kProfilePrefix = "profiles.mwaa-serverless";

std::string path_of(std::string_view parent, std::string_view member) {
  return std::string(parent) + "." + std::string(member);
}

std::string shown(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The default task profile: every attempt takes 20 to 90 seconds and succeeds.
TaskProfile builtin_task_profile() {
  TaskProfile profile;
  profile.behaviour.duration =
      DurationSpec{DurationSpec::Kind::uniform, sim::seconds(20), sim::seconds(90)};
  return profile;
}

std::optional<std::string> read_quota(const nlohmann::json& value, const std::string& path,
                                      std::uint32_t* out) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
      value.get<std::int64_t>() > std::numeric_limits<std::uint32_t>::max()) {
    return path + ": must be a non-negative integer, got " + shown(value);
  }
  *out = static_cast<std::uint32_t>(value.get<std::int64_t>());
  return std::nullopt;
}

std::optional<std::string> read_quotas(const nlohmann::json& json, Quotas* quotas) {
  const std::string parent = path_of(kServicePrefix, "quotas");
  if (!json.is_object()) return parent + ": must be an object, got " + shown(json);
  const std::map<std::string_view, std::uint32_t*> members = {
      {"workflows_per_account", &quotas->workflows_per_account},
      {"versions_per_workflow", &quotas->versions_per_workflow},
      {"concurrent_runs_per_workflow", &quotas->concurrent_runs_per_workflow},
      {"concurrent_runs_per_account", &quotas->concurrent_runs_per_account},
  };
  for (const auto& [name, value] : json.items()) {
    const auto found = members.find(name);
    if (found == members.end()) {
      return path_of(parent, name) +
             ": unknown member (expected workflows_per_account, versions_per_workflow, "
             "concurrent_runs_per_workflow or concurrent_runs_per_account)";
    }
    if (auto error = read_quota(value, path_of(parent, name), found->second)) return error;
  }
  return std::nullopt;
}

std::optional<std::string> read_duration(const nlohmann::json& value, const std::string& path,
                                         sim::DurationUs* out) {
  std::string problem;
  const auto duration = parse_duration_json(value, &problem);
  if (!duration) return path + ": " + problem;
  *out = *duration;
  return std::nullopt;
}

std::optional<std::string> read_timings(const nlohmann::json& json, Timings* timings) {
  const std::string parent = path_of(kServicePrefix, "timings");
  if (!json.is_object()) return parent + ": must be an object, got " + shown(json);
  const std::map<std::string_view, sim::DurationUs*> members = {
      {"queue_delay", &timings->queue_delay_us},           {"startup", &timings->startup_us},
      {"task_queue_delay", &timings->task_queue_delay_us}, {"stop_delay", &timings->stop_delay_us},
      {"run_timeout", &timings->run_timeout_us},
  };
  for (const auto& [name, value] : json.items()) {
    const auto found = members.find(name);
    if (found == members.end()) {
      return path_of(parent, name) +
             ": unknown member (expected queue_delay, startup, task_queue_delay, stop_delay "
             "or run_timeout)";
    }
    if (auto error = read_duration(value, path_of(parent, name), found->second)) return error;
  }
  // A run must be able to time out: a zero timeout would end every run the moment it starts.
  if (timings->run_timeout_us <= 0) {
    return path_of(parent, "run_timeout") + ": must be longer than zero";
  }
  return std::nullopt;
}

std::optional<std::string> read_service_member(const std::string& name, const nlohmann::json& value,
                                               ServiceOptions* options) {
  if (name == "quotas") return read_quotas(value, &options->quotas);
  if (name == "timings") return read_timings(value, &options->timings);
  if (name == "idempotency_window") {
    return read_duration(value, path_of(kServicePrefix, name), &options->idempotency_window_us);
  }
  if (name == "throttle") {
    std::string problem;
    options->throttle = OperationThrottle::from_json(value, &problem);
    if (!options->throttle) return path_of(kServicePrefix, name) + ": " + problem;
    return std::nullopt;
  }
  return path_of(kServicePrefix, name) +
         ": unknown member (expected quotas, timings, throttle or idempotency_window)";
}

// The XCom templates of a profile must render; they are tried once here with an empty
// context so that a syntax error is a configuration error, not a surprise in a run.
std::optional<std::string> read_xcom(const nlohmann::json& json, const std::string& path,
                                     TaskProfile* profile) {
  if (!json.is_object()) return path + ": must be an object of key -> template";
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [key, value] : json.items()) {
    // GetTaskInstance's Xcom keys and values have 1..255 characters (section 7).
    const std::size_t key_length = code_point_length(key);
    if (key_length < 1 || key_length > kMaxXcomText) {
      return path_of(path, key) + ": an XCom key must have 1 to 255 characters, this one has " +
             std::to_string(key_length);
    }
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      return path_of(path, key) + ": must be a non-empty template string, got " + shown(value);
    }
    const auto rendered = render_template(value.get_ref<const std::string&>(), TemplateContext{});
    if (const auto* error = std::get_if<DefinitionError>(&rendered)) {
      return path_of(path, key) + ": " + error->message;
    }
    entries.emplace_back(key, value.get<std::string>());
  }
  profile->xcom = std::move(entries);
  return std::nullopt;
}

std::optional<std::string> check_script(const BehaviourProfile& behaviour,
                                        const std::string& path) {
  if (!behaviour.script) return std::nullopt;
  for (const auto& outcome : *behaviour.script) {
    if (outcome != "SUCCESS" && outcome != "FAILED" && outcome != "TIMEOUT") {
      return path + ".outcome: '" + outcome +
             "' is not a task outcome (expected SUCCESS, FAILED or TIMEOUT)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_task_profile(const nlohmann::json& json, const std::string& path,
                                             TaskProfile* profile) {
  if (!json.is_object()) return path + ": a profile must be an object, got " + shown(json);
  nlohmann::json behaviour_json = json;
  if (json.contains("xcom")) {
    if (auto error = read_xcom(json.at("xcom"), path_of(path, "xcom"), profile)) return error;
    behaviour_json.erase("xcom");
  }
  std::string problem;
  auto behaviour = BehaviourProfile::from_json(behaviour_json, &problem);
  if (!behaviour) return path + "." + problem;
  profile->behaviour = std::move(*behaviour);
  return check_script(profile->behaviour, path);
}

std::optional<std::string> read_workflow_profiles(const nlohmann::json& json,
                                                  const std::string& path,
                                                  WorkflowProfiles* profiles) {
  if (!json.is_object()) return path + ": must be an object with task and tasks members";
  for (const auto& [name, value] : json.items()) {
    if (name == "task") {
      TaskProfile profile;
      if (auto error = read_task_profile(value, path_of(path, name), &profile)) return error;
      profiles->task = std::move(profile);
    } else if (name == "tasks") {
      if (!value.is_object()) return path_of(path, name) + ": must be an object by task id";
      for (const auto& [task_id, task_json] : value.items()) {
        TaskProfile profile;
        const std::string task_path = path_of(path_of(path, name), task_id);
        if (auto error = read_task_profile(task_json, task_path, &profile)) return error;
        profiles->tasks.emplace(task_id, std::move(profile));
      }
    } else {
      return path_of(path, name) + ": unknown member (expected task or tasks)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_profiles(const nlohmann::json& json, ProfileBook* book) {
  if (json.is_null()) return std::nullopt;
  if (!json.is_object()) {
    return std::string(kProfilePrefix) + ": must be an object, got " + shown(json);
  }
  for (const auto& [name, value] : json.items()) {
    const std::string path = path_of(kProfilePrefix, name);
    if (name == "task") {
      TaskProfile profile;
      if (auto error = read_task_profile(value, path, &profile)) return error;
      book->task = book->task.overlay(profile);
    } else if (name == "workflows") {
      if (!value.is_object()) return path + ": must be an object by workflow name";
      for (const auto& [workflow, workflow_json] : value.items()) {
        WorkflowProfiles profiles;
        if (auto error =
                read_workflow_profiles(workflow_json, path_of(path, workflow), &profiles)) {
          return error;
        }
        book->workflows.emplace(workflow, std::move(profiles));
      }
    } else {
      return path + ": unknown member (expected task or workflows)";
    }
  }
  return std::nullopt;
}

}  // namespace

TaskProfile TaskProfile::overlay(const TaskProfile& over) const {
  TaskProfile merged;
  merged.behaviour = behaviour.overlay(over.behaviour);
  merged.xcom = over.xcom ? over.xcom : xcom;
  return merged;
}

TaskProfile ProfileBook::resolve(const std::string& workflow_name,
                                 const std::string& task_id) const {
  const auto workflow = workflows.find(workflow_name);
  if (workflow == workflows.end()) return task;
  TaskProfile profile = workflow->second.task ? task.overlay(*workflow->second.task) : task;
  const auto one_task = workflow->second.tasks.find(task_id);
  if (one_task != workflow->second.tasks.end()) profile = profile.overlay(one_task->second);
  return profile;
}

std::variant<ServiceOptions, std::string> parse_service_options(
    const nlohmann::json& service_config, const nlohmann::json& profiles) {
  ServiceOptions options;
  options.profiles.task = builtin_task_profile();
  if (!service_config.is_null()) {
    if (!service_config.is_object()) {
      return std::string(kServicePrefix) + ": must be an object, got " + shown(service_config);
    }
    for (const auto& [name, value] : service_config.items()) {
      if (auto error = read_service_member(name, value, &options)) return *error;
    }
  }
  if (auto error = read_profiles(profiles, &options.profiles)) return *error;
  return options;
}

}  // namespace wfsim::models::mwaa
