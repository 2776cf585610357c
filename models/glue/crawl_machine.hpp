// The lifecycle of one AWS Glue crawl, and the crawler State and LastCrawl.Status that follow
// from it (fact sheet 3, 5.1 StartCrawler / StopCrawler, 6.5, 6.7, 6.10). The Boost.MSM
// machine lives in crawl_machine.cpp (one translation unit per machine); this header shows
// only states, events and a small handle, so the service code compiles without MSM.
//
//   RUNNING -> SUCCEEDED | FAILED | ERROR
//   RUNNING -> CANCELLING -> CANCELLED            StopCrawler, or StopWorkflowRun (6.7)
//
// One machine, over the crawl's CrawlState, and not a second one for the crawler: the sheet
// ties every crawler State change to a crawl change (StartCrawler: READY -> RUNNING as the
// crawl starts RUNNING; StopCrawler: RUNNING -> STOPPING as the crawl goes CANCELLING; READY
// again once the crawl has ended), and a crawler runs one crawl at a time
// (CrawlerRunningException). Its State is therefore a function of its current crawl,
// crawler_state() below, and a separate machine could only drift from it. Likewise
// LastCrawl.Status is a function of how the crawl ended, last_crawl_status() below.
//
// Sheet rules followed: 6.5 (the crawl graph; the crawler's READY -> RUNNING -> (STOPPING)
// -> READY), 5.1 (StopCrawler on a crawler that is not running or already stopping fails),
// 6.10 (CANCELLED counts as stopped). Chosen where the sheet is silent:
// - The crawler is STOPPING only while its crawl is CANCELLING; a crawl that ends on its own
//   returns the crawler straight to READY.
// - ERROR is the crawl a workflow records when it cannot run the crawler at all: the crawler
//   was deleted or is already running another crawl. This mirrors JobRunState ERROR for a
//   deleted job (6.5); the crawl leaves RUNNING, its first state, as the sheet draws it.
//   Because the crawler never ran it, an ERROR crawl does not change LastCrawl.
// - A CANCELLING crawl only finishes cancelling: it cannot succeed or fail any more, and a
//   second stop is rejected (the caller answers CrawlerStoppingException).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace wfsim::models::glue {

// CrawlState, CrawlerState and LastCrawlStatus, spelled as on the wire (fact sheet 3).
enum class CrawlState { RUNNING, CANCELLING, CANCELLED, SUCCEEDED, FAILED, ERROR };
enum class CrawlerState { READY, RUNNING, STOPPING };
enum class LastCrawlStatus { SUCCEEDED, CANCELLED, FAILED };

enum class CrawlEvent {
  targets_crawled,      // RUNNING -> SUCCEEDED: every target crawled, the catalog updated
  crawler_failed,       // RUNNING -> FAILED: the crawler hit an error on a target
  crawler_unavailable,  // RUNNING -> ERROR: the crawler was deleted or is already running
  stop_requested,       // RUNNING -> CANCELLING: StopCrawler or StopWorkflowRun
  stop_completed,       // CANCELLING -> CANCELLED
};

std::string_view to_string(CrawlState state);
std::string_view to_string(CrawlerState state);
std::string_view to_string(LastCrawlStatus status);
std::string_view to_string(CrawlEvent event);
std::optional<CrawlState> crawl_state_from_string(std::string_view text);
std::optional<CrawlerState> crawler_state_from_string(std::string_view text);
std::optional<LastCrawlStatus> last_crawl_status_from_string(std::string_view text);
// CANCELLED, SUCCEEDED, FAILED and ERROR.
bool is_terminal(CrawlState state);

// The crawler's State given the state of the crawl it last started, or of none when it has
// never crawled: RUNNING while that crawl runs, STOPPING while it is cancelled, else READY.
// StartCrawler needs READY (else CrawlerRunningException); StopCrawler needs RUNNING (READY:
// CrawlerNotRunningException, STOPPING: CrawlerStoppingException).
CrawlerState crawler_state(std::optional<CrawlState> current_crawl);
// LastCrawl.Status once a crawl the crawler ran has ended; std::nullopt while the crawl is
// still active, and for an ERROR crawl, which the crawler never ran.
std::optional<LastCrawlStatus> last_crawl_status(CrawlState state);

class CrawlLifecycle {
 public:
  // A crawl starts RUNNING: StartCrawler, the crawler's schedule, or a trigger action.
  CrawlLifecycle();
  ~CrawlLifecycle();
  CrawlLifecycle(CrawlLifecycle&&) noexcept;
  CrawlLifecycle& operator=(CrawlLifecycle&&) noexcept;

  CrawlState state() const;
  // Applies the event. Returns false, and changes nothing, when the current state has no
  // transition for it (the caller records the violation and answers with its error).
  bool fire(CrawlEvent event);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

}  // namespace wfsim::models::glue
