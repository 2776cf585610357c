// World: configuration checks, call routing, each fault kind, crash handling, invariants,
// trace records and the configuration digest.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "models/world.hpp"
#include "tests/world/fake_service.hpp"

namespace wfsim {
namespace {

using nlohmann::json;
using testing::FakeService;

// These worlds get a fake service after creation, which their fault rules may name.
std::unique_ptr<World> make_world(json config = json::object(), std::uint64_t seed = 7) {
  WorldOptions options;
  options.seed = seed;
  options.config = std::move(config);
  options.require_known_calls = false;
  auto created = World::create(options);
  if (auto* error = std::get_if<std::string>(&created)) {
    ADD_FAILURE() << "world not built: " << *error;
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<World>>(created));
}

std::string create_error(json config) {
  WorldOptions options;
  options.config = std::move(config);
  auto created = World::create(options);
  auto* error = std::get_if<std::string>(&created);
  return error ? *error : std::string("(built)");
}

sim::FaultDecision forced(sim::FaultKind kind) {
  sim::FaultDecision decision;
  decision.kind = kind;
  return decision;
}

std::uint64_t count_now(World& world) {
  // A plain Count applies once more; the answer minus one is how many were applied before.
  return world.call("fake", "Count", json::object())
             .outcome.value()
             .at("count")
             .get<std::uint64_t>() -
         1;
}

TEST(WorldConfig, DefaultsBuildWithEveryRegisteredService) {
  auto world = make_world();
  ASSERT_TRUE(world);
  EXPECT_EQ(world->service_names(), (std::vector<std::string>{"glue", "mwaa-serverless"}));
  EXPECT_NE(world->service("mwaa-serverless"), nullptr);
  EXPECT_NE(world->service("glue"), nullptr);
  EXPECT_EQ(world->service("swf"), nullptr);
  EXPECT_EQ(world->now(), WorldOptions{}.start_us);
}

TEST(WorldConfig, UnknownMemberIsNamedWithItsPath) {
  EXPECT_EQ(
      create_error({{"servcies", json::object()}}).rfind("config.servcies: unknown member", 0), 0u);
}

TEST(WorldConfig, AccountMustBeTwelveDigits) {
  EXPECT_NE(create_error({{"account", "12345"}}).find("config.account"), std::string::npos);
  EXPECT_NE(create_error({{"account", 111122223333}}).find("config.account: must be a string"),
            std::string::npos);
  EXPECT_NE(make_world({{"account", "000011112222"}}), nullptr);
}

TEST(WorldConfig, RegionMustLookLikeARegion) {
  for (const char* bad : {"useast1", "US-EAST-1", "us-east-", "u-east-1", "us--1", ""}) {
    EXPECT_NE(create_error({{"region", bad}}).find("config.region"), std::string::npos) << bad;
  }
  for (const char* good : {"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-2"}) {
    EXPECT_NE(make_world({{"region", good}}), nullptr) << good;
  }
}

TEST(WorldConfig, PerServiceMapsRejectUnknownServices) {
  EXPECT_EQ(create_error({{"profiles", {{"mwaa", json::object()}}}})
                .rfind("config.profiles.mwaa: unknown service", 0),
            0u);
  EXPECT_EQ(create_error({{"services", {{"glu", json::object()}}}})
                .rfind("config.services.glu: unknown service", 0),
            0u);
  EXPECT_EQ(
      create_error({{"profiles", json::array()}}).rfind("config.profiles: must be an object", 0),
      0u);
}

TEST(WorldConfig, FaultsAndObjectsErrorsCarryTheirPath) {
  EXPECT_EQ(create_error({{"faults", {{"rules", "nope"}}}}).rfind("config.faults: ", 0), 0u);
  EXPECT_EQ(create_error({{"objects", {{"s3://b/k", 5}}}}).rfind("config.objects: ", 0), 0u);
  EXPECT_EQ(create_error(json::array()), "config: must be a JSON object");
}

TEST(WorldConfig, AFaultRuleThatMatchesNoCallIsAnError) {
  for (const char* typo : {"glue", "glu:*", "glue:StartWorkflowRn", "mwaa:*", "*:Nothing"}) {
    const std::string error =
        create_error({{"faults", {{"rules", {{{"match", typo}, {"kind", "throttle"}}}}}}});
    EXPECT_EQ(error.rfind("config.faults.rules[0].match: '" + std::string(typo) +
                              "' matches no call this world simulates",
                          0),
              0u)
        << error;
    EXPECT_NE(error.find("services: glue, mwaa-serverless"), std::string::npos) << error;
  }
  for (const char* good : {"*", "glue:*", "*:StartWorkflowRun", "mwaa-serverless:Get*",
                           "glue:GetWorkflowRun"}) {
    EXPECT_EQ(create_error({{"faults",
                             {{"rules",
                               {{{"match", "glue:*"}, {"kind", "internal"}},
                                {{"match", good}, {"kind", "throttle"}}}}}}}),
              "(built)")
        << good;
  }
  const std::string second = create_error(
      {{"faults",
        {{"rules", {{{"match", "glue:*"}, {"kind", "internal"}}, {{"match", "x"}, {"kind", "throttle"}}}}}}});
  EXPECT_EQ(second.rfind("config.faults.rules[1].match", 0), 0u) << second;
}

// config "deny": calls refused as IAM refuses them, with each service's AccessDenied shape.
TEST(WorldAccess, DeniedCallsGetTheServicesAccessDeniedAndChangeNothing) {
  auto world = make_world({{"account", "444455556666"},
                           {"deny", {"mwaa-serverless:CreateWorkflow", "glue:Get*"}}});
  const json create = {{"Name", "w"},
                       {"DefinitionS3Location", {{"Bucket", "b"}, {"ObjectKey", "k.yaml"}}},
                       {"RoleArn", "arn:aws:iam::444455556666:role/r"}};
  CallResult mwaa = world->call("mwaa-serverless", "CreateWorkflow", create);
  ASSERT_FALSE(mwaa.outcome.ok());
  EXPECT_EQ(mwaa.outcome.error().code, "AccessDeniedException");
  EXPECT_EQ(mwaa.http_status(), 403);
  EXPECT_EQ(mwaa.outcome.error().message,
            "User: arn:aws:sts::444455556666:assumed-role/wfsim-caller/wfsim is not authorized "
            "to perform: airflow-serverless:CreateWorkflow because no identity-based policy "
            "allows the airflow-serverless:CreateWorkflow action");
  EXPECT_EQ(world->call("mwaa-serverless", "ListWorkflows", json::object())
                .outcome.value()["Workflows"],
            json::array());
  CallResult glue = world->call("glue", "GetWorkflow", {{"Name", "nightly"}});
  ASSERT_FALSE(glue.outcome.ok());
  EXPECT_EQ(glue.outcome.error().code, "AccessDeniedException");
  EXPECT_EQ(glue.http_status(), 400);
  EXPECT_NE(glue.outcome.error().message.find("perform: glue:GetWorkflow because"),
            std::string::npos);
  // A call the patterns do not name is answered by the service.
  EXPECT_EQ(world->call("glue", "CreateWorkflow", {{"Name", "nightly"}}).outcome.ok(), true);
}

// Section 6: every MWAA Serverless operation may answer AccessDeniedException.
TEST(WorldAccess, EveryMwaaOperationCanBeDenied) {
  auto world = make_world({{"deny", {"mwaa-serverless:*"}}});
  const std::vector<std::string> operations =
      world->service("mwaa-serverless")->operations();
  ASSERT_EQ(operations.size(), 15u);
  for (const std::string& operation : operations) {
    CallResult result = world->call("mwaa-serverless", operation, json::object());
    ASSERT_FALSE(result.outcome.ok()) << operation;
    EXPECT_EQ(result.outcome.error().code, "AccessDeniedException") << operation;
    EXPECT_EQ(result.http_status(), 403) << operation;
    EXPECT_NE(result.outcome.error().message.find("airflow-serverless:" + operation + " "),
              std::string::npos)
        << result.outcome.error().message;
  }
}

// A fault is decided at the API boundary before access is: a throttled call is throttled
// whether or not it would be denied, and a rule's nth counts denied calls too.
TEST(WorldAccess, AFaultIsDecidedBeforeAccess) {
  auto world = make_world(
      {{"deny", {"glue:GetWorkflow"}},
       {"faults", {{"rules", {{{"match", "glue:GetWorkflow"}, {"kind", "throttle"}, {"nth", {2}}}}}}}});
  const json request = {{"Name", "nightly"}};
  EXPECT_EQ(world->call("glue", "GetWorkflow", request).outcome.error().code,
            "AccessDeniedException");
  const CallResult second = world->call("glue", "GetWorkflow", request);
  EXPECT_EQ(second.fault, sim::FaultKind::throttle);
  EXPECT_EQ(second.outcome.error().code, "ThrottlingException");
  EXPECT_EQ(world->call("glue", "GetWorkflow", request).outcome.error().code,
            "AccessDeniedException");
}

TEST(WorldAccess, DenyEntriesAreChecked) {
  EXPECT_EQ(create_error({{"deny", "glue:*"}}),
            "config.deny: must be an array of \"service:Operation\" patterns");
  EXPECT_EQ(create_error({{"deny", {"glue:*", 5}}}).rfind("config.deny[1]: must be a non-empty", 0),
            0u);
  EXPECT_EQ(create_error({{"deny", {"glue:DeleteWorkflw"}}})
                .rfind("config.deny[0]: 'glue:DeleteWorkflw' matches no call this world simulates",
                       0),
            0u);
  EXPECT_EQ(create_error({{"deny", {"*"}}}), "(built)");
}

TEST(WorldConfig, ServiceConfigurationErrorsAreNamedUnderConfig) {
  std::string error =
      create_error({{"services", {{"mwaa-serverless", {{"quotas", {{"bogus", 1}}}}}}}});
  EXPECT_EQ(error.rfind("config.services.mwaa-serverless.quotas", 0), 0u) << error;
}

TEST(WorldCall, UnknownServiceOperationAndNonObjectRequestGetProtocolErrors) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult unknown_service = world->call("glue2", "Echo", json::object());
  EXPECT_EQ(unknown_service.outcome.error().code, "UnknownServiceException");
  EXPECT_EQ(unknown_service.http_status(), 400);
  CallResult unknown_operation = world->call("fake", "Nope", json::object());
  EXPECT_EQ(unknown_operation.outcome.error().code, "UnknownOperationException");
  EXPECT_EQ(unknown_operation.http_status(), 400);
  CallResult not_object = world->call("fake", "Echo", json::array({1}));
  EXPECT_EQ(not_object.outcome.error().code, "SerializationException");
  EXPECT_EQ(not_object.http_status(), 400);
}

TEST(WorldCall, RejectedCallsDoNotConsumeFaultRules) {
  auto world = make_world(
      {{"faults", {{"rules", {{{"match", "fake:*"}, {"kind", "throttle"}, {"nth", {1}}}}}}}});
  FakeService::install(*world);
  world->call("fake", "Nope", json::object());
  world->call("fake", "Echo", "text");
  CallResult first = world->call("fake", "Count", json::object());
  EXPECT_EQ(first.fault, sim::FaultKind::throttle);
  EXPECT_EQ(first.outcome.error().code, "ThrottlingException");
  EXPECT_EQ(world->call("fake", "Count", json::object()).outcome.value()["count"], 1);
}

TEST(WorldFaults, NoneApplies) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result =
      world->call_with_fault("fake", "Count", json::object(), forced(sim::FaultKind::none));
  ASSERT_TRUE(result.outcome.ok());
  EXPECT_EQ(result.outcome.value()["count"], 1);
  EXPECT_EQ(result.fault, sim::FaultKind::none);
}

