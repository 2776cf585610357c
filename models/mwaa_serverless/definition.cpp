// MWAA Serverless workflow definitions: the dag-factory YAML parser and the Jinja subset that
// renders task arguments (fact sheet section 12).
//
// Rules followed from the sheet: exactly one root key, the DAG id, with Airflow's key charset
// (12.2); the DAG keys, the ten default_args keys and the quoted "Unexpected element" and
// "Key error" texts (12.3); task keys, retries 0..3 (default 1), retry_delay 0..300 s (default
// 300 s), execution_timeout as a datetime.timedelta mapping of at most 60 minutes (default
// 3600 s), the twelve Airflow 3 trigger rules, sensor modes, and the quoted texts for each
// (12.4); the operator allowlist (12.5, operators.cpp); the 50 KB limit (12.7); Airflow cron
// and @ presets, with AWS cron()/rate() refused (12.8).
//
// Chosen where the sheet is silent (all unconfirmed):
//  - YAML scalars are typed the way PyYAML's YAML 1.1 resolver types them, since dag-factory
//    reads the file with PyYAML: yes/no/on/off are booleans, 0x, 0b, leading-zero octal and
//    sexagesimal (1:30) are integers, floats need a '.', duplicate mapping keys keep the last
//    value, a second YAML document is an error, tags other than the YAML core ones are
//    refused, and so are bytes that are not UTF-8 and non-printable characters.
//  - Typed values use dag-factory's `__type__` key (the sheet's spelling), with `__args__`
//    for positional arguments.
//  - 50 KB means 51200 bytes of YAML text.
//  - Warnings: one entry per scope with the names sorted, "<dag>: ignored attributes: a, b"
//    for the DAG keys description and max_active_runs (the two observed), then one
//    "<dag>.<task>: ignored attributes: ..." entry per task, in task-id order, for deferrable
//    and the AWS base attributes. The other ignored DAG keys of 12.3, max_active_tasks and the
//    ignored task attributes of 12.4 are accepted without a warning.
//  - An empty tasks mapping, or tasks given as null or a scalar, is "Invalid tasks
//    configuration.", the same text as a list.
//  - A params value that is a mapping with a `default` key and no keys outside {type,
//    default, description} is unwrapped to its default (the AWS sample's form).
//  - `upstream_tasks`, `downstream_tasks`, `expand` and `partial` are operator arguments no
//    operator takes, so they give "Invalid arguments were passed to <Operator> ...".
//  - PythonOperator without python_callable and BashOperator without bash_command give
//    Airflow's "missing keyword argument '<name>'"; other operators' signatures are unknown,
//    so their arguments are kept unchecked, with `{__type__: ...}` values kept as written.
//  - A datetime.timedelta mapping needs at least one numeric field; execution_timeout may not
//    be negative; "(<n> minutes)" prints n with at most six decimals.
//  - Rules without a quoted text answer "<dag>.<key>: <rule>, got <value>".
//  - Rendering: every string argument is rendered (templated fields are not known per
//    operator); undefined names render empty; attribute access on an undefined value is an
//    error with Jinja's text; ti.xcom_pull(...) renders None because the simulator's tasks
//    return nothing; macros.ds_add and macros.ds_format work (template_macros.hpp), 12.6's
//    other macros are an error naming them; lists and mappings render as JSON; `{% %}`
//    blocks are an error.
#include "models/mwaa_serverless/definition.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "models/mwaa_serverless/template_macros.hpp"
#include "sim/text.hpp"

namespace wfsim::models::mwaa {
namespace {

using Json = nlohmann::json;
using sim::ends_with;
using sim::starts_with;

constexpr std::size_t kMaxDefinitionBytes = 50 * 1024;
constexpr int kMaxYamlDepth = 100;              // deeper nesting (or an alias cycle) is refused
constexpr std::size_t kMaxYamlNodes = 100'000;  // counted with aliases expanded
constexpr std::size_t kMaxKeyLength = 250;      // Airflow's dag_id / task_id limit
constexpr int kMaxRetries = 3;
constexpr sim::DurationUs kMaxRetryDelayUs = sim::seconds(300);
constexpr sim::DurationUs kMaxExecutionTimeoutUs = sim::minutes(60);
constexpr std::size_t kShownValueChars = 120;  // longer values are cut in messages
constexpr int kMaxExpressionDepth = 32;        // nested brackets in one template expression
constexpr int kMaxArgumentDepth = 256;         // nesting render_arguments walks

const std::string kTypeKey = "__type__";
const std::string kArgsKey = "__args__";
const std::string kTimedeltaType = "datetime.timedelta";
const std::string kSingleDagMessage = "DAG definition should contain a single DAG";
const std::string kInvalidTasksMessage = "Invalid tasks configuration.";
const std::string kEndOfPrintMessage =
    "unexpected end of template, expected 'end of print statement'.";

// Validation stops at the first broken rule. An internal exception carries that rule's
// message out of nested helpers; the public entry points catch it, so it never escapes.
struct Rejection {
  std::string message;
};

[[noreturn]] void reject(std::string message) { throw Rejection{std::move(message)}; }

// ---------------------------------------------------------------------------------------
// Text helpers

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += separator;
    joined += item;
  }
  return joined;
}

// Cuts long values for messages at a UTF-8 character boundary, so messages stay valid text.
std::string shorten(std::string_view text) {
  if (text.size() <= kShownValueChars) return std::string(text);
  std::size_t cut = kShownValueChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// Whole numbers print without a fraction; others with up to six decimals, trailing zeros cut.
std::string decimal_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// ---------------------------------------------------------------------------------------
// YAML 1.1 scalar typing, as PyYAML's resolver does it (see the file note).

const std::set<std::string, std::less<>> kYamlBooleanTrue = {"yes",  "Yes", "YES", "true", "True",
                                                             "TRUE", "on",  "On",  "ON"};
const std::set<std::string, std::less<>> kYamlBooleanFalse = {
    "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};

bool is_yaml_null(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Digits of `base` and underscores, at least one digit.
bool digits_of_base(std::string_view text, int base) {
  bool any_digit = false;
  for (char c : text) {
    if (c == '_') continue;
    int digit = -1;
    if (is_digit(c)) digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return false;
    any_digit = true;
  }
  return any_digit;
}

// An integer as JSON: int64 when it fits, otherwise a double (Python ints are unbounded).
Json integer_json(long double magnitude, bool negative) {
  const long double value = negative ? -magnitude : magnitude;
  if (value >= -9.2e18L && value <= 9.2e18L) return static_cast<std::int64_t>(value);
  return static_cast<double>(value);
}

long double accumulate_digits(std::string_view text, int base) {
  long double value = 0;
  for (char c : text) {
    if (c == '_') continue;
    int digit = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
    value = value * base + digit;
  }
  return value;
}

// "1:30:05" style base-60 parts after the first; each is [0-5]?[0-9].
std::optional<long double> sexagesimal_parts(std::string_view text) {
  long double value = 0;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) colon = text.size();
    const std::string_view part = text.substr(start, colon - start);
    if (first) {
      if (part.empty() || part[0] < '1' || part[0] > '9' || !digits_of_base(part, 10)) {
        return std::nullopt;
      }
      value = accumulate_digits(part, 10);
    } else {
      const bool shape =
          (part.size() == 1 && is_digit(part[0])) ||
          (part.size() == 2 && part[0] >= '0' && part[0] <= '5' && is_digit(part[1]));
      if (!shape) return std::nullopt;
      value = value * 60 + accumulate_digits(part, 10);
    }
    first = false;
    start = colon + 1;
  }
  return value;
}

std::optional<Json> resolve_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || !is_digit(text[0])) return std::nullopt;
  if (text == "0") return Json(0);
  if (starts_with(text, "0b")) {
    if (!digits_of_base(text.substr(2), 2)) return std::nullopt;
    return integer_json(accumulate_digits(text.substr(2), 2), negative);
  }
  if (starts_with(text, "0x")) {
    if (!digits_of_base(text.substr(2), 16)) return std::nullopt;
    return integer_json(accumulate_digits(text.substr(2), 16), negative);
  }
  if (text[0] == '0') {
    if (!digits_of_base(text.substr(1), 8)) return std::nullopt;
    return integer_json(accumulate_digits(text.substr(1), 8), negative);
  }
  if (text.find(':') != std::string_view::npos) {
    const auto value = sexagesimal_parts(text);
    if (!value) return std::nullopt;
    return integer_json(*value, negative);
  }
  if (!digits_of_base(text, 10)) return std::nullopt;
  return integer_json(accumulate_digits(text, 10), negative);
}

std::optional<double> parse_double(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c != '_') clean += c;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (error != std::errc() || end != clean.data() + clean.size()) return std::nullopt;
  return value;
}

