// The fuzzer: request generators (every operation reachable, determinism by seed), the
// campaign (same seed, same steps and trace; a planted broken invariant and a planted crash
// are found, shrunk and written as scenarios that replay the failure), shard splitting and
// the invariant catalogues.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/world.hpp"
#include "properties/fuzz.hpp"
#include "properties/requests.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace wfsim::properties {
namespace {

using nlohmann::json;

// A service with one planted bug of each kind: its invariant breaks once Count has been
// applied three times, and Explode throws.
class PlantedBugService : public models::Service {
 public:
  std::string_view name() const override { return "planted"; }
  std::vector<std::string> operations() const override { return {"Count", "Echo", "Explode"}; }
  models::JsonOutcome call(std::string_view operation, const json& request) override {
    if (operation == "Count") return json{{"count", ++count_}};
    if (operation == "Explode" && request.contains("boom"))
      throw std::runtime_error("planted crash");
    return request;
  }
  models::AwsError fault_error(const sim::FaultDecision&) const override {
    return {"InternalServerException", "injected", 500};
  }
  std::vector<models::InvariantViolation> check_invariants() const override {
    if (count_ >= 3) return {{"planted.count-below-three", "count is " + std::to_string(count_)}};
    return {};
  }

 private:
  std::uint64_t count_ = 0;
};

// Requests for the planted service; Explode carries "boom" only when `crash` is set.
class PlantedBugGenerator : public RequestGenerator {
 public:
  explicit PlantedBugGenerator(bool crash) : crash_(crash) {}
  std::string service() const override { return "planted"; }
  std::vector<std::string> operations() const override { return {"Count", "Echo", "Explode"}; }
  std::vector<std::string> creating_operations() const override { return {"Echo"}; }
  json world_config() const override { return json::object(); }
  GeneratedCall valid_call(std::string_view operation, sim::Rng& rng) override {
    GeneratedCall call;
    call.operation = std::string(operation);
    call.request = {{"text", "t" + std::to_string(rng.choice(5))}};
    if (operation == "Explode" && crash_) call.request["boom"] = true;
    return call;
  }
  void observe(const GeneratedCall&, const models::JsonOutcome&,
               const scenarios::Bindings&) override {}

 private:
  bool crash_;
};

FuzzOptions planted_options(bool crash) {
  FuzzOptions options;
  options.service = "planted";
  options.max_steps = 60;
  options.make_generator = [crash] { return std::make_unique<PlantedBugGenerator>(crash); };
  options.prepare_world = [](World& world) {
    world.add_service_for_testing(std::make_unique<PlantedBugService>());
  };
  return options;
}

SeedRun first_failing_seed(const FuzzCampaign& campaign) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SeedRun run = campaign.run_seed(seed);
    if (run.finding) return run;
  }
  ADD_FAILURE() << "no seed of 1..50 found the planted bug";
  return {};
}

scenarios::RunResult replay_text(const std::string& text, const FuzzOptions& options) {
  scenarios::ParseResult parsed = scenarios::parse_scenario_text(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors.front());
  if (!parsed.ok()) return {};
  scenarios::RunOptions run_options;
  run_options.prepare_world = options.prepare_world;
  return scenarios::run_scenario(*parsed.scenario, run_options);
}

std::size_t count_calls(const std::vector<json>& steps, const std::string& site) {
  return static_cast<std::size_t>(std::count_if(steps.begin(), steps.end(), [&](const json& step) {
    return step.value("call", "") == site;
  }));
}

