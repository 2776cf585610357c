// The in-process client: faults reach it as they would reach an SDK, waits advance the
// virtual clock, and the standard retry mode retries what the SDKs retry, with their backoff
// and retry quota.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "properties/client.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

const char* const kDefinition =
    "nightly:\n  tasks:\n    work:\n"
    "      operator: airflow.providers.standard.operators.empty.EmptyOperator\n";

std::unique_ptr<World> make_world(const json& faults = json::object(), std::uint64_t seed = 7) {
  WorldOptions options;
  options.seed = seed;
  options.config = {{"objects", {{"s3://defs/nightly.yaml", kDefinition}}},
                    {"profiles", {{"mwaa-serverless", {{"task", {{"duration", 60}}}}}}},
                    {"faults", faults}};
  auto created = World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) {
    ADD_FAILURE() << *error;
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<World>>(created));
}

std::string create_workflow(Client& client) {
  const ClientOutcome created =
      client.call("CreateWorkflow",
                  {{"Name", "nightly"},
                   {"DefinitionS3Location", {{"Bucket", "defs"}, {"ObjectKey", "nightly.yaml"}}},
                   {"RoleArn", "arn:aws:iam::111122223333:role/mwaa-exec"}});
  EXPECT_TRUE(created.ok());
  return created.ok() ? created.value().at("WorkflowArn").get<std::string>() : "";
}

json start_faults(const std::string& kind, std::vector<int> nth) {
  return {
      {"rules", {{{"match", "mwaa-serverless:StartWorkflowRun"}, {"kind", kind}, {"nth", nth}}}}};
}

// Scripted decisions, one per attempt.
class Script : public FaultSource {
 public:
  explicit Script(std::vector<sim::FaultKind> kinds) : kinds_(std::move(kinds)) {}
  sim::FaultDecision next(std::string_view, std::string_view) override {
    sim::FaultDecision decision;
    if (next_ < kinds_.size()) decision.kind = kinds_[next_++];
    return decision;
  }

 private:
  std::vector<sim::FaultKind> kinds_;
  std::size_t next_ = 0;
};

TEST(ClientErrors, StandardModeRetriesThrottlingTransientStatusesAndTransportFailures) {
  EXPECT_TRUE(is_retryable_error({"ThrottlingException", "", 429}));
  EXPECT_TRUE(is_retryable_error({"ThrottlingException", "", 400}));
  EXPECT_TRUE(is_retryable_error({"InternalServiceException", "", 500}));
  EXPECT_TRUE(is_retryable_error({"ServiceUnavailableException", "", 503}));
  EXPECT_TRUE(is_retryable_error({"OperationTimeoutException", "", 504}));
  EXPECT_TRUE(is_retryable_error({"RequestTimeout", "", 0}));
  EXPECT_FALSE(is_retryable_error({"OperationTimeoutException", "", 400}));  // Glue's is 400
  EXPECT_FALSE(is_retryable_error({"ValidationException", "", 400}));
  EXPECT_FALSE(is_retryable_error({"ConcurrentRunsExceededException", "", 400}));
  EXPECT_FALSE(is_retryable_error({"ServiceQuotaExceededException", "", 402}));
}

TEST(Client, WithoutRetriesAnInjectedFaultReachesTheCaller) {
  auto world = make_world(start_faults("throttle", {1}));
  Client client(*world, "mwaa-serverless");
  const std::string arn = create_workflow(client);
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "ThrottlingException");
  EXPECT_EQ(started.attempts, 1);
}

TEST(Client, StandardModeRetriesWithBackoffOnTheVirtualClockAndKeepsTheToken) {
  auto world = make_world(start_faults("throttle", {1, 2}));
  History history;
  Client client(*world, "mwaa-serverless", RetryPolicy::standard(), nullptr, &history);
  const std::string arn = create_workflow(client);
  const sim::TimeUs before = world->now();
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  ASSERT_TRUE(started.ok()) << started.error().code;
  EXPECT_EQ(started.attempts, 3);

  std::vector<const Attempt*> attempts = history.attempts();
  ASSERT_EQ(attempts.size(), 4u);  // CreateWorkflow, then three starts
  const std::string token = attempts[1]->request.at("ClientToken").get<std::string>();
  EXPECT_EQ(token.size(), 36u);  // a UUID, as the SDKs fill it
  EXPECT_EQ(attempts[2]->request.at("ClientToken"), token);
  EXPECT_EQ(attempts[3]->request.at("ClientToken"), token);
  // Two waits: each at most base * 2^(retry-1) but never below RetryAfterSeconds (1 s).
  std::vector<sim::DurationUs> waits;
  for (const auto& step : history.steps) {
    if (step.sleep) waits.push_back(step.sleep->duration_us);
  }
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0], sim::seconds(1));
  EXPECT_GE(waits[1], sim::seconds(1));
  EXPECT_LE(waits[1], sim::seconds(2));
  EXPECT_EQ(world->now() - before, waits[0] + waits[1]);
}

