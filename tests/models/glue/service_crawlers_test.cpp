// Tests of the Glue crawler operations and crawls (crawlers.cpp; fact sheet 5, 5.1, 6.5,
// 6.7): validation and every listed error, crawler states, LastCrawl, stopping, schedules
// under the virtual clock, and crawls that triggers launch.
#include <gtest/gtest.h>

#include <string>

#include "tests/models/glue/service_fixture.hpp"

namespace wfsim::models::glue::testing {
namespace {

json valid_crawler(const std::string& name) {
  return {{"Name", name},
          {"Role", kRole},
          {"Targets", {{"S3Targets", {{{"Path", "s3://data/" + name}}}}}}};
}

json get_crawler(GlueWorld& world, const std::string& name) {
  return world.ok("GetCrawler", {{"Name", name}})["Crawler"];
}

std::string crawler_state(GlueWorld& world, const std::string& name) {
  return get_crawler(world, name).value("State", "");
}

double at(sim::DurationUs offset_us) { return (kStart + offset_us) / 1e6; }

TEST(GlueCrawlers, CreateCrawlerRejectsEveryInvalidMemberAndChangesNothing) {
  GlueWorld world;
  const std::vector<json> invalid_members = {
      {{"Name", ""}},
      {{"Name", std::string(256, 'c')}},
      {{"Role", nullptr}},
      {{"Role", 3}},
      {{"Targets", nullptr}},
      {{"Targets", json::object()}},
      {{"Targets", {{"S3Targets", json::array()}, {"JdbcTargets", json::array()}}}},
      {{"Targets", {{"S3Targets", "s3://x"}}}},
      {{"Targets", {{"S3Targets", {"s3://x"}}}}},
      {{"Description", std::string(2049, 'd')}},
      {{"Schedule", "cron(bad)"}},
      {{"Schedule", "rate(5 minutes)"}},
      {{"Schedule", "0 12 * * *"}},
      {{"Configuration", "{not json"}},
      {{"Configuration", "[1]"}},
      {{"Tags", {{"k", 1}}}},
      {{"DatabaseName", 1}},
      {{"Classifiers", "c"}},
      {{"TablePrefix", std::string(129, 't')}},
      {{"SchemaChangePolicy", "LOG"}},
  };
  for (const auto& members : invalid_members) {
    json request = valid_crawler("c");
    request.update(members);
    const auto error = world.error("CreateCrawler", request, "InvalidInputException");
    EXPECT_NE(error.message.find("Value"), std::string::npos) << members.dump();
  }
  world.error("GetCrawler", {{"Name", "c"}}, "EntityNotFoundException");
}

TEST(GlueCrawlers, AnyTargetKindCounts) {
  GlueWorld world;
  for (const char* kind : {"JdbcTargets", "MongoDBTargets", "DynamoDBTargets", "CatalogTargets",
                           "DeltaTargets", "IcebergTargets", "HudiTargets"}) {
    json request = valid_crawler(std::string("c-") + kind);
    request["Targets"] = {{kind, {{{"Path", "x"}}}}};
    world.ok("CreateCrawler", request);
  }
}

TEST(GlueCrawlers, CreateCrawlerAlreadyExistsAndQuota) {
  GlueWorld world(json{{"quotas", {{"crawlers", 1}}}});
  EXPECT_EQ(world.ok("CreateCrawler", valid_crawler("a")), json::object());
  world.error("CreateCrawler", valid_crawler("a"), "AlreadyExistsException");
  world.error("CreateCrawler", valid_crawler("b"), "ResourceNumberLimitExceededException");
}

TEST(GlueCrawlers, GetCrawlerEchoesTheDefinitionAndReportsState) {
  GlueWorld world;
  world.advance(sim::seconds(3));
  json request = valid_crawler("c");
  request.update({{"DatabaseName", "db"},
                  {"Description", "raw zone"},
                  {"Configuration", "{\"Version\": 1.0}"},
                  {"TablePrefix", "raw_"},
                  {"Tags", {{"a", "b"}}},
                  {"Schedule", "cron(0 * * * ? *)"}});
  world.ok("CreateCrawler", request);
  const json crawler = get_crawler(world, "c");
  EXPECT_EQ(crawler["Name"], "c");
  EXPECT_EQ(crawler["Role"], kRole);
  EXPECT_EQ(crawler["DatabaseName"], "db");
  EXPECT_EQ(crawler["Description"], "raw zone");
  EXPECT_EQ(crawler["Configuration"], "{\"Version\": 1.0}");
  EXPECT_EQ(crawler["TablePrefix"], "raw_");
  EXPECT_EQ(crawler["Targets"]["S3Targets"][0]["Path"], "s3://data/c");
  EXPECT_EQ(crawler["State"], "READY");
  EXPECT_EQ(crawler["Version"], 1);
  EXPECT_DOUBLE_EQ(crawler["CreationTime"].get<double>(), at(sim::seconds(3)));
  EXPECT_EQ(crawler["LastUpdated"], crawler["CreationTime"]);
  EXPECT_EQ(crawler["Schedule"],
            json({{"ScheduleExpression", "cron(0 * * * ? *)"}, {"State", "SCHEDULED"}}));
  EXPECT_FALSE(crawler.contains("Tags"));
  EXPECT_FALSE(crawler.contains("LastCrawl"));
  EXPECT_FALSE(crawler.contains("CrawlElapsedTime"));
}

TEST(GlueCrawlers, OperationsOnUnknownCrawlersAndBadNames) {
  GlueWorld world;
  for (const char* operation : {"GetCrawler", "DeleteCrawler", "StartCrawler", "StopCrawler"}) {
    world.error(operation, {{"Name", "missing"}}, "EntityNotFoundException");
    world.error(operation, json::object(), "InvalidInputException");
    world.error(operation, {{"Name", "a\x01"}}, "InvalidInputException");
  }
}

TEST(GlueCrawlers, StartCrawlerRunsACrawlToSucceeded) {
  GlueWorld world;
  world.crawler("c");
  EXPECT_EQ(world.ok("StartCrawler", {{"Name", "c"}}), json::object());
  EXPECT_EQ(crawler_state(world, "c"), "RUNNING");
  world.advance(sim::seconds(20));
  EXPECT_EQ(get_crawler(world, "c")["CrawlElapsedTime"], 20000);
  world.error("StartCrawler", {{"Name", "c"}}, "CrawlerRunningException");
  world.error("DeleteCrawler", {{"Name", "c"}}, "CrawlerRunningException");
  world.advance(sim::seconds(40));
  const json crawler = get_crawler(world, "c");
  EXPECT_EQ(crawler["State"], "READY");
  EXPECT_FALSE(crawler.contains("CrawlElapsedTime"));
  EXPECT_EQ(crawler["LastCrawl"]["Status"], "SUCCEEDED");
  EXPECT_DOUBLE_EQ(crawler["LastCrawl"]["StartTime"].get<double>(), at(0));
  EXPECT_EQ(crawler["LastCrawl"]["LogGroup"], "/aws-glue/crawlers");
  EXPECT_EQ(crawler["LastCrawl"]["LogStream"], "c");
  EXPECT_FALSE(crawler["LastCrawl"].contains("ErrorMessage"));
  world.ok("StartCrawler", {{"Name", "c"}});
  world.expect_invariants("after crawls");
}

TEST(GlueCrawlers, AFailedCrawlIsTheLastCrawlWithItsError) {
  json profiles = fixed_profiles(30);
  profiles["crawlers"] = {{"c", {{"outcome", {"FAILED"}}}}};
  GlueWorld world(nullptr, profiles);
  world.crawler("c");
  world.ok("StartCrawler", {{"Name", "c"}});
  world.advance(sim::seconds(30));
  const json last = get_crawler(world, "c")["LastCrawl"];
  EXPECT_EQ(last["Status"], "FAILED");
  EXPECT_TRUE(last.contains("ErrorMessage"));
}

TEST(GlueCrawlers, StopCrawlerCancelsTheCrawl) {
  GlueWorld world;
  world.crawler("c");
  world.error("StopCrawler", {{"Name", "c"}}, "CrawlerNotRunningException");
  world.ok("StartCrawler", {{"Name", "c"}});
  world.advance(sim::seconds(5));
  EXPECT_EQ(world.ok("StopCrawler", {{"Name", "c"}}), json::object());
  EXPECT_EQ(crawler_state(world, "c"), "STOPPING");
  world.error("StopCrawler", {{"Name", "c"}}, "CrawlerStoppingException");
  world.error("StartCrawler", {{"Name", "c"}}, "CrawlerRunningException");
  world.error("DeleteCrawler", {{"Name", "c"}}, "CrawlerRunningException");
  world.advance(sim::seconds(10));
  const json crawler = get_crawler(world, "c");
  EXPECT_EQ(crawler["State"], "READY");
  EXPECT_EQ(crawler["LastCrawl"]["Status"], "CANCELLED");
  // The cancelled crawl's own end (60 s after its start) never comes.
  world.advance(sim::minutes(5));
  EXPECT_EQ(get_crawler(world, "c")["LastCrawl"]["Status"], "CANCELLED");
}

TEST(GlueCrawlers, DeleteCrawlerRemovesAReadyCrawlerAndItsSchedule) {
  GlueWorld world;
  json request = valid_crawler("c");
  request["Schedule"] = "cron(0/5 * * * ? *)";
  world.ok("CreateCrawler", request);
  EXPECT_EQ(world.ok("DeleteCrawler", {{"Name", "c"}}), json::object());
  world.error("GetCrawler", {{"Name", "c"}}, "EntityNotFoundException");
  world.advance(sim::minutes(30));
  world.error("GetCrawler", {{"Name", "c"}}, "EntityNotFoundException");
  world.crawler("c");
  world.advance(sim::minutes(10));
  EXPECT_FALSE(get_crawler(world, "c").contains("LastCrawl"));
}

TEST(GlueCrawlers, AScheduleStartsCrawlsAtItsCronInstants) {
  GlueWorld world;
  json request = valid_crawler("c");
  request["Schedule"] = "cron(0 * * * ? *)";
  world.ok("CreateCrawler", request);
  world.advance(sim::minutes(60) - 1);
  EXPECT_EQ(crawler_state(world, "c"), "READY");
  world.advance(1);
  EXPECT_EQ(crawler_state(world, "c"), "RUNNING");
  world.advance(sim::seconds(60));
  json last = get_crawler(world, "c")["LastCrawl"];
  EXPECT_EQ(last["Status"], "SUCCEEDED");
  EXPECT_DOUBLE_EQ(last["StartTime"].get<double>(), at(sim::hours(1)));
  world.advance(sim::hours(1));
  last = get_crawler(world, "c")["LastCrawl"];
  EXPECT_DOUBLE_EQ(last["StartTime"].get<double>(), at(sim::hours(2)));
}

TEST(GlueCrawlers, AScheduleInstantThatFindsTheCrawlerBusyIsSkipped) {
  GlueWorld world(nullptr, fixed_profiles(90 * 60));
  json request = valid_crawler("c");
  request["Schedule"] = "cron(0 * * * ? *)";
  world.ok("CreateCrawler", request);
  world.advance(sim::hours(2) + sim::minutes(45));  // crawl 01:00-02:30; 02:00 is skipped
  json crawler = get_crawler(world, "c");
  EXPECT_EQ(crawler["State"], "READY");
  EXPECT_DOUBLE_EQ(crawler["LastCrawl"]["StartTime"].get<double>(), at(sim::hours(1)));
  world.advance(sim::minutes(15) + sim::seconds(30));
  crawler = get_crawler(world, "c");
  EXPECT_EQ(crawler["State"], "RUNNING");
  EXPECT_EQ(crawler["CrawlElapsedTime"], 30000);
}

TEST(GlueCrawlers, SameSeedSameCrawls) {
  const json profiles = {
      {"crawler", {{"duration", {{"uniform", {10, 500}}}}, {"outcome", {{"fail", "1/2"}}}}}};
  auto history = [&](std::uint64_t seed) {
    GlueWorld world(nullptr, profiles, seed);
    json request = valid_crawler("c");
    request["Schedule"] = "cron(0/10 * * * ? *)";
    world.ok("CreateCrawler", request);
    std::string seen;
    for (int i = 0; i < 12; ++i) {
      world.advance(sim::minutes(10));
      seen += get_crawler(world, "c").dump();
    }
    return seen;
  };
  const std::string first = history(11);
  EXPECT_NE(first.find("LastCrawl"), std::string::npos) << "nothing crawled";
  EXPECT_EQ(first, history(11));
  EXPECT_NE(first, history(12));  // the durations and outcomes come from the seed
}

// --- crawls a workflow launches (these need the lead's runs.cpp and triggers.cpp) -------

TEST(GlueCrawlersInWorkflows, AWorkflowCrawlShowsInTheRunGraph) {
  GlueWorld world;
  world.crawler("c");
  world.crawler("busy");
  world.workflow("wf");
  world.ok("CreateTrigger", {{"Name", "start"},
                             {"WorkflowName", "wf"},
                             {"Type", "ON_DEMAND"},
                             {"Actions", {{{"CrawlerName", "c"}}, {{"CrawlerName", "busy"}}}}});
  world.ok("StartCrawler", {{"Name", "busy"}});
  const std::string run_id = world.start("wf");
  EXPECT_EQ(crawler_state(world, "c"), "RUNNING");
  world.advance(sim::minutes(5));
  const json run = world.run("wf", run_id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  int crawler_nodes = 0;
  for (const auto& node : run["Graph"]["Nodes"]) {
    if (node["Type"] != "CRAWLER") continue;
    ++crawler_nodes;
    const json& crawls = node["CrawlerDetails"]["Crawls"];
    ASSERT_EQ(crawls.size(), 1u);
    EXPECT_EQ(crawls[0]["State"], node["Name"] == "c" ? "SUCCEEDED" : "ERROR");
    EXPECT_TRUE(crawls[0].contains("CompletedOn"));
  }
  EXPECT_EQ(crawler_nodes, 2);
  // The ERROR crawl never ran, so the busy crawler's LastCrawl is its own crawl.
  EXPECT_DOUBLE_EQ(get_crawler(world, "busy")["LastCrawl"]["StartTime"].get<double>(), at(0));
}

}  // namespace
}  // namespace wfsim::models::glue::testing
