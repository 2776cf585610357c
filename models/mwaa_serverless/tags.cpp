// Tag operations of MWAA Serverless: TagResource, UntagResource, ListTagsForResource (fact
// sheet section 7). Follows the sheet: the resource is a workflow ARN (TaggableResourceArn,
// at most 1011 characters), keys are 1..128 characters, values 0..256, at most 50 tags.
// Chosen where the sheet is silent: TagResource that would leave a workflow with more than
// 50 tags is a ValidationException naming Tags (no quota error is modelled for it); tags may
// be changed while a workflow is being deleted; untagging a key that is not set is not an
// error (the operation is @idempotent).
#include "models/mwaa_serverless/errors.hpp"
#include "models/mwaa_serverless/request_rules.hpp"
#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

constexpr std::size_t kMaxTags = 50;

}  // namespace

JsonOutcome MwaaServerless::tag_resource(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_resource_arn(validator, request);
  const auto tags = read_tags(validator, true);
  if (!validator.ok()) return validation_error(validator);
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  std::map<std::string, std::string> merged = workflow->tags;
  for (const auto& [key, value] : *tags) merged[key] = value;
  if (merged.size() > kMaxTags) {
    return validation_error("fieldValidationFailed", "Tags",
                            "Workflow " + *arn + " would have " + std::to_string(merged.size()) +
                                " tags; a resource can have at most " + std::to_string(kMaxTags));
  }
  workflow->tags = std::move(merged);
  return nlohmann::json::object();
}

JsonOutcome MwaaServerless::untag_resource(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_resource_arn(validator, request);
  const auto keys = validator.string_list("TagKeys", {1, 50}, {1, 128, kLinePattern}, true);
  if (!validator.ok()) return validation_error(validator);
  Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  for (const auto& key : *keys) workflow->tags.erase(key);
  return nlohmann::json::object();
}

JsonOutcome MwaaServerless::list_tags_for_resource(const nlohmann::json& request) {
  RequestValidator validator(request);
  const auto arn = read_resource_arn(validator, request);
  if (!validator.ok()) return validation_error(validator);
  const Workflow* workflow = find_workflow(*arn);
  if (workflow == nullptr) {
    return not_found(kWorkflowType, *arn, "Workflow " + *arn + " does not exist");
  }
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [key, value] : workflow->tags) tags[key] = value;
  return nlohmann::json{{"Tags", std::move(tags)}};
}

}  // namespace wfsim::models::mwaa
