// Request members of the MWAA Serverless API (fact sheet sections 3, 4 and 7).
// Follows the sheet's lengths, patterns, ranges and list/map sizes member by member.
// Chosen where the sheet is silent:
// - DefinitionS3Location.Bucket/ObjectKey/VersionId, LoggingConfiguration.LogGroupName and
//   EncryptionConfiguration.KmsKeyId carry no modelled constraints, so only their type and
//   presence are checked; a missing object is reported when the definition is read.
// - EncryptionConfiguration.KmsKeyId is required when Type is CUSTOMER_MANAGED_KEY (the
//   member documentation says it is needed then).
// - EngineVersion is an intEnum whose only value is 1; any other integer is reported as an
//   enum violation.
// - TriggerMode wire strings are unconfirmed (fact sheet 5): SCHEDULED, MANUAL_ONLY and
//   DISABLED are recognised case-insensitively, with spaces and hyphens read as underscores
//   ("Manual only", "manual-only") and MANUAL accepted for MANUAL_ONLY; anything else is a
//   ValidationException that lists the recognised values.
// - Unknown request members are ignored, as AWS JSON services do.
#include "models/mwaa_serverless/request_rules.hpp"

#include <array>
#include <cctype>
#include <cstdint>

namespace wfsim::models::mwaa {
namespace {

// RequestValidator never matches a value longer than this against a pattern (validation.cpp),
// so the hand matchers must not either.
constexpr std::size_t kMaxPatternInputBytes = 8192;

// Character classes by byte, so that the matchers test each character of an ARN or id with
// one load instead of a chain of range comparisons.
enum CharClass : std::uint8_t { kLower = 1, kUpper = 2, kDigit = 4, kIdPunctuation = 8 };

constexpr std::array<std::uint8_t, 256> char_classes() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 'a'; c <= 'z'; ++c) classes[c] = kLower;
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] = kUpper;
  for (int c = '0'; c <= '9'; ++c) classes[c] = kDigit;
  for (char c : {'.', '-', '_'}) classes[static_cast<unsigned char>(c)] = kIdPunctuation;
  return classes;
}
constexpr std::array<std::uint8_t, 256> kCharClasses = char_classes();

bool in_class(char c, std::uint8_t classes) {
  return (kCharClasses[static_cast<unsigned char>(c)] & classes) != 0;
}
bool is_alnum(char c) { return in_class(c, kLower | kUpper | kDigit); }
bool is_lower(char c) { return in_class(c, kLower); }
bool is_digit(char c) { return in_class(c, kDigit); }
bool is_id_char(char c) { return in_class(c, kLower | kUpper | kDigit | kIdPunctuation); }

bool consume(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// "arn:aws" + optional partition suffix + ":airflow-serverless:". Only one suffix can be
// followed by ':', so trying each in turn is what the regex's alternation amounts to.
bool consume_partition_and_service(std::string_view& text) {
  if (!consume(text, "arn:aws")) return false;
  static constexpr std::string_view kSuffixes[] = {"",       "-cn",    "-us-gov", "-iso",
                                                   "-iso-b", "-iso-e", "-iso-f"};
  for (std::string_view suffix : kSuffixes) {
    std::string_view rest = text;
    if (consume(rest, suffix) && consume(rest, ":airflow-serverless:")) {
      text = rest;
      return true;
    }
  }
  return false;
}

// [a-z]{2}-[a-z]+-[0-9]{1}: followed by ':'.
bool consume_region(std::string_view& text) {
  if (text.size() < 6 || !is_lower(text[0]) || !is_lower(text[1]) || text[2] != '-') {
    return false;
  }
  std::size_t i = 3;
  while (i < text.size() && is_lower(text[i])) ++i;
  if (i == 3 || i + 3 > text.size() || text[i] != '-' || !is_digit(text[i + 1]) ||
      text[i + 2] != ':') {
    return false;
  }
  text.remove_prefix(i + 3);
  return true;
}

// [0-9]{12}:workflow/
bool consume_account(std::string_view& text) {
  if (text.size() < 12) return false;
  for (std::size_t i = 0; i < 12; ++i) {
    if (!is_digit(text[i])) return false;
  }
  text.remove_prefix(12);
  return consume(text, ":workflow/");
}

// [a-zA-Z0-9][a-zA-Z0-9\.\-_]{0,254}-[a-zA-Z0-9]{10} to the end: the last eleven characters
// must be '-' and ten alphanumerics, since the middle class cannot reach past them.
bool is_resource_name(std::string_view text) {
  if (text.size() < 12 || text.size() > 266 || !is_alnum(text[0])) return false;
  const std::size_t dash = text.size() - 11;
  if (text[dash] != '-') return false;
  for (std::size_t i = 1; i < dash; ++i) {
    if (!is_id_char(text[i])) return false;
  }
  for (std::size_t i = dash + 1; i < text.size(); ++i) {
    if (!is_alnum(text[i])) return false;
  }
  return true;
}

// True when `text` has at least `count` code points. Counting stops as soon as it is known,
// which for the usual minimum of 1 is at the first byte.
bool has_code_points(std::string_view text, std::size_t count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size() && seen < count; ++i) {
    seen += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
  }
  return seen >= count;
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) return nullptr;
  return &*found;
}

