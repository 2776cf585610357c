// ARNs: "arn:<partition>:<service>:<region>:<account>:<resource>". The partition follows from
// the region's prefix; the resource keeps any further ':' or '/' it contains. parse_arn also
// requires a non-empty partition, service and resource (region and account may be empty, as
// in IAM and S3 ARNs).
#include "models/common/arn.hpp"

#include <array>
#include <utility>

#include "sim/text.hpp"

namespace wfsim::models {
namespace {

using sim::starts_with;

}  // namespace

std::string partition_for_region(std::string_view region) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kPrefixes = {{
      {"cn-", "aws-cn"},
      {"us-gov-", "aws-us-gov"},
      {"us-iso-", "aws-iso"},
      {"us-isob-", "aws-iso-b"},
      {"eu-isoe-", "aws-iso-e"},
      {"us-isof-", "aws-iso-f"},
  }};
  for (const auto& [prefix, partition] : kPrefixes) {
    if (starts_with(region, prefix)) return std::string(partition);
  }
  return "aws";
}

std::string Arn::to_string() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::string make_arn(std::string_view service, std::string_view region, std::string_view account,
                     std::string_view resource) {
  return Arn{partition_for_region(region), std::string(service), std::string(region),
             std::string(account), std::string(resource)}
      .to_string();
}

std::optional<Arn> parse_arn(std::string_view text) {
  std::array<std::string_view, 6> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = text.substr(start);
  if (parts[0] != "arn" || parts[1].empty() || parts[2].empty() || parts[5].empty()) {
    return std::nullopt;
  }
  return Arn{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
             std::string(parts[4]), std::string(parts[5])};
}

}  // namespace wfsim::models
