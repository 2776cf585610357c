// The MWAA Serverless command set against its reference model (properties/model_mwaa.hpp):
// random sequences of every operation, clock advances and injected faults must agree with the
// model, and a system that drops ClientToken must be caught.
#include "properties/model_mwaa.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <iostream>
#include <string>

#include "tests/properties/rc_failure.hpp"

namespace wfsim::properties::mwaa_model {
namespace {

constexpr int kSteps = 60;  // commands per sequence at most (+1)

RC_GTEST_PROP(MwaaModel, CommandSequencesAgreeWithTheReferenceModel, ()) {
  Options options;
  options.seed = *rc::gen::inRange<std::uint64_t>(1, 1000);
  check_command_sequence(kSteps, options);
}

// The canary: with StartWorkflowRun's ClientToken stripped, a retry makes a second run, and
// the model's idempotency check must fail the property.
TEST(MwaaModel, CatchesASystemThatIgnoresClientTokens) {
  Options options;
  options.strip_client_tokens = true;
  const std::string failure =
      rc_testing::rapidcheck_failure([&] { check_command_sequence(kSteps, options); });
  // The idempotency check, not any other, must be what fails.
  EXPECT_NE(failure.find("must answer the first response"), std::string::npos) << failure;
}

// The checks are only as good as the cases the sequences reach: every answer the properties
// are about must come up under the fixed seed.
TEST(MwaaModel, SequencesReachTheCasesTheChecksAreAbout) {
  Coverage coverage;
  const bool passed =
      rc::check("coverage run", [&] { check_command_sequence(kSteps, Options{}, &coverage); });
  EXPECT_TRUE(passed);
  for (const auto& [answer, count] : coverage) std::cout << answer << " " << count << "\n";
  for (const char* answer :
       {"StartWorkflowRun:OK", "StartWorkflowRun:ValidationException",
        "StartWorkflowRun:ServiceQuotaExceededException", "StartWorkflowRun:ConflictException",
        "StopWorkflowRun:OK", "CreateWorkflow:OK", "DeleteWorkflow:OK",
        "UpdateWorkflow:ServiceQuotaExceededException", "GetTaskInstance:OK", "fault:timeout_after",
        "fault:lost_response", "fault:duplicate", "AdvanceClock"}) {
    EXPECT_GT(coverage[answer], 0u) << answer;
  }
}

}  // namespace
}  // namespace wfsim::properties::mwaa_model
