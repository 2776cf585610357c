#include "properties/model_glue.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <set>
#include <utility>
#include <vector>

#include "properties/model_support.hpp"

namespace wfsim::properties::glue_model {
namespace {

using models::JsonOutcome;
using nlohmann::json;

constexpr std::string_view kService = "glue";
constexpr const char* kRole = "arn:aws:iam::111122223333:role/glue-etl";
constexpr std::array<const char*, 3> kWorkflows = {"flow-0", "flow-1", "flow-2"};
constexpr std::size_t kWorkflowsWithGraph = 2;  // flow-0 and flow-1
constexpr std::array<const char*, 3> kJobs = {"extract", "load", "adhoc"};
constexpr std::array<std::int64_t, 3> kJobCaps = {3, 3, 1};  // ExecutionProperty.MaxConcurrentRuns
constexpr std::size_t kAccountJobRuns = 6;                   // quotas.concurrent_job_runs
constexpr sim::DurationUs kMaxElapsedUs = sim::hours(20);

const StatusGraph& run_graph() {
  static const StatusGraph graph(
      {{"RUNNING", "COMPLETED"}, {"RUNNING", "STOPPING"}, {"STOPPING", "STOPPED"}},
      {"COMPLETED", "STOPPED", "ERROR"});
  return graph;
}

const StatusGraph& job_run_graph() {
  static const StatusGraph graph({{"WAITING", "STARTING"},
                                  {"WAITING", "EXPIRED"},
                                  {"WAITING", "STOPPING"},
                                  {"STARTING", "RUNNING"},
                                  {"STARTING", "FAILED"},
                                  {"STARTING", "ERROR"},
                                  {"STARTING", "STOPPING"},
                                  {"RUNNING", "SUCCEEDED"},
                                  {"RUNNING", "FAILED"},
                                  {"RUNNING", "TIMEOUT"},
                                  {"RUNNING", "ERROR"},
                                  {"RUNNING", "STOPPING"},
                                  {"STOPPING", "STOPPED"}},
                                 {"SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "STOPPED", "EXPIRED"});
  return graph;
}

// Only the transient trigger states end by themselves; every other change needs a call.
const StatusGraph& trigger_time_graph() {
  static const StatusGraph graph({{"CREATING", "CREATED"},
                                  {"CREATING", "ACTIVATING"},
                                  {"CREATING", "ACTIVATED"},
                                  {"ACTIVATING", "ACTIVATED"},
                                  {"DEACTIVATING", "DEACTIVATED"},
                                  {"UPDATING", "CREATED"},
                                  {"UPDATING", "ACTIVATED"},
                                  {"UPDATING", "DEACTIVATED"}},
                                 {});
  return graph;
}

bool holds_slot(const std::string& state) {
  return state == "STARTING" || state == "RUNNING" || state == "STOPPING";
}

std::int64_t job_cap(const std::string& job) {
  for (std::size_t i = 0; i < kJobs.size(); ++i) {
    if (job == kJobs[i]) return kJobCaps[i];
  }
  return 0;
}

const FaultCodes& fault_codes() {
  static const FaultCodes codes{"ThrottlingException", "InternalServiceException",
                                "OperationTimeoutException"};
  return codes;
}

JsonOutcome call(World& world, std::string_view operation, const json& request) {
  return world.call(kService, operation, request).outcome;
}

json read(World& world, std::string_view operation, const json& request) {
  return oracle_read(world, kService, operation, request);
}

json read_all(World& world, std::string_view operation, json request, const char* items,
              int page_size) {
  return oracle_read_all(world, kService, operation, std::move(request), items, page_size);
}

std::map<std::string, std::string> string_map(const json& object) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) out[key] = value.get<std::string>();
  return out;
}

RunSnapshot run_snapshot(const json& run) {
  return RunSnapshot{run.value("Status", ""), run.value("PreviousRunId", ""),
                     string_map(run.value("WorkflowRunProperties", json::object()))};
}

std::vector<std::string> trigger_names(const std::string& workflow) {
  return {workflow + "-start", workflow + "-then-load"};
}

Snapshot take_snapshot(World& world) {
  Snapshot snapshot;
  for (const auto& name : read_all(world, "ListWorkflows", json::object(), "Workflows", 25)) {
    WorkflowSnapshot& workflow = snapshot.workflows[name.get<std::string>()];
    const json got = read(world, "GetWorkflow", {{"Name", name}}).value("Workflow", json::object());
    if (got.contains("MaxConcurrentRuns")) {
      workflow.max_concurrent_runs = got["MaxConcurrentRuns"].get<std::int64_t>();
    }
    workflow.default_properties = string_map(got.value("DefaultRunProperties", json::object()));
    for (const auto& run : read_all(world, "GetWorkflowRuns", {{"Name", name}}, "Runs", 1000)) {
      workflow.runs[run.value("WorkflowRunId", "")] = run_snapshot(run);
    }
  }
  for (const char* workflow : kWorkflows) {
    for (const auto& trigger : trigger_names(workflow)) {
      const JsonOutcome got = call(world, "GetTrigger", {{"Name", trigger}});
      if (got.ok())
        snapshot.triggers[trigger] =
            got.value().value("Trigger", json::object()).value("State", "");
    }
  }
  for (const char* job : kJobs) {
    for (const auto& run : read_all(world, "GetJobRuns", {{"JobName", job}}, "JobRuns", 200)) {
      snapshot.job_runs[run.value("Id", "")] =
          JobRunSnapshot{job, run.value("JobRunState", ""),
                         run.value("Arguments", json::object()).value("--WORKFLOW_RUN_ID", "")};
    }
  }
  return snapshot;
}

// The model's prediction of the state after a command: a snapshot, plus the job runs that
// workflow runs launched, whose ids the callers never see.
struct Expected {
  Snapshot snapshot;
  std::vector<JobRunSnapshot> new_job_runs;
  std::vector<std::string> created_workflows;
};

std::size_t slots_in_use(const Expected& expected, const std::string& job) {
  std::size_t used = 0;
  const auto count = [&](const JobRunSnapshot& run) {
    if (holds_slot(run.state) && (job.empty() || run.job == job)) ++used;
  };
  for (const auto& [id, run] : expected.snapshot.job_runs) count(run);
  for (const auto& run : expected.new_job_runs) count(run);
  return used;
}

// What a trigger's launch of `job` for `workflow_run` records (6.5: a launch over the job's
// or the account's cap is a run FAILED at once), and whether it holds a slot.
bool launch_job(Expected& expected, const std::string& job, const std::string& workflow_run) {
  const bool admitted = slots_in_use(expected, job) < static_cast<std::size_t>(job_cap(job)) &&
                        slots_in_use(expected, "") < kAccountJobRuns;
  expected.new_job_runs.push_back(
      JobRunSnapshot{job, admitted ? "STARTING" : "FAILED", workflow_run});
  return admitted;
}

void compare_workflows(const Snapshot& expected, const Snapshot& after, bool time_passed) {
  for (const auto& [name, want] : expected.workflows) {
    const auto found = after.workflows.find(name);
    expect(found != after.workflows.end(), "workflow " + name + " vanished");
    if (found == after.workflows.end()) continue;
    const WorkflowSnapshot& got = found->second;
    expect(got.max_concurrent_runs == want.max_concurrent_runs,
           "workflow " + name + " has another MaxConcurrentRuns than the model's");
    expect(got.default_properties == want.default_properties,
           "workflow " + name + " has other DefaultRunProperties than the model's");
    for (const auto& [id, run] : got.runs) {
      expect(want.runs.count(id) > 0, "run " + id + " of " + name + " appeared unexpectedly");
    }
    for (const auto& [id, run] : want.runs) {
      const auto seen = got.runs.find(id);
      expect(seen != got.runs.end(), "run " + id + " of " + name + " vanished");
      if (seen == got.runs.end()) continue;
      const RunSnapshot& now = seen->second;
      const bool legal =
          time_passed ? run_graph().reachable(run.status, now.status) : run.status == now.status;
      expect(legal, "run " + id + " went " + run.status + " -> " + now.status +
                        (time_passed ? " (not a legal transition)" : " without time passing"));
      expect(now.previous_run_id == run.previous_run_id, "run " + id + ": PreviousRunId changed");
      expect(now.properties == run.properties,
             "run " + id + " has other properties than the model's: " +
                 json(now.properties).dump() + " vs " + json(run.properties).dump());
    }
  }
  for (const auto& [name, workflow] : after.workflows) {
    expect(expected.workflows.count(name) > 0, "workflow " + name + " appeared unexpectedly");
  }
}

void compare_triggers(const Snapshot& expected, const Snapshot& after, bool time_passed) {
  for (const auto& [name, state] : expected.triggers) {
    const auto found = after.triggers.find(name);
    expect(found != after.triggers.end(), "trigger " + name + " vanished");
    if (found == after.triggers.end()) continue;
    const bool legal =
        time_passed ? trigger_time_graph().reachable(state, found->second) || state == found->second
                    : state == found->second;
    expect(legal, "trigger " + name + " went " + state + " -> " + found->second);
  }
  for (const auto& [name, state] : after.triggers) {
    expect(expected.triggers.count(name) > 0, "trigger " + name + " appeared unexpectedly");
  }
}

bool matches(const JobRunSnapshot& want, const JobRunSnapshot& got, bool time_passed) {
  if (want.job != got.job || want.workflow_run != got.workflow_run) return false;
  return time_passed ? job_run_graph().reachable(want.state, got.state) : want.state == got.state;
}

void compare_job_runs(const Expected& expected, const Snapshot& after, bool time_passed) {
  for (const auto& [id, want] : expected.snapshot.job_runs) {
    const auto found = after.job_runs.find(id);
    expect(found != after.job_runs.end(), "job run " + id + " vanished");
    if (found == after.job_runs.end()) continue;
    expect(matches(want, found->second, time_passed),
           "job run " + id + " of " + want.job + " went " + want.state + " -> " +
               found->second.state + (time_passed ? "" : " without time passing"));
  }
  std::vector<JobRunSnapshot> predicted = expected.new_job_runs;
  for (const auto& [id, got] : after.job_runs) {
    if (expected.snapshot.job_runs.count(id) > 0) continue;
    const JobRunSnapshot& seen = got;  // C++17 lambdas cannot capture a structured binding
    const auto match = std::find_if(predicted.begin(), predicted.end(), [&](const auto& want) {
      return matches(want, seen, time_passed);
    });
    if (match != predicted.end()) {
      predicted.erase(match);
      continue;
    }
    // Time passing lets workflow runs go on: a CONDITIONAL trigger launches load.
    const bool launched_by_a_run = time_passed && !got.workflow_run.empty() &&
                                   job_run_graph().reachable("STARTING", got.state);
    expect(launched_by_a_run,
           "job run " + id + " of " + got.job + " (" + got.state + ") appeared unexpectedly");
  }
  for (const auto& want : predicted) {
    expect(false, "the model expected a " + want.state + " run of " + want.job +
                      " for workflow run " + want.workflow_run + ", none appeared");
  }
}

// Rules across resources, and the job caps, in every snapshot.
void check_consistency(const Snapshot& snapshot) {
  std::map<std::string, std::size_t> active_by_run;
  std::map<std::string, std::size_t> slots_by_job;
  std::size_t slots = 0;
  for (const auto& [id, run] : snapshot.job_runs) {
    expect(job_run_graph().known(run.state), "job run " + id + " has unknown state " + run.state);
    if (!job_run_graph().terminal(run.state)) ++active_by_run[run.workflow_run];
    if (holds_slot(run.state)) {
      ++slots_by_job[run.job];
      ++slots;
    }
  }
  for (const auto& [job, used] : slots_by_job) {
    expect(used <= static_cast<std::size_t>(job_cap(job)),
           "job " + job + " has " + std::to_string(used) + " active runs");
  }
  expect(slots <= kAccountJobRuns, "the account has " + std::to_string(slots) + " active job runs");
  for (const auto& [name, workflow] : snapshot.workflows) {
    for (const auto& [id, run] : workflow.runs) {
      expect(run_graph().known(run.status), "run " + id + " has unknown status " + run.status);
      const bool live = !run_graph().terminal(run.status);
      const std::size_t active = active_by_run.count(id) ? active_by_run.at(id) : 0;
      expect(live == (active > 0), "workflow run " + id + " is " + run.status + " with " +
                                       std::to_string(active) + " active job runs");
    }
  }
}

std::size_t active_runs(const WorkflowSnapshot& workflow) {
  std::size_t active = 0;
  for (const auto& [id, run] : workflow.runs) active += run_graph().terminal(run.status) ? 0 : 1;
  return active;
}

bool at_cap(const WorkflowSnapshot& workflow) {
  return workflow.max_concurrent_runs &&
         static_cast<std::int64_t>(active_runs(workflow)) >= *workflow.max_concurrent_runs;
}

bool has_graph(const Snapshot& snapshot, const std::string& workflow) {
  return snapshot.triggers.count(workflow + "-start") > 0;
}

// A new run of `name` as StartWorkflowRun or its start trigger makes it (6.3, rule 9.1): the
// defaults overlaid by the request, RUNNING while its start trigger's job runs, else
// COMPLETED at once (rule 9.11).
void start_run(Expected& expected, const std::string& name, const std::string& id,
               const std::map<std::string, std::string>& properties) {
  WorkflowSnapshot& workflow = expected.snapshot.workflows[name];
  RunSnapshot run;
  run.properties = workflow.default_properties;
  for (const auto& [key, value] : properties) run.properties[key] = value;
  const bool running = has_graph(expected.snapshot, name) && launch_job(expected, "extract", id);
  run.status = running ? "RUNNING" : "COMPLETED";
  workflow.runs[id] = run;
}

// ---------------------------------------------------------------------------------------
// The base of every command that makes one API call.

class Call : public Command {
 public:
  void checkPreconditions(const Plan&) const override {}
  void apply(Plan& plan) const override { plan.next_fault = sim::FaultKind::none; }
  void run(const Plan& plan, Sut& sut) const override;
  void show(std::ostream& os) const override { os << describe(); }

