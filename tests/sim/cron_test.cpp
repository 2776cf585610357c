// Schedule expressions: golden next-fire times for AWS cron/rate and Airflow cron, every parse
// error class, and properties that compare next_after with an independent brute-force model.
#include "sim/cron.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace wfsim::sim {
namespace {

TimeUs at(const std::string& text) {
  const std::optional<TimeUs> parsed = parse_rfc3339(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(0);
}

std::string show(const std::optional<TimeUs>& t) {
  return t ? format_rfc3339(*t) : std::string("never");
}

std::string next_aws(const std::string& expression, const std::string& after) {
  std::string error;
  const std::optional<Schedule> schedule = Schedule::parse_aws(expression, &error);
  if (!schedule) return "parse error: " + error;
  return show(schedule->next_after(at(after)));
}

std::string next_airflow(const std::string& expression, const std::string& after) {
  std::string error;
  const std::optional<Schedule> schedule = Schedule::parse_airflow(expression, &error);
  if (!schedule) return "parse error: " + error;
  return show(schedule->next_after(at(after)));
}

std::string aws_error(const std::string& expression) {
  std::string error;
  const std::optional<Schedule> schedule = Schedule::parse_aws(expression, &error);
  return schedule ? std::string("accepted") : error;
}

std::string airflow_error(const std::string& expression) {
  std::string error;
  const std::optional<Schedule> schedule = Schedule::parse_airflow(expression, &error);
  return schedule ? std::string("accepted") : error;
}

// ---- AWS cron: golden next-fire times ----

TEST(AwsCron, DailyAtNoonFiresStrictlyAfterTheGivenInstant) {
  EXPECT_EQ(next_aws("cron(0 12 * * ? *)", "2024-01-01T00:00:00Z"), "2024-01-01T12:00:00Z");
  EXPECT_EQ(next_aws("cron(0 12 * * ? *)", "2024-01-01T12:00:00Z"), "2024-01-02T12:00:00Z");
  EXPECT_EQ(next_aws("cron(0 12 * * ? *)", "2024-01-01T11:59:59.5Z"), "2024-01-01T12:00:00Z");
}

TEST(AwsCron, StepsRangesAndWeekdayNames) {
  EXPECT_EQ(next_aws("cron(0/15 * * * ? *)", "2024-01-01T00:07:30Z"), "2024-01-01T00:15:00Z");
  EXPECT_EQ(next_aws("cron(0/5 8-17 ? * MON-FRI *)", "2024-01-05T17:55:00Z"),
            "2024-01-08T08:00:00Z");
  EXPECT_EQ(next_aws("cron(5-30/10 * * * ? *)", "2024-01-01T00:26:00Z"), "2024-01-01T01:05:00Z");
  EXPECT_EQ(next_aws("cron(0 0 1/10 * ? *)", "2024-01-21T00:00:00Z"), "2024-01-31T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 1/10 * ? *)", "2024-02-21T00:00:00Z"), "2024-03-01T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 8 1 JAN,jul ? *)", "2024-01-01T08:00:00Z"), "2024-07-01T08:00:00Z");
  // AWS numbers Sunday 1 .. Saturday 7.
  EXPECT_EQ(next_aws("cron(0 0 ? * 1 *)", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 ? * 7 *)", "2024-01-01T00:00:00Z"), "2024-01-06T00:00:00Z");
}

TEST(AwsCron, MonthAndYearRollOver) {
  EXPECT_EQ(next_aws("cron(30 23 31 12 ? *)", "2024-12-31T23:30:00Z"), "2025-12-31T23:30:00Z");
  EXPECT_EQ(next_aws("cron(59 23 * * ? *)", "2024-02-29T23:59:00Z"), "2024-03-01T23:59:00Z");
  EXPECT_EQ(next_aws("cron(0 0 31 * ? *)", "2024-01-31T00:00:00Z"), "2024-03-31T00:00:00Z");
}

TEST(AwsCron, LeapDayFiresOnlyInLeapYears) {
  EXPECT_EQ(next_aws("cron(0 0 29 2 ? *)", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  // 2100 is not a leap year.
  EXPECT_EQ(next_aws("cron(0 0 29 2 ? *)", "2096-03-01T00:00:00Z"), "2104-02-29T00:00:00Z");
}

TEST(AwsCron, LastDayOfMonthAndOffsets) {
  EXPECT_EQ(next_aws("cron(0 0 L * ? *)", "2024-02-01T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 L * ? *)", "2023-02-01T00:00:00Z"), "2023-02-28T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 L * ? *)", "2024-04-30T00:00:00Z"), "2024-05-31T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 L-2 * ? *)", "2024-02-01T00:00:00Z"), "2024-02-27T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 L-30 * ? *)", "2024-02-01T00:00:00Z"), "2024-03-01T00:00:00Z");
}

