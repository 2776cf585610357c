// Workflow and version operations of MWAA Serverless: CreateWorkflow, GetWorkflow,
// UpdateWorkflow, DeleteWorkflow, ListWorkflows, ListWorkflowVersions (fact sheet section 7,
// 8 and 9.1). Follows the sheet: the definition is read from the object store and
// snapshotted into an immutable version; every update appends a version with a new id and
// only the latest version keeps a schedule; the ARN ends in "-" and 10 alphanumerics; version
// ids are 32 characters of [a-z0-9] (hex, like the documentation's examples). The choices
// where the sheet is silent (trigger modes, carried-over members, idempotency keys, deletion
// and ordering) are listed at the top of service.cpp.
#include "models/common/arn.hpp"
#include "models/common/timestamps.hpp"
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/request_rules.hpp"
#include "models/mwaa_serverless/state.hpp"
#include "sim/text.hpp"

namespace wfsim::models::mwaa {

// The members CreateWorkflow and UpdateWorkflow share: what makes one version.
struct VersionRequest {
  S3LocationInput location;
  std::optional<S3LocationInput> code;  // Code (12.1)
  std::string role_arn;
  std::optional<std::string> description;
  std::optional<std::string> log_group;
  std::optional<nlohmann::json> network;
  std::optional<std::int64_t> engine_version;
  std::optional<TriggerMode> mode;
  const Version* previous = nullptr;  // UpdateWorkflow: the latest version before the call
};

namespace {

nlohmann::json timestamp(sim::TimeUs t) { return encode_timestamp(t, TimestampFormat::date_time); }

std::string s3_url(const S3LocationInput& location) {
  std::string url = models::s3_url(location.bucket, location.object_key);
  if (!location.version_id.empty()) url += " (VersionId " + location.version_id + ")";
  return url;
}

bool contains_template(const nlohmann::json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find('{') != std::string::npos;
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (contains_template(item)) return true;
    }
  }
  return false;
}

std::optional<VersionRequest> read_version_request(RequestValidator& validator,
                                                   const nlohmann::json& request) {
  VersionRequest out;
  const auto location = read_definition_location(validator);
  out.code = read_code_location(validator);
  const auto role = read_role_arn(validator);
  out.description = read_description(validator, request);
  out.log_group = read_log_group(validator);
  out.engine_version = read_engine_version(validator);
  out.network = read_network(validator);
  out.mode = read_trigger_mode(validator, request);
  if (!location || !role) return std::nullopt;
  out.location = *location;
  out.role_arn = *role;
  return out;
}

// Task graph indexes, trigger rules and profiles of a parsed definition. The parser has
// already checked dependencies and rules; a failure here names what it let through.
std::optional<std::string> compile_tasks(Version& version, const ProfileBook& profiles,
                                         const std::string& workflow_name) {
  const auto& tasks = version.definition.tasks;
  for (std::uint32_t index = 0; index < tasks.size(); ++index) {
    version.task_index.emplace(tasks[index].task_id, index);
  }
  version.tasks.resize(tasks.size());
  for (std::uint32_t index = 0; index < tasks.size(); ++index) {
    const TaskDefinition& task = tasks[index];
    CompiledTask& compiled = version.tasks[index];
    const auto rule = trigger_rule_from_string(task.trigger_rule);
    if (!rule) {
      return "Task '" + task.task_id + "' has an unsupported trigger_rule '" + task.trigger_rule +
             "'";
    }
    compiled.rule = *rule;
    compiled.profile = profiles.resolve(workflow_name, task.task_id);
    for (const auto& dependency : task.dependencies) {
      const auto upstream = version.task_index.find(dependency);
      if (upstream == version.task_index.end()) {
        return "Task '" + task.task_id + "' depends on unknown task '" + dependency + "'";
      }
      compiled.upstream.push_back(upstream->second);
      version.tasks[upstream->second].downstream.push_back(index);
    }
    version.has_templates = version.has_templates || contains_template(task.arguments);
  }
  for (std::uint32_t index = 0; index < tasks.size(); ++index) {
    if (version.tasks[index].downstream.empty()) version.leaves.push_back(index);
  }
  return std::nullopt;
}

