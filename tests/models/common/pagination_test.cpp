#include "models/common/pagination.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace wfsim::models {
namespace {

constexpr std::string_view kScope = "ListWorkflowRuns|arn:aws:airflow-serverless:x";

TEST(PageTokenCodecTest, RoundTrip) {
  const PageTokenCodec codec(42);
  for (std::string_view position : {"", "0", "20", "run-abc|2026-01-01T00:00:00Z", "\x01\xFF"}) {
    const std::string token = codec.encode(kScope, position);
    EXPECT_EQ(codec.decode(kScope, token), std::string(position)) << token;
  }
}

TEST(PageTokenCodecTest, TokenShape) {
  const PageTokenCodec codec(42);
  const std::string token = codec.encode(kScope, "20");
  // base64url("20") is "MjA"; then a dot and 16 lowercase hex digits.
  ASSERT_EQ(token.size(), 3U + 1U + 16U);
  EXPECT_EQ(token.substr(0, 4), "MjA.");
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef", 4), std::string::npos);
}

TEST(PageTokenCodecTest, SameSecretGivesSameToken) {
  EXPECT_EQ(PageTokenCodec(7).encode(kScope, "40"), PageTokenCodec(7).encode(kScope, "40"));
  EXPECT_NE(PageTokenCodec(7).encode(kScope, "40"), PageTokenCodec(8).encode(kScope, "40"));
}

TEST(PageTokenCodecTest, RejectsOtherScopesAndSecrets) {
  const PageTokenCodec codec(42);
  const std::string token = codec.encode("ListWorkflows", "20");
  EXPECT_EQ(codec.decode("ListWorkflowVersions", token), std::nullopt);
  EXPECT_EQ(PageTokenCodec(43).decode("ListWorkflows", token), std::nullopt);
}

TEST(PageTokenCodecTest, RejectsMalformedText) {
  const PageTokenCodec codec(42);
  const std::string token = codec.encode(kScope, "20");
  const std::string seal = token.substr(token.find('.'));
  EXPECT_EQ(codec.decode(kScope, ""), std::nullopt);
  EXPECT_EQ(codec.decode(kScope, "."), std::nullopt);
  EXPECT_EQ(codec.decode(kScope, "MjA"), std::nullopt);
  EXPECT_EQ(codec.decode(kScope, "MjA." + std::string(16, 'g')), std::nullopt);
  EXPECT_EQ(codec.decode(kScope, "MjA" + seal.substr(0, 16)), std::nullopt);
  EXPECT_EQ(codec.decode(kScope, "M=A" + seal), std::nullopt);   // not base64url
  EXPECT_EQ(codec.decode(kScope, "MjB" + seal), std::nullopt);   // non-canonical spelling
  EXPECT_EQ(codec.decode(kScope, "MjAx" + seal), std::nullopt);  // another position
  EXPECT_EQ(codec.decode(kScope, "M" + seal), std::nullopt);     // impossible length
  EXPECT_EQ(codec.decode(kScope, std::string(3000, 'A') + seal), std::nullopt);
  std::string upper = token;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(codec.decode(kScope, upper), std::nullopt);
}

RC_GTEST_PROP(PageTokenProperty, RandomTextNeverDecodes, (std::string text)) {
  const PageTokenCodec codec(42);
  RC_ASSERT(!codec.decode(kScope, text).has_value());
}

RC_GTEST_PROP(PageTokenProperty, TokenForOneScopeNeverDecodesForAnother,
              (std::string scope_a, std::string scope_b, std::string position)) {
  RC_PRE(scope_a != scope_b);
  const PageTokenCodec codec(42);
  const std::string token = codec.encode(scope_a, position);
  RC_ASSERT(codec.decode(scope_a, token) == std::optional<std::string>(position));
  RC_ASSERT(!codec.decode(scope_b, token).has_value());
}

RC_GTEST_PROP(PageTokenProperty, EditedTokensNeverDecode, (std::string position)) {
  const PageTokenCodec codec(42);
  const std::string token = codec.encode(kScope, position);
  const auto index = *rc::gen::inRange<std::size_t>(0, token.size());
  const auto replacement = *rc::gen::arbitrary<char>();
  RC_PRE(token[index] != replacement);
  std::string edited = token;
  edited[index] = replacement;
  RC_ASSERT(!codec.decode(kScope, edited).has_value());
}

}  // namespace
}  // namespace wfsim::models