TEST(WorldFaults, RefusingKindsAnswerTheServiceErrorAndChangeNothing) {
  struct Case {
    sim::FaultKind kind;
    const char* code;
    int status;
  };
  for (Case c : {Case{sim::FaultKind::throttle, "ThrottlingException", 400},
                 Case{sim::FaultKind::internal, "InternalServerException", 500},
                 Case{sim::FaultKind::unavailable, "ServiceUnavailableException", 503},
                 Case{sim::FaultKind::timeout_before, "RequestTimeoutException", 408}}) {
    auto world = make_world();
    FakeService::install(*world);
    CallResult result = world->call_with_fault("fake", "Count", json::object(), forced(c.kind));
    ASSERT_FALSE(result.outcome.ok());
    EXPECT_EQ(result.outcome.error().code, c.code);
    EXPECT_EQ(result.http_status(), c.status);
    EXPECT_EQ(result.fault, c.kind);
    EXPECT_FALSE(result.response_lost);
    EXPECT_EQ(count_now(*world), 0u) << sim::to_string(c.kind);
  }
}

TEST(WorldFaults, ThrottlePassesRetryAfterToTheService) {
  auto world = make_world();
  FakeService::install(*world);
  sim::FaultDecision decision = forced(sim::FaultKind::throttle);
  decision.retry_after_seconds = 3;
  CallResult result = world->call_with_fault("fake", "Count", json::object(), decision);
  EXPECT_EQ(result.outcome.error().fields["RetryAfterSeconds"], 3);
}

