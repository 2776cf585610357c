// Requests for MWAA Serverless (fact sheet sections 3, 4 and 7): all fifteen operations.
//
// Workflows get names from a small fixed set, so creates collide and names come back after
// deletes; their ARNs, versions, run ids, task instance ids and page tokens are saved from
// the answers (Create, Update, Start, the List and Get calls) and referred to as ${name}.
// The world holds definitions that succeed, retry, fail, run on a schedule, take parameters,
// fan out with trigger rules, do not parse, or are missing, and quotas small enough to hit.
#include <string>
#include <vector>

#include "properties/requests_detail.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

constexpr const char* kEmpty = "airflow.providers.standard.operators.empty.EmptyOperator";
constexpr const char* kRole = "arn:aws:iam::111122223333:role/mwaa-exec";
constexpr const char* kOtherAccountArn =
    "arn:aws:airflow-serverless:us-east-1:999999999999:workflow/etl-abcdefghij";

std::string task(const std::string& id, const std::string& extra = "") {
  return "    " + id + ":\n      operator: " + kEmpty + "\n" + extra;
}

json definitions() {
  json objects = json::object();
  objects["s3://defs/etl.yaml"] =
      "etl:\n  tasks:\n" + task("extract") + task("transform", "      dependencies: [extract]\n") +
      task("load", "      dependencies: [transform]\n");
  objects["s3://defs/daily.yaml"] = json::array(
      {"daily:\n  schedule: \"*/30 * * * *\"\n  tasks:\n" + task("refresh"),
       "daily:\n  schedule: \"0 6 * * *\"\n  tasks:\n" + task("refresh") +
           task("report", "      dependencies: [refresh]\n")});
  objects["s3://defs/flaky.yaml"] =
      "flaky:\n  default_args:\n    retries: 2\n    retry_delay: 10\n  tasks:\n" + task("fetch") +
      task("store", "      dependencies: [fetch]\n      execution_timeout:\n        __type__: "
                    "datetime.timedelta\n        minutes: 5\n");
  objects["s3://defs/fanout.yaml"] =
      "fanout:\n  tasks:\n" + task("a") + task("b") +
      task("c", "      dependencies: [a, b]\n      trigger_rule: one_failed\n") +
      task("d", "      dependencies: [a, b]\n      trigger_rule: all_done\n") +
      task("e", "      dependencies: [c, d]\n      trigger_rule: none_failed\n");
  objects["s3://defs/params.yaml"] =
      "params:\n  params:\n    target: staging\n  tasks:\n    push:\n      operator: "
      "airflow.providers.standard.operators.bash.BashOperator\n      bash_command: \"echo {{ "
      "params.target }}\"\n";
  objects["s3://defs/broken.yaml"] = "broken:\n  tasks: [unclosed\n";
  return objects;
}

json profiles() {
  return {{"task", {{"duration", {{"uniform", {10, 600}}}}}},
          {"workflows",
           {{"flaky", {{"tasks", {{"fetch", {{"outcome", {{"fail", "1/3"}}}}}}}}},
            {"fanout",
             {{"tasks",
               {{"b", {{"outcome", {"FAILED", "SUCCESS"}}}},
                {"d", {{"outcome", {{"timeout", "1/4"}}}}}}}}}}}};
}

class MwaaGenerator final : public RequestGenerator {
 public:
  std::string service() const override { return "mwaa-serverless"; }

  std::vector<std::string> operations() const override {
    return {"CreateWorkflow",   "DeleteWorkflow",    "GetTaskInstance",  "GetWorkflow",
            "GetWorkflowRun",   "ListTagsForResource", "ListTaskInstances", "ListWorkflowRuns",
            "ListWorkflowVersions", "ListWorkflows",  "StartWorkflowRun", "StopWorkflowRun",
            "TagResource",      "UntagResource",     "UpdateWorkflow"};
  }

  std::vector<std::string> creating_operations() const override {
    return {"CreateWorkflow", "StartWorkflowRun", "StartWorkflowRun", "UpdateWorkflow"};
  }

  json world_config() const override {
    return {{"objects", definitions()},
            {"profiles", {{"mwaa-serverless", profiles()}}},
            {"services",
             {{"mwaa-serverless",
               {{"quotas",
                 {{"workflows_per_account", 5},
                  {"versions_per_workflow", 4},
                  {"concurrent_runs_per_workflow", 3},
                  {"concurrent_runs_per_account", 6}}},
                {"timings", {{"run_timeout", "PT2H"}}}}}}}};
  }

