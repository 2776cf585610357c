#include "properties/model_mwaa.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <utility>

#include "properties/model_support.hpp"

namespace wfsim::properties::mwaa_model {
namespace {

using models::JsonOutcome;
using nlohmann::json;

constexpr std::string_view kService = "mwaa-serverless";
constexpr const char* kRole = "arn:aws:iam::111122223333:role/mwaa-exec";
constexpr std::array<const char*, 3> kNames = {"etl-0", "etl-1", "etl-2"};
constexpr std::array<const char*, 2> kDefinitions = {"one.yaml", "chain.yaml"};
// TriggerMode values UpdateWorkflow sends; "" stands for leaving the member out.
constexpr std::array<const char*, 3> kModes = {"", "MANUAL_ONLY", "DISABLED"};
constexpr std::size_t kRunsPerWorkflow = 2;  // quotas.concurrent_runs_per_workflow
constexpr std::size_t kRunsPerAccount = 3;   // quotas.concurrent_runs_per_account
constexpr std::size_t kVersionsPerWorkflow = 3;
// Less than the service's 24 h ClientToken window, so no remembered token is forgotten.
constexpr sim::DurationUs kMaxElapsedUs = sim::hours(20);

const StatusGraph& run_graph() {
  static const StatusGraph graph({{"STARTING", "QUEUED"},
                                  {"STARTING", "FAILED"},
                                  {"STARTING", "STOPPING"},
                                  {"QUEUED", "RUNNING"},
                                  {"QUEUED", "FAILED"},
                                  {"QUEUED", "STOPPING"},
                                  {"RUNNING", "SUCCESS"},
                                  {"RUNNING", "FAILED"},
                                  {"RUNNING", "TIMEOUT"},
                                  {"RUNNING", "STOPPING"},
                                  {"STOPPING", "STOPPED"}},
                                 {"SUCCESS", "FAILED", "TIMEOUT", "STOPPED"});
  return graph;
}

bool is_active(const std::string& status) { return !run_graph().terminal(status); }

bool task_terminal(const std::string& status) {
  static const std::set<std::string> terminal = {"SUCCESS", "FAILED",    "UPSTREAM_FAILED",
                                                 "REMOVED", "CANCELLED", "TIMEOUT"};
  return terminal.count(status) > 0;
}

const FaultCodes& fault_codes() {
  static const FaultCodes codes{"ThrottlingException", "InternalServerException",
                                "OperationTimeoutException"};
  return codes;
}

json read(World& world, std::string_view operation, const json& request) {
  return oracle_read(world, kService, operation, request);
}

json read_all(World& world, std::string_view operation, json request, const char* items) {
  return oracle_read_all(world, kService, operation, std::move(request), items, 100);
}

Snapshot take_snapshot(World& world) {
  Snapshot snapshot;
  for (const auto& summary : read_all(world, "ListWorkflows", json::object(), "Workflows")) {
    const std::string arn = summary.value("WorkflowArn", "");
    WorkflowSnapshot& workflow = snapshot[arn];
    workflow.name = summary.value("Name", "");
    workflow.status = summary.value("WorkflowStatus", "");
    workflow.trigger_mode = summary.value("TriggerMode", "");
    for (const auto& version :
         read_all(world, "ListWorkflowVersions", {{"WorkflowArn", arn}}, "WorkflowVersions")) {
      workflow.versions.push_back(version.value("WorkflowVersion", ""));
    }
    const json tags =
        read(world, "ListTagsForResource", {{"ResourceArn", arn}}).value("Tags", json::object());
    for (const auto& [key, value] : tags.items()) {
      workflow.tags[key] = value.get<std::string>();
    }
    for (const auto& run :
         read_all(world, "ListWorkflowRuns", {{"WorkflowArn", arn}}, "WorkflowRuns")) {
      workflow.runs[run.value("RunId", "")] =
          run.value("RunDetailSummary", json::object()).value("Status", "");
    }
  }
  return snapshot;
}

// The caps hold in every snapshot, and a workflow being deleted runs nothing new.
void check_caps(const Snapshot& snapshot) {
  std::size_t account = 0;
  for (const auto& [arn, workflow] : snapshot) {
    std::size_t active = 0;
    for (const auto& [id, status] : workflow.runs) {
      expect(run_graph().known(status), "run " + id + " has unknown status " + status);
      if (!is_active(status)) continue;
      ++active;
      expect(workflow.status != "DELETING" || status == "STOPPING",
             "run " + id + " of deleting workflow " + arn + " is " + status);
    }
    expect(active <= kRunsPerWorkflow,
           "workflow " + arn + " has " + std::to_string(active) + " active runs");
    account += active;
  }
  expect(account <= kRunsPerAccount, "the account has " + std::to_string(account) + " active runs");
}

// The snapshot read after a command against the one the model predicted. Without time
// passing they must be equal; with it, runs may only move along the machine and workflows
// being deleted may be gone.
void compare(const Snapshot& expected, const Snapshot& after, bool time_passed) {
  for (const auto& [arn, want] : expected) {
    const auto found = after.find(arn);
    if (found == after.end()) {
      expect(time_passed && want.status == "DELETING", "workflow " + arn + " vanished");
      continue;
    }
    const WorkflowSnapshot& got = found->second;
    expect(got.name == want.name, "workflow " + arn + " changed its name");
    expect(got.status == want.status,
           "workflow " + arn + " is " + got.status + ", the model expected " + want.status);
    expect(got.trigger_mode == want.trigger_mode, "workflow " + arn + " is in mode " +
                                                      got.trigger_mode + ", the model expected " +
                                                      want.trigger_mode);
    expect(got.versions == want.versions, "workflow " + arn + " has other versions than expected");
    expect(got.tags == want.tags, "workflow " + arn + " has other tags than expected");
    for (const auto& [id, status] : got.runs) {
      expect(want.runs.count(id) > 0, "run " + id + " of " + arn + " appeared unexpectedly");
    }
    for (const auto& [id, status] : want.runs) {
      const auto run = got.runs.find(id);
      expect(run != got.runs.end(), "run " + id + " of " + arn + " vanished");
      if (run == got.runs.end()) continue;
      const bool legal =
          time_passed ? run_graph().reachable(status, run->second) : status == run->second;
      expect(legal, "run " + id + " went " + status + " -> " + run->second +
                        (time_passed ? " (not a legal transition)" : " without time passing"));
    }
  }
  for (const auto& [arn, workflow] : after) {
    expect(expected.count(arn) > 0, "workflow " + arn + " appeared unexpectedly");
  }
}

std::string workflow_arn(const Oracle& oracle, std::size_t name_index) {
  const std::string name = kNames[name_index];
  for (const auto& [arn, workflow] : oracle.now) {
    if (workflow.name == name) return arn;
  }
  const auto last = oracle.last_arn_by_name.find(name);
  if (last != oracle.last_arn_by_name.end()) return last->second;
  return "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/" + name + "-Nowhere000";
}

// The run_index-th run of the workflow (by id), or an id no run has.
std::string run_id(const Oracle& oracle, const std::string& arn, std::size_t run_index) {
  const auto workflow = oracle.now.find(arn);
  if (workflow == oracle.now.end() || workflow->second.runs.empty()) return "NoSuchRun000000";
  auto it = workflow->second.runs.begin();
  std::advance(it, run_index % workflow->second.runs.size());
  return it->first;
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
  // `expected`, and moves `expected` (and the oracle's token memory) to the state after it.
  virtual void predict(Sut& sut, Snapshot& expected, const json& request, const JsonOutcome& answer,
                       bool time_passed) const = 0;
};

void Call::run(const Plan& plan, Sut& sut) const {
  const json sent = request(sut);
  json delivered = sent;
  if (sut.options.strip_client_tokens && operation() == "StartWorkflowRun") {
    delivered.erase("ClientToken");
  }
  const sim::FaultKind fault = plan.next_fault;
  const CallResult result = call_with(*sut.world, kService, operation(), delivered, fault);
  const std::string what = describe() + " with fault " + std::string(sim::to_string(fault));
  if (const auto code = visible_fault_code(fault, fault_codes())) {
    expect_code(result.outcome, *code, what + " (visible answer)");
  }
  count_call(sut.coverage, operation(), fault, result);
  const bool time_passed = fault == sim::FaultKind::latency;
  Snapshot expected = sut.oracle.now;
  if (applications(fault) >= 1) {
    predict(sut, expected, sent, first_answer(result), time_passed);
  }
  if (const JsonOutcome* second = second_answer(result)) {
    predict(sut, expected, sent, *second, time_passed);
  }
  Snapshot after = take_snapshot(*sut.world);
  compare(expected, after, time_passed);
  check_caps(after);
  expect_invariants(*sut.world, what);
  sut.oracle.now = std::move(after);
}

// ---------------------------------------------------------------------------------------
// Workflows.

class CreateWorkflow : public Call {
 public:
  CreateWorkflow()
      : name_(*rc::gen::inRange<std::size_t>(0, kNames.size())),
        definition_(*rc::gen::inRange<std::size_t>(0, kDefinitions.size())),
        token_(*rc::gen::inRange(-1, 3)),
        tagged_(*rc::gen::arbitrary<bool>()) {}

