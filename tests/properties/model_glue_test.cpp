// The Glue run-related command set against its reference model (properties/model_glue.hpp):
// random sequences of workflow, run, trigger and job-run operations, clock advances and
// injected faults must agree with the model, and a system that fakes ResumeWorkflowRun must be
// caught.
#include "properties/model_glue.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <iostream>
#include <string>

#include "tests/properties/rc_failure.hpp"

namespace wfsim::properties::glue_model {
namespace {

constexpr int kSteps = 60;  // commands per sequence at most (+1)

RC_GTEST_PROP(GlueModel, CommandSequencesAgreeWithTheReferenceModel, ()) {
  Options options;
  options.seed = *rc::gen::inRange<std::uint64_t>(1, 1000);
  check_command_sequence(kSteps, options);
}

// The canary: a system that answers ResumeWorkflowRun with a fresh run (no PreviousRunId, no
// NodeIds, and whatever the original run's status) must fail the model's resume checks.
TEST(GlueModel, CatchesASystemThatFakesResumeWithAFreshStart) {
  Options options;
  options.resume_as_fresh_start = true;
  const std::string failure =
      rc_testing::rapidcheck_failure([&] { check_command_sequence(kSteps, options); });
  // A resume check, not any other, must be what fails.
  EXPECT_NE(failure.find("ResumeWorkflowRun("), std::string::npos) << failure;
}

// The checks are only as good as the cases the sequences reach: every answer the properties
// are about must come up under the fixed seed.
TEST(GlueModel, SequencesReachTheCasesTheChecksAreAbout) {
  Coverage coverage;
  const bool passed =
      rc::check("coverage run", [&] { check_command_sequence(kSteps, Options{}, &coverage); });
  EXPECT_TRUE(passed);
  for (const auto& [answer, count] : coverage) std::cout << answer << " " << count << "\n";
  for (const char* answer :
       {"StartWorkflowRun:OK", "StartWorkflowRun:InvalidInputException",
        "StartWorkflowRun:ConcurrentRunsExceededException", "StopWorkflowRun:OK",
        "StopWorkflowRun:IllegalWorkflowStateException", "ResumeWorkflowRun:OK",
        "ResumeWorkflowRun:IllegalWorkflowStateException", "StartTrigger:OK", "StopTrigger:OK",
        "StartJobRun:ConcurrentRunsExceededException", "BatchStopJobRun:OK",
        "PutWorkflowRunProperties:OK", "fault:timeout_after", "fault:lost_response",
        "fault:duplicate", "AdvanceClock"}) {
    EXPECT_GT(coverage[answer], 0u) << answer;
  }
}

}  // namespace
}  // namespace wfsim::properties::glue_model