TEST(AwsCron, NearestWeekdayStaysInsideTheMonth) {
  // 2024-06-01 is a Saturday: the nearest weekday in June is Monday the 3rd.
  EXPECT_EQ(next_aws("cron(0 9 1W * ? *)", "2024-05-02T00:00:00Z"), "2024-06-03T09:00:00Z");
  // 2024-06-15 is a Saturday (Friday 14th); 2024-09-15 a Sunday (Monday 16th).
  EXPECT_EQ(next_aws("cron(0 9 15W 6 ? *)", "2024-01-01T00:00:00Z"), "2024-06-14T09:00:00Z");
  EXPECT_EQ(next_aws("cron(0 9 15W 9 ? *)", "2024-01-01T00:00:00Z"), "2024-09-16T09:00:00Z");
  // 2024-03-31 is a Sunday and the month's last day: back to Friday the 29th.
  EXPECT_EQ(next_aws("cron(0 9 31W * ? *)", "2024-03-01T00:00:00Z"), "2024-03-29T09:00:00Z");
  // April has no 31st, so 31W skips it.
  EXPECT_EQ(next_aws("cron(0 9 31W * ? *)", "2024-04-01T00:00:00Z"), "2024-05-31T09:00:00Z");
  // 2024-11-30 is a Saturday and the last day: Friday the 29th.
  EXPECT_EQ(next_aws("cron(0 9 30W 11 ? *)", "2024-01-01T00:00:00Z"), "2024-11-29T09:00:00Z");
  // 2027-02-28 is a Sunday and the last day: Friday the 26th.
  EXPECT_EQ(next_aws("cron(0 9 28W 2 ? *)", "2026-12-01T00:00:00Z"), "2027-02-26T09:00:00Z");
}

TEST(AwsCron, LastWeekdayOfMonth) {
  // August 2024 ends on a Saturday, March 2024 on a Sunday, May 2024 on a Friday.
  EXPECT_EQ(next_aws("cron(0 18 LW * ? *)", "2024-08-01T00:00:00Z"), "2024-08-30T18:00:00Z");
  EXPECT_EQ(next_aws("cron(0 18 LW * ? *)", "2024-03-01T00:00:00Z"), "2024-03-29T18:00:00Z");
  EXPECT_EQ(next_aws("cron(0 18 LW * ? *)", "2024-05-01T00:00:00Z"), "2024-05-31T18:00:00Z");
}

TEST(AwsCron, NthAndLastWeekdayOfMonth) {
  EXPECT_EQ(next_aws("cron(0 10 ? * MON#2 *)", "2024-01-01T00:00:00Z"), "2024-01-08T10:00:00Z");
  // Fifth Friday: January and February 2024 have four, March has five.
  EXPECT_EQ(next_aws("cron(0 0 ? * 6#5 *)", "2024-01-01T00:00:00Z"), "2024-03-29T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 ? * 6L *)", "2024-01-01T00:00:00Z"), "2024-01-26T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 ? * FRIL *)", "2024-01-26T00:00:00Z"), "2024-02-23T00:00:00Z");
  // A lone 'L' in Day-of-week is the week's last day, Saturday.
  EXPECT_EQ(next_aws("cron(0 0 ? * L *)", "2024-01-01T00:00:00Z"), "2024-01-06T00:00:00Z");
}

TEST(AwsCron, YearFieldBoundsTheSchedule) {
  EXPECT_EQ(next_aws("cron(15 10 ? * 6L 2019-2022)", "2022-12-01T00:00:00Z"),
            "2022-12-30T10:15:00Z");
  EXPECT_EQ(next_aws("cron(15 10 ? * 6L 2019-2022)", "2022-12-30T10:15:00Z"), "never");
  EXPECT_EQ(next_aws("cron(0 0 1 1 ? 2020)", "2024-01-01T00:00:00Z"), "never");
  EXPECT_EQ(next_aws("cron(0 0 1 1 ? 2150)", "2024-01-01T00:00:00Z"), "2150-01-01T00:00:00Z");
  EXPECT_EQ(next_aws("cron(0 0 31 12 ? *)", "2199-12-31T00:00:00Z"), "never");
  // Before the epoch the first fire is the first allowed minute of 1970.
  EXPECT_EQ(next_aws("cron(0 0 1 1 ? *)", "1960-06-01T00:00:00Z"), "1970-01-01T00:00:00Z");
}

TEST(AwsCron, ImpossibleDatesNeverFire) {
  EXPECT_EQ(next_aws("cron(0 0 30 2 ? *)", "2024-01-01T00:00:00Z"), "never");
  EXPECT_EQ(next_aws("cron(0 0 31 4,6,9,11 ? *)", "2024-01-01T00:00:00Z"), "never");
}

// ---- AWS rate ----

TEST(AwsRate, FiresEveryPeriodFromTheAnchor) {
  const std::optional<Schedule> schedule = Schedule::parse_aws("rate(5 minutes)");
  ASSERT_TRUE(schedule.has_value());
  EXPECT_TRUE(schedule->is_rate());
  const TimeUs anchor_us = at("2024-01-01T00:00:10Z");
  EXPECT_EQ(show(schedule->next_after(anchor_us, anchor_us)), "2024-01-01T00:05:10Z");
  EXPECT_EQ(show(schedule->next_after(anchor_us + minutes(12), anchor_us)), "2024-01-01T00:15:10Z");
  EXPECT_EQ(show(schedule->next_after(anchor_us + minutes(10), anchor_us)), "2024-01-01T00:15:10Z");
  EXPECT_EQ(show(schedule->next_after(anchor_us - hours(1), anchor_us)), "2024-01-01T00:00:10Z");
}

