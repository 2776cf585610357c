#include "sim/faults.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

using namespace wfsim::sim;
using nlohmann::json;

FaultPlan plan_from(const json& text) {
  std::string error;
  auto plan = FaultPlan::from_json(text, &error);
  EXPECT_TRUE(plan) << error;
  return plan ? *plan : FaultPlan{};
}

std::string rule_error(const json& text) {
  std::string error;
  EXPECT_FALSE(FaultRule::from_json(text, &error)) << text.dump();
  return error;
}

TEST(FaultKind, NamesRoundTrip) {
  for (FaultKind kind :
       {FaultKind::none, FaultKind::throttle, FaultKind::internal, FaultKind::unavailable,
        FaultKind::timeout_before, FaultKind::timeout_after, FaultKind::lost_response,
        FaultKind::duplicate, FaultKind::latency}) {
    EXPECT_EQ(fault_kind_from_string(to_string(kind)), kind);
  }
  EXPECT_EQ(to_string(FaultKind::timeout_before), "timeout_before");
  EXPECT_FALSE(fault_kind_from_string("Throttle"));
  EXPECT_FALSE(is_applied(FaultKind::throttle));
  EXPECT_FALSE(is_applied(FaultKind::timeout_before));
  EXPECT_TRUE(is_applied(FaultKind::timeout_after));
  EXPECT_TRUE(is_applied(FaultKind::lost_response));
  EXPECT_TRUE(is_applied(FaultKind::duplicate));
  EXPECT_TRUE(is_applied(FaultKind::latency));
}

TEST(FaultRule, ParsesEveryMember) {
  std::string error;
  const auto throttle = FaultRule::from_json({{"match", "mwaa-serverless:StartWorkflowRun"},
                                              {"kind", "throttle"},
                                              {"probability", "1/10"},
                                              {"nth", {1, 3}},
                                              {"retry_after_seconds", 1}},
                                             &error);
  ASSERT_TRUE(throttle) << error;
  EXPECT_EQ(throttle->match, "mwaa-serverless:StartWorkflowRun");
  EXPECT_EQ(throttle->kind, FaultKind::throttle);
  EXPECT_EQ(throttle->probability->to_string(), "1/10");
  EXPECT_EQ(throttle->nth, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(throttle->retry_after_seconds, 1);
  const auto latency = FaultRule::from_json({{"kind", "latency"}, {"latency", "PT2S"}}, &error);
  ASSERT_TRUE(latency) << error;
  EXPECT_EQ(latency->match, "*");
  EXPECT_EQ(latency->latency_us, seconds(2));
  EXPECT_EQ(FaultRule::from_json({{"kind", "latency"}, {"latency", 1.5}}, &error)->latency_us,
            1'500'000);
  EXPECT_EQ(FaultRule::from_json({{"kind", "latency"}, {"latency", 3}}, &error)->latency_us,
            seconds(3));
}

TEST(FaultRule, ToJsonRoundTrips) {
  std::string error;
  const json text = {{"match", "glue:*"},
                     {"kind", "latency"},
                     {"probability", "3/4"},
                     {"nth", {2}},
                     {"latency", "PT1M30S"}};
  const auto rule = FaultRule::from_json(text, &error);
  ASSERT_TRUE(rule) << error;
  EXPECT_EQ(rule->to_json(), (json{{"match", "glue:*"},
                                   {"kind", "latency"},
                                   {"probability", "3/4"},
                                   {"nth", {2}},
                                   {"latency", "PT1M30S"}}));
  const auto again = FaultRule::from_json(rule->to_json(), &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->to_json(), rule->to_json());
  EXPECT_EQ(FaultRule::from_json({{"kind", "internal"}}, &error)->to_json(),
            (json{{"match", "*"}, {"kind", "internal"}}));
  // A latency rule writes its delay, the default included, so the text says what it does.
  EXPECT_EQ(FaultRule::from_json({{"kind", "latency"}}, &error)->to_json(),
            (json{{"match", "*"}, {"kind", "latency"}, {"latency", "PT1S"}}));
}

TEST(FaultRule, ErrorsNameTheProblem) {
  EXPECT_NE(
      rule_error({{"kind", "throttle"}, {"probabilty", "1/2"}}).find("unknown member 'probabilty'"),
      std::string::npos);
  EXPECT_NE(rule_error({{"kind", "slow"}}).find("kind must be one of throttle, internal"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "none"}}).find("kind must be one of"), std::string::npos);
  EXPECT_NE(rule_error({{"kind", 3}}).find("kind must be one of"), std::string::npos);
  EXPECT_NE(rule_error({{"match", "glue:*"}}).find("kind is required"), std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"probability", 0.5}}).find("ratio string"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"probability", "1/0"}}).find("denominator"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"nth", {0}}}).find("positive integers"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"nth", {-1}}}).find("positive integers"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"nth", 1}}).find("array"), std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"match", ""}}).find("match"), std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"latency", "PT1S"}}).find("latency applies only"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "internal"}, {"retry_after_seconds", 2}})
                .find("only to kind \"throttle\""),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "throttle"}, {"retry_after_seconds", -2}}).find("non-negative"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "latency"}, {"latency", "P1M"}}).find("years and months"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "latency"}, {"latency", -1}}).find("between 0"),
            std::string::npos);
  EXPECT_NE(rule_error({{"kind", "latency"}, {"latency", true}}).find("number of seconds"),
            std::string::npos);
  EXPECT_NE(rule_error(json::array()).find("must be an object"), std::string::npos);
}

