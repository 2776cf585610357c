// The lifecycle of one MWAA Serverless task instance as a Boost.MSM machine (fact sheet 9.3).
//
// Follows the sheet's Airflow 3 semantics: an instance waits in NONE, is SCHEDULED when its
// trigger rule is met, QUEUED on a worker, RUNNING, and ends SUCCESS, FAILED, UP_FOR_RETRY
// or TIMEOUT; UPSTREAM_FAILED and CANCELLED end instances that never ran. The sheet marks the
// exact graph unconfirmed, so these rules are chosen here:
// - One instance per attempt (task_machine.hpp): UP_FOR_RETRY is terminal for the instance,
//   and the retry is a new instance starting in NONE.
// - UPSTREAM_FAILED is reachable only before the instance is handed to a worker (NONE,
//   SCHEDULED); once QUEUED its upstream tasks have already finished.
// - CANCELLED ends any non-terminal instance, because stopping or timing out a run ends
//   every task instance that has not finished.
// - Sensors in reschedule mode, deferrable operators, restarts and removal from a changed
//   DAG are not simulated, so UP_FOR_RESCHEDULE, DEFERRED, RESTARTING and REMOVED exist in
//   TaskStatus (they are wire values) but no row leads to them and they have no MSM state.
// An event without a row is not ignored: no_transition records it, the status stays, and
// TaskLifecycle::fire returns false so the caller reports the violation.
#include "models/mwaa_serverless/task_machine.hpp"

#include <array>
#include <cstddef>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector.hpp>

#include "models/mwaa_serverless/machine_pool.hpp"

namespace wfsim::models::mwaa {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events, one empty type per TaskEvent value and named after it.
struct schedule {};
struct queue {};
struct start {};
struct succeed {};
struct fail {};
struct retry {};
struct time_out {};
struct upstream_failed {};
struct cancel {};

// Every state writes its own status into the machine on entry, so the mapping from MSM state
// to TaskStatus lives in the state names below and status() never has to look it up.
template <TaskStatus kStatus>
struct StatusState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.status = kStatus;
  }
};

struct TaskFrontEnd : msm::front::state_machine_def<TaskFrontEnd> {
  // Events are applied one at a time by TaskLifecycle::fire and no action raises another
  // event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  struct NONE : StatusState<TaskStatus::NONE> {};
  struct SCHEDULED : StatusState<TaskStatus::SCHEDULED> {};
  struct QUEUED : StatusState<TaskStatus::QUEUED> {};
  struct RUNNING : StatusState<TaskStatus::RUNNING> {};
  struct SUCCESS : StatusState<TaskStatus::SUCCESS> {};
  struct FAILED : StatusState<TaskStatus::FAILED> {};
  struct UP_FOR_RETRY : StatusState<TaskStatus::UP_FOR_RETRY> {};
  struct TIMEOUT : StatusState<TaskStatus::TIMEOUT> {};
  struct UPSTREAM_FAILED : StatusState<TaskStatus::UPSTREAM_FAILED> {};
  struct CANCELLED : StatusState<TaskStatus::CANCELLED> {};

  typedef NONE initial_state;

  // clang-format off
  struct transition_table : mpl::vector<
      // Start    | Event           | Next            | Action | Guard
      Row<NONE,      schedule,        SCHEDULED,        none,    none>,
      Row<NONE,      upstream_failed, UPSTREAM_FAILED,  none,    none>,
      Row<NONE,      cancel,          CANCELLED,        none,    none>,

      Row<SCHEDULED, queue,           QUEUED,           none,    none>,
      Row<SCHEDULED, upstream_failed, UPSTREAM_FAILED,  none,    none>,
      Row<SCHEDULED, cancel,          CANCELLED,        none,    none>,

      Row<QUEUED,    start,           RUNNING,          none,    none>,
      Row<QUEUED,    cancel,          CANCELLED,        none,    none>,

      Row<RUNNING,   succeed,         SUCCESS,          none,    none>,
      Row<RUNNING,   fail,            FAILED,           none,    none>,
      Row<RUNNING,   retry,           UP_FOR_RETRY,     none,    none>,
      Row<RUNNING,   time_out,        TIMEOUT,          none,    none>,
      Row<RUNNING,   cancel,          CANCELLED,        none,    none>
  > {};
  // clang-format on