TEST(AwsRate, SingularAndPluralUnits) {
  const TimeUs anchor_us = at("2024-01-01T00:00:00Z");
  EXPECT_EQ(Schedule::parse_aws("rate(1 minute)")->next_after(anchor_us, anchor_us),
            anchor_us + minutes(1));
  EXPECT_EQ(Schedule::parse_aws("rate(1 hour)")->next_after(anchor_us, anchor_us),
            anchor_us + hours(1));
  EXPECT_EQ(Schedule::parse_aws("rate(2 hours)")->next_after(anchor_us, anchor_us),
            anchor_us + hours(2));
  EXPECT_EQ(Schedule::parse_aws("rate(1 day)")->next_after(anchor_us, anchor_us),
            anchor_us + days(1));
  EXPECT_EQ(Schedule::parse_aws("rate(3 days)")->next_after(anchor_us, anchor_us),
            anchor_us + days(3));
}

TEST(AwsRate, PastTheRepresentableRangeNeverFires) {
  const std::optional<Schedule> schedule = Schedule::parse_aws("rate(1 day)");
  ASSERT_TRUE(schedule.has_value());
  const TimeUs latest_us = std::numeric_limits<TimeUs>::max();
  EXPECT_EQ(schedule->next_after(latest_us - 5, 0), std::nullopt);
  EXPECT_EQ(schedule->next_after(latest_us, std::numeric_limits<TimeUs>::min()), std::nullopt);
}

// ---- AWS parsing ----

TEST(AwsParse, KeepsTheTrimmedExpressionAndTellsCronFromRate) {
  const std::optional<Schedule> cron = Schedule::parse_aws("  cron(0 12 * * ? *)\t");
  ASSERT_TRUE(cron.has_value());
  EXPECT_EQ(cron->expression(), "cron(0 12 * * ? *)");
  EXPECT_FALSE(cron->is_rate());
  EXPECT_EQ(Schedule::parse_aws("rate(10 minutes)")->expression(), "rate(10 minutes)");
}

TEST(AwsParse, RejectsExpressionsThatAreNeitherCronNorRate) {
  for (const char* text :
       {"", "0 12 * * ? *", "cron(0 12 * * ? *", "at(2024-01-01T00:00:00)", "CRON(0 12 * * ? *)"}) {
    EXPECT_NE(aws_error(text).find("must be cron("), std::string::npos) << text;
  }
}

TEST(AwsParse, RequiresSixFieldsSeparatedBySingleSpaces) {
  EXPECT_NE(aws_error("cron(0 12 * * ?)").find("6 fields"), std::string::npos);
  EXPECT_NE(aws_error("cron(0 12 * * ? * *)").find("found 7"), std::string::npos);
  EXPECT_NE(aws_error("cron(0  12 * * ? *)").find("single spaces"), std::string::npos);
  EXPECT_NE(aws_error("cron( 0 12 * * ? *)").find("empty field"), std::string::npos);
}

TEST(AwsParse, ExactlyOneOfDayOfMonthAndDayOfWeekIsAQuestionMark) {
  const std::string both_set = aws_error("cron(0 12 1 * MON *)");
  EXPECT_NE(both_set.find("Day-of-month '1' and Day-of-week 'MON'"), std::string::npos);
  EXPECT_NE(both_set.find("must be '?'"), std::string::npos);
  EXPECT_NE(aws_error("cron(0 12 * * * *)").find("cannot both be specified"), std::string::npos);
  EXPECT_NE(aws_error("cron(0 12 ? * ? *)").find("cannot both be '?'"), std::string::npos);
  EXPECT_EQ(aws_error("cron(0 12 ? * * *)"), "accepted");
}

TEST(AwsParse, OutOfRangeValuesNameTheFieldAndValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cron(60 12 * * ? *)", "Minutes field '60': value 60 is outside 0-59"},
      {"cron(0 24 * * ? *)", "Hours field '24': value 24 is outside 0-23"},
      {"cron(0 12 32 * ? *)", "Day-of-month field '32': value 32 is outside 1-31"},
      {"cron(0 12 0 * ? *)", "Day-of-month field '0': value 0 is outside 1-31"},
      {"cron(0 12 * 13 ? *)", "Month field '13': value 13 is outside 1-12 or JAN-DEC"},
      {"cron(0 12 * FOO ? *)", "Month field 'FOO': value 'FOO' is not a number in 1-12"},
      {"cron(0 12 ? * 0 *)", "Day-of-week field '0': value 0 is outside 1-7 or SUN-SAT"},
      {"cron(0 12 ? * 8 *)", "Day-of-week field '8': value 8 is outside 1-7"},
      {"cron(0 12 * * ? 1969)", "Year field '1969': value 1969 is outside 1970-2199"},
      {"cron(0 12 * * ? 2200)", "Year field '2200': value 2200 is outside 1970-2199"},
      {"cron(99999999999 12 * * ? *)", "Minutes field '99999999999': value 99999999999 is"},
  };
  for (const auto& [expression, expected] : cases) {
    EXPECT_NE(aws_error(expression).find(expected), std::string::npos)
        << expression << " gave: " << aws_error(expression);
  }
}

