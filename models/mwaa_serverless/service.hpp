// The MWAA Serverless service: every operation of API version 2024-07-26 (fact sheet
// sections 7-9), over the run and task-instance machines and the definition parser.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "models/common/service.hpp"

namespace wfsim::models::mwaa {

inline constexpr std::string_view kServiceName = "mwaa-serverless";

class MwaaServerless;

// Builds the service from the world configuration: `service_config` is
// config.services["mwaa-serverless"] (quotas, throttling, timings) and `profiles` is
// config.profiles["mwaa-serverless"]; both may be null. An invalid configuration is an error
// message naming the member.
std::variant<std::unique_ptr<Service>, std::string> make_mwaa_serverless(
    ServiceContext context, const nlohmann::json& service_config, const nlohmann::json& profiles);

}  // namespace wfsim::models::mwaa
