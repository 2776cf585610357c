// The virtual object store (DESIGN.md, How runs progress: definitions live at s3://bucket/key).
// Version ids are the decimal position of a version, "1" for the first; a version id that is
// not exactly such a number (no sign, no leading zero) names no version. A bucket name never
// contains '/', so "bucket/key" identifies an object without ambiguity.
#include "models/common/object_store.hpp"

#include <string_view>

namespace wfsim::models {
namespace {

constexpr std::string_view kScheme = "s3://";

bool split_location(const std::string& location, std::string* bucket, std::string* key) {
  if (location.compare(0, kScheme.size(), kScheme) != 0) return false;
  const std::size_t slash = location.find('/', kScheme.size());
  if (slash == std::string::npos) return false;
  *bucket = location.substr(kScheme.size(), slash - kScheme.size());
  *key = location.substr(slash + 1);
  return !bucket->empty() && !key->empty();
}

std::optional<std::vector<std::string>> bodies_of(const nlohmann::json& value) {
  if (value.is_string()) return std::vector<std::string>{value.get<std::string>()};
  if (!value.is_array() || value.empty()) return std::nullopt;
  std::vector<std::string> bodies;
  for (const auto& version : value) {
    if (!version.is_string()) return std::nullopt;
    bodies.push_back(version.get<std::string>());
  }
  return bodies;
}

// "3" -> 3; anything else (empty, "03", "-1", "x", too many digits) -> 0, which is no version.
std::size_t version_number(const std::string& version_id) {
  if (version_id.empty() || version_id.size() > 9 || version_id.front() == '0') return 0;
  std::size_t number = 0;
  for (char c : version_id) {
    if (c < '0' || c > '9') return 0;
    number = number * 10 + static_cast<std::size_t>(c - '0');
  }
  return number;
}

}  // namespace

std::optional<ObjectStore> ObjectStore::from_json(const nlohmann::json& objects,
                                                  std::string* error) {
  ObjectStore store;
  if (objects.is_null()) return store;
  if (!objects.is_object()) {
    if (error != nullptr) *error = "must be an object mapping s3://bucket/key to contents";
    return std::nullopt;
  }
  for (const auto& [location, value] : objects.items()) {
    std::string bucket;
    std::string key;
    if (!split_location(location, &bucket, &key)) {
      if (error != nullptr) {
        *error = location + ": not an object location of the form s3://bucket/key";
      }
      return std::nullopt;
    }
    const auto bodies = bodies_of(value);
    if (!bodies) {
      if (error != nullptr) *error = location + ": must be a string or a non-empty list of strings";
      return std::nullopt;
    }
    for (const auto& body : *bodies) store.put(bucket, key, body);
  }
  return store;
}

void ObjectStore::put(const std::string& bucket, const std::string& key, std::string body) {
  versions_[bucket + "/" + key].push_back(std::move(body));
}

std::optional<StoredObject> ObjectStore::get(const std::string& bucket, const std::string& key,
                                             const std::string& version_id) const {
  // A bucket name never contains '/' in S3; such a name must not reach another bucket's key.
  if (bucket.find('/') != std::string::npos) return std::nullopt;
  const auto found = versions_.find(bucket + "/" + key);
  if (found == versions_.end() || found->second.empty()) return std::nullopt;
  const auto& bodies = found->second;
  const std::size_t number = version_id.empty() ? bodies.size() : version_number(version_id);
  if (number == 0 || number > bodies.size()) return std::nullopt;
  return StoredObject{bodies[number - 1], std::to_string(number)};
}

}  // namespace wfsim::models
