// Schedule expressions: AWS cron(...) and rate(...) (EventBridge and Glue triggers), and the
// five-field Airflow cron that MWAA Serverless accepts (croniter syntax).
//
// Rules followed: api/glue-workflows.md §6.2 (cron(min hour dom month dow year), UTC) and
// api/mwaa-serverless.md §12.8 (five-field Airflow cron, names, ranges, lists, steps,
// presets, UTC). From the AWS cron reference: Minutes 0-59, Hours 0-23, Day-of-month 1-31
// with , - * ? / L W, Month 1-12 or JAN-DEC, Day-of-week 1-7 (1 = Sunday) or SUN-SAT with
// , - * ? L #, Year 1970-2199; exactly one of Day-of-month and Day-of-week is '?'; rate
// values of 1 take a singular unit and larger values a plural one.
//
// Choices where the sheets are silent (ours, named here so callers know them):
//  - AWS fields are separated by single spaces and outer whitespace is trimmed; Airflow
//    fields may be separated by any run of whitespace, as croniter splits them.
//  - Reversed ranges ("5-2") are rejected in both dialects. The one exception is croniter's:
//    an Airflow day-of-week range may end in 0 or SUN, meaning Sunday at the week's end
//    ("SAT-SUN").
//  - A step is any positive whole number; a step wider than the field keeps only its start.
//  - 'L', 'L-n', 'LW' and 'nW' stand alone in an AWS Day-of-month, and 'nL', 'n#k' alone in
//    a day-of-week, as in Quartz cron from which AWS cron derives. Airflow accepts 'L' as a
//    list element of day-of-month ("1,L"), as croniter does, and no 'W'.
//  - 'nW' does not fire in a month that has no day n (31W in April); 'L-n' reaching before
//    the 1st does not fire that month. 'L' alone in an AWS Day-of-week means Saturday.
//  - Airflow '?' is accepted only as a whole day-of-month or day-of-week field.
//  - Airflow day-of-month and day-of-week count as restricted unless they name every day
//    (croniter folds "1-31" and "0-6" into '*'; we read "1-30,L" the same way); when both
//    are restricted a day matches if either does (Vixie cron), otherwise both must match.
//  - Names are case-insensitive; presets are lower case, as Airflow looks them up exactly.
#include "sim/cron.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

#include "sim/text.hpp"