 protected:
  virtual std::string_view operation() const = 0;
  virtual std::string describe() const = 0;
  virtual json request(Sut& sut) const = 0;
  // Checks the answer of one application of `request` against the prediction made from
  // `expected`, and moves `expected` to the state after it.
  virtual void predict(Sut& sut, Expected& expected, const json& request, const JsonOutcome& answer,
                       bool time_passed) const = 0;
};

// The triggers that give flow-0 and flow-1 their graph, made right after the workflow.
void make_graph(World& world, const std::string& workflow, Snapshot& expected) {
  read(world, "CreateTrigger",
       {{"Name", workflow + "-start"},
        {"WorkflowName", workflow},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "extract"}}}}});
  read(world, "CreateTrigger",
       {{"Name", workflow + "-then-load"},
        {"WorkflowName", workflow},
        {"Type", "CONDITIONAL"},
        {"StartOnCreation", true},
        {"Predicate",
         {{"Logical", "AND"},
          {"Conditions",
           {{{"LogicalOperator", "EQUALS"}, {"JobName", "extract"}, {"State", "SUCCEEDED"}}}}}},
        {"Actions", {{{"JobName", "load"}}}}});
  for (const auto& trigger : trigger_names(workflow)) {
    expected.triggers[trigger] =
        read(world, "GetTrigger", {{"Name", trigger}})["Trigger"].value("State", "");
  }
}