  GeneratedCall valid_call(std::string_view operation, sim::Rng& rng) override {
    GeneratedCall call;
    call.operation = std::string(operation);
    if (operation == "CreateWorkflow") {
      create_workflow(call, rng);
    } else if (operation == "UpdateWorkflow") {
      update_workflow(call, rng);
    } else if (operation == "GetWorkflow" || operation == "DeleteWorkflow") {
      call.request["WorkflowArn"] = workflow_arn(rng);
      if (one_in(rng, 3)) call.request["WorkflowVersion"] = version(rng);
    } else if (operation == "ListWorkflows") {
      list(call, rng, json::object());
      for (int i = 0; i < 3; ++i)
        pools_.expect(call, "arn", "/Workflows/" + std::to_string(i) + "/WorkflowArn");
    } else if (operation == "ListWorkflowVersions") {
      const std::string arn = workflow_arn(rng);
      list(call, rng, {{"WorkflowArn", arn}});
      pools_.expect(call, "version", "/WorkflowVersions/0/WorkflowVersion", {{"arn", arn}});
    } else if (operation == "StartWorkflowRun") {
      start_run(call, rng);
    } else if (operation == "GetWorkflowRun" || operation == "StopWorkflowRun") {
      const json run = run_reference(rng);
      call.request = {{"WorkflowArn", run["arn"]}, {"RunId", run["run"]}};
      if (operation == "GetWorkflowRun") {
        pools_.expect(call, "task", "/RunDetail/TaskInstances/" + std::to_string(rng.choice(3)),
                      run);
      }
    } else if (operation == "ListWorkflowRuns") {
      const std::string arn = workflow_arn(rng);
      json base = {{"WorkflowArn", arn}};
      if (one_in(rng, 4)) base["WorkflowVersion"] = version(rng);
      list(call, rng, base);
      pools_.expect(call, "run", "/WorkflowRuns/" + std::to_string(rng.choice(3)) + "/RunId",
                    {{"arn", arn}});
    } else if (operation == "GetTaskInstance") {
      const json instance = task_reference(rng);
      call.request = {{"WorkflowArn", instance["arn"]},
                      {"RunId", instance["run"]},
                      {"TaskInstanceId", instance["task"]}};
    } else if (operation == "ListTaskInstances") {
      const json run = run_reference(rng);
      list(call, rng, {{"WorkflowArn", run["arn"]}, {"RunId", run["run"]}});
      pools_.expect(call, "task",
                    "/TaskInstances/" + std::to_string(rng.choice(3)) + "/TaskInstanceId", run);
    } else if (operation == "TagResource") {
      call.request = {{"ResourceArn", workflow_arn(rng)}, {"Tags", tags(rng)}};
    } else if (operation == "UntagResource") {
      call.request = {{"ResourceArn", workflow_arn(rng)},
                      {"TagKeys", json::array({tag_key(rng), tag_key(rng)})}};
    } else if (operation == "ListTagsForResource") {
      call.request = {{"ResourceArn", workflow_arn(rng)}};
    }
    return call;
  }

  void observe(const GeneratedCall& call, const models::JsonOutcome& outcome,
               const scenarios::Bindings& bindings) override {
    pools_.settle(call, bindings);
    // A deleted workflow's ARN, runs and tasks are mostly dead weight: forget them (a few
    // stale references remain through other saved names, which is as well).
    if (call.operation == "DeleteWorkflow" && outcome.ok() && call.request.is_object() &&
        !call.request.contains("WorkflowVersion") && call.request.contains("WorkflowArn")) {
      const json arn = call.request["WorkflowArn"];
      pools_.forget("arn", [&](const PendingSave& entry) { return reference(entry.name) == arn; });
      for (const char* kind : {"run", "task", "version"}) {
        pools_.forget(kind, [&](const PendingSave& entry) {
          return entry.context.value("arn", json()) == arn;
        });
      }
    }
  }

 private:
  static json location(sim::Rng& rng) {
    static const std::vector<std::string> kKeys = {"etl.yaml",    "daily.yaml",  "flaky.yaml",
                                                   "fanout.yaml", "params.yaml", "broken.yaml",
                                                   "missing.yaml"};
    static const std::vector<std::string> kGoodKeys(kKeys.begin(), kKeys.end() - 2);
    // Definitions that cannot be read or parsed one time in eight.
    const std::string key = one_in(rng, 8) ? pick(rng, kKeys) : pick(rng, kGoodKeys);
    json location = {{"Bucket", one_in(rng, 30) ? "nobucket" : "defs"}, {"ObjectKey", key}};
    if (key == "daily.yaml" ? one_in(rng, 2) : one_in(rng, 20)) {
      location["VersionId"] = std::to_string(rng.uniform(1, 3));
    }
    return location;
  }

