// Read views of the Glue service for the sequence properties: every Get/List/Batch answer for
// a set of known names, taken straight from the service (no fault plan, no trace record), and
// the checks that read them: statistics recounted from a run's graph, the runs that count
// against MaxConcurrentRuns, and the job runs and crawls each node of a run holds.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "models/common/service.hpp"

namespace wfsim::models::glue::testing {

using nlohmann::json;

// The names a view asks about: the generated ones and a few that never exist.
struct KnownNames {
  std::vector<std::string> workflows;
  std::vector<std::string> triggers;
  std::vector<std::string> jobs;
  std::vector<std::string> crawlers;
};

inline json answer(Service& glue, const std::string& operation, const json& request) {
  const JsonOutcome outcome = glue.call(operation, request);
  return outcome.ok() ? outcome.value() : outcome.error().body();
}

// Every page of a paginated answer, the pages' `items` concatenated.
inline json all_pages(Service& glue, const std::string& operation, json request,
                      const std::string& items) {
  json out = json::array();
  for (int page = 0; page < 1000; ++page) {
    const JsonOutcome outcome = glue.call(operation, request);
    if (!outcome.ok()) return outcome.error().body();
    for (const auto& item : outcome.value()[items]) out.push_back(item);
    if (!outcome.value().contains("NextToken")) return out;
    request["NextToken"] = outcome.value()["NextToken"];
  }
  return out;
}

// The runs of a workflow with their graphs, newest first (an error body when it is unknown).
inline json runs_of(Service& glue, const std::string& workflow) {
  return all_pages(glue, "GetWorkflowRuns",
                   {{"Name", workflow}, {"IncludeGraph", true}, {"MaxResults", 1000}}, "Runs");
}

// Everything the read operations say about the known names.
inline json read_view(Service& glue, const KnownNames& names) {
  json view = {
      {"ListWorkflows", all_pages(glue, "ListWorkflows", json::object(), "Workflows")},
      {"GetTriggers", all_pages(glue, "GetTriggers", {{"MaxResults", 200}}, "Triggers")},
      {"ListTriggers", all_pages(glue, "ListTriggers", json::object(), "TriggerNames")},
      {"BatchGetWorkflows",
       answer(glue, "BatchGetWorkflows", {{"Names", names.workflows}, {"IncludeGraph", true}})},
      {"BatchGetTriggers", answer(glue, "BatchGetTriggers", {{"TriggerNames", names.triggers}})}};
  for (const auto& name : names.workflows) {
    json runs = runs_of(glue, name);
    json properties = json::object();
    if (runs.is_array()) {
      for (const auto& run : runs) {
        const std::string id = run["WorkflowRunId"];
        properties[id] = answer(glue, "GetWorkflowRunProperties", {{"Name", name}, {"RunId", id}});
      }
    }
    view["workflows"][name] = {
        {"GetWorkflow", answer(glue, "GetWorkflow", {{"Name", name}, {"IncludeGraph", true}})},
        {"GetWorkflowRuns", std::move(runs)},
        {"GetWorkflowRunProperties", std::move(properties)}};
  }
  for (const auto& name : names.triggers) {
    view["triggers"][name] = answer(glue, "GetTrigger", {{"Name", name}});
  }
  for (const auto& name : names.jobs) {
    view["jobs"][name] = {
        {"GetJob", answer(glue, "GetJob", {{"JobName", name}})},
        {"GetJobRuns", all_pages(glue, "GetJobRuns", {{"JobName", name}}, "JobRuns")},
        {"GetTriggers", all_pages(glue, "GetTriggers", {{"DependentJobName", name}}, "Triggers")}};
  }
  for (const auto& name : names.crawlers) {
    view["crawlers"][name] = answer(glue, "GetCrawler", {{"Name", name}});
  }
  return view;
}

// The runs of `workflow` in a view, by run id (empty when the workflow is unknown).
inline std::map<std::string, json> runs_in(const json& view, const std::string& workflow) {
  std::map<std::string, json> out;
  const json runs = view.value("workflows", json::object())
                        .value(workflow, json::object())
                        .value("GetWorkflowRuns", json());
  if (!runs.is_array()) return out;
  for (const auto& run : runs) out[run["WorkflowRunId"].get<std::string>()] = run;
  return out;
}

inline bool is_active(const json& run) {
  return run["Status"] == "RUNNING" || run["Status"] == "STOPPING";
}

inline std::set<std::string> active_runs(const json& view, const std::string& workflow) {
  std::set<std::string> out;
  for (const auto& [id, run] : runs_in(view, workflow)) {
    if (is_active(run)) out.insert(id);
  }
  return out;
}

// The node of a run graph with that UniqueId, or null.
inline const json* node_with_id(const json& run, const std::string& unique_id) {
  const auto graph = run.find("Graph");
  if (graph == run.end() || !graph->contains("Nodes")) return nullptr;
  for (const auto& node : graph->at("Nodes")) {
    if (node["UniqueId"].get<std::string>() == unique_id) return &node;
  }
  return nullptr;
}

// JobDetails.JobRuns or CrawlerDetails.Crawls of a node (an empty array when it has none).
inline json node_actions(const json& node) {
  if (node.contains("JobDetails")) return node["JobDetails"].value("JobRuns", json::array());
  if (node.contains("CrawlerDetails")) return node["CrawlerDetails"].value("Crawls", json::array());
  return json::array();
}

inline bool is_action_node(const json& node) {
  return node["Type"] == "JOB" || node["Type"] == "CRAWLER";
}

// Fact sheet 6.10 and rule 9.12, read from the run's graph: every JOB and CRAWLER node counts
// in TotalActions, and each node counts once more by the state of its latest job run or crawl.
inline json recount_statistics(const json& run) {
  std::map<std::string, std::int64_t> counts = {
      {"TotalActions", 0},     {"TimeoutActions", 0}, {"FailedActions", 0},  {"StoppedActions", 0},
      {"SucceededActions", 0}, {"RunningActions", 0}, {"ErroredActions", 0}, {"WaitingActions", 0}};
  static const std::map<std::string, std::string> counter_of_state = {
      {"STARTING", "RunningActions"},    {"RUNNING", "RunningActions"},
      {"STOPPING", "RunningActions"},    {"CANCELLING", "RunningActions"},
      {"SUCCEEDED", "SucceededActions"}, {"FAILED", "FailedActions"},
      {"EXPIRED", "FailedActions"},      {"TIMEOUT", "TimeoutActions"},
      {"STOPPED", "StoppedActions"},     {"CANCELLED", "StoppedActions"},
      {"ERROR", "ErroredActions"},       {"WAITING", "WaitingActions"}};
  for (const auto& node : run.value("Graph", json::object()).value("Nodes", json::array())) {
    if (!is_action_node(node)) continue;
    ++counts["TotalActions"];
    const json actions = node_actions(node);
    if (actions.empty()) continue;
    const json& latest = actions.back();
    const std::string state =
        latest.contains("JobRunState") ? latest["JobRunState"] : latest["State"];
    ++counts[counter_of_state.at(state)];
  }
  return json(counts);
}

// Every node reachable from `from` in a run graph (UniqueIds), `from` included.
inline std::set<std::string> downstream_of(const json& run, const std::string& from) {
  std::set<std::string> seen = {from};
  std::vector<std::string> pending = {from};
  while (!pending.empty()) {
    const std::string node = pending.back();
    pending.pop_back();
    for (const auto& edge : run["Graph"]["Edges"]) {
      const std::string destination = edge["DestinationId"];
      if (edge["SourceId"].get<std::string>() == node && seen.insert(destination).second) {
        pending.push_back(destination);
      }
    }
  }
  return seen;
}

}  // namespace wfsim::models::glue::testing
