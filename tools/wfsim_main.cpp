// The wfsim command line.
//
//   wfsim replay FILE... [--seed N] [--trace OUT.jsonl] [--record OUT.json]
//                        [--check-determinism] [--quiet]
//   wfsim record FILE... --out OUT.json [--seed N] [--trace OUT.jsonl] [--quiet]
//   wfsim fuzz --service S [--seconds N] [--seed K] [--shard i/n] [--out DIR]
//              [--max-steps N] [--seeds N]
//   wfsim fuzz --list-invariants
//   wfsim --version
//
// `record` is `replay --record`: it replays the same way, and writes the recorded scenario.
// A directory argument replays every *.json in it, in sorted order. Each scenario prints its
// name, seed and configuration digest first; each failure ends with the one line that replays
// it; the last line is the summary "N passed, M failed", counted in scenarios.
// Exit status: 0 all passed, 1 some scenario failed, 2 usage error or malformed scenario.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <set>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>

#include "models/world.hpp"
#include "properties/fuzz.hpp"
#include "scenarios/recorder.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"
#include "sim/time.hpp"
#include "tools/fuzz_command.hpp"
#include "tools/output_file.hpp"

namespace {

using namespace wfsim;
using namespace wfsim::scenarios;

constexpr const char* kVersion = "wfsim 0.1.0 (scenario format 1)";
constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct ReplayArguments {
  std::vector<std::string> inputs;   // files and directories as given
  std::string seed_text;             // --seed as typed
  std::uint64_t seed = 0;            // used when seed_given
  bool seed_given = false;
  std::string trace_path;            // empty: no trace file
  std::string record_path;           // empty: no recording
  bool check_determinism = false;
  bool quiet = false;
  bool several = false;              // more than one scenario: output names get the scenario's name
  std::set<std::string> output_names;  // the names output files carry so far in this run
};

enum class Verdict { passed, failed, malformed };

// A seed as typed: decimal digits only, within 64 bits (CLI11 would wrap "-1" around).
std::optional<std::uint64_t> parse_seed(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Quotes a path for a shell when it holds anything beyond the usual file-name characters.
std::string shell_quoted(const std::string& text) {
  bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '+' || c == ',' || c == ':' || c == '=' || c == '@';
  });
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A scenario name as it may appear in a file name.
std::string file_safe(const std::string& scenario_name) {
  std::string safe = scenario_name;
  for (char& c : safe) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return safe;
}

// "out.jsonl" -> "out.<name>.jsonl" when several scenarios write one option's file.
std::string output_path(const std::string& path, const std::string& name, bool several) {
  if (!several) return path;
  std::size_t slash = path.find_last_of('/');
  std::size_t dot = path.find_last_of('.');
  bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  if (!has_extension) return path + "." + name;
  return path.substr(0, dot) + "." + name + path.substr(dot);
}

// Expands directories into their *.json files, sorted; reports inputs that do not exist.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs, bool* ok) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code error;
    if (std::filesystem::is_directory(input, error)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::directory_iterator(input, error)) {
        if (entry.path().extension() == ".json" && !entry.is_directory(error)) {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        std::cout << "wfsim: " << input << ": no *.json scenario in this directory\n";
        *ok = false;
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(input, error)) {
      files.push_back(input);
    } else {
      std::cout << "wfsim: " << input << ": no such file or directory\n";
      *ok = false;
    }
  }
  return files;
}

void print_header(const std::string& file, const Scenario& scenario, std::uint64_t seed) {
  WorldOptions options;
  options.seed = seed;
  options.start_us = scenario.start_us;
  options.config = scenario.config;
  std::cout << "scenario " << scenario.name << "  seed " << seed << "  config "
            << World::digest_of(options) << "  (" << file << ")\n";
}

void print_failures(const Scenario& scenario, const RunResult& run) {
  for (const StepRecord& step : run.steps) {
    if (step.passed) continue;
    std::cout << "  FAIL steps[" << step.index << "] " << step.what << " at "
              << sim::format_rfc3339(step.time_us) << "\n";
    const std::string& note = scenario.steps[step.index].note;
    if (!note.empty()) std::cout << "      note: " << note << "\n";
    for (const Difference& difference : step.differences) {
      std::cout << "      " << difference.to_string() << "\n";
    }
  }
  for (const models::InvariantViolation& violation : run.violations) {
    std::cout << "  INVARIANT " << violation.invariant << ": " << violation.detail << "\n";
  }
}

// Runs the scenario as asked: once, or twice when checking determinism.
RunResult run_as_asked(const Scenario& scenario, const ReplayArguments& arguments,
                       std::optional<DeterminismReport>& determinism) {
  RunOptions options;
  if (arguments.seed_given) options.seed = arguments.seed;
  options.trace.keep_events = !arguments.trace_path.empty();
  options.keep_responses = !arguments.record_path.empty();
  if (!arguments.check_determinism) return run_scenario(scenario, options);
  determinism = check_determinism(scenario, options);
  return std::move(determinism->first_run);
}

