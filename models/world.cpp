// The World: builds the services from one configuration, routes every API call through the
// fault injector, and records every call to the trace.
//
// Choices made where DESIGN.md is silent:
//  - Unknown services and operations, and requests that are not JSON objects, are answered
//    before the fault plan is consulted, so they never consume a fault rule's n-th count.
//  - A latency fault applies the request first and then moves the clock, firing due timers,
//    so the caller observes the service as it is after the delay.
//  - An exception escaping a service is a simulator bug, never the caller's fault: it is
//    answered with {"InternalFailure", 500} and written to the trace as kind "crash", which
//    fuzzers look for.
#include "models/world.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <utility>

#include "models/glue/service.hpp"
#include "models/mwaa_serverless/service.hpp"
#include "sim/time.hpp"

namespace wfsim {

namespace {

using nlohmann::json;

using ServiceFactory = std::variant<std::unique_ptr<models::Service>, std::string> (*)(
    models::ServiceContext, const json&, const json&);

struct ServiceEntry {
  std::string_view name;
  ServiceFactory make;
};

// Every service the world can build, in a fixed order. Adding a service is one line here.
constexpr std::array<ServiceEntry, 2> kServiceRegistry = {{
    {models::mwaa::kServiceName, &models::mwaa::make_mwaa_serverless},
    {models::glue::kServiceName, &models::glue::make_glue},
}};

constexpr std::array<std::string_view, 7> kConfigMembers = {
    "account", "region", "profiles", "faults", "objects", "services", "deny"};

constexpr std::string_view kDefaultAccount = "111122223333";
constexpr std::string_view kDefaultRegion = "us-east-1";

bool known_service(std::string_view name) {
  return std::any_of(kServiceRegistry.begin(), kServiceRegistry.end(),
                     [&](const ServiceEntry& entry) { return entry.name == name; });
}

std::string known_service_list() {
  std::string list;
  for (const ServiceEntry& entry : kServiceRegistry) {
    list += list.empty() ? "" : ", ";
    list += entry.name;
  }
  return list;
}

bool is_account_id(const std::string& text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A region is lower-case letter groups joined by '-', at least two of them, and a final
// group of digits: "us-east-1", "us-gov-west-1", "ap-southeast-2".
bool is_region(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == '-') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  if (parts.size() < 3) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) return false;
    bool last = i + 1 == parts.size();
    for (char c : part) {
      bool ok = last ? (c >= '0' && c <= '9') : (c >= 'a' && c <= 'z');
      if (!ok) return false;
    }
  }
  return parts[0].size() == 2;
}

// Checks that a per-service map (config.profiles, config.services) is an object whose keys
// all name services the world knows.
std::optional<std::string> check_service_map(const json& config, std::string_view member) {
  auto found = config.find(std::string(member));
  if (found == config.end()) return std::nullopt;
  std::string path = "config." + std::string(member);
  if (!found->is_object()) return path + ": must be an object of service name -> settings";
  for (const auto& item : found->items()) {
    if (!known_service(item.key())) {
      return path + "." + item.key() + ": unknown service (known: " + known_service_list() + ")";
    }
  }
  return std::nullopt;
}

// The settings for one service from a per-service map, or null when absent.
json service_member(const json& config, std::string_view member, std::string_view service) {
  auto found = config.find(std::string(member));
  if (found == config.end()) return nullptr;
  auto entry = found->find(std::string(service));
  return entry == found->end() ? json(nullptr) : *entry;
}

std::optional<std::string> check_string_member(const json& config, std::string_view member,
                                               bool (*valid)(const std::string&),
                                               std::string_view rule, std::string* value) {
  auto found = config.find(std::string(member));
  if (found == config.end()) return std::nullopt;
  std::string path = "config." + std::string(member);
  if (!found->is_string()) return path + ": must be a string (" + std::string(rule) + ")";
  const std::string& text = found->get_ref<const std::string&>();
  if (!valid(text)) return path + ": '" + text + "' is not " + std::string(rule);
  *value = text;
  return std::nullopt;
}

