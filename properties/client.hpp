// The in-process client: what user C++ code calls in place of an AWS SDK client. Every call
// goes through the world's fault layer, so the code under test meets exactly what a real SDK
// meets (throttling, server errors, timeouts whose request was applied, lost responses,
// duplicates, latency), and every wait advances the virtual clock, never the real one.
//
//   Client client(world, "mwaa-serverless");                 // no SDK retries
//   Client sdk(world, "glue", RetryPolicy::standard());       // the AWS SDKs' standard mode
//   ClientOutcome out = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
//   client.sleep(sim::seconds(30));
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/error.hpp"
#include "models/world.hpp"
#include "sim/faults.hpp"
#include "sim/ids.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace wfsim::properties {

// The AWS SDKs' "standard" retry mode (the Smithy reference architecture, as botocore and
// the v3 JavaScript SDK implement it): at most `max_attempts` attempts; a retry waits
// random(0, 1) * 2^(retry - 1) * base, capped at max_backoff; each retry spends tokens from a
// retry quota (5, or 10 after a timeout), a success after retries gives them back and a
// first-attempt success adds one.
struct RetryPolicy {
  bool enabled = false;
  int max_attempts = 3;
  sim::DurationUs base_delay_us = sim::seconds(1);
  sim::DurationUs max_backoff_us = sim::seconds(20);
  int initial_quota = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int no_retry_increment = 1;
  // A departure from the SDKs, on by default: a RetryAfterSeconds in the error is a floor
  // for the wait. The SDKs' standard mode ignores it, which would make every client that
  // leans on SDK retries break the "backoff respects RetryAfterSeconds" property.
  bool honour_retry_after = true;

  static RetryPolicy none() { return {}; }
  static RetryPolicy standard() {
    RetryPolicy policy;
    policy.enabled = true;
    return policy;
  }
};

// Error codes the standard mode treats as throttling, from the SDKs' shared list.
bool is_throttling_error(const models::AwsError& error);
// Transport failures: no HTTP response at all (a lost response, a timeout on the wire).
bool is_transport_error(const models::AwsError& error);
// What the standard mode retries: throttling, transient codes, HTTP 500/502/503/504 and
// transport failures.
bool is_retryable_error(const models::AwsError& error);
// The refusals that say "not now, you are at a limit": MWAA Serverless's
// ServiceQuotaExceededException and Glue's ConcurrentRunsExceededException. The SDKs do not
// retry them; retrying at once cannot succeed.
bool is_capacity_refusal(const models::AwsError& error);
// RetryAfterSeconds from the error body, when the service sent one.
std::optional<std::int64_t> retry_after_seconds(const models::AwsError& error);

// Where the fault decision of each attempt comes from when it is not the world's plan.
class FaultSource {
 public:
  virtual ~FaultSource() = default;
  virtual sim::FaultDecision next(std::string_view service, std::string_view operation) = 0;
};

// One attempt as it happened: what was sent, which fault it met, what the client saw, and
// what the service really answered when the client could not see it.
struct Attempt {
  sim::TimeUs sent_at_us = 0;
  std::string service;
  std::string operation;
  nlohmann::json request;
  sim::FaultDecision fault;
  models::JsonOutcome seen = models::JsonOutcome(nlohmann::json::object());
  std::optional<models::JsonOutcome> hidden;  // timeout_after, lost_response, duplicate
  std::size_t logical_call = 0;  // attempts of one client call (SDK retries) share it
  int attempt_number = 1;        // 1 for the first attempt of a client call
  bool setup = false;            // made by the harness's setup, not by the code under test
};

// A wait of the code under test (a sleep or an SDK backoff).
struct Sleep {
  sim::TimeUs from_us = 0;
  sim::DurationUs duration_us = 0;
  bool backoff = false;  // an SDK retry's wait rather than the caller's own
};

// Everything a client did, in order. Steps are attempts and sleeps.
struct History {
  struct Step {
    std::optional<Attempt> attempt;
    std::optional<Sleep> sleep;
  };
  std::vector<Step> steps;
  std::size_t logical_starts = 0;  // how many logical starts the code under test announced

  std::vector<const Attempt*> attempts() const;
};

struct ClientOutcome {
  models::JsonOutcome outcome = models::JsonOutcome(nlohmann::json::object());
  int attempts = 1;

  bool ok() const { return outcome.ok(); }
  const nlohmann::json& value() const { return outcome.value(); }
  const models::AwsError& error() const { return outcome.error(); }
  // No response arrived: the request may or may not have been applied.
  bool transport_error() const { return !ok() && is_transport_error(error()); }
};

// Thrown by Client when the code under test exceeds the harness's call budget: a client
// that never stops calling cannot be checked any further.
struct CallBudgetExceeded {
  std::string reason;
};

struct ClientLimits {
  std::size_t max_attempts = 2000;              // in all
  std::size_t max_attempts_same_instant = 200;  // without the clock moving
};

class Client {
 public:
  // `faults` null: each attempt's fault comes from the world's fault plan. `history` null:
  // nothing is recorded.
  Client(World& world, std::string service, RetryPolicy policy = RetryPolicy::none(),
         FaultSource* faults = nullptr, History* history = nullptr, ClientLimits limits = {});

  // One client call: the request as on the wire. Missing idempotency tokens are filled
  // the way the SDKs fill them (one token per client call, kept across its retries).
  ClientOutcome call(std::string_view operation, nlohmann::json request);
  // One attempt whatever the retry policy: what a second SDK client configured with
  // max_attempts = 1 gives, for calls that must not be repeated blindly (Glue's
  // StartWorkflowRun has no idempotency token, so a retried lost start makes two runs).
  ClientOutcome call_once(std::string_view operation, nlohmann::json request);
  // Waits: advances the virtual clock (timers due on the way fire).
  void sleep(sim::DurationUs duration_us);
  sim::TimeUs now() const { return world_.now(); }

  // The code under test announces one logical start ("start this workflow once"); the
  // at-most-one-run property compares the runs made with the starts announced.
  void note_logical_start();
  // A token the caller can use as ClientToken or as a marker, deterministic by seed.
  std::string new_token() { return tokens_.uuid4(); }

  const std::string& service() const { return service_; }
  World& world() { return world_; }
  int retry_quota() const { return quota_; }
  // Marks the attempts made from now on as the harness's setup.
  void set_setup_mode(bool setup) { setup_mode_ = setup; }
  // Called after every attempt, once it is in the history (the harness samples the service).
  void set_after_attempt(std::function<void()> hook) { after_attempt_ = std::move(hook); }

 private:
  ClientOutcome call_with(const RetryPolicy& policy, std::string_view operation,
                          nlohmann::json request);
  CallResult attempt(std::string_view operation, const nlohmann::json& request,
                     int attempt_number);
  std::optional<sim::DurationUs> retry_delay(const RetryPolicy& policy,
                                             const models::AwsError& error, int attempt_number);
  void count_attempt();
  void fill_idempotency_token(std::string_view operation, nlohmann::json& request);

  World& world_;
  std::string service_;
  RetryPolicy policy_;
  FaultSource* faults_;
  History* history_;
  ClientLimits limits_;
  sim::Rng backoff_rng_;
  sim::IdGenerator tokens_;
  int quota_;
  std::size_t logical_calls_ = 0;
  std::size_t attempts_ = 0;
  std::size_t attempts_this_instant_ = 0;
  sim::TimeUs instant_us_ = -1;
  bool setup_mode_ = false;
  std::function<void()> after_attempt_;
};

}  // namespace wfsim::properties