// UpdateWorkflow: members left out keep the previous version's values (service.cpp).
void carry_over(VersionRequest& request) {
  const Version* previous = request.previous;
  if (previous == nullptr) return;
  if (!request.description) request.description = previous->description;
  if (!request.log_group) request.log_group = previous->log_group;
  if (!request.network) request.network = previous->network;
  if (!request.engine_version) request.engine_version = previous->engine_version;
  if (!request.mode && previous->mode_explicit) request.mode = previous->mode;
}

// PythonOperator imports its python_callable ("module.function") from the code package
// root (12.4), and dag-factory imports it when the DAG is built, at create or update time.
std::optional<std::string> uncallable_python_task(const WorkflowDefinition& definition) {
  for (const TaskDefinition& task : definition.tasks) {
    if (task.operator_name != "PythonOperator") continue;
    const auto callable = task.arguments.find("python_callable");
    const std::string shown = callable != task.arguments.end() && callable->is_string()
                                  ? callable->get<std::string>()
                                  : std::string("?");
    return "Task '" + task.task_id + "': PythonOperator imports python_callable '" + shown +
           "' from the code package, and the workflow has none: give one in Code";
  }
  return std::nullopt;
}

// BashOperator loads a bash_command that ends in ".sh" or ".bash" (its template_ext) as a
// template file from the DAG folder, the code package root (12.4), when the task's templates
// are rendered; without a package the file is not found. The text as written is tested,
// before rendering, as Airflow does: a trailing space is the documented way to run such a
// command inline. Chosen: the sheet says BashOperator needs "a command or a script in the
// package" (12.4) and, elsewhere (12.5), that it requires a package; an inline command is
// taken to run without one. The run fails when it renders its templates (12.9), with
// Jinja's error.
std::optional<std::string> unloadable_bash_script(const WorkflowDefinition& definition) {
  for (const TaskDefinition& task : definition.tasks) {
    if (task.operator_name != "BashOperator") continue;
    const auto command = task.arguments.find("bash_command");
    if (command == task.arguments.end() || !command->is_string()) continue;
    const std::string& text = command->get_ref<const std::string&>();
    if (!sim::ends_with(text, ".sh") && !sim::ends_with(text, ".bash")) continue;
    return "Task '" + task.task_id + "': TemplateNotFound: " + text +
           " (BashOperator loads a bash_command ending in .sh or .bash from the code package, "
           "and the workflow has none)";
  }
  return std::nullopt;
}

}  // namespace

Workflow* MwaaServerless::find_workflow(const std::string& arn) const {
  const auto found = workflows_by_arn_.find(arn);
  return found == workflows_by_arn_.end() ? nullptr : found->second;
}

std::string MwaaServerless::new_version_id(const Workflow* workflow) {
  for (;;) {
    std::string id = ids_.hex(32);
    if (workflow == nullptr || !workflow->find_version(id)) return id;
  }
}

