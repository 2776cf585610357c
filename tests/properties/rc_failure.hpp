// The failure RapidCheck reports for a property expected to fail, so that a canary test can
// check *which* check failed: rc::check answers only whether something did.
#pragma once

#include <rapidcheck.h>

#include <string>
#include <utility>

namespace wfsim::properties::rc_testing {

// The failure's description (the RC_FAIL message, with where it was raised); empty when the
// property held. A property that gave up or hit an error answers with that text instead.
template <class Testable>
std::string rapidcheck_failure(Testable&& testable) {
  rc::detail::TestMetadata metadata;
  metadata.id = "expected failure";
  metadata.description = "expected failure";
  const rc::detail::TestResult result =
      rc::detail::checkTestable(std::forward<Testable>(testable), metadata);
  rc::detail::FailureResult failure;
  if (result.match(failure)) return failure.description;
  rc::detail::GaveUpResult gave_up;
  if (result.match(gave_up)) return "gave up: " + gave_up.description;
  rc::detail::Error error;
  if (result.match(error)) return "error: " + error.description;
  return "";
}

}  // namespace wfsim::properties::rc_testing
