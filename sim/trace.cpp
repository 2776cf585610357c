// The trace. Each event is rendered as one JSON line with a fixed member order ("i", "t",
// "kind", then the detail members in nlohmann's sorted key order); "t" keeps microseconds
// when they are not whole milliseconds, so no difference in time is hidden from the hash.
// The hash folds in those lines each followed by '\n' (trace_hash.hpp): exactly the bytes
// write_jsonl produces, so the hash of a trace file on disk equals Trace::hash().
#include "sim/trace.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <ostream>

#include "sim/trace_hash.hpp"

namespace wfsim::sim {
namespace {

using nlohmann::json;

// Bytes that go into a JSON string as they are: printable ASCII other than '"' and '\\'.
// Control characters are escaped; bytes from 0x80 start UTF-8 sequences, left to nlohmann.
constexpr std::array<bool, 256> kPlainBytes = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

bool is_plain(char c) { return kPlainBytes[static_cast<unsigned char>(c)]; }

// Whether eight bytes might hold one that is not plain. It errs only towards caution: a
// byte's high bit ends up set where it is below 0x20, a quote or a backslash (zero after the
// xor), or 0x80 and above, and borrows only ever spread upwards from such a byte.
bool may_need_escape(const char* bytes) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  const std::uint64_t suspect =
      (word - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes) | word;
  return (suspect & (kOnes * 0x80)) != 0;
}

// The end of the run of plain bytes starting at `from`, eight bytes at a time where it can;
// fewer than eight left over are checked as the last eight, which may overlap checked ones.
std::size_t plain_run_end(std::string_view text, std::size_t from) {
  const std::size_t size = text.size();
  std::size_t i = from;
  if (size - i >= 8) {
    while (i + 8 <= size && !may_need_escape(text.data() + i)) i += 8;
    if (i + 8 > size && !may_need_escape(text.data() + size - 8)) return size;
  }
  while (i < size && is_plain(text[i])) ++i;
  return i;
}

// Writes compact JSON, byte for byte as nlohmann's dump(-1, ' ', false, replace) would, with
// its own code for the common cases and nlohmann's for the rest. Text is gathered in a
// buffer on the stack and appended to `out` a block at a time: std::string's appends are
// calls into the library, dearer than the copying itself.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void value(const json& value) {
    switch (value.type()) {
      case json::value_t::null: raw("null"); return;
      case json::value_t::boolean: raw(value.get<bool>() ? "true" : "false"); return;
      case json::value_t::number_integer: integer(value.get<std::int64_t>()); return;
      case json::value_t::number_unsigned: integer(value.get<std::uint64_t>()); return;
      case json::value_t::string: string(value.get_ref<const std::string&>()); return;
      case json::value_t::object: object(value.get_ref<const json::object_t&>()); return;
      case json::value_t::array: array(value.get_ref<const json::array_t&>()); return;
      default: dumped(value); return;
    }
  }

  void string(std::string_view text) {
    // Escaping at most sextuples a byte ("\u001f"), so this much room means the string never
    // straddles two blocks and an abandoned attempt can simply be taken back.
    const std::size_t worst_case = 6 * text.size() + 2;
    if (worst_case > kBufferBytes - used_) flush();
    if (worst_case > kBufferBytes || !ascii_string(text)) dumped(json(std::string(text)));
  }

  template <typename Integer>
  void integer(Integer number) {
    char digits[24];
    const std::to_chars_result end = std::to_chars(digits, digits + sizeof digits, number);
    raw(std::string_view(digits, static_cast<std::size_t>(end.ptr - digits)));
  }

  void raw(std::string_view text) {
    if (text.size() > kBufferBytes - used_) {
      flush();
      if (text.size() > kBufferBytes) {
        out_ += text;
        return;
      }
    }
    std::memcpy(buffer_ + used_, text.data(), text.size());
    used_ += text.size();
  }

  void rfc3339_exact(TimeUs time_us) {
    flush();
    append_rfc3339_exact(out_, time_us);
  }

  // Appends the buffered text to `out`.
  void flush() {
    out_.append(buffer_, used_);
    used_ = 0;
  }

 private:
  static constexpr std::size_t kBufferBytes = 2048;

  void put(char c) {
    if (used_ == kBufferBytes) flush();
    buffer_[used_++] = c;
  }

  void object(const json::object_t& members) {
    put('{');
    bool first = true;
    for (const auto& [key, member] : members) {
      if (!first) put(',');
      first = false;
      string(key);
      put(':');
      value(member);
    }
    put('}');
  }

  void array(const json::array_t& elements) {
    put('[');
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i != 0) put(',');
      value(elements[i]);
    }
    put(']');
  }

  // Writes an ASCII string as nlohmann escapes it, into room string() made. False, with
  // nothing written, on a byte outside ASCII.
  bool ascii_string(std::string_view text) {
    const std::size_t mark = used_;
    buffer_[used_++] = '"';
    std::size_t i = 0;
    while (true) {
      const std::size_t plain_end = plain_run_end(text, i);
      std::memcpy(buffer_ + used_, text.data() + i, plain_end - i);
      used_ += plain_end - i;
      if (plain_end == text.size()) break;
      const auto c = static_cast<unsigned char>(text[plain_end]);
      if (c >= 0x80) {
        used_ = mark;
        return false;
      }
      escape(c);
      i = plain_end + 1;
    }
    buffer_[used_++] = '"';
    return true;
  }

  void escape(unsigned char c) {
    static constexpr char kHexDigits[] = "0123456789abcdef";
    buffer_[used_++] = '\\';
    switch (c) {
      case '"': buffer_[used_++] = '"'; return;
      case '\\': buffer_[used_++] = '\\'; return;
      case '\b': buffer_[used_++] = 'b'; return;
      case '\t': buffer_[used_++] = 't'; return;
      case '\n': buffer_[used_++] = 'n'; return;
      case '\f': buffer_[used_++] = 'f'; return;
      case '\r': buffer_[used_++] = 'r'; return;
      default:
        std::memcpy(buffer_ + used_, "u00", 3);
        buffer_[used_ + 3] = kHexDigits[c >> 4];
        buffer_[used_ + 4] = kHexDigits[c & 0xf];
        used_ += 5;
    }
  }

  // nlohmann's own text, for floats (shortest round-trip digits), strings that are not plain
  // ASCII (UTF-8 is checked and invalid bytes replaced rather than thrown on, so recording
  // can never fail), strings too long for the buffer and binary values.
  void dumped(const json& value) {
    raw(value.dump(-1, ' ', false, json::error_handler_t::replace));
  }

  std::string& out_;
  char buffer_[kBufferBytes];
  std::size_t used_ = 0;
};