void finish_step(Sut& sut, const Expected& expected, bool time_passed, const std::string& what) {
  Snapshot after = take_snapshot(*sut.world);
  compare_workflows(expected.snapshot, after, time_passed);
  compare_triggers(expected.snapshot, after, time_passed);
  compare_job_runs(expected, after, time_passed);
  check_consistency(after);
  expect_invariants(*sut.world, what);
  sut.now = std::move(after);
}

void Call::run(const Plan& plan, Sut& sut) const {
  const json sent = request(sut);
  std::string_view delivered = operation();
  json delivered_request = sent;
  if (sut.options.resume_as_fresh_start && delivered == "ResumeWorkflowRun") {
    delivered = "StartWorkflowRun";
    delivered_request = {{"Name", sent["Name"]}};
  }
  const sim::FaultKind fault = plan.next_fault;
  const CallResult result = call_with(*sut.world, kService, delivered, delivered_request, fault);
  const std::string what = describe() + " with fault " + std::string(sim::to_string(fault));
  if (const auto code = visible_fault_code(fault, fault_codes())) {
    expect_code(result.outcome, *code, what + " (visible answer)");
  }
  count_call(sut.coverage, operation(), fault, result);
  const bool time_passed = fault == sim::FaultKind::latency;
  Expected expected{sut.now, {}, {}};
  if (applications(fault) >= 1) predict(sut, expected, sent, first_answer(result), time_passed);
  if (const JsonOutcome* second = second_answer(result)) {
    predict(sut, expected, sent, *second, time_passed);
  }
  for (const auto& workflow : expected.created_workflows) {
    const auto index = std::find(kWorkflows.begin(), kWorkflows.end(), workflow);
    if (static_cast<std::size_t>(index - kWorkflows.begin()) < kWorkflowsWithGraph) {
      make_graph(*sut.world, workflow, expected.snapshot);
    }
  }
  finish_step(sut, expected, time_passed, what);
}

