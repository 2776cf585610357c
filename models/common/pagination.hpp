// Opaque pagination tokens that reject forgeries. A token carries the list it belongs to
// (a scope such as "ListWorkflowRuns|<arn>") and a position chosen by the service (an offset
// or the last key returned), sealed with a keyed hash derived from the world's seed. A token
// from another list, an edited token or random text decodes to nullopt, and the service
// answers with its validation error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wfsim::models {

class PageTokenCodec {
 public:
  explicit PageTokenCodec(std::uint64_t secret) : secret_(secret) {}

  std::string encode(std::string_view scope, std::string_view position) const;
  std::optional<std::string> decode(std::string_view scope, std::string_view token) const;

 private:
  std::uint64_t seal(std::string_view scope, std::string_view position) const;
  std::uint64_t secret_;
};

// Page size from MaxResults: the requested value, or `default_size` when absent.
struct PageRequest {
  std::size_t offset = 0;
  std::size_t size = 20;
};

}  // namespace wfsim::models
