// Timestamps as each protocol writes them: MWAA Serverless uses RFC 3339 strings
// ("date-time"), Glue, SWF and AppFlow use epoch seconds as JSON numbers.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace wfsim::models {

enum class TimestampFormat { date_time, epoch_seconds };

nlohmann::json encode_timestamp(sim::TimeUs t, TimestampFormat format);
// Accepts a number (epoch seconds, fractional allowed), a numeric string or an RFC 3339 string.
std::optional<sim::TimeUs> decode_timestamp(const nlohmann::json& value);

}  // namespace wfsim::models
