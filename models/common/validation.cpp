// Request validation in the form AWS services report it (mwaa-serverless.md sections 3 and 6,
// DESIGN.md "Errors and bad input"). Choices where the fact sheets are silent:
// - Lengths count Unicode code points, as Smithy's length trait defines them.
// - A JSON null member counts as absent, as both SDK families treat it.
// - A getter returns nullopt (or nullptr) for a member that broke a rule, so cross-field
//   checks only ever see valid values and never report a second violation for one member.
// - List items are named "SubnetIds[0]" (0-based, as in the caller's JSON); map values are
//   named "Tags.key"; a map key that breaks its rule is reported at the map's path as
//   "Map keys must satisfy constraint: [...]", the wording AWS uses for map keys.
// - A number that is integral (20.0) is accepted where an integer is expected; any other
//   number is a type error.
// - fail() records the path exactly as given; path_of() names a member of a nested object.
// - Values longer than their maximum length are never matched against the pattern, and no
//   value longer than kMaxPatternInputBytes is ever matched: libstdc++'s regex executor
//   recurses once per character and would exhaust the stack on long input.
#include "models/common/validation.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <regex>

namespace wfsim::models {
namespace {

constexpr std::size_t kShownValueLimit = 200;
// The longest pattern-checked member in the sheets is 2048 code points, at most 8192 bytes.
constexpr std::size_t kMaxPatternInputBytes = 8192;

bool starts_code_point(unsigned char byte) { return (byte & 0xC0) != 0x80; }

// The text cut after `limit` code points with "..." appended, never splitting a character.
std::string shorten(std::string_view text) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!starts_code_point(static_cast<unsigned char>(text[i]))) continue;
    if (seen == kShownValueLimit) return std::string(text.substr(0, i)) + "...";
    ++seen;
  }
  return std::string(text);
}

std::string single_quoted(std::string_view text) { return "'" + shorten(text) + "'"; }

std::string at_least(std::string_view what, std::size_t bound) {
  return "Member must have " + std::string(what) + " greater than or equal to " +
         std::to_string(bound);
}

std::string at_most(std::string_view what, std::size_t bound) {
  return "Member must have " + std::string(what) + " less than or equal to " +
         std::to_string(bound);
}

std::vector<std::string> count_failures(std::size_t count, const CountRule& rule) {
  std::vector<std::string> failures;
  if (count < rule.min) failures.push_back(at_least("length", rule.min));
  if (count > rule.max) failures.push_back(at_most("length", rule.max));
  return failures;
}

std::vector<std::string> string_failures(const std::string& value, const StringRule& rule) {
  std::vector<std::string> failures;
  const std::size_t length = rule.length_in_bytes ? value.size() : code_point_length(value);
  if (length < rule.min_length) failures.push_back(at_least("length", rule.min_length));
  if (length > rule.max_length) {
    failures.push_back(at_most("length", rule.max_length));
    return failures;
  }
  if (!rule.pattern.empty() && !matches_pattern(rule.pattern, value)) {
    failures.push_back("Member must satisfy regular expression pattern: " +
                       std::string(rule.pattern));
  }
  return failures;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

enum class IntegerRead { ok, not_integer, too_small, too_large };

// Reads a JSON number as a signed 64-bit integer without ever converting out of range.
IntegerRead read_integer(const nlohmann::json& node, std::int64_t* out) {
  if (node.is_number_unsigned()) {
    const auto value = node.get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(INT64_MAX)) return IntegerRead::too_large;
    *out = static_cast<std::int64_t>(value);
    return IntegerRead::ok;
  }
  if (node.is_number_integer()) {
    *out = node.get<std::int64_t>();
    return IntegerRead::ok;
  }
  if (!node.is_number_float()) return IntegerRead::not_integer;
  const double value = node.get<double>();
  if (!std::isfinite(value) || value != std::trunc(value)) return IntegerRead::not_integer;
  // 2^63 is exactly representable; every double below it and at or above -2^63 fits.
  if (value >= 9223372036854775808.0) return IntegerRead::too_large;
  if (value < -9223372036854775808.0) return IntegerRead::too_small;
  *out = static_cast<std::int64_t>(value);
  return IntegerRead::ok;
}

std::string signed_text(std::int64_t value) { return std::to_string(value); }

struct PatternCache {
  std::mutex mutex;
  // nullptr marks a pattern that does not compile, so it is not compiled again.
  std::map<std::string, std::shared_ptr<const std::regex>, std::less<>> compiled;
};

