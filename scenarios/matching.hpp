// The two things a replay does with JSON besides sending it: putting saved values into
// requests and expectations (${name}), and matching an expectation against a response as a
// subset, listing every path that differs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wfsim::scenarios {

// One way a step did not go as written: where, and what was expected against what was seen.
struct Difference {
  std::string path;     // "response.Run.Status", "request.RunId", "fault"
  std::string message;  // "expected \"COMPLETED\", got \"RUNNING\""
  std::string to_string() const { return path + ": " + message; }
};

// Saved values by name.
using Bindings = std::map<std::string, nlohmann::json>;

// Replaces ${name} in every string (member names included) of `value`. A string that is
// exactly "${name}" becomes the saved value itself, of any JSON type; inside a longer string
// the value's text is spliced (a string's characters, other values as compact JSON). "$${"
// stands for a literal "${". An unknown name or an unterminated "${" is a Difference at its
// path (`path` names `value` itself, e.g. "request") and the result is nullopt.
std::optional<nlohmann::json> substitute(const nlohmann::json& value, const Bindings& bindings,
                                         const std::string& path,
                                         std::vector<Difference>* problems);
// True when some string in `value` holds "${" (so substitute() would change it).
bool has_template(const nlohmann::json& value);
// Escapes every "${" in the strings of `value` as "$${", so a literal value (a recorded
// response) survives substitute() unchanged.
nlohmann::json escape_templates(const nlohmann::json& value);

// Subset match (DESIGN.md): every member `expected` gives must match, recursively; members it
// does not give are ignored; arrays must have the same length and match element by element;
// numbers compare by value (1 == 1.0); other scalars must be equal. Returns every difference,
// with paths rooted at `path`.
std::vector<Difference> match_subset(const nlohmann::json& expected, const nlohmann::json& actual,
                                     const std::string& path = "response");

// The path of a member or element under `parent`: "Run.Status", "Tags[\"team name\"]", "Items[2]".
std::string child_path(const std::string& parent, const std::string& key);
std::string child_path(const std::string& parent, std::size_t index);

// A JSON value as shown in a difference, cut short when long.
std::string show_json(const nlohmann::json& value);

}  // namespace wfsim::scenarios
