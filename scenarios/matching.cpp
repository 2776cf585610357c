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
                                      const std::string& path, std::vector<Difference>* problems) {
  if (text.find('$') == std::string::npos) return json(text);
  if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}' &&
      text.find('}') == text.size() - 1) {
    std::string name = text.substr(2, text.size() - 3);
    auto found = bindings.find(name);
    if (found != bindings.end()) return found->second;
    problems->push_back({path, "unknown name ${" + name + "} (" + saved_names(bindings) + ")"});
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
        problems->push_back({path, "unterminated ${ in " + show_json(text) + " (write $${ for a literal ${)"});
        return std::nullopt;
      }
      std::string name = text.substr(i + 2, close - i - 2);
      auto found = bindings.find(name);
      if (found == bindings.end()) {
        problems->push_back({path, "unknown name ${" + name + "} (" + saved_names(bindings) + ")"});
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

void mismatch(const json& expected, const json& actual, const std::string& path,
              std::vector<Difference>& out) {
  out.push_back({path, "expected " + show_json(expected) + ", got " + show_json(actual)});
}

void match_into(const json& expected, const json& actual, const std::string& path,
                std::vector<Difference>& out) {
  if (expected.is_object()) {
    if (!actual.is_object()) return mismatch(expected, actual, path, out);
    for (const auto& item : expected.items()) {
      std::string member = child_path(path, item.key());
      auto found = actual.find(item.key());
      if (found == actual.end()) {
        out.push_back({member, "expected " + show_json(item.value()) + ", got nothing (member missing)"});
      } else {
        match_into(item.value(), *found, member, out);
      }
    }
  } else if (expected.is_array()) {
    if (!actual.is_array()) return mismatch(expected, actual, path, out);
    if (expected.size() != actual.size()) {
      out.push_back({path, "expected " + std::to_string(expected.size()) + " items, got " +
                               std::to_string(actual.size())});
    }
    for (std::size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
      match_into(expected[i], actual[i], child_path(path, i), out);
    }
  } else if (expected.is_number()) {
    if (!actual.is_number() || !numbers_equal(expected, actual)) mismatch(expected, actual, path, out);
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
    for (const auto& item : value.items()) {
      if (item.key().find("${") != std::string::npos || has_template(item.value())) return true;
    }
  } else if (value.is_array()) {
    for (const json& element : value) {
      if (has_template(element)) return true;
    }
  }
  return false;
}

std::optional<json> substitute(const json& value, const Bindings& bindings,
                               const std::string& path, std::vector<Difference>* problems) {
  if (value.is_string()) {
    return substitute_string(value.get_ref<const std::string&>(), bindings, path, problems);
  }
  if (value.is_array()) {
    json out = json::array();
    bool ok = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::optional<json> element = substitute(value[i], bindings, child_path(path, i), problems);
      if (element) out.push_back(std::move(*element));
      else ok = false;
    }
    return ok ? std::optional<json>(std::move(out)) : std::nullopt;
  }
  if (value.is_object()) {
    json out = json::object();
    bool ok = true;
    for (const auto& item : value.items()) {
      std::string member = child_path(path, item.key());
      std::optional<json> key = substitute_string(item.key(), bindings, member, problems);
      std::optional<json> element = substitute(item.value(), bindings, member, problems);
      if (key && element) out[splice_text(*key)] = std::move(*element);
      else ok = false;
    }
    return ok ? std::optional<json>(std::move(out)) : std::nullopt;
  }
  return value;
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
  match_into(expected, actual, path, out);
  return out;
}

}  // namespace wfsim::scenarios
