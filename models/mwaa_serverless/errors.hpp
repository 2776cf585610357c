// The MWAA Serverless error shapes (fact sheet section 6), built in one place so every
// operation answers with the same members: Message always, Reason and FieldList for
// ValidationException, ResourceId and ResourceType for the resource errors, ServiceCode and
// QuotaCode for quota and throttling errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/common/error.hpp"
#include "models/common/validation.hpp"

namespace wfsim::models::mwaa {

// The service code in ServiceQuotaExceededException and ThrottlingException: the service's
// signing name and ARN namespace (fact sheet 1).
inline constexpr std::string_view kServiceCode = "airflow-serverless";

// ResourceType values; the sheet leaves them unconfirmed, so the shape names are used.
inline constexpr std::string_view kWorkflowType = "Workflow";
inline constexpr std::string_view kWorkflowVersionType = "WorkflowVersion";
inline constexpr std::string_view kWorkflowRunType = "WorkflowRun";
inline constexpr std::string_view kTaskInstanceType = "TaskInstance";

// QuotaCode values (our own: the real codes are unpublished, fact sheet 10).
inline constexpr std::string_view kWorkflowsQuota = "workflows-per-account";
inline constexpr std::string_view kVersionsQuota = "versions-per-workflow";
inline constexpr std::string_view kWorkflowRunsQuota = "concurrent-runs-per-workflow";
inline constexpr std::string_view kAccountRunsQuota = "concurrent-runs-per-account";
inline constexpr std::string_view kRequestRateQuota = "api-request-rate";

// Every violation the validator collected: Reason fieldValidationFailed, one FieldList entry
// per violation.
AwsError validation_error(const RequestValidator& validator);
// One problem with one member that is not a plain field constraint (a definition that does
// not parse, a forged NextToken): Reason as given, FieldList naming the member.
AwsError validation_error(std::string_view reason, std::string_view field, std::string message);
AwsError not_found(std::string_view resource_type, std::string_view resource_id,
                   std::string message);
AwsError conflict(std::string_view resource_type, std::string_view resource_id,
                  std::string message);
AwsError quota_exceeded(std::string_view resource_type, std::string_view resource_id,
                        std::string_view quota_code, std::string message);
AwsError throttling(std::int64_t retry_after_seconds, std::string message);
AwsError internal_error(std::string message, std::optional<std::int64_t> retry_after_seconds);
AwsError service_unavailable(std::string message);
AwsError operation_timeout(std::string message);

}  // namespace wfsim::models::mwaa