TEST(WorldFaults, TimeoutAfterAppliesThenAnswersTheTimeout) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result = world->call_with_fault("fake", "Count", json::object(),
                                             forced(sim::FaultKind::timeout_after));
  EXPECT_EQ(result.outcome.error().code, "RequestTimeoutException");
  EXPECT_EQ(count_now(*world), 1u);
}

TEST(WorldFaults, LostResponseAppliesAndReportsATransportTimeout) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result = world->call_with_fault("fake", "Count", json::object(),
                                             forced(sim::FaultKind::lost_response));
  EXPECT_TRUE(result.response_lost);
  EXPECT_EQ(result.outcome.error().code, "RequestTimeout");
  EXPECT_EQ(result.http_status(), 0);
  EXPECT_EQ(count_now(*world), 1u);
}

TEST(WorldFaults, DuplicateAppliesTwiceAndReturnsTheFirstResponse) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result =
      world->call_with_fault("fake", "Count", json::object(), forced(sim::FaultKind::duplicate));
  ASSERT_TRUE(result.outcome.ok());
  EXPECT_EQ(result.outcome.value()["count"], 1);
  EXPECT_EQ(count_now(*world), 2u);
}

TEST(WorldFaults, LatencyAppliesThenAdvancesTheClockFiringDueTimers) {
  auto world = make_world();
  FakeService::install(*world);
  world->call("fake", "Later", {{"after_seconds", 1}});
  sim::TimeUs before = world->now();
  sim::FaultDecision decision = forced(sim::FaultKind::latency);
  decision.latency_us = sim::seconds(2);
  CallResult result = world->call_with_fault("fake", "Count", json::object(), decision);
  ASSERT_TRUE(result.outcome.ok());
  EXPECT_EQ(result.latency_us, sim::seconds(2));
  EXPECT_EQ(world->now(), before + sim::seconds(2));
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 1);
  EXPECT_EQ(count_now(*world), 1u);
}