// [0-9_]* then an optional exponent [eE][-+][0-9]+ (PyYAML needs the exponent's sign).
bool fraction_and_exponent(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (is_digit(text[i]) || text[i] == '_')) ++i;
  if (i == text.size()) return true;
  if (text[i] != 'e' && text[i] != 'E') return false;
  if (i + 2 > text.size() || (text[i + 1] != '+' && text[i + 1] != '-')) return false;
  const std::string_view exponent = text.substr(i + 2);
  return !exponent.empty() && std::all_of(exponent.begin(), exponent.end(), is_digit);
}

std::optional<Json> resolve_float(std::string_view text) {
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return Json(std::nan(""));
  if (text.size() > 1 && text[0] == '.' && is_digit(text[1])) {
    if (!digits_of_base(text.substr(1, text.find_first_of("eE") - 1), 10)) return std::nullopt;
    if (!fraction_and_exponent(text.substr(1))) return std::nullopt;
    const auto value = parse_double(text);
    return value ? std::optional<Json>(*value) : std::nullopt;
  }
  bool negative = false;
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    return Json(negative ? -HUGE_VAL : HUGE_VAL);
  }
  const std::size_t dot = body.find('.');
  if (body.empty() || !is_digit(body[0]) || dot == std::string_view::npos) return std::nullopt;
  if (!fraction_and_exponent(body.substr(dot + 1))) return std::nullopt;
  const std::string_view whole = body.substr(0, dot);
  if (whole.find(':') != std::string_view::npos) {
    const auto value = sexagesimal_parts(whole);
    const auto fraction = parse_double("0" + std::string(body.substr(dot)));
    if (!value || !fraction) return std::nullopt;
    const double magnitude = static_cast<double>(*value) + *fraction;
    return Json(negative ? -magnitude : magnitude);
  }
  if (!digits_of_base(whole, 10)) return std::nullopt;
  const auto value = parse_double(text);
  return value ? std::optional<Json>(*value) : std::nullopt;
}

Json resolve_plain_scalar(const std::string& text) {
  if (is_yaml_null(text)) return nullptr;
  if (kYamlBooleanTrue.count(text) > 0) return true;
  if (kYamlBooleanFalse.count(text) > 0) return false;
  if (auto integer = resolve_integer(text)) return *integer;
  if (auto floating = resolve_float(text)) return *floating;
  return text;
}

const std::string kCoreTagPrefix = "tag:yaml.org,2002:";
const std::string kStringTag = kCoreTagPrefix + "str";
const std::string kFloatTag = kCoreTagPrefix + "float";

Json scalar_json(const YAML::Node& node) {
  if (node.IsNull()) return nullptr;
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == kStringTag) return text;
  Json value = resolve_plain_scalar(text);
  if (tag == kFloatTag && value.is_number_integer()) return value.get<double>();
  return value;
}

// ---------------------------------------------------------------------------------------
// Dates in the text forms a definition may use.

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(text[i])) return false;
  }
  return true;
}

int digits_value(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// "YYYY-MM-DD" (UTC midnight), RFC 3339, or a date-time PyYAML would read as a timestamp
// ("2031-06-01 10:00:00", no offset = UTC).
std::optional<sim::TimeUs> parse_date_text(std::string_view text) {
  if (is_iso_date(text)) {
    return sim::from_civil(digits_value(text.substr(0, 4)), digits_value(text.substr(5, 2)),
                           digits_value(text.substr(8, 2)));
  }
  if (auto instant = sim::parse_rfc3339(text)) return instant;
  if (text.size() < 19 || !is_iso_date(text.substr(0, 10))) return std::nullopt;
  std::string normalised(text);
  if (normalised[10] == ' ' || normalised[10] == 't') normalised[10] = 'T';
  const std::string_view clock = std::string_view(normalised).substr(11);
  const bool has_offset = ends_with(clock, "Z") || ends_with(clock, "z") ||
                          clock.find_first_of("+-") != std::string_view::npos;
  if (!has_offset) normalised += 'Z';
  return sim::parse_rfc3339(normalised);
}

// ---------------------------------------------------------------------------------------
// YAML node access

using Mapping = std::map<std::string, YAML::Node>;

bool is_typed_mapping(const YAML::Node& node) {
  if (!node.IsMap()) return false;
  for (const auto& entry : node) {
    if (entry.first.IsScalar() && entry.first.Scalar() == kTypeKey) return true;
  }
  return false;
}

// The `__type__` import path of a typed mapping (the last one written, as PyYAML keeps it).
std::string type_path(const YAML::Node& node) {
  std::string path;
  for (const auto& entry : node) {
    if (entry.first.IsScalar() && entry.first.Scalar() == kTypeKey) {
      path = entry.second.IsScalar() ? entry.second.Scalar() : std::string();
    }
  }
  return path;
}

// The name Python's type() would print for the value PyYAML and dag-factory build from a node.
std::string python_type_name(const YAML::Node& node) {
  if (node.IsNull()) return "NoneType";
  if (node.IsSequence()) return "list";
  if (node.IsMap()) {
    const std::string path = is_typed_mapping(node) ? type_path(node) : std::string();
    if (path.empty()) return "dict";
    return path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  }
  const Json value = scalar_json(node);
  if (value.is_boolean()) return "bool";
  if (value.is_number_integer()) return "int";
  if (value.is_number_float()) return "float";
  if (node.Tag() == "?" && is_iso_date(node.Scalar())) return "date";
  if (node.Tag() == "?" && node.Scalar().size() > 10 && parse_date_text(node.Scalar())) {
    return "datetime";
  }
  return "str";
}

// A node as it appears in a message: scalars as written, None, or the Python type name.
std::string shown(const YAML::Node& node) {
  if (node.IsNull()) return "None";
  if (node.IsScalar()) return "'" + shorten(node.Scalar()) + "'";
  return python_type_name(node);
}

std::string key_text(const YAML::Node& key, const std::string& path) {
  if (key.IsScalar()) return key.Scalar();
  if (key.IsNull()) return "";
  reject(path + ": mapping keys must be scalars, got " + python_type_name(key));
}

// The entries of a mapping by key; a repeated key keeps its last value, as PyYAML does.
// Nodes are erased and re-emplaced, never assigned: assigning one YAML::Node to another
// rewrites the referenced node inside the document.
Mapping entries(const YAML::Node& map, const std::string& path) {
  Mapping result;
  for (const auto& entry : map) {
    std::string key = key_text(entry.first, path);
    result.erase(key);
    result.emplace(std::move(key), entry.second);
  }
  return result;
}

// Converts a node to JSON with YAML 1.1 scalar types; typed mappings stay as written.
Json to_json(const YAML::Node& node, const std::string& path) {
  if (node.IsSequence()) {
    Json items = Json::array();
    for (const auto& item : node) items.push_back(to_json(item, path));
    return items;
  }
  if (node.IsMap()) {
    Json members = Json::object();
    for (const auto& [key, value] : entries(node, path)) {
      members[key] = to_json(value, path + "." + key);
    }
    return members;
  }
  return scalar_json(node);
}

bool allowed_tag(const std::string& tag) {
  static const std::set<std::string> kCoreTags = {"str",  "int", "float", "bool",
                                                  "null", "map", "seq"};
  if (tag.empty() || tag == "?" || tag == "!") return true;
  return starts_with(tag, kCoreTagPrefix) && kCoreTags.count(tag.substr(kCoreTagPrefix.size()));
}

// One walk over the whole document before anything reads it: it refuses unknown tags, and
// bounds nesting and alias expansion, so every later recursive walk is bounded too.
class DocumentShapeCheck {
 public:
  void walk(const YAML::Node& node, int depth) {
    if (++visited_ > kMaxYamlNodes) {
      reject("Invalid YAML: the document expands to more than " + std::to_string(kMaxYamlNodes) +
             " nodes (aliases included)");
    }
    if (depth > kMaxYamlDepth) {
      reject("Invalid YAML: nesting deeper than " + std::to_string(kMaxYamlDepth) +
             " levels (or an alias that contains itself)");
    }
    if (!allowed_tag(node.Tag())) {
      reject("Invalid YAML: could not determine a constructor for the tag '" + shorten(node.Tag()) +
             "'");
    }
    if (node.IsSequence()) {
      for (const auto& item : node) walk(item, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        walk(entry.first, depth + 1);
        walk(entry.second, depth + 1);
      }
    }
  }

 private:
  std::size_t visited_ = 0;
};

bool is_printable(std::uint32_t code_point) {
  return code_point == 0x09 || code_point == 0x0A || code_point == 0x0D ||
         (code_point >= 0x20 && code_point <= 0x7E) || code_point == 0x85 ||
         (code_point >= 0xA0 && code_point <= 0xD7FF) ||
         (code_point >= 0xE000 && code_point <= 0xFFFD) ||
         (code_point >= 0x10000 && code_point <= 0x10FFFF);
}

[[noreturn]] void reject_byte(std::string_view text, std::size_t position, const char* reason) {
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[position]));
  reject(std::string("Invalid YAML: 'utf-8' codec can't decode byte ") + byte + " in position " +
         std::to_string(position) + ": " + reason);
}

