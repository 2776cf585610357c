#include "sim/trace.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "sim/trace_hash.hpp"

namespace {

using namespace wfsim::sim;
using nlohmann::json;

constexpr TimeUs kStartUs = 1767225600000000;  // 2026-01-01T00:00:00Z

void record_sample(Trace& trace) {
  trace.record(kStartUs, "call", {{"op", "glue:StartWorkflowRun"}});
  trace.record(kStartUs + 1'500'000, "timer", {{"id", 7}});
}

TEST(Trace, JsonLineHasTheEventFieldsFirstThenSortedDetail) {
  TraceEvent event;
  event.index = 3;
  event.time_us = kStartUs;
  event.kind = "call";
  event.detail = {{"zeta", 1}, {"alpha", {{"b", 2}, {"a", "x"}}}};
  EXPECT_EQ(event.to_json_line(),
            R"({"i":3,"t":"2026-01-01T00:00:00Z","kind":"call","alpha":{"a":"x","b":2},"zeta":1})");
}

TEST(Trace, DetailCannotShadowTheEventFields) {
  TraceEvent event;
  event.kind = "fault";
  event.detail = {{"kind", "throttle"}, {"t", 1}};
  EXPECT_EQ(
      event.to_json_line(),
      R"({"i":0,"t":"1970-01-01T00:00:00Z","kind":"fault","detail.kind":"throttle","detail.t":1})");
}

TEST(Trace, NonObjectDetailIsKeptUnderItsOwnMember) {
  TraceEvent event;
  event.kind = "note";
  event.detail = json::array({1, 2});
  EXPECT_EQ(event.to_json_line(),
            R"({"i":0,"t":"1970-01-01T00:00:00Z","kind":"note","detail":[1,2]})");
  event.detail = nullptr;
  EXPECT_EQ(event.to_json_line(), R"({"i":0,"t":"1970-01-01T00:00:00Z","kind":"note"})");
}

TEST(Trace, InvalidUtf8IsReplacedNotThrown) {
  Trace trace;
  EXPECT_NO_THROW(trace.record(0, "call", {{"name", std::string("bad\xff")}}));
  EXPECT_EQ(trace.size(), 1u);
  EXPECT_NE(trace.events()[0].to_json_line().find("bad\xef\xbf\xbd"), std::string::npos);
}

// Computed by an independent implementation (Python) of trace_hash.hpp's fold over the two
// lines written by write_jsonl.
TEST(Trace, HashOfAFixedTraceIsPinned) {
  Trace trace;
  record_sample(trace);
  EXPECT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace.hash_hex(), "8d76d77253fcc633");
  EXPECT_EQ(trace.hash(), 0x8d76d77253fcc633ULL);
}

TEST(Trace, HashEqualsTheHashOfTheWrittenFile) {
  Trace trace;
  record_sample(trace);
  trace.record(kStartUs + 5, "transition", {{"from", "RUNNING"}, {"to", "SUCCEEDED"}});
  std::ostringstream out;
  trace.write_jsonl(out);
  EXPECT_EQ(out.str(),
            "{\"i\":0,\"t\":\"2026-01-01T00:00:00Z\",\"kind\":\"call\",\"op\":\"glue:"
            "StartWorkflowRun\"}\n"
            "{\"i\":1,\"t\":\"2026-01-01T00:00:01.500Z\",\"kind\":\"timer\",\"id\":7}\n"
            "{\"i\":2,\"t\":\"2026-01-01T00:00:00.000005Z\",\"kind\":\"transition\",\"from\":"
            "\"RUNNING\",\"to\":\"SUCCEEDED\"}\n");
  EXPECT_EQ(trace.hash(), trace_hash_of_jsonl(out.str()));
}

TEST(Trace, HashDependsOnOrderAndContent) {
  Trace first;
  record_sample(first);
  Trace swapped;
  swapped.record(kStartUs + 1'500'000, "timer", {{"id", 7}});
  swapped.record(kStartUs, "call", {{"op", "glue:StartWorkflowRun"}});
  Trace changed;
  changed.record(kStartUs, "call", {{"op", "glue:StartWorkflowRun"}});
  changed.record(kStartUs + 1'500'000, "timer", {{"id", 8}});
  EXPECT_NE(first.hash(), swapped.hash());
  EXPECT_NE(first.hash(), changed.hash());
}

TEST(Trace, WithoutKeptEventsTheHashAndCountStillAdvance) {
  Trace kept;
  Trace hashed_only(TraceOptions{false, true});
  record_sample(kept);
  record_sample(hashed_only);
  EXPECT_EQ(hashed_only.size(), 2u);
  EXPECT_TRUE(hashed_only.events().empty());
  EXPECT_EQ(hashed_only.hash(), kept.hash());
}