 protected:
  std::string_view operation() const override { return "CreateWorkflow"; }
  std::string describe() const override {
    return "CreateWorkflow(" + std::string(kNames[name_]) + ", " + kDefinitions[definition_] +
           ", token " + std::to_string(token_) + (tagged_ ? ", tagged)" : ")");
  }
  json request(Sut&) const override {
    json request = {
        {"Name", kNames[name_]},
        {"DefinitionS3Location", {{"Bucket", "defs"}, {"ObjectKey", kDefinitions[definition_]}}},
        {"RoleArn", kRole}};
    if (token_ >= 0) request["ClientToken"] = "create-" + std::to_string(token_);
    if (tagged_) request["Tags"] = {{"team", "data"}};
    return request;
  }
  void predict(Sut& sut, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    Oracle& oracle = sut.oracle;
    const std::string what = describe();
    // Tokens are keyed by (Name, token), the sheet's guidance (section 8).
    const std::string token_key =
        request.value("Name", "") + "|" + request.value("ClientToken", "");
    if (request.contains("ClientToken")) {
      const auto seen = oracle.create_tokens.find(token_key);
      if (seen != oracle.create_tokens.end()) {
        if (seen->second.request == request) {
          expect_code(answer, "OK", what + " replayed");
          expect(answer.ok() && answer.value() == seen->second.response,
                 what + ": a replay must answer the first response");
        } else {
          expect_code(answer, "ConflictException", what + " reused a token");
        }
        return;
      }
    }
    for (const auto& [arn, workflow] : expected) {
      if (workflow.name == request["Name"]) return expect_code(answer, "ConflictException", what);
    }
    expect_code(answer, "OK", what);
    if (!answer.ok()) return;
    const json& response = answer.value();
    const std::string arn = response.value("WorkflowArn", "");
    expect(expected.count(arn) == 0, what + " answered an existing ARN");
    expect(response.value("WorkflowStatus", "") == "READY", what + ": not READY");
    WorkflowSnapshot& made = expected[arn];
    made.name = request["Name"];
    made.status = "READY";
    made.trigger_mode = "MANUAL_ONLY";
    made.versions = {response.value("WorkflowVersion", "")};
    const json tags = request.value("Tags", json::object());
    for (const auto& [key, value] : tags.items()) {
      made.tags[key] = value.get<std::string>();
    }
    oracle.last_arn_by_name[made.name] = arn;
    if (request.contains("ClientToken")) {
      oracle.create_tokens[token_key] = Remembered{request, response};
    }
  }

