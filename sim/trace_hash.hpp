// The trace's hash: each event's JSON line, its '\n' included, folded into a running 64-bit
// hash eight bytes at a time. The hash of a trace file on disk (trace_hash_of_jsonl) equals
// Trace::hash() of the trace that wrote it.
//
// It replaced FNV-1a, which takes one byte per multiply: a chain of dependent multiplies as
// long as the line, about a microsecond for the 700-byte line of a GetWorkflowRun call. Here
// the chain is an eighth as long. The words are read little-endian on every host.
#pragma once

#include <cstdint>
#include <string_view>

namespace wfsim::sim {

// The hash of an empty trace.
inline constexpr std::uint64_t kTraceHashStart = 0xcbf29ce484222325ULL;

// `hash` with one more line (its '\n' included) folded in.
std::uint64_t fold_trace_line(std::uint64_t hash, std::string_view line);

// The hash of a trace written as JSON Lines, every line ending in '\n'.
std::uint64_t trace_hash_of_jsonl(std::string_view text);

}  // namespace wfsim::sim