TEST(AwsParse, MalformedListsRangesAndStepsNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cron(0 10-5 * * ? *)", "Hours field '10-5': range '10-5' is reversed"},
      {"cron(*/0 * * * ? *)", "Minutes field '*/0': step '0'"},
      {"cron(*/x * * * ? *)", "Minutes field '*/x': step 'x'"},
      {"cron(0 1,,2 * * ? *)", "Hours field '1,,2': a list has an empty element"},
      {"cron(? 12 * * ? *)", "Minutes field '?': '?' is allowed only in day-of-month"},
      {"cron(0 12 ? * */2 *)", "Day-of-week field '*/2': '/' (steps) is not allowed"},
      {"cron(0 12 * JAN- ? *)", "Month field 'JAN-'"},
  };
  for (const auto& [expression, expected] : cases) {
    EXPECT_NE(aws_error(expression).find(expected), std::string::npos)
        << expression << " gave: " << aws_error(expression);
  }
}

TEST(AwsParse, SpecialCharactersMustStandAloneAndInTheirField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cron(0 12 1,L * ? *)", "Day-of-month field '1,L': 'L' and 'W' stand alone"},
      {"cron(0 12 L-31 * ? *)", "Day-of-month field 'L-31': 'L-n' needs n from 1 to 30"},
      {"cron(0 12 L-0 * ? *)", "Day-of-month field 'L-0'"},
      {"cron(0 12 32W * ? *)", "Day-of-month field '32W'"},
      {"cron(0 12 1-5W * ? *)", "Day-of-month field '1-5W'"},
      {"cron(0 12 ? * MON#6 *)", "Day-of-week field 'MON#6': '#' must be followed by"},
      {"cron(0 12 ? * MON#0 *)", "Day-of-week field 'MON#0'"},
      {"cron(0 12 ? * 9#1 *)", "Day-of-week field '9#1': '#' must follow one weekday"},
      {"cron(0 12 ? * 1,6L *)", "Day-of-week field '1,6L': 'L' must stand alone"},
      {"cron(L 12 * * ? *)", "Minutes field 'L'"},
      {"cron(0 12 * 5W ? *)", "Month field '5W'"},
  };
  for (const auto& [expression, expected] : cases) {
    EXPECT_NE(aws_error(expression).find(expected), std::string::npos)
        << expression << " gave: " << aws_error(expression);
  }
}

TEST(AwsParse, RateRules) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"rate(0 minutes)", "rate value '0': must be a positive whole number"},
      {"rate(-5 minutes)", "rate value '-5'"},
      {"rate(1.5 hours)", "rate value '1.5'"},
      {"rate(1 minutes)", "a value of 1 takes the singular unit 'minute'"},
      {"rate(1 days)", "singular unit 'day'"},
      {"rate(5 minute)", "a value of 5 takes the plural unit 'minutes'"},
      {"rate(2 hour)", "plural unit 'hours'"},
      {"rate(5 weeks)", "rate unit 'weeks': must be minute(s), hour(s) or day(s)"},
      {"rate(5 Minutes)", "rate unit 'Minutes'"},
      {"rate(5minutes)", "must be 'rate(value unit)'"},
      {"rate(5  minutes)", "must be 'rate(value unit)'"},
      {"rate()", "must be 'rate(value unit)'"},
      {"rate(99999999999 days)", "rate value '99999999999': is too large"},
  };
  for (const auto& [expression, expected] : cases) {
    EXPECT_NE(aws_error(expression).find(expected), std::string::npos)
        << expression << " gave: " << aws_error(expression);
  }
}

// ---- Airflow cron: golden next-fire times (cross-checked against croniter) ----

TEST(AirflowCron, MinuteStepsAndRanges) {
  EXPECT_EQ(next_airflow("*/15 * * * *", "2024-01-01T00:07:30Z"), "2024-01-01T00:15:00Z");
  EXPECT_EQ(next_airflow("10/15 * * * *", "2024-01-01T00:00:00Z"), "2024-01-01T00:10:00Z");
  EXPECT_EQ(next_airflow("10/15 * * * *", "2024-01-01T00:55:00Z"), "2024-01-01T01:10:00Z");
  EXPECT_EQ(next_airflow("5-30/5 * * * *", "2024-01-01T00:30:00Z"), "2024-01-01T01:05:00Z");
  EXPECT_EQ(next_airflow("0,30 9-17 * * *", "2024-01-01T17:30:00Z"), "2024-01-02T09:00:00Z");
}

TEST(AirflowCron, WeekdaysAndNames) {
  EXPECT_EQ(next_airflow("40 2 * * 1-5", "2024-01-05T02:40:00Z"), "2024-01-08T02:40:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 0", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 7", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * SAT-SUN", "2024-01-01T00:00:00Z"), "2024-01-06T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 6-0", "2024-01-06T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 5-7", "2024-01-01T00:00:00Z"), "2024-01-05T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * mon-fri/2", "2024-01-01T00:00:00Z"), "2024-01-03T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * JAN-MAR/2 *", "2024-01-31T00:00:00Z"), "2024-03-01T00:00:00Z");
  EXPECT_EQ(next_airflow("0 12 ? * MON", "2024-01-01T12:00:00Z"), "2024-01-08T12:00:00Z");
}