Outcome<std::shared_ptr<Version>> MwaaServerless::build_version(const VersionRequest& request,
                                                                const std::string& workflow_name) {
  VersionRequest effective = request;
  carry_over(effective);
  const auto object = context_.objects.get(effective.location.bucket, effective.location.object_key,
                                           effective.location.version_id);
  if (!object) {
    return validation_error("other", "DefinitionS3Location",
                            "Unable to read the workflow definition from " +
                                s3_url(effective.location) + ": the object does not exist");
  }
  auto parsed = parse_workflow_definition(object->body);
  if (auto* error = std::get_if<DefinitionError>(&parsed)) {
    return validation_error("other", "DefinitionS3Location", error->message);
  }
  std::optional<CodePackage> code;
  if (effective.code) {
    const auto package = context_.objects.get(effective.code->bucket, effective.code->object_key,
                                              effective.code->version_id);
    if (!package) {
      return validation_error("other", "Code",
                              "Unable to read the code package from " + s3_url(*effective.code) +
                                  ": the object does not exist");
    }
    code = CodePackage{effective.code->bucket, effective.code->object_key,
                       effective.code->version_id, context_.scheduler.now(),
                       !package->body.empty()};
  } else if (effective.previous != nullptr && effective.previous->code) {
    code = effective.previous->code;  // UpdateWorkflow without Code keeps the snapshot it had
  } else if (auto error = uncallable_python_task(std::get<WorkflowDefinition>(parsed))) {
    return validation_error("other", "Code", *error);
  }
  auto version = std::make_shared<Version>();
  version->definition = std::move(std::get<WorkflowDefinition>(parsed));
  if (!code) version->missing_script = unloadable_bash_script(version->definition);
  version->code = std::move(code);
  if (auto error = compile_tasks(*version, options_.profiles, workflow_name)) {
    return validation_error("other", "DefinitionS3Location", *error);
  }
  version->bucket = effective.location.bucket;
  version->object_key = effective.location.object_key;
  version->object_version = object->version_id;
  version->role_arn = effective.role_arn;
  version->description = effective.description;
  version->network = effective.network;
  version->engine_version = effective.engine_version.value_or(1);
  version->mode_explicit = effective.mode.has_value();
  version->mode = effective.mode.value_or(version->definition.schedule ? TriggerMode::scheduled
                                                                       : TriggerMode::manual_only);
  version->log_group = effective.log_group.value_or("");
  return version;
}

JsonOutcome MwaaServerless::create_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto name = read_name(validator, request);
  const auto token = read_client_token(validator, request);
  const auto version_request = read_version_request(validator, request);
  const auto encryption = read_encryption(validator);
  const auto tags = read_tags(validator, false);
  if (!validator.ok()) return validation_error(validator);

  // Keyed by (operation, Name, token), the sheet's guidance (section 8, unconfirmed): the
  // same token with another name creates that workflow.
  const std::string token_key = token ? "CreateWorkflow|" + *name + "|" + *token : "";
  const std::uint64_t fingerprint = token ? json_fingerprint(request) : 0;
  if (token) {
    if (auto seen = idempotent_answer(token_key, fingerprint, kWorkflowType, *name, *token)) {
      return *seen;
    }
  }
  if (workflows_by_name_.count(*name) != 0) {
    return conflict(kWorkflowType, *name, "A workflow named '" + *name + "' already exists");
  }
  if (workflows_.size() >= options_.quotas.workflows_per_account) {
    return quota_exceeded(kWorkflowType, *name, kWorkflowsQuota,
                          "The account already has " + std::to_string(workflows_.size()) +
                              " workflows, the quota is " +
                              std::to_string(options_.quotas.workflows_per_account));
  }
  auto built = build_version(*version_request, *name);
  if (!built) return built.error();

  // Every check has passed: from here on the call succeeds and may draw ids.
  Workflow& workflow = add_workflow(*name, encryption, tags.value_or(TagMap{}), built.value());
  const Version& version = *workflow.versions.back();
  nlohmann::json response = {{"WorkflowArn", workflow.arn},
                             {"CreatedAt", timestamp(workflow.created_us)},
                             {"RevisionId", ids_.uuid4()},
                             {"WorkflowStatus", "READY"},
                             {"WorkflowVersion", version.id},
                             {"IsLatestVersion", true},
                             {"Warnings", version.definition.warnings}};
  if (token) idempotency_.remember(token_key, fingerprint, response, context_.scheduler.now());
  return response;
}

Workflow& MwaaServerless::add_workflow(const std::string& name,
                                       const std::optional<nlohmann::json>& encryption, TagMap tags,
                                       std::shared_ptr<Version> version) {
  auto workflow = std::make_unique<Workflow>();
  workflow->service = this;
  workflow->name = name;
  do {
    workflow->resource_name = name + "-" + ids_.alphanumeric(10);
    workflow->arn = make_arn("airflow-serverless", context_.region, context_.account_id,
                             "workflow/" + workflow->resource_name);
  } while (workflows_by_arn_.count(workflow->arn) != 0);
  workflow->sequence = next_sequence_++;
  workflow->created_us = context_.scheduler.now();
  workflow->encryption = encryption;
  workflow->tags = std::move(tags);
  version->id = new_version_id(nullptr);
  version->sequence = next_sequence_++;
  version->created_us = workflow->created_us;
  if (version->log_group.empty()) {
    version->log_group = "/aws/mwaa-serverless/" + workflow->resource_name + "/";
  }
  workflow->versions.push_back(std::move(version));
  Workflow& stored = *workflow;
  workflows_by_arn_.emplace(stored.arn, &stored);
  workflows_by_name_.emplace(stored.name, &stored);
  workflows_.emplace(stored.sequence, std::move(workflow));
  arm_schedule(stored);
  return stored;
}

