// `wfsim fuzz`: runs a fuzz campaign against one service for a wall-clock budget, printing
// progress on stderr, and writes each distinct finding, shrunk, as a scenario file.
#pragma once

#include <cstdint>
#include <string>

namespace wfsim::tools {

struct FuzzArguments {
  std::string service;                     // "glue" or "mwaa-serverless"
  std::uint64_t seed = 1;                  // the first seed of the campaign
  std::uint64_t shard = 0;                 // this machine's shard ...
  std::uint64_t shard_count = 1;           // ... of this many
  double seconds = 10;                     // wall-clock budget, seconds
  std::uint64_t max_seeds = 0;             // stop after this many seeds; 0: no limit
  std::uint64_t max_steps = 150;           // steps per seed
  std::string out_dir = "fuzz-findings";   // where finding scenarios are written
};

// Exit status: 0 no finding, 1 a finding was written, 2 the findings could not be written.
int run_fuzz(const FuzzArguments& arguments);
// Prints every fuzzable service's invariant catalogue; exit status 0.
int list_invariants();

}  // namespace wfsim::tools
