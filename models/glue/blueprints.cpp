/* Blueprints and blueprint runs (fact sheet 2 custom patterns #30-#32, 4 Blueprint /
   LastActiveDefinition / BlueprintRun, 5 blueprint operations, 5.1, 7, 8).

   The layout format. A real blueprint is a Python archive the service runs; the simulator
   reads instead one JSON document, the object at BlueprintLocation in the world's object
   store:
     {"ParameterSpec": {"<name>": {"Type": "Integer", "DefaultValue": 3,
                                   "Description": "..."}},               optional
      "Workflow": <CreateWorkflow request>,                              required
      "Jobs": [<CreateJob request>, ...],                                optional
      "Crawlers": [<CreateCrawler request>, ...],                        optional
      "Triggers": [<CreateTrigger request>, ...]}                        optional
   - Parameter names are [A-Za-z0-9_]+; Type is String, Integer, Double, Boolean, S3Uri or
     IAMRoleName (the last two are strings); a parameter without DefaultValue is required.
   - Any string inside Workflow, Jobs, Crawlers and Triggers, object keys included, may hold
     ${Name} placeholders. A string that is exactly one placeholder becomes the parameter's
     typed value ("MaxRetries": "${Retries}" gives a number); elsewhere the value is written
     as text. A placeholder that names no parameter makes the layout invalid.
   - The requests themselves are checked by the operations when a run creates them.

   Request lengths count UTF-8 bytes (rule 9.19); names, locations and role ARNs are checked
   against the custom patterns of fact sheet 2 (errors.hpp).

   Chosen where the sheet is silent:
   - The layout is read and checked when CREATING/UPDATING ends (timings.blueprint_creation),
     not during the call: a missing object, or one that is not a valid layout (or larger than
     the 5 MB of fact sheet 8), gives FAILED with ErrorMessage rather than an error answer.
   - BlueprintServiceLocation is s3://aws-glue-blueprints-<account>-<region>/<name>/<32 hex>/
     <file name of BlueprintLocation>, a new 32-hex folder for every Create/UpdateBlueprint.
   - ParameterSpec is the layout's ParameterSpec member as compact JSON ("{}" when absent);
     it is known once the layout has been read.
   - IncludeBlueprint adds BlueprintServiceLocation (the service's copy of the blueprint);
     BlueprintLocation, the caller's own value, is always shown. IncludeParameterSpec adds
     ParameterSpec. LastActiveDefinition is shown once some definition has been active.
   - UpdateBlueprint without Description keeps the previous one (as rule 9.15 does for
     workflows); it is allowed on ACTIVE and FAILED blueprints.
   - DeleteBlueprint also removes the blueprint's runs: a run still RUNNING creates nothing;
     what finished runs created stays.
   - RunId is "br_" + 64 hex, like the wr_/jr_ ids of fact sheet 6.12. A run uses the
     definition that was active when it started. Absent Parameters means {}.
   - After timings.blueprint_run a run resolves its parameters (a name the spec lacks, a
     missing required value or a value of the wrong type fails it), then creates the jobs,
     the crawlers, the workflow (BlueprintDetails {BlueprintName, RunId}) and the triggers,
     each in layout order, through the operations' own checks. On a failure it enters
     ROLLING_BACK with ErrorMessage naming the entity and its error, removes at once what it
     created (triggers, workflow, crawlers, jobs: the reverse order), and ends FAILED after
     timings.blueprint_rollback; an entity still present after its removal is named in
     RollbackErrorMessage. WorkflowName is set only on SUCCEEDED.
   - There is no blueprint-run quota in the configuration, so StartBlueprintRun never answers
     ResourceNumberLimitExceededException.
   - Page sizes when MaxResults is absent: ListBlueprints 25, GetBlueprintRuns 100 (newest
     first, rule 9.17 as for workflow runs). A token holds the last name or run sequence
     returned, so pages stay stable while entries are added; ListBlueprints binds its token
     to the Tags filter.
*/
#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

using nlohmann::json;

