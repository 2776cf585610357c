// Substitution of saved values and the subset matcher.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "scenarios/matching.hpp"

namespace wfsim::scenarios {
namespace {

using nlohmann::json;

json substituted(const json& value, const Bindings& bindings) {
  std::vector<Difference> problems;
  std::optional<json> out = substitute(value, bindings, "request", &problems);
  EXPECT_TRUE(out.has_value()) << (problems.empty() ? "" : problems[0].to_string());
  return out.value_or(json());
}

std::vector<std::string> rendered(const std::vector<Difference>& differences) {
  std::vector<std::string> lines;
  for (const Difference& difference : differences) lines.push_back(difference.to_string());
  return lines;
}

TEST(Substitution, AWholeStringTemplateBecomesTheSavedValueOfAnyType) {
  Bindings bindings = {{"count", 3}, {"list", json::array({1, 2})}, {"run", "abc"}};
  EXPECT_EQ(substituted("${count}", bindings), json(3));
  EXPECT_EQ(substituted("${list}", bindings), json::array({1, 2}));
  EXPECT_EQ(substituted({{"RunId", "${run}"}, {"n", {"${count}"}}}, bindings),
            json({{"RunId", "abc"}, {"n", {3}}}));
}

TEST(Substitution, InsideALongerStringTheValueTextIsSpliced) {
  Bindings bindings = {{"count", 3}, {"run", "abc"}, {"obj", {{"a", 1}}}};
  EXPECT_EQ(substituted("run-${run}-${count}", bindings), json("run-abc-3"));
  EXPECT_EQ(substituted("x${obj}", bindings), json("x{\"a\":1}"));
  EXPECT_EQ(substituted({{"key-${run}", 1}}, bindings), json({{"key-abc", 1}}));
}

TEST(Substitution, DollarDollarBraceIsALiteral) {
  EXPECT_EQ(substituted("$${run} costs $5", {}), json("${run} costs $5"));
  EXPECT_EQ(substituted("$${run}", {}), json("${run}"));
}

TEST(Substitution, UnknownNamesAndUnterminatedTemplatesAreReportedWithTheirPath) {
  std::vector<Difference> problems;
  json request = {{"Items", {"ok", "${missing}"}}, {"Name", "a-${b"}};
  EXPECT_FALSE(substitute(request, {{"run", 1}}, "request", &problems).has_value());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].to_string(),
            "request.Items[1]: unknown name ${missing} (saved so far: run)");
  EXPECT_EQ(problems[1].path, "request.Name");
  EXPECT_NE(problems[1].message.find("unterminated ${"), std::string::npos);
}

TEST(Substitution, HasTemplateFindsTemplatesAnywhere) {
  EXPECT_FALSE(has_template({{"a", {1, "b", {{"c", "$5"}}}}}));
  EXPECT_TRUE(has_template({{"a", {1, "b", {{"c", "${x}"}}}}}));
  EXPECT_TRUE(has_template({{"${x}", 1}}));
}

// Escaping a literal value makes substitution give it back unchanged.
RC_GTEST_PROP(SubstitutionProperty, EscapedLiteralsSurviveSubstitution, (const std::string& text)) {
  json value = {{"s", text}, {"list", {text, 1}}};
  std::vector<Difference> problems;
  std::optional<json> out = substitute(escape_templates(value), {}, "expect", &problems);
  RC_ASSERT(out.has_value());
  RC_ASSERT(*out == value);
}

TEST(SubsetMatch, MembersNotGivenAreIgnored) {
  json actual = {{"Run", {{"Status", "SUCCESS"}, {"RunId", "r1"}}}, {"Extra", true}};
  EXPECT_TRUE(match_subset({{"Run", {{"Status", "SUCCESS"}}}}, actual).empty());
  EXPECT_TRUE(match_subset(json::object(), actual).empty());
}

TEST(SubsetMatch, EveryDifferingPathIsListedWithExpectedAndActual) {
  json actual = {{"Run", {{"Status", "RUNNING"}, {"Attempts", 1}}},
                 {"Items", {{{"Name", "a"}}, {{"Name", "b"}}}}};
  json expected = {{"Run", {{"Status", "SUCCESS"}, {"Attempts", 2}, {"Error", nullptr}}},
                   {"Items", {{{"Name", "a"}}, {{"Name", "c"}}}}};
  EXPECT_EQ(
      rendered(match_subset(expected, actual)),
      (std::vector<std::string>{"response.Items[1].Name: expected \"c\", got \"b\"",
                                "response.Run.Attempts: expected 2, got 1",
                                "response.Run.Error: expected null, got nothing (member missing)",
                                "response.Run.Status: expected \"SUCCESS\", got \"RUNNING\""}));
}

TEST(SubsetMatch, ArraysMustHaveTheSameLengthAndMatchElementByElement) {
  json actual = {{"Items", {{{"Name", "a"}, {"Size", 1}}, {{"Name", "b"}}}}};
  EXPECT_TRUE(match_subset({{"Items", {{{"Name", "a"}}, json::object()}}}, actual).empty());
  EXPECT_EQ(rendered(match_subset({{"Items", {{{"Name", "x"}}}}}, actual)),
            (std::vector<std::string>{"response.Items: expected 1 items, got 2",
                                      "response.Items[0].Name: expected \"x\", got \"a\""}));
}

TEST(SubsetMatch, NumbersCompareByValue) {
  EXPECT_TRUE(match_subset(json(1), json(1.0)).empty());
  EXPECT_TRUE(match_subset(json(1.0), json(1u)).empty());
  EXPECT_TRUE(match_subset(json(5u), json(5)).empty());
  EXPECT_FALSE(match_subset(json(-1), json(UINT64_MAX)).empty());
  EXPECT_FALSE(match_subset(json(1), json(1.5)).empty());
  EXPECT_FALSE(match_subset(json(1), json("1")).empty());
}

TEST(SubsetMatch, TypeMismatchesAndOddKeysAreShown) {
  EXPECT_EQ(rendered(match_subset({{"a", {{"b", 1}}}}, {{"a", 5}})),
            (std::vector<std::string>{"response.a: expected {\"b\":1}, got 5"}));
  EXPECT_EQ(rendered(match_subset({{"team name", 1}}, {{"team name", 2}})),
            (std::vector<std::string>{"response[\"team name\"]: expected 1, got 2"}));
  EXPECT_EQ(rendered(match_subset(json::array(), json::object())),
            (std::vector<std::string>{"response: expected [], got {}"}));
}

TEST(SubsetMatch, LongValuesAreCutShort) {
  std::string long_text(1000, 'x');
  std::string shown = show_json(long_text);
  EXPECT_EQ(shown.size(), 200u);
  EXPECT_EQ(shown.substr(197), "...");
}

// A value always matches itself, as a subset.
RC_GTEST_PROP(SubsetMatchProperty, AValueMatchesItself,
              (const std::map<std::string, std::vector<int>>& members, const std::string& text)) {
  json value = members;
  value["text"] = text;
  RC_ASSERT(match_subset(value, value).empty());
}

}  // namespace
}  // namespace wfsim::scenarios
