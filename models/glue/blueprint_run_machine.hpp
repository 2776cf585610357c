// The lifecycle of one AWS Glue blueprint run (fact sheet 3 BlueprintRunState, 4
// BlueprintRun, 5.1 StartBlueprintRun). The Boost.MSM machine lives in
// blueprint_run_machine.cpp (one translation unit per machine); this header shows only
// states, events and a small handle, so the service code compiles without MSM.
//
//   RUNNING -> SUCCEEDED                          the workflow and its entities were created
//   RUNNING -> ROLLING_BACK -> FAILED             creation failed; what was made is removed
//
// Sheet rules followed: 5.1 (a run is RUNNING, then SUCCEEDED having created workflow
// WorkflowName with BlueprintDetails {BlueprintName, RunId}, or ROLLING_BACK then FAILED with
// ErrorMessage and RollbackErrorMessage). Chosen where the sheet is silent:
// - Every failure passes through ROLLING_BACK, even one that created nothing yet, because
//   the sheet draws no RUNNING -> FAILED edge.
// - A rollback that itself fails still ends FAILED; the difference is only in
//   RollbackErrorMessage, which the caller fills, so one event ends every rollback.
// - There is no StopBlueprintRun, so a run has no stop path.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::glue {

// BlueprintRunState, spelled as on the wire (fact sheet 3).
enum class BlueprintRunState { RUNNING, SUCCEEDED, FAILED, ROLLING_BACK };

enum class BlueprintRunEvent {
  workflow_created,   // RUNNING -> SUCCEEDED: the layout's workflow, jobs, crawlers and
                      // triggers all exist
  creation_failed,    // RUNNING -> ROLLING_BACK: the layout or an entity could not be created
  rollback_finished,  // ROLLING_BACK -> FAILED: the entities created so far are removed, or
                      // removing them failed (RollbackErrorMessage)
};

std::string_view to_string(BlueprintRunState state);
std::string_view to_string(BlueprintRunEvent event);
std::optional<BlueprintRunState> blueprint_run_state_from_string(std::string_view text);
// SUCCEEDED and FAILED.
bool is_terminal(BlueprintRunState state);

class BlueprintRunLifecycle {
 public:
  // A run starts RUNNING: StartBlueprintRun on an ACTIVE blueprint.
  BlueprintRunLifecycle();
  ~BlueprintRunLifecycle();
  BlueprintRunLifecycle(BlueprintRunLifecycle&&) noexcept;
  BlueprintRunLifecycle& operator=(BlueprintRunLifecycle&&) noexcept;

  BlueprintRunState state() const;
  // Applies the event. Returns false, and changes nothing, when the current state has no
  // transition for it (the caller records the violation and answers with its error).
  bool fire(BlueprintRunEvent event);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::glue
