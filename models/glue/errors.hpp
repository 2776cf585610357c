// The Glue error shapes (fact sheet 1 and 7), built in one place so every operation answers
// alike: {"__type": <code>, "Message": <text>}, plus FromFederationSource on
// EntityNotFoundException and InvalidInputException. And the request rules every operation
// shares: names are single-line strings whose lengths count UTF-8 bytes (rule 9.19).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/common/error.hpp"
#include "models/common/validation.hpp"

namespace wfsim::models::glue {

// Every violation the validator collected, in AWS's standard message.
AwsError invalid_input(const RequestValidator& validator);
AwsError invalid_input(std::string message);
AwsError entity_not_found(std::string message);
AwsError already_exists(std::string message);
AwsError concurrent_runs_exceeded(std::string message);
AwsError illegal_workflow_state(std::string message);
AwsError illegal_blueprint_state(std::string message);
AwsError resource_number_limit(std::string message);
AwsError concurrent_modification(std::string message);
AwsError idempotent_parameter_mismatch(std::string message);
AwsError crawler_running(std::string message);
AwsError crawler_not_running(std::string message);
AwsError crawler_stopping(std::string message);
AwsError scheduler_transitioning(std::string message);
AwsError internal_service(std::string message);
AwsError operation_timeout(std::string message);
AwsError throttling(std::string message);
AwsError service_unavailable(std::string message);

// The Single-line string pattern of fact sheet 2 (no control characters but TAB), as the
// model spells it; shown in messages.
inline constexpr std::string_view kSingleLinePattern =
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*";
// The URI address multi-line string pattern (TAB, CR and LF allowed).
inline constexpr std::string_view kMultiLinePattern =
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*";
inline constexpr std::string_view kBlueprintNamePattern = "[\\.\\-_A-Za-z0-9]+";
inline constexpr std::string_view kBlueprintLocationPattern = "^s3://([^/]+)/([^/]+/)*([^/]+)$";
inline constexpr std::string_view kRoleArnPattern = "arn:aws[^:]*:iam::[0-9]*:role/.+";
inline constexpr std::string_view kGlueVersionPattern = "^(\\w+\\.)+\\w+$";

// Whether `text` is valid UTF-8 without control characters (TAB allowed; CR and LF too when
// `multi_line`). Regex engines work on bytes, so the patterns above are checked here.
bool is_single_line(std::string_view text, bool multi_line = false);

// A string member limited to [min, max] UTF-8 bytes that must be single-line (or
// multi-line) text: the NameString, DescriptionString and the like of the model.
std::optional<std::string> text_member(RequestValidator& validator, std::string_view name,
                                       std::size_t min, std::size_t max, bool required,
                                       bool multi_line = false);
// NameString: 1..255 bytes, single line.
inline std::optional<std::string> name_member(RequestValidator& validator,
                                              std::string_view name, bool required) {
  return text_member(validator, name, 1, 255, required);
}
// A list of NameStrings with an item count rule.
std::optional<std::vector<std::string>> name_list_member(RequestValidator& validator,
                                                         std::string_view name,
                                                         const CountRule& count, bool required);
// A map<string, string> member whose keys are NameStrings (run properties): keys 1..255
// bytes single-line, values any string.
std::optional<std::map<std::string, std::string>> properties_member(RequestValidator& validator,
                                                                    std::string_view name,
                                                                    bool required);
// A plain map<string, string> (job arguments): any keys and values.
std::optional<std::map<std::string, std::string>> string_map_member(RequestValidator& validator,
                                                                    std::string_view name);
// Tags: 0..50 entries, keys 1..128, values 0..256.
std::optional<std::map<std::string, std::string>> tags_member(RequestValidator& validator,
                                                              std::string_view name);

}  // namespace wfsim::models::glue
