// Workflow runs of MWAA Serverless: StartWorkflowRun, GetWorkflowRun, StopWorkflowRun,
// ListWorkflowRuns, and the run lifecycle driven by the scheduler through the RunLifecycle
// machine (fact sheet 7, 8, 9.2 and 12.9). Follows the sheet: a run starts STARTING, goes
// QUEUED then RUNNING, and ends SUCCESS, FAILED or TIMEOUT; StopWorkflowRun takes it through
// STOPPING to STOPPED; a template error found at run time fails the run with the parser's
// text and no task instances; a failed task fails the run with "Workflow execution failed";
// OverrideParameters are echoed by GetWorkflowRun and overlay the DAG params; concurrent
// runs are capped per workflow and per account. The timing, timeout, idempotency and quota
// choices where the sheet is silent are listed at the top of service.cpp. Every status
// change goes through fire(), which records an illegal event as a "violation" and never
// aborts.
#include "models/common/object_store.hpp"
#include "models/common/timestamps.hpp"
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/request_rules.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

nlohmann::json timestamp(sim::TimeUs t) { return encode_timestamp(t, TimestampFormat::date_time); }

constexpr std::string_view kExecutionFailed = "Workflow execution failed";
constexpr std::string_view kExecutionTimedOut = "Workflow execution timed out";

}  // namespace

std::optional<AwsError> MwaaServerless::check_run_quota(const Workflow& workflow) const {
  const Quotas& quotas = options_.quotas;
  if (workflow.active_runs >= quotas.concurrent_runs_per_workflow) {
    return quota_exceeded(kWorkflowRunType, workflow.arn, kWorkflowRunsQuota,
                          "Workflow " + workflow.arn + " already has " +
                              std::to_string(workflow.active_runs) + " active runs, the quota is " +
                              std::to_string(quotas.concurrent_runs_per_workflow));
  }
  if (active_runs_ >= quotas.concurrent_runs_per_account) {
    return quota_exceeded(kWorkflowRunType, workflow.arn, kAccountRunsQuota,
                          "The account already has " + std::to_string(active_runs_) +
                              " active runs, the quota is " +
                              std::to_string(quotas.concurrent_runs_per_account));
  }
  return std::nullopt;
}

JsonOutcome MwaaServerless::start_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto token = read_client_token(validator, request);
  auto overrides = read_override_parameters(validator);
  const auto version_id = read_version_id(validator, request);
  if (!validator.ok()) return validation_error(validator);

  const sim::TimeUs now = context_.scheduler.now();
  const std::string token_key = token ? "StartWorkflowRun|" + *arn + "|" + *token : "";
  const std::uint64_t fingerprint = token ? json_fingerprint(request) : 0;
  if (token) {
    if (auto seen = idempotent_answer(token_key, fingerprint, kWorkflowRunType, *arn, *token)) {
      return *seen;
    }
  }
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  if (workflow->deleting) {
    return conflict(kWorkflowType, *arn, "Workflow " + *arn + " is being deleted");
  }
  auto version = version_id ? workflow->find_version(*version_id) : workflow->versions.back();
  if (!version) {
    return not_found(kWorkflowVersionType, *version_id,
                     "Workflow " + *arn + " has no version " + *version_id);
  }
  // Which error a disabled workflow gives is unconfirmed (fact sheet 7): ConflictException.
  if (workflow->versions.back()->mode == TriggerMode::disabled) {
    return conflict(kWorkflowType, *arn,
                    "Workflow " + *arn +
                        " is disabled (TriggerMode DISABLED) and cannot be "
                        "run on demand");
  }
  if (auto quota_error = check_run_quota(*workflow)) return *quota_error;

  // An ON_DEMAND run's logical date is its creation time (fact sheet 12.6: unconfirmed).
  const Run& run = create_run(*workflow, std::move(version), RunType::on_demand,
                              overrides ? std::move(*overrides) : nlohmann::json(), now);
  nlohmann::json::object_t members;
  append_in_key_order(members, "RunId", run.id);
  append_in_key_order(members, "StartedAt", timestamp(run.created_us));
  append_in_key_order(members, "Status", to_string(run.status));
  nlohmann::json response(std::move(members));
  if (token) idempotency_.remember(token_key, fingerprint, response, now);
  return response;
}

JsonOutcome MwaaServerless::get_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto run_id = read_id(validator, request, "RunId");
  if (!validator.ok()) return validation_error(validator);
  const Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  const Run* found = workflow->runs_by_id.find(*run_id);
  if (found == nullptr) {
    return not_found(kWorkflowRunType, *run_id, "Workflow " + *arn + " has no run " + *run_id);
  }
  const Run& run = *found;
  nlohmann::json::object_t members;
  if (!run.overrides.is_null()) append_in_key_order(members, "OverrideParameters", run.overrides);
  append_in_key_order(members, "RunDetail", run_detail(run));
  append_in_key_order(members, "RunId", run.id);
  append_in_key_order(members, "RunType", to_string(run.type));
  append_in_key_order(members, "WorkflowArn", workflow->arn);
  append_in_key_order(members, "WorkflowVersion", run.version->id);
  return nlohmann::json(std::move(members));
}

