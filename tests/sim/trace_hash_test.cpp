#include "sim/trace_hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace wfsim::sim;

TEST(TraceHash, AnEmptyTraceHashesToTheStart) {
  EXPECT_EQ(trace_hash_of_jsonl(""), kTraceHashStart);
}

// Computed by an independent implementation in Python: little-endian words, the zero-padded
// tail, then the length, each mixed as h = (h ^ w) * 0x9e3779b97f4a7c15; h ^= h >> 32.
TEST(TraceHash, AShortLineIsPinned) {
  EXPECT_EQ(trace_hash_of_jsonl("{}\n"), 0xee51156d4579d1e0ULL);
  EXPECT_EQ(fold_trace_line(kTraceHashStart, "{}\n"), 0xee51156d4579d1e0ULL);
}

TEST(TraceHash, TheFileHashFoldsLineByLine) {
  const std::string first = "{\"i\":0,\"kind\":\"call\",\"op\":\"StartWorkflowRun\"}\n";
  const std::string second = "{\"i\":1}\n";
  EXPECT_EQ(trace_hash_of_jsonl(first + second),
            fold_trace_line(fold_trace_line(kTraceHashStart, first), second));
}

TEST(TraceHash, EveryByteOfALineCounts) {
  const std::string line = "{\"i\":12,\"t\":\"2026-01-01T00:00:00Z\",\"kind\":\"x\"}\n";
  std::set<std::uint64_t> hashes = {fold_trace_line(kTraceHashStart, line)};
  for (std::size_t i = 0; i < line.size(); ++i) {
    std::string changed = line;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    hashes.insert(fold_trace_line(kTraceHashStart, changed));
  }
  EXPECT_EQ(hashes.size(), line.size() + 1);
}

TEST(TraceHash, WhereLinesEndAndTrailingZerosCount) {
  EXPECT_NE(trace_hash_of_jsonl("ab\ncd\n"), trace_hash_of_jsonl("abc\nd\n"));
  EXPECT_NE(fold_trace_line(kTraceHashStart, std::string("abc", 3)),
            fold_trace_line(kTraceHashStart, std::string("abc\0", 4)));
  // Eight bytes exactly, and one more: the tail word and the length keep them apart.
  EXPECT_NE(fold_trace_line(kTraceHashStart, "12345678"),
            fold_trace_line(kTraceHashStart, "123456789"));
}
