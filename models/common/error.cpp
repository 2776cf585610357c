// The awsJson error body (wire-protocols.md 2.3): the shape name under "__type", the message
// under the member name the service's model uses, and every other modelled member beside them.
#include "models/common/error.hpp"

namespace wfsim::models {
namespace {

constexpr std::size_t kMaxMessageBytes = 2048;

}  // namespace

// Cuts at a character boundary so the message stays valid UTF-8.
std::string bounded_message(std::string message) {
  if (message.size() <= kMaxMessageBytes) return message;
  std::size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
  message.resize(cut);
  return message;
}

AwsError make_error(std::string code, int http_status, std::string message) {
  AwsError error;
  error.code = std::move(code);
  error.http_status = http_status;
  error.message = bounded_message(std::move(message));
  return error;
}

nlohmann::json AwsError::body(std::string_view message_member) const {
  nlohmann::json out = nlohmann::json::object();
  if (fields.is_object()) {
    for (const auto& [name, value] : fields.items()) out[name] = value;
  }
  // Written after the extra fields so that a field can never replace the error code or the
  // message: SDKs read the code from "__type" and a second, different code would mislead them.
  out["__type"] = code;
  out[std::string(message_member)] = message;
  return out;
}

}  // namespace wfsim::models