TEST(AirflowCron, DayOfMonthOrDayOfWeekWhenBothAreRestricted) {
  // The 13th or any Friday: Friday the 5th comes first.
  EXPECT_EQ(next_airflow("0 0 13 * 5", "2024-01-01T00:00:00Z"), "2024-01-05T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 13 * 5", "2024-01-12T00:00:00Z"), "2024-01-13T00:00:00Z");
  // A step in day-of-month still restricts it: odd days or Mondays.
  EXPECT_EQ(next_airflow("0 0 */2 * 1", "2024-01-01T00:00:00Z"), "2024-01-03T00:00:00Z");
  // '*' (and a range covering every day) leaves only the day-of-week.
  EXPECT_EQ(next_airflow("0 0 * * 5", "2024-01-01T00:00:00Z"), "2024-01-05T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1-31 * 1", "2024-01-02T00:00:00Z"), "2024-01-08T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1-30,L * 1", "2024-01-02T00:00:00Z"), "2024-01-08T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1-29,L * 1", "2024-01-02T00:00:00Z"), "2024-01-03T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 13 * *", "2024-01-01T00:00:00Z"), "2024-01-13T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 13 * 0-7", "2024-01-01T00:00:00Z"), "2024-01-13T00:00:00Z");
  // The first of the month or its second Monday.
  EXPECT_EQ(next_airflow("0 0 1 * 1#2", "2024-01-02T00:00:00Z"), "2024-01-08T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1 * 1#2", "2024-01-08T00:00:00Z"), "2024-02-01T00:00:00Z");
}

TEST(AirflowCron, LastDayNthAndLastWeekday) {
  EXPECT_EQ(next_airflow("0 0 L * *", "2024-02-01T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 L 2 *", "2023-03-01T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1,L * *", "2024-01-02T00:00:00Z"), "2024-01-31T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 1,L * *", "2024-01-31T00:00:00Z"), "2024-02-01T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 5L", "2024-01-01T00:00:00Z"), "2024-01-26T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * L5", "2024-01-26T00:00:00Z"), "2024-02-23T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 1#2", "2024-01-01T00:00:00Z"), "2024-01-08T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * mon#5", "2024-01-01T00:00:00Z"), "2024-01-29T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 * * 1#5", "2024-01-29T00:00:00Z"), "2024-04-29T00:00:00Z");
}

TEST(AirflowCron, RolloversLeapDaysAndNeverFiring) {
  EXPECT_EQ(next_airflow("59 23 31 12 *", "2024-12-31T23:59:00Z"), "2025-12-31T23:59:00Z");
  EXPECT_EQ(next_airflow("0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 31 * *", "2024-01-31T00:00:00Z"), "2024-03-31T00:00:00Z");
  EXPECT_EQ(next_airflow("0 0 30 2 *", "2024-01-01T00:00:00Z"), "never");
  // Before the epoch too: Airflow cron has no year limit.
  EXPECT_EQ(next_airflow("0 0 1 1 *", "1960-06-01T00:00:00Z"), "1961-01-01T00:00:00Z");
  // Past year 9999 nothing fires.
  EXPECT_EQ(next_airflow("0 0 1 1 *", "9999-06-01T00:00:00Z"), "never");
}

TEST(AirflowCron, Presets) {
  const std::string after = "2024-01-01T00:30:00Z";
  EXPECT_EQ(next_airflow("@hourly", after), "2024-01-01T01:00:00Z");
  EXPECT_EQ(next_airflow("@daily", after), "2024-01-02T00:00:00Z");
  EXPECT_EQ(next_airflow("@midnight", after), "2024-01-02T00:00:00Z");
  EXPECT_EQ(next_airflow("@weekly", after), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next_airflow("@monthly", after), "2024-02-01T00:00:00Z");
  EXPECT_EQ(next_airflow("@yearly", after), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next_airflow("@annually", after), "2025-01-01T00:00:00Z");
  EXPECT_EQ(Schedule::parse_airflow(" @daily ")->expression(), "@daily");
}

// ---- Airflow parsing ----

TEST(AirflowParse, RejectsRebootUnknownPresetsAndWrongFieldCounts) {
  EXPECT_NE(airflow_error("@reboot").find("'@reboot' is not supported"), std::string::npos);
  EXPECT_NE(airflow_error("@often").find("preset '@often' is unknown"), std::string::npos);
  EXPECT_NE(airflow_error("@DAILY").find("is unknown"), std::string::npos);
  EXPECT_NE(airflow_error("0 0 * * * *").find("must have 5 fields"), std::string::npos);
  EXPECT_NE(airflow_error("0 0 * * * *").find("found 6"), std::string::npos);
  EXPECT_NE(airflow_error("0 0 * *").find("found 4"), std::string::npos);
  EXPECT_NE(airflow_error("").find("found 0"), std::string::npos);
  EXPECT_NE(airflow_error("cron(0 12 * * ? *)").find("found 6"), std::string::npos);
  EXPECT_EQ(airflow_error("  0\t0  * * *  "), "accepted");
}