TEST(RequestGenerators, CoverEveryOperationOfEachService) {
  for (const std::string& service : fuzzable_services()) {
    std::unique_ptr<RequestGenerator> generator = make_request_generator(service);
    ASSERT_NE(generator, nullptr) << service;
    WorldOptions options;
    options.config = generator->world_config();
    auto world = std::get<std::unique_ptr<World>>(World::create(options));
    std::vector<std::string> service_operations = world->service(service)->operations();
    std::sort(service_operations.begin(), service_operations.end());
    std::vector<std::string> generated = generator->operations();
    std::sort(generated.begin(), generated.end());
    EXPECT_EQ(generated, service_operations) << service;

    sim::Rng rng(7);
    std::set<std::string> reached;
    std::map<RequestShape, int> shapes;
    for (int i = 0; i < 4000; ++i) {
      GeneratedCall call = generator->next(rng);
      reached.insert(call.operation);
      ++shapes[call.shape];
    }
    EXPECT_EQ(reached, std::set<std::string>(generated.begin(), generated.end())) << service;
    EXPECT_GT(shapes[RequestShape::valid], shapes[RequestShape::nearly_valid]);
    EXPECT_GT(shapes[RequestShape::nearly_valid], 0);
    EXPECT_GT(shapes[RequestShape::malformed], 0);
  }
}

TEST(RequestGenerators, SameSeedGivesSameRequests) {
  for (const std::string& service : fuzzable_services()) {
    auto first = make_request_generator(service);
    auto second = make_request_generator(service);
    sim::Rng first_rng(99);
    sim::Rng second_rng(99);
    for (int i = 0; i < 500; ++i) {
      GeneratedCall a = first->next(first_rng);
      GeneratedCall b = second->next(second_rng);
      ASSERT_EQ(a.operation, b.operation) << service << " call " << i;
      ASSERT_EQ(a.request, b.request) << service << " call " << i;
      ASSERT_EQ(a.save, b.save) << service << " call " << i;
    }
  }
}

TEST(RequestGenerators, NearlyValidBreaksExactlyTheRequestItIsGiven) {
  sim::Rng rng(3);
  const json valid = {{"Name", "etl"}, {"MaxResults", 5}, {"Nested", {{"Key", "value"}}}};
  int changed = 0;
  for (int i = 0; i < 200; ++i) {
    json broken = nearly_valid(valid, rng);
    EXPECT_TRUE(broken.is_object());
    changed += broken != valid ? 1 : 0;
    // Every "${" must be the escaped "$${": remove those, and none may be left.
    std::string text = broken.dump();
    for (std::size_t at = text.find("$${"); at != std::string::npos; at = text.find("$${"))
      text.erase(at, 3);
    EXPECT_EQ(text.find("${"), std::string::npos)
        << "a literal must not read as a template: " << broken.dump();
  }
  EXPECT_EQ(changed, 200);
}

TEST(RequestGenerators, FaultsCoverEveryKindAndAdvancesReachDays) {
  sim::Rng rng(5);
  std::set<sim::FaultKind> kinds;
  for (int i = 0; i < 400; ++i) {
    sim::FaultDecision fault = generate_fault(rng);
    kinds.insert(fault.kind);
    if (fault.kind == sim::FaultKind::latency) {
      EXPECT_GE(fault.latency_us, sim::seconds(1));
    }
  }
  EXPECT_EQ(kinds.size(), 8u);
  EXPECT_EQ(kinds.count(sim::FaultKind::none), 0u);
  sim::DurationUs shortest = sim::seconds(1'000'000);
  sim::DurationUs longest = 0;
  for (int i = 0; i < 400; ++i) {
    sim::DurationUs advance = generate_advance(rng);
    shortest = std::min(shortest, advance);
    longest = std::max(longest, advance);
  }
  EXPECT_LT(shortest, sim::seconds(60));
  EXPECT_GE(longest, sim::seconds(86400));
}

TEST(FuzzCampaign, SameSeedGivesSameStepsAndTrace) {
  for (const std::string& service : fuzzable_services()) {
    FuzzOptions options;
    options.service = service;
    options.max_steps = 80;
    FuzzCampaign campaign(options);
    SeedRun first = campaign.run_seed(11);
    SeedRun second = campaign.run_seed(11);
    EXPECT_EQ(first.steps, second.steps) << service;
    EXPECT_EQ(first.trace_hash, second.trace_hash) << service;
    SeedRun other = campaign.run_seed(12);
    EXPECT_NE(first.trace_hash, other.trace_hash) << service;
    // A replay of the generated steps is the same run.
    EXPECT_EQ(campaign.replay(11, first.steps).trace_hash, first.trace_hash) << service;
  }
}

