// Scheduled runs of MWAA Serverless (fact sheet 9.1 and 12.8). Follows the sheet: the cron
// schedule comes from the definition and is evaluated in UTC; only the latest version keeps
// an active schedule, and only while the workflow's mode is SCHEDULED; scheduled runs have
// RunType SCHEDULED. Chosen where the sheet is silent: no catch-up (the first fire is the
// first cron time strictly after the schedule is armed, and a missed fire is never made up),
// no fire before start_date or after end_date, logical date = fire time, and a fire that
// would exceed a concurrent-run quota makes no run and writes "schedule_skipped" to the trace.
#include "models/common/timestamps.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {

void MwaaServerless::arm_schedule(Workflow& workflow) {
  disarm_schedule(workflow);
  if (workflow.deleting) return;
  const Version& latest = *workflow.versions.back();
  if (latest.mode != TriggerMode::scheduled || !latest.definition.parsed_schedule) return;
  const auto next = next_fire_time(latest, context_.scheduler.now());
  if (!next) return;
  workflow.scheduled_version = latest.id;
  workflow.schedule_timer =
      context_.scheduler.schedule_at(*next, [this, target = &workflow, fire_us = *next] {
        target->schedule_timer = 0;
        on_schedule_fire(*target, fire_us);
      });
}

void MwaaServerless::disarm_schedule(Workflow& workflow) {
  context_.scheduler.cancel(workflow.schedule_timer);
  workflow.schedule_timer = 0;
  workflow.scheduled_version.clear();
}

std::optional<sim::TimeUs> MwaaServerless::next_fire_time(const Version& version,
                                                          sim::TimeUs after_us) const {
  const auto& definition = version.definition;
  sim::TimeUs from_us = after_us;
  // next_after is strict, so starting one microsecond early lets start_date itself fire.
  if (definition.start_date_us && *definition.start_date_us - 1 > from_us) {
    from_us = *definition.start_date_us - 1;
  }
  const auto next = definition.parsed_schedule->next_after(from_us, version.created_us);
  if (!next || (definition.end_date_us && *next > *definition.end_date_us)) return std::nullopt;
  return next;
}

void MwaaServerless::on_schedule_fire(Workflow& workflow, sim::TimeUs fire_us) {
  const auto version = workflow.versions.back();
  const bool tracing = context_.trace.enabled();
  if (auto quota_error = check_run_quota(workflow)) {
    if (tracing) {
      context_.trace.record(fire_us, "schedule_skipped",
                            {{"service", kServiceName},
                             {"workflow", workflow.arn},
                             {"version", version->id},
                             {"fire_time", sim::format_rfc3339(fire_us)},
                             {"reason", quota_error->fields["QuotaCode"]}});
    }
  } else {
    const Run& run = create_run(workflow, version, RunType::scheduled, nullptr, fire_us);
    if (tracing) {
      context_.trace.record(fire_us, "schedule_fire",
                            {{"service", kServiceName},
                             {"workflow", workflow.arn},
                             {"version", version->id},
                             {"fire_time", sim::format_rfc3339(fire_us)},
                             {"run", run.id}});
    }
  }
  arm_schedule(workflow);
}

}  // namespace wfsim::models::mwaa
