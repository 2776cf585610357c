// The invariant catalogue of the Glue service, checked after every step by the fuzzer and
// the property tests. Each entry names a rule of the fact sheet that must hold at every
// instant, whatever the callers did:
//   glue.machine-violations         no lifecycle machine ever rejected an event
//   glue.active-runs-count          Workflow::active_runs equals its RUNNING + STOPPING runs
//   glue.max-concurrent-runs        active runs <= MaxConcurrentRuns (6.6, rule 9.2), unless
//                                   the cap was lowered while those runs were active
//   glue.finished-run-is-idle       a COMPLETED, STOPPED or ERROR run has no active action
//   glue.stopped-run-starts-nothing no action of a run started after its stop (6.7)
//   glue.error-run-has-no-actions   a run refused over the cap launched nothing (rule 9.3)
//   glue.cached-state-matches       every cached status equals its machine's
//   glue.job-concurrency            a job's STARTING/RUNNING/STOPPING runs <= its
//                                   ExecutionProperty.MaxConcurrentRuns (6.6)
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

using Violations = std::vector<InvariantViolation>;

bool is_active_status(WorkflowRunStatus status) {
  return status == WorkflowRunStatus::RUNNING || status == WorkflowRunStatus::STOPPING;
}

bool occupies_job_slot(JobRunState state) {
  return state == JobRunState::STARTING || state == JobRunState::RUNNING ||
         state == JobRunState::STOPPING;
}

void check_run_actions(const WorkflowRun& run, Violations& out) {
  const bool finished = !is_active_status(run.status);
  for (const auto& node : run.nodes) {
    if (node.copied) continue;
    for (const JobRun* job_run : node.job_runs) {
      if (finished && !is_terminal(job_run->state)) {
        out.push_back({"glue.finished-run-is-idle",
                       "run " + run.id + " is " + std::string(to_string(run.status)) +
                           " but job run " + job_run->id + " is " +
                           std::string(to_string(job_run->state))});
      }
      if (run.stop_requested_us != kNever && job_run->started_us > run.stop_requested_us) {
        out.push_back({"glue.stopped-run-starts-nothing",
                       "job run " + job_run->id + " started after run " + run.id + " stopped"});
      }
      if (run.status == WorkflowRunStatus::ERROR) {
        out.push_back({"glue.error-run-has-no-actions",
                       "ERROR run " + run.id + " launched job run " + job_run->id});
      }
    }
    for (const Crawl* crawl : node.crawls) {
      if (finished && !is_terminal(crawl->state)) {
        out.push_back({"glue.finished-run-is-idle",
                       "run " + run.id + " is " + std::string(to_string(run.status)) +
                           " but a crawl of " + crawl->crawler_name + " is " +
                           std::string(to_string(crawl->state))});
      }
      if (run.stop_requested_us != kNever && crawl->started_us > run.stop_requested_us) {
        out.push_back({"glue.stopped-run-starts-nothing",
                       "a crawl of " + crawl->crawler_name + " started after run " + run.id +
                           " stopped"});
      }
    }
  }
}

void check_workflow(const Workflow& workflow, Violations& out) {
  std::uint32_t active = 0;
  sim::TimeUs earliest_active_start = INT64_MAX;
  for (const auto& [sequence, run] : workflow.runs) {
    if (is_active_status(run->status)) {
      ++active;
      earliest_active_start = std::min(earliest_active_start, run->started_us);
    }
    if (run->machine && run->machine->status() != run->status) {
      out.push_back({"glue.cached-state-matches", "run " + run->id + " caches " +
                                                      std::string(to_string(run->status))});
    }
    check_run_actions(*run, out);
  }
  if (active != workflow.active_runs) {
    out.push_back({"glue.active-runs-count",
                   "workflow " + workflow.name + " counts " +
                       std::to_string(workflow.active_runs) + " active runs, has " +
                       std::to_string(active)});
  }
  // ">=": a cap lowered in the same instant as a run started still came after that run, since
  // every start checks the cap when it is made; without it, an UpdateWorkflow right after two
  // starts, with no time between them, was reported as a violation.
  const bool cap_lowered_since = workflow.modified_us >= earliest_active_start;
  if (workflow.max_concurrent_runs && !cap_lowered_since &&
      active > static_cast<std::uint64_t>(*workflow.max_concurrent_runs)) {
    out.push_back({"glue.max-concurrent-runs",
                   "workflow " + workflow.name + " has " + std::to_string(active) +
                       " active runs, MaxConcurrentRuns " +
                       std::to_string(*workflow.max_concurrent_runs)});
  }
}

void check_job(const Job& job, Violations& out) {
  std::int64_t occupied = 0;
  for (const JobRun* run : job.runs) {
    if (occupies_job_slot(run->state)) ++occupied;
    if (run->machine && run->machine->state() != run->state) {
      out.push_back({"glue.cached-state-matches",
                     "job run " + run->id + " caches " + std::string(to_string(run->state))});
    }
  }
  if (occupied > job.max_concurrent_runs) {
    out.push_back({"glue.job-concurrency", "job " + job.name + " has " +
                                               std::to_string(occupied) + " active runs, limit " +
                                               std::to_string(job.max_concurrent_runs)});
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Glue::invariant_catalogue() const {
  return {
      {"glue.machine-violations", "no lifecycle machine ever rejected an event"},
      {"glue.active-runs-count", "Workflow::active_runs equals its RUNNING + STOPPING runs"},
      {"glue.max-concurrent-runs",
       "active runs <= MaxConcurrentRuns, unless the cap was lowered while they were active"},
      {"glue.finished-run-is-idle", "a COMPLETED, STOPPED or ERROR run has no active action"},
      {"glue.stopped-run-starts-nothing", "no action of a run started after its stop"},
      {"glue.error-run-has-no-actions", "a run refused over the cap launched nothing"},
      {"glue.cached-state-matches", "every cached status equals its machine's"},
      {"glue.job-concurrency",
       "a job's STARTING/RUNNING/STOPPING runs <= its ExecutionProperty.MaxConcurrentRuns"},
  };
}

std::vector<InvariantViolation> Glue::check_invariants() const {
  Violations out;
  if (violations_ > 0) {
    out.push_back({"glue.machine-violations",
                   std::to_string(violations_) + " rejected events, first: " + first_violation_});
  }
  for (const auto& [name, workflow] : workflows_) check_workflow(*workflow, out);
  for (const auto& [name, job] : jobs_) check_job(*job, out);
  return out;
}

}  // namespace wfsim::models::glue