// The models hold their invariants and never crash under a fixed smoke set of seeds; each
// seed that once found a model bug is here as a regression.
TEST(FuzzCampaign, ModelsSurviveTheSmokeSeeds) {
  for (const std::string& service : fuzzable_services()) {
    FuzzOptions options;
    options.service = service;
    FuzzCampaign campaign(options);
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      SeedRun run = campaign.run_seed(seed);
      EXPECT_FALSE(run.finding.has_value())
          << service << " seed " << seed << ": " << run.finding->signature << ": "
          << run.finding->detail;
      EXPECT_GT(run.calls, 0u);
    }
  }
}

TEST(FuzzCampaign, FindsShrinksAndWritesABrokenInvariant) {
  const FuzzOptions options = planted_options(false);
  FuzzCampaign campaign(options);
  SeedRun run = first_failing_seed(campaign);
  ASSERT_TRUE(run.finding.has_value());
  EXPECT_EQ(run.finding->signature, "invariant planted:planted.count-below-three");

  ShrinkResult shrunk = campaign.shrink(run.seed, run.steps, *run.finding);
  // Three applied Counts: three calls, or two when one of them was duplicated by a fault.
  ASSERT_GE(shrunk.steps.size(), 2u);
  EXPECT_LE(shrunk.steps.size(), 3u) << json(shrunk.steps).dump();
  EXPECT_EQ(count_calls(shrunk.steps, "planted:Count"), shrunk.steps.size());
  for (const json& step : shrunk.steps) {
    EXPECT_TRUE(!step.contains("fault") || step["fault"]["kind"] == "duplicate") << step.dump();
    EXPECT_TRUE(step["request"].empty()) << step.dump();
  }
  EXPECT_EQ(shrunk.finding.step_index, shrunk.steps.size() - 1);

  const std::string text = campaign.finding_text(run.seed, shrunk);
  scenarios::RunResult replayed = replay_text(text, options);
  EXPECT_EQ(replayed.steps_failed, 0u) << text;
  ASSERT_EQ(replayed.violations.size(), 1u) << text;
  EXPECT_EQ(replayed.violations.front().invariant, "planted:planted.count-below-three");
}

TEST(FuzzCampaign, FindsShrinksAndWritesACrash) {
  FuzzOptions options = planted_options(true);
  // Without the invariant breaking first: Count never reaches three in a one-call world.
  options.make_generator = [] {
    struct ExplodeOnly : PlantedBugGenerator {
      ExplodeOnly() : PlantedBugGenerator(true) {}
      std::vector<std::string> operations() const override { return {"Echo", "Explode"}; }
    };
    return std::make_unique<ExplodeOnly>();
  };
  FuzzCampaign campaign(options);
  SeedRun run = first_failing_seed(campaign);
  ASSERT_TRUE(run.finding.has_value());
  EXPECT_EQ(run.finding->kind, Finding::Kind::crash);
  EXPECT_EQ(run.finding->signature, "crash planted:Explode");
  EXPECT_EQ(run.finding->detail, "planted crash");

  ShrinkResult shrunk = campaign.shrink(run.seed, run.steps, *run.finding);
  ASSERT_EQ(shrunk.steps.size(), 1u) << json(shrunk.steps).dump();
  EXPECT_EQ(shrunk.steps[0]["request"], json({{"boom", true}}));

  const std::string text = campaign.finding_text(run.seed, shrunk);
  scenarios::RunResult replayed = replay_text(text, options);
  ASSERT_EQ(replayed.steps.size(), 1u);
  EXPECT_FALSE(replayed.steps[0].passed) << text;
  EXPECT_EQ(replayed.steps[0].error_code, "InternalFailure");
}