TEST(FaultPlan, InvalidUtf8IsReportedNotThrown) {
  std::string error;
  EXPECT_NO_THROW(
      EXPECT_FALSE(FaultPlan::from_json({{"rules", {std::string("bad\xff")}}}, &error)));
  EXPECT_NE(error.find("rules[0]: a fault rule must be an object"), std::string::npos)
      << error;
  EXPECT_NO_THROW(EXPECT_FALSE(FaultRule::from_json({{"kind", std::string("\xfe")}}, &error)));
  EXPECT_NE(error.find("kind must be one of"), std::string::npos) << error;
}

TEST(FaultPlan, ParsesAndRoundTrips) {
  const FaultPlan empty = plan_from(json::object());
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.swarm);
  const FaultPlan plan = plan_from({{"swarm", true},
                                    {"swarm_site_on", "1/3"},
                                    {"rules", {{{"kind", "throttle"}}, {{"kind", "duplicate"}}}}});
  EXPECT_TRUE(plan.swarm);
  EXPECT_EQ(plan.swarm_site_on.to_string(), "1/3");
  ASSERT_EQ(plan.rules.size(), 2u);
  EXPECT_EQ(plan.rules[1].kind, FaultKind::duplicate);
  EXPECT_EQ(plan_from(plan.to_json()).to_json(), plan.to_json());
}

TEST(FaultPlan, ErrorsNameTheMemberAndTheRule) {
  std::string error;
  EXPECT_FALSE(FaultPlan::from_json({{"rule", json::array()}}, &error));
  EXPECT_NE(error.find("unknown member 'rule'"), std::string::npos) << error;
  EXPECT_FALSE(
      FaultPlan::from_json({{"rules", {{{"kind", "throttle"}}, {{"kind", "oops"}}}}}, &error));
  EXPECT_NE(error.find("rules[1]"), std::string::npos) << error;
  EXPECT_FALSE(FaultPlan::from_json({{"swarm", "yes"}}, &error));
  EXPECT_NE(error.find("swarm must be true or false"), std::string::npos) << error;
  EXPECT_FALSE(FaultPlan::from_json({{"swarm_site_on", "3/2"}}, &error));
  EXPECT_NE(error.find("swarm_site_on"), std::string::npos) << error;
  EXPECT_FALSE(FaultPlan::from_json("plan", &error));
  EXPECT_NE(error.find("must be an object"), std::string::npos) << error;
}

