// The parts of request generation every service shares: choosing an operation and a shape,
// breaking one member of a valid request, garbage JSON, clock advances and faults.
//
// Literal text is kept free of "${" (written "$${"), so a generated request means the same
// when a scenario file replays it. Strings are valid UTF-8 and numbers finite, since a
// scenario file could not carry anything else unchanged.
#include "properties/requests.hpp"

#include <array>
#include <limits>
#include <utility>

#include "properties/requests_detail.hpp"

namespace wfsim::properties {

using nlohmann::json;

namespace {

// Text that stresses validators: empty, blanks, controls, non-ASCII, shell and format
// characters, path and ARN look-alikes, and a template look-alike.
constexpr std::array<const char*, 16> kBadTexts = {
    "",          " ",          "bad name!",        "a\nb",
    "tab\there", "-leading",   "\xc3\xbcnic\xc3\xb6" "de", "%s%n",
    "../../etc", "arn:aws:x",  "${not-saved}",     "\xe2\x80\x8b",
    "a/b",       "NULL",       "{}",               "\x01\x02"};

constexpr std::array<std::int64_t, 9> kBadIntegers = {-1, 0, 101, 1001, 2147483648LL,
                                                      -2147483649LL, 9007199254740993LL,
                                                      INT64_MAX, INT64_MIN};

std::string repeated(char c, std::size_t count) { return std::string(count, c); }

// Every member and element path of `value` down to `depth` levels, the root excluded.
void collect_paths(const json& value, const json::json_pointer& at, int depth,
                   std::vector<json::json_pointer>& out) {
  if (depth == 0) return;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      out.push_back(at / key);
      collect_paths(member, at / key, depth - 1, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(at / i);
      collect_paths(value[i], at / i, depth - 1, out);
    }
  }
}

json wrong_type(const json& value) {
  if (value.is_string()) return 42;
  if (value.is_number()) return std::to_string(value.get<double>());
  if (value.is_boolean()) return "true";
  // The object's text is a literal: any ${name} in it must not read as a template.
  if (value.is_object()) return json::array({escape_literal(value.dump())});
  if (value.is_array()) return json::object();
  return "null";
}

json out_of_range(sim::Rng& rng) {
  switch (rng.choice(4)) {
    case 0:
      return 1e308;
    case 1:
      return -0.5;
    case 2:
      return std::numeric_limits<std::uint64_t>::max();
    default:
      return kBadIntegers[rng.choice(kBadIntegers.size())];
  }
}

json too_long(sim::Rng& rng) {
  static constexpr std::array<std::size_t, 6> kLengths = {129, 256, 1025, 2049, 10241, 131073};
  return repeated(static_cast<char>('a' + rng.choice(26)), kLengths[rng.choice(kLengths.size())]);
}

json broken_value(const json& value, sim::Rng& rng) {
  switch (rng.choice(6)) {
    case 0:
      return too_long(rng);
    case 1:
      return escape_literal(kBadTexts[rng.choice(kBadTexts.size())]);
    case 2:
      return wrong_type(value);
    case 3:
      return out_of_range(rng);
    case 4:
      return nullptr;
    default:
      return value.is_string() ? json(value.get<std::string>() + "!") : wrong_type(value);
  }
}

std::string garbage_text(sim::Rng& rng) {
  static constexpr std::array<const char*, 12> kPieces = {
      "a", "Z", "0", "-", "_", ".", " ", "\xc3\xa9", "\xf0\x9f\x98\x80", "\"", "\\", "$"};
  std::string text;
  const std::size_t length = rng.choice(8) == 0 ? rng.uniform(200, 3000) : rng.uniform(0, 24);
  for (std::size_t i = 0; i < length; ++i) text += kPieces[rng.choice(kPieces.size())];
  return text;
}

}  // namespace

json escape_literal(const std::string& text) { return scenarios::escape_templates(json(text)); }

json nearly_valid(json request, sim::Rng& rng) {
  if (!request.is_object()) return request;
  std::vector<json::json_pointer> paths;
  collect_paths(request, json::json_pointer(), 3, paths);
  if (paths.empty() || rng.choice(8) == 0) {
    // An unknown member, or a page size out of range, on any request.
    if (rng.choice(2) == 0) {
      request["UnexpectedMember"] = garbage_value(rng, 1);
    } else {
      request["MaxResults"] = out_of_range(rng);
    }
    return request;
  }
  const json::json_pointer& path = paths[rng.choice(paths.size())];
  if (rng.choice(4) == 0) {
    json& parent = request.at(path.parent_pointer());
    if (parent.is_object()) {
      parent.erase(path.back());
    } else {
      parent.erase(static_cast<std::size_t>(std::stoul(path.back())));
    }
    return request;
  }
  json& target = request.at(path);
  target = broken_value(target, rng);
  return request;
}