constexpr StringRule kBlueprintNameRule{1, 128, kBlueprintNamePattern, true};
constexpr StringRule kDescriptionRule{1, 512, {}, true};
constexpr StringRule kLocationRule{1, 8192, kBlueprintLocationPattern, true};
constexpr StringRule kRoleArnRule{1, 1024, kRoleArnPattern, true};
constexpr StringRule kParametersRule{1, 131072, {}, true};

constexpr std::size_t kMaxLayoutBytes = 5 * 1024 * 1024;  // fact sheet 8, uncompressed
constexpr std::size_t kMaxParameterSpecBytes = 131072;
constexpr std::size_t kMaxLayoutDepth = 64;
constexpr std::size_t kDefaultBlueprintPage = 25;
constexpr std::size_t kDefaultRunPage = 100;

constexpr std::string_view kBlueprintMachine = "blueprint";
constexpr std::string_view kRunMachine = "blueprint_run";

// --- the layout --------------------------------------------------------------------------

struct Layout {
  json document;
  std::string parameter_spec;
};

bool is_parameter_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_parameter_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_parameter_char(c)) return false;
  }
  return true;
}

bool is_parameter_type(const std::string& type) {
  return type == "String" || type == "Integer" || type == "Double" || type == "Boolean" ||
         type == "S3Uri" || type == "IAMRoleName";
}

bool has_type(const json& value, const std::string& type) {
  if (type == "Integer") return value.is_number_integer();
  if (type == "Double") return value.is_number();
  if (type == "Boolean") return value.is_boolean();
  return value.is_string();
}

struct Placeholder {
  std::size_t begin = 0;  // at "${"
  std::size_t end = 0;    // past "}"
  std::string name;
};

// The first ${Name} at or after `from`; "${" not followed by a name and "}" is plain text.
std::optional<Placeholder> find_placeholder(const std::string& text, std::size_t from) {
  for (auto begin = text.find("${", from); begin != std::string::npos;
       begin = text.find("${", begin + 1)) {
    std::size_t end = begin + 2;
    while (end < text.size() && is_parameter_char(text[end])) ++end;
    if (end > begin + 2 && end < text.size() && text[end] == '}') {
      return Placeholder{begin, end + 1, text.substr(begin + 2, end - begin - 2)};
    }
  }
  return std::nullopt;
}

std::optional<std::string> unknown_placeholder(const std::string& text, const json& spec) {
  for (auto found = find_placeholder(text, 0); found; found = find_placeholder(text, found->end)) {
    if (!spec.contains(found->name)) {
      return "placeholder ${" + found->name + "} names no parameter of ParameterSpec";
    }
  }
  return std::nullopt;
}

