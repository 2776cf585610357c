// The AWS Glue crawl lifecycle as a Boost.MSM machine, plus the crawler State and
// LastCrawl.Status derived from it (fact sheet 6.5; crawl_machine.hpp says why one machine
// serves both and lists the choices made where the sheet is silent).
//
// Follows the sheet's crawl graph: RUNNING ends SUCCEEDED, FAILED or ERROR, and a stop goes
// through CANCELLING to CANCELLED.
// An event without a row is not ignored: process_event reports it as unhandled, the state
// stays, and CrawlLifecycle::fire returns false so the caller reports the violation.
#include "models/glue/crawl_machine.hpp"

#include <array>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector.hpp>

namespace wfsim::models::glue {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events, one empty type per CrawlEvent value and named after it.
struct targets_crawled {};
struct crawler_failed {};
struct crawler_unavailable {};
struct stop_requested {};
struct stop_completed {};

// Every state writes its own CrawlState into the machine on entry, so the mapping from MSM
// state to CrawlState lives in the state names below and state() never has to look it up.
template <CrawlState kState>
struct WireState : msm::front::state<> {
  template <class Event, class Machine>
  void on_entry(const Event&, Machine& machine) {
    machine.state = kState;
  }
};

struct CrawlFrontEnd : msm::front::state_machine_def<CrawlFrontEnd> {
  // Events are applied one at a time by CrawlLifecycle::fire and no action raises another
  // event, so the machine needs neither an event queue nor exception handling.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  struct RUNNING : WireState<CrawlState::RUNNING> {};
  struct CANCELLING : WireState<CrawlState::CANCELLING> {};
  struct CANCELLED : WireState<CrawlState::CANCELLED> {};
  struct SUCCEEDED : WireState<CrawlState::SUCCEEDED> {};
  struct FAILED : WireState<CrawlState::FAILED> {};
  struct ERROR : WireState<CrawlState::ERROR> {};

  typedef RUNNING initial_state;

  // clang-format off
  struct transition_table : mpl::vector<
      // Start     | Event               | Next       | Action | Guard
      Row<RUNNING,    targets_crawled,     SUCCEEDED,   none,    none>,
      Row<RUNNING,    crawler_failed,      FAILED,      none,    none>,
      Row<RUNNING,    crawler_unavailable, ERROR,       none,    none>,
      Row<RUNNING,    stop_requested,      CANCELLING,  none,    none>,

      Row<CANCELLING, stop_completed,      CANCELLED,   none,    none>
  > {};
  // clang-format on

  // An event the current state has no row for is a lifecycle violation. process_event
  // reports it as unhandled, which fire() returns; overriding this keeps MSM from asserting.
  template <class Machine, class Event>
  void no_transition(const Event&, Machine&, int) {}

  CrawlState state = CrawlState::RUNNING;
};

using CrawlBackEnd = msm::back::state_machine<CrawlFrontEnd>;

// Every crawl in a simulated account holds one of these, so its size is pinned.
static_assert(sizeof(CrawlBackEnd) <= 64, "the crawl machine has grown");

constexpr std::array<CrawlState, 6> kAllCrawlStates = {
    CrawlState::RUNNING, CrawlState::CANCELLING, CrawlState::CANCELLED,
    CrawlState::SUCCEEDED, CrawlState::FAILED,   CrawlState::ERROR,
};

constexpr std::array<CrawlerState, 3> kAllCrawlerStates = {
    CrawlerState::READY, CrawlerState::RUNNING, CrawlerState::STOPPING,
};

constexpr std::array<LastCrawlStatus, 3> kAllLastCrawlStatuses = {
    LastCrawlStatus::SUCCEEDED, LastCrawlStatus::CANCELLED, LastCrawlStatus::FAILED,
};

// The one value in `all` whose wire spelling is `text`, if any.
template <class Enum, std::size_t kCount>
std::optional<Enum> parse_wire(const std::array<Enum, kCount>& all, std::string_view text) {
  for (Enum value : all) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}

}  // namespace

struct CrawlLifecycle::Machine {
  CrawlBackEnd back_end;

  template <class Event>
  bool apply(const Event& event) {
    return back_end.process_event(event) == msm::back::HANDLED_TRUE;
  }
};

