// A RapidCheck property over the whole MWAA Serverless service: random sequences of valid
// and invalid calls and clock advances never throw, a rejected call changes nothing (a full
// dump of every List*/Get* answer is the same before and after it), and every invariant of
// the service's catalogue holds after every step.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/models/mwaa_serverless/service_fixture.hpp"

namespace wfsim::models::mwaa::testing {
namespace {

const char* kFakeArn =
    "arn:aws:airflow-serverless:us-east-1:111122223333:workflow/ghost-0123456789";

const json kConfig = {{"quotas",
                       {{"workflows_per_account", 3},
                        {"versions_per_workflow", 3},
                        {"concurrent_runs_per_workflow", 2},
                        {"concurrent_runs_per_account", 3}}},
                      {"timings", {{"run_timeout", "PT1H"}}}};
const json kProfiles = {{"task",
                         {{"duration", {{"uniform", {10, 900}}}},
                          {"outcome", {{"fail", "1/5"}, {"timeout", "1/10"}}}}}};

void put_definitions(MwaaWorld& world) {
  world.put("chain.yaml",
            dag_yaml("chain", {{"a", "      retries: 1\n      retry_delay: 20\n"},
                               {"b",
                                "      dependencies: [a]\n      execution_timeout:\n"
                                "        __type__: datetime.timedelta\n        minutes: 10\n"},
                               {"c", "      dependencies: [b]\n      trigger_rule: all_done\n"}}));
  world.put("sched.yaml",
            dag_yaml("sched",
                     {{"x", "      retries: 0\n"},
                      {"y", "      dependencies: [x]\n      trigger_rule: one_failed\n"}},
                     "  schedule: \"*/30 * * * *\"\n"));
  world.put("templ.yaml", "templ:\n  params:\n    p: 1\n  tasks:\n    echo:\n      operator: " +
                              std::string(kBash) +
                              "\n      bash_command: \"echo {{ params.p }}\"\n");
  world.put("broken.yaml", "broken:\n  tasks:\n    echo:\n      operator: " + std::string(kBash) +
                               "\n      bash_command: \"echo {{ params.p\"\n");
  world.put("bad.yaml", "bad:\n  tasks: []\n");
}

// Every item of a paginated list, following NextToken.
json list_all(MwaaWorld& world, const std::string& operation, json request,
              const std::string& items) {
  json out = json::array();
  request["MaxResults"] = 100;
  for (;;) {
    const JsonOutcome page = world.call(operation, request);
    if (!page.ok()) return page.error().body();
    for (const auto& item : page.value()[items]) out.push_back(item);
    if (!page.value().contains("NextToken")) return out;
    request["NextToken"] = page.value()["NextToken"];
  }
}

json answer(MwaaWorld& world, const std::string& operation, const json& request) {
  const JsonOutcome outcome = world.call(operation, request);
  return outcome.ok() ? outcome.value() : outcome.error().body();
}

json dump_run(MwaaWorld& world, const std::string& arn, const std::string& run_id) {
  const json run = answer(world, "GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", run_id}});
  json instances = json::array();
  for (const auto& id : run["RunDetail"]["TaskInstances"]) {
    instances.push_back(answer(world, "GetTaskInstance",
                               {{"WorkflowArn", arn}, {"RunId", run_id}, {"TaskInstanceId", id}}));
  }
  return {{"run", run},
          {"instances", instances},
          {"list", list_all(world, "ListTaskInstances", {{"WorkflowArn", arn}, {"RunId", run_id}},
                            "TaskInstances")}};
}

