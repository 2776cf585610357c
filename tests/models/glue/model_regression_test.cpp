// Regressions found by the model-based command set (properties/model_glue.hpp), each named
// after the behaviour it pins.
#include <gtest/gtest.h>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

// Two runs start and MaxConcurrentRuns is lowered to 1 in the same instant: the runs were
// admitted under the old cap, so glue.max-concurrent-runs must not report them.
TEST(GlueModelRegression, CapLoweredInTheInstantRunsStartedIsNoViolation) {
  GlueWorld world;
  world.job("extract", {{"ExecutionProperty", {{"MaxConcurrentRuns", 5}}}});
  world.workflow("flow");
  world.start_trigger("flow-start", "flow", {"extract"});
  world.start("flow");
  world.start("flow");
  world.ok("UpdateWorkflow", {{"Name", "flow"}, {"MaxConcurrentRuns", 1}});
  world.expect_invariants("after lowering the cap below the active runs");
  world.error("StartWorkflowRun", {{"Name", "flow"}}, "ConcurrentRunsExceededException");
}

}  // namespace
}  // namespace wfsim::models::glue::testing
