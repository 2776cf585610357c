#include "models/mwaa_serverless/template_macros.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace wfsim::models::mwaa {
namespace {

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};
constexpr std::size_t kMaxFormatLength = 1024;

// A date and time as strptime fills it: fields not in the format keep Python's defaults.
struct Parsed {
  int year = 1900;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int day_of_year = 0;  // %j; 0 when not given
};

// A numeric directive: Python's regex takes from `most` digits down to `fewest`, the first
// value in [low, high] for which the rest of the format matches.
struct NumericField {
  char directive;
  std::size_t most;
  std::size_t fewest;
  int low;
  int high;
  int Parsed::*member;
};
constexpr std::array<NumericField, 8> kNumericFields = {{
    {'Y', 4, 4, 0, 9999, &Parsed::year},
    {'m', 2, 1, 1, 12, &Parsed::month},
    {'d', 2, 1, 1, 31, &Parsed::day},
    {'H', 2, 1, 0, 23, &Parsed::hour},
    {'M', 2, 1, 0, 59, &Parsed::minute},
    {'S', 2, 1, 0, 61, &Parsed::second},
    {'j', 3, 1, 1, 366, &Parsed::day_of_year},
    {'y', 2, 2, 0, 99, &Parsed::year},
}};

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[at + i]) != lower(word[i])) return false;
  }
  return true;
}

// Python's _strptime builds a regex from the format and matches it from the start of the
// data: numeric fields backtrack over their widths, a run of whitespace in the format
// matches any run of whitespace, and letters compare case-insensitively. This matcher walks
// the same choices in the same order and returns where the first match ends.
class StrptimeMatcher {
 public:
  StrptimeMatcher(std::string_view data, std::string_view format) : data_(data), format_(format) {}

  // The data position where the format's first match ends, with `parsed` filled; nullopt
  // when there is none, with `problem` set when the format itself is at fault.
  std::optional<std::size_t> run(Parsed& parsed) { return match(0, 0, parsed); }
  const std::string& problem() const { return problem_; }

 private:
  std::optional<std::size_t> match(std::size_t f, std::size_t d, Parsed& parsed) {
    while (f < format_.size()) {
      const char c = format_[f];
      if (is_space(c)) {
        while (f < format_.size() && is_space(format_[f])) ++f;
        if (d >= data_.size() || !is_space(data_[d])) return std::nullopt;
        while (d < data_.size() && is_space(data_[d])) ++d;
        continue;
      }
      if (c != '%') {
        if (d >= data_.size() || lower(data_[d]) != lower(c)) return std::nullopt;
        ++f;
        ++d;
        continue;
      }
      if (f + 1 == format_.size()) return refuse("stray % in format '" + std::string(format_) + "'");
      const char directive = format_[f + 1];
      if (directive == '%') {
        if (d >= data_.size() || data_[d] != '%') return std::nullopt;
        f += 2;
        ++d;
        continue;
      }
      return choose(directive, f + 2, d, parsed);
    }
    return d;
  }

  // One way a directive can read the data at a position: where it ends, and the value read
  // (a number, or a month's number for a month name).
  struct Alternative {
    std::size_t end;
    int value;
  };

  // A directive with alternatives: each is tried in the regex's order until the rest of the
  // format matches after it. Whether the rest matches depends only on the two positions, so
  // the positions known to fail are remembered, and the search stays polynomial however
  // many fields the format has.
  std::optional<std::size_t> choose(char directive, std::size_t rest, std::size_t d,
                                    Parsed& parsed) {
    for (const Alternative& alternative : alternatives(directive, d)) {
      if (failed_.count({rest, alternative.end}) != 0) continue;
      Parsed attempt = parsed;
      store(directive, alternative.value, attempt);
      if (const auto done = match(rest, alternative.end, attempt)) {
        parsed = attempt;
        return done;
      }
      if (!problem_.empty()) return std::nullopt;
      failed_.insert({rest, alternative.end});
    }
    return std::nullopt;
  }

  // The directive's readings starting at `d`, in the order the regex tries them: numbers
  // from the widest, within the field's range; names from the longest.
  std::vector<Alternative> alternatives(char directive, std::size_t d) {
    std::vector<Alternative> found;
    for (const NumericField& field : kNumericFields) {
      if (field.directive != directive) continue;
      int value = 0;
      std::vector<Alternative> by_width;  // narrowest first
      for (std::size_t width = 1; width <= field.most && d + width <= data_.size(); ++width) {
        const char c = data_[d + width - 1];
        if (c < '0' || c > '9') break;
        value = value * 10 + (c - '0');
        if (width >= field.fewest && value >= field.low && value <= field.high) {
          by_width.push_back({d + width, value});
        }
      }
      return {by_width.rbegin(), by_width.rend()};
    }
    const bool months = directive == 'B' || directive == 'b';
    if (months || directive == 'A' || directive == 'a') {
      const bool abbreviated = directive == 'b' || directive == 'a';
      const std::size_t count = months ? kMonthNames.size() : kDayNames.size();
      for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = months ? kMonthNames[i] : kDayNames[i];
        const std::string_view shown = abbreviated ? name.substr(0, 3) : name;
        if (starts_with_ignoring_case(data_, d, shown)) {
          found.push_back({d + shown.size(), static_cast<int>(i) + 1});
        }
      }
      // Longest names first, as Python's regex lists them.
      std::stable_sort(found.begin(), found.end(),
                       [](const Alternative& a, const Alternative& b) { return a.end > b.end; });
      return found;
    }
    problem_ = std::string("the simulator's template subset does not read '%") + directive +
               "' in macros.ds_format (it reads %Y %m %d %H %M %S %y %j %b %B %a %A %%)";
    return found;
  }

  // Stores a value `alternatives` read; a weekday name is read and, as in Python without %U
  // or %W, not used.
  static void store(char directive, int value, Parsed& parsed) {
    // %y: Python's pivot puts 69..99 in the 1900s and 0..68 in the 2000s.
    if (directive == 'y') value += value < 69 ? 2000 : 1900;
    if (directive == 'B' || directive == 'b') parsed.month = value;
    for (const NumericField& field : kNumericFields) {
      if (field.directive == directive) parsed.*field.member = value;
    }
  }

  std::optional<std::size_t> refuse(std::string problem) {
    problem_ = std::move(problem);
    return std::nullopt;
  }

  std::string_view data_;
  std::string_view format_;
  std::string problem_;
  std::set<std::pair<std::size_t, std::size_t>> failed_;  // (format, data) that cannot match
};

