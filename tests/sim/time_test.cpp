#include "sim/time.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace {

using namespace wfsim::sim;

constexpr TimeUs kYearOneUs = -62135596800000000;      // 0001-01-01T00:00:00Z
constexpr TimeUs kLastInstantUs = 253402300799999999;  // 9999-12-31T23:59:59.999999Z

TEST(CivilTime, EpochIsAThursday) {
  const CivilTime civil = to_civil(0);
  EXPECT_EQ(civil.year, 1970);
  EXPECT_EQ(civil.month, 1);
  EXPECT_EQ(civil.day, 1);
  EXPECT_EQ(civil.hour, 0);
  EXPECT_EQ(civil.weekday, 4);
}

TEST(CivilTime, KnownInstantsMatchTheCalendar) {
  EXPECT_EQ(from_civil(2026, 1, 1), 1767225600000000);
  EXPECT_EQ(from_civil(1, 1, 1), kYearOneUs);
  EXPECT_EQ(from_civil(9999, 12, 31, 23, 59, 59, 999999), kLastInstantUs);
  EXPECT_EQ(from_civil(2000, 2, 29, 12, 34, 56), 951827696000000);
  EXPECT_EQ(from_civil(1600, 3, 1), -11670912000000000);
  EXPECT_EQ(to_civil(kYearOneUs).weekday, 1);      // 0001-01-01 was a Monday
  EXPECT_EQ(to_civil(kLastInstantUs).weekday, 5);  // 9999-12-31 is a Friday
}

TEST(CivilTime, NegativeInstantsFloorIntoThePreviousDay) {
  const CivilTime civil = to_civil(-1);
  EXPECT_EQ(civil.year, 1969);
  EXPECT_EQ(civil.month, 12);
  EXPECT_EQ(civil.day, 31);
  EXPECT_EQ(civil.hour, 23);
  EXPECT_EQ(civil.minute, 59);
  EXPECT_EQ(civil.second, 59);
  EXPECT_EQ(civil.microsecond, 999999);
  EXPECT_EQ(civil.weekday, 3);
}

TEST(CivilTime, LeapYearRules) {
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
  EXPECT_EQ(days_in_month(2026, 4), 30);
  EXPECT_EQ(days_in_month(2026, 13), 0);
}

TEST(CivilTime, FromCivilRejectsOutOfRangeFields) {
  EXPECT_FALSE(from_civil(0, 1, 1));
  EXPECT_FALSE(from_civil(10000, 1, 1));
  EXPECT_FALSE(from_civil(2026, 0, 1));
  EXPECT_FALSE(from_civil(2026, 13, 1));
  EXPECT_FALSE(from_civil(2023, 2, 29));
  EXPECT_FALSE(from_civil(2026, 4, 31));
  EXPECT_FALSE(from_civil(2026, 1, 0));
  EXPECT_FALSE(from_civil(2026, 1, 1, 24));
  EXPECT_FALSE(from_civil(2026, 1, 1, 0, 60));
  EXPECT_FALSE(from_civil(2026, 1, 1, 0, 0, 60));
  EXPECT_FALSE(from_civil(2026, 1, 1, 0, 0, 0, 1000000));
  EXPECT_FALSE(from_civil(2026, 1, 1, -1));
}

// Walks every day of four centuries around the 1600/2000 leap-year exceptions and checks
// that each day follows the previous one on the calendar and in the week.
TEST(CivilTime, ConsecutiveDaysFollowTheCalendar) {
  CivilTime previous = to_civil(*from_civil(1599, 12, 31));
  for (TimeUs t = *from_civil(1600, 1, 1); t <= *from_civil(2401, 1, 1); t += days(1)) {
    const CivilTime civil = to_civil(t);
    const bool same_month = civil.year == previous.year && civil.month == previous.month &&
                            civil.day == previous.day + 1;
    const bool next_month =
        civil.day == 1 && previous.day == days_in_month(previous.year, previous.month) &&
        ((civil.year == previous.year && civil.month == previous.month + 1) ||
         (civil.year == previous.year + 1 && civil.month == 1 && previous.month == 12));
    ASSERT_TRUE(same_month || next_month) << format_rfc3339(t);
    ASSERT_EQ(civil.weekday, (previous.weekday + 1) % 7) << format_rfc3339(t);
    previous = civil;
  }
}

RC_GTEST_PROP(CivilTime, ToCivilAndBackIsTheIdentity, ()) {
  const TimeUs t = *rc::gen::inRange<TimeUs>(kYearOneUs, kLastInstantUs + 1);
  const CivilTime c = to_civil(t);
  RC_ASSERT(from_civil(c.year, c.month, c.day, c.hour, c.minute, c.second, c.microsecond) ==
            std::optional<TimeUs>(t));
}

