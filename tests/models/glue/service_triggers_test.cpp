// Glue trigger operations (triggers.cpp; fact sheet 5, 5.1, 6.2, 6.11, rules 9.9, 9.10,
// 9.21): validation and every listed error of CreateTrigger, UpdateTrigger, GetTrigger,
// GetTriggers, ListTriggers, BatchGetTriggers, DeleteTrigger, StartTrigger, StopTrigger and
// the simulator's NotifyEvent; trigger states and transients; schedules firing under the
// virtual clock; event batches by size and by window; triggers outside workflows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

constexpr sim::DurationUs kTransition = sim::seconds(1);  // Timings::trigger_transition

json trigger_of(GlueWorld& world, const std::string& name) {
  return world.ok("GetTrigger", {{"Name", name}})["Trigger"];
}

std::string state_of(GlueWorld& world, const std::string& name) {
  return trigger_of(world, name).value("State", "");
}

json job_action(const std::string& job) { return json::array({{{"JobName", job}}}); }

json job_condition(const std::string& job, const std::string& state) {
  return {{"LogicalOperator", "EQUALS"}, {"JobName", job}, {"State", state}};
}

json runs_of(GlueWorld& world, const std::string& workflow) {
  return world.ok("GetWorkflowRuns", {{"Name", workflow}})["Runs"];
}

json job_runs_of(GlueWorld& world, const std::string& job) {
  return world.ok("GetJobRuns", {{"JobName", job}})["JobRuns"];
}

// A workflow "w" whose EVENT start trigger "ev" is ACTIVATED.
void event_workflow(GlueWorld& world, const json& batching) {
  world.job("j");
  world.workflow("w");
  json request = {{"Name", "ev"},
                  {"WorkflowName", "w"},
                  {"Type", "EVENT"},
                  {"StartOnCreation", true},
                  {"Actions", job_action("j")}};
  if (!batching.is_null()) request["EventBatchingCondition"] = batching;
  world.ok("CreateTrigger", request);
  world.advance(2 * kTransition);
  ASSERT_EQ(state_of(world, "ev"), "ACTIVATED");
}