namespace wfsim::sim {
namespace {

using Field = Schedule::Field;
using CronFields = Schedule::CronFields;

constexpr int kAwsFirstYear = 1970;
constexpr int kAwsLastYear = 2199;
// The Gregorian calendar, weekdays included, repeats every 400 years, so an expression
// without a year field that has not fired within 400 years of a start never fires.
constexpr int kAirflowSearchYears = 400;
// RFC 3339 timestamps end at year 9999; the simulation never reaches later instants.
constexpr int kLastSearchYear = 9999;
constexpr int kLargeNumber = 1'000'000'000;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

// How one field is written: its name in error messages, its numeric range, and the names
// that stand for numbers (names[i] is names_base + i).
struct FieldSpec {
  std::string_view name;
  int min_value = 0;
  int max_value = 0;
  const std::string_view* names = nullptr;
  int name_count = 0;
  int names_base = 0;
  bool range_may_end_on_sunday = false;  // croniter's "SAT-SUN": a range end of 0 means 7
};

constexpr FieldSpec kAwsMinutes{"Minutes", 0, 59};
constexpr FieldSpec kAwsHours{"Hours", 0, 23};
constexpr FieldSpec kAwsDayOfMonth{"Day-of-month", 1, 31};
constexpr FieldSpec kAwsMonth{"Month", 1, 12, kMonthNames.data(), 12, 1};
constexpr FieldSpec kAwsDayOfWeek{"Day-of-week", 1, 7, kDayNames.data(), 7, 1};
constexpr FieldSpec kAwsYear{"Year", kAwsFirstYear, kAwsLastYear};

constexpr FieldSpec kAirflowMinute{"minute", 0, 59};
constexpr FieldSpec kAirflowHour{"hour", 0, 23};
constexpr FieldSpec kAirflowDayOfMonth{"day-of-month", 1, 31};
constexpr FieldSpec kAirflowMonth{"month", 1, 12, kMonthNames.data(), 12, 1};
constexpr FieldSpec kAirflowDayOfWeek{"day-of-week", 0, 7, kDayNames.data(), 7, 0, true};

struct Preset {
  std::string_view name;
  std::string_view expression;
};
constexpr std::array<Preset, 7> kAirflowPresets = {{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

// ---- text helpers ----

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

// Splits on every `separator`, keeping empty pieces so that "1,,2" can be reported.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    pieces.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t index = 0;
  while (index < text.size()) {
    while (index < text.size() && is_space(text[index])) ++index;
    const std::size_t start = index;
    while (index < text.size() && !is_space(text[index])) ++index;
    if (index > start) pieces.push_back(text.substr(start, index - start));
  }
  return pieces;
}

// Digits only; values too large for any field saturate so that the range check reports them.
bool parse_number(std::string_view text, int& value) {
  if (text.empty()) return false;
  std::int64_t result = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    result = std::min<std::int64_t>(result * 10 + (c - '0'), kLargeNumber);
  }
  value = static_cast<int>(result);
  return true;
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string range_text(const FieldSpec& spec) {
  std::string text = std::to_string(spec.min_value) + "-" + std::to_string(spec.max_value);
  if (spec.names != nullptr) {
    text +=
        " or " + std::string(spec.names[0]) + "-" + std::string(spec.names[spec.name_count - 1]);
  }
  return text;
}

std::string field_error(const FieldSpec& spec, std::string_view text, const std::string& rule) {
  return std::string(spec.name) + " field " + quoted(text) + ": " + rule;
}

// ---- field parsing ----

// A number or, where the field has names, a three-letter name in any case.
bool parse_value(std::string_view text, const FieldSpec& spec, int& value, std::string& rule) {
  if (parse_number(text, value)) {
    if (value >= spec.min_value && value <= spec.max_value) return true;
    rule = "value " + std::string(text) + " is outside " + range_text(spec);
    return false;
  }
  const std::string name = upper(text);
  for (int index = 0; index < spec.name_count; ++index) {
    if (name == spec.names[index]) {
      value = spec.names_base + index;
      return true;
    }
  }
  rule = "value " + quoted(text) + " is not a number in " + range_text(spec);
  return false;
}

// One list element: "*", "5", "MON", "1-5", "*/15", "5-30/5" or "10/15" (10 to the end).
bool parse_term(std::string_view term, const FieldSpec& spec, std::vector<bool>& allowed,
                std::string& rule) {
  std::string_view base = term;
  int step = 1;
  const std::size_t slash = term.find('/');
  if (slash != std::string_view::npos) {
    base = term.substr(0, slash);
    const std::string_view step_text = term.substr(slash + 1);
    if (!parse_number(step_text, step) || step < 1) {
      rule = "step " + quoted(step_text) + " after '/' must be a positive whole number";
      return false;
    }
  }
  int first = spec.min_value;
  int last = spec.max_value;
  const std::size_t dash = base.find('-');
  if (base != "*" && dash == std::string_view::npos) {
    if (!parse_value(base, spec, first, rule)) return false;
    if (slash == std::string_view::npos) last = first;
  }
  if (base != "*" && dash != std::string_view::npos) {
    if (!parse_value(base.substr(0, dash), spec, first, rule) ||
        !parse_value(base.substr(dash + 1), spec, last, rule)) {
      return false;
    }
    if (spec.range_may_end_on_sunday && last == 0 && first > 0) last = 7;
    if (first > last) {
      rule = "range " + quoted(base) + " is reversed: its start must not exceed its end";
      return false;
    }
  }
  for (int value = first; value <= last; value += step) allowed[value] = true;
  return true;
}

void allow_all(Field& field, const FieldSpec& spec) {
  field.any = true;
  field.allowed.assign(spec.max_value + 1, false);
  for (int value = spec.min_value; value <= spec.max_value; ++value) field.allowed[value] = true;
}

// A plain list of terms; no '?', 'L', 'W' or '#'.
bool parse_list(std::string_view text, const FieldSpec& spec, Field& field, std::string& error) {
  if (text == "*") {
    allow_all(field, spec);
    return true;
  }
  field.any = false;
  field.allowed.assign(spec.max_value + 1, false);
  if (text == "?") {
    error = field_error(spec, text, "'?' is allowed only in day-of-month and day-of-week");
    return false;
  }
  for (const std::string_view term : split(text, ',')) {
    std::string rule;
    if (term.empty()) rule = "a list has an empty element";
    if (rule.empty() && parse_term(term, spec, field.allowed, rule)) continue;
    error = field_error(spec, text, rule);
    return false;
  }
  return true;
}

bool parse_bounded_number(std::string_view text, int low, int high, int& value) {
  return parse_number(text, value) && value >= low && value <= high;
}

// AWS Day-of-month: '?', a list, or one of L, L-n, LW, nW standing alone.
bool parse_aws_day_of_month(std::string_view text, CronFields& cron, std::string& error) {
  const FieldSpec& spec = kAwsDayOfMonth;
  if (text == "?") {
    allow_all(cron.days_of_month, spec);
    return true;
  }
  const std::string value = upper(text);
  if (value.find_first_of("LW") == std::string::npos) {
    return parse_list(text, spec, cron.days_of_month, error);
  }
  cron.days_of_month.any = false;
  cron.days_of_month.allowed.assign(spec.max_value + 1, false);
  if (value == "L") {
    cron.last_day_of_month = true;
  } else if (value == "LW") {
    cron.last_weekday_of_month = true;
  } else if (starts_with(value, "L-")) {
    if (!parse_bounded_number(std::string_view(value).substr(2), 1, 30, cron.last_day_offset)) {
      error = field_error(spec, text, "'L-n' needs n from 1 to 30 days before the last day");
      return false;
    }
    cron.last_day_of_month = true;
  } else if (!ends_with(value, "W") ||
             !parse_bounded_number(std::string_view(value).substr(0, value.size() - 1), 1, 31,
                                   cron.nearest_weekday_to)) {
    error = field_error(spec, text,
                        "'L' and 'W' stand alone as L, L-n (n 1-30), LW or nW (n 1-31), "
                        "never in a list or range");
    return false;
  }
  return true;
}

// Airflow day-of-month: '*', '?', or a list whose elements may include 'L' (last day).
bool parse_airflow_day_of_month(std::string_view text, CronFields& cron, std::string& error) {
  const FieldSpec& spec = kAirflowDayOfMonth;
  if (text == "?" || text == "*") {
    allow_all(cron.days_of_month, spec);
    return true;
  }
  cron.days_of_month.any = false;
  cron.days_of_month.allowed.assign(spec.max_value + 1, false);
  for (const std::string_view term : split(text, ',')) {
    std::string rule;
    if (term == "L" || term == "l") {
      cron.last_day_of_month = true;
      continue;
    }
    if (term.empty()) rule = "a list has an empty element";
    if (upper(term).find('W') != std::string::npos) {
      rule = "'W' (nearest weekday) is not supported in Airflow cron";
    }
    if (rule.empty() && parse_term(term, spec, cron.days_of_month.allowed, rule)) continue;
    error = field_error(spec, text, rule);
    return false;
  }
  return true;
}

// Maps a written day-of-week to 0 = Sunday .. 6: AWS writes 1 = Sunday, Airflow 0 or 7.
int weekday_from_written(int written, bool aws) { return aws ? written - 1 : written % 7; }

// "MON#2" or "2#2" (AWS) / "1#2" (Airflow): the n-th given weekday of the month.
bool parse_nth_weekday(std::string_view text, const FieldSpec& spec, bool aws, CronFields& cron,
                       std::string& error) {
  const std::size_t hash = text.find('#');
  std::string rule;
  int written = 0;
  if (!parse_value(text.substr(0, hash), spec, written, rule)) {
    error = field_error(spec, text, "'#' must follow one weekday: " + rule);
    return false;
  }
  if (!parse_bounded_number(text.substr(hash + 1), 1, 5, cron.nth_weekday)) {
    error = field_error(spec, text, "'#' must be followed by an occurrence from 1 to 5");
    return false;
  }
  cron.nth_weekday_day = weekday_from_written(written, aws);
  return true;
}

// "6L" (AWS, last Friday), "5L" or "L5" (Airflow, last Friday).
bool parse_last_weekday(std::string_view text, const FieldSpec& spec, bool aws, CronFields& cron,
                        std::string& error) {
  const std::string value = upper(text);
  std::string_view day = value;
  if (ends_with(day, "L")) {
    day.remove_suffix(1);
  } else if (!aws && starts_with(day, "L")) {
    day.remove_prefix(1);
  }
  std::string rule;
  int written = 0;
  if (day.empty() || day.find('L') != std::string_view::npos ||
      !parse_value(day, spec, written, rule)) {
    error = field_error(spec, text,
                        std::string("'L' must stand alone with one weekday, e.g. ") +
                            (aws ? "6L (last Friday)" : "5L (last Friday)"));
    return false;
  }
  cron.last_weekday_in_month_day = weekday_from_written(written, aws);
  return true;
}

// Copies a list written in the dialect's numbering into 0 = Sunday .. 6 = Saturday.
void store_weekdays(const Field& written, bool aws, Field& weekdays) {
  weekdays.any = written.any;
  weekdays.allowed.assign(7, false);
  for (std::size_t value = 0; value < written.allowed.size(); ++value) {
    if (written.allowed[value]) {
      weekdays.allowed[weekday_from_written(static_cast<int>(value), aws)] = true;
    }
  }
}

bool parse_day_of_week(std::string_view text, bool aws, CronFields& cron, std::string& error) {
  const FieldSpec& spec = aws ? kAwsDayOfWeek : kAirflowDayOfWeek;
  Field written;
  if (text == "?" || text == "*") {
    allow_all(written, spec);
    store_weekdays(written, aws, cron.days_of_week);
    return true;
  }
  cron.days_of_week.any = false;
  cron.days_of_week.allowed.assign(7, false);
  if (text.find('#') != std::string_view::npos) {
    return parse_nth_weekday(text, spec, aws, cron, error);
  }
  if (aws && (text == "L" || text == "l")) {
    // Quartz, from which AWS cron derives, reads a lone 'L' as the week's last day.
    cron.days_of_week.allowed[6] = true;
    return true;
  }
  if (upper(text).find('L') != std::string::npos) {
    return parse_last_weekday(text, spec, aws, cron, error);
  }
  if (aws && text.find('/') != std::string_view::npos) {
    error = field_error(spec, text, "'/' (steps) is not allowed in Day-of-week");
    return false;
  }
  if (!parse_list(text, spec, written, error)) return false;
  store_weekdays(written, aws, cron.days_of_week);
  return true;
}

// ---- whole expressions ----

// Days 1-30 plus either 31 or 'L' name every day of every month, so, like "1-31" (which
// croniter folds into '*'), "1-30,L" leaves the day-of-week alone in charge.
bool names_every_day_of_month(const CronFields& cron) {
  const std::vector<bool>& allowed = cron.days_of_month.allowed;
  const bool day_31 = allowed[31] || (cron.last_day_of_month && cron.last_day_offset == 0);
  return day_31 && std::all_of(allowed.begin() + 1, allowed.end() - 1, [](bool b) { return b; });
}

bool parse_aws_fields(const std::vector<std::string_view>& fields, CronFields& cron,
                      std::string& error) {
  const bool day_of_month_open = fields[2] == "?";
  const bool day_of_week_open = fields[4] == "?";
  if (day_of_month_open && day_of_week_open) {
    error = "Day-of-month and Day-of-week cannot both be '?': one of them must name the days";
    return false;
  }
  if (!day_of_month_open && !day_of_week_open) {
    error = "Day-of-month " + quoted(fields[2]) + " and Day-of-week " + quoted(fields[4]) +
            " cannot both be specified: one of them must be '?'";
    return false;
  }
  if (!parse_list(fields[0], kAwsMinutes, cron.minutes, error) ||
      !parse_list(fields[1], kAwsHours, cron.hours, error) ||
      !parse_aws_day_of_month(fields[2], cron, error) ||
      !parse_list(fields[3], kAwsMonth, cron.months, error) ||
      !parse_day_of_week(fields[4], true, cron, error) ||
      !parse_list(fields[5], kAwsYear, cron.years, error)) {
    return false;
  }
  cron.day_of_month_restricted = !day_of_month_open;
  cron.day_of_week_restricted = !day_of_week_open;
  return true;
}

bool parse_airflow_fields(const std::vector<std::string_view>& fields, CronFields& cron,
                          std::string& error) {
  cron.airflow = true;
  cron.years.any = true;
  if (!parse_list(fields[0], kAirflowMinute, cron.minutes, error) ||
      !parse_list(fields[1], kAirflowHour, cron.hours, error) ||
      !parse_airflow_day_of_month(fields[2], cron, error) ||
      !parse_list(fields[3], kAirflowMonth, cron.months, error) ||
      !parse_day_of_week(fields[4], false, cron, error)) {
    return false;
  }
  // '#' and 'nL' stand alone, leaving no plain weekday allowed, so they always restrict.
  cron.day_of_month_restricted = !names_every_day_of_month(cron);
  const std::vector<bool>& weekdays = cron.days_of_week.allowed;
  cron.day_of_week_restricted =
      !std::all_of(weekdays.begin(), weekdays.end(), [](bool b) { return b; });
  return true;
}

// "rate(5 minutes)": value and unit separated by one space; 1 takes the singular unit.
std::optional<DurationUs> parse_rate(std::string_view inner, std::string& error) {
  const std::vector<std::string_view> parts = split(inner, ' ');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    error = "rate expression " + quoted(inner) +
            ": must be 'rate(value unit)' with a single space, e.g. rate(5 minutes)";
    return std::nullopt;
  }
  int value = 0;
  if (!parse_number(parts[0], value) || value < 1) {
    error = "rate value " + quoted(parts[0]) + ": must be a positive whole number";
    return std::nullopt;
  }
  const std::string_view unit = parts[1];
  DurationUs unit_us = 0;
  if (unit == "minute" || unit == "minutes") unit_us = kMicrosecondsPerMinute;
  if (unit == "hour" || unit == "hours") unit_us = kMicrosecondsPerHour;
  if (unit == "day" || unit == "days") unit_us = kMicrosecondsPerDay;
  if (unit_us == 0) {
    error = "rate unit " + quoted(unit) + ": must be minute(s), hour(s) or day(s)";
    return std::nullopt;
  }
  const bool plural = ends_with(unit, "s");
  if (value == 1 && plural) {
    error = "rate unit " + quoted(unit) + ": a value of 1 takes the singular unit " +
            quoted(unit.substr(0, unit.size() - 1));
    return std::nullopt;
  }
  if (value > 1 && !plural) {
    error = "rate unit " + quoted(unit) + ": a value of " + std::string(parts[0]) +
            " takes the plural unit " + quoted(std::string(unit) + "s");
    return std::nullopt;
  }
  DurationUs period_us = 0;
  if (value >= kLargeNumber || __builtin_mul_overflow(value, unit_us, &period_us)) {
    error = "rate value " + quoted(parts[0]) + ": is too large";
    return std::nullopt;
  }
  return period_us;
}

// ---- matching and searching ----

bool value_allowed(const Field& field, int value) {
  if (field.any) return true;
  return value >= 0 && static_cast<std::size_t>(value) < field.allowed.size() &&
         field.allowed[value];
}

int weekday_of_day(const CivilTime& date, int day) {
  return ((date.weekday + day - date.day) % 7 + 7) % 7;
}

// The weekday (Monday-Friday) nearest to `target` without leaving the month; 0 if the month
// has no such day.
int nearest_weekday(const CivilTime& date, int target, int last_day) {
  if (target > last_day) return 0;
  const int weekday = weekday_of_day(date, target);
  if (weekday == 6) return target == 1 ? 3 : target - 1;
  if (weekday == 0) return target == last_day ? target - 2 : target + 1;
  return target;
}

int last_weekday_of_month(const CivilTime& date, int last_day) {
  const int weekday = weekday_of_day(date, last_day);
  if (weekday == 6) return last_day - 1;
  if (weekday == 0) return last_day - 2;
  return last_day;
}

bool day_of_month_matches(const CronFields& cron, const CivilTime& date) {
  if (value_allowed(cron.days_of_month, date.day)) return true;
  const int last_day = days_in_month(date.year, date.month);
  if (cron.last_day_of_month && date.day == last_day - cron.last_day_offset) return true;
  if (cron.last_weekday_of_month && date.day == last_weekday_of_month(date, last_day)) {
    return true;
  }
  return cron.nearest_weekday_to > 0 &&
         date.day == nearest_weekday(date, cron.nearest_weekday_to, last_day);
}

bool day_of_week_matches(const CronFields& cron, const CivilTime& date) {
  if (value_allowed(cron.days_of_week, date.weekday)) return true;
  if (cron.nth_weekday > 0 && date.weekday == cron.nth_weekday_day &&
      (date.day - 1) / 7 + 1 == cron.nth_weekday) {
    return true;
  }
  return cron.last_weekday_in_month_day == date.weekday &&
         date.day + 7 > days_in_month(date.year, date.month);
}

// The first allowed minute of the day at or after from_hour:from_minute, as minutes since
// midnight.
std::optional<int> first_time_of_day(const CronFields& cron, int from_hour, int from_minute) {
  for (int hour = from_hour; hour < 24; ++hour) {
    if (!value_allowed(cron.hours, hour)) continue;
    for (int minute = hour == from_hour ? from_minute : 0; minute < 60; ++minute) {
      if (value_allowed(cron.minutes, minute)) return hour * 60 + minute;
    }
  }
  return std::nullopt;
}

template <typename DayMatches>
std::optional<TimeUs> search_month(const CronFields& cron, int year, int month,
                                   const CivilTime* from, const DayMatches& day_matches) {
  const std::optional<TimeUs> first_day_us = from_civil(year, month, 1);
  if (!first_day_us) return std::nullopt;
  CivilTime date = to_civil(*first_day_us);
  const int last_day = days_in_month(year, month);
  const int first_weekday = date.weekday;
  for (int day = from != nullptr ? from->day : 1; day <= last_day; ++day) {
    date.day = day;
    date.weekday = (first_weekday + day - 1) % 7;
    if (!day_matches(date)) continue;
    const bool from_day = from != nullptr && day == from->day;
    const std::optional<int> minute_of_day =
        first_time_of_day(cron, from_day ? from->hour : 0, from_day ? from->minute : 0);
    if (minute_of_day) {
      return from_civil(year, month, day, *minute_of_day / 60, *minute_of_day % 60);
    }
  }
  return std::nullopt;
}

// Walks years, then months, then days, then minutes, skipping whole units that cannot match,
// so even a never-firing expression costs a few hundred thousand day checks at most.
template <typename DayMatches>
std::optional<TimeUs> search(const CronFields& cron, const CivilTime& from, int last_year,
                             const DayMatches& day_matches) {
  for (int year = from.year; year <= last_year; ++year) {
    if (!value_allowed(cron.years, year)) continue;
    for (int month = year == from.year ? from.month : 1; month <= 12; ++month) {
      if (!value_allowed(cron.months, month)) continue;
      const bool from_month = year == from.year && month == from.month;
      const std::optional<TimeUs> found =
          search_month(cron, year, month, from_month ? &from : nullptr, day_matches);
      if (found) return found;
    }
  }
  return std::nullopt;
}

std::optional<TimeUs> next_rate_after(DurationUs period_us, TimeUs after_us, TimeUs anchor_us) {
  if (after_us < anchor_us) return anchor_us;
  TimeUs elapsed_us = 0;
  TimeUs offset_us = 0;
  TimeUs next_us = 0;
  if (__builtin_sub_overflow(after_us, anchor_us, &elapsed_us)) return std::nullopt;
  const std::int64_t periods = elapsed_us / period_us + 1;
  if (__builtin_mul_overflow(periods, period_us, &offset_us) ||
      __builtin_add_overflow(anchor_us, offset_us, &next_us)) {
    return std::nullopt;
  }
  return next_us;
}

// The first whole minute strictly after `after_us`, or nullopt past the representable range.
std::optional<TimeUs> next_whole_minute(TimeUs after_us) {
  std::int64_t minute_index = after_us / kMicrosecondsPerMinute;
  if (after_us % kMicrosecondsPerMinute < 0) --minute_index;
  if (minute_index >= std::numeric_limits<TimeUs>::max() / kMicrosecondsPerMinute) {
    return std::nullopt;
  }
  return (minute_index + 1) * kMicrosecondsPerMinute;
}

}  // namespace

std::optional<Schedule> Schedule::parse_aws(std::string_view expression, std::string* error) {
  std::string message;
  const std::string_view text = trim(expression);
  Schedule schedule;
  schedule.expression_ = std::string(text);
  const bool is_cron = starts_with(text, "cron(") && ends_with(text, ")");
  const bool is_rate = starts_with(text, "rate(") && ends_with(text, ")");
  if (!is_cron && !is_rate) {
    message = "schedule expression " + quoted(text) +
              ": must be cron(Minutes Hours Day-of-month Month Day-of-week Year) or "
              "rate(value unit)";
  } else if (is_rate) {
    const std::optional<DurationUs> period_us =
        parse_rate(text.substr(5, text.size() - 6), message);
    if (period_us) {
      schedule.rate_period_us_ = *period_us;
      return schedule;
    }
  } else {
    const std::vector<std::string_view> fields = split(text.substr(5, text.size() - 6), ' ');
    bool empty_field = false;
    for (const std::string_view field : fields) empty_field = empty_field || field.empty();
    if (empty_field || fields.size() != 6) {
      message = "cron expression " + quoted(text) +
                ": must have 6 fields (Minutes Hours Day-of-month Month Day-of-week Year) "
                "separated by single spaces, found " +
                (empty_field ? std::string("an empty field") : std::to_string(fields.size()));
    } else if (parse_aws_fields(fields, schedule.cron_, message)) {
      return schedule;
    }
  }
  if (error != nullptr) *error = message;
  return std::nullopt;
}

std::optional<Schedule> Schedule::parse_airflow(std::string_view expression, std::string* error) {
  std::string message;
  const std::string_view text = trim(expression);
  Schedule schedule;
  schedule.expression_ = std::string(text);
  std::string_view fields_text = text;
  if (starts_with(text, "@")) {
    fields_text = {};
    for (const Preset& preset : kAirflowPresets) {
      if (text == preset.name) fields_text = preset.expression;
    }
  }
  const std::vector<std::string_view> fields = split_whitespace(fields_text);
  if (text == "@reboot") {
    message = "preset '@reboot' is not supported: it names no time of day";
  } else if (starts_with(text, "@") && fields.empty()) {
    message = "preset " + quoted(text) +
              " is unknown: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or "
              "@hourly";
  } else if (fields.size() != 5) {
    message = "cron expression " + quoted(text) +
              ": must have 5 fields (minute hour day-of-month month day-of-week), found " +
              std::to_string(fields.size());
  } else if (parse_airflow_fields(fields, schedule.cron_, message)) {
    return schedule;
  }
  if (error != nullptr) *error = message;
  return std::nullopt;
}

std::optional<TimeUs> Schedule::next_after(TimeUs after_us, TimeUs anchor_us) const {
  if (is_rate()) return next_rate_after(rate_period_us_, after_us, anchor_us);
  std::optional<TimeUs> start_us = next_whole_minute(after_us);
  if (!start_us) return std::nullopt;
  // AWS years begin in 1970, the epoch, so an earlier start is moved up to it.
  if (!cron_.airflow && *start_us < 0) start_us = 0;
  const CivilTime from = to_civil(*start_us);
  const int last_year =
      cron_.airflow ? std::min(from.year + kAirflowSearchYears, kLastSearchYear) : kAwsLastYear;
  return search(cron_, from, last_year,
                [this](const CivilTime& date) { return day_matches(date); });
}

bool Schedule::day_matches(const CivilTime& civil) const {
  const bool day_of_month = day_of_month_matches(cron_, civil);
  const bool day_of_week = day_of_week_matches(cron_, civil);
  if (cron_.airflow && cron_.day_of_month_restricted && cron_.day_of_week_restricted) {
    return day_of_month || day_of_week;
  }
  return day_of_month && day_of_week;
}

}  // namespace wfsim::sim