json garbage_value(sim::Rng& rng, int depth) {
  const std::size_t kinds = depth > 0 ? 8 : 6;
  switch (rng.choice(kinds)) {
    case 0:
      return nullptr;
    case 1:
      return rng.choice(2) == 0;
    case 2:
      return rng.uniform_signed(INT64_MIN, INT64_MAX);
    case 3:
      return static_cast<double>(rng.uniform_signed(-1000000, 1000000)) / 1024.0;
    case 4:
    case 5:
      return escape_literal(garbage_text(rng));
    case 6: {
      json array = json::array();
      for (std::size_t i = rng.choice(4); i > 0; --i)
        array.push_back(garbage_value(rng, depth - 1));
      return array;
    }
    default: {
      json object = json::object();
      for (std::size_t i = rng.choice(4); i > 0; --i) {
        object[escape_literal(garbage_text(rng)).get<std::string>()] =
            garbage_value(rng, depth - 1);
      }
      return object;
    }
  }
}

json malformed(const json& request, sim::Rng& rng) {
  switch (rng.choice(10)) {
    case 0:
      return garbage_value(rng, 2);  // rarely an object: mostly not a request at all
    case 1:
    case 2:
    case 3: {
      json object = json::object();
      for (std::size_t i = rng.uniform(1, 5); i > 0; --i) {
        object[escape_literal(garbage_text(rng)).get<std::string>()] = garbage_value(rng, 3);
      }
      return object;
    }
    default: {
      json broken = request.is_object() ? request : json::object();
      for (auto& [key, value] : broken.items()) {
        if (rng.choice(2) == 0) value = garbage_value(rng, 3);
      }
      if (broken.empty()) broken["Garbage"] = garbage_value(rng, 3);
      return broken;
    }
  }
}

sim::DurationUs generate_advance(sim::Rng& rng) {
  switch (rng.choice(10)) {
    case 0:
      return sim::seconds(static_cast<std::int64_t>(rng.uniform(86400, 3 * 86400)));
    case 1:
    case 2:
      return sim::seconds(static_cast<std::int64_t>(rng.uniform(3600, 12 * 3600)));
    case 3:
    case 4:
    case 5:
      return sim::seconds(static_cast<std::int64_t>(rng.uniform(60, 1800)));
    default:
      return sim::seconds(static_cast<std::int64_t>(rng.uniform(1, 59)));
  }
}

sim::FaultDecision generate_fault(sim::Rng& rng) {
  static constexpr std::array<sim::FaultKind, 8> kKinds = {
      sim::FaultKind::throttle,       sim::FaultKind::internal,
      sim::FaultKind::unavailable,    sim::FaultKind::timeout_before,
      sim::FaultKind::timeout_after,  sim::FaultKind::lost_response,
      sim::FaultKind::duplicate,      sim::FaultKind::latency};
  sim::FaultDecision decision;
  decision.kind = kKinds[rng.choice(kKinds.size())];
  if (decision.kind == sim::FaultKind::latency) {
    decision.latency_us = sim::seconds(static_cast<std::int64_t>(rng.uniform(1, 120)));
  }
  if (decision.kind == sim::FaultKind::throttle && rng.choice(2) == 0) {
    decision.retry_after_seconds = static_cast<std::int64_t>(rng.uniform(0, 30));
  }
  return decision;
}

GeneratedCall RequestGenerator::next(sim::Rng& rng) {
  const std::vector<std::string> all = rng.choice(3) == 0 ? creating_operations() : operations();
  std::string operation = all[rng.choice(all.size())];
  // Deletes at half weight, so that resources live long enough to be used.
  if (operation.rfind("Delete", 0) == 0 && rng.choice(2) == 0)
    operation = all[rng.choice(all.size())];
  const std::uint64_t roll = rng.choice(20);
  const RequestShape shape = roll < 17   ? RequestShape::valid
                             : roll < 19 ? RequestShape::nearly_valid
                                         : RequestShape::malformed;
  return call_for(operation, shape, rng);
}

GeneratedCall RequestGenerator::call_for(std::string_view operation, RequestShape shape,
                                         sim::Rng& rng) {
  GeneratedCall call = valid_call(operation, rng);
  call.shape = shape;
  if (shape == RequestShape::nearly_valid)
    call.request = nearly_valid(std::move(call.request), rng);
  if (shape == RequestShape::malformed) call.request = malformed(call.request, rng);
  return call;
}

std::vector<std::string> fuzzable_services() { return {"glue", "mwaa-serverless"}; }

std::unique_ptr<RequestGenerator> make_request_generator(std::string_view service) {
  if (service == "mwaa-serverless") return make_mwaa_generator();
  if (service == "glue") return make_glue_generator();
  return nullptr;
}

}  // namespace wfsim::properties