TEST(AirflowParse, FieldErrorsNameTheFieldRuleAndValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"60 * * * *", "minute field '60': value 60 is outside 0-59"},
      {"* 24 * * *", "hour field '24': value 24 is outside 0-23"},
      {"* * 0 * *", "day-of-month field '0': value 0 is outside 1-31"},
      {"* * 32 * *", "day-of-month field '32'"},
      {"* * * 13 *", "month field '13': value 13 is outside 1-12 or JAN-DEC"},
      {"* * * * 8", "day-of-week field '8': value 8 is outside 0-7 or SUN-SAT"},
      {"* * * * FOO", "day-of-week field 'FOO': value 'FOO' is not a number"},
      {"* * 5-2 * *", "day-of-month field '5-2': range '5-2' is reversed"},
      {"* 20-4 * * *", "hour field '20-4': range '20-4' is reversed"},
      {"* * * * 5-1", "day-of-week field '5-1': range '5-1' is reversed"},
      {"*/0 * * * *", "minute field '*/0': step '0'"},
      {"? * * * *", "minute field '?': '?' is allowed only in day-of-month"},
      {"0 0 15W * *", "day-of-month field '15W': 'W' (nearest weekday) is not supported"},
      {"0 0 L-2 * *", "day-of-month field 'L-2'"},
      {"0 0 1,,2 * *", "day-of-month field '1,,2': a list has an empty element"},
      {"0 0 * * 1#6", "day-of-week field '1#6': '#' must be followed by an occurrence"},
      {"0 0 * * L", "day-of-week field 'L': 'L' must stand alone with one weekday"},
      {"0 0 * * 1,5L", "day-of-week field '1,5L'"},
  };
  for (const auto& [expression, expected] : cases) {
    EXPECT_NE(airflow_error(expression).find(expected), std::string::npos)
        << expression << " gave: " << airflow_error(expression);
  }
}

TEST(AirflowParse, AwsOnlySyntaxIsRejected) {
  EXPECT_NE(airflow_error("rate(5 minutes)").find("must have 5 fields"), std::string::npos);
  EXPECT_NE(airflow_error("0 0 LW * *").find("day-of-month"), std::string::npos);
}

// ---- properties: next_after against a brute-force model of the generated expression ----

// What a generated expression means, kept apart from the parser: plain value sets plus the
// special day forms, in 0 = Sunday numbering for weekdays.
struct DayOfMonthModel {
  bool any = true;  // '*' or '?'
  std::set<int> values;
  bool last = false;  // 'L' or 'L-n'
  int last_offset = 0;
  bool last_weekday = false;   // 'LW'
  int nearest_weekday_to = 0;  // 'nW'; 0 = unused
};

struct DayOfWeekModel {
  bool any = true;  // '*' or '?'
  std::set<int> values;
  int nth_weekday = -1;  // 'd#n'
  int nth = 0;
  int last_weekday = -1;  // 'dL'
};

struct CronModel {
  bool aws = true;
  std::string text;
  std::set<int> minutes, hours, months, years;  // years empty = any year
  DayOfMonthModel day_of_month;
  DayOfWeekModel day_of_week;
};

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : separator) + part;
  return joined;
}

// A list of one to three terms (value, range, */step, start/step, range/step) or '*'.
std::string generate_list(int low, int high, int star_percent, bool steps, std::set<int>& values) {
  if (*rc::gen::inRange(0, 100) < star_percent) {
    for (int value = low; value <= high; ++value) values.insert(value);
    return "*";
  }
  std::vector<std::string> terms;
  const int count = *rc::gen::inRange(1, 4);
  for (int index = 0; index < count; ++index) {
    const int first = *rc::gen::inRange(low, high + 1);
    const int last = *rc::gen::inRange(first, high + 1);
    const int step = *rc::gen::inRange(1, high - low + 2);
    const std::string a = std::to_string(first);
    const std::string b = std::to_string(last);
    const std::string s = std::to_string(step);
    switch (*rc::gen::inRange(0, steps ? 5 : 2)) {
      case 0:
        terms.push_back(a);
        values.insert(first);
        break;
      case 1:
        terms.push_back(a + "-" + b);
        for (int value = first; value <= last; ++value) values.insert(value);
        break;
      case 2:
        terms.push_back("*/" + s);
        for (int value = low; value <= high; value += step) values.insert(value);
        break;
      case 3:
        terms.push_back(a + "/" + s);
        for (int value = first; value <= high; value += step) values.insert(value);
        break;
      default:
        terms.push_back(a + "-" + b + "/" + s);
        for (int value = first; value <= last; value += step) values.insert(value);
        break;
    }
  }
  return join(terms, ",");
}

std::string generate_day_of_month(bool aws, DayOfMonthModel& model) {
  model.any = false;
  // AWS: 0 list, 1 L or L-n, 2 LW, 3-5 nW (weighted up: its month-edge rules are the subtlest).
  const int choice = *rc::gen::inRange(0, aws ? 6 : 3);
  if (choice == 0) return generate_list(1, 31, 20, true, model.values);
  if (choice == 1) {
    model.last = true;
    model.last_offset = aws ? *rc::gen::inRange(0, 4) : 0;
    return model.last_offset == 0 ? "L" : "L-" + std::to_string(model.last_offset);
  }
  if (choice == 2 && !aws) {
    model.last = true;
    return generate_list(1, 31, 0, true, model.values) + ",L";
  }
  if (choice == 2) {
    model.last_weekday = true;
    return "LW";
  }
  // The month's edges are where W must not cross into the next or previous month.
  model.nearest_weekday_to = *rc::gen::oneOf(rc::gen::element(1, 30, 31), rc::gen::inRange(1, 32));
  return std::to_string(model.nearest_weekday_to) + "W";
}

