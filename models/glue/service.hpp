// The AWS Glue service: workflows, triggers, jobs, crawlers, blueprints and their runs
// (fact sheet glue-workflows.md, API 2017-03-31), over the machines in this folder.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "models/common/service.hpp"

namespace wfsim::models::glue {

inline constexpr std::string_view kServiceName = "glue";

// Builds the service from the world configuration: `service_config` is
// config.services["glue"] and `profiles` is config.profiles["glue"]; both may be null. An
// invalid configuration is an error message naming the member.
std::variant<std::unique_ptr<Service>, std::string> make_glue(
    ServiceContext context, const nlohmann::json& service_config, const nlohmann::json& profiles);

}  // namespace wfsim::models::glue