 private:
  std::size_t name_;
  std::size_t definition_;
  int token_;  // -1: none
  bool tagged_;
};

// The base of the commands that address one workflow by name.
class WorkflowCall : public Call {
 public:
  // etl-0 twice as often, so that calls meet earlier calls' workflows, versions and runs.
  WorkflowCall() : name_(*rc::gen::element<std::size_t>(0, 0, 1, 2)) {}

 protected:
  std::string workflow() const { return kNames[name_]; }
  std::string arn(const Sut& sut) const { return workflow_arn(sut.oracle, name_); }
  // The workflow the request names in `expected`, or null.
  static WorkflowSnapshot* find(Snapshot& expected, const json& request, const char* member) {
    const auto found = expected.find(request.value(member, ""));
    return found == expected.end() ? nullptr : &found->second;
  }

 private:
  std::size_t name_;
};

class UpdateWorkflow : public WorkflowCall {
 public:
  UpdateWorkflow()
      : definition_(*rc::gen::inRange<std::size_t>(0, kDefinitions.size())),
        mode_(*rc::gen::inRange<std::size_t>(0, kModes.size())) {}

 protected:
  std::string_view operation() const override { return "UpdateWorkflow"; }
  std::string describe() const override {
    return "UpdateWorkflow(" + workflow() + ", " + kDefinitions[definition_] + ", mode " +
           (mode_ == 0 ? "kept" : kModes[mode_]) + ")";
  }
  json request(Sut& sut) const override {
    json request = {
        {"WorkflowArn", arn(sut)},
        {"DefinitionS3Location", {{"Bucket", "defs"}, {"ObjectKey", kDefinitions[definition_]}}},
        {"RoleArn", kRole}};
    if (mode_ > 0) request["TriggerMode"] = kModes[mode_];
    return request;
  }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    if (target->status == "DELETING") return expect_code(answer, "ConflictException", describe());
    if (target->versions.size() >= kVersionsPerWorkflow) {
      return expect_code(answer, "ServiceQuotaExceededException", describe());
    }
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const std::string version = answer.value().value("WorkflowVersion", "");
    expect(std::count(target->versions.begin(), target->versions.end(), version) == 0,
           describe() + " reused version id " + version);
    target->versions.push_back(version);
    // A mode left out keeps the previous one (service.cpp; the definitions have no schedule).
    target->trigger_mode = request.value("TriggerMode", target->trigger_mode);
  }