TEST(Rfc3339, ParsesUtcAndOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-01-01T00:00:00Z"), 1767225600000000);
  EXPECT_EQ(parse_rfc3339("2026-01-01t00:00:00z"), 1767225600000000);
  // 00:00:00.5 at +02:00 is 22:00:00.5 the previous day in UTC.
  EXPECT_EQ(parse_rfc3339("2026-01-01t00:00:00.5+02:00"), 1767225600000000 - hours(2) + 500000);
  EXPECT_EQ(parse_rfc3339("2025-12-31T19:30:00-04:30"), 1767225600000000);
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00Z"), kYearOneUs);
}

TEST(Rfc3339, FractionsAreTruncatedToMicroseconds) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.1234569Z"), 123456);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.000000999999999Z"), 0);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:01.000001Z"), 1000001);
}

TEST(Rfc3339, RejectsInvalidTimestampsWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"2026-02-30T00:00:00Z", "day 30 does not exist"},
      {"2026-01-01T24:00:00Z", "hour"},
      {"2026-01-01T00:60:00Z", "minute"},
      {"2026-01-01T00:00:60Z", "leap seconds"},
      {"2026-13-01T00:00:00Z", "month"},
      {"0000-01-01T00:00:00Z", "year"},
      {"2026-01-01T00:00:00+24:00", "offset is out of range"},
      {"2026-01-01T00:00:00+02:60", "offset is out of range"},
      {"2026-01-01T00:00:00+0200", "+HH:MM"},
      {"2026-01-01T00:00:00", "offset"},
      {"2026-01-01 00:00:00Z", "'T'"},
      {"2026-01-01T00:00:00Zjunk", "unexpected text"},
      {"2026-1-01T00:00:00Z", "month"},
      {"2026-01-01T00:00:00.Z", "digits after the decimal point"},
      {"", "year"},
  };
  for (const auto& [text, reason] : cases) {
    std::string error;
    EXPECT_FALSE(parse_rfc3339(text, &error)) << text;
    EXPECT_NE(error.find(reason), std::string::npos) << text << " -> " << error;
    EXPECT_NE(error.find(std::string("'") + text + "'"), std::string::npos) << error;
  }
}

TEST(Rfc3339, FormatsMillisecondsOnlyWhenThereIsASubSecondPart) {
  EXPECT_EQ(format_rfc3339(1767225600000000), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1767225600000000 + 1500), "2026-01-01T00:00:00.001Z");
  EXPECT_EQ(format_rfc3339(1767225600000000 + 999999), "2026-01-01T00:00:00.999Z");
  // A sub-millisecond part still shows that the instant is not a whole second.
  EXPECT_EQ(format_rfc3339(500), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(kYearOneUs), "0001-01-01T00:00:00Z");
}

TEST(Rfc3339, ExactFormatKeepsMicroseconds) {
  EXPECT_EQ(format_rfc3339_exact(1767225600000000), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_exact(1767225600000000 + 1'500'000), "2026-01-01T00:00:01.500Z");
  EXPECT_EQ(format_rfc3339_exact(1767225600000000 + 1'500'001), "2026-01-01T00:00:01.500001Z");
  EXPECT_EQ(format_rfc3339_exact(-1), "1969-12-31T23:59:59.999999Z");
}

RC_GTEST_PROP(Rfc3339, ExactFormatThenParseRoundTrips, ()) {
  const TimeUs t = *rc::gen::inRange<TimeUs>(kYearOneUs, kLastInstantUs + 1);
  RC_ASSERT(parse_rfc3339(format_rfc3339_exact(t)) == std::optional<TimeUs>(t));
}

RC_GTEST_PROP(Rfc3339, FormatThenParseRoundTripsWholeMilliseconds, ()) {
  const TimeUs t = *rc::gen::inRange<TimeUs>(kYearOneUs / 1000, kLastInstantUs / 1000) * 1000;
  RC_ASSERT(parse_rfc3339(format_rfc3339(t)) == std::optional<TimeUs>(t));
}

RC_GTEST_PROP(Rfc3339, AnOffsetShiftsTheInstant, ()) {
  const TimeUs t = *rc::gen::inRange<TimeUs>(0, 4102444800) * kMicrosecondsPerSecond;
  const int offset_hours = *rc::gen::inRange(0, 24);
  const int offset_minutes = *rc::gen::inRange(0, 60);
  const bool negative = *rc::gen::arbitrary<bool>();
  std::string text = format_rfc3339(t);
  text.pop_back();  // drop 'Z'
  char offset[8];
  std::snprintf(offset, sizeof offset, "%c%02d:%02d", negative ? '-' : '+', offset_hours,
                offset_minutes);
  const DurationUs shift_us = hours(offset_hours) + minutes(offset_minutes);
  RC_ASSERT(parse_rfc3339(text + offset) ==
            std::optional<TimeUs>(negative ? t + shift_us : t - shift_us));
}

