#include "properties/client.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace wfsim::properties {
namespace {

// The SDKs' shared list of throttling codes (botocore's standard mode, the SRA spec), plus
// the concurrency refusals of these services, which are not throttling: they are below.
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException"};

constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};

constexpr std::array<int, 4> kTransientStatuses = {500, 502, 503, 504};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

// Members that the SDKs fill with a fresh UUID when the caller leaves them out, per
// service and operation (the fact sheets' idempotency tables).
std::optional<std::string_view> idempotency_member(std::string_view service,
                                                   std::string_view operation) {
  if (service == "mwaa-serverless" &&
      (operation == "StartWorkflowRun" || operation == "CreateWorkflow")) {
    return "ClientToken";
  }
  return std::nullopt;
}

}  // namespace

bool is_throttling_error(const models::AwsError& error) {
  return contains(kThrottlingCodes, error.code);
}

bool is_transport_error(const models::AwsError& error) { return error.http_status == 0; }

bool is_retryable_error(const models::AwsError& error) {
  if (is_transport_error(error) || is_throttling_error(error)) return true;
  if (contains(kTransientCodes, error.code)) return true;
  return std::find(kTransientStatuses.begin(), kTransientStatuses.end(), error.http_status) !=
         kTransientStatuses.end();
}

bool is_capacity_refusal(const models::AwsError& error) {
  return error.code == "ServiceQuotaExceededException" ||
         error.code == "ConcurrentRunsExceededException";
}

std::optional<std::int64_t> retry_after_seconds(const models::AwsError& error) {
  const auto found = error.fields.find("RetryAfterSeconds");
  if (found == error.fields.end() || !found->is_number_integer()) return std::nullopt;
  return found->get<std::int64_t>();
}

std::vector<const Attempt*> History::attempts() const {
  std::vector<const Attempt*> result;
  for (const Step& step : steps) {
    if (step.attempt) result.push_back(&*step.attempt);
  }
  return result;
}

Client::Client(World& world, std::string service, RetryPolicy policy, FaultSource* faults,
               History* history, ClientLimits limits)
    : world_(world),
      service_(std::move(service)),
      policy_(policy),
      faults_(faults),
      history_(history),
      limits_(limits),
      backoff_rng_(sim::RandomStreams(world.seed()).stream("client/" + service_ + "/backoff")),
      tokens_(sim::RandomStreams(world.seed()).stream("client/" + service_ + "/tokens")),
      quota_(policy.initial_quota) {}

ClientOutcome Client::call(std::string_view operation, nlohmann::json request) {
  return call_with(policy_, operation, std::move(request));
}

ClientOutcome Client::call_once(std::string_view operation, nlohmann::json request) {
  return call_with(RetryPolicy::none(), operation, std::move(request));
}

ClientOutcome Client::call_with(const RetryPolicy& policy, std::string_view operation,
                                nlohmann::json request) {
  fill_idempotency_token(operation, request);
  ++logical_calls_;
  ClientOutcome result;
  int retry_cost_taken = 0;
  for (int attempt_number = 1;; ++attempt_number) {
    result.attempts = attempt_number;
    result.outcome = attempt(operation, request, attempt_number).outcome;
    if (result.ok()) {
      if (policy.enabled) {
        quota_ = std::min(policy.initial_quota,
                          quota_ + (retry_cost_taken > 0 ? retry_cost_taken
                                                         : policy.no_retry_increment));
      }
      return result;
    }
    const std::optional<sim::DurationUs> delay =
        retry_delay(policy, result.error(), attempt_number);
    if (!delay) return result;
    retry_cost_taken = is_transport_error(result.error()) ? policy.timeout_retry_cost
                                                          : policy.retry_cost;
    quota_ -= retry_cost_taken;
    if (history_) history_->steps.push_back({std::nullopt, Sleep{now(), *delay, true}});
    world_.advance(*delay);
  }
}

// The wait before the next attempt, or nullopt when the policy does not retry this error.
std::optional<sim::DurationUs> Client::retry_delay(const RetryPolicy& policy,
                                                   const models::AwsError& error,
                                                   int attempt_number) {
  if (!policy.enabled || attempt_number >= policy.max_attempts) return std::nullopt;
  if (!is_retryable_error(error)) return std::nullopt;
  const int cost = is_transport_error(error) ? policy.timeout_retry_cost : policy.retry_cost;
  if (quota_ < cost) return std::nullopt;  // the quota is spent: fail fast, as the SDKs do
  // random(0, 1) in millionths, times base * 2^(retry - 1), capped.
  constexpr std::uint64_t kScale = 1'000'000;
  const std::uint64_t fraction = backoff_rng_.uniform(0, kScale);
  const sim::DurationUs ceiling =
      std::min(policy.max_backoff_us, policy.base_delay_us << std::min(attempt_number - 1, 20));
  // At most 20 s times 10^6: no overflow.
  sim::DurationUs delay =
      ceiling * static_cast<sim::DurationUs>(fraction) / static_cast<sim::DurationUs>(kScale);
  if (policy.honour_retry_after) {
    if (const auto after = retry_after_seconds(error))
      delay = std::max(delay, sim::seconds(*after));
  }
  return delay;
}

CallResult Client::attempt(std::string_view operation, const nlohmann::json& request,
                           int attempt_number) {
  count_attempt();
  const sim::TimeUs sent_at = now();
  sim::FaultDecision decision;
  CallResult result;
  if (faults_) {
    decision = faults_->next(service_, operation);
    result = world_.call_with_fault(service_, operation, request, decision);
  } else {
    result = world_.call(service_, operation, request);
    decision.kind = result.fault;
    decision.latency_us = result.latency_us;
  }
  if (history_) {
    Attempt record{sent_at,     service_,        std::string(operation), request, decision,
                   result.outcome, result.hidden_outcome, logical_calls_, attempt_number,
                   setup_mode_};
    history_->steps.push_back({std::move(record), std::nullopt});
  }
  if (after_attempt_) after_attempt_();
  return result;
}

void Client::count_attempt() {
  if (now() != instant_us_) {
    instant_us_ = now();
    attempts_this_instant_ = 0;
  }
  ++attempts_;
  ++attempts_this_instant_;
  if (attempts_ > limits_.max_attempts) {
    throw CallBudgetExceeded{"more than " + std::to_string(limits_.max_attempts) +
                             " attempts in all"};
  }
  if (attempts_this_instant_ > limits_.max_attempts_same_instant) {
    throw CallBudgetExceeded{"more than " + std::to_string(limits_.max_attempts_same_instant) +
                             " attempts without the virtual clock moving"};
  }
}

void Client::sleep(sim::DurationUs duration_us) {
  if (duration_us < 0) duration_us = 0;
  if (history_) history_->steps.push_back({std::nullopt, Sleep{now(), duration_us, false}});
  world_.advance(duration_us);
}

void Client::note_logical_start() {
  if (history_) ++history_->logical_starts;
}

void Client::fill_idempotency_token(std::string_view operation, nlohmann::json& request) {
  const auto member = idempotency_member(service_, operation);
  if (!member || !request.is_object() || request.contains(*member)) return;
  request[std::string(*member)] = tokens_.uuid4();
}

}  // namespace wfsim::properties
