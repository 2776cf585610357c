// Regressions pinned next to the sequence properties (sequence_property_test.cpp), each
// reduced to the few calls that show it.
#include <gtest/gtest.h>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

// A workflow "flow" and a trigger outside workflows, "solo-start", that both run `load` (a
// job) and `catalog` (a crawler); each test adds a CONDITIONAL trigger outside workflows that
// runs `report` when the watched one succeeds.
class GlueSequenceRegressions : public ::testing::Test {
 protected:
  void SetUp() override {
    world.job("load");
    world.job("report");
    world.crawler("catalog");
    world.workflow("flow");
    world.ok("CreateTrigger", {{"Name", "flow-start"},
                               {"WorkflowName", "flow"},
                               {"Type", "ON_DEMAND"},
                               {"Actions", {{{"JobName", "load"}}, {{"CrawlerName", "catalog"}}}}});
    world.ok("CreateTrigger", {{"Name", "solo-start"},
                               {"Type", "ON_DEMAND"},
                               {"Actions", {{{"JobName", "load"}}, {{"CrawlerName", "catalog"}}}}});
  }

  void watch(const json& condition) {
    world.ok("CreateTrigger", {{"Name", "solo-then"},
                               {"Type", "CONDITIONAL"},
                               {"StartOnCreation", true},
                               {"Predicate", {{"Conditions", json::array({condition})}}},
                               {"Actions", {{{"JobName", "report"}}}}});
    world.advance(sim::seconds(5));  // ACTIVATING -> ACTIVATED
  }

  std::size_t report_runs() {
    return world.ok("GetJobRuns", {{"JobName", "report"}})["JobRuns"].size();
  }

  GlueWorld world;
};

// 6.2 scope rule: a job run a workflow started fires only triggers inside that workflow, also
// after DeleteWorkflow has removed the run that started it.
TEST_F(GlueSequenceRegressions, JobRunOfADeletedWorkflowFiresNoTriggerOutsideWorkflows) {
  watch({{"LogicalOperator", "EQUALS"}, {"JobName", "load"}, {"State", "SUCCEEDED"}});
  world.start("flow");
  world.ok("DeleteWorkflow", {{"Name", "flow"}});
  world.advance(sim::minutes(5));
  const json load_runs = world.ok("GetJobRuns", {{"JobName", "load"}})["JobRuns"];
  ASSERT_EQ(load_runs.size(), 1u);
  EXPECT_EQ(load_runs[0]["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(report_runs(), 0u);
  // The trigger itself is live: a run the standalone trigger starts does fire it.
  world.ok("StartTrigger", {{"Name", "solo-start"}});
  world.advance(sim::minutes(5));
  EXPECT_EQ(report_runs(), 1u);
  world.expect_invariants();
}

TEST_F(GlueSequenceRegressions, CrawlOfADeletedWorkflowFiresNoTriggerOutsideWorkflows) {
  watch({{"LogicalOperator", "EQUALS"}, {"CrawlerName", "catalog"}, {"CrawlState", "SUCCEEDED"}});
  world.start("flow");
  world.ok("DeleteWorkflow", {{"Name", "flow"}});
  world.advance(sim::minutes(5));
  EXPECT_EQ(world.ok("GetCrawler", {{"Name", "catalog"}})["Crawler"]["LastCrawl"]["Status"],
            "SUCCEEDED");
  EXPECT_EQ(report_runs(), 0u);
  world.ok("StartTrigger", {{"Name", "solo-start"}});
  world.advance(sim::minutes(5));
  EXPECT_EQ(report_runs(), 1u);
  world.expect_invariants();
}

}  // namespace
}  // namespace wfsim::models::glue::testing
