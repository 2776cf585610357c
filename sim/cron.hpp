// Schedule expressions, evaluated in UTC:
//  - AWS EventBridge/Glue style: "cron(Minutes Hours Day-of-month Month Day-of-week Year)"
//    with ranges, lists, steps, names (JAN, MON), '?', 'L', 'W', '#'; and
//    "rate(5 minutes)" / "rate(1 hour)" / "rate(2 days)".
//  - Airflow 5-field cron "minute hour day-of-month month day-of-week" (croniter syntax,
//    day-of-week 0-6 with 0 = Sunday and 7 also Sunday, names, ranges, lists, steps, 'L' in
//    day-of-month, '#' in day-of-week) and the presets @hourly, @daily, @midnight, @weekly,
//    @monthly, @yearly, @annually.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.hpp"

namespace wfsim::sim {

class Schedule {
 public:
  // "cron(0 12 * * ? *)" or "rate(10 minutes)". On failure nullopt, and `error` says which
  // field broke which rule.
  static std::optional<Schedule> parse_aws(std::string_view expression,
                                           std::string* error = nullptr);
  static std::optional<Schedule> parse_airflow(std::string_view expression,
                                               std::string* error = nullptr);

  // The first fire time strictly after `after_us` (whole minutes for cron), or nullopt when
  // the expression never fires again (e.g. a past year). A rate schedule fires every period
  // measured from `anchor_us` (the moment the schedule was created or enabled).
  std::optional<TimeUs> next_after(TimeUs after_us, TimeUs anchor_us = 0) const;

  const std::string& expression() const { return expression_; }
  bool is_rate() const { return rate_period_us_ > 0; }

  // Parsed cron fields; public so tests and the implementation share one shape.
  struct Field {
    std::vector<bool> allowed;  // indexed by value
    bool any = true;            // '*' or '?'
  };
  struct CronFields {
    Field minutes, hours, days_of_month, months, days_of_week, years;
    bool last_day_of_month = false;           // 'L' in day-of-month
    int last_day_offset = 0;                  // 'L-3'
    int nearest_weekday_to = 0;               // 'W' in day-of-month: 15W -> 15; 0 = unused
    bool last_weekday_of_month = false;       // 'LW'
    int nth_weekday = 0;                      // '#': 1..5, 0 = unused
    int nth_weekday_day = 0;                  // 0 = Sunday .. 6
    int last_weekday_in_month_day = -1;       // '5L' in day-of-week: last Friday; -1 unused
    bool day_of_month_restricted = false;
    bool day_of_week_restricted = false;
    bool airflow = false;  // Airflow/Vixie semantics: day-of-month OR day-of-week when both set
  };

 private:
  Schedule() = default;
  bool day_matches(const CivilTime& civil) const;

  std::string expression_;
  DurationUs rate_period_us_ = 0;
  CronFields cron_;
};

}  // namespace wfsim::sim
