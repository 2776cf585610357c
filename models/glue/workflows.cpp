// Glue workflow operations: CreateWorkflow, UpdateWorkflow, DeleteWorkflow, GetWorkflow,
// ListWorkflows, BatchGetWorkflows (fact sheet 4 Workflow, 5 and 5.1, 6.1, 7, 8).
//
// Sheet rules followed: names are unique (AlreadyExistsException); the workflow quota gives
// ResourceNumberLimitExceededException; MaxConcurrentRuns absent = unlimited; CreatedOn =
// LastModifiedOn = now; GetWorkflow's Graph is the static view of the current triggers (6.1)
// and LastRun the most recent run; DeleteWorkflow has no EntityNotFoundException.
// Rules of section 9 applied here:
// - 9.14: DeleteWorkflow deletes the triggers that name the workflow and its runs; jobs and
//   crawlers stay. Job runs and crawls a deleted run launched keep going on their own, no
//   longer point at the run, and never count for triggers outside workflows (6.2 scope rule:
//   a workflow started them).
// - 9.15: UpdateWorkflow keeps every member the request omits.
// - 9.24: every workflow shows CreationStatus CREATED (creation is immediate here).
// Chosen where the sheet is silent:
// - MaxConcurrentRuns must be >= 1 when given (0 or less would allow no run at all and is
//   rejected as InvalidInputException); absence means unlimited.
// - Description (0..120,000) is any UTF-8 string, control characters included, as the seed
//   page calls it a plain string.
// - DefaultRunProperties is shown only when the workflow has some; LastRun only when the
//   workflow has a run; BatchGetWorkflows answers both lists, empty ones included, and keeps
//   the request's order (a name asked for twice is answered twice).
// - ListWorkflows returns at most 25 names by default (the maximum); its NextToken carries
//   the last name returned, so deletions between pages skip nothing that remains.
#include <string>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

constexpr std::size_t kMaxDescriptionBytes = 120000;
constexpr std::int64_t kMaxListWorkflows = 25;
constexpr std::string_view kListScope = "ListWorkflows";

// The members CreateWorkflow and UpdateWorkflow share, read by one validator.
struct WorkflowMembers {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<StringMap> default_run_properties;
  std::optional<std::int64_t> max_concurrent_runs;
};

WorkflowMembers read_workflow_members(RequestValidator& validator) {
  WorkflowMembers members;
  members.name = name_member(validator, "Name", true);
  members.description =
      validator.string("Description", StringRule{0, kMaxDescriptionBytes, {}, true});
  members.default_run_properties = properties_member(validator, "DefaultRunProperties", false);
  members.max_concurrent_runs = validator.integer("MaxConcurrentRuns", IntegerRule{1, INT32_MAX});
  return members;
}

}  // namespace

JsonOutcome Glue::create_workflow(const nlohmann::json& request) {
  return create_workflow_entity(request, std::nullopt);
}

JsonOutcome Glue::create_workflow_entity(const nlohmann::json& request,
                                         std::optional<BlueprintDetails> blueprint) {
  RequestValidator validator(request);
  WorkflowMembers members = read_workflow_members(validator);
  auto tags = tags_member(validator, "Tags");
  if (!validator.ok()) return invalid_input(validator);
  if (workflows_.count(*members.name) != 0) {
    return already_exists("Workflow with name " + *members.name + " already exists");
  }
  if (workflows_.size() >= options_.quotas.workflows) {
    return resource_number_limit("Number of workflows exceeds the quota of " +
                                 std::to_string(options_.quotas.workflows));
  }
  auto workflow = std::make_unique<Workflow>();
  workflow->name = *members.name;
  workflow->description = std::move(members.description);
  if (members.default_run_properties) {
    workflow->default_run_properties = std::move(*members.default_run_properties);
  }
  workflow->max_concurrent_runs = members.max_concurrent_runs;
  workflow->created_us = now();
  workflow->modified_us = workflow->created_us;
  if (tags) workflow->tags = std::move(*tags);
  workflow->blueprint = std::move(blueprint);
  workflows_.emplace(workflow->name, std::move(workflow));
  trace_note("workflow_created", {{"name", *members.name}});
  return nlohmann::json{{"Name", *members.name}};
}