  // An event the current status has no row for is a lifecycle violation: remember it so
  // the handle can report it, and leave the state as it is (MSM's default would assert).
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {
    rejected = true;
  }

  TaskStatus status = TaskStatus::NONE;
  bool rejected = false;
};

constexpr std::array<TaskStatus, 14> kAllTaskStatuses = {
    TaskStatus::QUEUED,       TaskStatus::FAILED,          TaskStatus::SCHEDULED,
    TaskStatus::RUNNING,      TaskStatus::SUCCESS,         TaskStatus::UP_FOR_RESCHEDULE,
    TaskStatus::UP_FOR_RETRY, TaskStatus::UPSTREAM_FAILED, TaskStatus::REMOVED,
    TaskStatus::RESTARTING,   TaskStatus::DEFERRED,        TaskStatus::NONE,
    TaskStatus::CANCELLED,    TaskStatus::TIMEOUT,
};

}  // namespace

struct TaskLifecycle::Machine {
  msm::back::state_machine<TaskFrontEnd> back_end;

  // Machines are made and dropped at the rate runs progress, so their storage is recycled
  // (machine_pool.hpp) instead of taken from and returned to the heap each time.
  static void* operator new(std::size_t) { return MachinePool<Machine>::allocate(); }
  static void operator delete(void* memory) { MachinePool<Machine>::release(memory); }

  template <class Event>
  bool apply(const Event& event) {
    back_end.rejected = false;
    back_end.process_event(event);
    return !back_end.rejected;
  }
};

TaskLifecycle::TaskLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
}
TaskLifecycle::~TaskLifecycle() = default;
TaskLifecycle::TaskLifecycle(TaskLifecycle&&) noexcept = default;
TaskLifecycle& TaskLifecycle::operator=(TaskLifecycle&&) noexcept = default;

TaskStatus TaskLifecycle::status() const { return machine_->back_end.status; }

bool TaskLifecycle::fire(TaskEvent event) {
  switch (event) {
    case TaskEvent::schedule: return machine_->apply(schedule{});
    case TaskEvent::queue: return machine_->apply(queue{});
    case TaskEvent::start: return machine_->apply(start{});
    case TaskEvent::succeed: return machine_->apply(succeed{});
    case TaskEvent::fail: return machine_->apply(fail{});
    case TaskEvent::retry: return machine_->apply(retry{});
    case TaskEvent::time_out: return machine_->apply(time_out{});
    case TaskEvent::upstream_failed: return machine_->apply(upstream_failed{});
    case TaskEvent::cancel: return machine_->apply(cancel{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::QUEUED: return "QUEUED";
    case TaskStatus::FAILED: return "FAILED";
    case TaskStatus::SCHEDULED: return "SCHEDULED";
    case TaskStatus::RUNNING: return "RUNNING";
    case TaskStatus::SUCCESS: return "SUCCESS";
    case TaskStatus::UP_FOR_RESCHEDULE: return "UP_FOR_RESCHEDULE";
    case TaskStatus::UP_FOR_RETRY: return "UP_FOR_RETRY";
    case TaskStatus::UPSTREAM_FAILED: return "UPSTREAM_FAILED";
    case TaskStatus::REMOVED: return "REMOVED";
    case TaskStatus::RESTARTING: return "RESTARTING";
    case TaskStatus::DEFERRED: return "DEFERRED";
    case TaskStatus::NONE: return "NONE";
    case TaskStatus::CANCELLED: return "CANCELLED";
    case TaskStatus::TIMEOUT: return "TIMEOUT";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(TaskEvent event) {
  switch (event) {
    case TaskEvent::schedule: return "schedule";
    case TaskEvent::queue: return "queue";
    case TaskEvent::start: return "start";
    case TaskEvent::succeed: return "succeed";
    case TaskEvent::fail: return "fail";
    case TaskEvent::retry: return "retry";
    case TaskEvent::time_out: return "time_out";
    case TaskEvent::upstream_failed: return "upstream_failed";
    case TaskEvent::cancel: return "cancel";
  }
  return "";
}

std::optional<TaskStatus> task_status_from_string(std::string_view text) {
  for (TaskStatus status : kAllTaskStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

}  // namespace wfsim::models::mwaa
