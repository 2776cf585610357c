// macros.ds_add and macros.ds_format (fact sheet 12.6) against what Python's datetime gives;
// every expected value here was computed with CPython 3.11.
#include <gtest/gtest.h>

#include <string>

#include "models/mwaa_serverless/template_macros.hpp"

namespace wfsim::models::mwaa {
namespace {

std::string added(const std::string& ds, std::int64_t days) {
  std::string error;
  const auto result = ds_add(ds, sim::days(days), &error);
  EXPECT_TRUE(result) << error;
  return result.value_or(error);
}

std::string formatted(const std::string& ds, const std::string& in, const std::string& out) {
  std::string error;
  const auto result = ds_format(ds, in, out, &error);
  return result ? *result : "error: " + error;
}

TEST(DsAdd, CrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(added("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(added("2023-02-28", 1), "2023-03-01");
  EXPECT_EQ(added("2026-12-31", 1), "2027-01-01");
  EXPECT_EQ(added("2026-01-01", -1), "2025-12-31");
  EXPECT_EQ(added("2026-01-01", 0), "2026-01-01");
  EXPECT_EQ(added("0001-01-01", 3'652'058), "9999-12-31");
}

TEST(DsAdd, RejectsWhatPythonRejects) {
  std::string error;
  EXPECT_FALSE(ds_add("9999-12-31", sim::days(1), &error));
  EXPECT_EQ(error, "date value out of range");
  EXPECT_FALSE(ds_add("2026-1-1x", sim::days(1), &error));
  EXPECT_EQ(error, "unconverted data remains: x");
  EXPECT_FALSE(ds_add("20260101", sim::days(1), &error));
  EXPECT_EQ(error, "time data '20260101' does not match format '%Y-%m-%d'");
}

TEST(DsFormat, ReadsAndWritesTheDirectivesOfTheSubset) {
  EXPECT_EQ(formatted("2026-03-05", "%Y-%m-%d", "%Y%m%d"), "20260305");
  EXPECT_EQ(formatted("26/3/5", "%y/%m/%d", "%Y-%m-%d"), "2026-03-05");
  EXPECT_EQ(formatted("70/1/1", "%y/%m/%d", "%Y"), "1970");  // Python's pivot: 69..99 -> 19xx
  EXPECT_EQ(formatted("2024 060", "%Y %j", "%m-%d"), "02-29");
  EXPECT_EQ(formatted("2023 366", "%Y %j", "%Y-%m-%d"), "2024-01-01");  // as Python rolls over
  EXPECT_EQ(formatted("2026-03-05 07:08:09", "%Y-%m-%d %H:%M:%S", "%H%M%S on %a %b %d"),
            "070809 on Thu Mar 05");
  EXPECT_EQ(formatted("100%2026", "100%%%Y", "%%%y"), "%26");
}

// Python's _strptime is a regex: fields backtrack over their widths, whitespace matches any
// run of whitespace, letters and names ignore case.
TEST(DsFormat, ReadsAsPythonsRegexDoes) {
  EXPECT_EQ(formatted("2024131", "%Y%m%d", "%Y-%m-%d"), "2024-01-31");
  EXPECT_EQ(formatted("202412", "%Y%m%d", "%Y-%m-%d"), "2024-01-02");
  EXPECT_EQ(formatted("2024-01-01T", "%Y-%m-%dt", "%Y"), "2024");
  EXPECT_EQ(formatted("2024 \t 01", "%Y %m", "%m"), "01");
  EXPECT_EQ(formatted("5 MARCH 2026", "%d %B %Y", "%Y-%m-%d"), "2026-03-05");
  EXPECT_EQ(formatted("thu, 5 mar 2026", "%a, %d %b %Y", "%d.%m.%Y"), "05.03.2026");
  EXPECT_EQ(formatted("9999366", "%Y%j", "%Y"), "error: year 10000 is out of range");
  EXPECT_EQ(formatted("0000-01-01", "%Y-%m-%d", "%Y"), "error: year 0 is out of range");
  EXPECT_EQ(formatted("2024-01-01", "%Y-%m-%d%", "%Y"),
            "error: stray % in format '%Y-%m-%d%'");
  // Forty fields that cannot all match: the search remembers failed positions and ends.
  std::string fields;
  for (int i = 0; i < 40; ++i) fields += "%d";
  EXPECT_EQ(formatted(std::string(80, '1') + "x", fields + "%Y", "%Y").rfind("error: ", 0), 0u);
}

TEST(DsFormat, ErrorsNameTheProblem) {
  EXPECT_EQ(formatted("2026-02-29", "%Y-%m-%d", "%Y"), "error: day is out of range for month");
  EXPECT_EQ(formatted("2026-13-01", "%Y-%m-%d", "%Y"),
            "error: time data '2026-13-01' does not match format '%Y-%m-%d'");
  EXPECT_EQ(formatted("2026", "%G", "%Y"),
            "error: the simulator's template subset does not read '%G' in macros.ds_format (it "
            "reads %Y %m %d %H %M %S %y %j %b %B %a %A %%)");
}

}  // namespace
}  // namespace wfsim::models::mwaa