// PyYAML's reader refuses text that is not UTF-8 and characters outside its printable set
// before parsing. Doing the same keeps yaml-cpp away from NUL and control bytes, and keeps
// every string taken from the document valid UTF-8.
void check_characters(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80             ? 1
                         : (lead & 0xE0) == 0xC0 ? 2
                         : (lead & 0xF0) == 0xE0 ? 3
                         : (lead & 0xF8) == 0xF0 ? 4
                                                 : 0;
    if (length == 0 || lead == 0xC0 || lead == 0xC1) reject_byte(text, at, "invalid start byte");
    if (at + length > text.size()) reject_byte(text, at, "unexpected end of data");
    std::uint32_t code_point = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[at + k]);
      if ((next & 0xC0) != 0x80) reject_byte(text, at, "invalid continuation byte");
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < smallest[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      reject_byte(text, at, "invalid continuation byte");
    }
    if (!is_printable(code_point)) {
      char shown_code[16];
      std::snprintf(shown_code, sizeof shown_code, "#x%04x", code_point);
      reject(std::string("Invalid YAML: unacceptable character ") + shown_code +
             ": special characters are not allowed, position " + std::to_string(at));
    }
    at += length;
  }
}

// Receives parse events and keeps nothing; used only to count documents.
class IgnoreEvents : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Counts documents, stopping at two. yaml-cpp 0.7's LoadAll never returns on some malformed
// input (a bare ',' at document level yields endless empty documents), so the stream is read
// one document at a time here instead.
std::size_t count_documents(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  IgnoreEvents events;
  std::size_t documents = 0;
  while (documents < 2 && parser.HandleNextDocument(events)) ++documents;
  return documents;
}

[[noreturn]] void reject_yaml_error(const YAML::Exception& error) {
  if (error.mark.is_null()) reject("Invalid YAML: " + error.msg);
  reject("Invalid YAML at line " + std::to_string(error.mark.line + 1) + ", column " +
         std::to_string(error.mark.column + 1) + ": " + error.msg);
}

YAML::Node parse_document(const std::string& text) {
  try {
    const std::size_t documents = count_documents(text);
    if (documents > 1) reject("Invalid YAML: expected a single document in the stream");
    return documents == 1 ? YAML::Load(text) : YAML::Node();
  } catch (const YAML::Exception& error) {
    reject_yaml_error(error);
  }
}

YAML::Node load_single_document(std::string_view text) {
  check_characters(text);
  const YAML::Node document = parse_document(std::string(text));
  DocumentShapeCheck().walk(document, 0);
  return document;
}

// ---------------------------------------------------------------------------------------
// Typed values: datetime.timedelta and datetime.datetime mappings.

struct TimedeltaUnit {
  const char* name;
  long double microseconds;
};

// Python's timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks) order,
// which `__args__` follows.
constexpr TimedeltaUnit kTimedeltaUnits[] = {
    {"days", 86'400'000'000.0L},   {"seconds", 1'000'000.0L},  {"microseconds", 1.0L},
    {"milliseconds", 1'000.0L},    {"minutes", 60'000'000.0L}, {"hours", 3'600'000'000.0L},
    {"weeks", 604'800'000'000.0L},
};

const TimedeltaUnit* find_timedelta_unit(const std::string& name) {
  for (const TimedeltaUnit& unit : kTimedeltaUnits) {
    if (name == unit.name) return &unit;
  }
  return nullptr;
}

long double timedelta_component(const YAML::Node& value, const std::string& unit) {
  const Json number = value.IsScalar() ? scalar_json(value) : Json();
  if (!number.is_number() || number.is_boolean()) {
    reject("unsupported type for timedelta " + unit + " component: " + python_type_name(value));
  }
  return number.get<double>();
}

// Microseconds, rounded to the nearest; out-of-range or non-finite totals are refused.
sim::DurationUs checked_microseconds(long double total, const std::string& path) {
  if (!std::isfinite(total) || std::fabs(total) > 1e17L) {
    reject(path + ": datetime.timedelta value out of range");
  }
  return static_cast<sim::DurationUs>(std::llround(total));
}

long double positional_timedelta(const YAML::Node& args, const std::string& path, int* fields) {
  if (!args.IsSequence() || args.size() > std::size(kTimedeltaUnits)) {
    reject(path + ": __args__ of datetime.timedelta must be a list of at most 7 numbers");
  }
  long double total = 0;
  std::size_t index = 0;
  for (const auto& item : args) {
    const TimedeltaUnit& unit = kTimedeltaUnits[index++];
    total += timedelta_component(item, unit.name) * unit.microseconds;
    ++*fields;
  }
  return total;
}

// The span of a `{__type__: datetime.timedelta, ...}` mapping the caller has recognised.
sim::DurationUs timedelta_us(const YAML::Node& node, const std::string& path) {
  long double total = 0;
  int fields = 0;
  for (const auto& [key, value] : entries(node, path)) {
    if (key == kTypeKey) continue;
    if (key == kArgsKey) {
      total += positional_timedelta(value, path, &fields);
      continue;
    }
    const TimedeltaUnit* unit = find_timedelta_unit(key);
    if (unit == nullptr) {
      reject(path + ": '" + shorten(key) + "' is an invalid keyword argument for " +
             kTimedeltaType);
    }
    total += timedelta_component(value, key) * unit->microseconds;
    ++fields;
  }
  if (fields == 0) {
    reject(path + ": a " + kTimedeltaType +
           " needs at least one of weeks, days, hours, minutes, seconds, milliseconds, "
           "microseconds");
  }
  return checked_microseconds(total, path);
}

bool is_timedelta(const YAML::Node& node) {
  return is_typed_mapping(node) && type_path(node) == kTimedeltaType;
}

constexpr const char* kDatetimeFields[] = {"year",   "month",  "day",        "hour",
                                           "minute", "second", "microsecond"};

// Fills `values` (year, month, day, hour, minute, second, microsecond) from keyword fields
// and `__args__`; -1 marks a field not given.
void datetime_fields(const YAML::Node& node, const std::string& path, std::int64_t values[7]) {
  const auto set_field = [&](std::size_t index, const YAML::Node& value) {
    const Json number = value.IsScalar() ? scalar_json(value) : Json();
    if (!number.is_number_integer()) {
      reject(path + ": datetime." + kDatetimeFields[index] + " must be an integer, got " +
             shown(value));
    }
    values[index] = number.get<std::int64_t>();
  };
  for (const auto& [key, value] : entries(node, path)) {
    if (key == kTypeKey) continue;
    if (key == kArgsKey && value.IsSequence() && value.size() <= 7) {
      std::size_t index = 0;
      for (const auto& item : value) set_field(index++, item);
      continue;
    }
    const auto* found = std::find_if(std::begin(kDatetimeFields), std::end(kDatetimeFields),
                                     [&field = key](const char* name) { return field == name; });
    if (found == std::end(kDatetimeFields)) {
      reject(path + ": '" + shorten(key) + "' is an invalid keyword argument for " +
             type_path(node));
    }
    set_field(static_cast<std::size_t>(found - std::begin(kDatetimeFields)), value);
  }
}

sim::TimeUs datetime_us(const YAML::Node& node, const std::string& path) {
  std::int64_t values[7] = {-1, -1, -1, 0, 0, 0, 0};
  datetime_fields(node, path, values);
  if (values[0] < 0 || values[1] < 0 || values[2] < 0) {
    reject(path + ": " + type_path(node) + " needs year, month and day");
  }
  for (std::int64_t value : values) {
    if (value < 0 || value > 1'000'000) reject(path + ": date field out of range");
  }
  const auto instant = sim::from_civil(static_cast<int>(values[0]), static_cast<int>(values[1]),
                                       static_cast<int>(values[2]), static_cast<int>(values[3]),
                                       static_cast<int>(values[4]), static_cast<int>(values[5]),
                                       static_cast<int>(values[6]));
  if (!instant) reject(path + ": not a valid date and time");
  return *instant;
}

// start_date / end_date: a date string, RFC 3339, or a datetime.datetime / datetime.date
// mapping. Null means not given.
std::optional<sim::TimeUs> read_date(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return std::nullopt;
  if (is_typed_mapping(node) &&
      (type_path(node) == "datetime.datetime" || type_path(node) == "datetime.date")) {
    return datetime_us(node, path);
  }
  if (node.IsScalar()) {
    if (auto instant = parse_date_text(node.Scalar())) return instant;
  }
  reject(path + ": must be a date (YYYY-MM-DD, RFC 3339 or a datetime.datetime mapping), got " +
         shown(node));
}

// ---------------------------------------------------------------------------------------
// Values shared by default_args and tasks (12.4)

const std::vector<std::string> kTriggerRules = {
    "all_success", "all_failed", "all_done",    "all_done_setup_success",      "one_success",
    "one_failed",  "one_done",   "none_failed", "none_failed_min_one_success", "none_skipped",
    "all_skipped", "always"};

int read_retries(const YAML::Node& node, const std::string& path) {
  const Json value = node.IsScalar() ? scalar_json(node) : Json();
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
      value.get<std::int64_t>() > kMaxRetries) {
    reject(path + ".retries: must be an integer between 0 and 3, got " + shown(node));
  }
  return static_cast<int>(value.get<std::int64_t>());
}

// Integer or float seconds (Airflow builds timedelta(seconds=value)), or a timedelta mapping.
sim::DurationUs read_retry_delay(const YAML::Node& node, const std::string& path) {
  sim::DurationUs delay_us = 0;
  if (is_timedelta(node)) {
    delay_us = timedelta_us(node, path + ".retry_delay");
  } else {
    const Json value = node.IsScalar() ? scalar_json(node) : Json();
    if (!value.is_number() || value.is_boolean()) {
      reject("unsupported type for timedelta seconds component: " + python_type_name(node));
    }
    delay_us = checked_microseconds(value.get<double>() * 1e6L, path + ".retry_delay");
  }
  if (delay_us < 0 || delay_us > kMaxRetryDelayUs) {
    reject(path + ".retry_delay: must be between 0 and 300 seconds, got " +
           decimal_text(static_cast<double>(delay_us) / 1e6) + " seconds");
  }
  return delay_us;
}

std::optional<sim::DurationUs> read_execution_timeout(const YAML::Node& node,
                                                      const std::string& path) {
  if (node.IsNull()) return std::nullopt;
  if (!is_timedelta(node)) {
    reject("execution_timeout must be timedelta object but passed as type: " +
           python_type_name(node));
  }
  const sim::DurationUs timeout_us = timedelta_us(node, path + ".execution_timeout");
  if (timeout_us > kMaxExecutionTimeoutUs) {
    reject("execution_timeout (" + decimal_text(static_cast<double>(timeout_us) / 60e6) +
           " minutes) must be less than or equal to 60 minutes");
  }
  if (timeout_us < 0) {
    reject(path + ".execution_timeout: must not be negative, got " +
           decimal_text(static_cast<double>(timeout_us) / 1e6) + " seconds");
  }
  return timeout_us;
}

std::string read_trigger_rule(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar() &&
      std::find(kTriggerRules.begin(), kTriggerRules.end(), node.Scalar()) != kTriggerRules.end()) {
    return node.Scalar();
  }
  reject(path + ".trigger_rule: must be one of " + join(kTriggerRules, ", ") + ", got " +
         shown(node));
}