 private:
  std::size_t definition_;
  std::size_t mode_;  // an index into kModes; 0: not given
};

class DeleteWorkflow : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "DeleteWorkflow"; }
  std::string describe() const override { return "DeleteWorkflow(" + workflow() + ")"; }
  json request(Sut& sut) const override { return {{"WorkflowArn", arn(sut)}}; }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (target->status == "DELETING") return;
    bool active = false;
    for (auto& [id, status] : target->runs) {
      if (is_active(status)) {
        status = "STOPPING";
        active = true;
      }
    }
    if (active) {
      target->status = "DELETING";
    } else {
      expected.erase(request["WorkflowArn"].get<std::string>());
    }
  }
};

class GetWorkflow : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "GetWorkflow"; }
  std::string describe() const override { return "GetWorkflow(" + workflow() + ")"; }
  json request(Sut& sut) const override { return {{"WorkflowArn", arn(sut)}}; }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    const WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json& got = answer.value();
    expect(got.value("Name", "") == target->name, describe() + ": wrong Name");
    expect(got.value("WorkflowStatus", "") == target->status, describe() + ": wrong status");
    expect(got.value("WorkflowVersion", "") == target->versions.back(),
           describe() + ": not the latest version");
  }
};

class ListWorkflows : public Call {
 public:
  ListWorkflows() : page_size_(*rc::gen::inRange(1, 4)) {}

 protected:
  std::string_view operation() const override { return "ListWorkflows"; }
  std::string describe() const override {
    return "ListWorkflows(MaxResults " + std::to_string(page_size_) + ")";
  }
  json request(Sut&) const override { return {{"MaxResults", page_size_}}; }
  void predict(Sut&, Snapshot& expected, const json&, const JsonOutcome& answer,
               bool) const override {
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json& items = answer.value().value("Workflows", json::array());
    const std::size_t size = static_cast<std::size_t>(page_size_);
    expect(items.size() == std::min(size, expected.size()), describe() + ": wrong page size");
    expect(answer.value().contains("NextToken") == (expected.size() > size),
           describe() + ": NextToken present iff more workflows exist");
    for (const auto& item : items) {
      const auto found = expected.find(item.value("WorkflowArn", ""));
      expect(found != expected.end() && found->second.name == item.value("Name", "") &&
                 found->second.status == item.value("WorkflowStatus", ""),
             describe() + " listed " + item.dump());
    }
  }

 private:
  int page_size_;
};

