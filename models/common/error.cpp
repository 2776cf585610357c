// The awsJson error body (wire-protocols.md 2.3): the shape name under "__type", the message
// under the member name the service's model uses, and every other modelled member beside them.
#include "models/common/error.hpp"

namespace wfsim::models {

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
