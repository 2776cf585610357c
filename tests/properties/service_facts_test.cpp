// The census of service_facts.cpp: it must see every run the service holds and, since
// check_client takes one after each of the client's attempts, leave nothing behind that the
// client could notice.
#include "properties/service_facts.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <variant>

namespace wfsim::properties {
namespace {

using nlohmann::json;

constexpr const char* kDefinition = R"(census:
  tasks:
    only:
      operator: airflow.providers.standard.operators.empty.EmptyOperator
)";

// A world whose listings allow one request per second, with no burst to spare.
std::unique_ptr<World> throttled_mwaa_world() {
  const json one_per_second = {{"requests_per_second", 1}, {"burst", 1}};
  WorldOptions options;
  options.config = {
      {"objects", {{"s3://census/flow.yaml", kDefinition}}},
      {"services",
       {{"mwaa-serverless",
         {{"throttle",
           {{"ListWorkflows", one_per_second}, {"ListWorkflowRuns", one_per_second}}}}}}}};
  auto created = World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) ADD_FAILURE() << *error;
  return std::move(std::get<std::unique_ptr<World>>(created));
}

std::string start_run(World& world, const std::string& name) {
  const json create = {{"Name", name},
                       {"DefinitionS3Location", {{"Bucket", "census"}, {"ObjectKey", "flow.yaml"}}},
                       {"RoleArn", "arn:aws:iam::111122223333:role/census"}};
  const CallResult created = world.call("mwaa-serverless", "CreateWorkflow", create);
  EXPECT_TRUE(created.outcome.ok());
  const std::string arn = created.outcome.value()["WorkflowArn"];
  const CallResult started =
      world.call("mwaa-serverless", "StartWorkflowRun", {{"WorkflowArn", arn}});
  EXPECT_TRUE(started.outcome.ok());
  return started.outcome.value()["RunId"];
}

TEST(ServiceFacts, ACensusSeesEveryRunAndSpendsNoneOfTheClientsRequestRate) {
  auto world = throttled_mwaa_world();
  const std::string first = start_run(*world, "first");
  const std::string second = start_run(*world, "second");
  const ServiceFacts facts = mwaa_serverless_facts();

  // Three censuses in one instant: each lists workflows once and runs twice, far past the
  // rate of one request per second.
  for (int census = 0; census < 3; ++census) {
    const std::vector<RunSighting> runs = facts.census(*world);
    std::set<std::string> ids;
    for (const RunSighting& run : runs) {
      ids.insert(run.run_id);
      EXPECT_EQ(run.status, "STARTING");
    }
    EXPECT_EQ(ids, (std::set<std::string>{first, second})) << "census " << census;
  }
  // The client's own first listing in that instant is still within its rate.
  EXPECT_TRUE(world->call("mwaa-serverless", "ListWorkflows", json::object()).outcome.ok());
  const CallResult second_listing = world->call("mwaa-serverless", "ListWorkflows", json::object());
  ASSERT_FALSE(second_listing.outcome.ok());
  EXPECT_EQ(second_listing.outcome.error().code, "ThrottlingException");
}

}  // namespace
}  // namespace wfsim::properties