json dump(MwaaWorld& world) {
  json out = json::array();
  for (const auto& summary : list_all(world, "ListWorkflows", json::object(), "Workflows")) {
    const std::string arn = summary["WorkflowArn"];
    json runs = json::array();
    const json run_list =
        list_all(world, "ListWorkflowRuns", {{"WorkflowArn", arn}}, "WorkflowRuns");
    for (const auto& run : run_list) runs.push_back(dump_run(world, arn, run["RunId"]));
    out.push_back({{"summary", summary},
                   {"workflow", answer(world, "GetWorkflow", {{"WorkflowArn", arn}})},
                   {"versions", list_all(world, "ListWorkflowVersions", {{"WorkflowArn", arn}},
                                         "WorkflowVersions")},
                   {"tags", answer(world, "ListTagsForResource", {{"ResourceArn", arn}})},
                   {"run_list", run_list},
                   {"runs", runs}});
  }
  return out;
}

template <class T>
const T& pick(const std::vector<T>& options) {
  return options[*rc::gen::inRange<std::size_t>(0, options.size())];
}

json junk() {
  static const std::vector<json> values = {nullptr,
                                           0,
                                           -1,
                                           101,
                                           "",
                                           "x",
                                           "two\nlines",
                                           json::array(),
                                           json::object(),
                                           json{{"a", 1}},
                                           true,
                                           std::string(300, 'z'),
                                           "arn:aws:airflow-serverless:us-east-1:1:workflow/x"};
  return pick(values);
}

// The ARNs, version ids, run ids and task instance ids a request may name: the live ones
// and a few that do not exist.
struct Names {
  std::vector<std::string> arns{kFakeArn};
  std::vector<std::string> versions{std::string(32, 'a'), "not-a-version"};
  std::vector<std::string> runs{"ghostrun"};
  std::vector<std::string> instances{"ex_none_a_1"};
};

Names names_in(const json& state) {
  Names names;
  for (const auto& workflow : state) {
    names.arns.push_back(workflow["summary"]["WorkflowArn"]);
    for (const auto& version : workflow["versions"])
      names.versions.push_back(version["WorkflowVersion"]);
    for (const auto& run : workflow["runs"]) {
      names.runs.push_back(run["run"]["RunId"]);
      for (const auto& id : run["run"]["RunDetail"]["TaskInstances"]) names.instances.push_back(id);
    }
  }
  return names;
}

void maybe(json& request, const std::string& member, const json& value) {
  if (*rc::gen::inRange(0, 2) == 0) request[member] = value;
}

void rarely(json& request, const std::string& member, const json& value) {
  if (*rc::gen::inRange(0, 5) == 0) request[member] = value;
}

json location() {
  return {
      {"Bucket", kBucket},
      {"ObjectKey", pick<std::string>({"chain.yaml", "chain.yaml", "sched.yaml", "sched.yaml",
                                       "templ.yaml", "broken.yaml", "bad.yaml", "missing.yaml"})}};
}

json request_for(const std::string& operation, const Names& names) {
  json request = json::object();
  const std::string arn = names.arns.size() > 1 && *rc::gen::inRange(0, 8) != 0
                              ? names.arns[*rc::gen::inRange<std::size_t>(1, names.arns.size())]
                              : names.arns[0];
  if (operation == "CreateWorkflow" || operation == "UpdateWorkflow") {
    if (operation == "CreateWorkflow")
      request["Name"] = pick<std::string>({"w0", "w1", "w2", "w3", "bad name"});
    if (operation == "UpdateWorkflow") request["WorkflowArn"] = arn;
    request["DefinitionS3Location"] = location();
    request["RoleArn"] = kRole;
    maybe(request, "TriggerMode",
          pick<std::string>({"SCHEDULED", "MANUAL", "DISABLED", "sometimes"}));
    if (operation == "CreateWorkflow")
      maybe(request, "ClientToken", pick<std::string>({"t1", "t2"}));
    if (operation == "CreateWorkflow")
      maybe(request, "Tags", json{{"k", pick<std::string>({"a", "b"})}});
  } else if (operation == "StartWorkflowRun") {
    request["WorkflowArn"] = arn;
    maybe(request, "ClientToken", pick<std::string>({"s1", "s2"}));
    maybe(request, "OverrideParameters", json{{"p", *rc::gen::inRange(0, 3)}});
    rarely(request, "WorkflowVersion", pick(names.versions));
  } else if (operation == "GetWorkflow" || operation == "DeleteWorkflow") {
    request["WorkflowArn"] = arn;
    maybe(request, "WorkflowVersion", pick(names.versions));
  } else if (operation == "TagResource" || operation == "UntagResource" ||
             operation == "ListTagsForResource") {
    request["ResourceArn"] = arn;
    request["Tags"] = {{pick<std::string>({"k", "j"}), "v"}};
    request["TagKeys"] = {pick<std::string>({"k", "j"})};
  } else if (operation != "ListWorkflows") {
    request["WorkflowArn"] = arn;
    request["RunId"] = names.runs.size() > 1 && *rc::gen::inRange(0, 8) != 0
                           ? names.runs[*rc::gen::inRange<std::size_t>(1, names.runs.size())]
                           : names.runs[0];
    request["TaskInstanceId"] = pick(names.instances);
    rarely(request, "WorkflowVersion", pick(names.versions));
  }
  maybe(request, "MaxResults", *rc::gen::inRange(0, 4));
  // One member in four is replaced by junk or removed, so invalid requests are common.
  if (!request.empty() && *rc::gen::inRange(0, 4) == 0) {
    auto member = request.begin();
    std::advance(member, *rc::gen::inRange<std::size_t>(0, request.size()));
    if (*rc::gen::inRange(0, 2) == 0) {
      *member = junk();
    } else {
      request.erase(member);
    }
  }
  return request;
}

