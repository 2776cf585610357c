// A model-based RapidCheck command set for MWAA Serverless (fact sheet mwaa-serverless.md):
// one command per operation of the sheet (CreateWorkflow, UpdateWorkflow, DeleteWorkflow,
// GetWorkflow, ListWorkflows, ListWorkflowVersions, StartWorkflowRun, GetWorkflowRun,
// ListWorkflowRuns, StopWorkflowRun, GetTaskInstance, ListTaskInstances, TagResource,
// UntagResource, ListTagsForResource), plus AdvanceClock and InjectFault (the next call gets a
// forced fault).
//
// The oracle (model_support.hpp explains the two halves of the model) predicts each call's
// answer from the previous snapshot and checks:
// - idempotency: a ClientToken seen with the same request answers the first response again
//   and makes nothing; with another request it is a ConflictException (sheet 8);
// - a DISABLED workflow (TriggerMode, set by UpdateWorkflow) cannot be started on demand
//   (ConflictException, the simulator's choice);
// - concurrency caps: a start over concurrent_runs_per_workflow or _per_account is a
//   ServiceQuotaExceededException, and no snapshot ever holds more active runs than the caps;
// - legal transitions only: between snapshots every run moves along the machine of sheet
//   9.2, terminal statuses never change, and nothing changes without a call or time passing;
// - rejected calls change nothing: after an error answer or an unapplied fault the snapshot
//   is exactly the previous one;
// - applied-but-hidden faults (timeout_after, lost_response) and duplicates change the state
//   exactly as many applications as reached the service (the model knows the forced fault).
// Chosen where the sheet is silent, as the simulator chose (service.cpp): StartWorkflowRun
// tokens are keyed by (WorkflowArn, token) and CreateWorkflow tokens by the token alone; a
// deleted workflow answers ResourceNotFoundException; StopWorkflowRun of a finished run
// succeeds with its status.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/world.hpp"
#include "properties/model_support.hpp"
#include "sim/faults.hpp"

namespace wfsim::properties::mwaa_model {

// What the oracle reads back after every command.
struct WorkflowSnapshot {
  std::string name;
  std::string status;                 // WorkflowStatus: READY | DELETING
  std::string trigger_mode;           // TriggerMode of the latest version
  std::vector<std::string> versions;  // oldest first
  std::map<std::string, std::string> tags;
  std::map<std::string, std::string> runs;  // RunId -> status
};
using Snapshot = std::map<std::string, WorkflowSnapshot>;  // by WorkflowArn

// A ClientToken the service has seen succeed: the request it came with and its answer.
struct Remembered {
  nlohmann::json request;
  nlohmann::json response;
};

// The observing half of the reference model.
struct Oracle {
  Snapshot now;
  std::map<std::string, Remembered> create_tokens;                         // by "name|token"
  std::map<std::pair<std::string, std::string>, Remembered> start_tokens;  // (ARN, token)
  std::map<std::string, std::string> last_arn_by_name;  // so deleted workflows can be addressed
};

struct Options {
  std::uint64_t seed = 1;  // the world's root seed
  // A deliberately wrong system: ClientToken is stripped from StartWorkflowRun before the call,
  // so a retry makes a second run. The model must catch it.
  bool strip_client_tokens = false;
};

struct Sut {
  std::unique_ptr<World> world;
  Oracle oracle;
  Options options;
  Coverage* coverage = nullptr;  // counted into when set
};

// The plan: what is known without asking the simulator.
struct Plan {
  sim::FaultKind next_fault = sim::FaultKind::none;  // InjectFault's choice for the next call
  sim::DurationUs elapsed_us = 0;  // AdvanceClock total; kept inside the 24 h token window
};

using Command = rc::state::Command<Plan, Sut>;
using CommandGen = rc::Gen<std::shared_ptr<const Command>>;

// The world the commands run in: three workflow names, two definitions in the object store
// (one task; a two-task chain) without schedules, tasks of 20 s, and small caps (2 active runs
// per workflow, 3 per account, 3 versions per workflow) so that the caps are reached often.
WorldOptions world_options(std::uint64_t seed);
Sut make_sut(const Options& options);

// Every command, weighted so that runs are started, retried and observed often.
std::function<CommandGen(const Plan&)> command_generator();

// Generates up to `steps` + 1 commands and runs them against a fresh world; fails the
// current RapidCheck case when the simulator disagrees with the model.
void check_command_sequence(int steps, const Options& options, Coverage* coverage = nullptr);

}  // namespace wfsim::properties::mwaa_model
