// Ready properties over the recorded history of a check (check_client.hpp). Each names the
// history step after which its violation shows, so a failure's scenario stops there.
#pragma once

#include <cstddef>
#include <vector>

#include "properties/check_client.hpp"

namespace wfsim::properties {

// No more runs than logical starts announced (Client::note_logical_start): idempotency
// tokens honoured, no blind retry of a start whose fate was unknown. Counts the runs the
// client's own attempts made; a duplicate delivery's second run is the network's doing.
ClientProperty at_most_one_run_per_logical_start();
// Every run the client's attempts made shows up in some response the client saw.
ClientProperty no_run_left_unobserved();
// The service never holds more than `cap` active runs after any attempt of the client.
ClientProperty active_runs_at_most(std::size_t cap);
// The client saw a terminal status of every run it made, and made at least one.
ClientProperty eventually_sees_terminal_state();
// After an error with RetryAfterSeconds N, the next attempt of that operation waits N s.
ClientProperty backoff_respects_retry_after();
// After throttling or a capacity refusal the next attempt comes at a later virtual time, and
// the client never exhausts the harness's call budget.
ClientProperty never_spins();
// The routine does not hand its caller an error that the SDK's standard mode would retry.
ClientProperty no_retryable_error_leaks();
// Must fail whenever any fault reaches the client: proves the harness can fail.
ClientProperty canary_no_fault_reaches_client();

// Every property above for "start exactly once, then wait for the end", except the canary.
std::vector<ClientProperty> start_once_and_wait_properties();

}  // namespace wfsim::properties
