#include "models/common/profiles.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

BehaviourProfile parse(std::string_view text) {
  std::string error;
  auto profile = BehaviourProfile::from_json(json::parse(text), &error);
  EXPECT_TRUE(profile.has_value()) << text << ": " << error;
  return profile.value_or(BehaviourProfile{});
}

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(BehaviourProfile::from_json(json::parse(text), &error).has_value()) << text;
  return error;
}

TEST(ParseDurationTest, SecondsAndIsoStrings) {
  EXPECT_EQ(parse_duration_json(json(45), nullptr), sim::seconds(45));
  EXPECT_EQ(parse_duration_json(json(0.25), nullptr), sim::DurationUs{250'000});
  EXPECT_EQ(parse_duration_json(json(0), nullptr), sim::DurationUs{0});
  EXPECT_EQ(parse_duration_json(json("PT2M"), nullptr), sim::minutes(2));
  EXPECT_EQ(parse_duration_json(json("P1DT0.5S"), nullptr), sim::days(1) + 500'000);
}

TEST(ParseDurationTest, Errors) {
  std::string error;
  EXPECT_EQ(parse_duration_json(json(-1), &error), std::nullopt);
  EXPECT_EQ(error, "a duration must not be negative, got -1");
  EXPECT_EQ(parse_duration_json(json(-0.5), &error), std::nullopt);
  EXPECT_EQ(error, "a duration must not be negative, got -0.5");
  EXPECT_EQ(parse_duration_json(json(1e300), &error), std::nullopt);
  EXPECT_EQ(error, "a duration of 1e+300 seconds is too long");
  EXPECT_EQ(parse_duration_json(json(18446744073709551615ULL), &error), std::nullopt);
  EXPECT_EQ(error, "a duration of 18446744073709551615 seconds is too long");
  EXPECT_EQ(parse_duration_json(json(true), &error), std::nullopt);
  EXPECT_EQ(error, "must be a number of seconds or an ISO-8601 duration string, got true");
  EXPECT_EQ(parse_duration_json(json("2 minutes"), &error), std::nullopt);
  EXPECT_EQ(error.rfind("invalid ISO-8601 duration '2 minutes'", 0), 0U) << error;
  EXPECT_EQ(parse_duration_json(json(nullptr), nullptr), std::nullopt);
}

TEST(DurationSpecTest, Forms) {
  const auto fixed = DurationSpec::from_json(json(45), nullptr);
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(fixed->kind, DurationSpec::Kind::fixed);
  EXPECT_EQ(fixed->first_us, sim::seconds(45));

  const auto explicit_fixed = DurationSpec::from_json(json::parse(R"({"fixed": "PT1M"})"), nullptr);
  ASSERT_TRUE(explicit_fixed.has_value());
  EXPECT_EQ(explicit_fixed->kind, DurationSpec::Kind::fixed);
  EXPECT_EQ(explicit_fixed->first_us, sim::minutes(1));

  const auto uniform =
      DurationSpec::from_json(json::parse(R"({"uniform": [30, "PT5M"]})"), nullptr);
  ASSERT_TRUE(uniform.has_value());
  EXPECT_EQ(uniform->kind, DurationSpec::Kind::uniform);
  EXPECT_EQ(uniform->first_us, sim::seconds(30));
  EXPECT_EQ(uniform->second_us, sim::minutes(5));

  const auto exponential = DurationSpec::from_json(json::parse(R"({"exponential": 60})"), nullptr);
  ASSERT_TRUE(exponential.has_value());
  EXPECT_EQ(exponential->kind, DurationSpec::Kind::exponential);
  EXPECT_EQ(exponential->first_us, sim::seconds(60));
}

TEST(DurationSpecTest, Errors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({})", "must have exactly one of fixed, uniform or exponential"},
      {R"({"fixed": 1, "uniform": [1, 2]})",
       "must have exactly one of fixed, uniform or exponential"},
      {R"({"normal": 5})", "normal: unknown distribution (expected fixed, uniform or exponential)"},
      {R"({"fixed": -5})", "fixed: a duration must not be negative, got -5"},
      {R"({"uniform": [300, 30]})", "uniform: low bound PT5M is greater than high bound PT30S"},
      {R"({"uniform": [1]})", "uniform: must be a list [low, high], got [1]"},
      {R"({"uniform": "PT1M"})", "uniform: must be a list [low, high], got \"PT1M\""},
      {R"({"uniform": [1, -2]})", "uniform[1]: a duration must not be negative, got -2"},
      {R"({"exponential": 0})",
       "exponential: the mean must be greater than zero (use {\"fixed\": 0})"},
      {R"([1, 2])", "must be a number of seconds or an ISO-8601 duration string, got [1,2]"},
  };
  for (const auto& [text, expected] : cases) {
    std::string error;
    EXPECT_FALSE(DurationSpec::from_json(json::parse(text), &error).has_value()) << text;
    EXPECT_EQ(error, expected) << text;
  }
}

TEST(DurationSpecTest, DrawStaysInRangeAndFollowsTheSeed) {
  const DurationSpec uniform{DurationSpec::Kind::uniform, sim::seconds(30), sim::seconds(300)};
  sim::Rng first(7);
  sim::Rng second(7);
  for (int i = 0; i < 200; ++i) {
    const auto drawn = uniform.draw(first);
    EXPECT_GE(drawn, sim::seconds(30));
    EXPECT_LE(drawn, sim::seconds(300));
    EXPECT_EQ(drawn, uniform.draw(second));
  }
  const DurationSpec fixed{DurationSpec::Kind::fixed, sim::seconds(9), 0};
  EXPECT_EQ(fixed.draw(first), sim::seconds(9));
  const DurationSpec exponential{DurationSpec::Kind::exponential, sim::seconds(60), 0};
  sim::Rng third(7);
  sim::Rng fourth(7);
  EXPECT_EQ(exponential.draw(third), exponential.draw(fourth));
}

TEST(BehaviourProfileTest, ParsesTheDocumentedExamples) {
  const auto chances =
      parse(R"({"duration": {"uniform": [30, 300]}, "outcome": {"fail": "1/20"}})");
  ASSERT_TRUE(chances.duration.has_value());
  EXPECT_EQ(chances.duration->kind, DurationSpec::Kind::uniform);
  ASSERT_TRUE(chances.fail.has_value());
  EXPECT_EQ(chances.fail->numerator, 1U);
  EXPECT_EQ(chances.fail->denominator, 20U);
  EXPECT_FALSE(chances.timeout.has_value());
  EXPECT_FALSE(chances.script.has_value());

  const auto scripted = parse(R"({"duration": 45, "outcome": ["FAILED", "SUCCESS"]})");
  EXPECT_EQ(scripted.duration->first_us, sim::seconds(45));
  EXPECT_EQ(scripted.script, (std::vector<std::string>{"FAILED", "SUCCESS"}));

  const auto both =
      parse(R"({"duration": "PT2M", "outcome": {"fail": "1/10", "timeout": "1/50"}})");
  EXPECT_EQ(both.duration->first_us, sim::minutes(2));
  EXPECT_EQ(both.timeout->denominator, 50U);
  EXPECT_EQ(both.fail->to_string(), "1/10");

  const auto empty = parse("{}");
  EXPECT_FALSE(empty.duration || empty.fail || empty.timeout || empty.script);
  EXPECT_TRUE(parse(R"({"outcome": {"fail": 0, "timeout": 1}})").timeout->always());
}

TEST(BehaviourProfileTest, ErrorsNameTheMemberPath) {
  EXPECT_EQ(error_of("[]"), "a profile must be an object, got []");
  EXPECT_EQ(error_of(R"({"durations": 5})"),
            "durations: unknown member (expected duration or outcome)");
  EXPECT_EQ(error_of(R"({"duration": -5})"), "duration: a duration must not be negative, got -5");
  EXPECT_EQ(error_of(R"({"duration": {"uniform": [9, 1]}})"),
            "duration.uniform: low bound PT9S is greater than high bound PT1S");
  EXPECT_EQ(error_of(R"({"outcome": []})"), "outcome: a scripted outcome list must not be empty");
  EXPECT_EQ(error_of(R"({"outcome": ["SUCCESS", ""]})"),
            "outcome[1]: must be an outcome name such as \"FAILED\", got \"\"");
  EXPECT_EQ(error_of(R"({"outcome": ["SUCCESS", 3]})"),
            "outcome[1]: must be an outcome name such as \"FAILED\", got 3");
  EXPECT_EQ(error_of(R"({"outcome": {"crash": "1/2"}})"),
            "outcome.crash: unknown member (expected fail or timeout)");
  EXPECT_EQ(error_of(R"({"outcome": "FAILED"})"),
            "outcome: must be a list of outcomes per attempt or an object with fail and timeout "
            "chances, got \"FAILED\"");
  EXPECT_EQ(error_of(R"({"outcome": {"fail": 0.5}})"),
            "outcome.fail: must be a ratio such as \"1/20\", got 0.5");
  EXPECT_EQ(error_of(R"({"outcome": {"fail": "3/2"}})")
                .rfind("outcome.fail: invalid probability '3/2'", 0),
            0U);
  EXPECT_EQ(error_of(R"({"outcome": {"fail": "1/0"}})")
                .rfind("outcome.fail: invalid probability '1/0'", 0),
            0U);
  EXPECT_EQ(error_of(R"({"outcome": {"timeout": 2}})")
                .rfind("outcome.timeout: invalid probability '2'", 0),
            0U);
  EXPECT_FALSE(BehaviourProfile::from_json(json(nullptr), nullptr).has_value());
}

TEST(BehaviourProfileTest, ScriptedOutcomesRepeatTheLastEntry) {
  const auto profile = parse(R"({"outcome": ["FAILED", "TIMEOUT", "SUCCESS"]})");
  sim::Rng rng(1);
  const sim::Rng untouched(1);
  EXPECT_EQ(profile.outcome_for_attempt(1, rng), "FAILED");
  EXPECT_EQ(profile.outcome_for_attempt(2, rng), "TIMEOUT");
  EXPECT_EQ(profile.outcome_for_attempt(3, rng), "SUCCESS");
  EXPECT_EQ(profile.outcome_for_attempt(4, rng), "SUCCESS");
  EXPECT_EQ(profile.outcome_for_attempt(100, rng), "SUCCESS");
  EXPECT_EQ(profile.outcome_for_attempt(0, rng), "FAILED");
  // A script draws nothing from the stream.
  sim::Rng copy = untouched;
  EXPECT_EQ(rng.next(), copy.next());
}

TEST(BehaviourProfileTest, DefaultProfileAlwaysSucceeds) {
  const BehaviourProfile profile;
  sim::Rng rng(3);
  for (int attempt = 1; attempt <= 50; ++attempt) {
    EXPECT_EQ(profile.outcome_for_attempt(attempt, rng), "SUCCESS");
  }
}

TEST(BehaviourProfileTest, CertainChances) {
  sim::Rng rng(3);
  EXPECT_EQ(parse(R"({"outcome": {"fail": "1"}})").outcome_for_attempt(1, rng), "FAILED");
  EXPECT_EQ(parse(R"({"outcome": {"timeout": "1"}})").outcome_for_attempt(1, rng), "TIMEOUT");
  // Timeout is decided before failure.
  EXPECT_EQ(parse(R"({"outcome": {"fail": "1", "timeout": "1"}})").outcome_for_attempt(1, rng),
            "TIMEOUT");
  EXPECT_EQ(parse(R"({"outcome": {"fail": "0", "timeout": "0"}})").outcome_for_attempt(1, rng),
            "SUCCESS");
}

TEST(BehaviourProfileTest, ChancesDrawTimeoutThenFailAlwaysBoth) {
  const auto profile = parse(R"({"outcome": {"fail": "1/3", "timeout": "1/7"}})");
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    sim::Rng rng(seed);
    sim::Rng mirror(seed);
    const bool timed_out = mirror.chance({1, 7});
    const bool failed = mirror.chance({1, 3});
    const std::string expected = timed_out ? "TIMEOUT" : failed ? "FAILED" : "SUCCESS";
    EXPECT_EQ(profile.outcome_for_attempt(1, rng), expected) << seed;
    EXPECT_EQ(rng.next(), mirror.next()) << seed;
  }
}

TEST(BehaviourProfileTest, FailChanceIsRoughlyHonoured) {
  const auto profile = parse(R"({"outcome": {"fail": "1/4"}})");
  sim::Rng rng(11);
  int failures = 0;
  for (int i = 0; i < 4000; ++i) failures += profile.outcome_for_attempt(1, rng) == "FAILED";
  EXPECT_GT(failures, 850);
  EXPECT_LT(failures, 1150);
}

TEST(BehaviourProfileTest, DrawDurationUsesTheSpecOrTheFallback) {
  sim::Rng rng(5);
  EXPECT_EQ(BehaviourProfile{}.draw_duration(rng, sim::seconds(7)), sim::seconds(7));
  EXPECT_EQ(parse(R"({"duration": 45})").draw_duration(rng, sim::seconds(7)), sim::seconds(45));
}

TEST(BehaviourProfileTest, OverlayReplacesFieldsTheUpperLayerSets) {
  const auto service = parse(R"({"duration": 30, "outcome": {"fail": "1/20", "timeout": "1/50"}})");
  const auto resource = parse(R"({"outcome": {"fail": "1/2"}})");
  const auto merged = service.overlay(resource);
  EXPECT_EQ(merged.duration->first_us, sim::seconds(30));
  EXPECT_EQ(merged.fail->to_string(), "1/2");
  EXPECT_EQ(merged.timeout->to_string(), "1/50");

  const auto task = parse(R"({"duration": 5})");
  EXPECT_EQ(merged.overlay(task).duration->first_us, sim::seconds(5));
  EXPECT_EQ(merged.overlay(task).fail->to_string(), "1/2");
  EXPECT_EQ(merged.overlay(BehaviourProfile{}).fail->to_string(), "1/2");
}

TEST(BehaviourProfileTest, OverlayTreatsScriptAndChancesAsOneOutcome) {
  const auto chances = parse(R"({"outcome": {"fail": "1/20"}})");
  const auto script = parse(R"({"outcome": ["FAILED", "SUCCESS"]})");
  const auto scripted = chances.overlay(script);
  EXPECT_EQ(scripted.script, script.script);
  EXPECT_FALSE(scripted.fail.has_value());

  const auto rechanced = script.overlay(chances);
  EXPECT_FALSE(rechanced.script.has_value());
  EXPECT_EQ(rechanced.fail->to_string(), "1/20");
}

}  // namespace
}  // namespace wfsim::models
