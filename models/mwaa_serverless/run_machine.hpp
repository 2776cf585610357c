// The MWAA Serverless workflow-run lifecycle (fact sheet 9.2). The Boost.MSM machine lives
// in run_machine.cpp (one translation unit per machine); this header shows only statuses,
// events and a small handle, so the service code compiles without MSM.
//
//   STARTING -> QUEUED -> RUNNING -> SUCCESS | FAILED | TIMEOUT
//   any non-terminal -> STOPPING -> STOPPED
//   STARTING | QUEUED -> FAILED  (definition error found at run time, 12.9)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::mwaa {

// One byte: a retained run keeps its status beside its other small fields.
enum class RunStatus : std::uint8_t {
  STARTING, QUEUED, RUNNING, SUCCESS, FAILED, TIMEOUT, STOPPING, STOPPED
};

enum class RunEvent {
  queued,          // STARTING -> QUEUED: admitted, waiting for capacity
  started,         // QUEUED -> RUNNING: first tasks may be scheduled
  succeeded,       // RUNNING -> SUCCESS
  failed,          // STARTING | QUEUED | RUNNING -> FAILED
  timed_out,       // RUNNING -> TIMEOUT
  stop_requested,  // STARTING | QUEUED | RUNNING -> STOPPING
  stop_completed,  // STOPPING -> STOPPED
};

std::string_view to_string(RunStatus status);
std::string_view to_string(RunEvent event);
std::optional<RunStatus> run_status_from_string(std::string_view text);
// Inline: every status change asks it.
inline bool is_terminal(RunStatus status) {
  switch (status) {
    case RunStatus::SUCCESS:
    case RunStatus::FAILED:
    case RunStatus::TIMEOUT:
    case RunStatus::STOPPED:
      return true;
    case RunStatus::STARTING:
    case RunStatus::QUEUED:
    case RunStatus::RUNNING:
    case RunStatus::STOPPING:
      return false;
  }
  return false;
}

class RunLifecycle {
 public:
  RunLifecycle();
  ~RunLifecycle();
  RunLifecycle(RunLifecycle&&) noexcept;
  RunLifecycle& operator=(RunLifecycle&&) noexcept;

  RunStatus status() const;
  // Applies the event. Returns false, and changes nothing, when the current status has no
  // transition for it (the caller records the violation and answers with its error).
  bool fire(RunEvent event);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::mwaa
