// Blueprint operations and blueprint runs (fact sheet 5 blueprint operations, 5.1, 7, 8 and
// the layout format described at the top of models/glue/blueprints.cpp).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

constexpr sim::DurationUs kCreation_us = sim::seconds(5);  // timings.blueprint_creation
constexpr sim::DurationUs kRun_us = sim::seconds(30);      // timings.blueprint_run
constexpr sim::DurationUs kRollback_us = sim::seconds(10);  // timings.blueprint_rollback

json job_request(const std::string& name) {
  return {{"Name", name},
          {"Role", kRole},
          {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/etl.py"}}}};
}

// A workflow named by the parameter Prefix, one job with Retries retries, its start trigger.
json good_layout() {
  json job = job_request("${Prefix}-etl");
  job["MaxRetries"] = "${Retries}";
  return {{"ParameterSpec",
           {{"Prefix", {{"Type", "String"}, {"Description", "names everything"}}},
            {"Retries", {{"Type", "Integer"}, {"DefaultValue", 1}}}}},
          {"Workflow", {{"Name", "${Prefix}-flow"}, {"Description", "built for ${Prefix}"}}},
          {"Jobs", {job}},
          {"Triggers",
           {{{"Name", "${Prefix}-start"},
             {"WorkflowName", "${Prefix}-flow"},
             {"Type", "ON_DEMAND"},
             {"Actions", {{{"JobName", "${Prefix}-etl"}}}}}}}};
}

class GlueBlueprints : public ::testing::Test {
 protected:
  std::string put(const std::string& key, const std::string& body) {
    world.objects.put("layouts", key, body);
    return "s3://layouts/" + key;
  }

  void create(const std::string& name, const std::string& location) {
    world.ok("CreateBlueprint", {{"Name", name}, {"BlueprintLocation", location}});
  }

  // A blueprint that is ACTIVE with `layout`.
  void create_active(const std::string& name, const json& layout = good_layout()) {
    create(name, put(name + "/layout.json", layout.dump()));
    world.advance(kCreation_us);
    ASSERT_EQ(status(name), "ACTIVE") << blueprint(name).dump();
  }

  json blueprint(const std::string& name, bool include_spec = false,
                 bool include_blueprint = false) {
    return world.ok("GetBlueprint", {{"Name", name},
                                     {"IncludeParameterSpec", include_spec},
                                     {"IncludeBlueprint", include_blueprint}})["Blueprint"];
  }

  std::string status(const std::string& name) { return blueprint(name).value("Status", ""); }

  std::string start_run(const std::string& name, const json& parameters) {
    return world
        .ok("StartBlueprintRun",
            {{"BlueprintName", name}, {"Parameters", parameters.dump()}, {"RoleArn", kRole}})
        .value("RunId", "");
  }

  json run(const std::string& name, const std::string& run_id) {
    return world.ok("GetBlueprintRun",
                    {{"BlueprintName", name}, {"RunId", run_id}})["BlueprintRun"];
  }

  // The states the trace recorded for one machine instance, in order.
  std::vector<std::string> traced_states(const std::string& machine, const std::string& id) {
    std::vector<std::string> states;
    for (const auto& event : world.trace.events()) {
      if (event.kind == "transition" && event.detail.value("machine", "") == machine &&
          event.detail.value("id", "") == id) {
        states.push_back(event.detail.value("to", ""));
      }
    }
    return states;
  }

  std::vector<std::string> run_states(const std::string& run_id) {
    return traced_states("blueprint_run", run_id);
  }

  void expect_gone(const std::string& operation, const json& request) {
    world.error(operation, request, "EntityNotFoundException");
  }

  GlueWorld world;
};

// --- CreateBlueprint ------------------------------------------------------------------------

TEST_F(GlueBlueprints, CreateRejectsInvalidMembersAndChangesNothing) {
  const std::string good = put("a/layout.json", good_layout().dump());
  json too_many_tags = json::object();
  for (int i = 0; i < 51; ++i) too_many_tags["k" + std::to_string(i)] = "v";
  const std::vector<json> requests = {
      {{"BlueprintLocation", good}},
      {{"Name", 7}, {"BlueprintLocation", good}},
      {{"Name", "has space"}, {"BlueprintLocation", good}},
      {{"Name", std::string(129, 'a')}, {"BlueprintLocation", good}},
      {{"Name", "bp"}, {"Description", ""}, {"BlueprintLocation", good}},
      {{"Name", "bp"}, {"Description", std::string(513, 'd')}, {"BlueprintLocation", good}},
      {{"Name", "bp"}},
      {{"Name", "bp"}, {"BlueprintLocation", "https://layouts/a/layout.json"}},
      {{"Name", "bp"}, {"BlueprintLocation", "s3://layouts"}},
      {{"Name", "bp"}, {"BlueprintLocation", "s3://layouts/a/"}},
      {{"Name", "bp"}, {"BlueprintLocation", "s3://layouts/" + std::string(8180, 'k')}},
      {{"Name", "bp"}, {"BlueprintLocation", good}, {"Tags", too_many_tags}},
      {{"Name", "bp"}, {"BlueprintLocation", good}, {"Tags", {{"", "v"}}}},
  };
  for (const auto& request : requests) {
    SCOPED_TRACE(request.dump().substr(0, 200));
    world.error("CreateBlueprint", request, "InvalidInputException");
  }
  EXPECT_EQ(world.ok("ListBlueprints", json::object())["Blueprints"], json::array());
  EXPECT_EQ(world.scheduler.pending(), 0u);
}

TEST_F(GlueBlueprints, CreateAcceptsLimitsAndEchoesName) {
  const std::string name = std::string(128, 'a');
  const std::string location = put("b/layout.json", good_layout().dump());
  EXPECT_EQ(world.ok("CreateBlueprint", {{"Name", name},
                                         {"Description", std::string(512, 'd')},
                                         {"BlueprintLocation", location}}),
            json({{"Name", name}}));
  EXPECT_EQ(world.ok("CreateBlueprint", {{"Name", "x.y-z_9"}, {"BlueprintLocation", location}}),
            json({{"Name", "x.y-z_9"}}));
}

TEST_F(GlueBlueprints, CreateDuplicateIsAlreadyExists) {
  create_active("bp");
  world.error("CreateBlueprint",
              {{"Name", "bp"}, {"BlueprintLocation", "s3://layouts/other.json"}},
              "AlreadyExistsException");
  EXPECT_EQ(blueprint("bp")["BlueprintLocation"], "s3://layouts/bp/layout.json");
}

TEST(GlueBlueprintsQuota, CreateOverQuotaIsResourceNumberLimitExceeded) {
  GlueWorld world(json{{"quotas", {{"blueprints", 1}}}});
  world.ok("CreateBlueprint", {{"Name", "one"}, {"BlueprintLocation", "s3://l/one.json"}});
  world.error("CreateBlueprint", {{"Name", "two"}, {"BlueprintLocation", "s3://l/two.json"}},
              "ResourceNumberLimitExceededException");
  world.ok("DeleteBlueprint", {{"Name", "one"}});
  world.ok("CreateBlueprint", {{"Name", "two"}, {"BlueprintLocation", "s3://l/two.json"}});
}

TEST_F(GlueBlueprints, CreateGoesFromCreatingToActive) {
  const json layout = good_layout();
  const std::string location = put("bp/layout.json", layout.dump());
  world.ok("CreateBlueprint",
           {{"Name", "bp"}, {"Description", "demo"}, {"BlueprintLocation", location}});
  json creating = blueprint("bp", true, true);
  EXPECT_EQ(creating["Status"], "CREATING");
  EXPECT_FALSE(creating.contains("ParameterSpec"));  // not read yet
  EXPECT_FALSE(creating.contains("LastActiveDefinition"));
  EXPECT_DOUBLE_EQ(creating["CreatedOn"].get<double>(), kStart / 1e6);

  world.advance(kCreation_us - 1);
  EXPECT_EQ(status("bp"), "CREATING");
  world.advance(1);
  const json active = blueprint("bp", true, true);
  EXPECT_EQ(active["Status"], "ACTIVE");
  EXPECT_EQ(active["Name"], "bp");
  EXPECT_EQ(active["Description"], "demo");
  EXPECT_EQ(active["BlueprintLocation"], location);
  EXPECT_EQ(active["ParameterSpec"], layout["ParameterSpec"].dump());
  const std::string copy = active["BlueprintServiceLocation"];
  EXPECT_EQ(copy.rfind("s3://aws-glue-blueprints-111122223333-us-east-1/bp/", 0), 0u) << copy;
  EXPECT_EQ(copy.substr(copy.size() - 12), "/layout.json");
  EXPECT_FALSE(active.contains("ErrorMessage"));
  EXPECT_EQ(active["LastActiveDefinition"]["BlueprintLocation"], location);
  EXPECT_EQ(active["LastActiveDefinition"]["ParameterSpec"], active["ParameterSpec"]);

  const json plain = blueprint("bp");
  EXPECT_FALSE(plain.contains("ParameterSpec"));
  EXPECT_FALSE(plain.contains("BlueprintServiceLocation"));
  EXPECT_FALSE(plain["LastActiveDefinition"].contains("ParameterSpec"));
  EXPECT_EQ(plain["BlueprintLocation"], location);
  EXPECT_EQ(traced_states("blueprint", "bp"), (std::vector<std::string>{"CREATING", "ACTIVE"}));
}

TEST_F(GlueBlueprints, LayoutWithoutParameterSpecHasEmptySpec) {
  create_active("bare", json{{"Workflow", {{"Name", "fixed"}}}});
  EXPECT_EQ(blueprint("bare", true)["ParameterSpec"], "{}");
}

TEST_F(GlueBlueprints, CreateFailsWhenTheLayoutObjectIsMissing) {
  create("bp", "s3://layouts/absent.json");
  world.advance(kCreation_us);
  const json failed = blueprint("bp", true);
  EXPECT_EQ(failed["Status"], "FAILED");
  EXPECT_NE(failed.value("ErrorMessage", "").find("s3://layouts/absent.json"), std::string::npos);
  EXPECT_NE(failed.value("ErrorMessage", "").find("does not exist"), std::string::npos);
  EXPECT_FALSE(failed.contains("LastActiveDefinition"));
  EXPECT_FALSE(failed.contains("ParameterSpec"));
}

TEST_F(GlueBlueprints, CreateFailsWhenTheLayoutIsInvalid) {
  const json workflow = {{"Name", "w"}};
  const std::vector<std::string> bodies = {
      "not json",
      "[]",
      json({{"Jobs", json::array()}}).dump(),  // no Workflow
      json({{"Workflow", workflow}, {"Extra", 1}}).dump(),
      json({{"Workflow", {{"Name", "${Nobody}"}}}}).dump(),
      json({{"Workflow", workflow}, {"Jobs", {{"Name", "j"}}}}).dump(),  // not a list of objects
      json({{"Workflow", workflow}, {"Triggers", "t"}}).dump(),
      json({{"Workflow", workflow}, {"ParameterSpec", {{"P", {{"Type", "Text"}}}}}}).dump(),
      json({{"Workflow", workflow},
            {"ParameterSpec", {{"P", {{"Type", "Integer"}, {"DefaultValue", "x"}}}}}})
          .dump(),
      json({{"Workflow", workflow}, {"ParameterSpec", {{"bad-name", {{"Type", "String"}}}}}})
          .dump(),
  };
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE(bodies[i]);
    const std::string name = "bp" + std::to_string(i);
    create(name, put(name + ".json", bodies[i]));
    world.advance(kCreation_us);
    const json failed = blueprint(name);
    EXPECT_EQ(failed["Status"], "FAILED");
    EXPECT_NE(failed.value("ErrorMessage", "").find("is invalid"), std::string::npos)
        << failed.dump();
  }
}

// --- UpdateBlueprint ------------------------------------------------------------------------

TEST_F(GlueBlueprints, UpdateErrors) {
  world.error("UpdateBlueprint", {{"Name", "nobody"}, {"BlueprintLocation", "s3://l/k.json"}},
              "EntityNotFoundException");
  world.error("UpdateBlueprint", {{"Name", "bp"}}, "InvalidInputException");
  world.error("UpdateBlueprint",
              {{"Name", "b p"}, {"BlueprintLocation", "s3://l/k.json"}}, "InvalidInputException");
  world.error("UpdateBlueprint",
              {{"Name", "bp"}, {"Description", ""}, {"BlueprintLocation", "s3://l/k.json"}},
              "InvalidInputException");
  create("bp", put("bp.json", good_layout().dump()));
  world.error("UpdateBlueprint", {{"Name", "bp"}, {"BlueprintLocation", "s3://l/k.json"}},
              "IllegalBlueprintStateException");
  world.advance(kCreation_us);
  world.ok("UpdateBlueprint", {{"Name", "bp"}, {"BlueprintLocation", "s3://layouts/bp.json"}});
  EXPECT_EQ(status("bp"), "UPDATING");
  world.error("UpdateBlueprint", {{"Name", "bp"}, {"BlueprintLocation", "s3://l/k.json"}},
              "IllegalBlueprintStateException");
  world.advance(kCreation_us);
  EXPECT_EQ(status("bp"), "ACTIVE");
}

TEST_F(GlueBlueprints, FailedUpdateKeepsTheLastActiveDefinition) {
  const std::string first = put("first.json", good_layout().dump());
  world.ok("CreateBlueprint",
           {{"Name", "bp"}, {"Description", "v1"}, {"BlueprintLocation", first}});
  world.advance(kCreation_us);
  const std::string spec = blueprint("bp", true)["ParameterSpec"];

  world.advance(sim::seconds(60));
  EXPECT_EQ(world.ok("UpdateBlueprint", {{"Name", "bp"}, {"BlueprintLocation", "s3://x/y.json"}}),
            json({{"Name", "bp"}}));
  EXPECT_EQ(status("bp"), "UPDATING");
  world.advance(kCreation_us);
  const json failed = blueprint("bp", true);
  EXPECT_EQ(failed["Status"], "FAILED");
  EXPECT_EQ(failed["BlueprintLocation"], "s3://x/y.json");
  EXPECT_EQ(failed["Description"], "v1");  // omitted Description is kept
  EXPECT_TRUE(failed.contains("ErrorMessage"));
  EXPECT_GT(failed["LastModifiedOn"].get<double>(),
            failed["LastActiveDefinition"]["LastModifiedOn"].get<double>());
  EXPECT_EQ(failed["LastActiveDefinition"]["BlueprintLocation"], first);
  EXPECT_EQ(failed["LastActiveDefinition"]["ParameterSpec"], spec);
  EXPECT_EQ(failed["LastActiveDefinition"]["Description"], "v1");
  world.error("StartBlueprintRun", {{"BlueprintName", "bp"}, {"RoleArn", kRole}},
              "IllegalBlueprintStateException");

  json second_layout = {{"Workflow", {{"Name", "w2"}}}};
  const std::string second = put("second.json", second_layout.dump());
  world.ok("UpdateBlueprint",
           {{"Name", "bp"}, {"Description", "v2"}, {"BlueprintLocation", second}});
  EXPECT_FALSE(blueprint("bp").contains("ErrorMessage"));
  world.advance(kCreation_us);
  const json active = blueprint("bp", true);
  EXPECT_EQ(active["Status"], "ACTIVE");
  EXPECT_EQ(active["ParameterSpec"], "{}");
  EXPECT_EQ(active["LastActiveDefinition"]["BlueprintLocation"], second);
  EXPECT_EQ(active["LastActiveDefinition"]["Description"], "v2");
  EXPECT_EQ(traced_states("blueprint", "bp"),
            (std::vector<std::string>{"CREATING", "ACTIVE", "UPDATING", "FAILED", "UPDATING",
                                      "ACTIVE"}));
}

// --- DeleteBlueprint, GetBlueprint ----------------------------------------------------------

TEST_F(GlueBlueprints, DeleteIsIdempotentAndEchoesName) {
  create_active("bp");
  EXPECT_EQ(world.ok("DeleteBlueprint", {{"Name", "bp"}}), json({{"Name", "bp"}}));
  expect_gone("GetBlueprint", {{"Name", "bp"}});
  EXPECT_EQ(world.ok("DeleteBlueprint", {{"Name", "bp"}}), json({{"Name", "bp"}}));
  // DeleteBlueprint.Name is a NameString (1..255, single line), not the blueprint pattern.
  EXPECT_EQ(world.ok("DeleteBlueprint", {{"Name", "no such one"}}),
            json({{"Name", "no such one"}}));
  world.error("DeleteBlueprint", {{"Name", ""}}, "InvalidInputException");
  world.error("DeleteBlueprint", {{"Name", std::string(256, 'a')}}, "InvalidInputException");
  world.error("DeleteBlueprint", {{"Name", "a\nb"}}, "InvalidInputException");
  world.error("DeleteBlueprint", json::object(), "InvalidInputException");
}

TEST_F(GlueBlueprints, DeleteDuringCreationCancelsIt) {
  create("bp", put("bp.json", good_layout().dump()));
  world.ok("DeleteBlueprint", {{"Name", "bp"}});
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.run_until_idle();
  expect_gone("GetBlueprint", {{"Name", "bp"}});
}

TEST_F(GlueBlueprints, DeleteRemovesRunsInProgress) {
  create_active("bp");
  const std::string run_id = start_run("bp", {{"Prefix", "p"}});
  world.ok("DeleteBlueprint", {{"Name", "bp"}});
  EXPECT_EQ(world.scheduler.pending(), 0u);
  world.run_until_idle();
  expect_gone("GetBlueprintRuns", {{"BlueprintName", "bp"}});
  EXPECT_EQ(run_states(run_id), std::vector<std::string>{"RUNNING"});
}

TEST_F(GlueBlueprints, GetErrors) {
  expect_gone("GetBlueprint", {{"Name", "nobody"}});
  world.error("GetBlueprint", json::object(), "InvalidInputException");
  world.error("GetBlueprint", {{"Name", ""}}, "InvalidInputException");
  world.error("GetBlueprint", {{"Name", "bp"}, {"IncludeBlueprint", "yes"}},
              "InvalidInputException");
  world.error("GetBlueprint", {{"Name", "bp"}, {"IncludeParameterSpec", 1}},
              "InvalidInputException");
}

// --- ListBlueprints, BatchGetBlueprints -----------------------------------------------------

TEST_F(GlueBlueprints, ListPagesInNameOrderAndFiltersByTags) {
  for (const char* name : {"c", "a", "b"}) {
    world.ok("CreateBlueprint", {{"Name", name},
                                 {"BlueprintLocation", "s3://l/k.json"},
                                 {"Tags", {{"team", name == std::string("b") ? "x" : "y"}}}});
  }
  EXPECT_EQ(world.ok("ListBlueprints", json::object()),
            json({{"Blueprints", {"a", "b", "c"}}}));
  const json first = world.ok("ListBlueprints", {{"MaxResults", 2}});
  EXPECT_EQ(first["Blueprints"], json({"a", "b"}));
  ASSERT_TRUE(first.contains("NextToken"));
  const json second =
      world.ok("ListBlueprints", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  EXPECT_EQ(second, json({{"Blueprints", {"c"}}}));

  const json tagged = world.ok("ListBlueprints", {{"Tags", {{"team", "y"}}}, {"MaxResults", 1}});
  EXPECT_EQ(tagged["Blueprints"], json({"a"}));
  EXPECT_EQ(world.ok("ListBlueprints", {{"Tags", {{"team", "y"}}},
                                        {"NextToken", tagged["NextToken"]}}),
            json({{"Blueprints", {"c"}}}));
  // A token belongs to its filter.
  world.error("ListBlueprints", {{"NextToken", tagged["NextToken"]}}, "InvalidInputException");
  EXPECT_EQ(world.ok("ListBlueprints", {{"Tags", {{"team", "z"}}}}),
            json({{"Blueprints", json::array()}}));
}

TEST_F(GlueBlueprints, ListRejectsInvalidMembers) {
  world.error("ListBlueprints", {{"MaxResults", 0}}, "InvalidInputException");
  world.error("ListBlueprints", {{"MaxResults", 26}}, "InvalidInputException");
  world.error("ListBlueprints", {{"MaxResults", "5"}}, "InvalidInputException");
  world.error("ListBlueprints", {{"NextToken", "forged"}}, "InvalidInputException");
  world.error("ListBlueprints", {{"Tags", {{"k", std::string(257, 'v')}}}},
              "InvalidInputException");
  EXPECT_EQ(world.ok("ListBlueprints", {{"MaxResults", 25}}),
            json({{"Blueprints", json::array()}}));
}

TEST_F(GlueBlueprints, BatchGetSplitsFoundAndMissing) {
  create_active("bp");
  const json out = world.ok("BatchGetBlueprints", {{"Names", {"ghost", "bp", "bp"}},
                                                   {"IncludeParameterSpec", true}});
  ASSERT_EQ(out["Blueprints"].size(), 1u);
  EXPECT_EQ(out["Blueprints"][0]["Name"], "bp");
  EXPECT_TRUE(out["Blueprints"][0].contains("ParameterSpec"));
  EXPECT_FALSE(out["Blueprints"][0].contains("BlueprintServiceLocation"));
  EXPECT_EQ(out["MissingBlueprints"], json({"ghost"}));

  std::vector<std::string> many(26, "bp");
  world.error("BatchGetBlueprints", {{"Names", json::array()}}, "InvalidInputException");
  world.error("BatchGetBlueprints", {{"Names", many}}, "InvalidInputException");
  world.error("BatchGetBlueprints", {{"Names", {"b p"}}}, "InvalidInputException");
  world.error("BatchGetBlueprints", json::object(), "InvalidInputException");
  world.error("BatchGetBlueprints", {{"Names", {"bp"}}, {"IncludeBlueprint", "no"}},
              "InvalidInputException");
}

// --- StartBlueprintRun, GetBlueprintRun, GetBlueprintRuns ------------------------------------

TEST_F(GlueBlueprints, StartRejectsInvalidMembersAndStates) {
  create_active("bp");
  // Each request breaks one rule; the message names the member and the rule.
  const std::vector<std::pair<json, std::string>> invalid = {
      {{{"BlueprintName", "bp"}},
       "at 'RoleArn' failed to satisfy constraint: Member must not be null"},
      {{{"BlueprintName", "bp"}, {"RoleArn", "role/glue"}},
       "at 'RoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern"},
      {{{"RoleArn", kRole}},
       "at 'BlueprintName' failed to satisfy constraint: Member must not be null"},
      {{{"BlueprintName", "b p"}, {"RoleArn", kRole}},
       "at 'BlueprintName' failed to satisfy constraint: Member must satisfy regular expression "
       "pattern"},
      {{{"BlueprintName", "bp"}, {"RoleArn", kRole}, {"Parameters", ""}},
       "at 'Parameters' failed to satisfy constraint: Member must have length greater than or "
       "equal to 1"},
      {{{"BlueprintName", "bp"}, {"RoleArn", kRole}, {"Parameters", "[1]"}},
       "at 'Parameters' failed to satisfy constraint: Member must be the text of a JSON object"},
      {{{"BlueprintName", "bp"}, {"RoleArn", kRole}, {"Parameters", "{"}},
       "at 'Parameters' failed to satisfy constraint: Member must be the text of a JSON object"},
      {{{"BlueprintName", "bp"}, {"RoleArn", kRole}, {"Parameters", json{{"P", "x"}}}},
       "at 'Parameters' failed to satisfy constraint: Member must be a string"},
      {{{"BlueprintName", "bp"},
        {"RoleArn", kRole},
        {"Parameters", "{\"P\":\"" + std::string(131065, 'x') + "\"}"}},
       "at 'Parameters' failed to satisfy constraint: Member must have length less than or equal "
       "to 131072"},  // 131073 bytes
  };
  for (const auto& [request, rule] : invalid) {
    SCOPED_TRACE(request.dump().substr(0, 200));
    const AwsError error = world.error("StartBlueprintRun", request, "InvalidInputException");
    EXPECT_NE(error.message.find(rule), std::string::npos) << rule << "\n" << error.message;
  }
  world.error("StartBlueprintRun", {{"BlueprintName", "ghost"}, {"RoleArn", kRole}},
              "EntityNotFoundException");
  create("young", put("young.json", good_layout().dump()));
  world.error("StartBlueprintRun", {{"BlueprintName", "young"}, {"RoleArn", kRole}},
              "IllegalBlueprintStateException");
  EXPECT_EQ(world.ok("GetBlueprintRuns", {{"BlueprintName", "bp"}}),
            json({{"BlueprintRuns", json::array()}}));
}

TEST_F(GlueBlueprints, RunWithAMissingRequiredParameterRollsBackToFailed) {
  create_active("bp");
  const std::string run_id = start_run("bp", {{"Retries", 2}});
  EXPECT_EQ(run_id.size(), 67u);
  EXPECT_EQ(run_id.rfind("br_", 0), 0u);
  json running = run("bp", run_id);
  EXPECT_EQ(running["State"], "RUNNING");
  EXPECT_EQ(running["BlueprintName"], "bp");
  EXPECT_EQ(running["RunId"], run_id);
  EXPECT_EQ(running["RoleArn"], kRole);
  EXPECT_EQ(running["Parameters"], json({{"Retries", 2}}).dump());
  EXPECT_TRUE(running.contains("StartedOn"));
  EXPECT_FALSE(running.contains("CompletedOn"));

  world.advance(kRun_us);
  const json rolling_back = run("bp", run_id);
  EXPECT_EQ(rolling_back["State"], "ROLLING_BACK");
  EXPECT_EQ(rolling_back["ErrorMessage"], "Required parameter 'Prefix' is missing");
  world.advance(kRollback_us);
  const json failed = run("bp", run_id);
  EXPECT_EQ(failed["State"], "FAILED");
  EXPECT_DOUBLE_EQ(failed["CompletedOn"].get<double>() - failed["StartedOn"].get<double>(),
                   40.0);
  EXPECT_FALSE(failed.contains("RollbackErrorMessage"));
  EXPECT_FALSE(failed.contains("WorkflowName"));
  EXPECT_EQ(run_states(run_id),
            (std::vector<std::string>{"RUNNING", "ROLLING_BACK", "FAILED"}));
}

TEST_F(GlueBlueprints, RunFailsOnUnknownOrMistypedParameters) {
  create_active("bp");
  const std::string unknown = start_run("bp", {{"Prefix", "p"}, {"Extra", 1}});
  const std::string mistyped = start_run("bp", {{"Prefix", "p"}, {"Retries", "two"}});
  world.advance(kRun_us + kRollback_us);
  EXPECT_EQ(run("bp", unknown)["ErrorMessage"],
            "Parameter 'Extra' is not in the blueprint's ParameterSpec");
  EXPECT_EQ(run("bp", mistyped)["ErrorMessage"],
            "Parameter 'Retries' must be of type Integer, got \"two\"");
  EXPECT_EQ(run("bp", mistyped)["State"], "FAILED");
}

TEST_F(GlueBlueprints, RunWithAnInvalidJobFailsNamingIt) {
  json layout = good_layout();
  layout["Jobs"].push_back({{"Name", "${Prefix}-broken"}});  // no Role, no Command
  create_active("bp", layout);
  const std::string run_id = start_run("bp", {{"Prefix", "p"}});
  world.advance(kRun_us + kRollback_us);
  const json failed = run("bp", run_id);
  EXPECT_EQ(failed["State"], "FAILED");
  EXPECT_EQ(failed.value("ErrorMessage", "")
                .rfind("Could not create job 'p-broken': InvalidInputException", 0),
            0u)
      << failed.dump();
  expect_gone("GetJob", {{"JobName", "p-etl"}});
}

TEST_F(GlueBlueprints, GetRunErrors) {
  create_active("bp");
  world.error("GetBlueprintRun", {{"BlueprintName", "ghost"}, {"RunId", "br_1"}},
              "EntityNotFoundException");
  world.error("GetBlueprintRun", {{"BlueprintName", "bp"}, {"RunId", "br_1"}},
              "EntityNotFoundException");
  world.error("GetBlueprintRun", {{"BlueprintName", "bp"}}, "InvalidInputException");
  world.error("GetBlueprintRun", {{"BlueprintName", "b p"}, {"RunId", "x"}},
              "InvalidInputException");
  world.error("GetBlueprintRun", {{"BlueprintName", "bp"}, {"RunId", ""}},
              "InvalidInputException");
}

TEST_F(GlueBlueprints, GetRunsIsNewestFirstAndPaginated) {
  create_active("bp");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(start_run("bp", {{"Prefix", "p" + std::to_string(i)}}));
    world.advance(sim::seconds(1));
  }
  const json all = world.ok("GetBlueprintRuns", {{"BlueprintName", "bp"}});
  ASSERT_EQ(all["BlueprintRuns"].size(), 3u);
  EXPECT_EQ(all["BlueprintRuns"][0]["RunId"], ids[2]);
  EXPECT_EQ(all["BlueprintRuns"][2]["RunId"], ids[0]);
  EXPECT_FALSE(all.contains("NextToken"));

  const json first = world.ok("GetBlueprintRuns", {{"BlueprintName", "bp"}, {"MaxResults", 2}});
  ASSERT_EQ(first["BlueprintRuns"].size(), 2u);
  EXPECT_EQ(first["BlueprintRuns"][1]["RunId"], ids[1]);
  start_run("bp", {{"Prefix", "late"}});  // newer runs do not shift later pages
  const json second = world.ok("GetBlueprintRuns", {{"BlueprintName", "bp"},
                                                    {"MaxResults", 2},
                                                    {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["BlueprintRuns"].size(), 1u);
  EXPECT_EQ(second["BlueprintRuns"][0]["RunId"], ids[0]);
  EXPECT_FALSE(second.contains("NextToken"));

  expect_gone("GetBlueprintRuns", {{"BlueprintName", "ghost"}});
  world.error("GetBlueprintRuns", {{"BlueprintName", "bp"}, {"MaxResults", 0}},
              "InvalidInputException");
  world.error("GetBlueprintRuns", {{"BlueprintName", "bp"}, {"MaxResults", 1001}},
              "InvalidInputException");
  world.error("GetBlueprintRuns", {{"BlueprintName", "bp"}, {"NextToken", "forged"}},
              "InvalidInputException");
  world.error("GetBlueprintRuns", json::object(), "InvalidInputException");
}

// --- runs that create entities (need CreateJob/CreateWorkflow/CreateTrigger/CreateCrawler) ---

TEST_F(GlueBlueprints, SuccessfulRunCreatesAWorkflowWithBlueprintDetails) {
  create_active("bp");
  const std::string run_id = start_run("bp", {{"Prefix", "sales"}, {"Retries", 2}});
  world.advance(kRun_us);
  const json done = run("bp", run_id);
  EXPECT_EQ(done["State"], "SUCCEEDED") << done.dump();
  EXPECT_EQ(done["WorkflowName"], "sales-flow");
  EXPECT_TRUE(done.contains("CompletedOn"));
  EXPECT_EQ(run_states(run_id), (std::vector<std::string>{"RUNNING", "SUCCEEDED"}));

  const json workflow = world.ok("GetWorkflow", {{"Name", "sales-flow"}})["Workflow"];
  EXPECT_EQ(workflow["BlueprintDetails"], json({{"BlueprintName", "bp"}, {"RunId", run_id}}));
  EXPECT_EQ(workflow["Description"], "built for sales");
  // A whole-string placeholder keeps the parameter's type.
  EXPECT_EQ(world.ok("GetJob", {{"JobName", "sales-etl"}})["Job"]["MaxRetries"], 2);
  EXPECT_EQ(world.ok("GetTrigger", {{"Name", "sales-start"}})["Trigger"]["WorkflowName"],
            "sales-flow");
  world.expect_invariants("after a blueprint run");
}

TEST_F(GlueBlueprints, FailedRunRemovesEverythingItCreated) {
  json layout = good_layout();
  layout["Crawlers"] = {{{"Name", "${Prefix}-crawl"},
                         {"Role", kRole},
                         {"DatabaseName", "db"},
                         {"Targets", {{"S3Targets", {{{"Path", "s3://data/x"}}}}}}}};
  layout["Triggers"].push_back({{"Name", "${Prefix}-orphan"},
                                {"WorkflowName", "no-such-workflow"},
                                {"Type", "ON_DEMAND"},
                                {"Actions", {{{"JobName", "${Prefix}-etl"}}}}});
  create_active("bp", layout);
  const std::string run_id = start_run("bp", {{"Prefix", "r"}});
  world.advance(kRun_us);
  const json rolling_back = run("bp", run_id);
  EXPECT_EQ(rolling_back["State"], "ROLLING_BACK");
  EXPECT_EQ(rolling_back.value("ErrorMessage", "")
                .rfind("Could not create trigger 'r-orphan': EntityNotFoundException", 0),
            0u)
      << rolling_back.dump();
  expect_gone("GetJob", {{"JobName", "r-etl"}});
  expect_gone("GetCrawler", {{"Name", "r-crawl"}});
  expect_gone("GetWorkflow", {{"Name", "r-flow"}});
  expect_gone("GetTrigger", {{"Name", "r-start"}});
  world.advance(kRollback_us);
  const json failed = run("bp", run_id);
  EXPECT_EQ(failed["State"], "FAILED");
  EXPECT_FALSE(failed.contains("RollbackErrorMessage")) << failed.dump();
  world.expect_invariants("after a rollback");
}

}  // namespace
}  // namespace wfsim::models::glue::testing