// ---------------------------------------------------------------------------------------
// DAG level (12.2, 12.3)

// Airflow's key rule. A task id may start with '_', '.' or '-' although the API's TaskId
// pattern wants an alphanumeric first character: 12.4 leaves this unconfirmed, and the
// simulator accepts such ids, as dag-factory does.
bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
           c == '.' || c == '-';
  });
}

void check_key(const std::string& what, const std::string& key) {
  if (!valid_key(key)) {
    reject(what + " '" + shorten(key) +
           "' must match ^[a-zA-Z0-9_.-]+$ and be at most 250 characters long");
  }
}

const std::set<std::string> kDagReadKeys = {"dag_id", "schedule",     "start_date", "end_date",
                                            "params", "default_args", "tasks"};
const std::set<std::string> kDagWarnedKeys = {"description", "max_active_runs"};
const std::set<std::string> kDagSilentKeys = {
    "max_active_tasks", "template_searchpath", "template_undefined", "user_defined_macros",
    "user_defined_filters", "catchup", "access_control", "jinja_environment_kwargs",
    "render_template_as_native_obj", "tags", "owner_links", "auto_register", "fail_fast",
    "dag_display_name", "depends_on_past", "email_on_failure", "email_on_retry",
    "max_consecutive_failed_dag_runs", "dagrun_timeout", "sla_miss_callback",
    "on_failure_callback", "on_success_callback", "is_paused_upon_creation"};

// Refuses keys outside the schema and returns the names that earn a warning.
std::vector<std::string> check_dag_keys(const Mapping& dag, const std::string& dag_id) {
  std::vector<std::string> warned;
  for (const auto& [key, value] : dag) {
    if (kDagReadKeys.count(key) > 0 || kDagSilentKeys.count(key) > 0) continue;
    if (kDagWarnedKeys.count(key) == 0)
      reject(dag_id + "." + shorten(key) + ": Unexpected element");
    warned.push_back(key);
  }
  return warned;
}

void check_informational_keys(const Mapping& dag, const std::string& dag_id) {
  const auto inner_id = dag.find("dag_id");
  if (inner_id != dag.end() &&
      (!inner_id->second.IsScalar() || inner_id->second.Scalar().empty())) {
    reject(dag_id + ".dag_id: must be a non-empty string, got " + shown(inner_id->second));
  }
  const auto max_runs = dag.find("max_active_runs");
  if (max_runs != dag.end()) {
    const Json value = max_runs->second.IsScalar() ? scalar_json(max_runs->second) : Json();
    if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
      reject(dag_id + ".max_active_runs: must be a positive integer, got " +
             shown(max_runs->second));
    }
  }
}

// Task values that default_args supplies when a task does not (12.4).
struct TaskDefaults {
  std::optional<int> retries;
  std::optional<sim::DurationUs> retry_delay_us;
  std::optional<sim::DurationUs> execution_timeout_us;
  std::optional<std::string> trigger_rule;
  std::optional<sim::TimeUs> start_date_us;
  std::optional<sim::TimeUs> end_date_us;
};

const std::vector<std::string> kDefaultArgsKeys = {"owner",
                                                   "email",
                                                   "retries",
                                                   "retry_delay",
                                                   "priority_weight",
                                                   "end_date",
                                                   "wait_for_downstream",
                                                   "execution_timeout",
                                                   "trigger_rule",
                                                   "start_date"};

std::string default_args_key_error(const std::string& key) {
  std::string allowed;
  for (const std::string& name : kDefaultArgsKeys) {
    allowed += (allowed.empty() ? "'" : ", '") + name + "'";
  }
  return "Key error - '" + shorten(key) + "' not in (" + allowed + ")";
}

TaskDefaults read_default_args(const Mapping& dag, const std::string& dag_id) {
  TaskDefaults defaults;
  const auto found = dag.find("default_args");
  if (found == dag.end() || found->second.IsNull()) return defaults;
  const std::string path = dag_id + ".default_args";
  if (!found->second.IsMap()) {
    reject(path + ": must be a mapping, got " + python_type_name(found->second));
  }
  for (const auto& [key, value] : entries(found->second, path)) {
    if (std::find(kDefaultArgsKeys.begin(), kDefaultArgsKeys.end(), key) ==
        kDefaultArgsKeys.end()) {
      reject(default_args_key_error(key));
    }
    if (key == "retries") defaults.retries = read_retries(value, path);
    if (key == "retry_delay") defaults.retry_delay_us = read_retry_delay(value, path);
    if (key == "execution_timeout") {
      defaults.execution_timeout_us = read_execution_timeout(value, path);
    }
    if (key == "trigger_rule") defaults.trigger_rule = read_trigger_rule(value, path);
    if (key == "start_date") defaults.start_date_us = read_date(value, path + ".start_date");
    if (key == "end_date") defaults.end_date_us = read_date(value, path + ".end_date");
  }
  return defaults;
}

void read_schedule(const Mapping& dag, const std::string& dag_id, WorkflowDefinition& workflow) {
  const auto found = dag.find("schedule");
  if (found == dag.end() || found->second.IsNull()) return;
  const std::string path = dag_id + ".schedule";
  if (!found->second.IsScalar()) {
    reject(path + ": must be a cron expression, an @ preset or null, got " +
           python_type_name(found->second));
  }
  const std::string& text = found->second.Scalar();
  if (text == "None" || text == "none") return;
  std::string_view trimmed = text;
  while (!trimmed.empty() && is_space(trimmed.front())) trimmed.remove_prefix(1);
  if (starts_with(trimmed, "cron(") || starts_with(trimmed, "rate(")) {
    reject(path +
           ": AWS cron() and rate() expressions are not supported; use a 5-field "
           "Airflow cron expression or an @ preset, got '" +
           shorten(text) + "'");
  }
  std::string error;
  auto schedule = sim::Schedule::parse_airflow(text, &error);
  if (!schedule) reject(path + ": invalid cron expression '" + shorten(text) + "': " + error);
  workflow.schedule = text;
  workflow.parsed_schedule = std::move(schedule);
}

// A start_date in the past is accepted: 12.3 says it "must be in the future" but leaves the
// exact rule unconfirmed, and without catch-up (12.8) a past start only means the schedule
// fires from now on.
void read_dates(const Mapping& dag, const std::string& dag_id, const TaskDefaults& defaults,
                WorkflowDefinition& workflow) {
  const auto start = dag.find("start_date");
  const auto end = dag.find("end_date");
  workflow.start_date_us =
      start != dag.end() ? read_date(start->second, dag_id + ".start_date") : std::nullopt;
  workflow.end_date_us =
      end != dag.end() ? read_date(end->second, dag_id + ".end_date") : std::nullopt;
  if (!workflow.start_date_us) workflow.start_date_us = defaults.start_date_us;
  if (!workflow.end_date_us) workflow.end_date_us = defaults.end_date_us;
  if (workflow.start_date_us && workflow.end_date_us &&
      *workflow.end_date_us < *workflow.start_date_us) {
    reject(dag_id + ".end_date: must be on or after start_date " +
           sim::format_rfc3339(*workflow.start_date_us) + ", got " +
           sim::format_rfc3339(*workflow.end_date_us));
  }
}

