// The trace: an append-only log of everything that happened, in order, with the virtual
// time of each event. Its hash is stable across runs, machines and standard libraries, so
// two runs of one scenario and seed can be compared by hash and, on a mismatch, event by
// event.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace wfsim::sim {

struct TraceEvent {
  std::uint64_t index = 0;  // 0-based position in the trace
  TimeUs time_us = 0;
  std::string kind;         // "call", "fault", "timer", "transition", "violation", ...
  nlohmann::json detail;    // an object
  // One JSON line: {"i":0,"t":"2026-01-01T00:00:00Z","kind":"call",...detail members}
  std::string to_json_line() const;
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

  std::uint64_t size() const { return count_; }
  const std::vector<TraceEvent>& events() const { return events_; }
  // FNV-1a 64 chained over each event's JSON line; the same for the same events.
  std::uint64_t hash() const { return hash_; }
  std::string hash_hex() const;  // 16 lower-case hex digits

  void write_jsonl(std::ostream& out) const;
  void clear();

 private:
  TraceOptions options_;
  std::vector<TraceEvent> events_;
  std::uint64_t count_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// The first index at which two traces differ (nullopt when equal), for determinism reports.
std::optional<std::uint64_t> first_difference(const std::vector<TraceEvent>& a,
                                              const std::vector<TraceEvent>& b);

}  // namespace wfsim::sim