TEST(Client, StandardModeGivesUpAfterThreeAttempts) {
  auto world = make_world(start_faults("internal", {1, 2, 3}));
  Client client(*world, "mwaa-serverless", RetryPolicy::standard());
  const std::string arn = create_workflow(client);
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "InternalServerException");
  EXPECT_EQ(started.attempts, 3);
}

TEST(Client, StandardModeDoesNotRetryAClientError) {
  auto world = make_world();
  Client client(*world, "mwaa-serverless", RetryPolicy::standard());
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", "nope"}});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "ValidationException");
  EXPECT_EQ(started.attempts, 1);
}

TEST(Client, TheRetryQuotaRunsOutAndIsGivenBack) {
  auto world = make_world();
  RetryPolicy policy = RetryPolicy::standard();
  policy.initial_quota = 15;
  Script script({sim::FaultKind::lost_response, sim::FaultKind::none,     // costs 10, refunds 10
                 sim::FaultKind::lost_response, sim::FaultKind::internal,  // 10, then 5
                 sim::FaultKind::internal});                               // quota 0: no retry
  Client client(*world, "mwaa-serverless", policy, &script);
  EXPECT_TRUE(client.call("ListWorkflows", json::object()).ok());
  EXPECT_EQ(client.retry_quota(), 15);
  const ClientOutcome failed = client.call("ListWorkflows", json::object());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(client.retry_quota(), 0);
  EXPECT_TRUE(client.call("ListWorkflows", json::object()).ok());  // a success adds one token
  EXPECT_EQ(client.retry_quota(), 1);
}

TEST(Client, ALostResponseIsATransportErrorButTheRunWasStarted) {
  auto world = make_world();
  History history;
  Script script({sim::FaultKind::none, sim::FaultKind::lost_response});
  Client client(*world, "mwaa-serverless", RetryPolicy::none(), &script, &history);
  const std::string arn = create_workflow(client);
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.transport_error());
  const Attempt& attempt = *history.attempts().back();
  ASSERT_TRUE(attempt.hidden.has_value());
  ASSERT_TRUE(attempt.hidden->ok());
  EXPECT_TRUE(attempt.hidden->value().contains("RunId"));
  const ClientOutcome runs = client.call("ListWorkflowRuns", {{"WorkflowArn", arn}});
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs.value().at("WorkflowRuns").size(), 1u);
}

TEST(Client, SleepingAdvancesTheVirtualClockAndRunsProgress) {
  auto world = make_world();
  Client client(*world, "mwaa-serverless");
  const std::string arn = create_workflow(client);
  const ClientOutcome started = client.call("StartWorkflowRun", {{"WorkflowArn", arn}});
  ASSERT_TRUE(started.ok());
  const sim::TimeUs before = client.now();
  client.sleep(sim::minutes(10));
  EXPECT_EQ(client.now() - before, sim::minutes(10));
  const ClientOutcome got = client.call(
      "GetWorkflowRun", {{"WorkflowArn", arn}, {"RunId", started.value().at("RunId")}});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().at("RunDetail").at("RunState"), "SUCCESS");
}

TEST(Client, ACallerThatNeverLetsTimePassIsStopped) {
  auto world = make_world();
  ClientLimits limits;
  limits.max_attempts_same_instant = 5;
  Client client(*world, "mwaa-serverless", RetryPolicy::none(), nullptr, nullptr, limits);
  for (int i = 0; i < 5; ++i) client.call("ListWorkflows", json::object());
  EXPECT_THROW(client.call("ListWorkflows", json::object()), CallBudgetExceeded);
  client.sleep(sim::seconds(1));
  EXPECT_NO_THROW(client.call("ListWorkflows", json::object()));
}

TEST(Client, TokensAndBackoffAreFixedByTheSeed) {
  const auto tokens = [](std::uint64_t seed) {
    auto world = make_world(json::object(), seed);
    Client client(*world, "mwaa-serverless");
    return client.new_token() + client.new_token();
  };
  EXPECT_EQ(tokens(3), tokens(3));
  EXPECT_NE(tokens(3), tokens(4));
}

}  // namespace
}  // namespace wfsim::properties