// The name a scenario's output files carry: its own, made file-safe, then "-2", "-3", ...
// when an earlier scenario of this run took it, so that no output overwrites another.
std::string unique_output_name(const std::string& scenario_name, ReplayArguments& arguments) {
  const std::string safe = file_safe(scenario_name);
  std::string name = safe;
  for (int n = 2; !arguments.output_names.insert(name).second; ++n) {
    name = safe + "-" + std::to_string(n);
  }
  return name;
}

bool write_outputs(const Scenario& scenario, const RunResult& run, ReplayArguments& arguments) {
  if (arguments.trace_path.empty() && arguments.record_path.empty()) return true;
  const std::string name = unique_output_name(scenario.name, arguments);
  bool ok = true;
  if (!arguments.trace_path.empty()) {
    std::string path = output_path(arguments.trace_path, name, arguments.several);
    ok &= tools::write_output_file(path, "trace", arguments.quiet,
                                   [&](std::ostream& out) { run.world->trace().write_jsonl(out); });
  }
  if (!arguments.record_path.empty()) {
    std::string path = output_path(arguments.record_path, name, arguments.several);
    std::string text = build_recording(scenario, run)
                           .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    ok &= tools::write_output_file(path, "recording", arguments.quiet,
                                   [&](std::ostream& out) { out << text << "\n"; });
  }
  return ok;
}

Verdict replay_one(const std::string& file, ReplayArguments& arguments) {
  ParseResult parsed = load_scenario_file(file);
  if (!parsed.ok()) {
    // Each error already starts with the file name, as compilers print theirs.
    for (const std::string& error : parsed.errors) std::cout << error << "\n";
    return Verdict::malformed;
  }
  const Scenario& scenario = *parsed.scenario;
  std::uint64_t seed = arguments.seed_given ? arguments.seed : scenario.seed;
  if (!arguments.quiet) print_header(file, scenario, seed);
  std::optional<DeterminismReport> determinism;
  RunResult run = run_as_asked(scenario, arguments, determinism);
  if (!run.setup_error.empty()) {
    if (arguments.quiet) print_header(file, scenario, seed);
    std::cout << "  the configuration is not valid: " << run.setup_error << "\n";
    return Verdict::malformed;
  }
  bool outputs_ok = write_outputs(scenario, run, arguments);
  bool deterministic = !determinism || determinism->deterministic;
  if (run.passed() && deterministic && !outputs_ok) {
    std::cout << "  the scenario passed, but an output file could not be written\n";
    return Verdict::malformed;
  }
  if (run.passed() && deterministic) {
    if (!arguments.quiet) {
      std::cout << "  ok: " << run.steps_passed << " steps passed, trace " << run.trace_hash
                << (determinism ? " (deterministic)" : "") << "\n";
    }
    return Verdict::passed;
  }
  if (arguments.quiet) print_header(file, scenario, seed);
  print_failures(scenario, run);
  if (!deterministic) std::cout << "  " << determinism->describe() << "\n";
  std::cout << "  " << run.steps_failed << " of " << run.steps.size() << " steps failed, trace "
            << run.trace_hash << "\n";
  std::cout << "  to replay: wfsim replay " << shell_quoted(file) << " --seed " << run.seed
            << (arguments.check_determinism ? " --check-determinism" : "") << "\n";
  return outputs_ok ? Verdict::failed : Verdict::malformed;
}

