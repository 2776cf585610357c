// The MWAA Serverless operator allowlist (fact sheet 12.5).
//
// Followed: the standard EmptyOperator, PythonOperator and BashOperator under both the
// `airflow.providers.standard.operators.*` and the legacy `airflow.operators.*` paths; Amazon
// provider operators and sensors for the services 12.5 names; abstract bases are refused;
// transfer operators, MwaaTriggerDagRunOperator, BranchPythonOperator and SubDagOperator are
// refused because their modules are not on the list.
//
// Chosen where the sheet is silent (unconfirmed): the sheet names services, not classes, so
// the Amazon part is a table of provider module names (as laid out in
// apache-airflow-providers-amazon 9.x); any class in such a module whose name ends in
// "Operator" (operators package) or "Sensor" (sensors package) is accepted, except names
// ending in "BaseOperator"/"BaseSensor", which are the abstract bases. Custom operators from a
// code package are refused.
#include <algorithm>
#include <string_view>

#include "models/mwaa_serverless/definition.hpp"
#include "sim/text.hpp"

namespace wfsim::models::mwaa {
namespace {

using sim::ends_with;
using sim::starts_with;

constexpr std::string_view kStandardOperators[] = {
    "airflow.providers.standard.operators.empty.EmptyOperator",
    "airflow.providers.standard.operators.python.PythonOperator",
    "airflow.providers.standard.operators.bash.BashOperator",
    "airflow.operators.empty.EmptyOperator",
    "airflow.operators.python.PythonOperator",
    "airflow.operators.bash.BashOperator",
};

constexpr std::string_view kAmazonOperatorPackage = "airflow.providers.amazon.aws.operators.";
constexpr std::string_view kAmazonSensorPackage = "airflow.providers.amazon.aws.sensors.";

// Operator modules for S3 (+ Tables, Vectors), Glue (jobs, crawler, Data Catalog, Data
// Quality, DataBrew), Athena, EMR, Redshift, Batch, ECS, EKS, Lambda, Step Functions, SNS,
// SQS, EventBridge, Bedrock, SageMaker (+ Unified Studio), Comprehend, CloudFormation, RDS,
// DMS, EC2, Neptune, Glacier, DataSync, AppFlow, QuickSight, Kinesis Analytics and MWAA
// Serverless.
constexpr std::string_view kAmazonOperatorModules[] = {
    "appflow", "athena", "batch", "bedrock", "cloud_formation", "comprehend", "datasync", "dms",
    "ec2", "ecs", "eks", "emr", "eventbridge", "glacier", "glue", "glue_catalog", "glue_crawler",
    "glue_databrew", "kinesis_analytics", "lambda_function", "mwaa_serverless", "neptune",
    "quicksight", "rds", "redshift_cluster", "redshift_data", "s3", "s3_tables", "s3_vectors",
    "sagemaker", "sagemaker_unified_studio", "sagemaker_unified_studio_notebook", "sns", "sqs",
    "step_function"};

// The matching sensor modules, plus the DynamoDB value and OpenSearch Serverless sensors.
constexpr std::string_view kAmazonSensorModules[] = {
    "athena", "batch", "bedrock", "cloud_formation", "comprehend", "dms", "dynamodb", "ec2", "ecs",
    "eks", "emr", "glacier", "glue", "glue_catalog_partition", "glue_crawler", "kinesis_analytics",
    "lambda_function", "mwaa_serverless", "opensearch_serverless", "quicksight", "rds",
    "redshift_cluster", "s3", "sagemaker", "sagemaker_unified_studio",
    "sagemaker_unified_studio_notebook", "sqs", "step_function"};

template <std::size_t N>
bool listed(const std::string_view (&table)[N], std::string_view name) {
  return std::find(std::begin(table), std::end(table), name) != std::end(table);
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A concrete class name: a Python identifier starting with a capital letter, ending in the
// package's suffix, and not one of the abstract "...Base<suffix>" classes.
bool is_concrete_class_name(std::string_view name, std::string_view suffix) {
  if (name.size() <= suffix.size() || !(name[0] >= 'A' && name[0] <= 'Z')) return false;
  if (!std::all_of(name.begin(), name.end(), is_identifier_char)) return false;
  const std::string base_suffix = "Base" + std::string(suffix);
  return ends_with(name, suffix) && !ends_with(name, base_suffix);
}

template <std::size_t N>
bool in_amazon_package(std::string_view path, std::string_view package,
                       const std::string_view (&modules)[N], std::string_view suffix) {
  if (!starts_with(path, package)) return false;
  const std::string_view rest = path.substr(package.size());
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return false;
  return listed(modules, rest.substr(0, dot)) &&
         is_concrete_class_name(rest.substr(dot + 1), suffix);
}

}  // namespace

bool is_allowed_operator(std::string_view operator_path) {
  return listed(kStandardOperators, operator_path) ||
         in_amazon_package(operator_path, kAmazonOperatorPackage, kAmazonOperatorModules,
                           "Operator") ||
         in_amazon_package(operator_path, kAmazonSensorPackage, kAmazonSensorModules, "Sensor");
}

}  // namespace wfsim::models::mwaa