TEST(Glob, MatchesRunsOfAnyCharacters) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*", "glue:StartWorkflowRun"));
  EXPECT_TRUE(glob_match("glue:*", "glue:StartWorkflowRun"));
  EXPECT_FALSE(glob_match("glue:*", "swf:StartWorkflowExecution"));
  EXPECT_TRUE(glob_match("*:Start*", "swf:StartWorkflowExecution"));
  EXPECT_TRUE(glob_match("*Run", "glue:GetWorkflowRun"));
  EXPECT_FALSE(glob_match("*Run", "glue:GetWorkflowRuns"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyybzc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
  EXPECT_TRUE(glob_match("glue:GetWorkflowRun", "glue:GetWorkflowRun"));
  EXPECT_FALSE(glob_match("glue:GetWorkflowRun", "glue:GetWorkflow"));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("**", "x"));
}

TEST(FaultInjector, AnEmptyPlanNeverInjects) {
  Trace trace;
  FaultInjector injector(FaultPlan{}, Rng(1), &trace);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(injector.decide("glue:GetWorkflowRun", i).kind, FaultKind::none);
  EXPECT_EQ(injector.calls_seen(), 10u);
  EXPECT_EQ(injector.faults_injected(), 0u);
  EXPECT_EQ(trace.size(), 0u);
}

TEST(FaultInjector, NthCountsOnlyMatchingCalls) {
  FaultInjector injector(
      plan_from({{"rules", {{{"match", "glue:*"}, {"kind", "internal"}, {"nth", {1, 3}}}}}}),
      Rng(1), nullptr);
  std::vector<FaultKind> kinds;
  for (const char* site : {"glue:A", "swf:B", "glue:A", "glue:B", "swf:B", "glue:C"}) {
    kinds.push_back(injector.decide(site, 0).kind);
  }
  EXPECT_EQ(kinds, (std::vector<FaultKind>{FaultKind::internal, FaultKind::none, FaultKind::none,
                                           FaultKind::internal, FaultKind::none, FaultKind::none}));
  EXPECT_EQ(injector.faults_injected(), 2u);
  EXPECT_EQ(injector.calls_seen(), 6u);
}

