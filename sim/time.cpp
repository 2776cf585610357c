// Virtual time and its text forms. The calendar arithmetic is the proleptic Gregorian
// calendar done with integers only (days counted from 1970-01-01 through 400-year eras), so
// it gives the same answer for every instant on every platform and never reads a wall clock.
#include "sim/time.hpp"

#include <cstdio>
#include <limits>

namespace wfsim::sim {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
constexpr std::int64_t kDaysPerEra = 146097;  // days in 400 Gregorian years

std::int64_t floor_divide(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if (value % divisor != 0 && (value < 0) != (divisor < 0)) {
    --quotient;
  }
  return quotient;
}

bool is_leap_year(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days from 1970-01-01 to the given date. The year is shifted to start in March so that the
// leap day is the last day of the shifted year, which makes the day-of-year formula linear.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  const std::int64_t shifted_year = month <= 2 ? year - 1 : year;
  const std::int64_t era = floor_divide(shifted_year, 400);
  const std::int64_t year_of_era = shifted_year - era * 400;
  const std::int64_t month_from_march = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * kDaysPerEra + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

// The inverse of days_from_civil.
CivilDate civil_from_days(std::int64_t days_since_epoch) {
  const std::int64_t shifted = days_since_epoch + 719468;
  const std::int64_t era = floor_divide(shifted, kDaysPerEra);
  const std::int64_t day_of_era = shifted - era * kDaysPerEra;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

void set_error(std::string* error, std::string message) {
  if (error != nullptr) {
    *error = std::move(message);
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A cursor over the text being parsed; every reader reports where it failed.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return position_ >= text_.size(); }
  std::size_t position() const { return position_; }
  char peek() const { return at_end() ? '\0' : text_[position_]; }
  void skip() { ++position_; }

  bool take(char expected) {
    if (peek() != expected) {
      return false;
    }
    ++position_;
    return true;
  }

  // Exactly `count` decimal digits.
  std::optional<int> fixed_digits(std::size_t count) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!is_digit(peek())) {
        return std::nullopt;
      }
      value = value * 10 + (peek() - '0');
      skip();
    }
    return value;
  }

  // One or more digits.
  std::string_view digit_run() {
    const std::size_t start = position_;
    while (is_digit(peek())) {
      skip();
    }
    return text_.substr(start, position_ - start);
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

struct DateTimeFields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
};

// Reads "YYYY-MM-DD". Returns an empty string on success, otherwise what was wrong.
std::string read_date(Cursor& cursor, DateTimeFields& fields) {
  const auto year = cursor.fixed_digits(4);
  if (!year) return "expected a 4-digit year at position 0";
  if (!cursor.take('-')) return "expected '-' after the year";
  const auto month = cursor.fixed_digits(2);
  if (!month) return "expected a 2-digit month after the year";
  if (!cursor.take('-')) return "expected '-' after the month";
  const auto day = cursor.fixed_digits(2);
  if (!day) return "expected a 2-digit day after the month";
  fields.year = *year;
  fields.month = *month;
  fields.day = *day;
  return "";
}

// Reads "HH:MM:SS" and an optional fraction, truncated to microseconds.
std::string read_time(Cursor& cursor, DateTimeFields& fields) {
  const auto hour = cursor.fixed_digits(2);
  if (!hour) return "expected a 2-digit hour after 'T'";
  if (!cursor.take(':')) return "expected ':' after the hour";
  const auto minute = cursor.fixed_digits(2);
  if (!minute) return "expected a 2-digit minute after the hour";
  if (!cursor.take(':')) return "expected ':' after the minute";
  const auto second = cursor.fixed_digits(2);
  if (!second) return "expected a 2-digit second after the minute";
  fields.hour = *hour;
  fields.minute = *minute;
  fields.second = *second;
  if (cursor.take('.')) {
    const std::string_view fraction = cursor.digit_run();
    if (fraction.empty()) return "expected digits after the decimal point";
    int scale = 100000;
    for (std::size_t i = 0; i < fraction.size() && scale > 0; ++i, scale /= 10) {
      fields.microsecond += (fraction[i] - '0') * scale;
    }
  }
  return "";
}

// Reads "Z", "z" or "+HH:MM" / "-HH:MM" into a signed offset from UTC.
std::string read_offset(Cursor& cursor, DurationUs& offset_us) {
  if (cursor.take('Z') || cursor.take('z')) {
    offset_us = 0;
    return "";
  }
  const char sign = cursor.peek();
  if (sign != '+' && sign != '-') return "expected 'Z' or a '+HH:MM'/'-HH:MM' offset";
  cursor.skip();
  const auto hours_part = cursor.fixed_digits(2);
  if (!hours_part || !cursor.take(':')) return "expected an offset of the form '+HH:MM'";
  const auto minutes_part = cursor.fixed_digits(2);
  if (!minutes_part) return "expected an offset of the form '+HH:MM'";
  if (*hours_part > 23 || *minutes_part > 59) return "the UTC offset is out of range";
  offset_us = hours(*hours_part) + minutes(*minutes_part);
  if (sign == '-') offset_us = -offset_us;
  return "";
}

std::string describe_field_error(const DateTimeFields& fields) {
  if (fields.year < kMinYear) return "the year must be between 0001 and 9999";
  if (fields.month < 1 || fields.month > 12) return "the month must be between 01 and 12";
  if (fields.day < 1 || fields.day > days_in_month(fields.year, fields.month)) {
    return "day " + std::to_string(fields.day) + " does not exist in that month";
  }
  if (fields.hour > 23) return "the hour must be between 00 and 23";
  if (fields.minute > 59) return "the minute must be between 00 and 59";
  if (fields.second > 59) return "the second must be between 00 and 59 (no leap seconds)";
  return "a field is out of range";
}

// Adds two durations, refusing to wrap.
std::optional<DurationUs> checked_add(DurationUs a, DurationUs b) {
  if (b > 0 && a > std::numeric_limits<DurationUs>::max() - b) return std::nullopt;
  if (b < 0 && a < std::numeric_limits<DurationUs>::min() - b) return std::nullopt;
  return a + b;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) {
    return 0;
  }
  if (month == 2 && is_leap_year(year)) {
    return 29;
  }
  return kDays[month - 1];
}