TEST(GlueTriggersTest, CreateTriggerRejectsEveryInvalidDefinition) {
  GlueWorld world;
  world.workflow("w");
  const json actions = job_action("j");
  const json two_conditions = {job_condition("a", "SUCCEEDED"), job_condition("b", "FAILED")};
  // Each request breaks one rule; the message names the member and the rule.
  const std::pair<json, std::string> bad_requests[] = {
      {{{"Type", "ON_DEMAND"}, {"Actions", actions}},
       "Value null at 'Name' failed to satisfy constraint: Member must not be null"},
      {{{"Name", "t"}, {"Actions", actions}},
       "Value null at 'Type' failed to satisfy constraint: Member must not be null"},
      {{{"Name", "t"}, {"Type", "SOMETIMES"}, {"Actions", actions}},
       "Value 'SOMETIMES' at 'Type' failed to satisfy constraint: Member must satisfy enum value "
       "set"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}},
       "Value null at 'Actions' failed to satisfy constraint: Member must not be null"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", json::array()}},
       "Actions must name at least one job or crawler"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {1}}},
       "Value 1 at 'Actions.1' failed to satisfy constraint: Member must be an object"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {json::object()}}},
       "Value null at 'Actions.1.JobName' failed to satisfy constraint: Exactly one of JobName and "
       "CrawlerName"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "j"}, {"CrawlerName", "c"}}}}},
       "Value 'c' at 'Actions.1.CrawlerName' failed to satisfy constraint: Member must not be "
       "given with JobName"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"JobName", "j"}, {"Timeout", 0}}}}},
       "Value 0 at 'Actions.1.Timeout' failed to satisfy constraint: Member must have value "
       "greater than or equal to 1"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "j"}, {"Timeout", 10080}}}}},
       "Value 10080 at 'Actions.1.Timeout' failed to satisfy constraint: Member must have value "
       "less than or equal to 10079"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "j"}, {"NotificationProperty", {{"NotifyDelayAfter", 0}}}}}}},
       "Value 0 at 'Actions.1.NotificationProperty.NotifyDelayAfter'"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "j"}, {"Arguments", {{"a", 1}}}}}}},
       "Value 1 at 'Actions.1.Arguments.a' failed to satisfy constraint: Member must be a string"},
      {{{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", actions}, {"StartOnCreation", true}},
       "StartOnCreation is not supported for ON_DEMAND triggers"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", actions},
        {"Schedule", "cron(0 * * * ? *)"}},
       "Schedule is only allowed for a SCHEDULED trigger, not ON_DEMAND"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", actions},
        {"Description", std::string(2049, 'd')}},
       "at 'Description' failed to satisfy constraint: Member must have length less than or equal "
       "to 2048"},
      {{{"Name", "t"}, {"Type", "SCHEDULED"}, {"Actions", actions}},
       "Schedule is required for a SCHEDULED trigger"},
      {{{"Name", "t"},
        {"Type", "SCHEDULED"},
        {"Actions", actions},
        {"Schedule", "rate(5 minutes)"}},
       "Schedule must be a cron(...) expression, got 'rate(5 minutes)'"},
      {{{"Name", "t"},
        {"Type", "SCHEDULED"},
        {"Actions", actions},
        {"Schedule", "cron(61 * * * ? *)"}},
       "Minutes field '61': value 61 is outside 0-59"},
      {{{"Name", "t"},
        {"Type", "SCHEDULED"},
        {"Actions", actions},
        {"Schedule", "cron(0 * * * ? *)"},
        {"Predicate", {{"Conditions", {job_condition("a", "SUCCEEDED")}}}}},
       "Predicate is only allowed for a CONDITIONAL trigger, not SCHEDULED"},
      {{{"Name", "t"}, {"Type", "CONDITIONAL"}, {"Actions", actions}},
       "Predicate with at least one condition is required for a CONDITIONAL trigger"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Conditions", json::array()}}}},
       "Predicate with at least one condition is required for a CONDITIONAL trigger"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Conditions", two_conditions}}}},
       "Value null at 'Predicate.Logical' failed to satisfy constraint: Member must not be null "
       "when there is more than one condition"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Logical", "XOR"}, {"Conditions", two_conditions}}}},
       "Value 'XOR' at 'Predicate.Logical' failed to satisfy constraint: Member must satisfy enum "
       "value set: [AND, ANY]"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Conditions", {{{"JobName", "a"}}}}}}},
       "Value null at 'Predicate.Conditions.1.State' failed to satisfy constraint: A job condition "
       "needs both JobName and State"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Conditions", {{{"JobName", "a"}, {"State", "DONE"}}}}}}},
       "Value 'DONE' at 'Predicate.Conditions.1.State' failed to satisfy constraint: Member must "
       "satisfy enum value set"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate", {{"Conditions", {{{"CrawlerName", "c"}, {"State", "SUCCEEDED"}}}}}}},
       "Value 'c' at 'Predicate.Conditions.1.CrawlerName' failed to satisfy constraint: Member "
       "must not be given with JobName or State"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate",
         {{"Conditions",
           {{{"JobName", "a"}, {"State", "SUCCEEDED"}, {"CrawlState", "SUCCEEDED"}}}}}}},
       "Value 'SUCCEEDED' at 'Predicate.Conditions.1.CrawlState' failed to satisfy constraint: "
       "Member must not be given with JobName or State"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate",
         {{"Conditions",
           {{{"JobName", "a"}, {"State", "SUCCEEDED"}, {"LogicalOperator", "NOT_EQUALS"}}}}}}},
       "Value 'NOT_EQUALS' at 'Predicate.Conditions.1.LogicalOperator' failed to satisfy "
       "constraint: Member must satisfy enum value set: [EQUALS]"},
      {{{"Name", "t"}, {"Type", "EVENT"}, {"Actions", actions}},
       "An EVENT trigger must belong to a workflow: WorkflowName is required"},
      {{{"Name", "t"},
        {"Type", "EVENT"},
        {"WorkflowName", "w"},
        {"Actions", actions},
        {"EventBatchingCondition", {{"BatchSize", 0}}}},
       "Value 0 at 'EventBatchingCondition.BatchSize' failed to satisfy constraint: Member must "
       "have value greater than or equal to 1"},
      {{{"Name", "t"},
        {"Type", "EVENT"},
        {"WorkflowName", "w"},
        {"Actions", actions},
        {"EventBatchingCondition", {{"BatchSize", 101}}}},
       "Value 101 at 'EventBatchingCondition.BatchSize' failed to satisfy constraint: Member must "
       "have value less than or equal to 100"},
      {{{"Name", "t"},
        {"Type", "EVENT"},
        {"WorkflowName", "w"},
        {"Actions", actions},
        {"EventBatchingCondition", {{"BatchSize", 5}, {"BatchWindow", 901}}}},
       "Value 901 at 'EventBatchingCondition.BatchWindow' failed to satisfy constraint: Member "
       "must have value less than or equal to 900"},
      {{{"Name", "t"},
        {"Type", "EVENT"},
        {"WorkflowName", "w"},
        {"Actions", actions},
        {"EventBatchingCondition", {{"BatchWindow", 60}}}},
       "Value null at 'EventBatchingCondition.BatchSize' failed to satisfy constraint: Member must "
       "not be null"},
      {{{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", actions},
        {"EventBatchingCondition", {{"BatchSize", 1}}}},
       "EventBatchingCondition is only allowed for an EVENT trigger, not ON_DEMAND"},
      {{{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Actions", actions},
        {"Predicate",
         {{"Logical", "ANY"},
          {"Conditions", json(std::vector<json>(501, job_condition("a", "SUCCEEDED")))}}}},
       "at 'Predicate.Conditions' failed to satisfy constraint: Member must have length less than "
       "or equal to 500"},
  };
  for (const auto& [request, rule] : bad_requests) {
    const AwsError error = world.error("CreateTrigger", request, "InvalidInputException");
    EXPECT_NE(error.message.find(rule), std::string::npos)
        << "expected '" << rule << "' in: " << error.message;
  }
  EXPECT_TRUE(world.ok("ListTriggers", json::object())["TriggerNames"].empty());
}