// Every placeholder in `node` must name a parameter of `spec`.
std::optional<std::string> check_placeholders(const json& node, const json& spec,
                                              std::size_t depth) {
  if (depth > kMaxLayoutDepth) {
    return "it nests deeper than " + std::to_string(kMaxLayoutDepth) + " levels";
  }
  if (node.is_string()) return unknown_placeholder(node.get_ref<const std::string&>(), spec);
  if (node.is_object()) {
    for (const auto& item : node.items()) {
      if (auto error = unknown_placeholder(item.key(), spec)) return error;
      if (auto error = check_placeholders(item.value(), spec, depth + 1)) return error;
    }
  }
  if (node.is_array()) {
    for (const auto& item : node) {
      if (auto error = check_placeholders(item, spec, depth + 1)) return error;
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_parameter(const std::string& name, const json& entry) {
  const std::string where = "parameter '" + name + "'";
  if (!is_parameter_name(name)) return where + ": the name must match [A-Za-z0-9_]+";
  if (!entry.is_object()) return where + " must be an object";
  for (const auto& item : entry.items()) {
    if (item.key() != "Type" && item.key() != "DefaultValue" && item.key() != "Description") {
      return where + " has an unknown member '" + item.key() + "'";
    }
  }
  const auto type = entry.find("Type");
  if (type == entry.end() || !type->is_string() || !is_parameter_type(type->get<std::string>())) {
    return where + " needs a Type among String, Integer, Double, Boolean, S3Uri, IAMRoleName";
  }
  const auto default_value = entry.find("DefaultValue");
  if (default_value != entry.end() && !has_type(*default_value, type->get<std::string>())) {
    return where + ": DefaultValue " + default_value->dump() + " is not of type " +
           type->get<std::string>();
  }
  const auto description = entry.find("Description");
  if (description != entry.end() && !description->is_string()) {
    return where + ": Description must be a string";
  }
  return std::nullopt;
}

constexpr std::string_view kEntityMembers[] = {"Workflow", "Jobs", "Crawlers", "Triggers"};

std::optional<std::string> check_members(const json& document) {
  for (const auto& item : document.items()) {
    const bool entity = std::find(std::begin(kEntityMembers), std::end(kEntityMembers),
                                  item.key()) != std::end(kEntityMembers);
    if (!entity && item.key() != "ParameterSpec") return "unknown member '" + item.key() + "'";
  }
  const auto workflow = document.find("Workflow");
  if (workflow == document.end() || !workflow->is_object()) {
    return std::string("Workflow must be an object (a CreateWorkflow request)");
  }
  for (const char* list : {"Jobs", "Crawlers", "Triggers"}) {
    const auto found = document.find(list);
    if (found == document.end()) continue;
    if (!found->is_array()) return std::string(list) + " must be an array of requests";
    for (const auto& request : *found) {
      if (!request.is_object()) return std::string(list) + " must hold request objects";
    }
  }
  return std::nullopt;
}

std::variant<Layout, std::string> parse_layout(const std::string& body) {
  const json document = json::parse(body, nullptr, false);
  if (document.is_discarded()) return std::string("it is not JSON text");
  if (!document.is_object()) return std::string("it must be a JSON object");
  if (auto error = check_members(document)) return *error;
  const auto spec_member = document.find("ParameterSpec");
  const json spec = spec_member == document.end() ? json::object() : *spec_member;
  if (!spec.is_object()) return std::string("ParameterSpec must be an object");
  for (const auto& item : spec.items()) {
    if (auto error = check_parameter(item.key(), item.value())) return *error;
  }
  for (const auto member : kEntityMembers) {
    const auto found = document.find(std::string(member));
    if (found == document.end()) continue;
    if (auto error = check_placeholders(*found, spec, 0)) return *error;
  }
  Layout layout{document, spec.dump()};
  if (layout.parameter_spec.size() > kMaxParameterSpecBytes) {
    return "its ParameterSpec is longer than " + std::to_string(kMaxParameterSpecBytes) +
           " bytes";
  }
  return layout;
}

// BlueprintLocation matched kBlueprintLocationPattern, so it has a bucket and a key.
std::variant<Layout, std::string> load_layout(const ObjectStore& objects,
                                              const std::string& location) {
  const std::string path = location.substr(5);  // after "s3://"
  const auto slash = path.find('/');
  const auto object = objects.get(path.substr(0, slash), path.substr(slash + 1));
  if (!object) {
    return "Unable to read the blueprint layout at " + location + ": the object does not exist";
  }
  if (object->body.size() > kMaxLayoutBytes) {
    return "The blueprint layout at " + location + " is larger than " +
           std::to_string(kMaxLayoutBytes) + " bytes";
  }
  auto parsed = parse_layout(object->body);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return "The blueprint layout at " + location + " is invalid: " + *problem;
  }
  return parsed;
}

// --- parameters and placeholders ---------------------------------------------------------

// The run's parameter values: Parameters over the spec's defaults.
std::variant<json, std::string> resolve_parameters(const json& spec, const json& supplied) {
  for (const auto& item : supplied.items()) {
    if (!spec.contains(item.key())) {
      return "Parameter '" + item.key() + "' is not in the blueprint's ParameterSpec";
    }
  }
  json values = json::object();
  for (const auto& item : spec.items()) {
    const std::string& type = item.value().at("Type").get_ref<const std::string&>();
    const auto given = supplied.find(item.key());
    const auto default_value = item.value().find("DefaultValue");
    if (given == supplied.end() && default_value == item.value().end()) {
      return "Required parameter '" + item.key() + "' is missing";
    }
    const json& value = given != supplied.end() ? *given : *default_value;
    if (!has_type(value, type)) {
      return "Parameter '" + item.key() + "' must be of type " + type + ", got " + value.dump();
    }
    values[item.key()] = value;
  }
  return values;
}

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string substitute_text(const std::string& text, const json& values) {
  std::string out;
  std::size_t copied = 0;
  for (auto found = find_placeholder(text, 0); found; found = find_placeholder(text, found->end)) {
    out.append(text, copied, found->begin - copied);
    out += text_of(values.at(found->name));
    copied = found->end;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

// `node` with every placeholder filled; the layout was checked to nest at most
// kMaxLayoutDepth levels and to name only known parameters.
json instantiate(const json& node, const json& values) {
  if (node.is_string()) {
    const std::string& text = node.get_ref<const std::string&>();
    const auto whole = find_placeholder(text, 0);
    if (whole && whole->begin == 0 && whole->end == text.size()) return values.at(whole->name);
    return substitute_text(text, values);
  }
  if (node.is_object()) {
    json out = json::object();
    for (const auto& item : node.items()) {
      out[substitute_text(item.key(), values)] = instantiate(item.value(), values);
    }
    return out;
  }
  if (node.is_array()) {
    json out = json::array();
    for (const auto& item : node) out.push_back(instantiate(item, values));
    return out;
  }
  return node;
}

// --- the entities a run creates ----------------------------------------------------------

enum class EntityKind { job, crawler, workflow, trigger };

std::string_view to_string(EntityKind kind) {
  switch (kind) {
    case EntityKind::job: return "job";
    case EntityKind::crawler: return "crawler";
    case EntityKind::workflow: return "workflow";
    case EntityKind::trigger: return "trigger";
  }
  return "entity";
}

struct Created {
  EntityKind kind = EntityKind::job;
  std::string name;
};

std::string entity_name(const json& request) {
  const auto name = request.find("Name");
  return name != request.end() && name->is_string() ? name->get<std::string>() : "";
}

const json& request_list(const json& layout, const char* member) {
  static const json empty = json::array();
  const auto found = layout.find(member);
  return found == layout.end() ? empty : *found;
}

// Notes what a creation made, or says why it failed.
std::optional<std::string> note_creation(EntityKind kind, const json& request,
                                         const JsonOutcome& outcome,
                                         std::vector<Created>* created) {
  if (!outcome.ok()) {
    return "Could not create " + std::string(to_string(kind)) + " '" + entity_name(request) +
           "': " + outcome.error().code + ": " + outcome.error().message;
  }
  created->push_back(Created{kind, entity_name(request)});
  return std::nullopt;
}

std::optional<std::string> create_entities(Glue& glue, const json& layout,
                                           const BlueprintDetails& details,
                                           std::vector<Created>* created) {
  for (const auto& request : request_list(layout, "Jobs")) {
    auto outcome = glue.create_job_entity(request);
    if (auto error = note_creation(EntityKind::job, request, outcome, created)) return error;
  }
  for (const auto& request : request_list(layout, "Crawlers")) {
    auto outcome = glue.create_crawler_entity(request);
    if (auto error = note_creation(EntityKind::crawler, request, outcome, created)) return error;
  }
  const json& workflow = layout.at("Workflow");
  auto outcome = glue.create_workflow_entity(workflow, details);
  if (auto error = note_creation(EntityKind::workflow, workflow, outcome, created)) return error;
  for (const auto& request : request_list(layout, "Triggers")) {
    auto created_trigger = glue.create_trigger_entity(request);
    if (auto error = note_creation(EntityKind::trigger, request, created_trigger, created)) {
      return error;
    }
  }
  return std::nullopt;
}

// Removes one entity; true when it is gone afterwards.
bool erase_entity(Glue& glue, const Created& entity) {
  switch (entity.kind) {
    case EntityKind::job:
      glue.erase_job(entity.name);
      return glue.jobs_.count(entity.name) == 0;
    case EntityKind::crawler:
      glue.erase_crawler(entity.name);
      return glue.crawlers_.count(entity.name) == 0;
    case EntityKind::workflow:
      glue.erase_workflow(entity.name);
      return glue.workflows_.count(entity.name) == 0;
    case EntityKind::trigger:
      glue.erase_trigger(entity.name);
      return glue.triggers_.count(entity.name) == 0;
  }
  return false;
}

// Removes what a failed run created, newest first; the RollbackErrorMessage if any stays.
std::optional<std::string> roll_back(Glue& glue, const std::vector<Created>& created) {
  std::string left;
  for (auto entity = created.rbegin(); entity != created.rend(); ++entity) {
    if (erase_entity(glue, *entity)) continue;
    if (!left.empty()) left += ", ";
    left += std::string(to_string(entity->kind)) + " '" + entity->name + "'";
  }
  if (left.empty()) return std::nullopt;
  return "Could not remove " + left;
}

// --- blueprint and run lifecycles --------------------------------------------------------

void set_status(Glue& glue, Blueprint& blueprint, std::string status) {
  const std::string from = blueprint.status;
  blueprint.status = std::move(status);
  glue.trace_transition(kBlueprintMachine, blueprint.name, from, blueprint.status);
}

// CREATING or UPDATING ends: the layout is read and the definition becomes active, or the
// blueprint FAILED (LastActiveDefinition stays as it was).
void finish_registration(Glue& glue, Blueprint& blueprint) {
  blueprint.timer = 0;
  auto loaded = load_layout(glue.context_.objects, blueprint.current.location);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    blueprint.error_message = *error;
    set_status(glue, blueprint, "FAILED");
    return;
  }
  auto& layout = std::get<Layout>(loaded);
  blueprint.current.layout = std::move(layout.document);
  blueprint.current.parameter_spec = std::move(layout.parameter_spec);
  blueprint.error_message.reset();
  blueprint.last_active = blueprint.current;
  set_status(glue, blueprint, "ACTIVE");
}

void schedule_registration(Glue& glue, Blueprint& blueprint) {
  blueprint.timer = glue.context_.scheduler.schedule_after(
      glue.options_.timings.blueprint_creation_us,
      [glue_ptr = &glue, blueprint_ptr = &blueprint] {
        finish_registration(*glue_ptr, *blueprint_ptr);
      });
}

std::string service_location(Glue& glue, const std::string& name, const std::string& location) {
  return "s3://aws-glue-blueprints-" + glue.context_.account_id + "-" + glue.context_.region +
         "/" + name + "/" + glue.ids_.hex(32) + "/" + location.substr(location.rfind('/') + 1);
}

bool fire_run(Glue& glue, BlueprintRun& run, BlueprintRunEvent event) {
  const BlueprintRunState from = run.state;
  if (!run.machine || !run.machine->fire(event)) {
    glue.record_violation(kRunMachine, run.run_id, to_string(event), to_string(from));
    return false;
  }
  run.state = run.machine->state();
  if (is_terminal(run.state)) {
    run.machine.reset();
    run.completed_us = glue.now();
  }
  glue.trace_transition(kRunMachine, run.run_id, to_string(from), to_string(run.state));
  return true;
}

// Resolves the parameters and creates the entities; the failure message if any.
std::optional<std::string> build_run(Glue& glue, const BlueprintRun& run, const json& layout,
                                     std::vector<Created>* created) {
  const json supplied = run.parameters ? json::parse(*run.parameters, nullptr, false)
                                       : json::object();
  const auto spec = layout.find("ParameterSpec");
  auto values = resolve_parameters(spec == layout.end() ? json::object() : *spec, supplied);
  if (auto* error = std::get_if<std::string>(&values)) return *error;
  json instance = json::object();
  for (const auto member : kEntityMembers) {
    const std::string key(member);
    const auto found = layout.find(key);
    if (found != layout.end()) instance[key] = instantiate(*found, std::get<json>(values));
  }
  return create_entities(glue, instance, BlueprintDetails{run.blueprint_name, run.run_id},
                         created);
}

void execute_run(Glue& glue, BlueprintRun& run, const json& layout) {
  run.timer = 0;
  std::vector<Created> created;
  const auto error = build_run(glue, run, layout, &created);
  if (!error) {
    for (const auto& entity : created) {
      if (entity.kind == EntityKind::workflow) run.workflow_name = entity.name;
    }
    fire_run(glue, run, BlueprintRunEvent::workflow_created);
    return;
  }
  run.error_message = *error;
  if (!fire_run(glue, run, BlueprintRunEvent::creation_failed)) return;
  auto rollback_error = roll_back(glue, created);
  run.timer = glue.context_.scheduler.schedule_after(
      glue.options_.timings.blueprint_rollback_us,
      [glue_ptr = &glue, run_ptr = &run, rollback_error] {
        run_ptr->timer = 0;
        run_ptr->rollback_error_message = rollback_error;
        fire_run(*glue_ptr, *run_ptr, BlueprintRunEvent::rollback_finished);
      });
}

// --- responses ---------------------------------------------------------------------------

struct Include {
  bool blueprint = false;       // IncludeBlueprint
  bool parameter_spec = false;  // IncludeParameterSpec
};

// The members Blueprint shares with LastActiveDefinition.
json definition_json(const Glue& glue, const BlueprintDefinition& definition, Include include) {
  json out = json::object();
  if (definition.description) out["Description"] = *definition.description;
  out["LastModifiedOn"] = glue.timestamp(definition.modified_us);
  if (include.parameter_spec && definition.parameter_spec) {
    out["ParameterSpec"] = *definition.parameter_spec;
  }
  out["BlueprintLocation"] = definition.location;
  if (include.blueprint) out["BlueprintServiceLocation"] = definition.service_location;
  return out;
}

json blueprint_json(const Glue& glue, const Blueprint& blueprint, Include include) {
  json out = definition_json(glue, blueprint.current, include);
  out["Name"] = blueprint.name;
  out["CreatedOn"] = glue.timestamp(blueprint.created_us);
  out["Status"] = blueprint.status;
  if (blueprint.error_message) out["ErrorMessage"] = *blueprint.error_message;
  if (blueprint.last_active) {
    out["LastActiveDefinition"] = definition_json(glue, *blueprint.last_active, include);
  }
  return out;
}

json run_json(const Glue& glue, const BlueprintRun& run) {
  json out = {{"BlueprintName", run.blueprint_name},
              {"RunId", run.run_id},
              {"State", to_string(run.state)},
              {"StartedOn", glue.timestamp(run.started_us)},
              {"RoleArn", run.role_arn}};
  if (run.workflow_name) out["WorkflowName"] = *run.workflow_name;
  if (run.completed_us != kNever) out["CompletedOn"] = glue.timestamp(run.completed_us);
  if (run.error_message) out["ErrorMessage"] = *run.error_message;
  if (run.rollback_error_message) out["RollbackErrorMessage"] = *run.rollback_error_message;
  if (run.parameters) out["Parameters"] = *run.parameters;
  return out;
}

Include read_include(RequestValidator& validator) {
  Include include;
  include.blueprint = validator.boolean("IncludeBlueprint").value_or(false);
  include.parameter_spec = validator.boolean("IncludeParameterSpec").value_or(false);
  return include;
}

AwsError blueprint_not_found(const std::string& name) {
  return entity_not_found("Blueprint " + name + " not found");
}

// The position a NextToken carries: nullopt for the first page, an error for a forgery.
Outcome<std::optional<std::string>> read_token(const PageTokenCodec& codec,
                                               const std::optional<std::string>& token,
                                               const std::string& scope) {
  if (!token) return std::optional<std::string>();
  auto position = codec.decode(scope, *token);
  if (!position) {
    return invalid_input("Invalid NextToken " + show_value(json(*token)) +
                         ": it is malformed or belongs to another request");
  }
  return position;
}

std::optional<std::uint64_t> parse_sequence(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

// --- operations --------------------------------------------------------------------------

JsonOutcome Glue::create_blueprint(const json& request) {
  RequestValidator validator(request);
  const auto name = validator.string("Name", kBlueprintNameRule, true);
  const auto description = validator.string("Description", kDescriptionRule);
  const auto location = validator.string("BlueprintLocation", kLocationRule, true);
  const auto tags = tags_member(validator, "Tags");
  if (!validator.ok()) return invalid_input(validator);
  if (blueprints_.count(*name) != 0) {
    return already_exists("Blueprint " + *name + " already exists");
  }
  if (blueprints_.size() >= options_.quotas.blueprints) {
    return resource_number_limit("Blueprint quota of " +
                                 std::to_string(options_.quotas.blueprints) + " is reached");
  }
  auto blueprint = std::make_unique<Blueprint>();
  blueprint->name = *name;
  blueprint->created_us = now();
  blueprint->current.description = description;
  blueprint->current.location = *location;
  blueprint->current.service_location = service_location(*this, *name, *location);
  blueprint->current.modified_us = now();
  blueprint->tags = tags.value_or(TagMap{});
  Blueprint& created = *blueprints_.emplace(*name, std::move(blueprint)).first->second;
  trace_transition(kBlueprintMachine, created.name, std::nullopt, created.status);
  schedule_registration(*this, created);
  return json{{"Name", *name}};
}

JsonOutcome Glue::update_blueprint(const json& request) {
  RequestValidator validator(request);
  const auto name = validator.string("Name", kBlueprintNameRule, true);
  const auto description = validator.string("Description", kDescriptionRule);
  const auto location = validator.string("BlueprintLocation", kLocationRule, true);
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found == blueprints_.end()) return blueprint_not_found(*name);
  Blueprint& blueprint = *found->second;
  if (blueprint.status == "CREATING" || blueprint.status == "UPDATING") {
    return illegal_blueprint_state("Blueprint " + *name + " is " + blueprint.status +
                                   "; wait until it is ACTIVE or FAILED to update it");
  }
  BlueprintDefinition next;
  next.description = description ? description : blueprint.current.description;
  next.location = *location;
  next.service_location = service_location(*this, *name, *location);
  next.modified_us = now();
  blueprint.current = std::move(next);
  blueprint.error_message.reset();
  set_status(*this, blueprint, "UPDATING");
  schedule_registration(*this, blueprint);
  return json{{"Name", *name}};
}

JsonOutcome Glue::delete_blueprint(const json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found != blueprints_.end()) {
    context_.scheduler.cancel(found->second->timer);
    for (auto& [sequence, run] : found->second->runs) context_.scheduler.cancel(run->timer);
    blueprints_.erase(found);
    trace_note("deleted", {{"kind", "blueprint"}, {"name", *name}});
  }
  return json{{"Name", *name}};
}

JsonOutcome Glue::get_blueprint(const json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const Include include = read_include(validator);
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found == blueprints_.end()) return blueprint_not_found(*name);
  return json{{"Blueprint", blueprint_json(*this, *found->second, include)}};
}

JsonOutcome Glue::list_blueprints(const json& request) {
  RequestValidator validator(request);
  const auto token = validator.string("NextToken", StringRule{});
  const auto max_results = validator.integer("MaxResults", IntegerRule{1, 25});
  const auto filter = tags_member(validator, "Tags");
  if (!validator.ok()) return invalid_input(validator);
  const StringMap tags = filter.value_or(StringMap{});
  const std::string scope = "ListBlueprints|" + json(tags).dump();
  auto after = read_token(page_tokens_, token, scope);
  if (!after.ok()) return after.error();
  const std::size_t size = max_results ? static_cast<std::size_t>(*max_results)
                                       : kDefaultBlueprintPage;
  json out = {{"Blueprints", json::array()}};
  json& names = out["Blueprints"];
  auto it = after.value() ? blueprints_.upper_bound(*after.value()) : blueprints_.begin();
  for (; it != blueprints_.end(); ++it) {
    if (!tags_match(it->second->tags, tags)) continue;
    if (names.size() == size) {
      out["NextToken"] = page_tokens_.encode(scope, names.back().get<std::string>());
      break;
    }
    names.push_back(it->first);
  }
  return out;
}

JsonOutcome Glue::batch_get_blueprints(const json& request) {
  RequestValidator validator(request);
  const auto names = validator.string_list("Names", CountRule{1, 25}, kBlueprintNameRule, true);
  const Include include = read_include(validator);
  if (!validator.ok()) return invalid_input(validator);
  json out = {{"Blueprints", json::array()}, {"MissingBlueprints", json::array()}};
  std::set<std::string> seen;
  for (const auto& name : *names) {
    if (!seen.insert(name).second) continue;
    const auto found = blueprints_.find(name);
    if (found == blueprints_.end()) {
      out["MissingBlueprints"].push_back(name);
    } else {
      out["Blueprints"].push_back(blueprint_json(*this, *found->second, include));
    }
  }
  return out;
}

JsonOutcome Glue::start_blueprint_run(const json& request) {
  RequestValidator validator(request);
  const auto name = validator.string("BlueprintName", kBlueprintNameRule, true);
  const auto parameters = validator.string("Parameters", kParametersRule);
  const auto role_arn = validator.string("RoleArn", kRoleArnRule, true);
  if (parameters && !json::parse(*parameters, nullptr, false).is_object()) {
    validator.fail(validator.path_of("Parameters"), "Member must be the text of a JSON object",
                   show_value(json(*parameters)));
  }
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found == blueprints_.end()) return blueprint_not_found(*name);
  Blueprint& blueprint = *found->second;
  if (blueprint.status != "ACTIVE") {
    return illegal_blueprint_state("Blueprint " + *name + " is " + blueprint.status +
                                   "; a run needs an ACTIVE blueprint");
  }
  auto run = std::make_unique<BlueprintRun>();
  run->run_id = new_id("br_");
  run->blueprint_name = *name;
  run->machine.emplace();
  run->state = run->machine->state();
  run->started_us = now();
  run->parameters = parameters;
  run->role_arn = *role_arn;
  run->sequence = next_sequence_++;
  BlueprintRun& started = *blueprint.runs.emplace(run->sequence, std::move(run)).first->second;
  trace_transition(kRunMachine, started.run_id, std::nullopt, to_string(started.state));
  started.timer = context_.scheduler.schedule_after(
      options_.timings.blueprint_run_us,
      [this, run_ptr = &started, layout = blueprint.current.layout] {
        execute_run(*this, *run_ptr, layout);
      });
  return json{{"RunId", started.run_id}};
}