// The AWS sample's `{type: ..., default: ...}` declaration stands for its default.
Json param_default(Json value) {
  if (!value.is_object() || value.find("default") == value.end()) return value;
  for (const auto& member : value.items()) {
    if (member.key() != "type" && member.key() != "default" && member.key() != "description") {
      return value;
    }
  }
  return value["default"];
}

void read_params(const Mapping& dag, const std::string& dag_id, WorkflowDefinition& workflow) {
  const auto found = dag.find("params");
  if (found == dag.end() || found->second.IsNull()) return;
  const std::string path = dag_id + ".params";
  if (!found->second.IsMap()) {
    reject(path + ": must be a mapping of parameter name to default value, got " +
           python_type_name(found->second));
  }
  for (const auto& [name, value] : entries(found->second, path)) {
    workflow.params[name] = param_default(to_json(value, path + "." + name));
  }
}

// ---------------------------------------------------------------------------------------
// Tasks (12.4)

const std::set<std::string> kTaskWarnedKeys = {"deferrable", "aws_conn_id", "region_name", "verify",
                                               "botocore_config"};
const std::set<std::string> kTaskSilentKeys = {
    "task_id", "on_execute_callback", "on_failure_callback", "on_success_callback",
    "on_retry_callback", "on_skipped_callback", "email", "email_on_failure", "email_on_retry",
    "owner", "retry_exponential_backoff", "max_retry_delay", "depends_on_past",
    "ignore_first_depends_on_past", "wait_for_downstream", "wait_for_past_depends_before_skipping",
    "priority_weight", "weight_rule", "sla", "max_active_tis_per_dag", "max_active_tis_per_dagrun",
    "task_concurrency", "pool", "pool_slots", "queue", "executor", "executor_config", "resources",
    "run_as_user", "doc", "doc_md", "doc_json", "doc_yaml", "doc_rst", "task_display_name",
    "logger_name", "allow_nested_operators", "inlets", "outlets", "map_index_template",
    "do_xcom_push", "multiple_outputs", "start_date", "end_date", "pre_execute", "post_execute",
    "task_group"};
const std::set<std::string> kInvalidTaskArguments = {"upstream_tasks", "downstream_tasks", "expand",
                                                     "partial"};
const std::map<std::string, std::string> kRequiredArguments = {
    {"PythonOperator", "python_callable"}, {"BashOperator", "bash_command"}};

struct TaskReading {
  TaskDefinition task;
  std::vector<std::string> warned;   // dropped attributes that earn a warning, sorted
  std::vector<std::string> invalid;  // arguments no operator accepts, sorted
};

void read_operator(const Mapping& keys, const std::string& path, TaskDefinition& task) {
  const auto found = keys.find("operator");
  if (found == keys.end() || found->second.IsNull()) {
    reject(path + ".operator: Missing required element");
  }
  if (!found->second.IsScalar()) {
    reject(path + ".operator: must be a fully qualified class path, got " +
           python_type_name(found->second));
  }
  const std::string& operator_path = found->second.Scalar();
  if (!is_allowed_operator(operator_path)) {
    reject("Task '" + task.task_id + "' 's operator '" + shorten(operator_path) +
           "' is not supported");
  }
  task.operator_path = operator_path;
  task.operator_name = operator_path.substr(operator_path.rfind('.') + 1);
}

std::vector<std::string> read_dependencies(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> dependencies;
  if (node.IsNull()) return dependencies;
  if (!node.IsSequence()) {
    reject(path + ".dependencies: must be a list of task ids, got " + python_type_name(node));
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      reject(path + ".dependencies: each entry must be a task id, got " + python_type_name(item));
    }
    dependencies.push_back(item.Scalar());
  }
  return dependencies;
}

// Routes one task key: a structural value, a dropped attribute, or an operator argument.
void apply_task_key(const std::string& key, const YAML::Node& value, const std::string& path,
                    TaskReading& reading) {
  TaskDefinition& task = reading.task;
  if (key == "operator" || kTaskSilentKeys.count(key) > 0) return;
  if (key == "dependencies") {
    task.dependencies = read_dependencies(value, path);
  } else if (key == "retries") {
    task.retries = read_retries(value, path);
  } else if (key == "retry_delay") {
    task.retry_delay_us = read_retry_delay(value, path);
  } else if (key == "execution_timeout") {
    task.execution_timeout_us =
        read_execution_timeout(value, path).value_or(task.execution_timeout_us);
  } else if (key == "trigger_rule") {
    task.trigger_rule = read_trigger_rule(value, path);
  } else if (kTaskWarnedKeys.count(key) > 0) {
    reading.warned.push_back(key);
  } else if (kInvalidTaskArguments.count(key) > 0) {
    reading.invalid.push_back(key);
  } else {
    task.arguments[key] = to_json(value, path + "." + key);
  }
}

// Checks an operator constructor would make: unknown kwargs, sensor mode, required kwargs.
void check_constructor(const TaskReading& reading) {
  const TaskDefinition& task = reading.task;
  if (!reading.invalid.empty()) {
    reject("Invalid arguments were passed to " + task.operator_name + " (task_id: " + task.task_id +
           "). Invalid arguments were: " + join(reading.invalid, ", "));
  }
  const auto mode = task.arguments.find("mode");
  if (ends_with(task.operator_name, "Sensor") && mode != task.arguments.end() &&
      !(*mode == "poke" || *mode == "reschedule")) {
    reject("The mode must be one of ['poke', 'reschedule']");
  }
  const auto required = kRequiredArguments.find(task.operator_name);
  if (required != kRequiredArguments.end() &&
      task.arguments.find(required->second) == task.arguments.end()) {
    reject("missing keyword argument '" + required->second + "'");
  }
}

TaskReading read_task(const std::string& dag_id, const std::string& task_id, const YAML::Node& body,
                      const TaskDefaults& defaults) {
  check_key("Task id", task_id);
  const std::string path = dag_id + ".tasks." + task_id;
  if (!body.IsMap()) reject(path + ": a task must be a mapping, got " + python_type_name(body));
  const Mapping keys = entries(body, path);
  TaskReading reading;
  TaskDefinition& task = reading.task;
  task.task_id = task_id;
  read_operator(keys, path, task);
  task.retries = defaults.retries.value_or(task.retries);
  task.retry_delay_us = defaults.retry_delay_us.value_or(task.retry_delay_us);
  task.execution_timeout_us = defaults.execution_timeout_us.value_or(task.execution_timeout_us);
  task.trigger_rule = defaults.trigger_rule.value_or(task.trigger_rule);
  for (const auto& [key, value] : keys) apply_task_key(key, value, path, reading);
  check_constructor(reading);
  return reading;
}

void check_dependencies_exist(const std::map<std::string, TaskReading>& tasks,
                              const std::string& dag_id) {
  for (const auto& [task_id, reading] : tasks) {
    for (const std::string& upstream : reading.task.dependencies) {
      if (tasks.count(upstream) == 0) {
        reject(dag_id + ".tasks." + task_id + ".dependencies: unknown task '" + shorten(upstream) +
               "'");
      }
    }
  }
}

// Kahn's algorithm; among tasks that are ready at once, the smallest task id goes first.
std::vector<TaskDefinition> topological_order(std::map<std::string, TaskReading>& tasks) {
  std::map<std::string, std::size_t> waiting_on;
  std::map<std::string, std::set<std::string>> downstream;
  for (const auto& [task_id, reading] : tasks) {
    const std::set<std::string> upstream(reading.task.dependencies.begin(),
                                         reading.task.dependencies.end());
    waiting_on[task_id] = upstream.size();
    for (const std::string& name : upstream) downstream[name].insert(task_id);
  }
  std::set<std::string> ready;
  for (const auto& [task_id, count] : waiting_on) {
    if (count == 0) ready.insert(task_id);
  }
  std::vector<TaskDefinition> order;
  while (!ready.empty()) {
    const std::string task_id = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(std::move(tasks.at(task_id).task));
    for (const std::string& next : downstream[task_id]) {
      if (--waiting_on[next] == 0) ready.insert(next);
    }
  }
  if (order.size() != tasks.size()) reject("Cycle detected in task dependencies!");
  return order;
}

