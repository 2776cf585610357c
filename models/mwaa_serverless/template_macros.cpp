#include "models/mwaa_serverless/template_macros.hpp"

#include <array>
#include <cstdio>

#include "sim/time.hpp"

namespace wfsim::models::mwaa {
namespace {

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};

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

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

std::string no_match(std::string_view data, std::string_view format) {
  return "time data '" + std::string(data) + "' does not match format '" + std::string(format) +
         "'";
}

// Reads from 1 to `most` digits at `at` (exactly `most` when `exact`).
std::optional<int> read_number(std::string_view text, std::size_t& at, std::size_t most,
                               bool exact) {
  std::size_t digits = 0;
  int value = 0;
  while (digits < most && at < text.size() && text[at] >= '0' && text[at] <= '9') {
    value = value * 10 + (text[at] - '0');
    ++at;
    ++digits;
  }
  if (digits == 0 || (exact && digits != most)) return std::nullopt;
  return value;
}

// One strptime directive read into `out`; false when the data does not fit it.
bool read_directive(char directive, std::string_view data, std::size_t& at, Parsed& out,
                    std::string* error) {
  struct Field {
    char directive;
    std::size_t digits;
    bool exact;
    int low;
    int high;
    int Parsed::*member;
  };
  static constexpr std::array<Field, 7> kFields = {{{'Y', 4, true, 1, 9999, &Parsed::year},
                                                    {'m', 2, false, 1, 12, &Parsed::month},
                                                    {'d', 2, false, 1, 31, &Parsed::day},
                                                    {'H', 2, false, 0, 23, &Parsed::hour},
                                                    {'M', 2, false, 0, 59, &Parsed::minute},
                                                    {'S', 2, false, 0, 61, &Parsed::second},
                                                    {'j', 3, false, 1, 366, &Parsed::day_of_year}}};
  if (directive == 'y') {
    const auto value = read_number(data, at, 2, true);
    if (!value) return false;
    out.year = *value < 69 ? 2000 + *value : 1900 + *value;  // Python's pivot
    return true;
  }
  for (const Field& field : kFields) {
    if (field.directive != directive) continue;
    const auto value = read_number(data, at, field.digits, field.exact);
    if (!value || *value < field.low || *value > field.high) return false;
    out.*field.member = *value;
    return true;
  }
  return fail(error, std::string("the simulator's template subset does not read '%") + directive +
                         "' in macros.ds_format (it reads %Y %m %d %H %M %S %y %j %%)");
}

std::optional<sim::TimeUs> strptime(std::string_view data, std::string_view format,
                                    std::string* error) {
  Parsed parsed;
  std::size_t at = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size() && format[i + 1] != '%') {
      std::string unsupported;
      if (!read_directive(format[++i], data, at, parsed, &unsupported)) {
        fail(error, unsupported.empty() ? no_match(data, format) : unsupported);
        return std::nullopt;
      }
      continue;
    }
    if (format[i] == '%') ++i;  // "%%" stands for one '%'
    if (at >= data.size() || data[at] != format[i]) {
      fail(error, no_match(data, format));
      return std::nullopt;
    }
    ++at;
  }
  if (at != data.size()) {
    fail(error, "unconverted data remains: " + std::string(data.substr(at)));
    return std::nullopt;
  }
  std::optional<sim::TimeUs> date = sim::from_civil(parsed.year, 1, 1);
  if (parsed.day_of_year != 0 && date) {
    *date += sim::days(parsed.day_of_year - 1);  // day 366 of a common year is next 1 January
  } else {
    date = sim::from_civil(parsed.year, parsed.month, parsed.day);
  }
  if (!date) {
    fail(error, "day is out of range for month");
    return std::nullopt;
  }
  // Python keeps a leap second's 60 and 61 out of datetime: strptime accepts them, the
  // datetime does not.
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
      out += format[i];
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

std::optional<std::string> ds_add(std::string_view ds, std::int64_t days, std::string* error) {
  const std::optional<sim::TimeUs> date = strptime(ds, "%Y-%m-%d", error);
  if (!date) return std::nullopt;
  // Python's date range is years 1..9999; a move past either end is an OverflowError.
  constexpr std::int64_t kMostDays = 3'652'059;  // 0001-01-01 to 9999-12-31
  if (days > kMostDays || days < -kMostDays) {
    fail(error, "date value out of range");
    return std::nullopt;
  }
  const sim::TimeUs moved = *date + sim::days(days);
  const int year = sim::to_civil(moved).year;
  if (year < 1 || year > 9999) {
    fail(error, "date value out of range");
    return std::nullopt;
  }
  return strftime(moved, "%Y-%m-%d", error);
}

std::optional<std::string> ds_format(std::string_view ds, std::string_view input_format,
                                     std::string_view output_format, std::string* error) {
  const std::optional<sim::TimeUs> date = strptime(ds, input_format, error);
  if (!date) return std::nullopt;
  return strftime(*date, output_format, error);
}

}  // namespace wfsim::models::mwaa