TEST(Iso8601Duration, ParsesTheUsualForms) {
  EXPECT_EQ(parse_iso8601_duration("PT10M"), minutes(10));
  EXPECT_EQ(parse_iso8601_duration("P1DT2H"), days(1) + hours(2));
  EXPECT_EQ(parse_iso8601_duration("P2W"), days(14));
  EXPECT_EQ(parse_iso8601_duration("PT0.5S"), 500000);
  EXPECT_EQ(parse_iso8601_duration("PT0,25S"), 250000);
  EXPECT_EQ(parse_iso8601_duration("PT0S"), 0);
  EXPECT_EQ(parse_iso8601_duration("PT1H30M"), minutes(90));
  EXPECT_EQ(parse_iso8601_duration("P1W2D"), days(9));
  EXPECT_EQ(parse_iso8601_duration("P1DT1H1M1.000001S"),
            days(1) + hours(1) + minutes(1) + seconds(1) + 1);
}

TEST(Iso8601Duration, AFractionOnTheLastComponentIsExactAndTruncated) {
  EXPECT_EQ(parse_iso8601_duration("PT1.5M"), seconds(90));
  EXPECT_EQ(parse_iso8601_duration("PT0.5H"), minutes(30));
  EXPECT_EQ(parse_iso8601_duration("P0.5D"), hours(12));
  EXPECT_EQ(parse_iso8601_duration("PT0.0000019S"), 1);
  // One third of an hour written with many digits stays just under 20 minutes.
  EXPECT_EQ(parse_iso8601_duration("PT0.33333333333333333333H"), minutes(20) - 1);
  EXPECT_EQ(parse_iso8601_duration("PT0.33333333333333333334H"), minutes(20));
}

TEST(Iso8601Duration, RejectsWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"-PT1S", "negative"},
      {"P1Y", "years and months have no fixed length"},
      {"P1M", "years and months have no fixed length"},
      {"P", "at least one component"},
      {"PT", "at least one component"},
      {"P1DT", "'T' must be followed"},
      {"1D", "must start with 'P'"},
      {"", "must start with 'P'"},
      {"PT1S2M", "order"},
      {"PT1H1H", "order"},
      {"P1D1W", "order"},
      {"PT1.5M2S", "only the last component"},
      {"PT1.S", "digits after the decimal point"},
      {"PTS", "expected a number"},
      {"pt1s", "must start with 'P'"},
      {"PT1X", "expected 'H', 'M' or 'S'"},
      {"P1H", "expected 'W' or 'D'"},
      {"P99999999999999999999D", "too long"},
      {"P9999999999999W", "too long"},
  };
  for (const auto& [text, reason] : cases) {
    std::string error;
    EXPECT_FALSE(parse_iso8601_duration(text, &error)) << text;
    EXPECT_NE(error.find(reason), std::string::npos) << text << " -> " << error;
  }
}

TEST(Iso8601Duration, FormatsTheShortestForm) {
  EXPECT_EQ(format_iso8601_duration(0), "PT0S");
  EXPECT_EQ(format_iso8601_duration(minutes(90)), "PT1H30M");
  EXPECT_EQ(format_iso8601_duration(days(1) + 250000), "P1DT0.25S");
  EXPECT_EQ(format_iso8601_duration(days(14)), "P2W");
  EXPECT_EQ(format_iso8601_duration(days(8)), "P8D");
  EXPECT_EQ(format_iso8601_duration(1), "PT0.000001S");
  EXPECT_EQ(format_iso8601_duration(hours(1) + seconds(5)), "PT1H5S");
  EXPECT_EQ(format_iso8601_duration(-seconds(1)), "-PT1S");
}

RC_GTEST_PROP(Iso8601Duration, FormatThenParseRoundTrips, ()) {
  const DurationUs d = *rc::gen::oneOf(rc::gen::inRange<DurationUs>(0, days(400)),
                                       rc::gen::inRange<DurationUs>(0, INT64_MAX));
  RC_ASSERT(parse_iso8601_duration(format_iso8601_duration(d)) == std::optional<DurationUs>(d));
}

TEST(EpochSeconds, KeepsTheSubSecondPart) {
  EXPECT_EQ(to_epoch_seconds(1'500'000), 1.5);
  EXPECT_EQ(to_epoch_seconds(1767225600000000), 1767225600.0);
  EXPECT_EQ(to_epoch_seconds(-250'000), -0.25);
}

}  // namespace
