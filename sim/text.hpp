// C++20's string_view::starts_with and ends_with, which this C++17 code base writes once here.
#pragma once

#include <string_view>

namespace wfsim::sim {

inline bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

inline bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace wfsim::sim