class ListWorkflowVersions : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "ListWorkflowVersions"; }
  std::string describe() const override { return "ListWorkflowVersions(" + workflow() + ")"; }
  json request(Sut& sut) const override { return {{"WorkflowArn", arn(sut)}, {"MaxResults", 100}}; }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    const json items = answer.value().value("WorkflowVersions", json::array());
    std::vector<std::string> versions;
    for (std::size_t i = 0; i < items.size(); ++i) {
      versions.push_back(items[i].value("WorkflowVersion", ""));
      expect(items[i].value("IsLatestVersion", false) == (i + 1 == items.size()),
             describe() + ": IsLatestVersion must flag the newest version only");
    }
    expect(versions == (target ? target->versions : std::vector<std::string>{}),
           describe() + ": other versions than the model's");
  }
};

// ---------------------------------------------------------------------------------------
// Runs and task instances.

class StartWorkflowRun : public WorkflowCall {
 public:
  StartWorkflowRun()
      : token_(*rc::gen::inRange(-1, 3)),
        overrides_(*rc::gen::inRange(0, 3)),
        malformed_(*rc::gen::weightedElement<bool>({{7, false}, {1, true}})) {}

 protected:
  std::string_view operation() const override { return "StartWorkflowRun"; }
  std::string describe() const override {
    return "StartWorkflowRun(" + workflow() + ", token " + std::to_string(token_) + ", overrides " +
           std::to_string(overrides_) + (malformed_ ? ", malformed)" : ")");
  }
  json request(Sut& sut) const override {
    json request = {{"WorkflowArn", arn(sut)}};
    if (token_ >= 0) request["ClientToken"] = "run-" + std::to_string(token_);
    if (overrides_ > 0) request["OverrideParameters"] = {{"day", overrides_ == 1 ? "mon" : "tue"}};
    // OverrideParameters must be a map (fact sheet 7).
    if (malformed_) request["OverrideParameters"] = "day=mon";
    return request;
  }
  void predict(Sut& sut, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    Oracle& oracle = sut.oracle;
    const std::string arn = request["WorkflowArn"];
    const std::string what = describe();
    if (malformed_) return expect_code(answer, "ValidationException", what);
    std::pair<std::string, std::string> key;
    if (request.contains("ClientToken")) {
      key = {arn, request["ClientToken"].get<std::string>()};
      const auto seen = oracle.start_tokens.find(key);
      if (seen != oracle.start_tokens.end()) {
        if (seen->second.request == request) {
          expect_code(answer, "OK", what + " replayed");
          expect(answer.ok() && answer.value() == seen->second.response,
                 what +
                     ": a retry with the same token and request must answer the first "
                     "response (RunId " +
                     seen->second.response.value("RunId", "") + ")");
        } else {
          expect_code(answer, "ConflictException", what + " reused a token with another request");
        }
        return;
      }
    }
    WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", what);
    if (target->status == "DELETING") return expect_code(answer, "ConflictException", what);
    if (target->trigger_mode == "DISABLED") {
      return expect_code(answer, "ConflictException", what + " of a DISABLED workflow");
    }
    std::size_t workflow_active = 0;
    std::size_t account_active = 0;
    for (const auto& [other_arn, workflow] : expected) {
      for (const auto& [id, status] : workflow.runs) {
        if (!is_active(status)) continue;
        ++account_active;
        if (other_arn == arn) ++workflow_active;
      }
    }
    if (workflow_active >= kRunsPerWorkflow || account_active >= kRunsPerAccount) {
      return expect_code(answer, "ServiceQuotaExceededException", what + " over a cap");
    }
    expect_code(answer, "OK", what);
    if (!answer.ok()) return;
    const json& response = answer.value();
    const std::string id = response.value("RunId", "");
    expect(response.value("Status", "") == "STARTING", what + ": a new run is STARTING");
    expect(target->runs.count(id) == 0, what + " answered an existing RunId " + id);
    target->runs[id] = "STARTING";
    if (request.contains("ClientToken")) oracle.start_tokens[key] = Remembered{request, response};
  }

 private:
  int token_;       // -1: none
  int overrides_;   // 0: none
  bool malformed_;  // the request breaks a member constraint and must change nothing
};

// The base of the commands that address one run of one workflow.
class RunCall : public WorkflowCall {
 public:
  RunCall() : run_(*rc::gen::inRange<std::size_t>(0, 8)) {}