TEST(WorldFaults, LatencyWithoutADelayWaitsOneSecond) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result =
      world->call_with_fault("fake", "Echo", json::object(), forced(sim::FaultKind::latency));
  EXPECT_EQ(result.latency_us, sim::seconds(1));
}

TEST(WorldFaults, AnExplicitZeroLatencyTakesNoTime) {
  auto world = make_world();
  FakeService::install(*world);
  const sim::TimeUs before = world->now();
  sim::FaultDecision decision = forced(sim::FaultKind::latency);
  decision.latency_us = 0;
  CallResult result = world->call_with_fault("fake", "Echo", json::object(), decision);
  EXPECT_EQ(result.fault, sim::FaultKind::latency);
  EXPECT_EQ(result.latency_us, 0);
  EXPECT_EQ(world->now(), before);
}

TEST(WorldFaults, PlanRulesFireOnTheirNthCallAndAreTraced) {
  auto world = make_world(
      {{"faults", {{"rules", {{{"match", "fake:Count"}, {"kind", "internal"}, {"nth", {2}}}}}}}});
  FakeService::install(*world);
  EXPECT_TRUE(world->call("fake", "Count", json::object()).outcome.ok());
  CallResult second = world->call("fake", "Count", json::object());
  EXPECT_EQ(second.fault, sim::FaultKind::internal);
  EXPECT_EQ(second.http_status(), 500);
  const sim::TraceEvent& last = world->trace().events().back();
  EXPECT_EQ(last.kind, "call");
  EXPECT_EQ(last.detail["fault"], "internal");
  EXPECT_EQ(last.detail["error"], "InternalServerException");
  EXPECT_EQ(last.detail["status"], 500);
}

