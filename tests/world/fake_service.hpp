// A small fake service for World and scenario tests: it lets a test drive the world's fault
// handling, crash handling and clock without depending on a real model's behaviour.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/service.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "sim/scheduler.hpp"

namespace wfsim::testing {

// Operations:
//   Echo      -> the request
//   Count     -> {"count": n}, n counting applied Count calls
//   Fail      -> error {"FakeFailure", 400} with {"Reason": "asked"}
//   Throw     -> throws std::runtime_error; ThrowOther throws an int
//   Random    -> {"value": n}, drawn from the stream "fake/random"
//   Later     -> schedules a timer after request.after_seconds that bumps "fired"
//   Fired     -> {"fired": n}
//   LaterThrow -> schedules a timer after 1 s that throws
//   Tick      -> starts a timer that fires every minute, forever
//   Leak      -> {"value": n} from a counter shared by every FakeService (planted
//                nondeterminism: a second run in the same process answers differently)
class FakeService : public models::Service {
 public:
  explicit FakeService(World& world)
      : scheduler_(world.scheduler()), rng_(rng_for(world)) {}

  std::string_view name() const override { return "fake"; }
  std::vector<std::string> operations() const override {
    return {"Count", "Echo",   "Fail",  "Fired",      "Later", "LaterThrow",
            "Leak",  "Random", "Throw", "ThrowOther", "Tick"};
  }

  models::JsonOutcome call(std::string_view operation, const nlohmann::json& request) override {
    if (operation == "Echo") return request;
    if (operation == "Count") return nlohmann::json{{"count", ++count_}};
    if (operation == "Fail") {
      return models::AwsError{"FakeFailure", "asked to fail", 400, {{"Reason", "asked"}}};
    }
    if (operation == "Throw") throw std::runtime_error("fake exploded");
    if (operation == "ThrowOther") throw 42;
    if (operation == "Random") return nlohmann::json{{"value", rng_.uniform(0, 1'000'000)}};
    if (operation == "Later") {
      std::int64_t after = request.value("after_seconds", 1);
      scheduler_.schedule_after(sim::seconds(after), [this] { ++fired_; });
      return nlohmann::json::object();
    }
    if (operation == "LaterThrow") {
      scheduler_.schedule_after(sim::seconds(1),
                                [] { throw std::runtime_error("timer exploded"); });
      return nlohmann::json::object();
    }
    if (operation == "Fired") return nlohmann::json{{"fired", fired_}};
    if (operation == "Tick") {
      tick();
      return nlohmann::json::object();
    }
    if (operation == "Leak") return nlohmann::json{{"value", ++leaked()}};
    return models::AwsError{"UnknownOperationException", "not here", 400};
  }

  models::AwsError fault_error(const sim::FaultDecision& decision) const override {
    switch (decision.kind) {
      case sim::FaultKind::throttle: {
        models::AwsError error{"ThrottlingException", "slow down", 400};
        if (decision.retry_after_seconds)
          error.fields["RetryAfterSeconds"] = *decision.retry_after_seconds;
        return error;
      }
      case sim::FaultKind::internal:
        return {"InternalServerException", "injected", 500};
      case sim::FaultKind::unavailable:
        return {"ServiceUnavailableException", "injected", 503};
      default:
        return {"RequestTimeoutException", "injected", 408};
    }
  }

  std::vector<models::InvariantViolation> check_invariants() const override { return violations; }

  std::vector<models::InvariantViolation> violations;  // what check_invariants reports

  static std::uint64_t& leaked() {
    static std::uint64_t counter = 0;
    return counter;
  }

  // Installs a fresh fake in `world` and returns it.
  static FakeService& install(World& world) {
    auto fake = std::make_unique<FakeService>(world);
    FakeService& ref = *fake;
    world.add_service_for_testing(std::move(fake));
    return ref;
  }

 private:
  static sim::Rng rng_for(World& world) {
    return sim::RandomStreams(world.seed()).stream("fake/random");
  }

  void tick() {
    scheduler_.schedule_after(sim::minutes(1), [this] {
      ++fired_;
      tick();
    });
  }

  sim::Scheduler& scheduler_;
  sim::Rng rng_;
  std::uint64_t count_ = 0;
  std::uint64_t fired_ = 0;
};

}  // namespace wfsim::testing