models::AwsError crash_error(std::string_view service, std::string_view operation) {
  return models::AwsError{"InternalFailure",
                          "The simulated " + std::string(service) + " failed while handling " +
                              std::string(operation) + "; this is a simulator bug",
                          500};
}

}  // namespace

World::World(const WorldOptions& options)
    : options_(options),
      scheduler_(options.start_us),
      trace_(options.trace),
      streams_(options.seed) {}

World::~World() = default;

std::variant<std::unique_ptr<World>, std::string> World::create(const WorldOptions& options) {
  try {
    std::unique_ptr<World> world(new World(options));
    if (std::optional<std::string> error = world->build(options.config)) return *error;
    return world;
  } catch (const std::exception& error) {
    return std::string("config: could not be read: ") + error.what();
  }
}

std::optional<std::string> World::build(const json& config) {
  if (!config.is_object()) return std::string("config: must be a JSON object");
  for (const auto& item : config.items()) {
    if (std::find(kConfigMembers.begin(), kConfigMembers.end(), item.key()) ==
        kConfigMembers.end()) {
      return "config." + item.key() +
             ": unknown member (known: account, region, profiles, faults, objects, services, "
             "deny)";
    }
  }
  std::string account(kDefaultAccount);
  std::string region(kDefaultRegion);
  if (auto error = check_string_member(config, "account", &is_account_id, "12 digits", &account)) {
    return error;
  }
  if (auto error = check_string_member(config, "region", &is_region,
                                       "a region such as 'us-east-1'", &region)) {
    return error;
  }
  if (auto error = check_service_map(config, "profiles")) return error;
  if (auto error = check_service_map(config, "services")) return error;

  sim::FaultPlan plan;
  if (auto found = config.find("faults"); found != config.end()) {
    std::string error;
    std::optional<sim::FaultPlan> parsed = sim::FaultPlan::from_json(*found, &error);
    if (!parsed) return "config.faults: " + error;
    plan = std::move(*parsed);
  }
  if (auto found = config.find("objects"); found != config.end()) {
    std::string error;
    std::optional<models::ObjectStore> parsed = models::ObjectStore::from_json(*found, &error);
    if (!parsed) return "config.objects: " + error;
    objects_ = std::move(*parsed);
  }
  if (auto found = config.find("deny"); found != config.end()) {
    if (auto error = read_deny(*found)) return error;
  }
  // A role of the configured account, as an IAM denial names its caller.
  principal_ = "arn:aws:sts::" + account + ":assumed-role/wfsim-caller/wfsim";
  faults_ = std::make_unique<sim::FaultInjector>(std::move(plan), streams_.stream("faults"),
                                                 &trace_);
  if (auto error = build_services(config, account, region)) return error;
  if (options_.require_known_calls) return unknown_call_pattern();
  return std::nullopt;
}

bool World::simulates_a_call_matching(const std::string& pattern) const {
  std::string site;
  for (const auto& [name, installed] : services_) {
    for (const std::string& operation : installed.operation_names) {
      site.assign(name).append(1, ':').append(operation);
      if (sim::glob_match(pattern, site)) return true;
    }
  }
  return false;
}

std::optional<std::string> World::read_deny(const json& deny) {
  if (!deny.is_array()) {
    return std::string("config.deny: must be an array of \"service:Operation\" patterns");
  }
  for (std::size_t index = 0; index < deny.size(); ++index) {
    if (!deny[index].is_string() || deny[index].get_ref<const std::string&>().empty()) {
      return "config.deny[" + std::to_string(index) +
             "]: must be a non-empty \"service:Operation\" pattern such as "
             "\"glue:DeleteWorkflow\", got " +
             deny[index].dump(-1, ' ', false, json::error_handler_t::replace);
    }
    deny_.push_back(deny[index].get<std::string>());
  }
  return std::nullopt;
}

