// The trace: an append-only log of everything that happened, in order, with the virtual
// time of each event. Its hash is stable across runs, machines and standard libraries, so
// two runs of one scenario and seed can be compared by hash and, on a mismatch, event by
// event.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"
#include "sim/trace_hash.hpp"

namespace wfsim::sim {

struct TraceEvent {
  std::uint64_t index = 0;  // 0-based position in the trace
  TimeUs time_us = 0;
  std::string kind;         // "call", "fault", "timer", "transition", "violation", ...
  nlohmann::json detail;    // an object
  // One JSON line: {"i":0,"t":"2026-01-01T00:00:00Z","kind":"call",...detail members}
  std::string to_json_line() const;
};

// Appends `value` as compact JSON: exactly the text of
// value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), written in place.
void append_json(std::string& out, const nlohmann::json& value);
// Appends `text` as a JSON string, exactly as append_json would write nlohmann::json(text).
void append_json_string(std::string& out, std::string_view text);

class Trace;

// Writes detail members straight into an event's line (see Trace::record_members). Members
// must come in sorted key order, as a detail object would hold them, and none may be named
// "i", "t" or "kind".
class TraceMemberWriter {
 public:
  void json_member(std::string_view key, const nlohmann::json& value);
  void text_member(std::string_view key, std::string_view text);  // a JSON string
  void integer_member(std::string_view key, std::int64_t number);

 private:
  friend class Trace;
  explicit TraceMemberWriter(Trace& trace) : trace_(trace) {}
  Trace& trace_;
};

struct TraceOptions {
  bool keep_events = true;  // false: only the running hash is kept (benchmarks, long fuzzing)
  bool enabled = true;      // false: record() is a no-op and the hash stays at its seed
};

class Trace {
 public:
  explicit Trace(TraceOptions options = {}) : options_(options) {}

  // Call sites check enabled() before building a detail object they would throw away.
  bool enabled() const { return options_.enabled; }
  void record(TimeUs time_us, std::string kind, nlohmann::json detail);
  // Records the same event as record(time_us, kind, make_detail()) when `write_members`,
  // given a TraceMemberWriter, writes the members of make_detail() in order. While events
  // are not kept the detail object is never built: a caller holding large members (a call's
  // request and response) writes them from where they are instead of copying them into an
  // object that would only be hashed.
  template <typename WriteMembers, typename MakeDetail>
  void record_members(TimeUs time_us, std::string_view kind, WriteMembers&& write_members,
                      MakeDetail&& make_detail) {
    if (!options_.enabled) {
      return;
    }
    if (options_.keep_events) {
      record(time_us, std::string(kind), make_detail());
      return;
    }
    begin_line(time_us, kind);
    TraceMemberWriter writer(*this);
    write_members(writer);
    finish_line();
  }

  std::uint64_t size() const { return count_; }
  const std::vector<TraceEvent>& events() const { return events_; }
  // Each event's JSON line folded in (trace_hash.hpp); the same for the same events.
  std::uint64_t hash() const { return hash_; }
  std::string hash_hex() const;  // 16 lower-case hex digits

  void write_jsonl(std::ostream& out) const;
  void clear();

 private:
  friend class TraceMemberWriter;
  // Starts line_ with the event's own fields: {"i":..,"t":..,"kind":..
  void begin_line(TimeUs time_us, std::string_view kind);
  // Closes line_, folds the rest of it into the hash and counts the event.
  void finish_line();

  TraceOptions options_;
  std::string line_;  // the line being written, kept to reuse its capacity
  std::vector<TraceEvent> events_;
  std::uint64_t count_ = 0;
  std::uint64_t hash_ = kTraceHashStart;
};

// The first index at which two traces differ (nullopt when equal), for determinism reports.
std::optional<std::uint64_t> first_difference(const std::vector<TraceEvent>& a,
                                              const std::vector<TraceEvent>& b);

}  // namespace wfsim::sim
