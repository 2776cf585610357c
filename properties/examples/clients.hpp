// Example client routines for check_client: for MWAA Serverless and for Glue, a correct
// "start exactly once, then wait for the end" client and three plausible buggy ones, with
// the specs that check them. tests/properties/examples_test.cpp runs them; the README shows
// how to write your own.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "properties/check_client.hpp"

namespace wfsim::properties::examples {

// The bugs of the buggy clients.
enum class Bug {
  none,
  retry_start_without_token,  // retries the start blindly; each retry is a new start
  timeout_means_not_started,  // reports a timed-out start as "not started" and gives up
  spin_on_capacity,           // retries at once on a capacity refusal
  // Glue: lets the SDK retry StartWorkflowRun; with no idempotency token, a retried lost
  // start makes a second run.
  start_through_sdk_retries,
};

// Workflow runs with three tasks (MWAA) or a three-job chain (Glue) of 20-120 s each.
// `busy`: the workflow allows one active run and the setup starts one that takes an hour,
// so the client meets the capacity refusal first.
CheckSpec mwaa_start_once_spec(Bug bug, bool busy, RetryPolicy retry = RetryPolicy::none());
CheckSpec glue_start_once_spec(Bug bug, bool busy, RetryPolicy retry = RetryPolicy::none());

// The routines themselves, for reading: `setup` holds {"WorkflowArn": ...} (MWAA) or
// {"Name": ...} (Glue).
RoutineResult mwaa_start_once_and_wait(Client& client, const nlohmann::json& setup, Bug bug);
RoutineResult glue_start_once_and_wait(Client& client, const nlohmann::json& setup, Bug bug);

// Calls until the answer is not one worth retrying: retryable errors and timeouts wait with
// capped exponential backoff (at least RetryAfterSeconds) and try again, for up to a day.
// For reads and for starts that carry an idempotency token.
ClientOutcome call_until_answered(Client& client, const std::string& operation,
                                  const nlohmann::json& request);

}  // namespace wfsim::properties::examples