std::optional<std::string> World::unknown_call_pattern() const {
  const std::string how =
      "' matches no call this world simulates; a pattern is service:Operation, '*' standing "
      "for any run of characters, e.g. 'glue:StartWorkflowRun', 'mwaa-serverless:Get*' or "
      "'*' (services: " +
      joined_service_names() + ")";
  const std::vector<sim::FaultRule>& rules = faults_->plan().rules;
  for (std::size_t index = 0; index < rules.size(); ++index) {
    if (simulates_a_call_matching(rules[index].match)) continue;
    return "config.faults.rules[" + std::to_string(index) + "].match: '" + rules[index].match +
           how;
  }
  for (std::size_t index = 0; index < deny_.size(); ++index) {
    if (simulates_a_call_matching(deny_[index])) continue;
    return "config.deny[" + std::to_string(index) + "]: '" + deny_[index] + how;
  }
  return std::nullopt;
}

std::optional<std::string> World::build_services(const json& config, const std::string& account,
                                                 const std::string& region) {
  for (const ServiceEntry& entry : kServiceRegistry) {
    models::ServiceContext context{scheduler_, trace_, streams_, objects_, account, region};
    auto made = entry.make(context, service_member(config, "services", entry.name),
                           service_member(config, "profiles", entry.name));
    if (auto* error = std::get_if<std::string>(&made)) {
      // A service names the member relative to the configuration ("services.<name>.quotas");
      // anything else is placed under its services entry.
      bool has_path = error->rfind("services.", 0) == 0 || error->rfind("profiles.", 0) == 0;
      return has_path ? "config." + *error
                      : "config.services." + std::string(entry.name) + ": " + *error;
    }
    install(std::move(std::get<std::unique_ptr<models::Service>>(made)));
  }
  return std::nullopt;
}

void World::install(std::unique_ptr<models::Service> service) {
  // Filled in place: the views must point into the strings where they stay.
  Installed& installed = services_[std::string(service->name())];
  installed.operation_names = service->operations();
  installed.operations = {installed.operation_names.begin(), installed.operation_names.end()};
  installed.service = std::move(service);
}

void World::add_service_for_testing(std::unique_ptr<models::Service> service) {
  if (service) install(std::move(service));
}

models::Service* World::service(std::string_view name) {
  auto found = services_.find(name);
  return found == services_.end() ? nullptr : found->second.service.get();
}