// Operations that change state are listed more than once, so that they are drawn more often.
const std::vector<std::string> kOperations = {
    "CreateWorkflow",       "CreateWorkflow",     "CreateWorkflow",    "GetWorkflow",
    "UpdateWorkflow",       "UpdateWorkflow",     "DeleteWorkflow",    "ListWorkflows",
    "ListWorkflowVersions", "StartWorkflowRun",   "StartWorkflowRun",  "StartWorkflowRun",
    "StartWorkflowRun",     "GetWorkflowRun",     "StopWorkflowRun",   "StopWorkflowRun",
    "ListWorkflowRuns",     "GetTaskInstance",    "ListTaskInstances", "TagResource",
    "UntagResource",        "ListTagsForResource"};

RC_GTEST_PROP(MwaaProperties, RandomCallsKeepInvariantsAndRejectedCallsChangeNothing, ()) {
  MwaaWorld world(kConfig, kProfiles, *rc::gen::inRange<std::uint64_t>(1, 1000),
                  sim::TraceOptions{false, true});
  put_definitions(world);
  world.create("seed", chain_yaml("seed"));
  const int steps = *rc::gen::inRange(1, 60);
  for (int step = 0; step < steps; ++step) {
    if (*rc::gen::inRange(0, 4) == 0) {
      world.advance(pick<sim::DurationUs>(
          {0, sim::seconds(1), sim::seconds(30), sim::minutes(5), sim::hours(1), sim::hours(3)}));
    } else {
      const json before = dump(world);
      const std::string operation = *rc::gen::inRange(0, 20) == 0 ? "Describe" : pick(kOperations);
      const json request = request_for(operation, names_in(before));
      const JsonOutcome outcome = world.call(operation, request);
      if (!outcome.ok()) {
        // The service answers an exception it caught with a 500; none may happen here.
        RC_ASSERT(outcome.error().code != "InternalServerException");
        RC_ASSERT(outcome.error().http_status >= 400);
        RC_ASSERT(!outcome.error().message.empty());
        if (dump(world) != before) {
          RC_FAIL("rejected " + operation + " " + request.dump() +
                  " changed the state: " + outcome.error().body().dump());
        }
      }
    }
    for (const auto& violation : world.service->check_invariants()) {
      RC_FAIL("invariant " + violation.invariant + ": " + violation.detail);
    }
  }
  // Schedules fire for ever, so the end is a long advance rather than an idle scheduler.
  world.advance(sim::hours(6));
  RC_ASSERT(world.service->check_invariants().empty());
}

}  // namespace
}  // namespace wfsim::models::mwaa::testing