TEST(WorldCrash, AnExceptionBecomesInternalFailureAndACrashEvent) {
  auto world = make_world();
  FakeService::install(*world);
  for (const char* operation : {"Throw", "ThrowOther"}) {
    CallResult result = world->call("fake", operation, json::object());
    ASSERT_FALSE(result.outcome.ok());
    EXPECT_EQ(result.outcome.error().code, "InternalFailure");
    EXPECT_EQ(result.http_status(), 500);
    bool crashed = false;
    for (const sim::TraceEvent& event : world->trace().events()) {
      crashed |= event.kind == "crash" && event.detail["operation"] == operation;
    }
    EXPECT_TRUE(crashed) << operation;
  }
  EXPECT_EQ(world->trace().events().at(0).detail["exception"], "fake exploded");
  EXPECT_TRUE(world->call("fake", "Echo", json::object()).outcome.ok());
}

TEST(WorldCrash, ACrashUnderADuplicateFaultIsStillCaught) {
  auto world = make_world();
  FakeService::install(*world);
  CallResult result =
      world->call_with_fault("fake", "Throw", json::object(), forced(sim::FaultKind::duplicate));
  EXPECT_EQ(result.outcome.error().code, "InternalFailure");
}

TEST(WorldCrash, ATimerThatThrowsIsCaughtAndTheClockGoesOn) {
  auto world = make_world();
  FakeService::install(*world);
  world->call("fake", "LaterThrow", json::object());
  world->call("fake", "Later", {{"after_seconds", 2}});
  sim::TimeUs start = world->now();
  world->advance(sim::seconds(5));
  EXPECT_EQ(world->now(), start + sim::seconds(5));
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 1);
  const sim::TraceEvent& crash = world->trace().events().at(2);
  EXPECT_EQ(crash.kind, "crash");
  EXPECT_EQ(crash.detail["exception"], "timer exploded");
  EXPECT_EQ(crash.time_us, start + sim::seconds(1));

  world->call("fake", "LaterThrow", json::object());
  world->call("fake", "Later", {{"after_seconds", 2}});
  sim::Scheduler::IdleResult idle = world->run_until_idle();
  EXPECT_TRUE(idle.idle);
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 2);
}

TEST(WorldCrash, EveryCrashIsListedEvenWithTheTraceOff) {
  WorldOptions options;
  options.trace.enabled = false;
  auto created = World::create(options);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<World>>(created));
  World& world = *std::get<std::unique_ptr<World>>(created);
  FakeService::install(world);
  world.call("fake", "Throw", json::object());
  world.call("fake", "LaterThrow", json::object());
  world.advance(sim::seconds(2));
  ASSERT_EQ(world.crashes().size(), 2u);
  EXPECT_EQ(world.crashes()[0].where, "fake:Throw");
  EXPECT_EQ(world.crashes()[0].what, "fake exploded");
  EXPECT_EQ(world.crashes()[1].where, "timer");
  EXPECT_EQ(world.crashes()[1].what, "timer exploded");
}

