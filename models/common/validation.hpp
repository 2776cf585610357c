// Request validation from the fact sheets: required members, JSON types, lengths, patterns,
// ranges, enums and list sizes. The validator collects every violation of a request (AWS
// reports them all at once) and renders the standard AWS message:
//   "2 validation errors detected: Value 'a b' at 'name' failed to satisfy constraint:
//    Member must satisfy regular expression pattern: [a-zA-Z0-9]+; Value null at 'roleArn'
//    failed to satisfy constraint: Member must not be null"
// Services turn the violations into their own error shape (MWAA adds Reason and FieldList).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace wfsim::models {

struct FieldViolation {
  // The member path as the caller wrote it: "DefinitionS3Location.Bucket", "Tags.k".
  std::string path;
  std::string message;  // "Member must have length less than or equal to 255"
  std::string value;    // the offending value as shown in messages: "'abc'", "null", "101"
};

struct StringRule {
  std::size_t min_length = 0;
  std::size_t max_length = SIZE_MAX;
  // ECMAScript regex as in the fact sheet (with or without ^...$); the whole value must match.
  std::string_view pattern = {};
  // Glue states its lengths in bytes (glue fact sheet rule 9.19); Smithy counts code points.
  bool length_in_bytes = false;
};

struct IntegerRule {
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
};

struct CountRule {  // list items or map entries
  std::size_t min = 0;
  std::size_t max = SIZE_MAX;
};

// Checks members of one JSON object. A nested structure is checked with a child validator
// made by nested(), which shares the violation list and prefixes paths.
class RequestValidator {
 public:
  explicit RequestValidator(const nlohmann::json& object);
  // Move-only: the violation list is made lazily, so a copy taken before it exists could
  // not share it the way nested validators do.
  RequestValidator(RequestValidator&&) = default;
  RequestValidator& operator=(RequestValidator&&) = default;
  RequestValidator(const RequestValidator&) = delete;
  RequestValidator& operator=(const RequestValidator&) = delete;

  // Each getter checks presence and type; an absent optional member gives nullopt with no
  // violation, an absent required one a "Member must not be null" violation.
  std::optional<std::string> string(std::string_view name, const StringRule& rule,
                                    bool required = false);
  std::optional<std::int64_t> integer(std::string_view name, const IntegerRule& rule,
                                      bool required = false);
  std::optional<bool> boolean(std::string_view name, bool required = false);
  std::optional<std::string> enumeration(std::string_view name,
                                         std::initializer_list<std::string_view> values,
                                         bool required = false);
  // Members whose checks are the caller's own: the raw node when present with the right type.
  const nlohmann::json* object(std::string_view name, bool required = false);
  const nlohmann::json* array(std::string_view name, const CountRule& rule, bool required = false);
  // A list of strings, each checked against `item`.
  std::optional<std::vector<std::string>> string_list(std::string_view name, const CountRule& count,
                                                      const StringRule& item,
                                                      bool required = false);
  // A map of string to string (tags): entry count, key rule, value rule.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(
      std::string_view name, const CountRule& count, const StringRule& key,
      const StringRule& value, bool required = false);

  // A validator for the object member `name` (nullopt when absent; a violation when it is
  // present but not an object).
  std::optional<RequestValidator> nested(std::string_view name, bool required = false);

  // Records a violation the caller found itself (cross-field rules).
  void fail(std::string_view path, std::string message, std::string shown_value = "null");

  bool ok() const { return violations_ == nullptr || violations_->empty(); }
  const std::vector<FieldViolation>& violations() const;
  // The AWS message for all violations, as shown above.
  std::string message() const;
  // The full path of a member of this object: prefix + name.
  std::string path_of(std::string_view name) const;

 private:
  RequestValidator(const nlohmann::json& object, std::string prefix,
                   std::shared_ptr<std::vector<FieldViolation>> violations);
  const nlohmann::json* find(std::string_view name, bool required);
  bool check_string(std::string_view path, const std::string& value, const StringRule& rule);
  std::vector<FieldViolation>& shared_violations();

  const nlohmann::json* object_;
  std::string prefix_;
  // Made at the first violation or nested validator: most requests are valid and flat.
  std::shared_ptr<std::vector<FieldViolation>> violations_;
};

// How a value is shown in a validation message: strings quoted with single quotes, longer
// than 200 characters cut with "...", other JSON as compact text.
std::string show_value(const nlohmann::json& value);
// Whole-string regex match, compiled once per pattern and cached.
bool matches_pattern(std::string_view pattern, const std::string& value);
// Lengths in the sheets count code points (UTF-8 characters), not bytes.
std::size_t code_point_length(std::string_view text);
// The first `count` code points of `text` (all of it when shorter), never splitting one.
std::string_view first_code_points(std::string_view text, std::size_t count);

}  // namespace wfsim::models