JsonOutcome Glue::get_blueprint_run(const json& request) {
  RequestValidator validator(request);
  const auto name = validator.string("BlueprintName", kBlueprintNameRule, true);
  const auto run_id = name_member(validator, "RunId", true);
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found == blueprints_.end()) return blueprint_not_found(*name);
  for (const auto& [sequence, run] : found->second->runs) {
    if (run->run_id == *run_id) return json{{"BlueprintRun", run_json(*this, *run)}};
  }
  return entity_not_found("Blueprint run " + *run_id + " of blueprint " + *name + " not found");
}

JsonOutcome Glue::get_blueprint_runs(const json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "BlueprintName", true);
  const auto token = validator.string("NextToken", StringRule{});
  const auto max_results = validator.integer("MaxResults", IntegerRule{1, 1000});
  if (!validator.ok()) return invalid_input(validator);
  const auto found = blueprints_.find(*name);
  if (found == blueprints_.end()) return blueprint_not_found(*name);
  const std::string scope = "GetBlueprintRuns|" + *name;
  auto before = read_token(page_tokens_, token, scope);
  if (!before.ok()) return before.error();
  const auto sequence = before.value() ? parse_sequence(*before.value()) : std::nullopt;
  if (before.value() && !sequence) return invalid_input("Invalid NextToken: bad position");
  const std::size_t size = max_results ? static_cast<std::size_t>(*max_results) : kDefaultRunPage;
  const auto& runs = found->second->runs;
  json out = {{"BlueprintRuns", json::array()}};
  json& page = out["BlueprintRuns"];
  auto it = sequence ? std::make_reverse_iterator(runs.lower_bound(*sequence)) : runs.rbegin();
  std::uint64_t last_returned = 0;
  for (; it != runs.rend(); ++it) {
    if (page.size() == size) {
      out["NextToken"] = page_tokens_.encode(scope, std::to_string(last_returned));
      break;
    }
    page.push_back(run_json(*this, *it->second));
    last_returned = it->first;
  }
  return out;
}

}  // namespace wfsim::models::glue
