// Substitution of saved values and the subset matcher used by the scenario runner.
#include "scenarios/matching.hpp"

#include <cstdint>
#include <utility>

namespace wfsim::scenarios {

namespace {

using nlohmann::json;

constexpr std::size_t kShownLength = 200;

bool is_identifier(const std::string& key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A place in a JSON value, as a chain of steps from the root. Its text is built only when a
// problem or a difference is reported: most members are fine, and building every member's
// path would cost more than the work done on the members themselves.
struct JsonPath {
  const JsonPath* parent = nullptr;
  const std::string* root = nullptr;  // the root's own text; null below the root
  const std::string* key = nullptr;   // the member name, or null for an array element
  std::size_t index = 0;

  std::string text() const {
    if (root != nullptr) return *root;
    const std::string parent_text = parent->text();
    return key != nullptr ? child_path(parent_text, *key) : child_path(parent_text, index);
  }
};

// The text spliced into a longer string for a saved value.
std::string splice_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string saved_names(const Bindings& bindings) {
  if (bindings.empty()) return "nothing is saved yet";
  std::string names;
  for (const auto& [name, value] : bindings) names += (names.empty() ? "" : ", ") + name;
  return "saved so far: " + names;
}

// Substitutes one string. Returns nullopt, and records why, on an unknown name.
std::optional<json> substitute_string(const std::string& text, const Bindings& bindings,
                                      const JsonPath& path, std::vector<Difference>* problems) {
  if (text.find('$') == std::string::npos) return json(text);
  if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}' &&
      text.find('}') == text.size() - 1) {
    std::string name = text.substr(2, text.size() - 3);
    auto found = bindings.find(name);
    if (found != bindings.end()) return found->second;
    problems->push_back(
        {path.text(), "unknown name ${" + name + "} (" + saved_names(bindings) + ")"});
    return std::nullopt;
  }
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      std::size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        problems->push_back({path.text(), "unterminated ${ in " + show_json(text) +
                                              " (write $${ for a literal ${)"});
        return std::nullopt;
      }
      std::string name = text.substr(i + 2, close - i - 2);
      auto found = bindings.find(name);
      if (found == bindings.end()) {
        problems->push_back(
            {path.text(), "unknown name ${" + name + "} (" + saved_names(bindings) + ")"});
        return std::nullopt;
      }
      out += splice_text(found->second);
      i = close + 1;
    } else {
      out += text[i++];
    }
  }
  return json(std::move(out));
}

std::optional<json> substitute_at(const json& value, const Bindings& bindings,
                                  const JsonPath& path, std::vector<Difference>* problems);

std::optional<json> substitute_array(const json::array_t& elements, const Bindings& bindings,
                                     const JsonPath& path, std::vector<Difference>* problems) {
  json out = json::array();
  bool ok = true;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    std::optional<json> element =
        substitute_at(elements[i], bindings, JsonPath{&path, nullptr, nullptr, i}, problems);
    if (element) out.push_back(std::move(*element));
    else ok = false;
  }
  return ok ? std::optional<json>(std::move(out)) : std::nullopt;
}

std::optional<json> substitute_object(const json::object_t& members, const Bindings& bindings,
                                      const JsonPath& path, std::vector<Difference>* problems) {
  json out = json::object();
  bool ok = true;
  for (const auto& [name, value] : members) {
    const JsonPath member{&path, nullptr, &name, 0};
    std::optional<json> key = substitute_string(name, bindings, member, problems);
    std::optional<json> element = substitute_at(value, bindings, member, problems);
    if (key && element) out[splice_text(*key)] = std::move(*element);
    else ok = false;
  }
  return ok ? std::optional<json>(std::move(out)) : std::nullopt;
}

std::optional<json> substitute_at(const json& value, const Bindings& bindings,
                                  const JsonPath& path, std::vector<Difference>* problems) {
  if (value.is_string()) {
    return substitute_string(value.get_ref<const std::string&>(), bindings, path, problems);
  }
  if (value.is_array()) {
    return substitute_array(value.get_ref<const json::array_t&>(), bindings, path, problems);
  }
  if (value.is_object()) {
    return substitute_object(value.get_ref<const json::object_t&>(), bindings, path, problems);
  }
  return value;
}

