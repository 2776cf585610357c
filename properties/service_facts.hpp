// What the client harness needs to know about a service to judge client code: which call
// starts a run, where run ids and statuses sit in responses, which statuses are active and
// which terminal, and how to take a census of every run the service holds. The census
// reads the service directly (Service::observe), past the fault layer, the call trace and
// the configured request rate, so observing does not disturb the check.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/world.hpp"

namespace wfsim::properties {

struct RunSighting {
  std::string run_id;
  std::string status;  // empty when the response names the run without its status
};

struct ServiceFacts {
  std::string service;                             // "mwaa-serverless"
  std::string start_operation = "StartWorkflowRun";
  std::string run_id_pointer = "/RunId";           // in the start response
  std::vector<std::string> active_statuses;
  std::vector<std::string> terminal_statuses;
  // The runs a response of `operation` names.
  std::function<std::vector<RunSighting>(std::string_view operation,
                                         const nlohmann::json& response)>
      sightings;
  // The paginated read calls that list every run the service holds now, as (operation,
  // request), and the member of their responses that holds the runs.
  std::function<std::vector<std::pair<std::string, nlohmann::json>>(World&)> census_calls;
  std::string census_items_member;

  bool is_active(std::string_view status) const;
  bool is_terminal(std::string_view status) const;
  // Every run the service holds, read past faults and the call trace.
  std::vector<RunSighting> census(World& world) const;
};

ServiceFacts mwaa_serverless_facts();
ServiceFacts glue_facts();
// The facts of `service`, or nullopt for a service the harness does not know yet.
std::optional<ServiceFacts> facts_for(std::string_view service);

}  // namespace wfsim::properties
