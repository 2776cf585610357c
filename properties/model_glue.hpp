// A model-based RapidCheck command set for the run-related operations of AWS Glue (fact sheet
// glue-workflows.md): CreateWorkflow, UpdateWorkflow (MaxConcurrentRuns), DeleteWorkflow,
// GetWorkflow, StartWorkflowRun, GetWorkflowRun, GetWorkflowRuns, StopWorkflowRun,
// ResumeWorkflowRun, GetWorkflowRunProperties, PutWorkflowRunProperties, StartTrigger,
// StopTrigger, StartJobRun, GetJobRun and BatchStopJobRun, plus AdvanceClock and InjectFault.
//
// The world has three jobs made before the first command: "extract" and "load" (three
// concurrent runs each) that workflows run, and "adhoc" (one) that only StartJobRun runs; the
// account allows six concurrent job runs. Workflows "flow-0" and "flow-1" get a graph when
// they are created (the CreateWorkflow command makes their triggers right after the workflow:
// an ON_DEMAND start trigger "<name>-start" running extract, and a CONDITIONAL trigger
// "<name>-then-load" running load once extract SUCCEEDED); "flow-2" has no triggers, so its
// runs complete at once (rule 9.11).
//
// The oracle (model_support.hpp) predicts each answer from the previous snapshot and checks:
// - concurrency caps: StartWorkflowRun, StartTrigger and ResumeWorkflowRun over the
//   workflow's MaxConcurrentRuns (RUNNING and STOPPING runs, rule 9.2) are
//   ConcurrentRunsExceededException and record no run; StartJobRun over the job's cap is
//   ConcurrentRunsExceededException and over the account's ResourceNumberLimitExceededException;
//   a job run a trigger launches over a cap is FAILED at once (6.5);
// - resume semantics (6.8, rules 9.5-9.7): only a COMPLETED run resumes, into a new run with
//   PreviousRunId, the original's current properties, and the selected node relaunched;
// - legal transitions only: workflow runs RUNNING -> COMPLETED | STOPPING -> STOPPED, job runs
//   along 6.5, triggers only finish their transient states; terminal states never change and
//   nothing changes without a call or time passing;
// - rejected calls and unapplied faults change nothing; applied-but-hidden faults and
//   duplicates change the state once per application (Glue has no client tokens, so a
//   duplicated StartWorkflowRun makes two runs);
// - across resources: a RUNNING or STOPPING workflow run has an active job run, a finished
//   one has none; no job ever has more active runs than its cap.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "models/world.hpp"
#include "properties/model_support.hpp"
#include "sim/faults.hpp"

namespace wfsim::properties::glue_model {

struct RunSnapshot {
  std::string status;
  std::string previous_run_id;  // empty when none
  std::map<std::string, std::string> properties;
};

struct WorkflowSnapshot {
  std::optional<std::int64_t> max_concurrent_runs;
  std::map<std::string, std::string> default_properties;
  std::map<std::string, RunSnapshot> runs;  // by WorkflowRunId
};

struct JobRunSnapshot {
  std::string job;
  std::string state;
  std::string workflow_run;  // the --WORKFLOW_RUN_ID argument; empty for StartJobRun's runs
};

// What the oracle reads back after every command.
struct Snapshot {
  std::map<std::string, WorkflowSnapshot> workflows;  // by name
  std::map<std::string, std::string> triggers;        // name -> State
  std::map<std::string, JobRunSnapshot> job_runs;     // by Id
};

struct Options {
  std::uint64_t seed = 1;  // the world's root seed
  // A deliberately wrong system: ResumeWorkflowRun is sent as a StartWorkflowRun of the same
  // workflow, as a client faking a resume would. The model's resume checks must catch it.
  bool resume_as_fresh_start = false;
};

struct Sut {
  std::unique_ptr<World> world;
  Snapshot now;  // the oracle's view after the last command
  Options options;
  Coverage* coverage = nullptr;  // counted into when set
};

struct Plan {
  sim::FaultKind next_fault = sim::FaultKind::none;  // InjectFault's choice for the next call
  sim::DurationUs elapsed_us = 0;  // AdvanceClock total; far below the 90-day run retention
};

using Command = rc::state::Command<Plan, Sut>;
using CommandGen = rc::Gen<std::shared_ptr<const Command>>;

WorldOptions world_options(std::uint64_t seed);
// The world with its three jobs.
Sut make_sut(const Options& options);
std::function<CommandGen(const Plan&)> command_generator();

// Generates up to `steps` + 1 commands and runs them against a fresh world; fails the
// current RapidCheck case when the simulator disagrees with the model.
void check_command_sequence(int steps, const Options& options, Coverage* coverage = nullptr);

}  // namespace wfsim::properties::glue_model