// A service whose refusal still changes something (it writes a transition): the campaign's
// own check, "a refused call changes nothing", must find it.
class ChangesWhenRefusingService : public models::Service {
 public:
  explicit ChangesWhenRefusingService(World& world) : world_(world) {}
  std::string_view name() const override { return "planted"; }
  std::vector<std::string> operations() const override { return {"Echo", "Refuse"}; }
  models::JsonOutcome call(std::string_view operation, const json& request) override {
    if (operation != "Refuse") return request;
    world_.trace().record(world_.now(), "planted_transition", {{"from", "A"}, {"to", "B"}});
    return models::AwsError{"ValidationException", "refused", 400};
  }
  models::AwsError fault_error(const sim::FaultDecision&) const override {
    return {"InternalServerException", "injected", 500};
  }

 private:
  World& world_;
};

TEST(FuzzCampaign, FindsARefusedCallThatChangedSomething) {
  FuzzOptions options = planted_options(false);
  options.make_generator = [] {
    struct RefuseOnly : PlantedBugGenerator {
      RefuseOnly() : PlantedBugGenerator(false) {}
      std::vector<std::string> operations() const override { return {"Echo", "Refuse"}; }
    };
    return std::make_unique<RefuseOnly>();
  };
  options.prepare_world = [](World& world) {
    world.add_service_for_testing(std::make_unique<ChangesWhenRefusingService>(world));
  };
  FuzzCampaign campaign(options);
  SeedRun run = first_failing_seed(campaign);
  ASSERT_TRUE(run.finding.has_value());
  EXPECT_EQ(run.finding->signature, "invariant fuzz:rejected-call-changes-nothing");
  EXPECT_NE(run.finding->detail.find("planted_transition"), std::string::npos)
      << run.finding->detail;
  const json& step = run.steps.at(run.finding->step_index);
  EXPECT_EQ(step.value("call", ""), "planted:Refuse");
}

TEST(FuzzCampaign, ShardsSplitTheSeedSpace) {
  std::set<std::uint64_t> all;
  for (std::uint64_t shard = 0; shard < 3; ++shard) {
    for (std::uint64_t index = 0; index < 100; ++index) {
      EXPECT_TRUE(all.insert(campaign_seed(1000, shard, 3, index)).second)
          << "shard " << shard << " index " << index << " repeats a seed";
    }
  }
  EXPECT_EQ(*all.begin(), 1000u);
  EXPECT_EQ(*all.rbegin(), 1299u);
  EXPECT_EQ(all.size(), 300u);
  EXPECT_EQ(campaign_seed(5, 0, 1, 7), 12u);

  EXPECT_EQ(parse_shard("0/1"), std::make_pair(std::uint64_t{0}, std::uint64_t{1}));
  EXPECT_EQ(parse_shard("2/3"), std::make_pair(std::uint64_t{2}, std::uint64_t{3}));
  for (const char* bad : {"3/3", "1/0", "/2", "1/", "a/b", "1", "-1/2", "1/2/3"}) {
    EXPECT_FALSE(parse_shard(bad).has_value()) << bad;
  }
}

TEST(FuzzCampaign, EveryServiceHasAnInvariantCatalogue) {
  const auto catalogues = invariant_catalogues();
  ASSERT_EQ(catalogues.size(), fuzzable_services().size());
  std::map<std::string, std::set<std::string>> names;
  for (const auto& [service, catalogue] : catalogues) {
    EXPECT_GE(catalogue.size(), 8u) << service;
    for (const auto& [name, description] : catalogue) {
      EXPECT_TRUE(names[service].insert(name).second) << service << " repeats " << name;
      EXPECT_FALSE(description.empty()) << name;
    }
  }
  EXPECT_EQ(names["glue"].count("glue.job-concurrency"), 1u);
  EXPECT_EQ(names["mwaa-serverless"].count("run-quota"), 1u);
}

}  // namespace
}  // namespace wfsim::properties