std::optional<sim::TimeUs> strptime(std::string_view data, std::string_view format,
                                    std::string* error) {
  if (format.size() > kMaxFormatLength) {
    fail(error, "macros.ds_format: a format of more than 1024 characters is outside the subset");
    return std::nullopt;
  }
  Parsed parsed;
  StrptimeMatcher matcher(data, format);
  const std::optional<std::size_t> end = matcher.run(parsed);
  if (!matcher.problem().empty()) {
    fail(error, matcher.problem());
    return std::nullopt;
  }
  if (!end) {
    fail(error, "time data '" + std::string(data) + "' does not match format '" +
                    std::string(format) + "'");
    return std::nullopt;
  }
  if (*end != data.size()) {
    fail(error, "unconverted data remains: " + std::string(data.substr(*end)));
    return std::nullopt;
  }
  if (parsed.year < 1) {
    fail(error, "year 0 is out of range");
    return std::nullopt;
  }
  std::optional<sim::TimeUs> date;
  if (parsed.day_of_year != 0) {
    // Day 366 of a common year is 1 January of the next, as Python computes it.
    date = sim::from_civil(parsed.year, 1, 1);
    if (date) *date += sim::days(parsed.day_of_year - 1);
    if (date && sim::to_civil(*date).year > 9999) {
      fail(error, "year 10000 is out of range");
      return std::nullopt;
    }
  } else {
    date = sim::from_civil(parsed.year, parsed.month, parsed.day);
  }
  if (!date) {
    fail(error, "day is out of range for month");
    return std::nullopt;
  }
  // strptime accepts a second of 60 or 61; Python's datetime does not.
  if (parsed.second > 59) {
    fail(error, "second must be in 0..59");
    return std::nullopt;
  }
  return *date + sim::hours(parsed.hour) + sim::minutes(parsed.minute) +
         sim::seconds(parsed.second);
}

void append_padded(std::string& out, int value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
  out += buffer;
}

int day_of_year(const sim::CivilTime& civil) {
  int day = civil.day;
  for (int month = 1; month < civil.month; ++month) day += sim::days_in_month(civil.year, month);
  return day;
}

std::optional<std::string> strftime(sim::TimeUs time, std::string_view format,
                                    std::string* error) {
  const sim::CivilTime civil = sim::to_civil(time);
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];  // a trailing '%' is written as it is, as glibc's strftime does
      continue;
    }
    const char directive = format[++i];
    switch (directive) {
      case 'Y': append_padded(out, civil.year, 4); break;
      case 'm': append_padded(out, civil.month, 2); break;
      case 'd': append_padded(out, civil.day, 2); break;
      case 'H': append_padded(out, civil.hour, 2); break;
      case 'M': append_padded(out, civil.minute, 2); break;
      case 'S': append_padded(out, civil.second, 2); break;
      case 'y': append_padded(out, civil.year % 100, 2); break;
      case 'j': append_padded(out, day_of_year(civil), 3); break;
      case 'B': out += kMonthNames[civil.month - 1]; break;
      case 'b': out += std::string(kMonthNames[civil.month - 1]).substr(0, 3); break;
      case 'A': out += kDayNames[civil.weekday]; break;
      case 'a': out += std::string(kDayNames[civil.weekday]).substr(0, 3); break;
      case '%': out += '%'; break;
      default:
        fail(error, std::string("the simulator's template subset does not write '%") + directive +
                        "' in macros.ds_format (it writes %Y %m %d %H %M %S %y %j %b %B %a %A "
                        "%%)");
        return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> ds_add(std::string_view ds, sim::DurationUs delta_us,
                                  std::string* error) {
  const std::optional<sim::TimeUs> date = strptime(ds, "%Y-%m-%d", error);
  if (!date) return std::nullopt;
  // Python's dates run from year 1 to 9999; a move past either end is an OverflowError.
  constexpr sim::DurationUs kMostUs = sim::days(3'652'059);  // 0001-01-01 to 9999-12-31
  if (delta_us > kMostUs || delta_us < -kMostUs) {
    fail(error, "date value out of range");
    return std::nullopt;
  }
  const int year = sim::to_civil(*date + delta_us).year;
  if (year < 1 || year > 9999) {
    fail(error, "date value out of range");
    return std::nullopt;
  }
  return strftime(*date + delta_us, "%Y-%m-%d", error);
}

std::optional<std::string> ds_format(std::string_view ds, std::string_view input_format,
                                     std::string_view output_format, std::string* error) {
  const std::optional<sim::TimeUs> date = strptime(ds, input_format, error);
  if (!date) return std::nullopt;
  return strftime(*date, output_format, error);
}

}  // namespace wfsim::models::mwaa
