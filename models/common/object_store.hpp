// The world's virtual object store: S3 objects that services read (MWAA Serverless
// definitions, Glue blueprint layouts). Configured as
//   "objects": {"s3://bucket/key": "text", "s3://bucket/other": ["v1 text", "v2 text"]}
// A string is one object version with VersionId "1"; a list gives versions "1", "2", ...,
// the last being the latest.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace wfsim::models {

// "s3://bucket/key", as messages name an object.
inline std::string s3_url(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

struct StoredObject {
  std::string body;
  std::string version_id;
};

class ObjectStore {
 public:
  static std::optional<ObjectStore> from_json(const nlohmann::json& objects, std::string* error);
  ObjectStore() = default;

  void put(const std::string& bucket, const std::string& key, std::string body);
  // `version_id` empty -> latest.
  std::optional<StoredObject> get(const std::string& bucket, const std::string& key,
                                  const std::string& version_id = "") const;

 private:
  std::map<std::string, std::vector<std::string>> versions_;  // "bucket/key" -> bodies
};

}  // namespace wfsim::models