CrawlLifecycle::CrawlLifecycle() : machine_(std::make_unique<Machine>()) {
  machine_->back_end.start();
}
CrawlLifecycle::~CrawlLifecycle() = default;
CrawlLifecycle::CrawlLifecycle(CrawlLifecycle&&) noexcept = default;
CrawlLifecycle& CrawlLifecycle::operator=(CrawlLifecycle&&) noexcept = default;

CrawlState CrawlLifecycle::state() const { return machine_->back_end.state; }

bool CrawlLifecycle::fire(CrawlEvent event) {
  switch (event) {
    case CrawlEvent::targets_crawled: return machine_->apply(targets_crawled{});
    case CrawlEvent::crawler_failed: return machine_->apply(crawler_failed{});
    case CrawlEvent::crawler_unavailable: return machine_->apply(crawler_unavailable{});
    case CrawlEvent::stop_requested: return machine_->apply(stop_requested{});
    case CrawlEvent::stop_completed: return machine_->apply(stop_completed{});
  }
  // A value outside the enum (a bad cast) has no transition anywhere.
  return false;
}

std::string_view to_string(CrawlState state) {
  switch (state) {
    case CrawlState::RUNNING: return "RUNNING";
    case CrawlState::CANCELLING: return "CANCELLING";
    case CrawlState::CANCELLED: return "CANCELLED";
    case CrawlState::SUCCEEDED: return "SUCCEEDED";
    case CrawlState::FAILED: return "FAILED";
    case CrawlState::ERROR: return "ERROR";
  }
  // A value outside the enum has no wire spelling; the empty string parses back to nothing.
  return "";
}

std::string_view to_string(CrawlerState state) {
  switch (state) {
    case CrawlerState::READY: return "READY";
    case CrawlerState::RUNNING: return "RUNNING";
    case CrawlerState::STOPPING: return "STOPPING";
  }
  return "";
}

std::string_view to_string(LastCrawlStatus status) {
  switch (status) {
    case LastCrawlStatus::SUCCEEDED: return "SUCCEEDED";
    case LastCrawlStatus::CANCELLED: return "CANCELLED";
    case LastCrawlStatus::FAILED: return "FAILED";
  }
  return "";
}

std::string_view to_string(CrawlEvent event) {
  switch (event) {
    case CrawlEvent::targets_crawled: return "targets_crawled";
    case CrawlEvent::crawler_failed: return "crawler_failed";
    case CrawlEvent::crawler_unavailable: return "crawler_unavailable";
    case CrawlEvent::stop_requested: return "stop_requested";
    case CrawlEvent::stop_completed: return "stop_completed";
  }
  return "";
}

std::optional<CrawlState> crawl_state_from_string(std::string_view text) {
  return parse_wire(kAllCrawlStates, text);
}

std::optional<CrawlerState> crawler_state_from_string(std::string_view text) {
  return parse_wire(kAllCrawlerStates, text);
}

std::optional<LastCrawlStatus> last_crawl_status_from_string(std::string_view text) {
  return parse_wire(kAllLastCrawlStatuses, text);
}

bool is_terminal(CrawlState state) {
  switch (state) {
    case CrawlState::CANCELLED:
    case CrawlState::SUCCEEDED:
    case CrawlState::FAILED:
    case CrawlState::ERROR:
      return true;
    case CrawlState::RUNNING:
    case CrawlState::CANCELLING:
      return false;
  }
  return false;
}

CrawlerState crawler_state(std::optional<CrawlState> current_crawl) {
  if (current_crawl == CrawlState::RUNNING) return CrawlerState::RUNNING;
  if (current_crawl == CrawlState::CANCELLING) return CrawlerState::STOPPING;
  return CrawlerState::READY;
}

std::optional<LastCrawlStatus> last_crawl_status(CrawlState state) {
  switch (state) {
    case CrawlState::SUCCEEDED: return LastCrawlStatus::SUCCEEDED;
    case CrawlState::CANCELLED: return LastCrawlStatus::CANCELLED;
    case CrawlState::FAILED: return LastCrawlStatus::FAILED;
    case CrawlState::ERROR:
    case CrawlState::RUNNING:
    case CrawlState::CANCELLING:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace wfsim::models::glue