bool is_reserved_member(const std::string& key) {
  return key == "i" || key == "t" || key == "kind";
}

void write_head(JsonWriter& line, std::uint64_t index, TimeUs time_us, std::string_view kind) {
  line.raw("{\"i\":");
  line.integer(index);
  line.raw(",\"t\":\"");
  line.rfc3339_exact(time_us);
  line.raw("\",\"kind\":");
  line.string(kind);
}

void write_detail(JsonWriter& line, const json& detail) {
  if (detail.is_object()) {
    for (const auto& [key, value] : detail.get_ref<const json::object_t&>()) {
      // A detail member may not shadow the event's own fields; it keeps its value under a
      // "detail." prefix so that the line never has duplicate keys.
      line.raw(",");
      line.string(is_reserved_member(key) ? "detail." + key : key);
      line.raw(":");
      line.value(value);
    }
  } else if (!detail.is_null()) {
    line.raw(",\"detail\":");
    line.value(detail);
  }
}

}  // namespace

void append_json(std::string& out, const json& value) { JsonWriter(out).value(value); }

void append_json_string(std::string& out, std::string_view text) { JsonWriter(out).string(text); }

void TraceMemberWriter::json_member(std::string_view key, const json& value) {
  JsonWriter line(trace_.line_);
  line.raw(",");
  line.string(key);
  line.raw(":");
  line.value(value);
}

void TraceMemberWriter::text_member(std::string_view key, std::string_view text) {
  JsonWriter line(trace_.line_);
  line.raw(",");
  line.string(key);
  line.raw(":");
  line.string(text);
}

void TraceMemberWriter::integer_member(std::string_view key, std::int64_t number) {
  JsonWriter line(trace_.line_);
  line.raw(",");
  line.string(key);
  line.raw(":");
  line.integer(number);
}

std::string TraceEvent::to_json_line() const {
  std::string text;
  {
    JsonWriter line(text);
    write_head(line, index, time_us, kind);
    write_detail(line, detail);
    line.raw("}");
  }
  return text;
}

void Trace::record(TimeUs time_us, std::string kind, nlohmann::json detail) {
  if (!options_.enabled) {
    return;
  }
  const std::uint64_t index = count_;
  begin_line(time_us, kind);
  {
    JsonWriter line(line_);
    write_detail(line, detail);
  }
  finish_line();
  if (options_.keep_events) {
    events_.push_back(TraceEvent{index, time_us, std::move(kind), std::move(detail)});
  }
}

void Trace::begin_line(TimeUs time_us, std::string_view kind) {
  line_.clear();
  JsonWriter line(line_);
  write_head(line, count_, time_us, kind);
}

void Trace::finish_line() {
  line_ += "}\n";
  hash_ = fold_trace_line(hash_, line_);
  ++count_;
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
  hash_ = kTraceHashStart;
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