std::string World::joined_service_names() const {
  std::string joined;
  for (const auto& [name, entry] : services_) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

std::vector<std::string> World::service_names() const {
  std::vector<std::string> names;
  for (const auto& [name, service] : services_) names.push_back(name);
  return names;
}

CallResult World::call(std::string_view service, std::string_view operation,
                       const json& request) {
  return call_impl(service, operation, request, nullptr);
}

CallResult World::call_with_fault(std::string_view service, std::string_view operation,
                                  const json& request, const sim::FaultDecision& forced) {
  return call_impl(service, operation, request, &forced);
}

std::optional<models::AwsError> World::reject(std::string_view service,
                                              std::string_view operation, const json& request,
                                              models::Service** target) const {
  auto installed = services_.find(service);
  if (installed == services_.end()) {
    return models::AwsError{"UnknownServiceException",
                            "Unknown service '" + std::string(service) +
                                "'; this world simulates: " + joined_service_names(),
                            400};
  }
  if (installed->second.operations.count(operation) == 0) {
    return models::AwsError{"UnknownOperationException",
                            "Unknown operation '" + std::string(operation) + "' for service " +
                                std::string(service),
                            400};
  }
  if (!request.is_object()) {
    return models::AwsError{"SerializationException",
                            "The request body must be a JSON object, got " +
                                std::string(request.type_name()),
                            400};
  }
  *target = installed->second.service.get();
  return std::nullopt;
}

CallResult World::call_impl(std::string_view service, std::string_view operation,
                            const json& request, const sim::FaultDecision* forced) {
  CallResult result;
  models::Service* target = nullptr;
  if (std::optional<models::AwsError> rejection = reject(service, operation, request, &target)) {
    result.outcome = std::move(*rejection);
  } else {
    // "service:Operation", written into a buffer kept from call to call.
    site_.assign(service).append(1, ':').append(operation);
    if (forced != nullptr) faults_->force_next(*forced);
    sim::FaultDecision decision = faults_->decide(site_, now());
    result = deliver(*target, operation, request, decision);
  }
  record_call(service, operation, request, result);
  return result;
}

bool World::denied(std::string_view site) const {
  return std::any_of(deny_.begin(), deny_.end(),
                     [site](const std::string& pattern) { return sim::glob_match(pattern, site); });
}

models::JsonOutcome World::apply(models::Service& service, std::string_view operation,
                                 const json& request) {
  try {
    // Access is decided before the service sees the request, as IAM does; site_ names the
    // call in progress.
    if (!deny_.empty() && denied(site_)) return service.access_denied(operation, principal_);
    return service.call(operation, request);
  } catch (const std::exception& error) {
    record_crash(service.name(), operation, request, error.what());
  } catch (...) {
    record_crash(service.name(), operation, request, "a non-standard exception");
  }
  return crash_error(service.name(), operation);
}

models::AwsError World::fault_error(models::Service& service, std::string_view operation,
                                    const json& request, const sim::FaultDecision& decision) {
  try {
    return service.fault_error(decision);
  } catch (const std::exception& error) {
    record_crash(service.name(), operation, request, error.what());
  } catch (...) {
    record_crash(service.name(), operation, request, "a non-standard exception");
  }
  return crash_error(service.name(), operation);
}

CallResult World::deliver(models::Service& service, std::string_view operation,
                          const json& request, const sim::FaultDecision& decision) {
  CallResult result;
  result.fault = decision.kind;
  switch (decision.kind) {
    case sim::FaultKind::none:
      result.outcome = apply(service, operation, request);
      break;
    case sim::FaultKind::throttle:
    case sim::FaultKind::internal:
    case sim::FaultKind::unavailable:
    case sim::FaultKind::timeout_before:
      result.outcome = fault_error(service, operation, request, decision);
      break;
    case sim::FaultKind::timeout_after:
      result.hidden_outcome = apply(service, operation, request);
      result.outcome = fault_error(service, operation, request, decision);
      break;
    case sim::FaultKind::lost_response:
      result.hidden_outcome = apply(service, operation, request);
      result.response_lost = true;
      result.outcome = models::AwsError{
          "RequestTimeout",
          "No response arrived: the request was applied but its response was lost", 0};
      break;
    case sim::FaultKind::duplicate:
      result.outcome = apply(service, operation, request);
      result.hidden_outcome = apply(service, operation, request);
      break;
    case sim::FaultKind::latency: {
      result.outcome = apply(service, operation, request);
      // A rule or forced fault that names no delay carries kDefaultFaultLatencyUs.
      const sim::TimeUs before_us = now();
      advance(std::max<sim::DurationUs>(decision.latency_us, 0));
      result.latency_us = now() - before_us;  // less than asked only at the clock's end
      break;
    }
  }
  return result;
}

void World::record_call(std::string_view service, std::string_view operation,
                        const json& request, const CallResult& result) {
  const models::JsonOutcome& outcome = result.outcome;
  // The members of the detail object below, written in its (sorted) key order.
  const auto write_members = [&](sim::TraceMemberWriter& members) {
    if (!outcome.ok()) members.text_member("error", outcome.error().code);
    if (result.fault != sim::FaultKind::none)
      members.text_member("fault", sim::to_string(result.fault));
    if (result.latency_us > 0) members.integer_member("latency_us", result.latency_us);
    members.text_member("operation", operation);
    members.json_member("request", request);
    if (outcome.ok()) members.json_member("response", outcome.value());
    members.text_member("service", service);
    if (!outcome.ok()) members.integer_member("status", outcome.error().http_status);
  };
  const auto make_detail = [&] {
    json detail = {{"service", service}, {"operation", operation}, {"request", request}};
    if (outcome.ok()) {
      detail["response"] = outcome.value();
    } else {
      detail["error"] = outcome.error().code;
      detail["status"] = outcome.error().http_status;
    }
    if (result.fault != sim::FaultKind::none) detail["fault"] = sim::to_string(result.fault);
    if (result.latency_us > 0) detail["latency_us"] = result.latency_us;
    return detail;
  };
  trace_.record_members(now(), "call", write_members, make_detail);
}

void World::record_crash(std::string_view service, std::string_view operation,
                         const json& request, std::string_view what) {
  crashes_.push_back(
      {now(), std::string(service) + ":" + std::string(operation), std::string(what)});
  if (!trace_.enabled()) return;
  trace_.record(now(), "crash",
                {{"service", service}, {"operation", operation}, {"request", request},
                 {"exception", what}});
}

void World::record_timer_crash(std::string_view what) {
  crashes_.push_back({now(), "timer", std::string(what)});
  if (!trace_.enabled()) return;
  trace_.record(now(), "crash", {{"during", "timer"}, {"exception", what}});
}

// now + d, no later than the last instant the clock can reach (sim::kLastInstantUs): past
// it, no timestamp could be written, and an overflowing sum would wrap into the past.
sim::TimeUs World::clock_target(sim::DurationUs d_us) const {
  const sim::DurationUs room_us = sim::kLastInstantUs - std::min(now(), sim::kLastInstantUs);
  return now() + std::clamp<sim::DurationUs>(d_us, 0, room_us);
}

// A timer action is service code too, so an exception from one is caught, traced, and the
// clock goes on: the scheduler has already taken the throwing timer off its queue.
std::uint64_t World::advance(sim::DurationUs d_us) {
  const sim::TimeUs target_us = clock_target(d_us);
  std::uint64_t fired = 0;
  while (true) {
    try {
      return fired + scheduler_.advance(target_us - now());
    } catch (const std::exception& error) {
      record_timer_crash(error.what());
    } catch (...) {
      record_timer_crash("a non-standard exception");
    }
    ++fired;
  }
}

sim::Scheduler::IdleResult World::run_until_idle(std::uint64_t max_events) {
  sim::Scheduler::IdleResult total;
  std::uint64_t budget = max_events;
  while (true) {
    try {
      // The scheduler's own limit keeps timers past sim::kLastInstantUs pending.
      sim::Scheduler::IdleResult result = scheduler_.run_until_idle(budget);
      total.fired += result.fired;
      total.idle = result.idle;
      return total;
    } catch (const std::exception& error) {
      record_timer_crash(error.what());
    } catch (...) {
      record_timer_crash("a non-standard exception");
    }
    // The events fired before the throw are not reported; counting only the throwing one
    // keeps the budget shrinking, so a world whose timers keep throwing still stops.
    ++total.fired;
    if (--budget == 0) {
      total.idle = scheduler_.pending() == 0;
      return total;
    }
  }
}

std::vector<models::InvariantViolation> World::check_invariants() const {
  std::vector<models::InvariantViolation> all;
  for (const auto& [name, entry] : services_) {
    std::vector<models::InvariantViolation> found;
    try {
      found = entry.service->check_invariants();
    } catch (const std::exception& error) {
      found.push_back({"check_invariants", std::string("threw: ") + error.what()});
    }
    for (models::InvariantViolation& violation : found) {
      violation.invariant = name + ":" + violation.invariant;
      all.push_back(std::move(violation));
    }
  }
  return all;
}

std::string World::digest_of(const WorldOptions& options) {
  // The canonical JSON of {"config", "seed", "start_us"}, members in sorted order, written
  // straight from the options rather than from a copy of the configuration.
  std::string identity = "{\"config\":";
  sim::append_json(identity, options.config);
  identity += ",\"seed\":" + std::to_string(options.seed);
  identity += ",\"start_us\":" + std::to_string(options.start_us) + "}";
  std::uint64_t hash = sim::stable_hash(identity);
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i) {
    text[static_cast<std::size_t>(i)] = kHexDigits[hash & 0xF];
    hash >>= 4;
  }
  return text;
}

std::string World::config_digest() const { return digest_of(options_); }

}  // namespace wfsim
