// Glue tag operations: TagResource, UntagResource, GetTags (fact sheet 6.12 ARNs, 8 tag
// limits) over the workflows, triggers, jobs, crawlers and blueprints named by
// arn:<partition>:glue:<region>:<account>:<kind>/<name>.
//
// Sheet rules followed: at most 50 tags per resource, keys 1..128, values 0..256 (8); the
// ARN forms of 6.12. Chosen where the sheet is silent (its operation list has no tag
// section, so the AWS model's shapes are used: ResourceArn 1..10,240, TagsToAdd a tag map,
// TagsToRemove a list of keys):
// - A ResourceArn that is not an ARN, not a glue ARN, or names a kind other than workflow,
//   trigger, job, crawler or blueprint is InvalidInputException; a well-formed ARN of another
//   partition, region or account, or of a resource that does not exist, is
//   EntityNotFoundException.
// - TagResource overwrites the values of existing keys; a result above 50 tags is
//   InvalidInputException and changes nothing. UntagResource ignores keys not present.
#include <algorithm>
#include <iterator>
#include <string>

#include "models/common/arn.hpp"
#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxArnLength = 10240;

struct ResourceName {
  std::string kind;  // workflow, trigger, job, crawler, blueprint
  std::string name;
  bool ours = false;  // this partition, region and account
};

// Takes a glue resource ARN apart; nullopt when it is not one.
std::optional<ResourceName> parse_resource(const std::string& text, const ServiceContext& context) {
  const auto arn = parse_arn(text);
  if (!arn || arn->service != "glue") return std::nullopt;
  const auto slash = arn->resource.find('/');
  if (slash == std::string::npos || slash + 1 == arn->resource.size()) return std::nullopt;
  ResourceName resource{arn->resource.substr(0, slash), arn->resource.substr(slash + 1)};
  static const char* const kKinds[] = {"workflow", "trigger", "job", "crawler", "blueprint"};
  if (std::find(std::begin(kKinds), std::end(kKinds), resource.kind) == std::end(kKinds)) {
    return std::nullopt;
  }
  resource.ours = arn->partition == partition_for_region(context.region) &&
                  arn->region == context.region && arn->account == context.account_id;
  return resource;
}

template <class Map>
TagMap* tags_in(Map& map, const std::string& name) {
  const auto found = map.find(name);
  return found == map.end() ? nullptr : &found->second->tags;
}

// The tags of the resource the request's ResourceArn names, or the error to answer.
Outcome<TagMap*> resolve_tagged(Glue& glue, const std::string& arn) {
  if (!parse_resource(arn, glue.context_)) {
    return invalid_input("ResourceArn '" + arn +
                         "' is not the ARN of a Glue workflow, trigger, job, crawler or "
                         "blueprint");
  }
  TagMap* tags = glue.tags_of_arn(arn);
  if (tags == nullptr) return entity_not_found("Resource " + arn + " not found");
  return tags;
}

}  // namespace

TagMap* Glue::tags_of_arn(const std::string& arn) {
  const auto resource = parse_resource(arn, context_);
  if (!resource || !resource->ours) return nullptr;
  if (resource->kind == "workflow") return tags_in(workflows_, resource->name);
  if (resource->kind == "trigger") return tags_in(triggers_, resource->name);
  if (resource->kind == "job") return tags_in(jobs_, resource->name);
  if (resource->kind == "crawler") return tags_in(crawlers_, resource->name);
  return tags_in(blueprints_, resource->name);
}

JsonOutcome Glue::tag_resource(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = validator.string("ResourceArn", StringRule{1, kMaxArnLength}, true);
  const auto to_add = tags_member(validator, "TagsToAdd");
  if (!request.contains("TagsToAdd") || request["TagsToAdd"].is_null()) {
    validator.fail("TagsToAdd", "Member must not be null");
  }
  if (!validator.ok()) return invalid_input(validator);
  auto tags = resolve_tagged(*this, *arn);
  if (!tags.ok()) return tags.error();
  TagMap merged = *tags.value();
  for (const auto& [key, value] : *to_add) merged[key] = value;
  if (merged.size() > kMaxTags) {
    return invalid_input("A resource can have at most " + std::to_string(kMaxTags) +
                         " tags; this would give it " + std::to_string(merged.size()));
  }
  *tags.value() = std::move(merged);
  return nlohmann::json::object();
}

JsonOutcome Glue::untag_resource(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = validator.string("ResourceArn", StringRule{1, kMaxArnLength}, true);
  const auto keys = validator.string_list("TagsToRemove", CountRule{0, kMaxTags},
                                          StringRule{1, 128, {}, true}, true);
  if (!validator.ok()) return invalid_input(validator);
  auto tags = resolve_tagged(*this, *arn);
  if (!tags.ok()) return tags.error();
  for (const auto& key : *keys) tags.value()->erase(key);
  return nlohmann::json::object();
}

JsonOutcome Glue::get_tags(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = validator.string("ResourceArn", StringRule{1, kMaxArnLength}, true);
  if (!validator.ok()) return invalid_input(validator);
  auto tags = resolve_tagged(*this, *arn);
  if (!tags.ok()) return tags.error();
  return nlohmann::json{{"Tags", *tags.value()}};
}

}  // namespace wfsim::models::glue