std::optional<JsonOutcome> MwaaServerless::idempotent_answer(const std::string& key,
                                                             std::uint64_t fingerprint,
                                                             std::string_view resource_type,
                                                             const std::string& resource_id,
                                                             const std::string& token) {
  const auto seen = idempotency_.find(key, fingerprint, context_.scheduler.now());
  switch (seen.match) {
    case IdempotencyStore::Match::replay:
      return JsonOutcome(*seen.response);
    case IdempotencyStore::Match::conflict:
      return JsonOutcome(
          conflict(resource_type, resource_id,
                   "ClientToken '" + token + "' was already used with a different request"));
    case IdempotencyStore::Match::miss:
      break;
  }
  return std::nullopt;
}

JsonOutcome MwaaServerless::get_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto version_id = read_workflow_version(validator, request);
  if (!validator.ok()) return validation_error(validator);
  const Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  const auto version = version_id ? workflow->find_version(*version_id) : workflow->versions.back();
  if (!version) {
    return not_found(kWorkflowVersionType, *version_id,
                     "Workflow " + *arn + " has no version " + *version_id);
  }
  return workflow_detail(*workflow, *version);
}

JsonOutcome MwaaServerless::update_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  auto version_request = read_version_request(validator, request);
  if (!validator.ok()) return validation_error(validator);
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  if (workflow->deleting) {
    return conflict(kWorkflowType, *arn, "Workflow " + *arn + " is being deleted");
  }
  if (workflow->versions.size() >= options_.quotas.versions_per_workflow) {
    return quota_exceeded(
        kWorkflowVersionType, *arn, kVersionsQuota,
        "Workflow " + *arn + " already has " + std::to_string(workflow->versions.size()) +
            " versions, the quota is " + std::to_string(options_.quotas.versions_per_workflow));
  }
  version_request->previous = workflow->versions.back().get();
  auto built = build_version(*version_request, workflow->name);
  if (!built) return built.error();

  std::shared_ptr<Version> version = built.value();
  version->id = new_version_id(workflow);
  version->sequence = next_sequence_++;
  version->created_us = context_.scheduler.now();
  workflow->versions.push_back(version);
  arm_schedule(*workflow);
  return nlohmann::json{{"WorkflowArn", workflow->arn},
                        {"ModifiedAt", timestamp(version->created_us)},
                        {"WorkflowVersion", version->id},
                        {"Warnings", version->definition.warnings}};
}

JsonOutcome MwaaServerless::delete_workflow(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto version_id = read_workflow_version(validator, request);
  if (!validator.ok()) return validation_error(validator);
  // A second delete of a workflow that is gone is unconfirmed (fact sheet 7): 404, while one
  // that is still DELETING succeeds again.
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  nlohmann::json response = {{"WorkflowArn", *arn}};
  if (!version_id) {
    if (!workflow->deleting) delete_whole_workflow(*workflow);
    return response;
  }
  if (!workflow->find_version(*version_id)) {
    return not_found(kWorkflowVersionType, *version_id,
                     "Workflow " + *arn + " has no version " + *version_id);
  }
  response["WorkflowVersion"] = *version_id;
  if (workflow->deleting) return response;
  if (workflow->versions.size() == 1) {
    delete_whole_workflow(*workflow);
  } else {
    delete_one_version(*workflow, *version_id);
  }
  return response;
}