TEST(GlueTriggersTest, CreateTriggerAcceptsEachType) {
  GlueWorld world;
  world.workflow("w");
  world.workflow("v");
  world.ok("CreateTrigger", {{"Name", "od"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.ok("CreateTrigger", {{"Name", "sc"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(15 12 * * ? *)"},
                             {"Actions", {{{"CrawlerName", "c1"}}, {{"CrawlerName", "c2"}}}}});
  world.ok(
      "CreateTrigger",
      {{"Name", "co"},
       {"Type", "CONDITIONAL"},
       {"WorkflowName", "w"},
       {"Predicate",
        {{"Logical", "ANY"},
         {"Conditions",
          {job_condition("a", "FAILED"), {{"CrawlerName", "c"}, {"CrawlState", "SUCCEEDED"}}}}}},
       {"Actions", job_action("j")}});
  world.ok(
      "CreateTrigger",
      {{"Name", "ev"}, {"Type", "EVENT"}, {"WorkflowName", "v"}, {"Actions", job_action("j")}});
  EXPECT_EQ(world.ok("ListTriggers", json::object())["TriggerNames"],
            json({"co", "ev", "od", "sc"}));
}

TEST(GlueTriggersTest, CreateTriggerErrors) {
  GlueWorld world(json{{"quotas", {{"triggers", 3}, {"jobs_per_trigger", 2}}}});
  world.workflow("w");
  world.start_trigger("start", "w", {"j"});
  world.error("CreateTrigger",
              {{"Name", "start"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}},
              "AlreadyExistsException");
  world.error("CreateTrigger",
              {{"Name", "t"},
               {"Type", "ON_DEMAND"},
               {"WorkflowName", "nope"},
               {"Actions", job_action("j")}},
              "EntityNotFoundException");
  // Rule 9.21: one start trigger per workflow, whatever its type.
  world.error(
      "CreateTrigger",
      {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"WorkflowName", "w"}, {"Actions", job_action("j")}},
      "InvalidInputException");
  world.error("CreateTrigger",
              {{"Name", "t"},
               {"Type", "SCHEDULED"},
               {"WorkflowName", "w"},
               {"Schedule", "cron(0 * * * ? *)"},
               {"Actions", job_action("j")}},
              "InvalidInputException");
  world.error(
      "CreateTrigger",
      {{"Name", "t"}, {"Type", "EVENT"}, {"WorkflowName", "w"}, {"Actions", job_action("j")}},
      "InvalidInputException");
  // Jobs and crawlers count against their own quotas (2 each here).
  EXPECT_EQ(world
                .error("CreateTrigger",
                       {{"Name", "t"},
                        {"Type", "ON_DEMAND"},
                        {"Actions", {{{"JobName", "a"}}, {{"JobName", "b"}}, {{"JobName", "c"}}}}},
                       "ResourceNumberLimitExceededException")
                .message,
            "A trigger can start at most 2 jobs, got 3");
  EXPECT_EQ(world
                .error("CreateTrigger",
                       {{"Name", "t"},
                        {"Type", "ON_DEMAND"},
                        {"Actions",
                         {{{"CrawlerName", "a"}}, {{"CrawlerName", "b"}}, {{"CrawlerName", "c"}}}}},
                       "ResourceNumberLimitExceededException")
                .message,
            "A trigger can start at most 2 crawlers, got 3");
  world.conditional("c1", "w", "j", "SUCCEEDED", "k");
  world.ok("CreateTrigger", {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.error("CreateTrigger", {{"Name", "u"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}},
              "ResourceNumberLimitExceededException");
  EXPECT_EQ(world.ok("ListTriggers", json::object())["TriggerNames"], json({"c1", "start", "t"}));
}

TEST(GlueTriggersTest, GetTriggerShowsTheWholeDefinition) {
  GlueWorld world;
  world.workflow("w");
  world.ok("CreateTrigger",
           {{"Name", "t"},
            {"WorkflowName", "w"},
            {"Type", "CONDITIONAL"},
            {"Description", "then"},
            {"Predicate",
             {{"Logical", "AND"},
              {"Conditions", {job_condition("a", "SUCCEEDED"), job_condition("b", "TIMEOUT")}}}},
            {"Actions",
             {{{"JobName", "j"},
               {"Arguments", {{"--x", "1"}}},
               {"Timeout", 30},
               {"SecurityConfiguration", "sec"},
               {"NotificationProperty", {{"NotifyDelayAfter", 5}}}},
              {{"CrawlerName", "c"}}}}});
  const json trigger = trigger_of(world, "t");
  EXPECT_EQ(trigger["Name"], "t");
  EXPECT_EQ(trigger["WorkflowName"], "w");
  EXPECT_EQ(trigger["Type"], "CONDITIONAL");
  EXPECT_EQ(trigger["State"], "CREATING");
  EXPECT_EQ(trigger["Description"], "then");
  EXPECT_EQ(trigger["Id"].get<std::string>().rfind("tr_", 0), 0u);
  EXPECT_EQ(trigger["Predicate"]["Logical"], "AND");
  EXPECT_EQ(trigger["Predicate"]["Conditions"][1], job_condition("b", "TIMEOUT"));
  EXPECT_EQ(trigger["Actions"][0], json({{"JobName", "j"},
                                         {"Arguments", {{"--x", "1"}}},
                                         {"Timeout", 30},
                                         {"SecurityConfiguration", "sec"},
                                         {"NotificationProperty", {{"NotifyDelayAfter", 5}}}}));
  EXPECT_EQ(trigger["Actions"][1], json({{"CrawlerName", "c"}}));
  EXPECT_FALSE(trigger.contains("Schedule"));
  world.error("GetTrigger", {{"Name", "nope"}}, "EntityNotFoundException");
  world.error("GetTrigger", json::object(), "InvalidInputException");
}

TEST(GlueTriggersTest, CreationPassesThroughCreatingAndStartOnCreationActivates) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "od"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.ok("CreateTrigger", {{"Name", "sc"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 0 * * ? *)"},
                             {"StartOnCreation", true},
                             {"Actions", job_action("j")}});
  EXPECT_EQ(state_of(world, "od"), "CREATING");
  EXPECT_EQ(state_of(world, "sc"), "CREATING");
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "od"), "CREATED");
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATING");
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "od"), "CREATED");
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATED");
  world.expect_invariants();
}