JsonOutcome MwaaServerless::stop_workflow_run(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_workflow_arn(validator, request);
  const auto run_id = read_id(validator, request, "RunId");
  if (!validator.ok()) return validation_error(validator);
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  Run* found = workflow->runs_by_id.find(*run_id);
  if (found == nullptr) {
    return not_found(kWorkflowRunType, *run_id, "Workflow " + *arn + " has no run " + *run_id);
  }
  Run& run = *found;
  // Stopping a run that is already terminal or STOPPING is unconfirmed (fact sheet 7); the
  // operation is @idempotent, so it succeeds with the run's current status.
  if (!is_terminal(run.status) && run.status != RunStatus::STOPPING) stop_run(run);
  return nlohmann::json{{"WorkflowArn", workflow->arn},
                        {"WorkflowVersion", run.version->id},
                        {"RunId", run.id},
                        {"Status", to_string(run.status)}};
}

JsonOutcome MwaaServerless::list_workflow_runs(const nlohmann::json& request) {
  RequestValidator validator(request);
  const PageInput page = read_page(validator);
  const auto arn = read_workflow_arn(validator, request);
  const auto version_id = read_version_id(validator, request);
  if (!validator.ok()) return validation_error(validator);
  const std::string scope = "ListWorkflowRuns|" + *arn + "|" + (version_id ? *version_id : "");
  std::optional<std::uint64_t> position;
  if (auto error = read_position(page.next_token, scope, &position)) return *error;
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json response = nlohmann::json::object();
  if (const Workflow* workflow = find_workflow(*arn)) {
    // Newest first: walk the runs backwards from just below the last one returned.
    auto it = position ? workflow->runs.lower_bound(*position) : workflow->runs.end();
    std::uint64_t last = 0;
    while (it != workflow->runs.begin()) {
      --it;
      const Run& run = it->second;
      if (version_id && run.version->id != *version_id) continue;
      if (items.size() == page.max_results) {
        response["NextToken"] = next_token(scope, last);
        break;
      }
      items.push_back(run_summary(run));
      last = run.sequence;
    }
  }
  response["WorkflowRuns"] = std::move(items);
  return response;
}

Run& MwaaServerless::create_run(Workflow& workflow, std::shared_ptr<const Version> version,
                                RunType type, nlohmann::json overrides,
                                sim::TimeUs logical_date_us) {
  const std::uint64_t sequence = next_sequence_++;
  // The id's slot in the index is prefetched before the run is made, so that its likely
  // cache miss overlaps with that work; the id is inserted once the run is complete.
  std::string id = ids_.alphanumeric(15);
  std::uint64_t id_hash = workflow.runs_by_id.prefetch(id);
  Run& run = workflow.runs.try_emplace(workflow.runs.end(), sequence)->second;
  run.id = std::move(id);
  run.workflow = &workflow;
  run.version = std::move(version);
  run.sequence = sequence;
  // A version-4 UUID: version nibble 4, variant bits 10.
  run.uuid_high = (execution_ids_.next() & ~0xF000ULL) | 0x4000ULL;
  run.uuid_low = (execution_ids_.next() & ~(0xC000ULL << 48)) | (0x8000ULL << 48);
  run.created_us = context_.scheduler.now();
  run.modified_us = run.created_us;
  run.logical_date_us = logical_date_us;
  run.overrides = std::move(overrides);
  run.type = type;
  run.machine.emplace();
  run.status = run.machine->status();
  // A RunId another run of the workflow has is drawn again (only ids_ draws it, so drawing
  // it after the execution id changes no stream).
  while (!workflow.runs_by_id.insert(run, id_hash)) {
    run.id = ids_.alphanumeric(15);
    id_hash = workflow.runs_by_id.prefetch(run.id);
  }
  ++workflow.active_runs;
  ++active_runs_;
  trace_run(run, std::nullopt);
  run.timer =
      context_.scheduler.schedule_after(options_.timings.queue_delay_us, [this, target = &run] {
        target->timer = 0;
        on_run_queued(*target);
      });
  return run;
}

bool MwaaServerless::fire(Run& run, RunEvent event) {
  const RunStatus from = run.status;
  if (!run.machine || !run.machine->fire(event)) {
    record_violation("run", run, to_string(event), to_string(from));
    return false;
  }
  run.status = run.machine->status();
  run.modified_us = context_.scheduler.now();
  if (is_terminal(run.status)) {
    run.machine.reset();
    run.completed_us = run.modified_us;
  }
  trace_run(run, from);
  return true;
}

