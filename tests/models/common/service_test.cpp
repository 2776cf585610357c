// The helpers every service shares (models/common/service.hpp): sorted operation names and
// the default AccessDeniedException.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "models/common/service.hpp"

namespace wfsim::models {
namespace {

// The least a service must implement; everything else keeps the defaults under test.
class MinimalService : public Service {
 public:
  std::string_view name() const override { return "minimal"; }
  std::vector<std::string> operations() const override { return {"Ping"}; }
  JsonOutcome call(std::string_view, const nlohmann::json&) override {
    return JsonOutcome(nlohmann::json::object());
  }
  AwsError fault_error(const sim::FaultDecision&) const override {
    return {"InternalFailure", "fault", 500};
  }
};

TEST(Service, SortedOperationNamesOrdersAnyHandlerTableByName) {
  const std::map<std::string, int, std::greater<>> reversed = {
      {"StartRun", 1}, {"CreateThing", 2}, {"DeleteThing", 3}};
  EXPECT_EQ(sorted_operation_names(reversed),
            (std::vector<std::string>{"CreateThing", "DeleteThing", "StartRun"}));
  EXPECT_TRUE(sorted_operation_names(std::map<std::string, int>{}).empty());
}

TEST(Service, TheDefaultAccessDeniedIsAwsCommonErrorNamingTheAction) {
  const MinimalService service;
  const AwsError denied =
      service.access_denied("Ping", "arn:aws:sts::111122223333:assumed-role/r/s");
  EXPECT_EQ(denied.code, "AccessDeniedException");
  EXPECT_EQ(denied.http_status, 400);
  EXPECT_EQ(denied.message,
            "User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: "
            "minimal:Ping because no identity-based policy allows the minimal:Ping action");
}

}  // namespace
}  // namespace wfsim::models