 protected:
  std::string target() const { return workflow() + ", run " + std::to_string(run_); }
  json run_request(const Sut& sut) const {
    const std::string workflow_arn = arn(sut);
    return {{"WorkflowArn", workflow_arn}, {"RunId", run_id(sut.oracle, workflow_arn, run_)}};
  }
  // The run the request names in `expected`: its status, or null.
  static std::string* find_run(Snapshot& expected, const json& request) {
    WorkflowSnapshot* workflow = find(expected, request, "WorkflowArn");
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
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    const std::string* status = find_run(expected, request);
    if (status == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (!answer.ok() || time_passed) return;
    const std::string got = answer.value().value("RunDetail", json::object()).value("RunState", "");
    expect(got == *status, describe() + ": RunState " + got + ", the list said " + *status);
  }
};

class ListWorkflowRuns : public WorkflowCall {
 public:
  ListWorkflowRuns() : page_size_(*rc::gen::inRange(1, 4)) {}

 protected:
  std::string_view operation() const override { return "ListWorkflowRuns"; }
  std::string describe() const override {
    return "ListWorkflowRuns(" + workflow() + ", MaxResults " + std::to_string(page_size_) + ")";
  }
  json request(Sut& sut) const override {
    return {{"WorkflowArn", arn(sut)}, {"MaxResults", page_size_}};
  }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const WorkflowSnapshot* target = find(expected, request, "WorkflowArn");
    const std::size_t runs = target ? target->runs.size() : 0;
    const std::size_t size = static_cast<std::size_t>(page_size_);
    const json items = answer.value().value("WorkflowRuns", json::array());
    expect(items.size() == std::min(size, runs), describe() + ": wrong page size");
    expect(answer.value().contains("NextToken") == (runs > size),
           describe() + ": NextToken present iff more runs exist");
    for (const auto& item : items) {
      expect(target != nullptr, describe() + " listed a run of an unknown workflow");
      if (target == nullptr) return;
      const auto found = target->runs.find(item.value("RunId", ""));
      expect(found != target->runs.end(), describe() + " listed an unknown run");
      if (found == target->runs.end() || time_passed) continue;
      expect(item.value("RunDetailSummary", json::object()).value("Status", "") == found->second,
             describe() + ": a page disagrees with the full listing");
    }
  }

 private:
  int page_size_;
};

class StopWorkflowRun : public RunCall {
 protected:
  std::string_view operation() const override { return "StopWorkflowRun"; }
  std::string describe() const override { return "StopWorkflowRun(" + target() + ")"; }
  json request(Sut& sut) const override { return run_request(sut); }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    std::string* status = find_run(expected, request);
    if (status == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (is_active(*status)) *status = "STOPPING";
    if (answer.ok()) {
      expect(answer.value().value("Status", "") == *status, describe() + ": answered " +
                                                                answer.value().value("Status", "") +
                                                                ", expected " + *status);
    }
  }
};

// Task instances are not in the snapshot; these commands read them and check them against
// their run's status.
class ListTaskInstances : public RunCall {
 protected:
  std::string_view operation() const override { return "ListTaskInstances"; }
  std::string describe() const override { return "ListTaskInstances(" + target() + ")"; }
  json request(Sut& sut) const override {
    json request = run_request(sut);
    request["MaxResults"] = 100;
    return request;
  }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    expect_code(answer, "OK", describe());
    if (!answer.ok()) return;
    const json items = answer.value().value("TaskInstances", json::array());
    const std::string* status = find_run(expected, request);
    if (status == nullptr) {
      expect(items.empty(), describe() + ": an unknown run has task instances");
      return;
    }
    if (time_passed) return;
    for (const auto& item : items) {
      const std::string task = item.value("Status", "");
      expect(*status != "STARTING" && *status != "QUEUED",
             describe() + ": a " + *status + " run has task instances");
      // Stopping cancels every unfinished instance at once (service.cpp).
      const bool settled = !is_active(*status) || *status == "STOPPING";
      expect(!settled || task_terminal(task),
             describe() + ": a " + *status + " run has a " + task + " task instance");
      expect(*status != "SUCCESS" || task == "SUCCESS",
             describe() + ": a SUCCESS run has a " + task + " task instance");
    }
  }
};