JsonOutcome Glue::update_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  WorkflowMembers members = read_workflow_members(validator);
  if (!validator.ok()) return invalid_input(validator);
  const auto found = workflows_.find(*members.name);
  if (found == workflows_.end()) {
    return entity_not_found("Workflow " + *members.name + " not found");
  }
  Workflow& workflow = *found->second;
  // Rule 9.15: an omitted member keeps its value.
  if (members.description) workflow.description = std::move(members.description);
  if (members.default_run_properties) {
    workflow.default_run_properties = std::move(*members.default_run_properties);
  }
  if (members.max_concurrent_runs) workflow.max_concurrent_runs = members.max_concurrent_runs;
  workflow.modified_us = now();
  return nlohmann::json{{"Name", workflow.name}};
}

JsonOutcome Glue::delete_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  erase_workflow(*name);
  return nlohmann::json{{"Name", *name}};
}

void Glue::erase_workflow(const std::string& name) {
  const auto found = workflows_.find(name);
  if (found == workflows_.end()) return;
  Workflow* workflow = found->second.get();
  std::vector<std::string> trigger_names;
  for (const auto& [trigger_name, trigger] : triggers_) {
    if (trigger->definition.workflow_name == name) trigger_names.push_back(trigger_name);
  }
  for (const auto& trigger_name : trigger_names) erase_trigger(trigger_name);
  // The runs' job runs and crawls outlive them (they sit in the arenas and keep going), so
  // they must stop pointing at the runs before the runs are destroyed.
  for (auto& [sequence, run] : workflow->runs) detach_run(*run);
  workflows_.erase(found);
  trace_note("workflow_deleted", {{"name", name}, {"triggers_deleted", trigger_names}});
}

JsonOutcome Glue::get_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = name_member(validator, "Name", true);
  const auto include_graph = validator.boolean("IncludeGraph");
  if (!validator.ok()) return invalid_input(validator);
  const auto found = workflows_.find(*name);
  if (found == workflows_.end()) return entity_not_found("Workflow " + *name + " not found");
  return nlohmann::json{{"Workflow", workflow_json(*found->second, include_graph.value_or(false))}};
}

JsonOutcome Glue::list_workflows(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto token = validator.string("NextToken", StringRule{});
  const auto max_results = validator.integer("MaxResults", IntegerRule{1, kMaxListWorkflows});
  if (!validator.ok()) return invalid_input(validator);
  auto position = workflows_.begin();
  if (token) {
    const auto after = page_tokens_.decode(kListScope, *token);
    if (!after)
      return invalid_input("Invalid NextToken: it is malformed or belongs to another request");
    position = workflows_.upper_bound(*after);
  }
  const auto size = static_cast<std::size_t>(max_results.value_or(kMaxListWorkflows));
  nlohmann::json names = nlohmann::json::array();
  for (; position != workflows_.end() && names.size() < size; ++position) {
    names.push_back(position->first);
  }
  nlohmann::json response = {{"Workflows", names}};
  if (position != workflows_.end()) {
    response["NextToken"] = page_tokens_.encode(kListScope, names.back().get<std::string>());
  }
  return response;
}

JsonOutcome Glue::batch_get_workflows(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto names = name_list_member(validator, "Names", CountRule{1, 25}, true);
  const auto include_graph = validator.boolean("IncludeGraph");
  if (!validator.ok()) return invalid_input(validator);
  nlohmann::json found_workflows = nlohmann::json::array();
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& name : *names) {
    const auto found = workflows_.find(name);
    if (found == workflows_.end()) {
      missing.push_back(name);
    } else {
      found_workflows.push_back(workflow_json(*found->second, include_graph.value_or(false)));
    }
  }
  return nlohmann::json{{"Workflows", found_workflows}, {"MissingWorkflows", missing}};
}

nlohmann::json Glue::workflow_json(const Workflow& workflow, bool include_graph) const {
  nlohmann::json out = {{"Name", workflow.name}};
  if (workflow.description) out["Description"] = *workflow.description;
  if (!workflow.default_run_properties.empty()) {
    out["DefaultRunProperties"] = workflow.default_run_properties;
  }
  out["CreatedOn"] = timestamp(workflow.created_us);
  out["LastModifiedOn"] = timestamp(workflow.modified_us);
  if (!workflow.runs.empty()) {
    out["LastRun"] = workflow_run_json(*workflow.runs.rbegin()->second, false);
  }
  if (include_graph) out["Graph"] = static_graph_json(build_graph(workflow.name));
  if (workflow.max_concurrent_runs) out["MaxConcurrentRuns"] = *workflow.max_concurrent_runs;
  if (workflow.blueprint) {
    out["BlueprintDetails"] = {{"BlueprintName", workflow.blueprint->blueprint_name},
                               {"RunId", workflow.blueprint->run_id}};
  }
  out["CreationStatus"] = "CREATED";  // rule 9.24
  return out;
}

}  // namespace wfsim::models::glue
