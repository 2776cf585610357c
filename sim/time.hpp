// Virtual time: integer microseconds since the Unix epoch, and the text forms that name it
// (RFC 3339 timestamps, ISO-8601 durations). Nothing here reads a wall clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wfsim::sim {

using TimeUs = std::int64_t;      // instant, microseconds since 1970-01-01T00:00:00Z
using DurationUs = std::int64_t;  // span, microseconds

constexpr DurationUs kMicrosecondsPerSecond = 1'000'000;
constexpr DurationUs kMicrosecondsPerMinute = 60 * kMicrosecondsPerSecond;
constexpr DurationUs kMicrosecondsPerHour = 60 * kMicrosecondsPerMinute;
constexpr DurationUs kMicrosecondsPerDay = 24 * kMicrosecondsPerHour;

// 9999-12-31T23:59:59.999999Z: the last instant an RFC 3339 timestamp can write, and so
// the latest a world's clock goes (World::advance).
constexpr TimeUs kLastInstantUs = 253'402'300'799'999'999;

constexpr DurationUs seconds(std::int64_t n) { return n * kMicrosecondsPerSecond; }
constexpr DurationUs minutes(std::int64_t n) { return n * kMicrosecondsPerMinute; }
constexpr DurationUs hours(std::int64_t n) { return n * kMicrosecondsPerHour; }
constexpr DurationUs days(std::int64_t n) { return n * kMicrosecondsPerDay; }

// Calendar fields of an instant in UTC.
struct CivilTime {
  int year = 1970;
  int month = 1;        // 1..12
  int day = 1;          // 1..31
  int hour = 0;         // 0..23
  int minute = 0;       // 0..59
  int second = 0;       // 0..59
  int microsecond = 0;  // 0..999999
  int weekday = 4;      // 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday)
};

CivilTime to_civil(TimeUs t);
// Fields out of range are an error (nullopt), never normalised silently.
std::optional<TimeUs> from_civil(int year, int month, int day, int hour = 0, int minute = 0,
                                 int second = 0, int microsecond = 0);
int days_in_month(int year, int month);

// Parses "2026-01-01T00:00:00Z", "2026-01-01t00:00:00.5+02:00" and the like (RFC 3339,
// fraction of any length truncated to microseconds). On failure returns nullopt and, when
// `error` is given, says what was wrong.
std::optional<TimeUs> parse_rfc3339(std::string_view text, std::string* error = nullptr);

// "2026-01-01T00:00:00Z"; a non-zero sub-second part is printed as ".mmm" (milliseconds,
// truncated), which every AWS SDK parses.
std::string format_rfc3339(TimeUs t);
// The same, but exact: ".mmm" when the sub-second part is whole milliseconds, ".uuuuuu"
// otherwise (used by the trace, where two instants a microsecond apart must differ).
std::string format_rfc3339_exact(TimeUs t);
// format_rfc3339_exact(t) appended to `out`, for writers that build a line in one buffer.
void append_rfc3339_exact(std::string& out, TimeUs t);

// Parses ISO-8601 durations: "PT10M", "P1DT2H", "P2W", "PT0.5S", "-PT1S" is rejected.
// Years and months have no fixed length and are rejected with a message that says so.
std::optional<DurationUs> parse_iso8601_duration(std::string_view text,
                                                 std::string* error = nullptr);

// Shortest ISO-8601 form: "PT0S", "PT1H30M", "P1DT0.25S".
std::string format_iso8601_duration(DurationUs d);

// Whole seconds as a decimal: 1.5 s -> 1.5 (used for epoch-seconds timestamps on the wire).
double to_epoch_seconds(TimeUs t);

}  // namespace wfsim::sim
