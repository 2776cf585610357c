// ARNs: building them for a region and account, and taking them apart.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wfsim::models {

// "aws", "aws-cn" (cn-*), "aws-us-gov" (us-gov-*), "aws-iso" (us-iso-*), "aws-iso-b" (us-isob-*),
// "aws-iso-e" (eu-isoe-*), "aws-iso-f" (us-isof-*).
std::string partition_for_region(std::string_view region);

struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;  // everything after the fifth ':' ("workflow/name-abc")

  std::string to_string() const;
};

std::string make_arn(std::string_view service, std::string_view region,
                     std::string_view account, std::string_view resource);
std::optional<Arn> parse_arn(std::string_view text);

}  // namespace wfsim::models
