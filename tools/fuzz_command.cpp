// `wfsim fuzz`. The campaign itself (properties/fuzz.hpp) reads no clock; the budget in
// seconds, the progress lines and the files are this tool's business.
#include "tools/fuzz_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <system_error>

#include "models/world.hpp"
#include "properties/fuzz.hpp"
#include "tools/output_file.hpp"

namespace wfsim::tools {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitClean = 0;
constexpr int kExitFinding = 1;
constexpr int kExitTrouble = 2;

struct Progress {
  std::uint64_t seeds = 0;
  std::uint64_t steps = 0;
  std::uint64_t findings = 0;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string rate(std::uint64_t steps, double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f",
                seconds > 0 ? static_cast<double>(steps) / seconds : 0.0);
  return text;
}

void print_header(const FuzzArguments& arguments, const properties::FuzzCampaign& campaign) {
  WorldOptions options;
  options.seed = arguments.seed;
  options.config = campaign.world_config();
  std::cout << "fuzz " << arguments.service << "  seed " << arguments.seed << "  shard "
            << arguments.shard << "/" << arguments.shard_count << "  config "
            << World::digest_of(options) << "  steps per seed " << arguments.max_steps << "\n"
            << std::flush;
}

// Shrinks and writes one finding; false when the file could not be written.
bool report_finding(const properties::FuzzCampaign& campaign, const properties::SeedRun& run,
                    const FuzzArguments& arguments) {
  const properties::Finding& finding = *run.finding;
  std::cout << "FINDING " << finding.signature << " at seed " << run.seed << ", step "
            << finding.step_index << ": " << finding.detail << "\n" << std::flush;
  properties::ShrinkResult shrunk;
  try {
    if (finding.signature == "nondeterminism") {
      // Not shrunk: a smaller sequence need not be nondeterministic in the same way. Replay
      // the file with --check-determinism to see where the two runs part.
      shrunk.steps = campaign.without_skipped(run.seed, run.steps);
      shrunk.finding = finding;
    } else {
      shrunk = campaign.shrink(run.seed, run.steps, finding);
    }
  } catch (const std::exception& error) {
    std::cout << "  could not shrink the finding: " << error.what() << "\n";
    return false;
  }
  std::cout << "  shrunk from " << run.steps.size() << " to " << shrunk.steps.size()
            << " steps in " << shrunk.runs << " replays\n";
  std::error_code error;
  std::filesystem::create_directories(arguments.out_dir, error);
  const std::string path = arguments.out_dir + "/fuzz-" + arguments.service + "-" +
                           std::to_string(run.seed) + ".json";
  const bool written = write_output_file(path, "finding", false, [&](std::ostream& out) {
    out << campaign.finding_text(run.seed, shrunk);
  });
  if (!written) return false;
  const char* flags = finding.signature == "nondeterminism" ? " --check-determinism" : "";
  std::cout << "  to replay: wfsim replay " << path << flags << "\n" << std::flush;
  return true;
}

// Every so many seeds run twice and compare their traces (DESIGN.md, Determinism rules).
constexpr std::uint64_t kDeterminismSample = 16;

// Runs `run`'s seed again; a different trace becomes a finding the caller reports.
void check_determinism(const properties::FuzzCampaign& campaign, properties::SeedRun& run) {
  properties::SeedRun again = campaign.run_seed(run.seed);
  if (again.trace_hash == run.trace_hash && again.steps == run.steps) return;
  properties::Finding finding;
  finding.signature = "nondeterminism";
  finding.detail = "two runs of seed " + std::to_string(run.seed) + " gave traces " +
                   run.trace_hash + " and " + again.trace_hash +
                   "; replay the file with --check-determinism";
  finding.step_index = run.steps.empty() ? 0 : run.steps.size() - 1;
  run.finding = finding;
}

}  // namespace

int run_fuzz(const FuzzArguments& arguments) {
  properties::FuzzOptions options;
  options.service = arguments.service;
  options.max_steps = arguments.max_steps;
  properties::FuzzCampaign campaign(options);
  print_header(arguments, campaign);
  const Clock::time_point start = Clock::now();
  Clock::time_point last_report = start;
  Progress progress;
  std::set<std::string> seen;
  bool written_ok = true;
  for (std::uint64_t index = 0; arguments.max_seeds == 0 || index < arguments.max_seeds; ++index) {
    if (seconds_since(start) >= arguments.seconds) break;
    const std::uint64_t seed =
        properties::campaign_seed(arguments.seed, arguments.shard, arguments.shard_count, index);
    properties::SeedRun run = campaign.run_seed(seed);
    ++progress.seeds;
    progress.steps += run.steps.size();
    if (!run.finding && index % kDeterminismSample == 0) check_determinism(campaign, run);
    if (run.finding && seen.insert(run.finding->signature).second) {
      ++progress.findings;
      written_ok &= report_finding(campaign, run, arguments);
    }
    if (std::chrono::duration<double>(Clock::now() - last_report).count() >= 1.0) {
      last_report = Clock::now();
      std::cerr << "fuzz " << arguments.service << ": " << progress.seeds << " seeds, "
                << progress.steps << " steps, " << rate(progress.steps, seconds_since(start))
                << " steps/s, " << progress.findings << " findings\n";
    }
  }
  const double elapsed = seconds_since(start);
  char seconds_text[32];
  std::snprintf(seconds_text, sizeof seconds_text, "%.1f", elapsed);
  std::cout << arguments.service << ": " << progress.seeds << " seeds, " << progress.steps
            << " steps in " << seconds_text << " s (" << rate(progress.steps, elapsed)
            << " steps/s), " << progress.findings << " findings\n" << std::flush;
  if (!written_ok) return kExitTrouble;
  return progress.findings > 0 ? kExitFinding : kExitClean;
}

int list_invariants() {
  for (const auto& [service, catalogue] : properties::invariant_catalogues()) {
    std::cout << service << "\n";
    for (const auto& [name, description] : catalogue) {
      std::cout << "  " << name << std::string(name.size() < 32 ? 32 - name.size() : 1, ' ')
                << description << "\n";
    }
  }
  std::cout
      << "every service (checked by the campaign)\n"
      << "  fuzz:rejected-call-changes-nothing  a refused call (4xx, or a fault not applied) "
         "writes no transition, timer or schedule event\n"
      << "  crash                               no exception escapes a service\n"
      << "  nondeterminism                      every 16th seed run twice gives the same trace\n";
  return kExitClean;
}

}  // namespace wfsim::tools