CivilTime to_civil(TimeUs t) {
  const std::int64_t days_since_epoch = floor_divide(t, kMicrosecondsPerDay);
  std::int64_t within_day_us = t - days_since_epoch * kMicrosecondsPerDay;
  const CivilDate date = civil_from_days(days_since_epoch);
  CivilTime civil;
  civil.year = static_cast<int>(date.year);
  civil.month = date.month;
  civil.day = date.day;
  civil.hour = static_cast<int>(within_day_us / kMicrosecondsPerHour);
  within_day_us %= kMicrosecondsPerHour;
  civil.minute = static_cast<int>(within_day_us / kMicrosecondsPerMinute);
  within_day_us %= kMicrosecondsPerMinute;
  civil.second = static_cast<int>(within_day_us / kMicrosecondsPerSecond);
  civil.microsecond = static_cast<int>(within_day_us % kMicrosecondsPerSecond);
  // 1970-01-01 was a Thursday (4); the floor keeps days before the epoch in range.
  civil.weekday =
      static_cast<int>(days_since_epoch + 4 - floor_divide(days_since_epoch + 4, 7) * 7);
  return civil;
}

std::optional<TimeUs> from_civil(int year, int month, int day, int hour, int minute, int second,
                                 int microsecond) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || microsecond < 0 || microsecond > 999999) {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * kMicrosecondsPerDay + hours(hour) + minutes(minute) +
         seconds(second) + microsecond;
}

std::optional<TimeUs> parse_rfc3339(std::string_view text, std::string* error) {
  Cursor cursor(text);
  DateTimeFields fields;
  DurationUs offset_us = 0;
  std::string problem = read_date(cursor, fields);
  if (problem.empty() && !cursor.take('T') && !cursor.take('t')) {
    problem = "expected 'T' between the date and the time";
  }
  if (problem.empty()) problem = read_time(cursor, fields);
  if (problem.empty()) problem = read_offset(cursor, offset_us);
  if (problem.empty() && !cursor.at_end()) problem = "unexpected text after the UTC offset";
  if (!problem.empty()) {
    set_error(error, "invalid RFC 3339 timestamp " + quoted(text) + ": " + problem);
    return std::nullopt;
  }
  const auto local = from_civil(fields.year, fields.month, fields.day, fields.hour, fields.minute,
                                fields.second, fields.microsecond);
  if (!local) {
    set_error(error,
              "invalid RFC 3339 timestamp " + quoted(text) + ": " + describe_field_error(fields));
    return std::nullopt;
  }
  return *local - offset_us;
}

