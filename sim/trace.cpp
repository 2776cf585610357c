// The trace. Each event is rendered as one JSON line with a fixed member order ("i", "t",
// "kind", then the detail members in nlohmann's sorted key order); "t" keeps microseconds
// when they are not whole milliseconds, so no difference in time is hidden from the hash.
// The hash is FNV-1a 64 over those lines each followed by '\n': exactly the bytes write_jsonl
// produces, so the hash of a trace file on disk equals Trace::hash().
#include "sim/trace.hpp"

#include <ostream>

#include "sim/random.hpp"

namespace wfsim::sim {
namespace {

// Invalid UTF-8 in a detail string (it may come from a caller's request) is replaced rather
// than thrown on, so recording can never fail.
std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_reserved_member(const std::string& key) {
  return key == "i" || key == "t" || key == "kind";
}

}  // namespace

std::string TraceEvent::to_json_line() const {
  std::string line = "{\"i\":" + std::to_string(index) + ",\"t\":\"" +
                     format_rfc3339_exact(time_us) + "\",\"kind\":" + dump(nlohmann::json(kind));
  if (detail.is_object()) {
    for (const auto& member : detail.items()) {
      // A detail member may not shadow the event's own fields; it keeps its value under a
      // "detail." prefix so that the line never has duplicate keys.
      const std::string key =
          is_reserved_member(member.key()) ? "detail." + member.key() : member.key();
      line += ',' + dump(nlohmann::json(key)) + ':' + dump(member.value());
    }
  } else if (!detail.is_null()) {
    line += ",\"detail\":" + dump(detail);
  }
  line += '}';
  return line;
}

void Trace::record(TimeUs time_us, std::string kind, nlohmann::json detail) {
  if (!options_.enabled) {
    return;
  }
  TraceEvent event;
  event.index = count_;
  event.time_us = time_us;
  event.kind = std::move(kind);
  event.detail = std::move(detail);
  hash_ = stable_hash_continue(hash_, event.to_json_line());
  hash_ = stable_hash_continue(hash_, "\n");
  ++count_;
  if (options_.keep_events) {
    events_.push_back(std::move(event));
  }
}

std::string Trace::hash_hex() const {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 0; i < 16; ++i) {
    text[static_cast<std::size_t>(i)] = kHexDigits[(hash_ >> (60 - 4 * i)) & 0xf];
  }
  return text;
}

void Trace::write_jsonl(std::ostream& out) const {
  for (const TraceEvent& event : events_) {
    out << event.to_json_line() << '\n';
  }
}

void Trace::clear() {
  events_.clear();
  count_ = 0;
  hash_ = stable_hash({});  // the FNV-1a offset basis, as a fresh trace starts
}

std::optional<std::uint64_t> first_difference(const std::vector<TraceEvent>& a,
                                              const std::vector<TraceEvent>& b) {
  const std::size_t common = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < common; ++i) {
    if (a[i].to_json_line() != b[i].to_json_line()) {
      return i;
    }
  }
  if (a.size() != b.size()) {
    return common;
  }
  return std::nullopt;
}

}  // namespace wfsim::sim