class GetTaskInstance : public RunCall {
 public:
  GetTaskInstance() : instance_(*rc::gen::inRange<std::size_t>(0, 4)) {}

 protected:
  std::string_view operation() const override { return "GetTaskInstance"; }
  std::string describe() const override {
    return "GetTaskInstance(" + target() + ", instance " + std::to_string(instance_) + ")";
  }
  json request(Sut& sut) const override {
    json request = run_request(sut);
    const json items = read_all(*sut.world, "ListTaskInstances", request, "TaskInstances");
    request["TaskInstanceId"] =
        items.empty() ? json("ex_none_a_1") : items[instance_ % items.size()]["TaskInstanceId"];
    return request;
  }
  // The listing is read again after the call: reads change nothing, and when time passed
  // during the call (latency) only existence is compared.
  void predict(Sut& sut, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool time_passed) const override {
    json listing = request;
    listing.erase("TaskInstanceId");
    std::string listed_status;
    for (const auto& item : read_all(*sut.world, "ListTaskInstances", listing, "TaskInstances")) {
      if (item["TaskInstanceId"] == request["TaskInstanceId"]) listed_status = item["Status"];
    }
    if (find_run(expected, request) == nullptr || listed_status.empty()) {
      return expect_code(answer, "ResourceNotFoundException", describe());
    }
    expect_code(answer, "OK", describe());
    if (!answer.ok() || time_passed) return;
    expect(answer.value().value("Status", "") == listed_status,
           describe() + ": Get and List disagree on the status");
    expect(answer.value().value("TaskInstanceId", "") == request["TaskInstanceId"],
           describe() + ": another TaskInstanceId");
  }

 private:
  std::size_t instance_;
};

// ---------------------------------------------------------------------------------------
// Tags.

class TagResource : public WorkflowCall {
 public:
  TagResource() : key_(*rc::gen::inRange(0, 3)), value_(*rc::gen::inRange(0, 2)) {}

 protected:
  std::string_view operation() const override { return "TagResource"; }
  std::string describe() const override {
    return "TagResource(" + workflow() + ", k" + std::to_string(key_) + "=v" +
           std::to_string(value_) + ")";
  }
  json request(Sut& sut) const override {
    return {{"ResourceArn", arn(sut)},
            {"Tags", {{"k" + std::to_string(key_), "v" + std::to_string(value_)}}}};
  }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    WorkflowSnapshot* target = find(expected, request, "ResourceArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    for (const auto& [key, value] : request["Tags"].items()) target->tags[key] = value;
  }

 private:
  int key_;
  int value_;
};

class UntagResource : public WorkflowCall {
 public:
  UntagResource() : key_(*rc::gen::inRange(0, 3)) {}

 protected:
  std::string_view operation() const override { return "UntagResource"; }
  std::string describe() const override {
    return "UntagResource(" + workflow() + ", k" + std::to_string(key_) + ")";
  }
  json request(Sut& sut) const override {
    return {{"ResourceArn", arn(sut)}, {"TagKeys", {"k" + std::to_string(key_)}}};
  }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    WorkflowSnapshot* target = find(expected, request, "ResourceArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    target->tags.erase(request["TagKeys"][0].get<std::string>());
  }

 private:
  int key_;
};

class ListTagsForResource : public WorkflowCall {
 protected:
  std::string_view operation() const override { return "ListTagsForResource"; }
  std::string describe() const override { return "ListTagsForResource(" + workflow() + ")"; }
  json request(Sut& sut) const override { return {{"ResourceArn", arn(sut)}}; }
  void predict(Sut&, Snapshot& expected, const json& request, const JsonOutcome& answer,
               bool) const override {
    const WorkflowSnapshot* target = find(expected, request, "ResourceArn");
    if (target == nullptr) return expect_code(answer, "ResourceNotFoundException", describe());
    expect_code(answer, "OK", describe());
    if (answer.ok()) {
      expect(answer.value().value("Tags", json::object()) == json(target->tags),
             describe() + ": other tags than the model's");
    }
  }
};

// ---------------------------------------------------------------------------------------
// Time and faults.

class AdvanceClock : public Command {
 public:
  AdvanceClock() : seconds_(*rc::gen::element<std::int64_t>(1, 5, 20, 30, 60, 120, 600)) {}