TEST(GlueTriggersTest, StartAndStopTriggerWalkTheStates) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "sc"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 0 * * ? *)"},
                             {"Actions", job_action("j")}});
  world.error("StartTrigger", {{"Name", "sc"}}, "InvalidInputException");  // still CREATING
  world.advance(kTransition);
  world.error("StopTrigger", {{"Name", "sc"}}, "InvalidInputException");  // never activated
  EXPECT_EQ(world.ok("StartTrigger", {{"Name", "sc"}}), json({{"Name", "sc"}}));
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATING");
  world.error("StopTrigger", {{"Name", "sc"}}, "ConcurrentModificationException");
  world.ok("StartTrigger", {{"Name", "sc"}});
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATED");
  world.ok("StartTrigger", {{"Name", "sc"}});
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATED");
  EXPECT_EQ(world.ok("StopTrigger", {{"Name", "sc"}}), json({{"Name", "sc"}}));
  EXPECT_EQ(state_of(world, "sc"), "DEACTIVATING");
  world.ok("StopTrigger", {{"Name", "sc"}});
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "sc"), "DEACTIVATED");
  world.ok("StartTrigger", {{"Name", "sc"}});
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATED");
  world.error("StartTrigger", {{"Name", "nope"}}, "EntityNotFoundException");
  world.error("StopTrigger", {{"Name", "nope"}}, "EntityNotFoundException");
  world.error("StartTrigger", json::object(), "InvalidInputException");
  world.error("StopTrigger", {{"Name", ""}}, "InvalidInputException");
  world.expect_invariants();
}

TEST(GlueTriggersTest, UpdateTriggerReplacesTheDefinitionThroughUpdating) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "sc"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 0 * * ? *)"},
                             {"Description", "old"},
                             {"StartOnCreation", true},
                             {"Actions", job_action("a")}});
  world.error(
      "UpdateTrigger",
      {{"Name", "sc"},
       {"TriggerUpdate", {{"Schedule", "cron(0 1 * * ? *)"}, {"Actions", job_action("b")}}}},
      "ConcurrentModificationException");
  world.advance(2 * kTransition);
  const json updated = world.ok("UpdateTrigger", {{"Name", "sc"},
                                                  {"TriggerUpdate",
                                                   {{"Name", "sc"},
                                                    {"Schedule", "cron(0 1 * * ? *)"},
                                                    {"Actions", job_action("b")}}}})["Trigger"];
  EXPECT_EQ(updated["State"], "UPDATING");
  EXPECT_EQ(updated["Type"], "SCHEDULED");
  EXPECT_EQ(updated["Schedule"], "cron(0 1 * * ? *)");
  EXPECT_EQ(updated["Actions"], job_action("b"));
  EXPECT_FALSE(updated.contains("Description"));  // replaced wholesale
  world.advance(kTransition);
  EXPECT_EQ(state_of(world, "sc"), "ACTIVATED");
  EXPECT_EQ(trigger_of(world, "sc")["Schedule"], "cron(0 1 * * ? *)");
  world.expect_invariants();
}

TEST(GlueTriggersTest, UpdateTriggerErrors) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "sc"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 0 * * ? *)"},
                             {"Actions", job_action("a")}});
  world.advance(kTransition);
  const json schedule_update = {{"Schedule", "cron(0 1 * * ? *)"}, {"Actions", job_action("b")}};
  world.error("UpdateTrigger", {{"Name", "nope"}, {"TriggerUpdate", schedule_update}},
              "EntityNotFoundException");
  world.error("UpdateTrigger", {{"Name", "sc"}}, "InvalidInputException");
  world.error("UpdateTrigger", {{"Name", "sc"}, {"TriggerUpdate", {{"Actions", job_action("b")}}}},
              "InvalidInputException");  // a SCHEDULED trigger needs its Schedule
  world.error("UpdateTrigger",
              {{"Name", "sc"}, {"TriggerUpdate", {{"Schedule", "cron(0 1 * * ? *)"}}}},
              "InvalidInputException");  // and at least one action
  json renamed = schedule_update;
  renamed["Name"] = "other";
  world.error("UpdateTrigger", {{"Name", "sc"}, {"TriggerUpdate", renamed}},
              "InvalidInputException");
  json too_many = schedule_update;
  too_many["Actions"] = {{{"CrawlerName", "a"}}, {{"CrawlerName", "b"}}, {{"CrawlerName", "c"}}};
  world.error("UpdateTrigger", {{"Name", "sc"}, {"TriggerUpdate", too_many}},
              "InvalidInputException");
  EXPECT_EQ(trigger_of(world, "sc")["Schedule"], "cron(0 0 * * ? *)");
  EXPECT_EQ(state_of(world, "sc"), "CREATED");
}