// The base of the commands that address one workflow by name.
class WorkflowCall : public Call {
 public:
  // flow-0 twice as often, so that runs meet earlier runs of their workflow.
  WorkflowCall() : workflow_(*rc::gen::element<std::size_t>(0, 0, 1, 2)) {}

 protected:
  std::string workflow() const { return kWorkflows[workflow_]; }
  static WorkflowSnapshot* find(Expected& expected, const json& request) {
    const auto found = expected.snapshot.workflows.find(request.value("Name", ""));
    return found == expected.snapshot.workflows.end() ? nullptr : &found->second;
  }

 private:
  std::size_t workflow_;
};

// ---------------------------------------------------------------------------------------
// Workflows.

class CreateWorkflow : public WorkflowCall {
 public:
  CreateWorkflow() : cap_(*rc::gen::inRange(0, 3)) {}

 protected:
  std::string_view operation() const override { return "CreateWorkflow"; }
  std::string describe() const override {
    return "CreateWorkflow(" + workflow() + ", MaxConcurrentRuns " +
           (cap_ > 0 ? std::to_string(cap_) : "unset") + ")";
  }
  json request(Sut&) const override {
    json request = {{"Name", workflow()}, {"DefaultRunProperties", {{"stage", "dev"}}}};
    if (cap_ > 0) request["MaxConcurrentRuns"] = cap_;
    return request;
  }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    if (find(expected, request) != nullptr) {
      return expect_code(answer, "AlreadyExistsException", describe());
    }
    expect_code(answer, "OK", describe());
    WorkflowSnapshot& made = expected.snapshot.workflows[workflow()];
    if (cap_ > 0) made.max_concurrent_runs = cap_;
    made.default_properties = {{"stage", "dev"}};
    expected.created_workflows.push_back(workflow());
  }

 private:
  int cap_;  // 0: unset (unlimited)
};

class UpdateWorkflow : public WorkflowCall {
 public:
  UpdateWorkflow() : cap_(*rc::gen::inRange(1, 4)) {}

 protected:
  std::string_view operation() const override { return "UpdateWorkflow"; }
  std::string describe() const override {
    return "UpdateWorkflow(" + workflow() + ", MaxConcurrentRuns " + std::to_string(cap_) + ")";
  }
  json request(Sut&) const override { return {{"Name", workflow()}, {"MaxConcurrentRuns", cap_}}; }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    WorkflowSnapshot* target = find(expected, request);
    if (target == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    target->max_concurrent_runs = cap_;
  }

 private:
  int cap_;
};

// Rule 9.14: the workflow, its runs and its triggers go; job runs outlive them.
class DeleteWorkflow : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "DeleteWorkflow"; }
  std::string describe() const override { return "DeleteWorkflow(" + workflow() + ")"; }
  json request(Sut&) const override { return {{"Name", workflow()}}; }
  void predict(Sut&, Expected& expected, const json&, const JsonOutcome& answer,
               bool) const override {
    expect_code(answer, "OK", describe());
    expected.snapshot.workflows.erase(workflow());
    for (const auto& trigger : trigger_names(workflow())) expected.snapshot.triggers.erase(trigger);
  }
};

class GetWorkflow : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "GetWorkflow"; }
  std::string describe() const override { return "GetWorkflow(" + workflow() + ")"; }
  json request(Sut&) const override { return {{"Name", workflow()}}; }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    const WorkflowSnapshot* target = find(expected, request);
    if (target == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json got = answer.value().value("Workflow", json::object());
    expect(got.value("Name", "") == workflow(), describe() + ": wrong Name");
    const std::optional<std::int64_t> cap =
        got.contains("MaxConcurrentRuns") ? std::optional<std::int64_t>(got["MaxConcurrentRuns"])
                                          : std::nullopt;
    expect(cap == target->max_concurrent_runs, describe() + ": wrong MaxConcurrentRuns");
  }
};

// ---------------------------------------------------------------------------------------
// Workflow runs.

class StartWorkflowRun : public WorkflowCall {
 public:
  StartWorkflowRun()
      : properties_(*rc::gen::inRange(0, 3)),
        malformed_(*rc::gen::weightedElement<bool>({{7, false}, {1, true}})) {}

