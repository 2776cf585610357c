// Configuration of the Glue service: quotas, timings and throttling from
// config.services["glue"], job and crawler behaviour profiles from config.profiles["glue"].
// The layouts are documented at the top of service.cpp. Unknown members are errors, so a
// typo never passes silently; every error message starts with the path of the member.
#include <limits>

#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

constexpr std::string_view kServicePrefix = "services.glue";
constexpr std::string_view kProfilePrefix = "profiles.glue";

std::string path_of(std::string_view parent, std::string_view member) {
  return std::string(parent) + "." + std::string(member);
}

std::string shown(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string expected_names(const std::vector<std::string_view>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

template <typename Value>
std::optional<std::string> read_members(
    const nlohmann::json& json, const std::string& parent,
    const std::vector<std::pair<std::string_view, Value*>>& members,
    std::optional<std::string> (*read)(const nlohmann::json&, const std::string&, Value*)) {
  if (!json.is_object()) return parent + ": must be an object, got " + shown(json);
  for (const auto& [name, value] : json.items()) {
    Value* target = nullptr;
    std::vector<std::string_view> names;
    for (const auto& [member, slot] : members) {
      names.push_back(member);
      if (member == name) target = slot;
    }
    if (target == nullptr) {
      return path_of(parent, name) + ": unknown member (expected " + expected_names(names) + ")";
    }
    if (auto error = read(value, path_of(parent, name), target)) return error;
  }
  return std::nullopt;
}

std::optional<std::string> read_count(const nlohmann::json& value, const std::string& path,
                                      std::uint32_t* out) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
      value.get<std::int64_t>() > std::numeric_limits<std::uint32_t>::max()) {
    return path + ": must be a non-negative integer, got " + shown(value);
  }
  *out = static_cast<std::uint32_t>(value.get<std::int64_t>());
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

std::optional<std::string> read_quotas(const nlohmann::json& json, Quotas* quotas) {
  return read_members<std::uint32_t>(
      json, path_of(kServicePrefix, "quotas"),
      {{"workflows", &quotas->workflows},
       {"triggers", &quotas->triggers},
       {"jobs", &quotas->jobs},
       {"crawlers", &quotas->crawlers},
       {"blueprints", &quotas->blueprints},
       {"concurrent_job_runs", &quotas->concurrent_job_runs},
       {"jobs_per_trigger", &quotas->jobs_per_trigger},
       {"crawlers_per_trigger", &quotas->crawlers_per_trigger}},
      &read_count);
}

std::optional<std::string> read_timings(const nlohmann::json& json, Timings* timings) {
  auto error = read_members<sim::DurationUs>(
      json, path_of(kServicePrefix, "timings"),
      {{"job_startup", &timings->job_startup_us},
       {"job_stop", &timings->job_stop_us},
       {"crawl_stop", &timings->crawl_stop_us},
       {"trigger_transition", &timings->trigger_transition_us},
       {"blueprint_creation", &timings->blueprint_creation_us},
       {"blueprint_run", &timings->blueprint_run_us},
       {"blueprint_rollback", &timings->blueprint_rollback_us},
       {"run_retention", &timings->run_retention_us},
       {"job_run_retention", &timings->job_run_retention_us}},
      &read_duration);
  if (error) return error;
  // A retention of zero would remove a run in the instant it completes, before any caller
  // could see how it ended; one past a century would carry the expiry time out of range.
  constexpr sim::DurationUs kLongestRetention = sim::days(36'600);
  for (const sim::DurationUs retention :
       {timings->run_retention_us, timings->job_run_retention_us}) {
    if (retention <= 0 || retention > kLongestRetention) {
      return path_of(kServicePrefix, "timings") +
             ": retentions must be longer than zero and at most 100 years (P36600D)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_service_member(const std::string& name,
                                               const nlohmann::json& value,
                                               ServiceOptions* options) {
  if (name == "quotas") return read_quotas(value, &options->quotas);
  if (name == "timings") return read_timings(value, &options->timings);
  if (name == "throttle") {
    std::string problem;
    options->throttle = OperationThrottle::from_json(value, &problem);
    if (!options->throttle) return path_of(kServicePrefix, name) + ": " + problem;
    return std::nullopt;
  }
  return path_of(kServicePrefix, name) + ": unknown member (expected quotas, timings or throttle)";
}

// Scripted outcomes name what an attempt ends in: SUCCESS (or SUCCEEDED), FAILED, and for
// jobs TIMEOUT.
std::optional<std::string> read_profile(const nlohmann::json& json, const std::string& path,
                                        bool job, BehaviourProfile* out) {
  std::string problem;
  auto profile = BehaviourProfile::from_json(json, &problem);
  if (!profile) return path + ": " + problem;
  if (profile->script) {
    for (auto& outcome : *profile->script) {
      if (outcome == "SUCCEEDED") outcome = "SUCCESS";
      const bool known = outcome == "SUCCESS" || outcome == "FAILED" ||
                         (job && outcome == "TIMEOUT");
      if (!known) {
        return path + ".outcome: '" + outcome + "' is not a " + (job ? "job" : "crawl") +
               " outcome (expected SUCCEEDED, FAILED" + (job ? " or TIMEOUT)" : ")");
      }
    }
  }
  if (!job && profile->timeout) {
    return path + ".outcome: crawls have no timeout; use \"fail\" only";
  }
  *out = std::move(*profile);
  return std::nullopt;
}

std::optional<std::string> read_named_profiles(const nlohmann::json& json,
                                               const std::string& path, bool job,
                                               std::map<std::string, BehaviourProfile>* out) {
  if (!json.is_object()) return path + ": must be an object of name -> profile";
  for (const auto& [name, value] : json.items()) {
    BehaviourProfile profile;
    if (auto error = read_profile(value, path_of(path, name), job, &profile)) return error;
    (*out)[name] = std::move(profile);
  }
  return std::nullopt;
}

std::optional<std::string> read_profiles(const nlohmann::json& json, ProfileBook* book) {
  const std::string parent(kProfilePrefix);
  if (!json.is_object()) return parent + ": must be an object, got " + shown(json);
  for (const auto& [name, value] : json.items()) {
    const std::string path = path_of(parent, name);
    std::optional<std::string> error;
    if (name == "job" || name == "crawler") {
      BehaviourProfile layer;
      error = read_profile(value, path, name == "job", &layer);
      if (!error) {
        BehaviourProfile& base = name == "job" ? book->job : book->crawler;
        base = base.overlay(layer);
      }
    } else if (name == "jobs" || name == "crawlers") {
      error = read_named_profiles(value, path, name == "jobs",
                                  name == "jobs" ? &book->jobs : &book->crawlers);
    } else {
      error = path + ": unknown member (expected job, jobs, crawler or crawlers)";
    }
    if (error) return error;
  }
  return std::nullopt;
}

}  // namespace

BehaviourProfile ProfileBook::for_job(const std::string& name) const {
  const auto found = jobs.find(name);
  return found == jobs.end() ? job : job.overlay(found->second);
}

BehaviourProfile ProfileBook::for_crawler(const std::string& name) const {
  const auto found = crawlers.find(name);
  return found == crawlers.end() ? crawler : crawler.overlay(found->second);
}

std::variant<ServiceOptions, std::string> parse_service_options(
    const nlohmann::json& service_config, const nlohmann::json& profiles) {
  ServiceOptions options;
  // Built-in behaviour: a job runs 1 to 5 minutes, a crawl 30 seconds to 2 minutes, and
  // both succeed.
  options.profiles.job.duration =
      DurationSpec{DurationSpec::Kind::uniform, sim::seconds(60), sim::seconds(300)};
  options.profiles.crawler.duration =
      DurationSpec{DurationSpec::Kind::uniform, sim::seconds(30), sim::seconds(120)};
  if (!service_config.is_null()) {
    if (!service_config.is_object()) {
      return std::string(kServicePrefix) + ": must be an object, got " + shown(service_config);
    }
    for (const auto& [name, value] : service_config.items()) {
      if (auto error = read_service_member(name, value, &options)) return *error;
    }
  }
  if (!profiles.is_null()) {
    if (auto error = read_profiles(profiles, &options.profiles)) return *error;
  }
  return options;
}

}  // namespace wfsim::models::glue