int replay(ReplayArguments arguments) {
  bool inputs_ok = true;
  std::vector<std::string> files = expand_inputs(arguments.inputs, &inputs_ok);
  arguments.several = files.size() > 1;
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool malformed = !inputs_ok;
  for (const std::string& file : files) {
    Verdict verdict = Verdict::malformed;
    try {
      verdict = replay_one(file, arguments);
    } catch (const std::exception& error) {
      // A bug in wfsim itself: report it against this file and go on with the others.
      std::cout << file << ": wfsim failed while replaying it: " << error.what() << "\n";
    }
    if (verdict == Verdict::passed) {
      ++passed;
    } else {
      ++failed;
      malformed |= verdict == Verdict::malformed;
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n" << std::flush;
  if (malformed) return kExitUsage;
  return failed == 0 ? kExitPassed : kExitFailed;
}

struct FuzzCommandLine {
  tools::FuzzArguments arguments;
  std::string seed_text = "1";
  std::string shard_text = "0/1";
  bool list_invariants = false;
};

CLI::App* add_fuzz_command(CLI::App& app, FuzzCommandLine& fuzz) {
  CLI::App* command = app.add_subcommand(
      "fuzz", "Run generated request sequences against a service, checking its invariants");
  command->add_option("--service", fuzz.arguments.service, "The service: glue or mwaa-serverless");
  command->add_option("--seconds", fuzz.arguments.seconds, "Wall-clock budget in seconds")
      ->check(CLI::PositiveNumber);
  command->add_option("--seed", fuzz.seed_text, "The first seed of the campaign");
  command->add_option("--shard", fuzz.shard_text,
                      "i/n: run only the seeds of shard i of n (seed + i + k*n)");
  command->add_option("--out", fuzz.arguments.out_dir, "Directory for finding scenarios");
  command->add_option("--max-steps", fuzz.arguments.max_steps, "Steps per seed")
      ->check(CLI::Range(1, 100000));
  command->add_option("--seeds", fuzz.arguments.max_seeds, "Stop after this many seeds");
  command->add_flag("--list-invariants", fuzz.list_invariants,
                    "Print each service's invariant catalogue and exit");
  return command;
}

int fuzz_from_command_line(FuzzCommandLine& fuzz) {
  if (fuzz.list_invariants) return tools::list_invariants();
  const std::vector<std::string> services = properties::fuzzable_services();
  if (std::find(services.begin(), services.end(), fuzz.arguments.service) == services.end()) {
    std::cerr << "wfsim fuzz: --service must be glue or mwaa-serverless, got '"
              << fuzz.arguments.service << "'\n";
    return kExitUsage;
  }
  std::optional<std::uint64_t> seed = parse_seed(fuzz.seed_text);
  if (!seed) {
    std::cerr << "wfsim fuzz: --seed '" << fuzz.seed_text
              << "' is not a seed: write a whole number\n";
    return kExitUsage;
  }
  auto shard = properties::parse_shard(fuzz.shard_text);
  if (!shard) {
    std::cerr << "wfsim fuzz: --shard '" << fuzz.shard_text
              << "' is not i/n with 0 <= i < n (e.g. 0/4)\n";
    return kExitUsage;
  }
  fuzz.arguments.seed = *seed;
  fuzz.arguments.shard = shard->first;
  fuzz.arguments.shard_count = shard->second;
  return tools::run_fuzz(fuzz.arguments);
}

// The options `replay` and `record` share; returns the --seed option, to see if it was given.
CLI::Option* add_replay_options(CLI::App* command, ReplayArguments& arguments) {
  command->add_option("files", arguments.inputs, "Scenario files, or directories of *.json")
      ->required();
  CLI::Option* seed_option = command->add_option(
      "--seed", arguments.seed_text,
      "Run with this seed (0 to 18446744073709551615) instead of the file's");
  command->add_option("--trace", arguments.trace_path,
                      "Write the trace as JSON lines to this file");
  command->add_flag("--quiet", arguments.quiet, "Print only failures and the summary");
  return seed_option;
}

int run_command_line(int argc, char** argv) {
  CLI::App app{"wfsim: deterministic simulation of AWS workflow-run APIs"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  ReplayArguments arguments;
  CLI::App* replay_command =
      app.add_subcommand("replay", "Replay scenario files and check every step");
  CLI::Option* replay_seed = add_replay_options(replay_command, arguments);
  replay_command->add_option(
      "--record", arguments.record_path,
      "Write a recorded scenario (every response expected exactly) to this file");
  replay_command->add_flag("--check-determinism", arguments.check_determinism,
                           "Run each scenario twice and compare the traces");
  CLI::App* record_command = app.add_subcommand(
      "record", "Replay scenario files and write the recorded scenario (replay --record)");
  CLI::Option* record_seed = add_replay_options(record_command, arguments);
  record_command
      ->add_option("--out", arguments.record_path,
                   "The recorded scenario (every response expected exactly) goes to this file")
      ->required();
  FuzzCommandLine fuzz;
  CLI::App* fuzz_command = add_fuzz_command(app, fuzz);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitPassed : kExitUsage;
  }
  if (fuzz_command->parsed()) return fuzz_from_command_line(fuzz);
  if (replay_seed->count() + record_seed->count() > 0) {
    std::optional<std::uint64_t> seed = parse_seed(arguments.seed_text);
    if (!seed) {
      std::cerr << "wfsim: --seed '" << arguments.seed_text
                << "' is not a seed: write a whole number from 0 to 18446744073709551615\n";
      return kExitUsage;
    }
    arguments.seed = *seed;
    arguments.seed_given = true;
  }
  return replay(std::move(arguments));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_command_line(argc, argv);
  } catch (const std::exception& error) {
    std::cout << std::flush;
    std::cerr << "wfsim: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "wfsim: an unexpected error stopped the run\n";
  }
  return kExitUsage;
}