JsonOutcome MwaaServerless::list_workflows(const nlohmann::json& request) {
  RequestValidator validator(request);
  const PageInput page = read_page(validator);
  if (!validator.ok()) return validation_error(validator);
  const std::string scope = "ListWorkflows";
  std::optional<std::uint64_t> position;
  if (auto error = read_position(page.next_token, scope, &position)) return *error;
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json response = nlohmann::json::object();
  auto it = position ? workflows_.upper_bound(*position) : workflows_.begin();
  for (; it != workflows_.end(); ++it) {
    if (items.size() == page.max_results) {
      response["NextToken"] = next_token(scope, std::prev(it)->first);
      break;
    }
    items.push_back(workflow_summary(*it->second));
  }
  response["Workflows"] = std::move(items);
  return response;
}

JsonOutcome MwaaServerless::list_workflow_versions(const nlohmann::json& request) {
  RequestValidator validator(request);
  const PageInput page = read_page(validator);
  const auto arn = read_workflow_arn(validator, request);
  if (!validator.ok()) return validation_error(validator);
  const std::string scope = "ListWorkflowVersions|" + *arn;
  std::optional<std::uint64_t> position;
  if (auto error = read_position(page.next_token, scope, &position)) return *error;
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json response = nlohmann::json::object();
  if (const Workflow* workflow = find_workflow(*arn)) {
    std::uint64_t last = 0;
    for (const auto& version : workflow->versions) {
      if (position && version->sequence <= *position) continue;
      if (items.size() == page.max_results) {
        response["NextToken"] = next_token(scope, last);
        break;
      }
      items.push_back(version_summary(*workflow, *version));
      last = version->sequence;
    }
  }
  response["WorkflowVersions"] = std::move(items);
  return response;
}

void MwaaServerless::delete_whole_workflow(Workflow& workflow) {
  workflow.deleting = true;
  disarm_schedule(workflow);
  for (auto& [sequence, run] : workflow.runs) {
    if (!is_terminal(run.status) && run.status != RunStatus::STOPPING) stop_run(run);
  }
  if (workflow.active_runs == 0) remove_workflow(workflow);
}

void MwaaServerless::delete_one_version(Workflow& workflow, const std::string& version_id) {
  auto& versions = workflow.versions;
  const bool was_latest = versions.back()->id == version_id;
  for (auto it = versions.begin(); it != versions.end(); ++it) {
    if ((*it)->id == version_id) {
      versions.erase(it);
      break;
    }
  }
  for (auto it = workflow.runs.begin(); it != workflow.runs.end();) {
    Run& run = it->second;
    if (run.version->id != version_id) {
      ++it;
    } else if (is_terminal(run.status)) {
      workflow.runs_by_id.erase(run.id);
      it = workflow.runs.erase(it);
    } else {
      run.remove_when_done = true;
      if (run.status != RunStatus::STOPPING) stop_run(run);
      ++it;
    }
  }
  if (was_latest) arm_schedule(workflow);
}

// Only called when no run of the workflow is active, so no run timer is pending.
void MwaaServerless::remove_workflow(Workflow& workflow) {
  disarm_schedule(workflow);
  context_.scheduler.cancel(workflow.cleanup_timer);
  workflows_by_arn_.erase(workflow.arn);
  workflows_by_name_.erase(workflow.name);
  workflows_.erase(workflow.sequence);
}

void MwaaServerless::request_cleanup(Workflow& workflow) {
  if (workflow.cleanup_timer != 0) return;
  workflow.cleanup_timer = context_.scheduler.schedule_after(0, [this, target = &workflow] {
    target->cleanup_timer = 0;
    clean_up(*target);
  });
}

// Runs outside any run's own timer, so removing runs or the workflow cannot pull a record
// from under a caller that is still using it.
void MwaaServerless::clean_up(Workflow& workflow) {
  for (auto it = workflow.runs.begin(); it != workflow.runs.end();) {
    if (it->second.remove_when_done && is_terminal(it->second.status)) {
      workflow.runs_by_id.erase(it->second.id);
      it = workflow.runs.erase(it);
    } else {
      ++it;
    }
  }
  if (workflow.deleting && workflow.active_runs == 0) remove_workflow(workflow);
}

}  // namespace wfsim::models::mwaa