std::string normalised_mode(std::string text) {
  for (char& c : text) {
    if (c == ' ' || c == '-') c = '_';
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

bool is_workflow_arn(std::string_view text) {
  return consume_partition_and_service(text) && consume_region(text) && consume_account(text) &&
         is_resource_name(text);
}

bool is_id_string(std::string_view text) {
  if (text.empty() || !is_alnum(text[0])) return false;
  for (char c : text) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

bool is_workflow_version(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!is_lower(c) && !is_digit(c)) return false;
  }
  return true;
}

// ECMAScript's '.' matches every character but the line terminators; on bytes, as std::regex
// reads a std::string, those are '\n' and '\r'.
bool is_line(std::string_view text) { return text.find_first_of("\n\r") == std::string_view::npos; }

bool is_nonempty_line(std::string_view text) { return !text.empty() && is_line(text); }

bool is_client_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

const std::string* checked_string(RequestValidator& validator, const nlohmann::json& object,
                                  std::string_view name, const HandRule& rule, bool required) {
  const nlohmann::json* node = member(object, name);
  if (node == nullptr) {
    if (required) validator.fail(validator.path_of(name), "Member must not be null", "null");
    return nullptr;
  }
  if (!node->is_string()) {
    validator.fail(validator.path_of(name), "Member must be a string", show_value(*node));
    return nullptr;
  }
  const auto& value = node->get_ref<const std::string&>();
  // The path is built only for a violation: valid members are the hot path.
  const auto path = [&validator, name] { return validator.path_of(name); };
  bool valid = true;
  if (!has_code_points(value, rule.min_length)) {
    validator.fail(
        path(),
        "Member must have length greater than or equal to " + std::to_string(rule.min_length),
        show_value(*node));
    valid = false;
  }
  // A string has no more code points than bytes, so only a long one needs counting.
  if (value.size() > rule.max_length && code_point_length(value) > rule.max_length) {
    validator.fail(
        path(), "Member must have length less than or equal to " + std::to_string(rule.max_length),
        show_value(*node));
    return nullptr;
  }
  if (value.size() > kMaxPatternInputBytes || !rule.matcher(value)) {
    validator.fail(path(),
                   "Member must satisfy regular expression pattern: " + std::string(rule.pattern),
                   show_value(*node));
    valid = false;
  }
  if (!valid) return nullptr;
  return &value;
}

const std::string* read_workflow_arn(RequestValidator& validator, const nlohmann::json& request) {
  return checked_string(validator, request, "WorkflowArn",
                        {1, 2048, kWorkflowArnPattern, is_workflow_arn}, true);
}

const std::string* read_resource_arn(RequestValidator& validator, const nlohmann::json& request) {
  return checked_string(validator, request, "ResourceArn",
                        {1, 1011, kWorkflowArnPattern, is_workflow_arn}, true);
}

const std::string* read_id(RequestValidator& validator, const nlohmann::json& request,
                           std::string_view name) {
  return checked_string(validator, request, name, {1, 255, kIdPattern, is_id_string}, true);
}

const std::string* read_name(RequestValidator& validator, const nlohmann::json& request) {
  return checked_string(validator, request, "Name", {1, 255, kIdPattern, is_id_string}, true);
}

const std::string* read_client_token(RequestValidator& validator, const nlohmann::json& request) {
  return checked_string(validator, request, "ClientToken",
                        {1, 128, kClientTokenPattern, is_client_token}, false);
}

const std::string* read_workflow_version(RequestValidator& validator,
                                         const nlohmann::json& request) {
  return checked_string(validator, request, "WorkflowVersion",
                        {32, 32, kWorkflowVersionPattern, is_workflow_version}, false);
}

const std::string* read_version_id(RequestValidator& validator, const nlohmann::json& request) {
  return checked_string(validator, request, "WorkflowVersion",
                        {1, 2048, kNonEmptyLinePattern, is_nonempty_line}, false);
}

std::optional<std::string> read_description(RequestValidator& validator,
                                            const nlohmann::json& request) {
  const std::string* text =
      checked_string(validator, request, "Description",
                     {1, 1024, kNonEmptyLinePattern, is_nonempty_line}, false);
  if (text == nullptr) return std::nullopt;
  return *text;
}

std::optional<std::string> read_role_arn(RequestValidator& validator) {
  return validator.string("RoleArn", {1, 2048, kRoleArnPattern}, true);
}

namespace {

std::optional<S3LocationInput> read_s3_location(RequestValidator& validator,
                                                std::string_view name, bool required) {
  auto location = validator.nested(name, required);
  if (!location) return std::nullopt;
  const auto bucket = location->string("Bucket", {}, true);
  const auto key = location->string("ObjectKey", {}, true);
  const auto version = location->string("VersionId", {});
  if (!bucket || !key) return std::nullopt;
  return S3LocationInput{*bucket, *key, version.value_or("")};
}

}  // namespace

std::optional<S3LocationInput> read_definition_location(RequestValidator& validator) {
  return read_s3_location(validator, "DefinitionS3Location", true);
}

std::optional<S3LocationInput> read_code_location(RequestValidator& validator) {
  return read_s3_location(validator, "Code", false);
}

std::optional<nlohmann::json> read_encryption(RequestValidator& validator) {
  auto encryption = validator.nested("EncryptionConfiguration");
  if (!encryption) return std::nullopt;
  const auto type =
      encryption->enumeration("Type", {"AWS_MANAGED_KEY", "CUSTOMER_MANAGED_KEY"}, true);
  const std::size_t violations_before = encryption->violations().size();
  const auto key = encryption->string("KmsKeyId", {});
  const bool key_invalid = encryption->violations().size() > violations_before;
  if (!type) return std::nullopt;
  if (*type == "CUSTOMER_MANAGED_KEY" && !key && !key_invalid) {
    encryption->fail(encryption->path_of("KmsKeyId"),
                     "Member must not be null when Type is CUSTOMER_MANAGED_KEY");
    return std::nullopt;
  }
  nlohmann::json out = {{"Type", *type}};
  if (key) out["KmsKeyId"] = *key;
  return out;
}

std::optional<std::string> read_log_group(RequestValidator& validator) {
  auto logging = validator.nested("LoggingConfiguration");
  if (!logging) return std::nullopt;
  return logging->string("LogGroupName", {}, true);
}

std::optional<nlohmann::json> read_network(RequestValidator& validator) {
  auto network = validator.nested("NetworkConfiguration");
  if (!network) return std::nullopt;
  const auto groups = network->string_list("SecurityGroupIds", {}, {1, 255, kSecurityGroupPattern});
  const auto subnets = network->string_list("SubnetIds", {}, {1, 255, kSubnetPattern});
  nlohmann::json out = nlohmann::json::object();
  if (groups) out["SecurityGroupIds"] = *groups;
  if (subnets) out["SubnetIds"] = *subnets;
  return out;
}

std::optional<std::int64_t> read_engine_version(RequestValidator& validator) {
  const auto version = validator.integer("EngineVersion", {});
  if (version && *version != 1) {
    validator.fail(validator.path_of("EngineVersion"), "Member must satisfy enum value set: [1]",
                   std::to_string(*version));
    return std::nullopt;
  }
  return version;
}

std::optional<std::map<std::string, std::string>> read_tags(RequestValidator& validator,
                                                            bool required) {
  const auto entries = validator.string_map("Tags", {0, 50}, {1, 128, kLinePattern},
                                            {0, 256, kLinePattern}, required);
  if (!entries) return std::nullopt;
  return std::map<std::string, std::string>(entries->begin(), entries->end());
}

std::optional<TriggerMode> read_trigger_mode(RequestValidator& validator,
                                             const nlohmann::json& request) {
  const auto text =
      checked_string(validator, request, "TriggerMode", {1, 255, kLinePattern, is_line}, false);
  if (!text) return std::nullopt;
  const std::string mode = normalised_mode(*text);
  if (mode == "SCHEDULED") return TriggerMode::scheduled;
  if (mode == "MANUAL_ONLY" || mode == "MANUAL") return TriggerMode::manual_only;
  if (mode == "DISABLED") return TriggerMode::disabled;
  validator.fail(validator.path_of("TriggerMode"),
                 "Member must be one of the recognised trigger modes [SCHEDULED, MANUAL_ONLY, "
                 "DISABLED] (case-insensitive; MANUAL means MANUAL_ONLY)",
                 show_value(nlohmann::json(*text)));
  return std::nullopt;
}

std::optional<nlohmann::json> read_override_parameters(RequestValidator& validator) {
  const nlohmann::json* overrides = validator.object("OverrideParameters");
  if (overrides == nullptr) return std::nullopt;
  return *overrides;
}

PageInput read_page(RequestValidator& validator) {
  PageInput page;
  if (const auto size = validator.integer("MaxResults", {1, 100})) {
    page.max_results = static_cast<std::size_t>(*size);
  }
  page.next_token = validator.string("NextToken", {});
  return page;
}

}  // namespace wfsim::models::mwaa