void read_tasks(const Mapping& dag, const std::string& dag_id, const TaskDefaults& defaults,
                WorkflowDefinition& workflow) {
  const auto found = dag.find("tasks");
  if (found == dag.end()) reject(dag_id + ".tasks: Missing required element");
  if (!found->second.IsMap() || found->second.size() == 0) reject(kInvalidTasksMessage);
  std::map<std::string, TaskReading> tasks;
  for (const auto& [task_id, body] : entries(found->second, dag_id + ".tasks")) {
    tasks.emplace(task_id, read_task(dag_id, task_id, body, defaults));
  }
  check_dependencies_exist(tasks, dag_id);
  for (const auto& [task_id, reading] : tasks) {
    if (!reading.warned.empty()) {
      workflow.warnings.push_back(dag_id + "." + task_id +
                                  ": ignored attributes: " + join(reading.warned, ", "));
    }
  }
  workflow.tasks = topological_order(tasks);
}

WorkflowDefinition parse_or_reject(std::string_view yaml_text) {
  if (yaml_text.size() > kMaxDefinitionBytes) {
    reject("Workflow definition is " + std::to_string(yaml_text.size()) +
           " bytes; the limit is 51200 bytes (50 KB)");
  }
  const YAML::Node root = load_single_document(yaml_text);
  if (!root.IsMap()) reject(kSingleDagMessage);
  const Mapping dags = entries(root, "DAG definition");
  if (dags.size() != 1) reject(kSingleDagMessage);
  WorkflowDefinition workflow;
  workflow.dag_id = dags.begin()->first;
  workflow.source_text = std::string(yaml_text);
  check_key("DAG id", workflow.dag_id);
  const YAML::Node& body = dags.begin()->second;
  if (!body.IsMap() && !body.IsNull()) {
    reject(workflow.dag_id + ": a DAG must be a mapping, got " + python_type_name(body));
  }
  const Mapping dag = body.IsMap() ? entries(body, workflow.dag_id) : Mapping();
  const std::vector<std::string> warned = check_dag_keys(dag, workflow.dag_id);
  check_informational_keys(dag, workflow.dag_id);
  if (!warned.empty()) {
    workflow.warnings.push_back(workflow.dag_id + ": ignored attributes: " + join(warned, ", "));
  }
  const TaskDefaults defaults = read_default_args(dag, workflow.dag_id);
  read_schedule(dag, workflow.dag_id, workflow);
  read_dates(dag, workflow.dag_id, defaults, workflow);
  read_params(dag, workflow.dag_id, workflow);
  read_tasks(dag, workflow.dag_id, defaults, workflow);
  return workflow;
}

// ---------------------------------------------------------------------------------------
// Template rendering (12.6): a lexer and recursive-descent evaluator for `{{ expression }}`.

// A value inside an expression. Undefined values render empty; using them further raises
// Jinja's UndefinedError, whose text `undefined_reason` keeps.
struct TemplateValue {
  Json value;
  bool defined = true;
  std::string undefined_reason;
  std::string dotted_name;  // "ti.xcom_pull" for a plain dotted lookup; empty otherwise
};

std::string json_type_name(const Json& value) {
  if (value.is_string()) return "str";
  if (value.is_boolean()) return "bool";
  if (value.is_number_integer()) return "int";
  if (value.is_number_float()) return "float";
  if (value.is_array()) return "list";
  if (value.is_object()) return "dict";
  return "NoneType";
}

// Python's str() for scalars; lists and mappings as JSON (the file note says why).
std::string render_value(const TemplateValue& value) {
  if (!value.defined) return "";
  const Json& json = value.value;
  if (json.is_string()) return json.get<std::string>();
  if (json.is_null()) return "None";
  if (json.is_boolean()) return json.get<bool>() ? "True" : "False";
  if (json.is_number_float()) {
    const double number = json.get<double>();
    if (std::isnan(number)) return "nan";
    if (std::isinf(number)) return number > 0 ? "inf" : "-inf";
  }
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_falsy(const TemplateValue& value) {
  if (!value.defined) return true;
  const Json& json = value.value;
  if (json.is_null()) return true;
  if (json.is_boolean()) return !json.get<bool>();
  if (json.is_number()) return json.get<double>() == 0;
  if (json.is_string()) return json.get_ref<const std::string&>().empty();
  return json.empty();
}

enum class TokenKind { name, string, integer, floating, symbol, end };

struct Token {
  TokenKind kind;
  std::string text;  // name, symbol or literal text
  Json literal;      // the value of a string or number literal
};

std::string describe(const Token& token) {
  return token.kind == TokenKind::end ? "end of print statement" : token.text;
}

[[noreturn]] void reject_operator(char c) {
  reject("unsupported operator '" + std::string(1, c) +
         "' in template expression (supported: names, literals, unary minus, attribute "
         "access, subscripts, calls of ti.xcom_pull and the ds macros, and the default, "
         "string, upper, lower and trim filters)");
}

// Splits one print statement into tokens, from just after "{{" up to and including "}}".
class ExpressionLexer {
 public:
  ExpressionLexer(std::string_view text, std::size_t position) : text_(text), at_(position) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      while (at_ < text_.size() && is_space(text_[at_])) ++at_;
      if (at_ >= text_.size()) reject(kEndOfPrintMessage);
      if (closes()) {
        tokens.push_back(Token{TokenKind::end, "}}", Json()});
        return tokens;
      }
      tokens.push_back(next());
    }
  }

  std::size_t position() const { return at_; }  // just after "}}"
  bool strip_after() const { return strip_after_; }

 private:
  bool closes() {
    if (text_.substr(at_, 3) == "-}}") {
      strip_after_ = true;
      at_ += 3;
      return true;
    }
    if (text_.substr(at_, 2) == "}}") {
      at_ += 2;
      return true;
    }
    return false;
  }

  Token next() {
    const char c = text_[at_];
    if (c == '\'' || c == '"') return string_literal(c);
    if (is_digit(c)) return number_literal();
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return name();
    // '-' is a symbol: the evaluator takes it as unary minus and refuses it as subtraction.
    if (std::string_view(".|()[],=-").find(c) != std::string_view::npos) {
      ++at_;
      return Token{TokenKind::symbol, std::string(1, c), Json()};
    }
    if (c == '{' || c == '}') reject("unexpected '" + std::string(1, c) + "'");
    if (std::string_view("+*/%~<>!").find(c) != std::string_view::npos) {
      reject_operator(c);
    }
    reject("unexpected char '" + shorten(text_.substr(at_, 1)) + "' at " + std::to_string(at_));
  }

  Token string_literal(char quote) {
    std::string value;
    for (std::size_t i = at_ + 1; i < text_.size(); ++i) {
      if (text_[i] == quote) {
        at_ = i + 1;
        return Token{TokenKind::string, value, Json(value)};
      }
      if (text_[i] == '\\' && i + 1 < text_.size()) {
        ++i;
        const char escaped = text_[i];
        value += escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
      } else {
        value += text_[i];
      }
    }
    reject("unexpected char '" + std::string(1, quote) + "' at " + std::to_string(at_));
  }

  Token number_literal() {
    const std::size_t start = at_;
    while (at_ < text_.size() && (is_digit(text_[at_]) || text_[at_] == '_')) ++at_;
    bool floating = false;
    if (at_ + 1 < text_.size() && text_[at_] == '.' && is_digit(text_[at_ + 1])) {
      floating = true;
      ++at_;
      while (at_ < text_.size() && (is_digit(text_[at_]) || text_[at_] == '_')) ++at_;
    }
    const std::string text(text_.substr(start, at_ - start));
    const auto value = parse_double(text);
    if (!value || !std::isfinite(*value)) reject("invalid number literal '" + shorten(text) + "'");
    if (floating || std::fabs(*value) > 9e18) return Token{TokenKind::floating, text, Json(*value)};
    return Token{TokenKind::integer, text, Json(static_cast<std::int64_t>(*value))};
  }

  Token name() {
    const std::size_t start = at_;
    while (at_ < text_.size() &&
           (text_[at_] == '_' || is_digit(text_[at_]) || (text_[at_] >= 'a' && text_[at_] <= 'z') ||
            (text_[at_] >= 'A' && text_[at_] <= 'Z'))) {
      ++at_;
    }
    const std::string text(text_.substr(start, at_ - start));
    return Token{TokenKind::name, text, Json()};
  }

  std::string_view text_;
  std::size_t at_;
  bool strip_after_ = false;
};

char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

struct CallArgument {
  std::string keyword;  // empty for a positional argument
  TemplateValue value;
};

// Evaluates one print statement's tokens against the template scope.
class ExpressionEvaluator {
 public:
  ExpressionEvaluator(const std::vector<Token>& tokens, const Json& scope)
      : tokens_(tokens), scope_(scope) {}

  TemplateValue evaluate() {
    if (peek().kind == TokenKind::end) {
      reject("Expected an expression, got 'end of print statement'");
    }
    TemplateValue value = expression(0);
    if (peek().kind != TokenKind::end) {
      reject("expected token 'end of print statement', got '" + shorten(describe(peek())) + "'");
    }
    return value;
  }