void MwaaServerless::on_run_queued(Run& run) {
  if (!fire(run, RunEvent::queued)) return;
  run.timer = context_.scheduler.schedule_after(options_.timings.startup_us, [this, target = &run] {
    target->timer = 0;
    on_run_startup(*target);
  });
}

// The code package is extracted and templates are rendered for every task before the run
// is RUNNING (12.9: a package that cannot be extracted or a template error fails the run,
// with no task instances). A BashOperator script with no package to load it from is such a
// template error.
void MwaaServerless::on_run_startup(Run& run) {
  const Version& version = *run.version;
  if (version.code && !version.code->extractable) {
    finish_run(run, RunEvent::failed,
               "The code package " + s3_url(version.code->bucket, version.code->object_key) +
                   " could not be extracted: it is not a zip archive");
    return;
  }
  if (version.missing_script) {
    finish_run(run, RunEvent::failed, *version.missing_script);
    return;
  }
  if (version.has_templates) {
    for (const auto& task : version.definition.tasks) {
      const auto rendered = render_arguments(task.arguments, template_context(run, task.task_id));
      if (const auto* error = std::get_if<DefinitionError>(&rendered)) {
        finish_run(run, RunEvent::failed, error->message);
        return;
      }
    }
  }
  if (!fire(run, RunEvent::started)) return;
  begin_tasks(run);
}

void MwaaServerless::on_run_timeout(Run& run) {
  cancel_active_work(run);
  finish_run(run, RunEvent::timed_out, std::string(kExecutionTimedOut));
}

void MwaaServerless::stop_run(Run& run) {
  context_.scheduler.cancel(run.timer);
  run.timer = 0;
  if (!fire(run, RunEvent::stop_requested)) return;
  cancel_active_work(run);
  run.timer =
      context_.scheduler.schedule_after(options_.timings.stop_delay_us, [this, target = &run] {
        target->timer = 0;
        on_stop_completed(*target);
      });
}

void MwaaServerless::on_stop_completed(Run& run) { finish_run(run, RunEvent::stop_completed, ""); }

// The one place a run becomes terminal: the counters, the error text and the clean-up of a
// workflow or version that is being deleted.
void MwaaServerless::finish_run(Run& run, RunEvent event, std::string error_message) {
  if (!fire(run, event)) return;
  context_.scheduler.cancel(run.timer);
  run.timer = 0;
  run.error_message =
      error_message.empty()
          ? nullptr
          : std::make_unique<const std::string>(first_code_points(error_message, kMaxErrorMessage));
  Workflow& workflow = *run.workflow;
  --workflow.active_runs;
  --active_runs_;
  if (run.remove_when_done || (workflow.deleting && workflow.active_runs == 0)) {
    request_cleanup(workflow);
  }
}

// Every unfinished task instance is CANCELLED and every pending task or retry timer goes.
void MwaaServerless::cancel_active_work(Run& run) {
  for (std::uint32_t index = 0; index < run.instances.size(); ++index) {
    TaskInstance& instance = run.instances[index];
    if (instance.timer != 0) {
      context_.scheduler.cancel(instance.timer);
      instance.timer = 0;
    }
    if (!is_terminal(instance.status)) fire(run, index, TaskEvent::cancel);
  }
}

// The run's task graph is complete: SUCCESS when every leaf task succeeded (Airflow's
// leaf rule, 12.9), else FAILED.
void MwaaServerless::complete_run(Run& run) {
  const auto& instances = run.instances;
  bool leaves_succeeded = true;
  for (std::uint32_t leaf : run.version->leaves) {
    leaves_succeeded =
        leaves_succeeded && instances[run.latest(leaf)].status == TaskStatus::SUCCESS;
  }
  if (leaves_succeeded) {
    finish_run(run, RunEvent::succeeded, "");
  } else {
    finish_run(run, RunEvent::failed, std::string(kExecutionFailed));
  }
}

TemplateContext MwaaServerless::template_context(const Run& run, const std::string& task_id) const {
  TemplateContext context;
  context.params = run.version->definition.params;
  if (!context.params.is_object()) context.params = nlohmann::json::object();
  // Overrides win over the DAG's params (12.6). An override key the DAG does not declare is
  // added to params: whether it is added or rejected is unconfirmed (12.6).
  if (run.overrides.is_object()) {
    for (const auto& [key, value] : run.overrides.items()) context.params[key] = value;
  }
  context.logical_date_us = run.logical_date_us;
  context.run_id = run.id;
  context.task_id = task_id;
  return context;
}

}  // namespace wfsim::models::mwaa
