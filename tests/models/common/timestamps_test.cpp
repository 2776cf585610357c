#include "models/common/timestamps.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace wfsim::models {
namespace {

using nlohmann::json;

constexpr sim::TimeUs kNewYear = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

TEST(TimestampsTest, DateTimeIsAnRfc3339String) {
  EXPECT_EQ(encode_timestamp(kNewYear, TimestampFormat::date_time), json("2026-01-01T00:00:00Z"));
  EXPECT_EQ(encode_timestamp(kNewYear + 250'000, TimestampFormat::date_time),
            json("2026-01-01T00:00:00.250Z"));
}

TEST(TimestampsTest, DateTimeTruncatesToMilliseconds) {
  EXPECT_EQ(encode_timestamp(kNewYear + 1, TimestampFormat::date_time),
            json("2026-01-01T00:00:00.000Z"));
  EXPECT_EQ(encode_timestamp(kNewYear - 1, TimestampFormat::date_time),
            json("2025-12-31T23:59:59.999Z"));
  EXPECT_EQ(encode_timestamp(0, TimestampFormat::date_time), json("1970-01-01T00:00:00Z"));
}

TEST(TimestampsTest, EpochSecondsIsAnIntegerOnWholeSeconds) {
  const json encoded = encode_timestamp(kNewYear, TimestampFormat::epoch_seconds);
  EXPECT_TRUE(encoded.is_number_integer());
  EXPECT_EQ(encoded.dump(), "1767225600");
}

TEST(TimestampsTest, EpochSecondsKeepsMilliseconds) {
  EXPECT_EQ(encode_timestamp(kNewYear + 500'000, TimestampFormat::epoch_seconds).dump(),
            "1767225600.5");
  EXPECT_EQ(encode_timestamp(kNewYear + 123'456, TimestampFormat::epoch_seconds).dump(),
            "1767225600.123");
  // Below a millisecond there is nothing to show, so the value stays an integer.
  EXPECT_EQ(encode_timestamp(kNewYear + 999, TimestampFormat::epoch_seconds).dump(), "1767225600");
  EXPECT_EQ(encode_timestamp(-500'000, TimestampFormat::epoch_seconds).dump(), "-0.5");
  EXPECT_EQ(encode_timestamp(-1, TimestampFormat::epoch_seconds).dump(), "-0.001");
}

TEST(TimestampsTest, DecodeNumbers) {
  EXPECT_EQ(decode_timestamp(json(1767225600)), kNewYear);
  EXPECT_EQ(decode_timestamp(json(1767225600.5)), kNewYear + 500'000);
  EXPECT_EQ(decode_timestamp(json(1767225600.123)), kNewYear + 123'000);
  EXPECT_EQ(decode_timestamp(json(-1)), -1'000'000);
}

TEST(TimestampsTest, DecodeStrings) {
  EXPECT_EQ(decode_timestamp(json("1767225600")), kNewYear);
  EXPECT_EQ(decode_timestamp(json("1767225600.1234567")), kNewYear + 123'456);
  EXPECT_EQ(decode_timestamp(json("-1.5")), -1'500'000);
  EXPECT_EQ(decode_timestamp(json("2026-01-01T00:00:00Z")), kNewYear);
  EXPECT_EQ(decode_timestamp(json("2026-01-01T02:00:00.5+02:00")), kNewYear + 500'000);
}

TEST(TimestampsTest, DecodeRejectsEverythingElse) {
  for (const json& value :
       {json(nullptr), json(true), json::array(), json::object(), json(""), json("1."), json(".5"),
        json("-"), json("1e9"), json(" 1"), json("yesterday"), json("99999999999999"), json(1e300),
        json(18446744073709551615ULL), json(-9300000000000LL)}) {
    EXPECT_EQ(decode_timestamp(value), std::nullopt) << value.dump();
  }
}

RC_GTEST_PROP(TimestampsProperty, EncodedFormsDecodeToTheMillisecond, ()) {
  const auto milliseconds = *rc::gen::inRange<std::int64_t>(0, 4'102'444'800'000);  // to 2100
  const sim::TimeUs t = milliseconds * 1000;
  RC_ASSERT(decode_timestamp(encode_timestamp(t, TimestampFormat::epoch_seconds)) == t);
  RC_ASSERT(decode_timestamp(encode_timestamp(t, TimestampFormat::date_time)) == t);
  const json text = encode_timestamp(t, TimestampFormat::epoch_seconds).dump();
  RC_ASSERT(decode_timestamp(text) == t);
}

}  // namespace
}  // namespace wfsim::models
