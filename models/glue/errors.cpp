// The Glue error shapes and shared request rules (fact sheets 1, 2, 7 and rule 9.19).
#include "models/glue/errors.hpp"

namespace wfsim::models::glue {
namespace {

// EntityNotFoundException and InvalidInputException carry FromFederationSource (fact
// sheet 1); a simulated account has no federated catalog, so it is always false.
AwsError federated(std::string code, std::string message) {
  AwsError error = make_error(std::move(code), 400, std::move(message));
  error.fields["FromFederationSource"] = false;
  return error;
}

// Length of the UTF-8 sequence a lead byte starts, 0 for a byte that cannot lead one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Decodes one code point at text[at]; nullopt for malformed UTF-8 (overlong forms,
// surrogates, values above U+10FFFF).
std::optional<std::uint32_t> decode_at(std::string_view text, std::size_t at, std::size_t* size) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = sequence_length(lead);
  if (length == 0 || at + length > text.size()) return std::nullopt;
  std::uint32_t code = length == 1 ? lead : lead & (0xFF >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3F);
  }
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return std::nullopt;
  }
  *size = length;
  return code;
}

}  // namespace

AwsError invalid_input(const RequestValidator& validator) {
  return federated("InvalidInputException", validator.message());
}
AwsError invalid_input(std::string message) {
  return federated("InvalidInputException", std::move(message));
}
AwsError entity_not_found(std::string message) {
  return federated("EntityNotFoundException", std::move(message));
}
AwsError already_exists(std::string message) {
  return make_error("AlreadyExistsException", 400, std::move(message));
}
AwsError concurrent_runs_exceeded(std::string message) {
  return make_error("ConcurrentRunsExceededException", 400, std::move(message));
}
AwsError illegal_workflow_state(std::string message) {
  return make_error("IllegalWorkflowStateException", 400, std::move(message));
}
AwsError illegal_blueprint_state(std::string message) {
  return make_error("IllegalBlueprintStateException", 400, std::move(message));
}
AwsError resource_number_limit(std::string message) {
  return make_error("ResourceNumberLimitExceededException", 400, std::move(message));
}
AwsError concurrent_modification(std::string message) {
  return make_error("ConcurrentModificationException", 400, std::move(message));
}
AwsError idempotent_parameter_mismatch(std::string message) {
  return make_error("IdempotentParameterMismatchException", 400, std::move(message));
}
AwsError crawler_running(std::string message) {
  return make_error("CrawlerRunningException", 400, std::move(message));
}
AwsError crawler_not_running(std::string message) {
  return make_error("CrawlerNotRunningException", 400, std::move(message));
}
AwsError crawler_stopping(std::string message) {
  return make_error("CrawlerStoppingException", 400, std::move(message));
}
AwsError scheduler_transitioning(std::string message) {
  return make_error("SchedulerTransitioningException", 400, std::move(message));
}
AwsError internal_service(std::string message) {
  return make_error("InternalServiceException", 500, std::move(message));
}
AwsError operation_timeout(std::string message) {
  return make_error("OperationTimeoutException", 400, std::move(message));
}
// Not modelled by Glue, but every AWS JSON service answers throttling this way and the SDKs
// retry it by its code.
AwsError throttling(std::string message) {
  return make_error("ThrottlingException", 400, std::move(message));
}
AwsError service_unavailable(std::string message) {
  return make_error("ServiceUnavailableException", 503, std::move(message));
}

bool is_single_line(std::string_view text, bool multi_line) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t size = 0;
    const auto code = decode_at(text, at, &size);
    if (!code) return false;
    const bool allowed_control =
        *code == '\t' || (multi_line && (*code == '\r' || *code == '\n'));
    if (*code < 0x20 && !allowed_control) return false;
    if (*code == 0xFFFE || *code == 0xFFFF) return false;
    at += size;
  }
  return true;
}

std::optional<std::string> text_member(RequestValidator& validator, std::string_view name,
                                       std::size_t min, std::size_t max, bool required,
                                       bool multi_line) {
  StringRule rule{min, max, {}, true};
  auto value = validator.string(name, rule, required);
  if (!value) return std::nullopt;
  if (!is_single_line(*value, multi_line)) {
    validator.fail(validator.path_of(name),
                   "Member must satisfy regular expression pattern: " +
                       std::string(multi_line ? kMultiLinePattern : kSingleLinePattern),
                   show_value(*value));
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> name_list_member(RequestValidator& validator,
                                                         std::string_view name,
                                                         const CountRule& count, bool required) {
  auto values = validator.string_list(name, count, StringRule{1, 255, {}, true}, required);
  if (!values) return std::nullopt;
  bool valid = true;
  for (std::size_t i = 0; i < values->size(); ++i) {
    if (is_single_line((*values)[i])) continue;
    validator.fail(validator.path_of(name) + "." + std::to_string(i + 1),
                   "Member must satisfy regular expression pattern: " +
                       std::string(kSingleLinePattern),
                   show_value((*values)[i]));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return values;
}

std::optional<std::map<std::string, std::string>> properties_member(RequestValidator& validator,
                                                                    std::string_view name,
                                                                    bool required) {
  auto entries = validator.string_map(name, CountRule{}, StringRule{1, 255, {}, true},
                                      StringRule{}, required);
  if (!entries) return std::nullopt;
  std::map<std::string, std::string> map;
  bool valid = true;
  for (auto& [key, value] : *entries) {
    if (!is_single_line(key)) {
      validator.fail(validator.path_of(name) + "." + key,
                     "Member must satisfy regular expression pattern: " +
                         std::string(kSingleLinePattern),
                     show_value(key));
      valid = false;
    }
    map[key] = std::move(value);
  }
  if (!valid) return std::nullopt;
  return map;
}

std::optional<std::map<std::string, std::string>> string_map_member(RequestValidator& validator,
                                                                    std::string_view name) {
  auto entries = validator.string_map(name, CountRule{}, StringRule{}, StringRule{});
  if (!entries) return std::nullopt;
  return std::map<std::string, std::string>(entries->begin(), entries->end());
}

std::optional<std::map<std::string, std::string>> tags_member(RequestValidator& validator,
                                                              std::string_view name) {
  auto entries = validator.string_map(name, CountRule{0, 50}, StringRule{1, 128},
                                      StringRule{0, 256});
  if (!entries) return std::nullopt;
  return std::map<std::string, std::string>(entries->begin(), entries->end());
}

}  // namespace wfsim::models::glue
