// The MWAA Serverless error shapes (fact sheet section 6). Messages are cut to the 2048
// characters the ErrorMessage shape allows.
#include "models/mwaa_serverless/errors.hpp"

namespace wfsim::models::mwaa {
namespace {

AwsError resource_error(std::string code, int http_status, std::string_view resource_type,
                        std::string_view resource_id, std::string message) {
  AwsError error = make_error(std::move(code), http_status, std::move(message));
  error.fields["ResourceId"] = std::string(resource_id);
  error.fields["ResourceType"] = std::string(resource_type);
  return error;
}

}  // namespace

AwsError validation_error(const RequestValidator& validator) {
  AwsError error = make_error("ValidationException", 400, validator.message());
  error.fields["Reason"] = "fieldValidationFailed";
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& violation : validator.violations()) {
    fields.push_back({{"Name", violation.path}, {"Message", bounded_message(violation.message)}});
  }
  error.fields["FieldList"] = std::move(fields);
  return error;
}

AwsError validation_error(std::string_view reason, std::string_view field, std::string message) {
  AwsError error = make_error("ValidationException", 400, std::move(message));
  error.fields["Reason"] = std::string(reason);
  error.fields["FieldList"] =
      nlohmann::json::array({{{"Name", std::string(field)}, {"Message", error.message}}});
  return error;
}

AwsError not_found(std::string_view resource_type, std::string_view resource_id,
                   std::string message) {
  return resource_error("ResourceNotFoundException", 404, resource_type, resource_id,
                        std::move(message));
}

AwsError conflict(std::string_view resource_type, std::string_view resource_id,
                  std::string message) {
  return resource_error("ConflictException", 409, resource_type, resource_id, std::move(message));
}

AwsError quota_exceeded(std::string_view resource_type, std::string_view resource_id,
                        std::string_view quota_code, std::string message) {
  AwsError error = resource_error("ServiceQuotaExceededException", 402, resource_type, resource_id,
                                  std::move(message));
  error.fields["ServiceCode"] = std::string(kServiceCode);
  error.fields["QuotaCode"] = std::string(quota_code);
  return error;
}

AwsError throttling(std::int64_t retry_after_seconds, std::string message) {
  AwsError error = make_error("ThrottlingException", 429, std::move(message));
  error.fields["ServiceCode"] = std::string(kServiceCode);
  error.fields["QuotaCode"] = std::string(kRequestRateQuota);
  error.fields["RetryAfterSeconds"] = retry_after_seconds;
  return error;
}

AwsError internal_error(std::string message, std::optional<std::int64_t> retry_after_seconds) {
  AwsError error = make_error("InternalServerException", 500, std::move(message));
  if (retry_after_seconds) error.fields["RetryAfterSeconds"] = *retry_after_seconds;
  return error;
}

AwsError service_unavailable(std::string message) {
  return make_error("ServiceUnavailableException", 503, std::move(message));
}

AwsError operation_timeout(std::string message) {
  return make_error("OperationTimeoutException", 504, std::move(message));
}

}  // namespace wfsim::models::mwaa