namespace {

// Writes `value` (0 <= value < 10^width) as exactly `width` digits; returns the end.
char* put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DDTHH:MM:SS" for a four-digit year, the trace's every line starts with one: the
// digits are put by hand, as snprintf's format parsing would cost more than the rest of the
// line. Other years go through snprintf, whose %04d they need.
int format_date_time(const CivilTime& civil, char* buffer, std::size_t size) {
  if (civil.year < 0 || civil.year > 9999) {
    return std::snprintf(buffer, size, "%04d-%02d-%02dT%02d:%02d:%02d", civil.year, civil.month,
                         civil.day, civil.hour, civil.minute, civil.second);
  }
  char* out = put_digits(buffer, civil.year, 4);
  *out++ = '-';
  out = put_digits(out, civil.month, 2);
  *out++ = '-';
  out = put_digits(out, civil.day, 2);
  *out++ = 'T';
  out = put_digits(out, civil.hour, 2);
  *out++ = ':';
  out = put_digits(out, civil.minute, 2);
  *out++ = ':';
  out = put_digits(out, civil.second, 2);
  return static_cast<int>(out - buffer);
}

// Appends "YYYY-MM-DDTHH:MM:SS", then the fraction the caller chose, then "Z".
void append_with_fraction(std::string& out, const CivilTime& civil, bool microseconds) {
  char buffer[48];
  int length = format_date_time(civil, buffer, sizeof buffer);
  if (civil.microsecond != 0) {
    char* fraction = buffer + length;
    *fraction++ = '.';
    fraction = microseconds ? put_digits(fraction, civil.microsecond, 6)
                            : put_digits(fraction, civil.microsecond / 1000, 3);
    length = static_cast<int>(fraction - buffer);
  }
  buffer[length++] = 'Z';
  out.append(buffer, static_cast<std::size_t>(length));
}

}  // namespace

std::string format_rfc3339(TimeUs t) {
  std::string text;
  append_with_fraction(text, to_civil(t), false);
  return text;
}

std::string format_rfc3339_exact(TimeUs t) {
  std::string text;
  append_rfc3339_exact(text, t);
  return text;
}

void append_rfc3339_exact(std::string& out, TimeUs t) {
  const CivilTime civil = to_civil(t);
  append_with_fraction(out, civil, civil.microsecond % 1000 != 0);
}

namespace {

// One "<number><designator>" component of an ISO-8601 duration.
struct DurationComponent {
  std::string_view whole;     // integer digits
  std::string_view fraction;  // digits after '.' or ',' (may be empty)
  char designator = '\0';
  bool in_time_part = false;
};

DurationUs designator_unit_us(char designator, bool in_time_part) {
  if (in_time_part) {
    switch (designator) {
      case 'H': return kMicrosecondsPerHour;
      case 'M': return kMicrosecondsPerMinute;
      case 'S': return kMicrosecondsPerSecond;
      default: return 0;
    }
  }
  switch (designator) {
    case 'W': return 7 * kMicrosecondsPerDay;
    case 'D': return kMicrosecondsPerDay;
    default: return 0;
  }
}

// Position of a designator in the order ISO-8601 requires; components must strictly increase.
int designator_rank(char designator, bool in_time_part) {
  if (in_time_part) {
    return designator == 'H' ? 10 : designator == 'M' ? 11 : 12;
  }
  return designator == 'W' ? 1 : 2;
}

// Exact floor(unit * 0.fraction): digits are folded in from the last one, and
// floor((a + x) / 10) == floor((a + floor(x)) / 10) keeps every step an integer.
DurationUs fraction_of_unit(std::string_view fraction, DurationUs unit_us) {
  DurationUs accumulated = 0;
  for (std::size_t i = fraction.size(); i > 0; --i) {
    accumulated = ((fraction[i - 1] - '0') * unit_us + accumulated) / 10;
  }
  return accumulated;
}

std::optional<DurationUs> component_value(const DurationComponent& component, DurationUs unit_us) {
  DurationUs whole = 0;
  for (char digit : component.whole) {
    if (whole > (std::numeric_limits<DurationUs>::max() - 9) / 10) return std::nullopt;
    whole = whole * 10 + (digit - '0');
  }
  if (whole > std::numeric_limits<DurationUs>::max() / unit_us) return std::nullopt;
  return checked_add(whole * unit_us, fraction_of_unit(component.fraction, unit_us));
}

// Reads one component; returns an empty string on success, otherwise what was wrong.
std::string read_component(Cursor& cursor, bool in_time_part, DurationComponent& component) {
  component.whole = cursor.digit_run();
  if (component.whole.empty())
    return "expected a number at position " + std::to_string(cursor.position());
  component.fraction = {};
  if (cursor.take('.') || cursor.take(',')) {
    component.fraction = cursor.digit_run();
    if (component.fraction.empty()) return "expected digits after the decimal point";
  }
  component.designator = cursor.peek();
  component.in_time_part = in_time_part;
  if (!in_time_part && (component.designator == 'Y' || component.designator == 'M')) {
    return "years and months have no fixed length; use weeks (W), days (D) or a time part";
  }
  if (designator_unit_us(component.designator, in_time_part) == 0) {
    return in_time_part ? "expected 'H', 'M' or 'S' after the number"
                        : "expected 'W' or 'D' after the number (or 'T' before a time part)";
  }
  cursor.skip();
  return "";
}

// Reads the components after "P"; returns an empty string on success.
std::string read_duration_body(Cursor& cursor, DurationUs& total_us) {
  bool in_time_part = false;
  bool time_part_has_component = false;
  int last_rank = 0;
  bool last_had_fraction = false;
  std::size_t components = 0;
  while (!cursor.at_end()) {
    if (!in_time_part && cursor.take('T')) {
      in_time_part = true;
      continue;
    }
    if (last_had_fraction) return "only the last component may have a fraction";
    DurationComponent component;
    std::string problem = read_component(cursor, in_time_part, component);
    if (!problem.empty()) return problem;
    const int rank = designator_rank(component.designator, in_time_part);
    if (rank <= last_rank) return "components must appear once each, in the order W, D, H, M, S";
    last_rank = rank;
    last_had_fraction = !component.fraction.empty();
    const auto value =
        component_value(component, designator_unit_us(component.designator, in_time_part));
    const auto sum = value ? checked_add(total_us, *value) : std::nullopt;
    if (!sum) return "the duration is too long";
    total_us = *sum;
    time_part_has_component = time_part_has_component || in_time_part;
    ++components;
  }
  if (components == 0) return "a duration needs at least one component, e.g. 'PT0S'";
  if (in_time_part && !time_part_has_component) return "'T' must be followed by H, M or S";
  return "";
}

// Appends "<value><designator>" where value is a whole count.
void append_component(std::string& out, std::int64_t value, char designator) {
  out += std::to_string(value);
  out += designator;
}

}  // namespace

