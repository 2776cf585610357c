// Request generators for the fuzzer (DESIGN.md, purpose 3): for each service, requests for
// every operation, mostly valid and referring to resources created earlier, some nearly valid
// (one member broken) and some malformed; plus clock advances and forced faults.
//
// Ids the service makes (ARNs, run ids, task instance ids, page tokens) are never copied into
// a request: the call that returns one saves it under a fresh name ("run7" <- "/RunId") and
// later requests say "${run7}", as a scenario file does. A fuzzed sequence is therefore a
// scenario, and it still means the same thing after shrinking drops the calls before it: a
// step whose saved name was never bound is skipped rather than sent with a stale id.
//
// All randomness comes from the sim::Rng the caller passes, so a seed fixes every request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/error.hpp"
#include "scenarios/matching.hpp"
#include "sim/faults.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace wfsim::properties {

enum class RequestShape {
  valid,         // well-formed, naming known resources where the operation takes one
  nearly_valid,  // a valid request with one member missing, too long, mistyped or out of range
  malformed,     // garbage JSON values, or not an object at all
};

struct GeneratedCall {
  std::string operation;
  nlohmann::json request = nlohmann::json::object();  // may hold ${name} templates
  std::map<std::string, std::string> save;            // saved name -> JSON pointer
  RequestShape shape = RequestShape::valid;
};

// One service's generator. It keeps pools of what it has learnt: the names it gave resources
// and the saved names that are bound, so valid requests mostly hit real resources.
class RequestGenerator {
 public:
  virtual ~RequestGenerator() = default;

  virtual std::string service() const = 0;
  // Every operation of the service, sorted; each is generated with equal weight.
  virtual std::vector<std::string> operations() const = 0;
  // The operations that create resources: picked more often so that pools fill up.
  virtual std::vector<std::string> creating_operations() const = 0;
  // The world configuration the valid requests assume (definitions in the object store,
  // behaviour profiles with some failures, small quotas so limits are reached).
  virtual nlohmann::json world_config() const = 0;
  // A valid request for `operation`.
  virtual GeneratedCall valid_call(std::string_view operation, sim::Rng& rng) = 0;
  // Learns from a call's answer: `bindings` holds every saved name bound so far.
  virtual void observe(const GeneratedCall& call, const models::JsonOutcome& outcome,
                       const scenarios::Bindings& bindings) = 0;

  // The next call: an operation (creating ones a third of the time, deletes at half
  // weight), then its shape:
  // 85% valid, 10% nearly valid, 5% malformed.
  GeneratedCall next(sim::Rng& rng);
  // A call for `operation` in `shape`.
  GeneratedCall call_for(std::string_view operation, RequestShape shape, sim::Rng& rng);
};

// The generator for "mwaa-serverless" or "glue"; nullptr for any other name.
std::unique_ptr<RequestGenerator> make_request_generator(std::string_view service);
// The services make_request_generator knows, sorted.
std::vector<std::string> fuzzable_services();

// One member of `request` broken (missing, too long, bad pattern, wrong type, out of range,
// null, or an unknown member added). Literal text never holds a template.
nlohmann::json nearly_valid(nlohmann::json request, sim::Rng& rng);
// Garbage: a random object, a valid request with garbage values, or (rarely) not an object.
nlohmann::json malformed(const nlohmann::json& request, sim::Rng& rng);
// A random JSON value of at most `depth` levels; strings hold no templates.
nlohmann::json garbage_value(sim::Rng& rng, int depth);

// A clock advance: mostly seconds to minutes, sometimes hours, now and then days.
sim::DurationUs generate_advance(sim::Rng& rng);
// A forced fault of any kind of sim/faults.hpp (never none), with a latency for latency and
// sometimes a RetryAfterSeconds for throttle.
sim::FaultDecision generate_fault(sim::Rng& rng);

}  // namespace wfsim::properties