 private:
  const Token& peek() const { return tokens_[at_]; }
  const Token& take() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
  bool next_is(std::string_view symbol) const {
    return peek().kind == TokenKind::symbol && peek().text == symbol;
  }
  void expect(std::string_view symbol) {
    if (!next_is(symbol)) {
      reject("expected token '" + std::string(symbol) + "', got '" + shorten(describe(peek())) +
             "'");
    }
    take();
  }

  TemplateValue expression(int depth) {
    if (depth > kMaxExpressionDepth) reject("template expression nested too deeply");
    TemplateValue value = next_is("-") ? negated(depth) : postfix(depth);
    while (next_is("|")) {
      take();
      const Token name = take();
      if (name.kind != TokenKind::name) {
        reject("expected token 'name', got '" + shorten(describe(name)) + "'");
      }
      std::vector<CallArgument> arguments;
      if (next_is("(")) arguments = call_arguments(depth);
      value = apply_filter(name.text, std::move(value), arguments);
    }
    if (next_is("-")) reject_operator('-');  // subtraction is outside the subset
    return value;
  }

  // Jinja's unary minus: -1, -params.days, - -2.
  TemplateValue negated(int depth) {
    if (depth > kMaxExpressionDepth) reject("template expression nested too deeply");
    take();
    const TemplateValue operand = next_is("-") ? negated(depth + 1) : postfix(depth + 1);
    if (!operand.defined) reject(operand.undefined_reason);
    const Json& number = operand.value;
    if (number.is_number_integer() && !number.is_boolean()) {
      return TemplateValue{Json(-number.get<std::int64_t>()), true, "", ""};
    }
    if (number.is_number_float()) return TemplateValue{Json(-number.get<double>()), true, "", ""};
    if (number.is_boolean()) return TemplateValue{Json(number.get<bool>() ? -1 : 0), true, "", ""};
    reject("bad operand type for unary -: '" + json_type_name(number) + "'");
  }

  TemplateValue primary(int depth) {
    const Token token = take();
    if (token.kind == TokenKind::string || token.kind == TokenKind::integer ||
        token.kind == TokenKind::floating) {
      return TemplateValue{token.literal, true, "", ""};
    }
    if (token.kind == TokenKind::name) return name_value(token.text);
    if (token.kind == TokenKind::symbol && token.text == "(") {
      TemplateValue inner = expression(depth + 1);
      expect(")");
      inner.dotted_name.clear();
      return inner;
    }
    reject("unexpected '" + shorten(describe(token)) + "'");
  }

  TemplateValue name_value(const std::string& name) const {
    if (name == "true" || name == "True") return TemplateValue{true, true, "", ""};
    if (name == "false" || name == "False") return TemplateValue{false, true, "", ""};
    if (name == "none" || name == "None") return TemplateValue{nullptr, true, "", ""};
    const auto found = scope_.find(name);
    if (found == scope_.end())
      return TemplateValue{Json(), false, "'" + name + "' is undefined", name};
    return TemplateValue{*found, true, "", name};
  }

  TemplateValue postfix(int depth) {
    TemplateValue value = primary(depth);
    for (;;) {
      if (next_is(".")) {
        take();
        const Token name = take();
        if (name.kind != TokenKind::name) {
          reject("expected token 'name', got '" + shorten(describe(name)) + "'");
        }
        value = member(value, Json(name.text),
                       value.dotted_name.empty() ? "" : value.dotted_name + "." + name.text);
      } else if (next_is("[")) {
        take();
        const TemplateValue key = expression(depth + 1);
        expect("]");
        value = member(value, key.value, "");
      } else if (next_is("(")) {
        const std::vector<CallArgument> arguments = call_arguments(depth);
        value = call(value, arguments);
      } else {
        return value;
      }
    }
  }

  // Attribute or item lookup, as Jinja's getattr/getitem on a dict or list.
  static TemplateValue member(const TemplateValue& owner, const Json& key, std::string dotted) {
    if (!owner.defined) reject(owner.undefined_reason);
    const Json& json = owner.value;
    if (json.is_object() && key.is_string()) {
      const auto found = json.find(key.get<std::string>());
      if (found != json.end()) return TemplateValue{*found, true, "", dotted};
    }
    if (json.is_array() && key.is_number_integer()) {
      std::int64_t index = key.get<std::int64_t>();
      if (index < 0) index += static_cast<std::int64_t>(json.size());  // Python's list[-1]
      if (index >= 0 && static_cast<std::size_t>(index) < json.size()) {
        return TemplateValue{json[static_cast<std::size_t>(index)], true, "", ""};
      }
    }
    const std::string shown_key =
        key.is_string() ? key.get<std::string>() : render_value({key, true, "", ""});
    return TemplateValue{
        Json(), false,
        "'" + json_type_name(json) + " object' has no attribute '" + shorten(shown_key) + "'",
        dotted};
  }

  // The callables of the subset: ti.xcom_pull(...), which is None because the simulator's
  // tasks return nothing, and the ds macros of template_macros.hpp.
  static TemplateValue call(const TemplateValue& callee,
                            const std::vector<CallArgument>& arguments) {
    const std::string& name = callee.dotted_name;
    if (name == "ti.xcom_pull" || name == "task_instance.xcom_pull") {
      return TemplateValue{nullptr, true, "", ""};
    }
    if (name == "macros.ds_add") return ds_add_call(arguments);
    if (name == "macros.ds_format") return ds_format_call(arguments);
    if (name.rfind("macros.", 0) == 0) {
      reject("'" + name +
             "' works on Python objects the simulator does not have: of 12.6's macros, its "
             "template subset calls macros.ds_add and macros.ds_format");
    }
    if (!callee.defined) reject(callee.undefined_reason);
    reject("'" + (name.empty() ? json_type_name(callee.value) : name) +
           "' is not callable in the simulator's template subset (ti.xcom_pull, "
           "macros.ds_add and macros.ds_format are)");
  }

  // The argument bound to Python parameter `position`/`keyword`, as Python binds them.
  static const Json& argument(const std::vector<CallArgument>& arguments, std::size_t position,
                              const std::string& keyword, const std::string& function) {
    const Json* bound = nullptr;
    std::size_t positional = 0;
    for (const CallArgument& argument : arguments) {
      const bool match = argument.keyword.empty() ? positional++ == position
                                                  : argument.keyword == keyword;
      if (!match) continue;
      if (bound != nullptr) reject(function + "() got multiple values for argument '" + keyword + "'");
      if (!argument.value.defined) reject(argument.value.undefined_reason);
      bound = &argument.value.value;
    }
    if (bound == nullptr) {
      reject(function + "() missing required positional argument: '" + keyword + "'");
    }
    return *bound;
  }

  static void expect_arguments(const std::vector<CallArgument>& arguments,
                               const std::vector<std::string>& parameters,
                               const std::string& function) {
    for (const CallArgument& argument : arguments) {
      if (!argument.keyword.empty() &&
          std::find(parameters.begin(), parameters.end(), argument.keyword) == parameters.end()) {
        reject(function + "() got an unexpected keyword argument '" + argument.keyword + "'");
      }
    }
    std::size_t positional = 0;
    for (const CallArgument& argument : arguments) positional += argument.keyword.empty();
    if (positional > parameters.size()) {
      reject(function + "() takes " + std::to_string(parameters.size()) +
             " positional arguments but " + std::to_string(positional) + " were given");
    }
  }

  static const std::string& format_argument(const Json& value, const std::string& function,
                                            int position) {
    if (!value.is_string()) {
      reject(function + "() argument " + std::to_string(position) + " must be str, not " +
             json_type_name(value));
    }
    return value.get_ref<const std::string&>();
  }

