// MWAA Serverless workflow definitions (fact sheet section 12): the dag-factory YAML that
// CreateWorkflow and UpdateWorkflow read from S3, parsed with yaml-cpp into the task graph,
// and the small Jinja subset that renders templated task arguments at run time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cron.hpp"
#include "sim/time.hpp"

namespace wfsim::models::mwaa {

struct TaskDefinition {
  std::string task_id;                 // the mapping key under `tasks`
  std::string operator_path;           // fully qualified class path as written
  std::string operator_name;           // the class name: last dotted component
  std::vector<std::string> dependencies;  // upstream task ids, as written
  int retries = 1;                     // 0..3; task -> default_args -> 1 (12.4)
  sim::DurationUs retry_delay_us = sim::seconds(300);         // 0..300 s; default 300 s
  sim::DurationUs execution_timeout_us = sim::seconds(3600);  // <= 60 min; default 3600 s
  std::string trigger_rule = "all_success";
  nlohmann::json arguments = nlohmann::json::object();  // operator kwargs, templates unrendered
};

struct WorkflowDefinition {
  std::string dag_id;                      // the root key
  std::optional<std::string> schedule;     // cron or preset as written; nullopt = no schedule
  std::optional<sim::Schedule> parsed_schedule;
  std::optional<sim::TimeUs> start_date_us;
  std::optional<sim::TimeUs> end_date_us;
  nlohmann::json params = nlohmann::json::object();  // name -> default value
  std::vector<TaskDefinition> tasks;       // topological order; ties broken by task id
  std::vector<std::string> warnings;       // "ignored attributes: ..." entries for the response
  std::string source_text;                 // the YAML as read, for GetWorkflow
};

struct DefinitionError {
  std::string message;  // the parser text the service puts in ValidationException.Message
};

// Create/update-time parsing and validation (12.2-12.5, 12.7-12.9). Never throws.
std::variant<WorkflowDefinition, DefinitionError> parse_workflow_definition(
    std::string_view yaml_text);

// True when `operator_path` is a fully qualified operator or sensor class path on the
// service allowlist (12.5). Short names, abstract bases and unavailable classes are false.
bool is_allowed_operator(std::string_view operator_path);

// Values a template can see (12.6).
struct TemplateContext {
  nlohmann::json params = nlohmann::json::object();  // DAG params overlaid by overrides
  sim::TimeUs logical_date_us = 0;                   // ds, ds_nodash, ts, ts_nodash
  std::string run_id;
  std::string task_id;
};

// Renders "{{ params.x }}", "{{ ds }}", "{{ ds_nodash }}", "{{ ts }}", "{{ ts_nodash }}",
// "{{ run_id }}", "{{ task_instance.task_id }}"/"{{ ti.task_id }}" and string/number
// literals. An unbalanced "{{" or an expression it cannot parse is an error whose text the
// run's ErrorMessage carries (12.9); an undefined params member renders empty, as Jinja's
// default Undefined does.
std::variant<std::string, DefinitionError> render_template(std::string_view text,
                                                           const TemplateContext& context);

// Renders every string inside `arguments` (recursively); the first error wins.
std::variant<nlohmann::json, DefinitionError> render_arguments(const nlohmann::json& arguments,
                                                               const TemplateContext& context);

}  // namespace wfsim::models::mwaa