TEST(WorldTrace, EveryCallIsRecordedWithItsRequestAndResponse) {
  auto world = make_world();
  FakeService::install(*world);
  world->call("fake", "Echo", {{"a", 1}});
  world->call("fake", "Fail", json::object());
  const auto& events = world->trace().events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, "call");
  EXPECT_EQ(events[0].detail["service"], "fake");
  EXPECT_EQ(events[0].detail["operation"], "Echo");
  EXPECT_EQ(events[0].detail["request"], json({{"a", 1}}));
  EXPECT_EQ(events[0].detail["response"], json({{"a", 1}}));
  EXPECT_FALSE(events[0].detail.contains("fault"));
  EXPECT_EQ(events[1].detail["error"], "FakeFailure");
  EXPECT_EQ(events[1].detail["status"], 400);
}

TEST(WorldTrace, ADisabledTraceRecordsNothing) {
  WorldOptions options;
  options.trace.enabled = false;
  auto world = std::move(std::get<std::unique_ptr<World>>(World::create(options)));
  FakeService::install(*world);
  world->call("fake", "Echo", json::object());
  EXPECT_EQ(world->trace().size(), 0u);
}

TEST(WorldClock, AdvanceFiresDueTimersAndIgnoresNegativeSpans) {
  auto world = make_world();
  FakeService::install(*world);
  world->call("fake", "Later", {{"after_seconds", 30}});
  sim::TimeUs start = world->now();
  world->advance(-5);
  EXPECT_EQ(world->now(), start);
  world->advance(sim::seconds(29));
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 0);
  world->advance(sim::seconds(1));
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 1);
  EXPECT_TRUE(world->run_until_idle().idle);
}

// Past 9999-12-31T23:59:59.999999Z no timestamp could be written, and now + d would
// overflow: the clock stops there, and timers due later stay pending.
TEST(WorldClock, TheClockStopsAtTheLastInstantRfc3339CanWrite) {
  auto world = make_world();
  FakeService::install(*world);
  world->advance(std::numeric_limits<sim::DurationUs>::max());
  EXPECT_EQ(world->now(), sim::kLastInstantUs);
  EXPECT_EQ(sim::format_rfc3339_exact(world->now()), "9999-12-31T23:59:59.999999Z");
  world->advance(sim::seconds(1));
  EXPECT_EQ(world->now(), sim::kLastInstantUs);
  world->call("fake", "Later", {{"after_seconds", 30}});
  const sim::Scheduler::IdleResult result = world->run_until_idle();
  EXPECT_EQ(result.fired, 0u);
  EXPECT_FALSE(result.idle);
  EXPECT_EQ(world->now(), sim::kLastInstantUs);
  EXPECT_EQ(world->call("fake", "Fired", json::object()).outcome.value()["fired"], 0);
}

TEST(WorldInvariants, ViolationsArePrefixedWithTheServiceName) {
  auto world = make_world();
  FakeService& fake = FakeService::install(*world);
  EXPECT_TRUE(world->check_invariants().empty());
  fake.violations.push_back({"count-positive", "count is -1"});
  auto violations = world->check_invariants();
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].invariant, "fake:count-positive");
  EXPECT_EQ(violations[0].detail, "count is -1");
}

TEST(WorldDigest, IsStableAndNamesSeedStartAndConfig) {
  WorldOptions options;
  options.seed = 42;
  options.config = {{"region", "eu-west-1"}};
  std::string digest = World::digest_of(options);
  EXPECT_EQ(digest.size(), 16u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos);
  // Pinned: the digest names a configuration across machines and versions, so it must not
  // drift with the implementation.
  EXPECT_EQ(digest, "565a165bee884fed");
  auto world = std::move(std::get<std::unique_ptr<World>>(World::create(options)));
  EXPECT_EQ(world->config_digest(), digest);

  WorldOptions other_seed = options;
  other_seed.seed = 43;
  EXPECT_NE(World::digest_of(other_seed), digest);
  WorldOptions other_start = options;
  other_start.start_us += 1;
  EXPECT_NE(World::digest_of(other_start), digest);
  WorldOptions other_config = options;
  other_config.config["account"] = "000000000000";
  EXPECT_NE(World::digest_of(other_config), digest);
}

}  // namespace
}  // namespace wfsim