std::shared_ptr<const std::regex> compiled_pattern(std::string_view pattern) {
  // Several worlds may live in one process (tests, the fuzzer), so the cache is guarded.
  static PatternCache cache;
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto found = cache.compiled.find(pattern);
  if (found != cache.compiled.end()) return found->second;
  std::shared_ptr<const std::regex> regex;
  try {
    regex = std::make_shared<const std::regex>(std::string(pattern), std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    regex = nullptr;
  }
  cache.compiled.emplace(std::string(pattern), regex);
  return regex;
}

}  // namespace

std::string show_value(const nlohmann::json& value) {
  if (value.is_string()) return single_quoted(value.get_ref<const std::string&>());
  return shorten(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool matches_pattern(std::string_view pattern, const std::string& value) {
  if (value.size() > kMaxPatternInputBytes) return false;
  const auto regex = compiled_pattern(pattern);
  // A pattern that does not compile is a bug in a fact-sheet table; rejecting every value
  // makes it show at once in that service's tests instead of letting bad input through.
  if (regex == nullptr) return false;
  try {
    return std::regex_match(value, *regex);
  } catch (const std::regex_error&) {
    return false;
  }
}

RequestValidator::RequestValidator(const nlohmann::json& object)
    : RequestValidator(object, "", nullptr) {}

RequestValidator::RequestValidator(const nlohmann::json& object, std::string prefix,
                                   std::shared_ptr<std::vector<FieldViolation>> violations)
    : object_(&object), prefix_(std::move(prefix)), violations_(std::move(violations)) {}

std::string RequestValidator::path_of(std::string_view name) const {
  return prefix_ + std::string(name);
}

std::vector<FieldViolation>& RequestValidator::shared_violations() {
  if (violations_ == nullptr) violations_ = std::make_shared<std::vector<FieldViolation>>();
  return *violations_;
}

const std::vector<FieldViolation>& RequestValidator::violations() const {
  static const std::vector<FieldViolation> none;
  return violations_ == nullptr ? none : *violations_;
}

void RequestValidator::fail(std::string_view path, std::string message, std::string shown_value) {
  shared_violations().push_back({std::string(path), std::move(message), std::move(shown_value)});
}

const nlohmann::json* RequestValidator::find(std::string_view name, bool required) {
  if (object_->is_object()) {
    // The object's keys compare with std::less<>, so the view is looked up as it is,
    // without a key string per lookup.
    const auto found = object_->find(name);
    if (found != object_->end() && !found->is_null()) return &*found;
  }
  if (required) fail(path_of(name), "Member must not be null", "null");
  return nullptr;
}

bool RequestValidator::check_string(std::string_view path, const std::string& value,
                                    const StringRule& rule) {
  const auto failures = string_failures(value, rule);
  for (const auto& failure : failures) fail(path, failure, single_quoted(value));
  return failures.empty();
}

std::optional<std::string> RequestValidator::string(std::string_view name, const StringRule& rule,
                                                    bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    fail(path_of(name), "Member must be a string", show_value(*node));
    return std::nullopt;
  }
  const auto& value = node->get_ref<const std::string&>();
  if (!check_string(path_of(name), value, rule)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> RequestValidator::integer(std::string_view name,
                                                      const IntegerRule& rule, bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return std::nullopt;
  const std::string path = path_of(name);
  std::int64_t value = 0;
  const IntegerRead read = read_integer(*node, &value);
  if (read == IntegerRead::not_integer) {
    fail(path, "Member must be an integer", show_value(*node));
    return std::nullopt;
  }
  const std::string at_least_text = "Member must have value greater than or equal to ";
  const std::string at_most_text = "Member must have value less than or equal to ";
  if (read == IntegerRead::too_small || (read == IntegerRead::ok && value < rule.min)) {
    fail(path, at_least_text + signed_text(rule.min), show_value(*node));
    return std::nullopt;
  }
  if (read == IntegerRead::too_large || value > rule.max) {
    fail(path, at_most_text + signed_text(rule.max), show_value(*node));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> RequestValidator::boolean(std::string_view name, bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return std::nullopt;
  if (!node->is_boolean()) {
    fail(path_of(name), "Member must be a boolean", show_value(*node));
    return std::nullopt;
  }
  return node->get<bool>();
}

std::optional<std::string> RequestValidator::enumeration(
    std::string_view name, std::initializer_list<std::string_view> values, bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    fail(path_of(name), "Member must be a string", show_value(*node));
    return std::nullopt;
  }
  const auto& value = node->get_ref<const std::string&>();
  std::vector<std::string> allowed;
  for (std::string_view candidate : values) {
    if (candidate == value) return value;
    allowed.emplace_back(candidate);
  }
  fail(path_of(name), "Member must satisfy enum value set: [" + join(allowed, ", ") + "]",
       single_quoted(value));
  return std::nullopt;
}

const nlohmann::json* RequestValidator::object(std::string_view name, bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return nullptr;
  if (!node->is_object()) {
    fail(path_of(name), "Member must be an object", show_value(*node));
    return nullptr;
  }
  return node;
}

const nlohmann::json* RequestValidator::array(std::string_view name, const CountRule& rule,
                                              bool required) {
  const nlohmann::json* node = find(name, required);
  if (node == nullptr) return nullptr;
  if (!node->is_array()) {
    fail(path_of(name), "Member must be a list", show_value(*node));
    return nullptr;
  }
  const auto failures = count_failures(node->size(), rule);
  for (const auto& failure : failures) fail(path_of(name), failure, show_value(*node));
  return failures.empty() ? node : nullptr;
}

std::optional<std::vector<std::string>> RequestValidator::string_list(std::string_view name,
                                                                      const CountRule& count,
                                                                      const StringRule& item,
                                                                      bool required) {
  const nlohmann::json* list = array(name, count, required);
  if (list == nullptr) return std::nullopt;
  std::vector<std::string> values;
  bool all_valid = true;
  for (std::size_t index = 0; index < list->size(); ++index) {
    const auto& node = (*list)[index];
    const std::string path = path_of(name) + "[" + std::to_string(index) + "]";
    if (!node.is_string()) {
      fail(path, "Member must be a string", show_value(node));
      all_valid = false;
      continue;
    }
    const auto& value = node.get_ref<const std::string&>();
    all_valid = check_string(path, value, item) && all_valid;
    values.push_back(value);
  }
  if (!all_valid) return std::nullopt;
  return values;
}

std::optional<std::vector<std::pair<std::string, std::string>>> RequestValidator::string_map(
    std::string_view name, const CountRule& count, const StringRule& key, const StringRule& value,
    bool required) {
  const nlohmann::json* map = object(name, required);
  if (map == nullptr) return std::nullopt;
  const std::string path = path_of(name);
  const auto count_violations = count_failures(map->size(), count);
  for (const auto& failure : count_violations) fail(path, failure, show_value(*map));
  if (!count_violations.empty()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> entries;
  bool all_valid = true;
  // nlohmann keeps object members sorted by key, so violations come in a stable order.
  for (const auto& [entry_key, entry_value] : map->items()) {
    const auto key_violations = string_failures(entry_key, key);
    if (!key_violations.empty()) {
      fail(path, "Map keys must satisfy constraint: [" + join(key_violations, ", ") + "]",
           single_quoted(entry_key));
      all_valid = false;
    }
    const std::string value_path = path + "." + entry_key;
    if (!entry_value.is_string()) {
      fail(value_path, "Member must be a string", show_value(entry_value));
      all_valid = false;
      continue;
    }
    const auto& text = entry_value.get_ref<const std::string&>();
    all_valid = check_string(value_path, text, value) && all_valid;
    entries.emplace_back(entry_key, text);
  }
  if (!all_valid) return std::nullopt;
  return entries;
}

std::optional<RequestValidator> RequestValidator::nested(std::string_view name, bool required) {
  const nlohmann::json* node = object(name, required);
  if (node == nullptr) return std::nullopt;
  shared_violations();
  return RequestValidator(*node, path_of(name) + ".", violations_);
}

std::string RequestValidator::message() const {
  const std::size_t count = violations().size();
  if (count == 0) return "";
  std::vector<std::string> parts;
  for (const auto& violation : violations()) {
    parts.push_back("Value " + violation.value + " at '" + violation.path +
                    "' failed to satisfy constraint: " + violation.message);
  }
  const std::string head = count == 1 ? "1 validation error detected: "
                                      : std::to_string(count) + " validation errors detected: ";
  return head + join(parts, "; ");
}

std::size_t code_point_length(std::string_view text) {
  std::size_t length = 0;
  for (char c : text) length += starts_code_point(static_cast<unsigned char>(c)) ? 1 : 0;
  return length;
}

std::string_view first_code_points(std::string_view text, std::size_t count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!starts_code_point(static_cast<unsigned char>(text[i]))) continue;
    if (seen == count) return text.substr(0, i);
    ++seen;
  }
  return text;
}

}  // namespace wfsim::models