  static std::string workflow_name(sim::Rng& rng) {
    static const std::vector<std::string> kNames = {"etl",    "daily",  "flaky",
                                                    "fanout", "params", "broken"};
    return pick(rng, kNames);
  }

  static std::string tag_key(sim::Rng& rng) {
    static const std::vector<std::string> kKeys = {"team", "env", "cost-centre", "owner"};
    return pick(rng, kKeys);
  }

  static json tags(sim::Rng& rng) {
    json tags = json::object();
    for (std::size_t i = rng.choice(3); i > 0; --i)
      tags[tag_key(rng)] = "v" + std::to_string(rng.choice(5));
    return tags;
  }

  static void add_trigger_mode(json& request, sim::Rng& rng) {
    static const std::vector<std::string> kModes = {"SCHEDULED", "MANUAL_ONLY", "DISABLED",
                                                    "manual only"};
    if (one_in(rng, 3)) request["TriggerMode"] = pick(rng, kModes);
  }

  void create_workflow(GeneratedCall& call, sim::Rng& rng) {
    const std::string name = workflow_name(rng);
    call.request = {{"Name", name}, {"DefinitionS3Location", location(rng)}, {"RoleArn", kRole}};
    if (one_in(rng, 4)) call.request["ClientToken"] = "create-" + std::to_string(rng.choice(4));
    if (one_in(rng, 4)) call.request["Tags"] = tags(rng);
    if (one_in(rng, 5)) call.request["Description"] = "fuzzed " + name;
    if (one_in(rng, 8)) call.request["EngineVersion"] = 1;
    add_trigger_mode(call.request, rng);
    pools_.expect(call, "arn", "/WorkflowArn");
    pools_.expect(call, "version", "/WorkflowVersion");
  }

  void update_workflow(GeneratedCall& call, sim::Rng& rng) {
    const std::string arn = workflow_arn(rng);
    call.request = {
        {"WorkflowArn", arn}, {"DefinitionS3Location", location(rng)}, {"RoleArn", kRole}};
    if (one_in(rng, 4)) call.request["Description"] = "updated";
    add_trigger_mode(call.request, rng);
    pools_.expect(call, "version", "/WorkflowVersion", {{"arn", arn}});
  }

  void start_run(GeneratedCall& call, sim::Rng& rng) {
    const std::string arn = workflow_arn(rng);
    call.request = {{"WorkflowArn", arn}};
    if (one_in(rng, 3)) call.request["ClientToken"] = "start-" + std::to_string(rng.choice(4));
    if (one_in(rng, 4)) {
      call.request["OverrideParameters"] = {{"target", one_in(rng, 2) ? json("prod") : json(7)}};
    }
    if (one_in(rng, 5)) call.request["WorkflowVersion"] = version(rng);
    pools_.expect(call, "run", "/RunId", {{"arn", arn}});
  }

  // A page request: sometimes a page size, sometimes a saved token of the same listing.
  void list(GeneratedCall& call, sim::Rng& rng, json base) {
    page_request(pools_, call, rng, std::move(base), 3, "123");
  }

  // A bound workflow ARN, or now and then one that names nothing here.
  std::string workflow_arn(sim::Rng& rng) {
    const auto& arns = pools_.pool("arn");
    if (arns.empty() || one_in(rng, 15)) return kOtherAccountArn;
    return reference(pick(rng, arns).name);
  }

  json version(sim::Rng& rng) {
    const auto& versions = pools_.pool("version");
    if (versions.empty() || one_in(rng, 10)) return "0123456789abcdef0123456789abcdef";
    return reference(pick(rng, versions).name);
  }

  json run_reference(sim::Rng& rng) {
    const auto& runs = pools_.pool("run");
    if (runs.empty() || one_in(rng, 15)) return {{"arn", workflow_arn(rng)}, {"run", "NoSuchRun1"}};
    const PendingSave& run = pick(rng, runs);
    return {{"arn", run.context["arn"]}, {"run", reference(run.name)}};
  }

  json task_reference(sim::Rng& rng) {
    const auto& tasks = pools_.pool("task");
    if (tasks.empty() || one_in(rng, 15)) {
      json run = run_reference(rng);
      run["task"] = "no-such-task";
      return run;
    }
    const PendingSave& task = pick(rng, tasks);
    return {
        {"arn", task.context["arn"]}, {"run", task.context["run"]}, {"task", reference(task.name)}};
  }

  SavedPools pools_;
};

}  // namespace

std::unique_ptr<RequestGenerator> make_mwaa_generator() {
  return std::make_unique<MwaaGenerator>();
}

}  // namespace wfsim::properties
