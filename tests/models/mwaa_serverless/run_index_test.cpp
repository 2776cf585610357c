// Tests of the RunId index (run_index.hpp): it must answer exactly like a map from id to run
// through any mix of inserts and removals, including removals inside long probe runs and
// across the end of the table, where entries are shifted back.
#include "models/mwaa_serverless/run_index.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/mwaa_serverless/state.hpp"

namespace wfsim::models::mwaa {
namespace {

// Inside a TEST body "Run" names gtest's Test::Run, so the record gets another name here.
using RunRecord = Run;

RunRecord& add_run(std::deque<RunRecord>& runs, std::string id) {
  RunRecord& run = runs.emplace_back();
  run.id = std::move(id);
  return run;
}

TEST(RunIndexTest, FindsWhatWasInsertedAndNothingElse) {
  std::deque<RunRecord> runs;
  RunIndex index;
  EXPECT_EQ(index.find("abc"), nullptr);
  RunRecord& first = add_run(runs, "abc");
  RunRecord& second = add_run(runs, "abd");
  EXPECT_TRUE(index.insert(first));
  EXPECT_TRUE(index.insert(second));
  EXPECT_EQ(index.find("abc"), &first);
  EXPECT_EQ(index.find("abd"), &second);
  EXPECT_EQ(index.find("ab"), nullptr);
  EXPECT_EQ(index.size(), 2u);
}

TEST(RunIndexTest, RefusesATakenIdAndKeepsTheFirstRun) {
  std::deque<RunRecord> runs;
  RunIndex index;
  RunRecord& first = add_run(runs, "same");
  RunRecord& second = add_run(runs, "same");
  EXPECT_TRUE(index.insert(first));
  EXPECT_FALSE(index.insert(second));
  EXPECT_EQ(index.find("same"), &first);
  EXPECT_EQ(index.size(), 1u);
}

TEST(RunIndexTest, EraseOfAnUnknownIdChangesNothing) {
  std::deque<RunRecord> runs;
  RunIndex index;
  index.erase("none");
  RunRecord& run = add_run(runs, "one");
  index.insert(run);
  index.erase("two");
  EXPECT_EQ(index.find("one"), &run);
  EXPECT_EQ(index.size(), 1u);
}

// Many entries in small tables make long probe runs that wrap round the end of the table, so
// removals exercise every case of the backward shift.
RC_GTEST_PROP(RunIndexProperty, AnswersLikeAMap, (const std::vector<std::uint8_t>& steps)) {
  std::deque<RunRecord> runs;
  RunIndex index;
  std::map<std::string, RunRecord*> model;
  for (std::uint8_t step : steps) {
    const std::string id = "run" + std::to_string(step % 64);
    if (step & 0x80) {
      index.erase(id);
      model.erase(id);
    } else {
      RunRecord& run = add_run(runs, id);
      RC_ASSERT(index.insert(run) == model.emplace(id, &run).second);
    }
    RC_ASSERT(index.size() == model.size());
  }
  for (int key = 0; key < 64; ++key) {
    const std::string id = "run" + std::to_string(key);
    const auto expected = model.find(id);
    RC_ASSERT(index.find(id) == (expected == model.end() ? nullptr : expected->second));
  }
}

}  // namespace
}  // namespace wfsim::models::mwaa
