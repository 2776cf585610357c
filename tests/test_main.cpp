// The main of every test executable: GoogleTest's, after giving RapidCheck fixed defaults, so
// that property tests run with one seed however they are started (ctest, the binary, CI).
// The caller's RC_PARAMS goes after the defaults and wins where both set a key (RapidCheck
// takes a key's last value): RC_PARAMS="seed=7" picks another seed, and the
// RC_PARAMS="reproduce=..." string a failure prints replays it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

constexpr const char* kRapidCheckDefaults = "seed=20261121 max_success=100";

}  // namespace

int main(int argc, char** argv) {
  std::string params = kRapidCheckDefaults;
  if (const char* given = std::getenv("RC_PARAMS"); given != nullptr && *given != '\0') {
    params += ' ';
    params += given;
  }
  // RapidCheck reads RC_PARAMS when the first property runs, after this.
  setenv("RC_PARAMS", params.c_str(), 1);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