TEST(Trace, DisabledTraceRecordsNothing) {
  Trace disabled(TraceOptions{true, false});
  EXPECT_FALSE(disabled.enabled());
  record_sample(disabled);
  EXPECT_EQ(disabled.size(), 0u);
  EXPECT_TRUE(disabled.events().empty());
  EXPECT_EQ(disabled.hash(), Trace().hash());
}

TEST(Trace, ClearStartsOver) {
  Trace trace;
  record_sample(trace);
  trace.clear();
  EXPECT_EQ(trace.size(), 0u);
  EXPECT_EQ(trace.hash(), Trace().hash());
  record_sample(trace);
  EXPECT_EQ(trace.hash_hex(), "8d76d77253fcc633");
  EXPECT_EQ(trace.events()[0].index, 0u);
}

TEST(Trace, FirstDifferenceFindsTheFirstDivergingEvent) {
  Trace a;
  Trace b;
  record_sample(a);
  record_sample(b);
  EXPECT_FALSE(first_difference(a.events(), b.events()));
  a.record(kStartUs + 2, "timer", {{"id", 9}});
  EXPECT_EQ(first_difference(a.events(), b.events()), 2u);
  EXPECT_EQ(first_difference(b.events(), a.events()), 2u);
  Trace c;
  c.record(kStartUs, "call", {{"op", "glue:StartWorkflowRun"}});
  // One microsecond apart is a difference, even though timestamps on the wire show only
  // milliseconds.
  c.record(kStartUs + 1'500'001, "timer", {{"id", 7}});
  EXPECT_EQ(first_difference(b.events(), c.events()), 1u);
  EXPECT_EQ(c.events()[1].to_json_line(),
            R"({"i":1,"t":"2026-01-01T00:00:01.500001Z","kind":"timer","id":7})");
  EXPECT_EQ(first_difference({}, c.events()), 0u);
}

}  // namespace

namespace {

// Random JSON of every kind nlohmann::json can hold, with strings that need escaping, are
// invalid UTF-8 or hold control characters, and numbers at the edges of each type.
rc::Gen<json> arbitrary_json(int depth) {
  const auto text = rc::gen::container<std::string>(rc::gen::elementOf(std::string(
      "ab\"\\/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9\xe2\x82\xac\xff\xc3 ")));
  const auto leaf = rc::gen::weightedOneOf<json>({
      {2, rc::gen::map(text, [](const std::string& s) { return json(s); })},
      {1, rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t n) { return json(n); })},
      {1,
       rc::gen::map(rc::gen::arbitrary<std::uint64_t>(), [](std::uint64_t n) { return json(n); })},
      {1, rc::gen::map(rc::gen::arbitrary<double>(), [](double d) { return json(d); })},
      {1, rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); })},
      {1, rc::gen::just(json(nullptr))},
  });
  if (depth == 0) {
    return leaf;
  }
  const auto child = rc::gen::lazy([depth] { return arbitrary_json(depth - 1); });
  return rc::gen::weightedOneOf<json>({
      {4, leaf},
      {1, rc::gen::map(rc::gen::container<std::vector<json>>(child),
                       [](std::vector<json> items) { return json(items); })},
      {1, rc::gen::map(rc::gen::container<std::map<std::string, json>>(text, child),
                       [](std::map<std::string, json> members) { return json(members); })},
  });
}

}  // namespace

RC_GTEST_PROP(TraceWriter, AppendJsonWritesExactlyWhatDumpWrites, ()) {
  const json value = *arbitrary_json(3);
  std::string written = "prefix";
  append_json(written, value);
  RC_ASSERT(written == "prefix" + value.dump(-1, ' ', false, json::error_handler_t::replace));
}

RC_GTEST_PROP(TraceWriter, RecordMembersHashesLikeRecord, ()) {
  const json request = *arbitrary_json(2);
  const std::string name =
      *rc::gen::container<std::string>(rc::gen::elementOf(std::string("az\"\xff")));
  const std::int64_t count = *rc::gen::arbitrary<std::int64_t>();
  const auto make_detail = [&] {
    return json{{"count", count}, {"name", name}, {"request", request}};
  };
  const auto write_members = [&](TraceMemberWriter& writer) {
    writer.integer_member("count", count);
    writer.text_member("name", name);
    writer.json_member("request", request);
  };
  Trace reference(TraceOptions{true, true});
  Trace streamed(TraceOptions{false, true});
  reference.record(kStartUs, "call", make_detail());
  streamed.record_members(kStartUs, "call", write_members, make_detail);
  RC_ASSERT(streamed.hash() == reference.hash());
  RC_ASSERT(streamed.size() == 1u);
}
