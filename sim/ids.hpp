// Deterministic identifiers drawn from a random stream: UUIDs and the id alphabets the
// services use (MWAA run ids, workflow ARN suffixes, version ids, SWF run ids, ...).
#pragma once

#include <string>

#include "sim/random.hpp"

namespace wfsim::sim {

class IdGenerator {
 public:
  explicit IdGenerator(Rng rng) : rng_(rng) {}

  std::string uuid4();                      // "1b4e28ba-2fa1-4d3b-9c5a-0123456789ab"
  std::string alphanumeric(std::size_t n);  // [A-Za-z0-9]{n}
  std::string lower_alphanumeric(std::size_t n);  // [a-z0-9]{n}
  std::string hex(std::size_t n);           // [0-9a-f]{n}
  std::string digits(std::size_t n);        // [0-9]{n}

 private:
  std::string from_alphabet(std::string_view alphabet, std::size_t n);
  Rng rng_;
};

}  // namespace wfsim::sim