 protected:
  std::string_view operation() const override { return "StartWorkflowRun"; }
  std::string describe() const override {
    return "StartWorkflowRun(" + workflow() + ", properties " + std::to_string(properties_) +
           (malformed_ ? ", malformed)" : ")");
  }
  json request(Sut&) const override {
    json request = {{"Name", workflow()}};
    if (properties_ == 1) request["RunProperties"] = {{"stage", "prod"}};
    if (properties_ == 2) request["RunProperties"] = {{"day", "mon"}};
    // Run property values are strings (fact sheet 4).
    if (malformed_) request["RunProperties"] = {{"stage", 5}};
    return request;
  }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    if (malformed_) return expect_code(answer, "InvalidInputException", describe());
    const WorkflowSnapshot* target = find(expected, request);
    if (target == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    if (at_cap(*target)) {
      return expect_code(answer, "ConcurrentRunsExceededException", describe() + " at the cap");
    }
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const std::string id = answer.value().value("RunId", "");
    expect(target->runs.count(id) == 0, describe() + " answered an existing RunId");
    start_run(expected, workflow(), id, string_map(request.value("RunProperties", json::object())));
  }

 private:
  int properties_;  // 0: none
  bool malformed_;  // the request breaks a member constraint and must change nothing
};

// The base of the commands that address one run of one workflow.
class RunCall : public WorkflowCall {
 public:
  RunCall() : run_(*rc::gen::inRange<std::size_t>(0, 8)) {}

 protected:
  std::string target() const { return workflow() + ", run " + std::to_string(run_); }
  std::string run_id(const Sut& sut) const {
    const auto found = sut.now.workflows.find(workflow());
    if (found == sut.now.workflows.end() || found->second.runs.empty()) return "wr_missing";
    auto it = found->second.runs.begin();
    std::advance(it, run_ % found->second.runs.size());
    return it->first;
  }
  json run_request(const Sut& sut) const { return {{"Name", workflow()}, {"RunId", run_id(sut)}}; }
  static RunSnapshot* find_run(Expected& expected, const json& request) {
    WorkflowSnapshot* workflow = find(expected, request);
    if (workflow == nullptr) return nullptr;
    const auto found = workflow->runs.find(request.value("RunId", ""));
    return found == workflow->runs.end() ? nullptr : &found->second;
  }

 private:
  std::size_t run_;
};

class GetWorkflowRun : public RunCall {
 protected:
  std::string_view operation() const override { return "GetWorkflowRun"; }
  std::string describe() const override { return "GetWorkflowRun(" + target() + ")"; }
  json request(Sut& sut) const override { return run_request(sut); }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    const RunSnapshot* run = find_run(expected, request);
    if (run == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const RunSnapshot got = run_snapshot(answer.value().value("Run", json::object()));
    expect(got.previous_run_id == run->previous_run_id, describe() + ": wrong PreviousRunId");
    expect(got.properties == run->properties, describe() + ": wrong WorkflowRunProperties");
    expect(time_passed || got.status == run->status,
           describe() + ": Status " + got.status + ", the listing said " + run->status);
  }
};

class GetWorkflowRuns : public WorkflowCall {
 public:
  GetWorkflowRuns() : page_size_(*rc::gen::inRange(1, 4)) {}

 protected:
  std::string_view operation() const override { return "GetWorkflowRuns"; }
  std::string describe() const override {
    return "GetWorkflowRuns(" + workflow() + ", MaxResults " + std::to_string(page_size_) + ")";
  }
  json request(Sut&) const override { return {{"Name", workflow()}, {"MaxResults", page_size_}}; }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    const WorkflowSnapshot* target = find(expected, request);
    if (target == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json runs = answer.value().value("Runs", json::array());
    const std::size_t size = static_cast<std::size_t>(page_size_);
    expect(runs.size() == std::min(size, target->runs.size()), describe() + ": wrong page size");
    expect(answer.value().contains("NextToken") == (target->runs.size() > size),
           describe() + ": NextToken present iff more runs exist");
    for (const auto& run : runs) {
      const auto found = target->runs.find(run.value("WorkflowRunId", ""));
      expect(found != target->runs.end(), describe() + " listed an unknown run");
      if (found == target->runs.end() || time_passed) continue;
      expect(run.value("Status", "") == found->second.status,
             describe() + ": a page disagrees with the full listing");
    }
  }

 private:
  int page_size_;
};

// 6.7 and rule 9.4: only a RUNNING run stops; its active job runs are stopped.
class StopWorkflowRun : public RunCall {
 protected:
  std::string_view operation() const override { return "StopWorkflowRun"; }
  std::string describe() const override { return "StopWorkflowRun(" + target() + ")"; }
  json request(Sut& sut) const override { return run_request(sut); }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    RunSnapshot* run = find_run(expected, request);
    if (run == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    if (run->status != "RUNNING") {
      return expect_code(answer, "IllegalWorkflowStateException",
                         describe() + " of a " + run->status + " run");
    }
    expect_code(answer, "OK", describe());
    const std::string id = request["RunId"];
    bool active = false;
    const auto stop = [&](JobRunSnapshot& job_run) {
      if (job_run.workflow_run != id || job_run_graph().terminal(job_run.state)) return;
      job_run.state = job_run.state == "WAITING" ? "STOPPED" : "STOPPING";
      active = active || job_run.state == "STOPPING";
    };
    for (auto& [job_run_id, job_run] : expected.snapshot.job_runs) stop(job_run);
    for (auto& job_run : expected.new_job_runs) stop(job_run);
    run->status = active ? "STOPPING" : "STOPPED";
  }
};