  void checkPreconditions(const Plan& plan) const override {
    RC_PRE(plan.elapsed_us + sim::seconds(seconds_) <= kMaxElapsedUs);
  }
  void apply(Plan& plan) const override { plan.elapsed_us += sim::seconds(seconds_); }
  void run(const Plan&, Sut& sut) const override {
    sut.world->advance(sim::seconds(seconds_));
    if (sut.coverage != nullptr) ++(*sut.coverage)["AdvanceClock"];
    Snapshot after = take_snapshot(*sut.world);
    compare(sut.oracle.now, after, true);
    check_caps(after);
    expect_invariants(*sut.world, "AdvanceClock(" + std::to_string(seconds_) + " s)");
    sut.oracle.now = std::move(after);
  }
  void show(std::ostream& os) const override { os << "AdvanceClock(" << seconds_ << " s)"; }

 private:
  std::int64_t seconds_;
};

using InjectFault = InjectFaultCommand<Plan, Sut>;

constexpr const char* kOneTask =
    "one:\n  tasks:\n    a:\n      operator: "
    "airflow.providers.standard.operators.empty.EmptyOperator\n";
constexpr const char* kChain =
    "chain:\n  tasks:\n    a:\n      operator: "
    "airflow.providers.standard.operators.empty.EmptyOperator\n"
    "    b:\n      operator: airflow.providers.standard.operators.empty.EmptyOperator\n"
    "      dependencies: [a]\n";

}  // namespace

WorldOptions world_options(std::uint64_t seed) {
  WorldOptions options;
  options.seed = seed;
  options.trace.enabled = false;
  options.trace.keep_events = false;
  options.config = {
      {"objects", {{"s3://defs/one.yaml", kOneTask}, {"s3://defs/chain.yaml", kChain}}},
      {"profiles", {{"mwaa-serverless", {{"task", {{"duration", 20}}}}}}},
      {"services",
       {{"mwaa-serverless",
         {{"quotas",
           {{"concurrent_runs_per_workflow", kRunsPerWorkflow},
            {"concurrent_runs_per_account", kRunsPerAccount},
            {"versions_per_workflow", kVersionsPerWorkflow}}}}}}}};
  return options;
}

Sut make_sut(const Options& options) {
  Sut sut;
  sut.options = options;
  sut.world = create_model_world(world_options(options.seed), "MWAA");
  return sut;
}

std::function<CommandGen(const Plan&)> command_generator() {
  return [](const Plan& plan) {
    // Starts, retries and observations are what the properties are about, so they come up
    // more often than the rest.
    return rc::gen::weightedOneOf<std::shared_ptr<const Command>>(
        {{3, rc::state::gen::execOneOfWithArgs<CreateWorkflow>()(plan)},
         {1, rc::state::gen::execOneOfWithArgs<UpdateWorkflow>()(plan)},
         {1, rc::state::gen::execOneOfWithArgs<DeleteWorkflow, GetWorkflow, ListWorkflows,
                                               ListWorkflowVersions>()(plan)},
         {5, rc::state::gen::execOneOfWithArgs<StartWorkflowRun>()(plan)},
         {3, rc::state::gen::execOneOfWithArgs<GetWorkflowRun, ListWorkflowRuns, StopWorkflowRun>()(
                 plan)},
         {1, rc::state::gen::execOneOfWithArgs<GetTaskInstance, ListTaskInstances>()(plan)},
         {1, rc::state::gen::execOneOfWithArgs<TagResource, UntagResource, ListTagsForResource>()(
                 plan)},
         {2, rc::state::gen::execOneOfWithArgs<AdvanceClock>()(plan)},
         {2, rc::state::gen::execOneOfWithArgs<InjectFault>()(plan)}});
  };
}

void check_command_sequence(int steps, const Options& options, Coverage* coverage) {
  const auto commands =
      *rc::gen::resize(steps, rc::state::gen::commands(Plan{}, command_generator()));
  Sut sut = make_sut(options);
  sut.coverage = coverage;
  sut.oracle.now = take_snapshot(*sut.world);
  rc::state::runAll(commands, Plan{}, sut);
}

}  // namespace wfsim::properties::mwaa_model
