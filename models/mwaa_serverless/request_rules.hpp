// Request members of the MWAA Serverless API and their constraints (fact sheet sections 3, 4
// and 7). The patterns that every run call checks (WorkflowArn, the IdString shapes, tokens,
// version ids) are matched by hand instead of by std::regex, with exactly the regex's
// semantics and the validator's messages, because they sit on the hot path; the rest go
// through RequestValidator's regex patterns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "models/common/validation.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {

// The fact sheet's patterns, as they appear in validation messages.
inline constexpr std::string_view kWorkflowArnPattern =
    R"(^arn:aws(?:-(?:cn|us-gov|iso|iso-b|iso-e|iso-f))?:airflow-serverless:([a-z]{2}-[a-z]+-[0-9]{1}):([0-9]{12}):workflow/([a-zA-Z0-9][a-zA-Z0-9\.\-_]{0,254}-[a-zA-Z0-9]{10})$)";
inline constexpr std::string_view kIdPattern = R"(^[a-zA-Z0-9]+[a-zA-Z0-9\.\-_]*$)";
inline constexpr std::string_view kWorkflowVersionPattern = "^[a-z0-9]{32}$";
inline constexpr std::string_view kNonEmptyLinePattern = "^.+$";
inline constexpr std::string_view kLinePattern = "^.*$";
inline constexpr std::string_view kClientTokenPattern = R"(^[\x21-\x7E]+$)";
inline constexpr std::string_view kRoleArnPattern =
    R"(^arn:aws(?:-(?:cn|us-gov|iso|iso-b|iso-e|iso-f))?:iam::[0-9]{12}:role(/[a-zA-Z0-9+=,.@_\-]{1,512})*?/[a-zA-Z0-9+=,.@_\-]{1,64}$)";
inline constexpr std::string_view kSecurityGroupPattern = "^sg-[a-z0-9]*$";
inline constexpr std::string_view kSubnetPattern = "^subnet-[a-z0-9]*$";

// Hand-written matchers, each equal to std::regex_match with the pattern named beside it.
bool is_workflow_arn(std::string_view text);      // kWorkflowArnPattern
bool is_id_string(std::string_view text);         // kIdPattern (NameString and IdString)
bool is_workflow_version(std::string_view text);  // kWorkflowVersionPattern
bool is_nonempty_line(std::string_view text);     // kNonEmptyLinePattern
bool is_line(std::string_view text);              // kLinePattern
bool is_client_token(std::string_view text);      // kClientTokenPattern

// A string member checked with a hand matcher; violations are reported exactly as
// RequestValidator::string reports them for the same rule and pattern. The result points at
// the member's text inside `object` (nullptr when absent or invalid): every run call reads
// identifiers this way, and copies of them were only ever read and thrown away.
struct HandRule {
  std::size_t min_length = 0;
  std::size_t max_length = SIZE_MAX;
  std::string_view pattern;
  bool (*matcher)(std::string_view) = nullptr;
};
const std::string* checked_string(RequestValidator& validator, const nlohmann::json& object,
                                  std::string_view name, const HandRule& rule, bool required);

// Readers of the API's members. Each reports its violations to the validator and returns
// nullopt (nullptr) when the member is absent or invalid (validator.ok() tells which). The
// identifier readers return a pointer into the request, which outlives the handler.
const std::string* read_workflow_arn(RequestValidator& validator, const nlohmann::json& request);
const std::string* read_resource_arn(RequestValidator& validator, const nlohmann::json& request);
const std::string* read_id(RequestValidator& validator, const nlohmann::json& request,
                           std::string_view name);
const std::string* read_name(RequestValidator& validator, const nlohmann::json& request);
const std::string* read_client_token(RequestValidator& validator, const nlohmann::json& request);
// The WorkflowVersion shape (exactly 32 [a-z0-9]): GetWorkflow, DeleteWorkflow.
const std::string* read_workflow_version(RequestValidator& validator,
                                         const nlohmann::json& request);
// The VersionId shape (1..2048, ^.+$): StartWorkflowRun, ListWorkflowRuns.
const std::string* read_version_id(RequestValidator& validator, const nlohmann::json& request);
std::optional<std::string> read_description(RequestValidator& validator,
                                            const nlohmann::json& request);
std::optional<std::string> read_role_arn(RequestValidator& validator);

struct S3LocationInput {
  std::string bucket;
  std::string object_key;
  std::string version_id;  // empty: the latest object version
};
std::optional<S3LocationInput> read_definition_location(RequestValidator& validator);
// Code (12.1): the code package's location, the same shape as DefinitionS3Location.
std::optional<S3LocationInput> read_code_location(RequestValidator& validator);
std::optional<nlohmann::json> read_encryption(RequestValidator& validator);
std::optional<std::string> read_log_group(RequestValidator& validator);
std::optional<nlohmann::json> read_network(RequestValidator& validator);
std::optional<std::int64_t> read_engine_version(RequestValidator& validator);
std::optional<std::map<std::string, std::string>> read_tags(RequestValidator& validator,
                                                            bool required);
std::optional<TriggerMode> read_trigger_mode(RequestValidator& validator,
                                             const nlohmann::json& request);
// OverrideParameters: a map of string to any JSON value; the copy to keep.
std::optional<nlohmann::json> read_override_parameters(RequestValidator& validator);

struct PageInput {
  std::size_t max_results = 20;           // Smithy default (fact sheet 9.4)
  std::optional<std::string> next_token;  // not yet decoded
};
PageInput read_page(RequestValidator& validator);

}  // namespace wfsim::models::mwaa
