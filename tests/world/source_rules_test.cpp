// DESIGN.md's determinism and layering rules, checked over the source tree rather than
// trusted: below tools/ no wall clock, no std distributions, no unseeded randomness, no
// environment reads; sim/ knows nothing of AWS; a model never includes another model.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct SourceLine {
  std::string file;
  int number;
  std::string text;
};

std::vector<SourceLine> lines_under(const std::string& folder) {
  std::vector<SourceLine> lines;
  const fs::path root = fs::path(WFSIM_SOURCE_DIR) / folder;
  // A rule checked over nothing would pass: a folder that is gone fails the test instead.
  EXPECT_TRUE(fs::is_directory(root)) << root;
  if (!fs::exists(root)) return lines;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto extension = entry.path().extension();
    if (extension == ".cpp" || extension == ".hpp") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_FALSE(files.empty()) << "no C++ source under " << root;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string text;
    int number = 0;
    while (std::getline(in, text)) {
      ++number;
      lines.push_back({fs::relative(path, WFSIM_SOURCE_DIR).string(), number, text});
    }
  }
  return lines;
}

std::string offending(const std::vector<SourceLine>& lines, const std::regex& rule) {
  std::ostringstream found;
  for (const auto& line : lines) {
    if (std::regex_search(line.text, rule)) {
      found << line.file << ":" << line.number << ": " << line.text << "\n";
    }
  }
  return found.str();
}

TEST(SourceRules, NoWallClockOrUnseededRandomnessBelowTools) {
  const std::regex banned(
      R"(std::chrono::(system_clock|steady_clock|high_resolution_clock)|random_device|)"
      R"(std::[a-z_]*_distribution|[^_a-z.]s?rand\(|time\((nullptr|NULL|0)\)|getenv\()");
  for (const char* folder : {"sim", "models", "scenarios", "properties"}) {
    EXPECT_EQ(offending(lines_under(folder), banned), "") << "in " << folder;
  }
}

TEST(SourceRules, SimKnowsNothingOfTheModels) {
  const std::regex upward(R"(#include\s*["<](models|scenarios|properties|tools)/)");
  EXPECT_EQ(offending(lines_under("sim"), upward), "");
}

TEST(SourceRules, ModelsNeverIncludeScenariosOrTools) {
  const std::regex upward(R"(#include\s*["<](scenarios|properties|tools)/)");
  EXPECT_EQ(offending(lines_under("models"), upward), "");
}

TEST(SourceRules, AModelNeverIncludesAnotherModel) {
  const fs::path models = fs::path(WFSIM_SOURCE_DIR) / "models";
  for (const auto& entry : fs::directory_iterator(models)) {
    if (!entry.is_directory() || entry.path().filename() == "common") continue;
    const std::string name = entry.path().filename().string();
    const std::regex other("#include\\s*[\"<]models/(?!" + name + "/|common/)[a-z_]+/");
    EXPECT_EQ(offending(lines_under("models/" + name), other), "") << "in models/" << name;
  }
}

}  // namespace