// 6.8 and rules 9.5-9.7.
class ResumeWorkflowRun : public RunCall {
 public:
  ResumeWorkflowRun() : node_(*rc::gen::inRange<std::size_t>(0, 2)) {}

 protected:
  std::string_view operation() const override { return "ResumeWorkflowRun"; }
  std::string describe() const override {
    return "ResumeWorkflowRun(" + target() + ", node " + kJobs[node_] + ")";
  }
  json request(Sut& sut) const override {
    json request = run_request(sut);
    const json node = graph_node(sut, request);
    request["NodeIds"] = {node.is_null() ? json("wnode_missing") : node["UniqueId"]};
    return request;
  }
  void predict(Sut& sut, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    RunSnapshot* original = find_run(expected, request);
    if (original == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    if (original->status != "COMPLETED") {
      return expect_code(answer, "IllegalWorkflowStateException",
                         describe() + " of a " + original->status + " run");
    }
    const json node = graph_node(sut, request);
    const bool attempted =
        !node.is_null() &&
        !node.value("JobDetails", json::object()).value("JobRuns", json::array()).empty();
    if (!attempted) return expect_code(answer, "InvalidInputException", describe());
    if (at_cap(*find(expected, request))) {
      return expect_code(answer, "ConcurrentRunsExceededException", describe() + " at the cap");
    }
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json& response = answer.value();
    expect(response.value("NodeIds", json::array()) == request["NodeIds"],
           describe() + ": the resumed nodes differ from the selected one");
    const std::string id = response.value("RunId", "");
    expect(id != original->previous_run_id && id != request["RunId"] &&
               find(expected, request)->runs.count(id) == 0,
           describe() + ": a resumed run needs a new RunId");
    RunSnapshot resumed;
    resumed.previous_run_id = request["RunId"];
    resumed.properties = original->properties;
    resumed.status = launch_job(expected, kJobs[node_], id) ? "RUNNING" : "COMPLETED";
    find(expected, request)->runs[id] = resumed;
  }

 private:
  // The graph node of the selected job in the run's graph, or null. Reads change nothing,
  // so predict() may read it again after the call.
  json graph_node(Sut& sut, const json& run) const {
    const JsonOutcome got =
        call(*sut.world, "GetWorkflowRun",
             {{"Name", run["Name"]}, {"RunId", run["RunId"]}, {"IncludeGraph", true}});
    if (!got.ok()) return nullptr;
    const json graph = got.value().value("Run", json::object()).value("Graph", json::object());
    for (const auto& node : graph.value("Nodes", json::array())) {
      if (node.value("Type", "") == "JOB" && node.value("Name", "") == kJobs[node_]) return node;
    }
    return nullptr;
  }

  std::size_t node_;  // 0: extract, 1: load
};

class GetWorkflowRunProperties : public RunCall {
 protected:
  std::string_view operation() const override { return "GetWorkflowRunProperties"; }
  std::string describe() const override { return "GetWorkflowRunProperties(" + target() + ")"; }
  json request(Sut& sut) const override { return run_request(sut); }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    const RunSnapshot* run = find_run(expected, request);
    if (run == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    expect(string_map(answer.value().value("RunProperties", json::object())) == run->properties,
           describe() + ": other properties than the model's");
  }
};

// Rule 9.16: allowed in any status; the map is merged.
class PutWorkflowRunProperties : public RunCall {
 public:
  PutWorkflowRunProperties() : key_(*rc::gen::inRange(0, 2)), value_(*rc::gen::inRange(0, 2)) {}

 protected:
  std::string_view operation() const override { return "PutWorkflowRunProperties"; }
  std::string describe() const override {
    return "PutWorkflowRunProperties(" + target() + ", " + key() + "=" + value() + ")";
  }
  json request(Sut& sut) const override {
    json request = run_request(sut);
    request["RunProperties"] = {{key(), value()}};
    return request;
  }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    RunSnapshot* run = find_run(expected, request);
    if (run == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    run->properties[key()] = value();
  }

 private:
  std::string key() const { return key_ == 0 ? "stage" : "day"; }
  std::string value() const { return value_ == 0 ? "a" : "b"; }
  int key_;
  int value_;
};

// ---------------------------------------------------------------------------------------
// Triggers.

class TriggerCall : public WorkflowCall {
 public:
  // The CONDITIONAL trigger twice as often: it is the one with states to move through.
  TriggerCall() : which_(*rc::gen::element(0, 1, 1)) {}

 protected:
  std::string trigger() const { return trigger_names(workflow())[which_]; }
  json request(Sut&) const override { return {{"Name", trigger()}}; }

