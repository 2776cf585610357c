// The AWS error value every operation answers with when it does not succeed, and the
// outcome type that carries either a result or such an error (aws-sdk-cpp's Outcome).
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace wfsim::models {

struct AwsError {
  std::string code;         // the error shape name, exactly as on the wire: "ValidationException"
  std::string message;      // human text that names the field, the rule and the value
  int http_status = 400;    // 4xx client fault, 5xx server fault
  // Other modelled members (Reason, ResourceId, ...).
  nlohmann::json fields = nlohmann::json::object();

  bool server_fault() const { return http_status >= 500; }
  // The awsJson error body: {"__type": code, <message_member>: message, ...fields}.
  nlohmann::json body(std::string_view message_member = "Message") const;
};

// `message` cut, at a character boundary, to the 2048 bytes the ErrorMessage shapes of the
// workflow services allow.
std::string bounded_message(std::string message);
// An error whose message is bounded_message(message).
AwsError make_error(std::string code, int http_status, std::string message);

template <class T>
class Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}             // NOLINT: implicit on purpose
  Outcome(AwsError error) : value_(std::move(error)) {}      // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<T>(value_); }
  T& value() { return std::get<T>(value_); }
  const AwsError& error() const { return std::get<AwsError>(value_); }

 private:
  std::variant<T, AwsError> value_;
};

using JsonOutcome = Outcome<nlohmann::json>;

}  // namespace wfsim::models