  // Airflow's ds_add: `if not days: return str(ds)`, then strptime(str(ds), "%Y-%m-%d")
  // plus timedelta(days=days), which takes an int or a float.
  static TemplateValue ds_add_call(const std::vector<CallArgument>& arguments) {
    expect_arguments(arguments, {"ds", "days"}, "ds_add");
    const Json& ds_value = argument(arguments, 0, "ds", "ds_add");
    const Json& days = argument(arguments, 1, "days", "ds_add");
    const std::string ds = render_value({ds_value, true, "", ""});
    if (is_falsy({days, true, "", ""})) return TemplateValue{ds, true, "", ""};
    sim::DurationUs delta_us = 0;
    if (days.is_boolean()) {
      delta_us = sim::days(1);  // True is 1
    } else if (days.is_number_integer() || days.is_number_float()) {
      // Past 10 000 years either way the date is out of range whatever ds is.
      const double whole_days = days.get<double>();
      if (!(std::fabs(whole_days) <= 3.7e6)) reject("date value out of range");
      delta_us = days.is_number_integer()
                     ? sim::days(days.get<std::int64_t>())
                     : static_cast<sim::DurationUs>(std::llround(whole_days * 86'400e6));
    } else {
      reject("unsupported type for timedelta days component: " + json_type_name(days));
    }
    std::string error;
    const auto result = ds_add(ds, delta_us, &error);
    if (!result) reject(error);
    return TemplateValue{*result, true, "", ""};
  }

  // Airflow's ds_format: strptime(str(ds), input_format).strftime(output_format).
  static TemplateValue ds_format_call(const std::vector<CallArgument>& arguments) {
    expect_arguments(arguments, {"ds", "input_format", "output_format"}, "ds_format");
    const std::string ds = render_value({argument(arguments, 0, "ds", "ds_format"), true, "", ""});
    const std::string& input =
        format_argument(argument(arguments, 1, "input_format", "ds_format"), "strptime", 2);
    const std::string& output =
        format_argument(argument(arguments, 2, "output_format", "ds_format"), "strftime", 1);
    std::string error;
    const auto result = ds_format(ds, input, output, &error);
    if (!result) reject(error);
    return TemplateValue{*result, true, "", ""};
  }

  std::vector<CallArgument> call_arguments(int depth) {
    expect("(");
    std::vector<CallArgument> arguments;
    while (!next_is(")")) {
      if (!arguments.empty()) expect(",");
      CallArgument argument;
      if (peek().kind == TokenKind::name && at_ + 1 < tokens_.size() &&
          tokens_[at_ + 1].kind == TokenKind::symbol && tokens_[at_ + 1].text == "=") {
        argument.keyword = take().text;
        take();
      }
      argument.value = expression(depth + 1);
      arguments.push_back(std::move(argument));
    }
    take();
    return arguments;
  }

  static TemplateValue apply_filter(const std::string& name, TemplateValue value,
                                    const std::vector<CallArgument>& arguments) {
    const std::size_t most = (name == "default" || name == "d") ? 2 : 0;
    const bool known = name == "default" || name == "d" || name == "string" || name == "upper" ||
                       name == "lower" || name == "trim";
    if (!known) reject("No filter named '" + shorten(name) + "'.");
    if (arguments.size() > most) reject("too many arguments for filter '" + name + "'");
    if (name == "default" || name == "d") {
      const bool when_falsy = arguments.size() > 1 && !is_falsy(arguments[1].value);
      if (!value.defined || (when_falsy && is_falsy(value))) {
        return arguments.empty() ? TemplateValue{"", true, "", ""} : arguments[0].value;
      }
      return value;
    }
    std::string text = render_value(value);
    if (name == "upper") std::transform(text.begin(), text.end(), text.begin(), ascii_upper);
    if (name == "lower") std::transform(text.begin(), text.end(), text.begin(), ascii_lower);
    if (name == "trim") {
      const std::size_t first = text.find_first_not_of(" \t\r\n");
      const std::size_t last = text.find_last_not_of(" \t\r\n");
      text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }
    return TemplateValue{Json(text), true, "", ""};
  }

  const std::vector<Token>& tokens_;
  const Json& scope_;
  std::size_t at_ = 0;
};

std::string two_digits(int value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d", value % 100);
  return buffer;
}

// ds, ds_nodash, ts and ts_nodash of the logical date, as Airflow formats them.
Json date_variables(sim::TimeUs logical_date_us) {
  const sim::CivilTime civil = sim::to_civil(logical_date_us);
  char year[16];
  std::snprintf(year, sizeof year, "%04d", civil.year);
  const std::string date_nodash = year + two_digits(civil.month) + two_digits(civil.day);
  const std::string date =
      std::string(year) + "-" + two_digits(civil.month) + "-" + two_digits(civil.day);
  const std::string clock =
      two_digits(civil.hour) + ":" + two_digits(civil.minute) + ":" + two_digits(civil.second);
  std::string fraction;
  if (civil.microsecond != 0) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, ".%06d", civil.microsecond);
    fraction = buffer;
  }
  std::string clock_nodash = clock;
  clock_nodash.erase(std::remove(clock_nodash.begin(), clock_nodash.end(), ':'),
                     clock_nodash.end());
  return Json{{"ds", date},
              {"ds_nodash", date_nodash},
              {"ts", date + "T" + clock + fraction + "+00:00"},
              {"ts_nodash", date_nodash + "T" + clock_nodash}};
}

Json template_scope(const TemplateContext& context) {
  Json scope = date_variables(context.logical_date_us);
  scope["params"] = context.params;
  // run_id is not among 12.6's variables, and whether it renders is unconfirmed; it is
  // Airflow's, and the simulator offers it (as ti.run_id) rather than fail a run on it.
  scope["run_id"] = context.run_id;
  const Json task_instance = {{"task_id", context.task_id}, {"run_id", context.run_id}};
  scope["ti"] = task_instance;
  scope["task_instance"] = task_instance;
  // 12.6's macros. The ds macros are callable (the evaluator's call()); the others are
  // present, so that using one says it is outside the subset rather than undefined.
  Json macros = Json::object();
  for (const char* name : {"ds_add", "ds_format", "datetime", "timedelta", "dateutil", "time",
                           "uuid", "random", "datetime_diff_for_humans"}) {
    macros[name] = std::string("<macro ") + name + ">";
  }
  scope["macros"] = std::move(macros);
  return scope;
}

void strip_trailing_space(std::string& text) {
  while (!text.empty() && is_space(text.back())) text.pop_back();
}

std::size_t skip_space(std::string_view text, std::size_t position) {
  while (position < text.size() && is_space(text[position])) ++position;
  return position;
}

// Skips a "{# ... #}" comment starting at `open`; returns the position after it.
std::size_t skip_comment(std::string_view text, std::size_t open, std::string& output) {
  if (text.substr(open + 2, 1) == "-") strip_trailing_space(output);
  const std::size_t close = text.find("#}", open + 2);
  if (close == std::string_view::npos) reject("Missing end of comment tag");
  const bool strip_after = close > open + 2 && text[close - 1] == '-';
  return strip_after ? skip_space(text, close + 2) : close + 2;
}

[[noreturn]] void reject_block(std::string_view text, std::size_t open) {
  const std::size_t close = text.find("%}", open + 2);
  const std::string_view block =
      close == std::string_view::npos ? text.substr(open) : text.substr(open, close + 2 - open);
  reject("unsupported block '" + shorten(block) +
         "': only {{ expression }} placeholders are rendered");
}

std::string render_with_scope(std::string_view text, const Json& scope) {
  std::string output;
  std::size_t position = 0;
  for (;;) {
    const std::size_t open = text.find('{', position);
    if (open == std::string_view::npos || open + 1 >= text.size()) {
      output.append(text.substr(position));
      return output;
    }
    const char kind = text[open + 1];
    if (kind != '{' && kind != '%' && kind != '#') {
      output.append(text.substr(position, open + 1 - position));
      position = open + 1;
      continue;
    }
    output.append(text.substr(position, open - position));
    if (kind == '%') reject_block(text, open);
    if (kind == '#') {
      position = skip_comment(text, open, output);
      continue;
    }
    std::size_t start = open + 2;
    if (text.substr(start, 1) == "-") {
      strip_trailing_space(output);
      ++start;
    }
    ExpressionLexer lexer(text, start);
    const std::vector<Token> tokens = lexer.run();
    output += render_value(ExpressionEvaluator(tokens, scope).evaluate());
    position = lexer.strip_after() ? skip_space(text, lexer.position()) : lexer.position();
  }
}

Json render_json(const Json& value, const Json& scope, int depth) {
  if (depth > kMaxArgumentDepth) reject("task arguments nested too deeply to render");
  if (value.is_string()) return render_with_scope(value.get_ref<const std::string&>(), scope);
  if (value.is_array()) {
    Json items = Json::array();
    for (const Json& item : value) items.push_back(render_json(item, scope, depth + 1));
    return items;
  }
  if (value.is_object()) {
    Json members = Json::object();
    for (const auto& member : value.items()) {
      members[member.key()] = render_json(member.value(), scope, depth + 1);
    }
    return members;
  }
  return value;
}

}  // namespace

std::variant<WorkflowDefinition, DefinitionError> parse_workflow_definition(
    std::string_view yaml_text) {
  try {
    return parse_or_reject(yaml_text);
  } catch (const Rejection& rejection) {
    return DefinitionError{rejection.message};
  } catch (const YAML::Exception& error) {
    return DefinitionError{"Invalid YAML: " + error.msg};
  } catch (const std::exception& error) {
    return DefinitionError{std::string("Invalid workflow definition: ") + error.what()};
  }
}

std::variant<std::string, DefinitionError> render_template(std::string_view text,
                                                           const TemplateContext& context) {
  try {
    return render_with_scope(text, template_scope(context));
  } catch (const Rejection& rejection) {
    return DefinitionError{rejection.message};
  } catch (const std::exception& error) {
    return DefinitionError{std::string("template rendering failed: ") + error.what()};
  }
}

std::variant<nlohmann::json, DefinitionError> render_arguments(const nlohmann::json& arguments,
                                                               const TemplateContext& context) {
  try {
    return render_json(arguments, template_scope(context), 0);
  } catch (const Rejection& rejection) {
    return DefinitionError{rejection.message};
  } catch (const std::exception& error) {
    return DefinitionError{std::string("template rendering failed: ") + error.what()};
  }
}

}  // namespace wfsim::models::mwaa
