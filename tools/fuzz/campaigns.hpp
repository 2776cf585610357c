// The fuzz campaign of each service the request generators cover (fuzzable_services()),
// made once per process and shared by the harnesses.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "properties/fuzz.hpp"
#include "properties/requests.hpp"

namespace wfsim::properties {

// The campaign at `selector` modulo the number of services, in fuzzable_services() order
// (0 is glue, which the corpus files were written for).
inline const FuzzCampaign& campaign_for(std::size_t selector) {
  static const std::vector<std::unique_ptr<FuzzCampaign>> campaigns = [] {
    std::vector<std::unique_ptr<FuzzCampaign>> made;
    for (const std::string& service : fuzzable_services()) {
      FuzzOptions options;
      options.service = service;
      made.push_back(std::make_unique<FuzzCampaign>(std::move(options)));
    }
    return made;
  }();
  return *campaigns[selector % campaigns.size()];
}

}  // namespace wfsim::properties