 private:
  int which_;  // 0: the ON_DEMAND start trigger, 1: the CONDITIONAL one
};

class StartTrigger : public TriggerCall {
 protected:
  std::string_view operation() const override { return "StartTrigger"; }
  std::string describe() const override { return "StartTrigger(" + trigger() + ")"; }
  void predict(Sut& sut, Expected& expected, const json&, const JsonOutcome& answer,
               bool) const override {
    const auto found = expected.snapshot.triggers.find(trigger());
    if (found == expected.snapshot.triggers.end()) {
      return expect_code(answer, "EntityNotFoundException", describe());
    }
    std::string& state = found->second;
    if (trigger() == workflow() + "-start") {
      if (state != "CREATED") {
        return expect_code(answer, "InvalidInputException", describe() + " while " + state);
      }
      return start_workflow_run(sut, expected, answer);
    }
    if (state == "ACTIVATING" || state == "ACTIVATED") return expect_code(answer, "OK", describe());
    if (state != "CREATED" && state != "DEACTIVATED") {
      return expect_code(answer, "InvalidInputException", describe() + " while " + state);
    }
    expect_code(answer, "OK", describe());
    state = "ACTIVATING";
  }

 private:
  // Rule 9.10: the workflow's ON_DEMAND start trigger starts a run as StartWorkflowRun does.
  // Its answer names no run, so the new run's id is read back: the oldest run the model does
  // not know yet (a duplicate's second run is newer).
  void start_workflow_run(Sut& sut, Expected& expected, const JsonOutcome& answer) const {
    WorkflowSnapshot& target = expected.snapshot.workflows[workflow()];
    if (at_cap(target)) {
      return expect_code(answer, "ConcurrentRunsExceededException", describe() + " at the cap");
    }
    expect_code(answer, "OK", describe());
    std::string id;
    for (const auto& run :
         read_all(*sut.world, "GetWorkflowRuns", {{"Name", workflow()}}, "Runs", 1000)) {
      const std::string seen = run.value("WorkflowRunId", "");
      if (target.runs.count(seen) == 0) id = seen;
    }
    expect(!id.empty(), describe() + " made no run");
    if (!id.empty()) start_run(expected, workflow(), id, {});
  }
};

class StopTrigger : public TriggerCall {
 protected:
  std::string_view operation() const override { return "StopTrigger"; }
  std::string describe() const override { return "StopTrigger(" + trigger() + ")"; }
  void predict(Sut&, Expected& expected, const json&, const JsonOutcome& answer,
               bool) const override {
    const auto found = expected.snapshot.triggers.find(trigger());
    if (found == expected.snapshot.triggers.end()) {
      return expect_code(answer, "EntityNotFoundException", describe());
    }
    std::string& state = found->second;
    if (state == "DEACTIVATING" || state == "DEACTIVATED") {
      return expect_code(answer, "OK", describe());
    }
    if (state == "CREATED") return expect_code(answer, "InvalidInputException", describe());
    if (state != "ACTIVATED") {
      return expect_code(answer, "ConcurrentModificationException", describe() + " while " + state);
    }
    expect_code(answer, "OK", describe());
    state = "DEACTIVATING";
  }
};

// ---------------------------------------------------------------------------------------
// Job runs.

class JobCall : public Call {
 public:
  JobCall() : job_(*rc::gen::element<std::size_t>(0, 2, 2)) {}

 protected:
  std::string job() const { return kJobs[job_]; }

 private:
  std::size_t job_;  // extract or, twice as often, adhoc
};

class StartJobRun : public JobCall {
 protected:
  std::string_view operation() const override { return "StartJobRun"; }
  std::string describe() const override { return "StartJobRun(" + job() + ")"; }
  json request(Sut&) const override { return {{"JobName", job()}}; }
  void predict(Sut&, Expected& expected, const json&, const JsonOutcome& answer,
               bool) const override {
    if (slots_in_use(expected, job()) >= static_cast<std::size_t>(job_cap(job()))) {
      return expect_code(answer, "ConcurrentRunsExceededException", describe() + " at its cap");
    }
    if (slots_in_use(expected, "") >= kAccountJobRuns) {
      return expect_code(answer, "ResourceNumberLimitExceededException", describe());
    }
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const std::string id = answer.value().value("JobRunId", "");
    expect(expected.snapshot.job_runs.count(id) == 0, describe() + " answered an existing id");
    expected.snapshot.job_runs[id] = JobRunSnapshot{job(), "STARTING", ""};
  }
};

// The base of the commands that address one run of one job.
class JobRunCall : public JobCall {
 public:
  JobRunCall() : run_(*rc::gen::inRange<std::size_t>(0, 8)) {}

 protected:
  std::string target() const { return job() + ", run " + std::to_string(run_); }
  std::string job_run_id(const Sut& sut) const {
    std::vector<std::string> ids;
    for (const auto& [id, run] : sut.now.job_runs) {
      if (run.job == job()) ids.push_back(id);
    }
    return ids.empty() ? "jr_missing" : ids[run_ % ids.size()];
  }
  static JobRunSnapshot* find_job_run(Expected& expected, const std::string& job,
                                      const std::string& id) {
    const auto found = expected.snapshot.job_runs.find(id);
    return found == expected.snapshot.job_runs.end() || found->second.job != job ? nullptr
                                                                                 : &found->second;
  }

