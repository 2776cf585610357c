#include "properties/service_facts.hpp"

#include <algorithm>

#include "models/common/service.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

std::string text_at(const json& object, std::initializer_list<const char*> path) {
  const json* at = &object;
  for (const char* key : path) {
    if (!at->is_object()) return {};
    const auto found = at->find(key);
    if (found == at->end()) return {};
    at = &*found;
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

// One run object of MWAA Serverless: the start and stop responses carry Status, a
// GetWorkflowRun response RunDetail.RunState, a ListWorkflowRuns item
// RunDetailSummary.Status.
void add_mwaa_run(const json& run, std::vector<RunSighting>& out) {
  const std::string id = text_at(run, {"RunId"});
  if (id.empty()) return;
  std::string status = text_at(run, {"Status"});
  if (status.empty()) status = text_at(run, {"RunDetail", "RunState"});
  if (status.empty()) status = text_at(run, {"RunDetailSummary", "Status"});
  out.push_back({id, status});
}

std::vector<RunSighting> mwaa_sightings(std::string_view operation, const json& response) {
  std::vector<RunSighting> out;
  if (operation == "ListWorkflowRuns") {
    const auto runs = response.find("WorkflowRuns");
    if (runs != response.end() && runs->is_array()) {
      for (const json& run : *runs) add_mwaa_run(run, out);
    }
  } else if (operation == "StartWorkflowRun" || operation == "GetWorkflowRun" ||
             operation == "StopWorkflowRun") {
    add_mwaa_run(response, out);
  }
  return out;
}

// One Glue WorkflowRun object (WorkflowRunId and Status).
void add_glue_run(const json& run, std::vector<RunSighting>& out) {
  const std::string id = text_at(run, {"WorkflowRunId"});
  if (!id.empty()) out.push_back({id, text_at(run, {"Status"})});
}

std::vector<RunSighting> glue_sightings(std::string_view operation, const json& response) {
  std::vector<RunSighting> out;
  if (operation == "StartWorkflowRun" || operation == "ResumeWorkflowRun") {
    const std::string id = text_at(response, {"RunId"});
    if (!id.empty()) out.push_back({id, ""});
  } else if (operation == "GetWorkflowRun") {
    if (response.contains("Run")) add_glue_run(response["Run"], out);
  } else if (operation == "GetWorkflowRuns") {
    const auto runs = response.find("Runs");
    if (runs != response.end() && runs->is_array()) {
      for (const json& run : *runs) add_glue_run(run, out);
    }
  } else if (operation == "GetWorkflow") {
    const auto workflow = response.find("Workflow");
    if (workflow != response.end() && workflow->contains("LastRun")) {
      add_glue_run((*workflow)["LastRun"], out);
    }
  } else if (operation == "BatchGetWorkflows") {
    const auto workflows = response.find("Workflows");
    if (workflows != response.end() && workflows->is_array()) {
      for (const json& workflow : *workflows) {
        if (workflow.contains("LastRun")) add_glue_run(workflow["LastRun"], out);
      }
    }
  }
  return out;
}

// Observes the service directly: no fault decision, no call event in the trace, and none
// of the request rate the client's calls draw on.
json read(World& world, std::string_view service, std::string_view operation,
          const json& request) {
  models::Service* target = world.service(service);
  if (target == nullptr) return json::object();
  models::JsonOutcome outcome = target->observe(operation, request);
  return outcome.ok() ? std::move(outcome.value()) : json::object();
}

// Every page of a listing: the items under `items` of each page.
std::vector<json> all_pages(World& world, std::string_view service, std::string_view operation,
                            json request, const char* items, int page_size) {
  std::vector<json> out;
  request["MaxResults"] = page_size;
  for (int page = 0; page < 10'000; ++page) {
    const json response = read(world, service, operation, request);
    const auto found = response.find(items);
    if (found != response.end() && found->is_array()) {
      for (const json& item : *found) out.push_back(item);
    }
    const auto token = response.find("NextToken");
    if (token == response.end() || !token->is_string() || token->get<std::string>().empty()) break;
    request["NextToken"] = *token;
  }
  return out;
}

std::vector<std::pair<std::string, json>> mwaa_census_calls(World& world) {
  std::vector<std::pair<std::string, json>> calls;
  for (const json& workflow :
       all_pages(world, "mwaa-serverless", "ListWorkflows", json::object(), "Workflows", 100)) {
    const std::string arn = text_at(workflow, {"WorkflowArn"});
    if (!arn.empty())
      calls.push_back({"ListWorkflowRuns", {{"WorkflowArn", arn}, {"MaxResults", 100}}});
  }
  return calls;
}

std::vector<std::pair<std::string, json>> glue_census_calls(World& world) {
  std::vector<std::pair<std::string, json>> calls;
  for (const json& name :
       all_pages(world, "glue", "ListWorkflows", json::object(), "Workflows", 25)) {
    if (name.is_string())
      calls.push_back({"GetWorkflowRuns", {{"Name", name}, {"MaxResults", 1000}}});
  }
  return calls;
}

bool listed(const std::vector<std::string>& list, std::string_view status) {
  return std::find(list.begin(), list.end(), status) != list.end();
}

}  // namespace

bool ServiceFacts::is_active(std::string_view status) const {
  return listed(active_statuses, status);
}

bool ServiceFacts::is_terminal(std::string_view status) const {
  return listed(terminal_statuses, status);
}

std::vector<RunSighting> ServiceFacts::census(World& world) const {
  std::vector<RunSighting> runs;
  for (const auto& [operation, request] : census_calls(world)) {
    const char* items = census_items_member.c_str();
    const json listing = {{items, all_pages(world, service, operation, request, items,
                                            request.value("MaxResults", 100))}};
    for (RunSighting& sighting : sightings(operation, listing)) runs.push_back(std::move(sighting));
  }
  return runs;
}

ServiceFacts mwaa_serverless_facts() {
  ServiceFacts facts;
  facts.service = "mwaa-serverless";
  facts.active_statuses = {"STARTING", "QUEUED", "RUNNING", "STOPPING"};
  facts.terminal_statuses = {"SUCCESS", "FAILED", "TIMEOUT", "STOPPED"};
  facts.sightings = mwaa_sightings;
  facts.census_calls = mwaa_census_calls;
  facts.census_items_member = "WorkflowRuns";
  return facts;
}

ServiceFacts glue_facts() {
  ServiceFacts facts;
  facts.service = "glue";
  facts.active_statuses = {"RUNNING", "STOPPING"};
  facts.terminal_statuses = {"COMPLETED", "STOPPED", "ERROR"};
  facts.sightings = glue_sightings;
  facts.census_calls = glue_census_calls;
  facts.census_items_member = "Runs";
  return facts;
}

std::optional<ServiceFacts> facts_for(std::string_view service) {
  if (service == "mwaa-serverless") return mwaa_serverless_facts();
  if (service == "glue") return glue_facts();
  return std::nullopt;
}

}  // namespace wfsim::properties