std::string generate_day_of_week(bool aws, DayOfWeekModel& model) {
  model.any = false;
  const int written_base = aws ? 1 : 0;
  const int choice = *rc::gen::inRange(0, 3);
  if (choice == 0) {
    std::set<int> written;
    const std::string text = generate_list(written_base, 7, 20, !aws, written);
    for (int value : written) model.values.insert(aws ? value - 1 : value % 7);
    return text;
  }
  const int weekday = *rc::gen::inRange(0, 7);
  const std::string day = std::to_string(weekday + written_base);
  if (choice == 1) {
    model.nth_weekday = weekday;
    model.nth = *rc::gen::inRange(1, 6);
    return day + "#" + std::to_string(model.nth);
  }
  model.last_weekday = weekday;
  return day + "L";
}

// AWS: exactly one of the day fields is '?'. Airflow: each is '*' or restricted.
void generate_days(CronModel& model, std::vector<std::string>& fields) {
  const int shape = *rc::gen::inRange(0, 3);
  const bool restrict_day_of_month = shape != 1;
  const bool restrict_day_of_week = model.aws ? shape == 1 : shape != 0;
  const std::string open = model.aws ? "?" : "*";
  fields.push_back(restrict_day_of_month ? generate_day_of_month(model.aws, model.day_of_month)
                                         : open);
  fields.push_back(generate_list(1, 12, 60, true, model.months));
  fields.push_back(restrict_day_of_week ? generate_day_of_week(model.aws, model.day_of_week)
                                        : open);
}

CronModel generate_model(bool aws) {
  CronModel model;
  model.aws = aws;
  std::vector<std::string> fields;
  fields.push_back(generate_list(0, 59, 10, true, model.minutes));
  fields.push_back(generate_list(0, 23, 50, true, model.hours));
  generate_days(model, fields);
  if (aws) {
    const bool any_year = *rc::gen::inRange(0, 4) != 0;
    const int first_year = *rc::gen::inRange(1990, 2150);
    if (any_year) {
      fields.push_back("*");
    } else {
      fields.push_back(std::to_string(first_year) + "-" + std::to_string(first_year + 5));
      for (int year = first_year; year <= first_year + 5; ++year) model.years.insert(year);
    }
    model.text = "cron(" + join(fields, " ") + ")";
  } else {
    model.text = join(fields, " ");
  }
  return model;
}

int weekday_of(int year, int month, int day) {
  return to_civil(*from_civil(year, month, day)).weekday;
}

bool is_weekday(int year, int month, int day) {
  const int weekday = weekday_of(year, month, day);
  return weekday >= 1 && weekday <= 5;
}

bool nearest_weekday_matches(int target, const CivilTime& civil, int last_day) {
  if (target > last_day) return false;
  // The weekday at the smallest distance from the target, inside the month.
  for (int distance = 0; distance <= 2; ++distance) {
    for (int day : {target - distance, target + distance}) {
      if (day >= 1 && day <= last_day && is_weekday(civil.year, civil.month, day)) {
        return civil.day == day;
      }
    }
  }
  return false;
}

bool last_weekday_matches(const CivilTime& civil, int last_day) {
  for (int day = civil.day + 1; day <= last_day; ++day) {
    if (is_weekday(civil.year, civil.month, day)) return false;
  }
  return is_weekday(civil.year, civil.month, civil.day);
}

bool day_of_month_model_matches(const DayOfMonthModel& model, const CivilTime& civil) {
  const int last_day = days_in_month(civil.year, civil.month);
  return model.any || model.values.count(civil.day) > 0 ||
         (model.last && civil.day == last_day - model.last_offset) ||
         (model.last_weekday && last_weekday_matches(civil, last_day)) ||
         (model.nearest_weekday_to > 0 &&
          nearest_weekday_matches(model.nearest_weekday_to, civil, last_day));
}

bool day_of_week_model_matches(const DayOfWeekModel& model, const CivilTime& civil) {
  if (model.any || model.values.count(civil.weekday) > 0) return true;
  if (civil.weekday == model.nth_weekday) {
    int occurrence = 0;
    for (int day = 1; day <= civil.day; ++day) {
      if (weekday_of(civil.year, civil.month, day) == model.nth_weekday) ++occurrence;
    }
    return occurrence == model.nth;
  }
  return civil.weekday == model.last_weekday &&
         civil.day + 7 > days_in_month(civil.year, civil.month);
}

// Airflow: a field restricts the days unless it is '*' or names every day ("1-30,L" does).
bool restricts_days(const DayOfMonthModel& model) {
  std::set<int> days = model.values;
  if (model.last && model.last_offset == 0) days.insert(31);
  return !model.any && days.size() < 31;
}