bool numbers_equal(const json& a, const json& b) {
  if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
  if (a.is_number_unsigned() && b.is_number_unsigned()) {
    return a.get<std::uint64_t>() == b.get<std::uint64_t>();
  }
  if (a.is_number_unsigned() || b.is_number_unsigned()) {
    const json& unsigned_value = a.is_number_unsigned() ? a : b;
    const json& signed_value = a.is_number_unsigned() ? b : a;
    std::int64_t value = signed_value.get<std::int64_t>();
    return value >= 0 && static_cast<std::uint64_t>(value) == unsigned_value.get<std::uint64_t>();
  }
  return a.get<std::int64_t>() == b.get<std::int64_t>();
}

void mismatch(const json& expected, const json& actual, const JsonPath& path,
              std::vector<Difference>& out) {
  out.push_back({path.text(), "expected " + show_json(expected) + ", got " + show_json(actual)});
}

void match_into(const json& expected, const json& actual, const JsonPath& path,
                std::vector<Difference>& out);

void match_object(const json& expected, const json& actual, const JsonPath& path,
                  std::vector<Difference>& out) {
  if (!actual.is_object()) return mismatch(expected, actual, path, out);
  // Both objects hold their members sorted by name, so one pass over each finds every
  // expected member without a search per member.
  const json::object_t& members = actual.get_ref<const json::object_t&>();
  auto candidate = members.begin();
  for (const auto& [key, value] : expected.get_ref<const json::object_t&>()) {
    int order = 1;
    while (candidate != members.end() && (order = candidate->first.compare(key)) < 0) ++candidate;
    const JsonPath member{&path, nullptr, &key, 0};
    if (candidate == members.end() || order != 0) {
      out.push_back(
          {member.text(), "expected " + show_json(value) + ", got nothing (member missing)"});
    } else {
      match_into(value, candidate->second, member, out);
    }
  }
}

void match_array(const json& expected, const json& actual, const JsonPath& path,
                 std::vector<Difference>& out) {
  if (!actual.is_array()) return mismatch(expected, actual, path, out);
  if (expected.size() != actual.size()) {
    out.push_back({path.text(), "expected " + std::to_string(expected.size()) + " items, got " +
                                    std::to_string(actual.size())});
  }
  for (std::size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    match_into(expected[i], actual[i], JsonPath{&path, nullptr, nullptr, i}, out);
  }
}

void match_into(const json& expected, const json& actual, const JsonPath& path,
                std::vector<Difference>& out) {
  if (expected.is_object()) {
    match_object(expected, actual, path, out);
  } else if (expected.is_array()) {
    match_array(expected, actual, path, out);
  } else if (expected.is_number()) {
    if (!actual.is_number() || !numbers_equal(expected, actual))
      mismatch(expected, actual, path, out);
  } else if (expected != actual) {
    mismatch(expected, actual, path, out);
  }
}

}  // namespace

std::string show_json(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kShownLength) text = text.substr(0, kShownLength - 3) + "...";
  return text;
}

std::string child_path(const std::string& parent, const std::string& key) {
  if (is_identifier(key)) return parent.empty() ? key : parent + "." + key;
  return parent + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

std::string child_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

bool has_template(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find("${") != std::string::npos;
  if (value.is_object()) {
    for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
      if (key.find("${") != std::string::npos || has_template(member)) return true;
    }
  } else if (value.is_array()) {
    for (const json& element : value.get_ref<const json::array_t&>()) {
      if (has_template(element)) return true;
    }
  }
  return false;
}

std::optional<json> substitute(const json& value, const Bindings& bindings,
                               const std::string& path, std::vector<Difference>* problems) {
  return substitute_at(value, bindings, JsonPath{nullptr, &path, nullptr, 0}, problems);
}

json escape_templates(const json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.find("${") == std::string::npos) return value;
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "${") == 0) out += '$';
      out += text[i];
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const json& element : value) out.push_back(escape_templates(element));
    return out;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& item : value.items()) {
      out[escape_templates(json(item.key())).get<std::string>()] = escape_templates(item.value());
    }
    return out;
  }
  return value;
}

std::vector<Difference> match_subset(const json& expected, const json& actual,
                                     const std::string& path) {
  std::vector<Difference> out;
  match_into(expected, actual, JsonPath{nullptr, &path, nullptr, 0}, out);
  return out;
}

}  // namespace wfsim::scenarios
