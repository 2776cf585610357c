// Requests for AWS Glue workflows (fact sheet section 5, tags from the AWS model, and the
// simulator's NotifyEvent): all forty-seven operations.
//
// Workflows, jobs, crawlers, triggers and blueprints get names from small fixed sets, since
// Glue addresses them by name: creates collide, deletes free names, triggers name jobs that
// may be gone. Run ids, job run ids, graph node ids, blueprint run ids and page tokens are
// saved from the answers and referred to as ${name}. The world has jobs that fail or time out
// now and then, and blueprint layouts that succeed and fail.
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "properties/requests_detail.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

constexpr const char* kRole = "arn:aws:iam::111122223333:role/glue-etl";

const std::vector<std::string> kWorkflows = {"wf1", "wf2", "wf3"};
const std::vector<std::string> kJobs = {"J1", "J2", "J3", "J4"};
const std::vector<std::string> kCrawlers = {"C1", "C2"};
const std::vector<std::string> kTriggers = {"T1", "T2", "T3", "T4", "T5", "T6"};
const std::vector<std::string> kBlueprints = {"bp-good", "bp-bad"};

json blueprint_layouts() {
  const json good = {
      {"ParameterSpec", {{"Name", {{"Type", "String"}, {"DefaultValue", "wf3"}}}}},
      {"Workflow", {{"Name", "${Name}"}}},
      {"Jobs",
       {{{"Name", "${Name}-job"},
         {"Role", kRole},
         {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/bp.py"}}}}}},
      {"Triggers",
       {{{"Name", "${Name}-start"},
         {"WorkflowName", "${Name}"},
         {"Type", "ON_DEMAND"},
         {"Actions", {{{"JobName", "${Name}-job"}}}}}}}};
  const json bad = {
      {"Workflow", {{"Name", "wf2"}}},
      {"Triggers", {{{"Name", "bad-trigger"}, {"Type", "SCHEDULED"}, {"Actions", json::array()}}}}};
  return {{"s3://blueprints/good/layout.json", good.dump()},
          {"s3://blueprints/bad/layout.json", bad.dump()}};
}

class GlueGenerator final : public RequestGenerator {
 public:
  std::string service() const override { return "glue"; }

  // Every operation with a builder, in name order.
  std::vector<std::string> operations() const override {
    std::vector<std::string> names;
    for (const auto& [name, builder] : builders()) names.push_back(name);
    return names;
  }

  std::vector<std::string> creating_operations() const override {
    return {"CreateWorkflow", "CreateJob",        "CreateJob",   "CreateTrigger",
            "CreateTrigger",  "CreateCrawler",    "StartWorkflowRun", "StartWorkflowRun",
            "StartJobRun",    "StartTrigger",     "CreateBlueprint",  "StartBlueprintRun"};
  }

  json world_config() const override {
    return {
        {"objects", blueprint_layouts()},
        {"profiles",
         {{"glue",
           {{"job", {{"duration", {{"uniform", {30, 600}}}}}},
            {"jobs",
             {{"J2", {{"outcome", {"FAILED", "SUCCEEDED"}}}},
              {"J3", {{"outcome", {{"fail", "1/3"}, {"timeout", "1/10"}}}}}}},
            {"crawler", {{"duration", {{"uniform", {20, 120}}}}}},
            {"crawlers", {{"C2", {{"outcome", {{"fail", "1/2"}}}}}}}}}}},
        {"services",
         {{"glue",
           {{"quotas",
             {{"concurrent_job_runs", 6}, {"jobs_per_trigger", 3}, {"crawlers_per_trigger", 2}}},
            {"timings", {{"blueprint_creation", 5}, {"blueprint_run", 30}}}}}}}};
  }

  GeneratedCall valid_call(std::string_view operation, sim::Rng& rng) override {
    GeneratedCall call;
    call.operation = std::string(operation);
    const auto found = builders().find(call.operation);
    if (found != builders().end()) (this->*(found->second))(call, rng);
    return call;
  }

  void observe(const GeneratedCall& call, const models::JsonOutcome& outcome,
               const scenarios::Bindings& bindings) override {
    pools_.settle(call, bindings);
    if (!outcome.ok() || !call.request.is_object()) return;
    const bool creates = call.operation.rfind("Create", 0) == 0;
    const bool deletes = call.operation.rfind("Delete", 0) == 0;
    if (!creates && !deletes) return;
    const std::string kind = kind_of(call.operation.substr(6));
    const json name = call.request.value(kind == "job" && deletes ? "JobName" : "Name", json());
    if (kind.empty() || !name.is_string()) return;
    if (creates) {
      existing_[kind].insert(name.get<std::string>());
    } else {
      existing_[kind].erase(name.get<std::string>());
    }
  }

 private:
  using Builder = void (GlueGenerator::*)(GeneratedCall&, sim::Rng&);

  static const std::map<std::string, Builder>& builders() {
    static const std::map<std::string, Builder> kBuilders = {
        {"CreateWorkflow", &GlueGenerator::create_workflow},
        {"UpdateWorkflow", &GlueGenerator::update_workflow},
        {"DeleteWorkflow", &GlueGenerator::workflow_by_name},
        {"GetWorkflow", &GlueGenerator::get_workflow},
        {"ListWorkflows", &GlueGenerator::plain_list},
        {"BatchGetWorkflows", &GlueGenerator::batch_get_workflows},
        {"StartWorkflowRun", &GlueGenerator::start_workflow_run},
        {"GetWorkflowRun", &GlueGenerator::get_workflow_run},
        {"GetWorkflowRuns", &GlueGenerator::get_workflow_runs},
        {"GetWorkflowRunProperties", &GlueGenerator::run_request},
        {"PutWorkflowRunProperties", &GlueGenerator::put_run_properties},
        {"StopWorkflowRun", &GlueGenerator::run_request},
        {"ResumeWorkflowRun", &GlueGenerator::resume_workflow_run},
        {"CreateTrigger", &GlueGenerator::create_trigger},
        {"UpdateTrigger", &GlueGenerator::update_trigger},
        {"GetTrigger", &GlueGenerator::trigger_by_name},
        {"DeleteTrigger", &GlueGenerator::trigger_by_name},
        {"StartTrigger", &GlueGenerator::trigger_by_name},
        {"StopTrigger", &GlueGenerator::trigger_by_name},
        {"GetTriggers", &GlueGenerator::trigger_list},
        {"ListTriggers", &GlueGenerator::trigger_list},
        {"BatchGetTriggers", &GlueGenerator::batch_get_triggers},
        {"NotifyEvent", &GlueGenerator::notify_event},
        {"CreateJob", &GlueGenerator::create_job},
        {"GetJob", &GlueGenerator::job_by_name},
        {"DeleteJob", &GlueGenerator::job_by_name},
        {"StartJobRun", &GlueGenerator::start_job_run},
        {"GetJobRun", &GlueGenerator::get_job_run},
        {"GetJobRuns", &GlueGenerator::get_job_runs},
        {"BatchStopJobRun", &GlueGenerator::batch_stop_job_run},
        {"CreateCrawler", &GlueGenerator::create_crawler},
        {"GetCrawler", &GlueGenerator::crawler_by_name},
        {"DeleteCrawler", &GlueGenerator::crawler_by_name},
        {"StartCrawler", &GlueGenerator::crawler_by_name},
        {"StopCrawler", &GlueGenerator::crawler_by_name},
        {"CreateBlueprint", &GlueGenerator::create_blueprint},
        {"UpdateBlueprint", &GlueGenerator::create_blueprint},
        {"DeleteBlueprint", &GlueGenerator::blueprint_by_name},
        {"GetBlueprint", &GlueGenerator::get_blueprint},
        {"ListBlueprints", &GlueGenerator::plain_list},
        {"BatchGetBlueprints", &GlueGenerator::batch_get_blueprints},
        {"StartBlueprintRun", &GlueGenerator::start_blueprint_run},
        {"GetBlueprintRun", &GlueGenerator::get_blueprint_run},
        {"GetBlueprintRuns", &GlueGenerator::get_blueprint_runs},
        {"TagResource", &GlueGenerator::tag_resource},
        {"UntagResource", &GlueGenerator::untag_resource},
        {"GetTags", &GlueGenerator::get_tags},
    };
    return kBuilders;
  }

  // --- names and shared pieces -------------------------------------------------------------

  static std::string kind_of(const std::string& resource) {
    if (resource == "Workflow") return "workflow";
    if (resource == "Job") return "job";
    if (resource == "Crawler") return "crawler";
    if (resource == "Trigger") return "trigger";
    if (resource == "Blueprint") return "blueprint";
    return "";
  }

  static const std::vector<std::string>& all_names(const std::string& kind) {
    if (kind == "workflow") return kWorkflows;
    if (kind == "job") return kJobs;
    if (kind == "crawler") return kCrawlers;
    if (kind == "trigger") return kTriggers;
    return kBlueprints;
  }

  // A name of `kind` that was created and not deleted since, three times in four; else any
  // name of the set (which may not exist).
  std::string existing(sim::Rng& rng, const std::string& kind) {
    const std::set<std::string>& names = existing_[kind];
    if (names.empty() || one_in(rng, 4)) return pick(rng, all_names(kind));
    auto it = names.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(rng.choice(names.size())));
    return *it;
  }

  std::string action_target_job(sim::Rng& rng) {
    return one_in(rng, 10) ? std::string("J-gone") : existing(rng, "job");
  }

  json tags(sim::Rng& rng) {
    static const std::vector<std::string> kKeys = {"team", "env", "owner"};
    json tags = json::object();
    for (std::size_t i = rng.choice(3); i > 0; --i)
      tags[pick(rng, kKeys)] = "v" + std::to_string(rng.choice(3));
    return tags;
  }

  json run_properties(sim::Rng& rng) {
    json properties = json::object();
    for (std::size_t i = rng.uniform(1, 3); i > 0; --i) {
      properties["key" + std::to_string(rng.choice(4))] = "value" + std::to_string(rng.choice(9));
    }
    return properties;
  }

  json actions(sim::Rng& rng) {
    json actions = json::array();
    for (std::size_t i = rng.uniform(1, 2); i > 0; --i) {
      json action = one_in(rng, 5) ? json{{"CrawlerName", existing(rng, "crawler")}}
                                   : json{{"JobName", action_target_job(rng)}};
      if (one_in(rng, 5)) action["Timeout"] = rng.uniform(1, 30);
      if (one_in(rng, 5)) action["Arguments"] = {{"--day", "monday"}};
      actions.push_back(action);
    }
    return actions;
  }

  json predicate(sim::Rng& rng) {
    static const std::vector<std::string> kJobStates = {"SUCCEEDED", "FAILED", "TIMEOUT",
                                                        "STOPPED"};
    static const std::vector<std::string> kCrawlStates = {"SUCCEEDED", "FAILED", "CANCELLED"};
    json conditions = json::array();
    for (std::size_t i = rng.uniform(1, 2); i > 0; --i) {
      if (one_in(rng, 4)) {
        conditions.push_back({{"LogicalOperator", "EQUALS"},
                              {"CrawlerName", existing(rng, "crawler")},
                              {"CrawlState", pick(rng, kCrawlStates)}});
      } else {
        conditions.push_back({{"LogicalOperator", "EQUALS"},
                              {"JobName", existing(rng, "job")},
                              {"State", pick(rng, kJobStates)}});
      }
    }
    json predicate = {{"Conditions", conditions}};
    if (conditions.size() > 1 || one_in(rng, 2))
      predicate["Logical"] = one_in(rng, 2) ? "AND" : "ANY";
    return predicate;
  }

  std::string schedule(sim::Rng& rng) {
    static const std::vector<std::string> kSchedules = {"cron(0/15 * * * ? *)", "cron(0 6 * * ? *)",
                                                        "cron(30 2 ? * MON *)"};
    return pick(rng, kSchedules);
  }

  void page(GeneratedCall& call, sim::Rng& rng, json base, std::uint64_t max_page) {
    page_request(pools_, call, rng, std::move(base), max_page, "not-a-token");
  }

  // A saved workflow run: {"workflow": name, "run": "${runN}"}, or one that does not exist.
  json workflow_run(sim::Rng& rng) {
    const auto& runs = pools_.pool("run");
    if (runs.empty() || one_in(rng, 15)) {
      return {{"workflow", existing(rng, "workflow")}, {"run", "wr_0000000000000000"}};
    }
    const PendingSave& run = pick(rng, runs);
    return {{"workflow", run.context["workflow"]}, {"run", reference(run.name)}};
  }

  std::string glue_arn(sim::Rng& rng) {
    switch (rng.choice(6)) {
      case 0:
        return "arn:aws:glue:us-east-1:111122223333:job/" + existing(rng, "job");
      case 1:
        return "arn:aws:glue:us-east-1:111122223333:trigger/" + existing(rng, "trigger");
      case 2:
        return "arn:aws:glue:us-east-1:111122223333:crawler/" + existing(rng, "crawler");
      case 3:
        return "arn:aws:glue:us-east-1:111122223333:blueprint/" + existing(rng, "blueprint");
      case 4:
        return "arn:aws:glue:eu-west-1:999999999999:workflow/" + existing(rng, "workflow");
      default:
        return "arn:aws:glue:us-east-1:111122223333:workflow/" + existing(rng, "workflow");
    }
  }

  // --- workflows ---------------------------------------------------------------------------

  void create_workflow(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", pick(rng, kWorkflows)}};
    if (one_in(rng, 3)) call.request["MaxConcurrentRuns"] = rng.uniform(1, 3);
    if (one_in(rng, 3)) call.request["DefaultRunProperties"] = run_properties(rng);
    if (one_in(rng, 4)) call.request["Tags"] = tags(rng);
    if (one_in(rng, 5)) call.request["Description"] = "fuzzed";
  }

  void update_workflow(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "workflow")}};
    if (one_in(rng, 2)) call.request["MaxConcurrentRuns"] = rng.uniform(1, 3);
    if (one_in(rng, 3)) call.request["DefaultRunProperties"] = run_properties(rng);
    if (one_in(rng, 3)) call.request["Description"] = "updated";
  }

  void workflow_by_name(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "workflow")}};
  }

  void get_workflow(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "workflow")}, {"IncludeGraph", one_in(rng, 2)}};
  }

  void plain_list(GeneratedCall& call, sim::Rng& rng) { page(call, rng, json::object(), 25); }

  void batch_get_workflows(GeneratedCall& call, sim::Rng& rng) {
    json names = json::array();
    for (std::size_t i = rng.uniform(1, 3); i > 0; --i)
      names.push_back(one_in(rng, 5) ? "nope" : existing(rng, "workflow"));
    call.request = {{"Names", names}, {"IncludeGraph", one_in(rng, 2)}};
  }

  void start_workflow_run(GeneratedCall& call, sim::Rng& rng) {
    const std::string workflow = existing(rng, "workflow");
    call.request = {{"Name", workflow}};
    if (one_in(rng, 3)) call.request["RunProperties"] = run_properties(rng);
    pools_.expect(call, "run", "/RunId", {{"workflow", workflow}});
  }

  void get_workflow_run(GeneratedCall& call, sim::Rng& rng) {
    const json run = workflow_run(rng);
    call.request = {
        {"Name", run["workflow"]}, {"RunId", run["run"]}, {"IncludeGraph", one_in(rng, 2)}};
    // Node ids for ResumeWorkflowRun come from the run's graph.
    const std::string node = "/Run/Graph/Nodes/" + std::to_string(rng.choice(4)) + "/UniqueId";
    pools_.expect(call, "node", node, run);
  }

  void get_workflow_runs(GeneratedCall& call, sim::Rng& rng) {
    const std::string workflow = existing(rng, "workflow");
    json base = {{"Name", workflow}};
    if (one_in(rng, 3)) base["IncludeGraph"] = true;
    page(call, rng, base, 5);
    pools_.expect(call, "run", "/Runs/" + std::to_string(rng.choice(3)) + "/WorkflowRunId",
                  {{"workflow", workflow}});
  }

  void run_request(GeneratedCall& call, sim::Rng& rng) {
    const json run = workflow_run(rng);
    call.request = {{"Name", run["workflow"]}, {"RunId", run["run"]}};
  }

  void put_run_properties(GeneratedCall& call, sim::Rng& rng) {
    run_request(call, rng);
    call.request["RunProperties"] = run_properties(rng);
  }

  void resume_workflow_run(GeneratedCall& call, sim::Rng& rng) {
    const auto& nodes = pools_.pool("node");
    json run = workflow_run(rng);
    json node_ids = json::array({"node-that-does-not-exist"});
    if (!nodes.empty() && !one_in(rng, 10)) {
      const PendingSave& node = pick(rng, nodes);
      run = node.context;
      node_ids = json::array({reference(node.name)});
    }
    call.request = {{"Name", run["workflow"]}, {"RunId", run["run"]}, {"NodeIds", node_ids}};
    pools_.expect(call, "run", "/RunId", {{"workflow", run["workflow"]}});
  }

  // --- triggers ----------------------------------------------------------------------------

  void create_trigger(GeneratedCall& call, sim::Rng& rng) {
    static const std::vector<std::string> kTypes = {"ON_DEMAND",   "ON_DEMAND", "SCHEDULED",
                                                    "CONDITIONAL", "CONDITIONAL", "EVENT"};
    const std::string type = pick(rng, kTypes);
    call.request = {{"Name", pick(rng, kTriggers)}, {"Type", type}, {"Actions", actions(rng)}};
    if (type == "EVENT" || !one_in(rng, 4))
      call.request["WorkflowName"] = existing(rng, "workflow");
    if (type == "SCHEDULED") call.request["Schedule"] = schedule(rng);
    if (type == "CONDITIONAL") call.request["Predicate"] = predicate(rng);
    if (type == "EVENT" && one_in(rng, 2)) {
      call.request["EventBatchingCondition"] = {{"BatchSize", rng.uniform(1, 3)},
                                                {"BatchWindow", rng.uniform(1, 900)}};
    }
    if (type != "ON_DEMAND" && !one_in(rng, 4)) call.request["StartOnCreation"] = true;
    if (one_in(rng, 5)) call.request["Tags"] = tags(rng);
  }

  void update_trigger(GeneratedCall& call, sim::Rng& rng) {
    json update = json::object();
    if (one_in(rng, 2)) update["Actions"] = actions(rng);
    if (one_in(rng, 3)) update["Predicate"] = predicate(rng);
    if (one_in(rng, 3)) update["Schedule"] = schedule(rng);
    if (one_in(rng, 3)) update["Description"] = "updated";
    call.request = {{"Name", existing(rng, "trigger")}, {"TriggerUpdate", update}};
  }

  void trigger_by_name(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "trigger")}};
  }

  void trigger_list(GeneratedCall& call, sim::Rng& rng) {
    json base = json::object();
    if (one_in(rng, 3)) base["DependentJobName"] = existing(rng, "job");
    if (call.operation == "ListTriggers" && one_in(rng, 4)) base["Tags"] = tags(rng);
    page(call, rng, base, 4);
  }

  void batch_get_triggers(GeneratedCall& call, sim::Rng& rng) {
    json names = json::array();
    for (std::size_t i = rng.uniform(1, 3); i > 0; --i) names.push_back(existing(rng, "trigger"));
    call.request = {{"TriggerNames", names}};
  }

  void notify_event(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"TriggerName", existing(rng, "trigger")}};
    if (one_in(rng, 2)) call.request["Count"] = rng.uniform(1, 5);
  }

  // --- jobs and crawlers -------------------------------------------------------------------

  void create_job(GeneratedCall& call, sim::Rng& rng) {
    const std::string name = pick(rng, kJobs);
    call.request = {
        {"Name", name},
        {"Role", kRole},
        {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/" + name + ".py"}}}};
    if (one_in(rng, 2)) call.request["MaxRetries"] = rng.uniform(0, 2);
    if (one_in(rng, 3)) call.request["Timeout"] = rng.uniform(1, 20);
    if (one_in(rng, 3))
      call.request["ExecutionProperty"] = {{"MaxConcurrentRuns", rng.uniform(1, 3)}};
    if (one_in(rng, 5)) call.request["JobRunQueuingEnabled"] = true;
    if (one_in(rng, 5)) call.request["DefaultArguments"] = {{"--mode", "full"}};
  }

  void job_by_name(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"JobName", existing(rng, "job")}};
  }

  void start_job_run(GeneratedCall& call, sim::Rng& rng) {
    const std::string job = existing(rng, "job");
    call.request = {{"JobName", job}};
    if (one_in(rng, 3)) call.request["Arguments"] = {{"--day", "tuesday"}};
    if (one_in(rng, 4)) call.request["Timeout"] = rng.uniform(1, 20);
    if (one_in(rng, 6)) call.request["JobRunQueuingEnabled"] = true;
    pools_.expect(call, "job-run", "/JobRunId", {{"job", job}});
  }

  json job_run(sim::Rng& rng) {
    const auto& runs = pools_.pool("job-run");
    if (runs.empty() || one_in(rng, 15)) return {{"job", existing(rng, "job")}, {"run", "jr_0"}};
    const PendingSave& run = pick(rng, runs);
    return {{"job", run.context["job"]}, {"run", reference(run.name)}};
  }

  void get_job_run(GeneratedCall& call, sim::Rng& rng) {
    const json run = job_run(rng);
    call.request = {{"JobName", run["job"]}, {"RunId", run["run"]}};
    if (one_in(rng, 3)) call.request["PredecessorsIncluded"] = true;
  }

  void get_job_runs(GeneratedCall& call, sim::Rng& rng) {
    const std::string job = existing(rng, "job");
    page(call, rng, {{"JobName", job}}, 5);
    pools_.expect(call, "job-run", "/JobRuns/" + std::to_string(rng.choice(3)) + "/Id",
                  {{"job", job}});
  }

  void batch_stop_job_run(GeneratedCall& call, sim::Rng& rng) {
    const json run = job_run(rng);
    call.request = {{"JobName", run["job"]}, {"JobRunIds", json::array({run["run"]})}};
    if (one_in(rng, 3)) call.request["JobRunIds"].push_back("jr_unknown");
  }

  void create_crawler(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", pick(rng, kCrawlers)},
                    {"Role", kRole},
                    {"Targets", {{"S3Targets", {{{"Path", "s3://raw/data/"}}}}}}};
    if (one_in(rng, 2)) call.request["DatabaseName"] = "raw";
    if (one_in(rng, 5)) call.request["Schedule"] = schedule(rng);
  }

  void crawler_by_name(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "crawler")}};
  }

  // --- blueprints --------------------------------------------------------------------------

  void create_blueprint(GeneratedCall& call, sim::Rng& rng) {
    static const std::vector<std::string> kLocations = {"s3://blueprints/good/layout.json",
                                                        "s3://blueprints/bad/layout.json",
                                                        "s3://blueprints/none/layout.json"};
    call.request = {{"Name", pick(rng, kBlueprints)}, {"BlueprintLocation", pick(rng, kLocations)}};
    if (one_in(rng, 3)) call.request["Description"] = "fuzzed blueprint";
  }

  void blueprint_by_name(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "blueprint")}};
  }

  void get_blueprint(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Name", existing(rng, "blueprint")},
                    {"IncludeBlueprint", one_in(rng, 2)},
                    {"IncludeParameterSpec", one_in(rng, 2)}};
  }

  void batch_get_blueprints(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"Names", json::array({existing(rng, "blueprint"), "bp-none"})}};
  }

  void start_blueprint_run(GeneratedCall& call, sim::Rng& rng) {
    const std::string blueprint = existing(rng, "blueprint");
    call.request = {{"BlueprintName", blueprint}, {"RoleArn", kRole}};
    if (one_in(rng, 2))
      call.request["Parameters"] = json{{"Name", existing(rng, "workflow")}}.dump();
    pools_.expect(call, "blueprint-run", "/RunId", {{"blueprint", blueprint}});
  }

  void get_blueprint_run(GeneratedCall& call, sim::Rng& rng) {
    const auto& runs = pools_.pool("blueprint-run");
    if (runs.empty() || one_in(rng, 10)) {
      call.request = {{"BlueprintName", existing(rng, "blueprint")}, {"RunId", "br_0"}};
      return;
    }
    const PendingSave& run = pick(rng, runs);
    call.request = {{"BlueprintName", run.context["blueprint"]}, {"RunId", reference(run.name)}};
  }

  void get_blueprint_runs(GeneratedCall& call, sim::Rng& rng) {
    page(call, rng, {{"BlueprintName", existing(rng, "blueprint")}}, 3);
  }

  // --- tags --------------------------------------------------------------------------------

  void tag_resource(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"ResourceArn", glue_arn(rng)}, {"TagsToAdd", tags(rng)}};
  }

  void untag_resource(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"ResourceArn", glue_arn(rng)}, {"TagsToRemove", json::array({"team", "env"})}};
  }

  void get_tags(GeneratedCall& call, sim::Rng& rng) {
    call.request = {{"ResourceArn", glue_arn(rng)}};
  }

  SavedPools pools_;
  std::map<std::string, std::set<std::string>> existing_;  // kind -> names alive
};

}  // namespace

std::unique_ptr<RequestGenerator> make_glue_generator() {
  return std::make_unique<GlueGenerator>();
}

}  // namespace wfsim::properties