TEST(FaultInjector, ProbabilityFiresAtItsRate) {
  FaultInjector injector(
      plan_from({{"rules", {{{"kind", "unavailable"}, {"probability", "1/4"}}}}}), Rng(42),
      nullptr);
  int faults = 0;
  for (int i = 0; i < 20'000; ++i)
    faults += injector.decide("glue:GetWorkflowRun", i).kind != FaultKind::none;
  EXPECT_NEAR(faults, 5'000, 300);
}

TEST(FaultInjector, ARuleWithoutNthOrProbabilityAlwaysFires) {
  FaultInjector injector(plan_from({{"rules", {{{"match", "swf:*"}, {"kind", "lost_response"}}}}}),
                         Rng(1), nullptr);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(injector.decide("swf:PollForDecisionTask", 0).kind, FaultKind::lost_response);
  EXPECT_EQ(injector.decide("glue:GetJob", 0).kind, FaultKind::none);
}

TEST(FaultInjector, TheFirstFiringRuleWinsAndLaterRulesStillCount) {
  FaultInjector injector(
      plan_from({{"rules",
                  {{{"kind", "throttle"}, {"nth", {1}}, {"retry_after_seconds", 4}},
                   {{"kind", "duplicate"}, {"nth", {1, 2}}}}}}),
      Rng(1), nullptr);
  const FaultDecision first = injector.decide("glue:StartJobRun", 0);
  EXPECT_EQ(first.kind, FaultKind::throttle);
  EXPECT_EQ(first.rule_index, 0u);
  EXPECT_EQ(first.retry_after_seconds, 4);
  const FaultDecision second = injector.decide("glue:StartJobRun", 0);
  EXPECT_EQ(second.kind, FaultKind::duplicate);  // the second rule's 2nd match, not its 1st
  EXPECT_EQ(second.rule_index, 1u);
  EXPECT_EQ(injector.decide("glue:StartJobRun", 0).kind, FaultKind::none);
}

TEST(FaultInjector, LatencyDefaultsToOneSecond) {
  FaultInjector injector(
      plan_from({{"rules",
                  {{{"match", "a:*"}, {"kind", "latency"}},
                   {{"match", "b:*"}, {"kind", "latency"}, {"latency", "PT3S"}}}}}),
      Rng(1), nullptr);
  EXPECT_EQ(injector.decide("a:X", 0).latency_us, seconds(1));
  EXPECT_EQ(injector.decide("b:X", 0).latency_us, seconds(3));
}

TEST(FaultInjector, AnExplicitZeroLatencyIsKept) {
  FaultInjector injector(
      plan_from({{"rules", {{{"kind", "latency"}, {"latency", 0}}, {{"kind", "internal"}}}}}),
      Rng(1), nullptr);
  const FaultDecision decision = injector.decide("a:X", 0);
  EXPECT_EQ(decision.kind, FaultKind::latency);
  EXPECT_EQ(decision.latency_us, 0);
}

TEST(FaultInjector, EveryInjectedFaultIsTraced) {
  Trace trace;
  FaultInjector injector(
      plan_from({{"rules", {{{"match", "glue:*"}, {"kind", "latency"}, {"nth", {2}}}}}}), Rng(1),
      &trace);
  injector.decide("glue:GetJob", 10);
  injector.decide("glue:GetJob", 20);
  ASSERT_EQ(trace.size(), 1u);
  const TraceEvent& event = trace.events()[0];
  EXPECT_EQ(event.kind, "fault");
  EXPECT_EQ(event.time_us, 20);
  EXPECT_EQ(
      event.detail,
      (json{
          {"site", "glue:GetJob"}, {"fault", "latency"}, {"rule", 0}, {"latency_us", 1'000'000}}));
}

TEST(FaultInjector, AForcedDecisionWinsOnceAndLeavesThePlanUntouched) {
  Trace trace;
  FaultInjector injector(plan_from({{"rules", {{{"kind", "internal"}, {"nth", {1}}}}}}), Rng(1),
                         &trace);
  FaultDecision forced;
  forced.kind = FaultKind::timeout_after;
  injector.force_next(forced);
  EXPECT_EQ(injector.decide("glue:GetJob", 0).kind, FaultKind::timeout_after);
  // The rule never saw the forced call, so this is still its first match.
  EXPECT_EQ(injector.decide("glue:GetJob", 0).kind, FaultKind::internal);
  EXPECT_EQ(injector.decide("glue:GetJob", 0).kind, FaultKind::none);
  injector.force_next(FaultDecision{});  // forcing "no fault" suppresses nothing afterwards
  EXPECT_EQ(injector.decide("glue:GetJob", 0).kind, FaultKind::none);
  EXPECT_EQ(injector.faults_injected(), 2u);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace.events()[0].detail.value("forced", false), true);
  EXPECT_FALSE(trace.events()[0].detail.contains("rule")) << "no rule fired a forced fault";
  EXPECT_FALSE(trace.events()[1].detail.contains("forced"));
  EXPECT_EQ(trace.events()[1].detail["rule"], 0);
}

std::vector<std::string> swarm_sites() {
  std::vector<std::string> sites;
  for (int i = 0; i < 24; ++i) sites.push_back("svc:Operation" + std::to_string(i));
  return sites;
}

// Site -> switch, read back from the trace's fault_switch events.
std::map<std::string, bool> switches_for_call_order(const std::vector<std::string>& order) {
  Trace trace;
  FaultInjector injector(plan_from({{"swarm", true}, {"rules", {{{"kind", "internal"}}}}}), Rng(42),
                         &trace);
  std::map<std::string, bool> switches;
  for (const std::string& site : order) {
    const bool faulted = injector.decide(site, 0).kind != FaultKind::none;
    const bool repeat = injector.decide(site, 0).kind != FaultKind::none;
    EXPECT_EQ(faulted, repeat) << "a switch is decided once per run: " << site;
  }
  for (const TraceEvent& event : trace.events()) {
    if (event.kind != "fault_switch") continue;
    EXPECT_EQ(event.detail["fault"], "internal");
    EXPECT_TRUE(
        switches.emplace(event.detail["site"].get<std::string>(), event.detail["on"].get<bool>())
            .second);
  }
  return switches;
}

TEST(FaultInjector, SwarmSwitchesDoNotDependOnCallOrder) {
  std::vector<std::string> forward = swarm_sites();
  std::vector<std::string> backward(forward.rbegin(), forward.rend());
  const auto forward_switches = switches_for_call_order(forward);
  const auto backward_switches = switches_for_call_order(backward);
  ASSERT_EQ(forward_switches.size(), forward.size());
  EXPECT_EQ(forward_switches, backward_switches);
  int on = 0;
  for (const auto& entry : forward_switches) on += entry.second;
  EXPECT_GT(on, 0);
  EXPECT_LT(on, static_cast<int>(forward.size()));
}

// DESIGN.md: a swarm plan switches each (operation, kind) site once per run. Two rules of
// one kind that match one site share that switch; a rule of another kind has its own.
TEST(FaultInjector, SwarmSwitchesAreKeyedBySiteAndKindNotByRule) {
  Trace trace;
  FaultInjector injector(plan_from({{"swarm", true},
                                    {"rules",
                                     {{{"match", "glue:*"}, {"kind", "throttle"}, {"nth", {9}}},
                                      {{"match", "glue:Get*"}, {"kind", "throttle"}, {"nth", {9}}},
                                      {{"match", "glue:Get*"}, {"kind", "internal"}}}}}),
                         Rng(1), &trace);
  for (const std::string& site : swarm_sites()) injector.decide("glue:Get" + site, 0);
  std::map<std::pair<std::string, std::string>, int> switches;
  for (const TraceEvent& event : trace.events()) {
    if (event.kind != "fault_switch") continue;
    ++switches[{event.detail["site"], event.detail["fault"]}];
  }
  ASSERT_EQ(switches.size(), 2 * swarm_sites().size());
  for (const auto& [site_and_kind, count] : switches) {
    EXPECT_EQ(count, 1) << site_and_kind.first << " " << site_and_kind.second;
  }
}

TEST(FaultInjector, SwarmSiteChanceOfZeroOrOne) {
  FaultInjector never(
      plan_from({{"swarm", true}, {"swarm_site_on", "0"}, {"rules", {{{"kind", "internal"}}}}}),
      Rng(1), nullptr);
  FaultInjector always(
      plan_from({{"swarm", true}, {"swarm_site_on", "1"}, {"rules", {{{"kind", "internal"}}}}}),
      Rng(1), nullptr);
  for (const std::string& site : swarm_sites()) {
    EXPECT_EQ(never.decide(site, 0).kind, FaultKind::none);
    EXPECT_EQ(always.decide(site, 0).kind, FaultKind::internal);
  }
}

TEST(FaultInjector, TheSameSeedGivesTheSameTrace) {
  const FaultPlan plan =
      plan_from({{"swarm", true},
                 {"rules",
                  {{{"kind", "throttle"}, {"probability", "1/3"}},
                   {{"kind", "duplicate"}, {"match", "glue:*"}, {"nth", {2, 5}}}}}});
  Trace first;
  Trace second;
  Trace other_seed;
  FaultInjector a(plan, Rng(7), &first);
  FaultInjector b(plan, Rng(7), &second);
  FaultInjector c(plan, Rng(8), &other_seed);
  for (int i = 0; i < 200; ++i) {
    const std::string site = (i % 3 == 0 ? "glue:Op" : "swf:Op") + std::to_string(i % 5);
    a.decide(site, i);
    b.decide(site, i);
    c.decide(site, i);
  }
  EXPECT_GT(first.size(), 0u);
  EXPECT_EQ(first.hash(), second.hash());
  EXPECT_NE(first.hash(), other_seed.hash());
}

}  // namespace