std::optional<DurationUs> parse_iso8601_duration(std::string_view text, std::string* error) {
  Cursor cursor(text);
  std::string problem;
  DurationUs total_us = 0;
  if (cursor.peek() == '-') {
    problem = "negative durations are not allowed";
  } else if (!cursor.take('P')) {
    problem = "a duration must start with 'P'";
  } else {
    problem = read_duration_body(cursor, total_us);
  }
  if (!problem.empty()) {
    set_error(error, "invalid ISO-8601 duration " + quoted(text) + ": " + problem);
    return std::nullopt;
  }
  return total_us;
}

std::string format_iso8601_duration(DurationUs d) {
  std::string out;
  // Negative spans cannot be parsed back, but printing them with a sign keeps logs honest.
  std::uint64_t remaining =
      d < 0 ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
  if (d < 0) out += '-';
  out += 'P';
  if (remaining == 0) return out + "T0S";
  const std::uint64_t week_us = 7 * kMicrosecondsPerDay;
  if (remaining % week_us == 0) {
    append_component(out, static_cast<std::int64_t>(remaining / week_us), 'W');
    return out;
  }
  const std::uint64_t whole_days = remaining / kMicrosecondsPerDay;
  remaining %= kMicrosecondsPerDay;
  if (whole_days != 0) append_component(out, static_cast<std::int64_t>(whole_days), 'D');
  if (remaining == 0) return out;
  out += 'T';
  const std::uint64_t whole_hours = remaining / kMicrosecondsPerHour;
  remaining %= kMicrosecondsPerHour;
  const std::uint64_t whole_minutes = remaining / kMicrosecondsPerMinute;
  remaining %= kMicrosecondsPerMinute;
  if (whole_hours != 0) append_component(out, static_cast<std::int64_t>(whole_hours), 'H');
  if (whole_minutes != 0) append_component(out, static_cast<std::int64_t>(whole_minutes), 'M');
  if (remaining == 0) return out;
  out += std::to_string(remaining / kMicrosecondsPerSecond);
  std::uint64_t fraction_us = remaining % kMicrosecondsPerSecond;
  if (fraction_us != 0) {
    std::string digits = std::to_string(fraction_us + kMicrosecondsPerSecond).substr(1);
    while (digits.back() == '0') digits.pop_back();
    out += '.' + digits;
  }
  return out + 'S';
}

double to_epoch_seconds(TimeUs t) {
  // One IEEE division is correctly rounded, so the result is the same on every platform.
  return static_cast<double>(t) / static_cast<double>(kMicrosecondsPerSecond);
}

}  // namespace wfsim::sim