 private:
  std::size_t run_;
};

class GetJobRun : public JobRunCall {
 protected:
  std::string_view operation() const override { return "GetJobRun"; }
  std::string describe() const override { return "GetJobRun(" + target() + ")"; }
  json request(Sut& sut) const override { return {{"JobName", job()}, {"RunId", job_run_id(sut)}}; }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    const JobRunSnapshot* run = find_job_run(expected, job(), request["RunId"]);
    if (run == nullptr) return expect_code(answer, "EntityNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok() || time_passed) return;
    const std::string state =
        answer.value().value("JobRun", json::object()).value("JobRunState", "");
    expect(state == run->state, describe() + ": " + state + ", the listing said " + run->state);
  }
};

class BatchStopJobRun : public JobRunCall {
 protected:
  std::string_view operation() const override { return "BatchStopJobRun"; }
  std::string describe() const override { return "BatchStopJobRun(" + target() + ")"; }
  json request(Sut& sut) const override {
    return {{"JobName", job()}, {"JobRunIds", {job_run_id(sut)}}};
  }
  void predict(Sut&, Expected& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json& response = answer.value();
    const std::string id = request["JobRunIds"][0];
    JobRunSnapshot* run = find_job_run(expected, job(), id);
    const json errors = response.value("Errors", json::array());
    const json submitted = response.value("SuccessfulSubmissions", json::array());
    std::string error_code;
    if (run == nullptr) error_code = "EntityNotFoundException";
    if (run != nullptr && job_run_graph().terminal(run->state))
      error_code = "InvalidInputException";
    if (!error_code.empty()) {
      expect(
          submitted.empty() && errors.size() == 1 &&
              errors[0].value("ErrorDetail", json::object()).value("ErrorCode", "") == error_code,
          describe() + ": expected the error " + error_code + ", got " + response.dump());
      return;
    }
    expect(errors.empty() && submitted.size() == 1 && submitted[0].value("JobRunId", "") == id,
           describe() + ": expected a successful submission, got " + response.dump());
    run->state = run->state == "WAITING" ? "STOPPED" : "STOPPING";
  }
};

// ---------------------------------------------------------------------------------------
// Time and faults.

class AdvanceClock : public Command {
 public:
  AdvanceClock() : seconds_(*rc::gen::element<std::int64_t>(1, 5, 10, 30, 60, 120, 600)) {}

  void checkPreconditions(const Plan& plan) const override {
    RC_PRE(plan.elapsed_us + sim::seconds(seconds_) <= kMaxElapsedUs);
  }
  void apply(Plan& plan) const override { plan.elapsed_us += sim::seconds(seconds_); }
  void run(const Plan&, Sut& sut) const override {
    sut.world->advance(sim::seconds(seconds_));
    if (sut.coverage != nullptr) ++(*sut.coverage)["AdvanceClock"];
    finish_step(sut, Expected{sut.now, {}, {}}, true, "AdvanceClock");
  }
  void show(std::ostream& os) const override { os << "AdvanceClock(" << seconds_ << " s)"; }

 private:
  std::int64_t seconds_;
};

using InjectFault = InjectFaultCommand<Plan, Sut>;

}  // namespace

WorldOptions world_options(std::uint64_t seed) {
  WorldOptions options;
  options.seed = seed;
  options.trace.enabled = false;
  options.trace.keep_events = false;
  options.config = {
      {"profiles", {{"glue", {{"job", {{"duration", 60}}}}}}},
      {"services",
       {{"glue",
         {{"quotas", {{"concurrent_job_runs", kAccountJobRuns}}},
          {"timings", {{"job_startup", 10}, {"job_stop", 5}, {"trigger_transition", 1}}}}}}}};
  return options;
}

Sut make_sut(const Options& options) {
  Sut sut;
  sut.options = options;
  sut.world = create_model_world(world_options(options.seed), "Glue");
  for (std::size_t i = 0; i < kJobs.size(); ++i) {
    read(*sut.world, "CreateJob",
         {{"Name", kJobs[i]},
          {"Role", kRole},
          {"Command",
           {{"Name", "glueetl"},
            {"ScriptLocation", std::string("s3://scripts/") + kJobs[i] + ".py"}}},
          {"ExecutionProperty", {{"MaxConcurrentRuns", kJobCaps[i]}}}});
  }
  sut.now = take_snapshot(*sut.world);
  return sut;
}

std::function<CommandGen(const Plan&)> command_generator() {
  return [](const Plan& plan) {
    return rc::gen::weightedOneOf<std::shared_ptr<const Command>>(
        {{3, rc::state::gen::execOneOfWithArgs<CreateWorkflow>()(plan)},
         {1,
          rc::state::gen::execOneOfWithArgs<UpdateWorkflow, DeleteWorkflow, GetWorkflow>()(plan)},
         {5, rc::state::gen::execOneOfWithArgs<StartWorkflowRun>()(plan)},
         {3, rc::state::gen::execOneOfWithArgs<GetWorkflowRun, GetWorkflowRuns, StopWorkflowRun>()(
                 plan)},
         {2, rc::state::gen::execOneOfWithArgs<ResumeWorkflowRun>()(plan)},
         {1,
          rc::state::gen::execOneOfWithArgs<GetWorkflowRunProperties, PutWorkflowRunProperties>()(
              plan)},
         {3, rc::state::gen::execOneOfWithArgs<StartTrigger, StopTrigger>()(plan)},
         {2, rc::state::gen::execOneOfWithArgs<StartJobRun, GetJobRun, BatchStopJobRun>()(plan)},
         {3, rc::state::gen::execOneOfWithArgs<AdvanceClock>()(plan)},
         {2, rc::state::gen::execOneOfWithArgs<InjectFault>()(plan)}});
  };
}

void check_command_sequence(int steps, const Options& options, Coverage* coverage) {
  const auto commands =
      *rc::gen::resize(steps, rc::state::gen::commands(Plan{}, command_generator()));
  Sut sut = make_sut(options);
  sut.coverage = coverage;
  rc::state::runAll(commands, Plan{}, sut);
}

}  // namespace wfsim::properties::glue_model