TEST(GlueTriggersTest, DeleteTriggerShowsDeletingThenIsGone) {
  GlueWorld world;
  EXPECT_EQ(world.ok("DeleteTrigger", {{"Name", "never-was"}}), json({{"Name", "never-was"}}));
  world.error("DeleteTrigger", json::object(), "InvalidInputException");
  world.ok("CreateTrigger", {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.error("DeleteTrigger", {{"Name", "t"}}, "ConcurrentModificationException");  // CREATING
  world.advance(kTransition);
  EXPECT_EQ(world.ok("DeleteTrigger", {{"Name", "t"}}), json({{"Name", "t"}}));
  EXPECT_EQ(state_of(world, "t"), "DELETING");
  world.ok("DeleteTrigger", {{"Name", "t"}});
  world.error("StartTrigger", {{"Name", "t"}}, "InvalidInputException");
  world.advance(kTransition);
  world.error("GetTrigger", {{"Name", "t"}}, "EntityNotFoundException");
  world.ok("CreateTrigger", {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.expect_invariants();
}

// The documented quirk: when no trigger can start the job, every trigger is returned.
TEST(GlueTriggersTest, DependentJobNameFallsBackToEveryTrigger) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "t1"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j1")}});
  world.ok("CreateTrigger", {{"Name", "t2"},
                             {"Type", "ON_DEMAND"},
                             {"Actions", {{{"CrawlerName", "c"}}, {{"JobName", "j2"}}}}});
  world.ok("CreateTrigger", {{"Name", "t3"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j2")}});
  EXPECT_EQ(world.ok("ListTriggers", {{"DependentJobName", "j2"}})["TriggerNames"],
            json({"t2", "t3"}));
  EXPECT_EQ(world.ok("ListTriggers", {{"DependentJobName", "j9"}})["TriggerNames"],
            json({"t1", "t2", "t3"}));
  const json triggers = world.ok("GetTriggers", {{"DependentJobName", "j1"}})["Triggers"];
  ASSERT_EQ(triggers.size(), 1u);
  EXPECT_EQ(triggers[0]["Name"], "t1");
  EXPECT_EQ(world.ok("GetTriggers", {{"DependentJobName", "j9"}})["Triggers"].size(), 3u);
}

TEST(GlueTriggersTest, GetAndListTriggersPageAndFilterByTags) {
  GlueWorld world;
  for (const char* name : {"c", "a", "b"}) {
    world.ok("CreateTrigger", {{"Name", name},
                               {"Type", "ON_DEMAND"},
                               {"Actions", job_action("j")},
                               {"Tags", {{"team", std::string(name) == "b" ? "x" : "y"}}}});
  }
  const json first = world.ok("GetTriggers", {{"MaxResults", 2}});
  ASSERT_EQ(first["Triggers"].size(), 2u);
  EXPECT_EQ(first["Triggers"][1]["Name"], "b");
  const json second =
      world.ok("GetTriggers", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["Triggers"].size(), 1u);
  EXPECT_EQ(second["Triggers"][0]["Name"], "c");
  EXPECT_FALSE(second.contains("NextToken"));
  // A GetTriggers token does not page ListTriggers.
  world.error("ListTriggers", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}},
              "InvalidInputException");
  EXPECT_EQ(world.ok("ListTriggers", {{"Tags", {{"team", "y"}}}})["TriggerNames"],
            json({"a", "c"}));
  const json tagged = world.ok("ListTriggers", {{"Tags", {{"team", "y"}}}, {"MaxResults", 1}});
  EXPECT_EQ(tagged["TriggerNames"], json({"a"}));
  EXPECT_EQ(world.ok("ListTriggers", {{"Tags", {{"team", "y"}}},
                                      {"NextToken", tagged["NextToken"]}})["TriggerNames"],
            json({"c"}));
  world.error("GetTriggers", {{"MaxResults", 0}}, "InvalidInputException");
  world.error("ListTriggers", {{"MaxResults", 201}}, "InvalidInputException");
  world.error("GetTriggers", {{"NextToken", "forged"}}, "InvalidInputException");
  world.error("GetTriggers", {{"DependentJobName", ""}}, "InvalidInputException");
}

TEST(GlueTriggersTest, BatchGetTriggersSplitsFoundAndNotFound) {
  GlueWorld world;
  world.ok("CreateTrigger", {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  const json response = world.ok("BatchGetTriggers", {{"TriggerNames", {"nope", "t"}}});
  ASSERT_EQ(response["Triggers"].size(), 1u);
  EXPECT_EQ(response["Triggers"][0]["Name"], "t");
  EXPECT_EQ(response["TriggersNotFound"], json({"nope"}));
  world.error("BatchGetTriggers", json::object(), "InvalidInputException");
  world.error("BatchGetTriggers", {{"TriggerNames", {""}}}, "InvalidInputException");
}

// Nothing a caller sends may crash or surface as a 500: wrong JSON types anywhere.
TEST(GlueTriggersTest, MalformedRequestsAreInvalidInputNeverInternalErrors) {
  GlueWorld world;
  world.workflow("w");
  world.ok("CreateTrigger", {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  const json shapes[] = {
      json::array({1}),
      json::object({{"Name", json::array()}}),
      {{"Name", "x"}, {"Type", "CONDITIONAL"}, {"Actions", {{"a", 1}}}},
      {{"Name", "x"}, {"Type", "CONDITIONAL"}, {"Actions", {nullptr, 3, json::array()}}},
      {{"Name", "x"}, {"Type", "CONDITIONAL"}, {"Actions", job_action("j")}, {"Predicate", {1, 2}}},
      {{"Name", "x"},
       {"Type", "CONDITIONAL"},
       {"Actions", job_action("j")},
       {"Predicate", {{"Conditions", {nullptr, 3, {{"JobName", json::array()}}}}}}},
      {{"Name", "x"},
       {"Type", "ON_DEMAND"},
       {"Actions", {{{"JobName", "j"}, {"NotificationProperty", "soon"}}}}},
      {{"Name", "x"},
       {"Type", "EVENT"},
       {"WorkflowName", "w"},
       {"Actions", job_action("j")},
       {"EventBatchingCondition", "x"}},
      {{"Name", "t"}, {"TriggerUpdate", 5}},
      {{"Name", "t"}, {"TriggerUpdate", {{"Actions", {json::array()}}, {"Predicate", 1}}}},
      {{"TriggerName", {{"a", 1}}}, {"Count", "many"}},
      {{"NextToken", 3}, {"MaxResults", 2.5}, {"Tags", {1, 2}}, {"DependentJobName", false}},
      {{"TriggerNames", {{{"a", 1}}}}},
  };
  for (const char* operation :
       {"CreateTrigger", "UpdateTrigger", "GetTrigger", "GetTriggers", "ListTriggers",
        "BatchGetTriggers", "DeleteTrigger", "StartTrigger", "StopTrigger", "NotifyEvent",
        "CreateWorkflow", "UpdateWorkflow", "GetWorkflow", "ListWorkflows", "BatchGetWorkflows",
        "DeleteWorkflow", "TagResource", "UntagResource", "GetTags"}) {
    for (const auto& request : shapes) {
      const auto outcome = world.call(operation, request);
      if (outcome.ok()) continue;
      EXPECT_NE(outcome.error().code, "InternalServiceException")
          << operation << " " << request.dump() << ": " << outcome.error().message;
    }
  }
  world.expect_invariants();
}

// ---------------------------------------------------------------------------------------
// Firing.

TEST(GlueTriggersTest, ScheduleStartsWorkflowRunsUnderTheVirtualClock) {
  GlueWorld world;
  world.job("j");
  world.workflow("w");
  world.ok("CreateTrigger", {{"Name", "hourly"},
                             {"WorkflowName", "w"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 * * * ? *)"},
                             {"StartOnCreation", true},
                             {"Actions", job_action("j")}});
  world.advance(sim::minutes(59));
  EXPECT_TRUE(runs_of(world, "w").empty());
  world.advance(sim::minutes(1));
  ASSERT_EQ(runs_of(world, "w").size(), 1u);
  world.advance(sim::hours(1));
  EXPECT_EQ(runs_of(world, "w").size(), 2u);
  world.ok("StopTrigger", {{"Name", "hourly"}});
  world.advance(sim::hours(3));
  EXPECT_EQ(runs_of(world, "w").size(), 2u);
  EXPECT_EQ(job_runs_of(world, "j").size(), 2u);
  world.expect_invariants();
}

TEST(GlueTriggersTest, ScheduleOverTheCapRecordsAnErrorRun) {  // rule 9.3
  GlueWorld world(nullptr, fixed_profiles(7200));
  world.job("j");
  world.workflow("w", {{"MaxConcurrentRuns", 1}});
  world.ok("CreateTrigger", {{"Name", "hourly"},
                             {"WorkflowName", "w"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 * * * ? *)"},
                             {"StartOnCreation", true},
                             {"Actions", job_action("j")}});
  world.advance(sim::hours(2));
  const json runs = runs_of(world, "w");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["Status"], "ERROR");  // newest first
  EXPECT_EQ(runs[1]["Status"], "RUNNING");
}

TEST(GlueTriggersTest, StandaloneScheduleLaunchesItsActions) {
  GlueWorld world;
  world.job("j");
  world.ok("CreateTrigger", {{"Name", "daily"},
                             {"Type", "SCHEDULED"},
                             {"Schedule", "cron(0 6 * * ? *)"},
                             {"StartOnCreation", true},
                             {"Actions", job_action("j")}});
  world.advance(sim::hours(6));
  const json runs = job_runs_of(world, "j");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["TriggerName"], "daily");
  // An update re-arms the schedule at the new time.
  world.ok("UpdateTrigger",
           {{"Name", "daily"},
            {"TriggerUpdate", {{"Schedule", "cron(30 6 * * ? *)"}, {"Actions", job_action("j")}}}});
  world.advance(sim::minutes(29));
  EXPECT_EQ(job_runs_of(world, "j").size(), 1u);
  world.advance(sim::minutes(1));
  EXPECT_EQ(job_runs_of(world, "j").size(), 2u);
}

TEST(GlueTriggersTest, EventsStartARunWhenTheBatchIsFull) {
  GlueWorld world;
  event_workflow(world, {{"BatchSize", 3}, {"BatchWindow", 60}});
  json response = world.ok("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 2}});
  EXPECT_EQ(response, json({{"Accepted", 2}, {"PendingEvents", 2}}));
  EXPECT_TRUE(runs_of(world, "w").empty());
  response = world.ok("NotifyEvent", {{"TriggerName", "ev"}});
  EXPECT_EQ(response["PendingEvents"], 0);
  ASSERT_TRUE(response.contains("RunId"));
  const json run = world.run("w", response["RunId"], false);
  EXPECT_EQ(run["StartingEventBatchCondition"], json({{"BatchSize", 3}, {"BatchWindow", 0}}));
  // The batch reset: its window timer is gone, and a new batch starts empty.
  world.advance(sim::seconds(120));
  EXPECT_EQ(runs_of(world, "w").size(), 1u);
  // Seven events: two full batches, one left pending.
  response = world.ok("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 7}});
  EXPECT_EQ(response["PendingEvents"], 1);
  EXPECT_EQ(runs_of(world, "w").size(), 3u);
}

TEST(GlueTriggersTest, EventsStartARunWhenTheWindowEnds) {
  GlueWorld world;
  event_workflow(world, {{"BatchSize", 10}, {"BatchWindow", 60}});
  world.ok("NotifyEvent", {{"TriggerName", "ev"}});
  world.advance(sim::seconds(30));
  world.ok("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 2}});
  world.advance(sim::seconds(29));
  EXPECT_TRUE(runs_of(world, "w").empty());
  world.advance(sim::seconds(1));  // 60 s after the batch's first event
  const json runs = runs_of(world, "w");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["StartingEventBatchCondition"], json({{"BatchSize", 0}, {"BatchWindow", 60}}));
}

TEST(GlueTriggersTest, EventWindowDefaultsTo900Seconds) {
  GlueWorld world;
  event_workflow(world, {{"BatchSize", 5}});
  world.ok("NotifyEvent", {{"TriggerName", "ev"}});
  world.advance(sim::seconds(899));
  EXPECT_TRUE(runs_of(world, "w").empty());
  world.advance(sim::seconds(1));
  EXPECT_EQ(runs_of(world, "w").size(), 1u);
}

TEST(GlueTriggersTest, NotifyEventErrorsAndDroppedEvents) {
  GlueWorld world;
  event_workflow(world, nullptr);
  world.error("NotifyEvent", {{"TriggerName", "nope"}}, "EntityNotFoundException");
  world.error("NotifyEvent", json::object(), "InvalidInputException");
  world.error("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 0}}, "InvalidInputException");
  world.error("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 101}}, "InvalidInputException");
  world.ok("CreateTrigger", {{"Name", "od"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j")}});
  world.error("NotifyEvent", {{"TriggerName", "od"}}, "InvalidInputException");
  world.ok("StopTrigger", {{"Name", "ev"}});
  EXPECT_EQ(world.ok("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 4}}),
            json({{"Accepted", 0}, {"Dropped", 4}, {"PendingEvents", 0}}));
  world.advance(sim::hours(1));
  EXPECT_TRUE(runs_of(world, "w").empty());
  // Without EventBatchingCondition every event starts a run (BatchSize 1).
  world.ok("StartTrigger", {{"Name", "ev"}});
  world.advance(kTransition);
  EXPECT_TRUE(world.ok("NotifyEvent", {{"TriggerName", "ev"}}).contains("RunId"));
}

TEST(GlueTriggersTest, StopTriggerDropsThePendingBatch) {
  GlueWorld world;
  event_workflow(world, {{"BatchSize", 5}, {"BatchWindow", 60}});
  world.ok("NotifyEvent", {{"TriggerName", "ev"}, {"Count", 3}});
  world.ok("StopTrigger", {{"Name", "ev"}});
  world.advance(sim::seconds(120));
  EXPECT_TRUE(runs_of(world, "w").empty());
}

TEST(GlueTriggersTest, StartTriggerOnAWorkflowsOnDemandStartTriggerStartsARun) {  // rule 9.10
  GlueWorld world(nullptr, fixed_profiles(600));
  world.job("j");
  world.workflow("w", {{"MaxConcurrentRuns", 1}});
  world.start_trigger("start", "w", {"j"});
  world.advance(kTransition);
  EXPECT_EQ(world.ok("StartTrigger", {{"Name", "start"}}), json({{"Name", "start"}}));
  const json runs = runs_of(world, "w");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["Status"], "RUNNING");
  EXPECT_EQ(state_of(world, "start"), "CREATED");
  world.error("StartTrigger", {{"Name", "start"}}, "ConcurrentRunsExceededException");
  EXPECT_EQ(runs_of(world, "w").size(), 1u);
}

TEST(GlueTriggersTest, StartTriggerOnAStandaloneOnDemandTriggerLaunchesItsJobs) {
  GlueWorld world(nullptr, fixed_profiles(600));
  world.job("j");
  world.ok("CreateTrigger", {{"Name", "go"},
                             {"Type", "ON_DEMAND"},
                             {"Actions", {{{"JobName", "j"}, {"Arguments", {{"--day", "mon"}}}}}}});
  world.advance(kTransition);
  world.ok("StartTrigger", {{"Name", "go"}});
  const json runs = job_runs_of(world, "j");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["TriggerName"], "go");
  EXPECT_EQ(runs[0]["Arguments"]["--day"], "mon");
  // The job allows one run at a time (ExecutionProperty default).
  world.error("StartTrigger", {{"Name", "go"}}, "ConcurrentRunsExceededException");
  EXPECT_EQ(job_runs_of(world, "j").size(), 1u);
  world.advance(sim::hours(1));
  world.ok("StartTrigger", {{"Name", "go"}});
  EXPECT_EQ(job_runs_of(world, "j").size(), 2u);
}

TEST(GlueTriggersTest, StartTriggerRespectsTheAccountJobRunQuota) {
  GlueWorld world(json{{"quotas", {{"concurrent_job_runs", 1}}}}, fixed_profiles(600));
  world.job("a");
  world.job("b");
  world.ok("CreateTrigger", {{"Name", "go"},
                             {"Type", "ON_DEMAND"},
                             {"Actions", {{{"JobName", "a"}}, {{"JobName", "b"}}}}});
  world.advance(kTransition);
  world.error("StartTrigger", {{"Name", "go"}}, "ResourceNumberLimitExceededException");
  EXPECT_TRUE(job_runs_of(world, "a").empty());
}

// ANY fires on each new matching completion, crawls included, and never twice for one.
TEST(GlueTriggersTest, StandaloneAnyTriggerWatchesJobsAndCrawlers) {
  GlueWorld world;
  world.job("j1");
  world.job("after");
  world.crawler("c");
  world.ok("CreateTrigger",
           {{"Name", "crawl"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"CrawlerName", "c"}}}}});
  world.ok("CreateTrigger",
           {{"Name", "job"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j1")}});
  world.ok("CreateTrigger", {{"Name", "either"},
                             {"Type", "CONDITIONAL"},
                             {"StartOnCreation", true},
                             {"Predicate",
                              {{"Logical", "ANY"},
                               {"Conditions",
                                {job_condition("j1", "SUCCEEDED"),
                                 {{"CrawlerName", "c"}, {"CrawlState", "SUCCEEDED"}}}}}},
                             {"Actions", job_action("after")}});
  world.advance(2 * kTransition);
  world.ok("StartTrigger", {{"Name", "crawl"}});
  world.advance(sim::hours(1));
  json after = job_runs_of(world, "after");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["PredecessorRuns"], json::array());  // a crawl is no job predecessor
  world.ok("StartTrigger", {{"Name", "job"}});
  world.advance(sim::hours(1));
  after = job_runs_of(world, "after");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0]["PredecessorRuns"].size(), 1u);  // newest first: the j1 completion
  // The completion of "after" itself (a trigger-started run) refires nothing.
  world.advance(sim::hours(1));
  EXPECT_EQ(job_runs_of(world, "after").size(), 2u);
  world.expect_invariants();
}

// Fact sheet 6.2 scope rule: outside workflows, only runs that a trigger started count.
TEST(GlueTriggersTest, StandaloneConditionalTriggerFiresOncePerCompletion) {
  GlueWorld world;
  world.job("j1");
  world.job("j2");
  world.ok("CreateTrigger", {{"Name", "go"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j1")}});
  world.ok("CreateTrigger", {{"Name", "then"},
                             {"Type", "CONDITIONAL"},
                             {"StartOnCreation", true},
                             {"Predicate", {{"Conditions", {job_condition("j1", "SUCCEEDED")}}}},
                             {"Actions", job_action("j2")}});
  world.advance(2 * kTransition);
  world.ok("StartTrigger", {{"Name", "go"}});
  world.advance(sim::hours(1));
  json j1_runs = job_runs_of(world, "j1");
  json j2_runs = job_runs_of(world, "j2");
  ASSERT_EQ(j1_runs.size(), 1u);
  ASSERT_EQ(j2_runs.size(), 1u);
  EXPECT_EQ(j2_runs[0]["TriggerName"], "then");
  EXPECT_EQ(j2_runs[0]["PredecessorRuns"],
            json::array({{{"JobName", "j1"}, {"RunId", j1_runs[0]["Id"]}}}));
  // A run started by StartJobRun does not count.
  world.ok("StartJobRun", {{"JobName", "j1"}});
  world.advance(sim::hours(1));
  EXPECT_EQ(job_runs_of(world, "j2").size(), 1u);
  // A new trigger-started completion fires it again, once.
  world.ok("StartTrigger", {{"Name", "go"}});
  world.advance(sim::hours(1));
  EXPECT_EQ(job_runs_of(world, "j2").size(), 2u);
  world.expect_invariants();
}

TEST(GlueTriggersTest, StandaloneConditionalTriggerDoesNotFireUnlessActivated) {  // rule 9.9
  GlueWorld world;
  world.job("j1");
  world.job("j2");
  world.ok("CreateTrigger", {{"Name", "go"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j1")}});
  world.ok("CreateTrigger", {{"Name", "then"},
                             {"Type", "CONDITIONAL"},
                             {"Predicate", {{"Conditions", {job_condition("j1", "SUCCEEDED")}}}},
                             {"Actions", job_action("j2")}});
  world.advance(kTransition);
  world.ok("StartTrigger", {{"Name", "go"}});
  world.advance(sim::hours(1));
  EXPECT_EQ(job_runs_of(world, "j1").size(), 1u);
  EXPECT_TRUE(job_runs_of(world, "j2").empty());
}

TEST(GlueTriggersTest, ConditionalTriggerInsideAWorkflowIgnoresStandaloneRuns) {
  GlueWorld world;
  world.job("j1");
  world.job("j2");
  world.workflow("w");
  world.conditional("inside", "w", "j1", "SUCCEEDED", "j2");
  world.ok("CreateTrigger", {{"Name", "go"}, {"Type", "ON_DEMAND"}, {"Actions", job_action("j1")}});
  world.advance(2 * kTransition);
  world.ok("StartTrigger", {{"Name", "go"}});
  world.advance(sim::hours(1));
  EXPECT_TRUE(job_runs_of(world, "j2").empty());
}

}  // namespace
}  // namespace wfsim::models::glue::testing