bool restricts_days(const DayOfWeekModel& model) { return !model.any && model.values.size() < 7; }

// Whether the model allows the calendar day of `civil` (year, month and day fields).
bool model_matches_day(const CronModel& model, const CivilTime& civil) {
  if (model.months.count(civil.month) == 0) return false;
  if (model.aws && (civil.year < 1970 || civil.year > 2199)) return false;
  if (!model.years.empty() && model.years.count(civil.year) == 0) return false;
  const bool day_of_month = day_of_month_model_matches(model.day_of_month, civil);
  const bool day_of_week = day_of_week_model_matches(model.day_of_week, civil);
  if (!model.aws && restricts_days(model.day_of_month) && restricts_days(model.day_of_week)) {
    return day_of_month || day_of_week;
  }
  return day_of_month && day_of_week;
}

bool model_matches(const CronModel& model, TimeUs t) {
  const CivilTime civil = to_civil(t);
  return civil.second == 0 && civil.microsecond == 0 && model.minutes.count(civil.minute) > 0 &&
         model.hours.count(civil.hour) > 0 && model_matches_day(model, civil);
}

// Minute by minute near the start, then day by day: every generated expression allows some
// minute of each day it allows, so an allowed day strictly between the start's day and the
// fire's day would hold an earlier fire.
constexpr std::int64_t kBruteForceMinutes = 3000;
constexpr std::int64_t kBruteForceDays = 800;

void check_nothing_matches_before(const CronModel& model, TimeUs after_us,
                                  std::optional<TimeUs> next_us) {
  const TimeUs first_minute_us = (after_us / kMicrosecondsPerMinute + 1) * kMicrosecondsPerMinute;
  const TimeUs minutes_end_us =
      std::min(first_minute_us + minutes(kBruteForceMinutes), next_us.value_or(INT64_MAX));
  for (TimeUs t = first_minute_us; t < minutes_end_us; t += kMicrosecondsPerMinute) {
    RC_ASSERT(!model_matches(model, t));
  }
  const TimeUs first_day_us = (after_us / kMicrosecondsPerDay + 1) * kMicrosecondsPerDay;
  const TimeUs next_day_us =
      next_us ? *next_us / kMicrosecondsPerDay * kMicrosecondsPerDay : INT64_MAX;
  const TimeUs days_end_us = std::min(first_day_us + days(kBruteForceDays), next_day_us);
  for (TimeUs day_us = first_day_us; day_us < days_end_us; day_us += kMicrosecondsPerDay) {
    RC_ASSERT(!model_matches_day(model, to_civil(day_us)));
  }
}

// Follows a few fires in a row, so that each case covers several months.
void check_next_after(bool aws) {
  const CronModel model = generate_model(aws);
  RC_LOG() << model.text << "\n";
  std::string error;
  const std::optional<Schedule> schedule =
      aws ? Schedule::parse_aws(model.text, &error) : Schedule::parse_airflow(model.text, &error);
  RC_ASSERT(schedule.has_value());
  TimeUs after_us = *rc::gen::inRange(*from_civil(2000, 1, 1), *from_civil(2100, 1, 1));
  for (int fire = 0; fire < 4; ++fire) {
    const std::optional<TimeUs> next_us = schedule->next_after(after_us);
    check_nothing_matches_before(model, after_us, next_us);
    if (!next_us) return;
    RC_ASSERT(*next_us > after_us);
    RC_ASSERT(model_matches(model, *next_us));
    RC_ASSERT(schedule->next_after(*next_us - 1) == next_us);
    after_us = *next_us;
  }
}

RC_GTEST_PROP(CronProperties, AwsNextAfterIsTheFirstMatchingMinute, ()) { check_next_after(true); }

RC_GTEST_PROP(CronProperties, AirflowNextAfterIsTheFirstMatchingMinute, ()) {
  check_next_after(false);
}

RC_GTEST_PROP(CronProperties, RateFiresOnTheAnchorGrid, ()) {
  const int value = *rc::gen::inRange(1, 500);
  const char* units[] = {"minute", "hour", "day"};
  const DurationUs unit_us[] = {kMicrosecondsPerMinute, kMicrosecondsPerHour, kMicrosecondsPerDay};
  const int unit = *rc::gen::inRange(0, 3);
  const std::string text =
      "rate(" + std::to_string(value) + " " + units[unit] + (value > 1 ? "s" : "") + ")";
  const std::optional<Schedule> schedule = Schedule::parse_aws(text);
  RC_ASSERT(schedule.has_value());
  const TimeUs anchor_us = *rc::gen::inRange<TimeUs>(0, days(365 * 100));
  const TimeUs after_us = anchor_us + *rc::gen::inRange<TimeUs>(-days(10), days(3650));
  const std::optional<TimeUs> next_us = schedule->next_after(after_us, anchor_us);
  const DurationUs period_us = value * unit_us[unit];
  RC_ASSERT(next_us.has_value());
  RC_ASSERT(*next_us > after_us);
  RC_ASSERT(*next_us >= anchor_us);
  RC_ASSERT((*next_us - anchor_us) % period_us == 0);
  RC_ASSERT(*next_us == anchor_us || *next_us - period_us <= after_us);
}

}  // namespace
}  // namespace wfsim::sim
