// Timestamps on the wire (wire-protocols.md 2.1 and 2.2): date-time members are RFC 3339
// strings; epoch-seconds members are JSON numbers with millisecond precision (Smithy), written
// as integers when the instant falls on a whole second so botocore-style integer seconds
// round-trip unchanged. Sub-millisecond parts are truncated towards the past, like
// sim::format_rfc3339. Decoding accepts integers, fractional numbers, numeric strings (js-v3
// accepts them for epoch members) and RFC 3339 strings.
#include "models/common/timestamps.hpp"

#include <cmath>
#include <string>

namespace wfsim::models {
namespace {

constexpr std::int64_t kMicrosecondsPerMillisecond = 1000;
constexpr std::int64_t kMillisecondsPerSecond = 1000;
// The largest whole number of seconds whose microsecond count fits in TimeUs.
constexpr std::int64_t kMaxSeconds = INT64_MAX / sim::kMicrosecondsPerSecond;

std::int64_t floor_divide(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

std::optional<sim::TimeUs> from_whole_seconds(std::int64_t seconds) {
  if (seconds > kMaxSeconds || seconds < -kMaxSeconds) return std::nullopt;
  return seconds * sim::kMicrosecondsPerSecond;
}

std::optional<sim::TimeUs> from_fractional_seconds(double seconds) {
  if (!std::isfinite(seconds) || std::fabs(seconds) >= static_cast<double>(kMaxSeconds)) {
    return std::nullopt;
  }
  return static_cast<sim::TimeUs>(
      std::llround(seconds * static_cast<double>(sim::kMicrosecondsPerSecond)));
}

// "-12.345678" -> microseconds, read digit by digit so no precision is lost; digits past the
// sixth decimal are truncated.
std::optional<sim::TimeUs> parse_decimal_seconds(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 13) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  std::int64_t micros = 0;
  std::int64_t scale = sim::kMicrosecondsPerSecond;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    scale /= 10;
    micros += (c - '0') * scale;
  }
  const auto base = from_whole_seconds(seconds);
  if (!base) return std::nullopt;
  return negative ? -(*base + micros) : *base + micros;
}

}  // namespace

nlohmann::json encode_timestamp(sim::TimeUs t, TimestampFormat format) {
  if (format == TimestampFormat::date_time) return sim::format_rfc3339(t);
  const std::int64_t milliseconds = floor_divide(t, kMicrosecondsPerMillisecond);
  if (milliseconds % kMillisecondsPerSecond == 0) return milliseconds / kMillisecondsPerSecond;
  return static_cast<double>(milliseconds) / static_cast<double>(kMillisecondsPerSecond);
}

std::optional<sim::TimeUs> decode_timestamp(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto seconds = value.get<std::uint64_t>();
    if (seconds > static_cast<std::uint64_t>(kMaxSeconds)) return std::nullopt;
    return from_whole_seconds(static_cast<std::int64_t>(seconds));
  }
  if (value.is_number_integer()) return from_whole_seconds(value.get<std::int64_t>());
  if (value.is_number_float()) return from_fractional_seconds(value.get<double>());
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (const auto seconds = parse_decimal_seconds(text)) return seconds;
  return sim::parse_rfc3339(text);
}

}  // namespace wfsim::models
