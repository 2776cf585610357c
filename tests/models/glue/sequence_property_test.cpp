// RapidCheck properties over random sequences of Glue operations and clock advances (issue 3).
// A plan is a small generated world (workflows with and without MaxConcurrentRuns, jobs and
// crawlers with behaviour profiles, start triggers of every type, conditional chains and fans,
// triggers outside workflows, sometimes a fault plan) and up to 40 steps. The steps run through
// the World, so faults and the trace are the real ones. After every step:
// - the World's invariant catalogue holds;
// - the Statistics of every run equal a recount of its graph (fact sheet 6.10, rule 9.12);
// - no step admits a run over its workflow's MaxConcurrentRuns (6.6, rule 9.2);
// - a STOPPING or STOPPED run gains no job run and no crawl (6.7);
// - a call rejected without an injected fault changes no read answer;
// - StartWorkflowRun and ResumeWorkflowRun answer what the sheet predicts from the state before
//   them, and every resumed run follows 6.8 and rules 9.5-9.7.
// The same plan run again in a fresh world, without the read views, gives the same trace hash.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/world.hpp"
#include "tests/models/glue/sequence_views.hpp"

namespace wfsim::models::glue::testing {
namespace {

const std::string kExecutionRole = "arn:aws:iam::111122223333:role/glue-exec";
const std::string kGhostRun = "wr_" + std::string(64, '0');
const std::string kGhostNode = "wnode_" + std::string(64, '0');
constexpr int kMaxSteps = 40;

// The clock advances a step may make (Step::a picks one); the longest is last.
const std::vector<sim::DurationUs> kAdvanceSizes = {0,
                                                    sim::seconds(1),
                                                    sim::seconds(45),
                                                    sim::minutes(2),
                                                    sim::minutes(10),
                                                    sim::minutes(20),
                                                    sim::minutes(30),
                                                    sim::hours(1),
                                                    sim::hours(3)};

// ---------------------------------------------------------------------------------------
// Plans.

struct WorldPlan {
  std::uint64_t seed = 1;
  json config = json::object();                     // WorldOptions::config
  std::vector<std::pair<std::string, json>> setup;  // calls made before the steps
  KnownNames names;                                 // generated names, then one ghost each
  std::vector<std::string> event_triggers;
};

enum class StepKind {
  advance,
  start_run,
  stop_run,
  resume_run,
  put_properties,
  get_properties,
  start_trigger,
  stop_trigger,
  notify_event,
  start_job_run,
  batch_stop,
  start_crawler,
  stop_crawler,
  update_workflow,
  delete_workflow,
  create_workflow,
  delete_job,
  create_job
};

// How often each kind is drawn: its weight out of the sum. State-changing kinds weigh most.
const std::vector<std::pair<StepKind, int>> kStepWeights = {
    {StepKind::advance, 9},         {StepKind::start_run, 8},       {StepKind::stop_run, 3},
    {StepKind::resume_run, 5},      {StepKind::put_properties, 1},  {StepKind::get_properties, 1},
    {StepKind::start_trigger, 2},   {StepKind::stop_trigger, 1},    {StepKind::notify_event, 2},
    {StepKind::start_job_run, 2},   {StepKind::batch_stop, 1},      {StepKind::start_crawler, 1},
    {StepKind::stop_crawler, 1},    {StepKind::update_workflow, 1}, {StepKind::delete_workflow, 1},
    {StepKind::create_workflow, 1}, {StepKind::delete_job, 1},      {StepKind::create_job, 1}};

// One step: its kind, and selectors that pick names, runs and nodes from the state the step
// meets (so the same plan replays the same calls in a fresh world of the same seed).
struct Step {
  StepKind kind = StepKind::advance;
  std::uint32_t a = 0, b = 0, c = 0;
  int malformed = 0;  // 0: as generated; 1: a member removed; 2: a member replaced by junk
};

struct Plan {
  WorldPlan world;
  std::vector<Step> steps;
};

// A value of [low, high). RapidCheck scales inRange by the test case's size, which would make
// early cases all advances and all picks the first option; at the nominal size the draw is
// uniform over the range, and still shrinks towards `low`.
template <class T>
T draw(T low, T high) {
  return *rc::gen::resize(100, rc::gen::inRange<T>(low, high));
}

template <class T>
const T& pick(const std::vector<T>& options) {
  return options[draw<std::size_t>(0, options.size())];
}

bool one_in(int n) { return draw(0, n) == 0; }

StepKind draw_step_kind() {
  int total = 0;
  for (const auto& [kind, weight] : kStepWeights) total += weight;
  int drawn = draw(0, total);
  for (const auto& [kind, weight] : kStepWeights) {
    if (drawn < weight) return kind;
    drawn -= weight;
  }
  return StepKind::advance;
}

json job_profile() {
  return pick<json>({{{"duration", {{"uniform", {20, 400}}}}, {"outcome", {{"fail", "1/4"}}}},
                     {{"duration", 60}, {"outcome", {"FAILED", "SUCCESS"}}},
                     {{"duration", 30}, {"outcome", {"SUCCESS"}}},
                     {{"duration", {{"uniform", {100, 200}}}}, {"outcome", {"TIMEOUT", "SUCCESS"}}},
                     {{"duration", {{"uniform", {300, 1200}}}}}});
}

json crawler_profile() {
  return pick<json>({{{"duration", {{"uniform", {30, 300}}}}, {"outcome", {{"fail", "1/4"}}}},
                     {{"duration", 45}, {"outcome", {"FAILED", "SUCCEEDED"}}},
                     {{"duration", 90}}});
}

json fault_plan() {
  return {{"rules",
           {{{"match", "glue:*"}, {"kind", "throttle"}, {"probability", "1/20"}},
            {{"match", "glue:*"}, {"kind", "timeout_after"}, {"probability", "1/30"}},
            {{"match", "glue:*"}, {"kind", "duplicate"}, {"probability", "1/30"}},
            {{"match", "glue:*"}, {"kind", "lost_response"}, {"probability", "1/40"}},
            {{"match", "glue:*"},
             {"kind", "latency"},
             {"probability", "1/20"},
             {"latency", "PT30S"}}}}};
}

// An action or a condition target: a job or a crawler.
struct NodeRef {
  bool crawler = false;
  std::string name;
};

json action_for(const NodeRef& node) {
  return node.crawler ? json{{"CrawlerName", node.name}} : json{{"JobName", node.name}};
}

json condition_on(const NodeRef& node) {
  if (node.crawler) {
    return {{"LogicalOperator", "EQUALS"},
            {"CrawlerName", node.name},
            {"CrawlState", pick<std::string>({"SUCCEEDED", "SUCCEEDED", "FAILED", "CANCELLED"})}};
  }
  return {{"LogicalOperator", "EQUALS"},
          {"JobName", node.name},
          {"State", pick<std::string>({"SUCCEEDED", "SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"})}};
}

// Up to `most` different nodes of `pool` (at least one).
std::vector<NodeRef> some_of(const std::vector<NodeRef>& pool, int most) {
  std::vector<NodeRef> out;
  const int count = draw(1, most + 1);
  for (int i = 0; i < count; ++i) {
    const NodeRef& node = pick(pool);
    const bool seen = std::any_of(out.begin(), out.end(), [&](const NodeRef& other) {
      return other.crawler == node.crawler && other.name == node.name;
    });
    if (!seen) out.push_back(node);
  }
  return out;
}

json actions_of(const std::vector<NodeRef>& nodes) {
  json actions = json::array();
  for (const auto& node : nodes) actions.push_back(action_for(node));
  return actions;
}

// The start trigger of `workflow` (ON_DEMAND, SCHEDULED or EVENT) and the members it adds.
json start_trigger_request(WorldPlan& plan, const std::string& workflow,
                           const std::vector<NodeRef>& actions) {
  json request = {
      {"Name", workflow + "-start"}, {"WorkflowName", workflow}, {"Actions", actions_of(actions)}};
  const int type = draw(0, 10);
  if (type < 6) {
    request["Type"] = "ON_DEMAND";
  } else if (type < 8) {
    request["Type"] = "SCHEDULED";
    request["Schedule"] = pick<std::string>({"cron(0/20 * * * ? *)", "cron(5 * * * ? *)"});
    request["StartOnCreation"] = !one_in(5);
  } else {
    request["Type"] = "EVENT";
    request["EventBatchingCondition"] = {{"BatchSize", draw(1, 4)},
                                         {"BatchWindow", pick<int>({30, 120, 600})}};
    request["StartOnCreation"] = !one_in(5);
    plan.event_triggers.push_back(workflow + "-start");
  }
  return request;
}

json conditional_request(const std::string& name, const std::optional<std::string>& workflow,
                         const std::vector<NodeRef>& watched, const NodeRef& action) {
  json conditions = json::array();
  for (const auto& node : watched) conditions.push_back(condition_on(node));
  json predicate = {{"Conditions", conditions}};
  if (watched.size() > 1) predicate["Logical"] = pick<std::string>({"AND", "ANY"});
  json request = {{"Name", name},
                  {"Type", "CONDITIONAL"},
                  {"StartOnCreation", !one_in(10)},
                  {"Predicate", predicate},
                  {"Actions", json::array({action_for(action)})}};
  if (workflow) request["WorkflowName"] = *workflow;
  return request;
}

void add_workflow(WorldPlan& plan, const std::string& workflow, const std::vector<NodeRef>& pool) {
  json create = {{"Name", workflow}};
  if (one_in(2)) create["MaxConcurrentRuns"] = draw(1, 3);
  if (one_in(3)) create["DefaultRunProperties"] = {{"k0", "default"}, {"k1", "default"}};
  plan.setup.emplace_back("CreateWorkflow", create);
  std::vector<NodeRef> members = some_of(pool, 2);
  plan.setup.emplace_back("CreateTrigger", start_trigger_request(plan, workflow, members));
  plan.names.triggers.push_back(workflow + "-start");
  const int conditionals = draw(0, 4);
  for (int i = 0; i < conditionals; ++i) {
    const std::string name = workflow + "-then" + std::to_string(i);
    const NodeRef action = pick(pool);
    plan.setup.emplace_back("CreateTrigger",
                            conditional_request(name, workflow, some_of(members, 2), action));
    plan.names.triggers.push_back(name);
    members.push_back(action);
  }
}

WorldPlan generate_world() {
  WorldPlan plan;
  plan.seed = draw<std::uint64_t>(1, 1000000);
  std::vector<NodeRef> pool;
  json job_profiles = json::object();
  json crawler_profiles = json::object();
  const int jobs = draw(2, 5);
  for (int i = 0; i < jobs; ++i) {
    const std::string name = "job" + std::to_string(i);
    json create = {
        {"Name", name},
        {"Role", kExecutionRole},
        {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/" + name + ".py"}}},
        {"ExecutionProperty", {{"MaxConcurrentRuns", draw(1, 4)}}},
        {"MaxRetries", draw(0, 2)},
        {"Timeout", pick<int>({3, 10, 60})}};
    if (one_in(3)) create["JobRunQueuingEnabled"] = true;
    plan.setup.emplace_back("CreateJob", create);
    job_profiles[name] = job_profile();
    plan.names.jobs.push_back(name);
    pool.push_back({false, name});
  }
  const int crawlers = draw(0, 3);
  for (int i = 0; i < crawlers; ++i) {
    const std::string name = "crawl" + std::to_string(i);
    plan.setup.emplace_back("CreateCrawler",
                            json{{"Name", name},
                                 {"Role", kExecutionRole},
                                 {"DatabaseName", "lake"},
                                 {"Targets", {{"S3Targets", {{{"Path", "s3://lake/" + name}}}}}}});
    crawler_profiles[name] = crawler_profile();
    plan.names.crawlers.push_back(name);
    pool.push_back({true, name});
  }
  const int workflows = draw(2, 4);
  for (int i = 0; i < workflows; ++i) {
    const std::string name = "flow" + std::to_string(i);
    plan.names.workflows.push_back(name);
    add_workflow(plan, name, pool);
  }
  if (one_in(3)) {
    // Triggers outside workflows: an ON_DEMAND one and a CONDITIONAL one that follows it.
    plan.setup.emplace_back("CreateTrigger", json{{"Name", "solo-start"},
                                                  {"Type", "ON_DEMAND"},
                                                  {"Actions", json::array({action_for(pool[0])})}});
    plan.setup.emplace_back("CreateTrigger",
                            conditional_request("solo-then", std::nullopt, {pool[0]}, pick(pool)));
    plan.names.triggers.push_back("solo-start");
    plan.names.triggers.push_back("solo-then");
  }
  plan.names.workflows.push_back("ghost-flow");
  plan.names.triggers.push_back("ghost-trigger");
  plan.names.jobs.push_back("ghost-job");
  plan.names.crawlers.push_back("ghost-crawler");
  plan.config = {
      {"profiles", {{"glue", {{"jobs", job_profiles}, {"crawlers", crawler_profiles}}}}}};
  if (one_in(3)) plan.config["faults"] = fault_plan();
  return plan;
}

Plan generate_plan() {
  Plan plan;
  plan.world = generate_world();
  const int steps = draw(10, kMaxSteps + 1);
  for (int i = 0; i < steps; ++i) {
    Step step;
    step.kind = draw_step_kind();
    step.a = draw<std::uint32_t>(0, 1u << 20);
    step.b = draw<std::uint32_t>(0, 1u << 20);
    step.c = draw<std::uint32_t>(0, 1u << 20);
    step.malformed = one_in(8) ? draw(1, 3) : 0;
    plan.steps.push_back(step);
  }
  return plan;
}

// Runs started, then rounds of a long advance and a resume of the newest COMPLETED run, so
// that resumed runs are resumed in turn (fact sheet 6.8), which random plans rarely reach.
Plan generate_resume_chain() {
  Plan plan;
  plan.world = generate_world();
  const auto step_of = [](StepKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    Step step;
    step.kind = kind;
    step.a = a;
    step.b = b;
    step.c = c;
    return step;
  };
  const auto longest_advance = static_cast<std::uint32_t>(kAdvanceSizes.size() - 1);
  for (int i = 0; i < 2; ++i) {
    plan.steps.push_back(step_of(StepKind::start_run, draw<std::uint32_t>(1, 1u << 20), 0, 0));
  }
  const int rounds = draw(2, 6);
  for (int i = 0; i < rounds; ++i) {
    plan.steps.push_back(step_of(StepKind::advance, longest_advance, 0, 0));
    // b in 11..19 picks the newest COMPLETED run (see run_id_in); c's bits from 16 on pick
    // a selection mode that names only attempted nodes (see resume_node_ids).
    const std::uint32_t mode = draw<std::uint32_t>(4, 12);
    plan.steps.push_back(step_of(StepKind::resume_run, 1 + 4 * draw<std::uint32_t>(0, 1000),
                                 draw<std::uint32_t>(11, 20),
                                 (mode << 16) | draw<std::uint32_t>(0, 1u << 16)));
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Running a plan.

struct Call {
  std::string operation;
  json request = json::object();
};

json junk(std::uint32_t selector) {
  static const std::vector<json> values = {nullptr,
                                           0,
                                           -5,
                                           "",
                                           "two\nlines",
                                           json::array(),
                                           json::object(),
                                           true,
                                           std::string(300, 'x'),
                                           json{{"k", 1}}};
  return values[selector % values.size()];
}

// A generated name most of the time, the ghost (the list's last entry) one time in eight.
const std::string& name_from(const std::vector<std::string>& names, std::uint32_t selector) {
  if (names.size() == 1 || selector % 8 == 0) return names.back();
  return names[selector % (names.size() - 1)];
}

std::string describe(std::size_t index, const Call& call) {
  return "step " + std::to_string(index) + ": " + call.operation + " " + call.request.dump();
}

class SequenceRun {
 public:
  // `checking`: take a read view after every step and check the properties against it.
  SequenceRun(const Plan& plan, bool checking) : plan_(plan), checking_(checking) {
    WorldOptions options;
    options.seed = plan.world.seed;
    options.config = plan.world.config;
    options.trace = sim::TraceOptions{false, true};
    auto made = World::create(options);
    if (auto* error = std::get_if<std::string>(&made)) RC_FAIL("world rejected: " + *error);
    world_ = std::move(std::get<std::unique_ptr<World>>(made));
    glue_ = world_->service("glue");
    RC_ASSERT(glue_ != nullptr);
  }

  void run() {
    for (const auto& [operation, request] : plan_.world.setup) {
      // The setup is not subject to the fault plan: the world it builds must exist.
      const CallResult result =
          world_->call_with_fault("glue", operation, request, sim::FaultDecision{});
      if (!result.outcome.ok()) {
        RC_FAIL("setup " + operation + " " + request.dump() +
                " failed: " + result.outcome.error().body().dump());
      }
    }
    if (checking_) view_ = read_view(*glue_, plan_.world.names);
    for (std::size_t i = 0; i < plan_.steps.size(); ++i) run_step(i, plan_.steps[i]);
    // Schedules fire for ever, so the end is a long advance rather than an idle scheduler.
    world_->advance(sim::hours(6));
    log_.push_back("end: advance 6h");
    if (checking_) check_step(nullptr, nullptr);
  }

  std::uint64_t trace_hash() const { return world_->trace().hash(); }

  // What the checked run met, for the coverage RapidCheck prints.
  struct Coverage {
    int resumed = 0;         // ResumeWorkflowRun succeeded and was judged
    int resumed_again = 0;   // ... on a run that was itself a resumed run
    int resume_refused = 0;  // ResumeWorkflowRun refused as predicted
    int rejected = 0;        // calls rejected without a fault, state compared
    int faults = 0;          // calls that met an injected fault
    int stopped_runs = 0;    // runs seen STOPPING or STOPPED
    int cap_refusals = 0;    // StartWorkflowRun or ResumeWorkflowRun over the cap

    Coverage& operator+=(const Coverage& run) {
      resumed += run.resumed;
      resumed_again += run.resumed_again;
      resume_refused += run.resume_refused;
      rejected += run.rejected;
      faults += run.faults;
      stopped_runs += run.stopped_runs;
      cap_refusals += run.cap_refusals;
      return *this;
    }
  };
  const Coverage& coverage() const { return coverage_; }

 private:
  void run_step(std::size_t index, const Step& step) {
    if (step.kind == StepKind::advance) {
      const sim::DurationUs size = kAdvanceSizes[step.a % kAdvanceSizes.size()];
      world_->advance(size);
      log_.push_back("step " + std::to_string(index) + ": advance " + std::to_string(size) + "us");
      if (checking_) check_step(nullptr, nullptr);
      return;
    }
    const Call call = resolve(step);
    const CallResult result = world_->call("glue", call.operation, call.request);
    log_.push_back(describe(index, call) + " -> " +
                   (result.outcome.ok() ? result.outcome.value().dump()
                                        : result.outcome.error().body().dump()) +
                   (result.fault == sim::FaultKind::none
                        ? ""
                        : " [fault " + std::string(sim::to_string(result.fault)) + "]"));
    if (checking_) check_step(&call, &result, step.malformed != 0);
  }

  // --- resolving a step into a request against the current state --------------------------

  const KnownNames& names() const { return plan_.world.names; }

  // A run of the workflow, three times in four one in the `preferred` status when there is
  // one (so that stops and resumes mostly meet runs they apply to), or the ghost run.
  std::string run_id_in(const std::string& workflow, std::uint32_t selector,
                        const std::string& preferred = "") {
    const json runs = runs_of(*glue_, workflow);
    if (!runs.is_array() || runs.empty() || selector % 10 == 0) return kGhostRun;
    std::vector<std::string> ids;
    for (const auto& run : runs) {
      if (run["Status"] == preferred) ids.push_back(run["WorkflowRunId"].get<std::string>());
    }
    if (ids.empty() || (selector / 10) % 4 == 0) {
      return runs[selector % runs.size()]["WorkflowRunId"].get<std::string>();
    }
    // The newest one half of the time, so that resumed runs are themselves resumed.
    return (selector / 40) % 2 == 0 ? ids.front() : ids[selector % ids.size()];
  }

  // A workflow with a run in the `preferred` status three times in four when there is one,
  // else any name (the ghost included).
  std::string workflow_with(const std::string& preferred, std::uint32_t selector) {
    std::vector<std::string> candidates;
    for (std::size_t i = 0; i + 1 < names().workflows.size(); ++i) {
      const json runs = runs_of(*glue_, names().workflows[i]);
      const bool has = runs.is_array() &&
                       std::any_of(runs.begin(), runs.end(),
                                   [&](const json& run) { return run["Status"] == preferred; });
      if (has) candidates.push_back(names().workflows[i]);
    }
    if (candidates.empty() || selector % 4 == 0) return name_from(names().workflows, selector);
    return candidates[(selector / 4) % candidates.size()];
  }

  // NodeIds for ResumeWorkflowRun, from the run's graph. The mode, (c >> 16) % 12, picks:
  // 0 any JOB/CRAWLER nodes (attempted or not), 1 attempted ones and a trigger node, 2 and an
  // unknown id, 3 none at all, 4 one twice, 5 two nested ones, 6-11 attempted ones only; the
  // low bits of c pick which nodes.
  json resume_node_ids(const std::string& workflow, const std::string& run_id, std::uint32_t c) {
    const JsonOutcome found = glue_->call(
        "GetWorkflowRun", {{"Name", workflow}, {"RunId", run_id}, {"IncludeGraph", true}});
    if (!found.ok()) return json::array({kGhostNode});
    const json& nodes = found.value().at("Run").at("Graph").at("Nodes");
    const std::uint32_t mode = (c >> 16) % 12;
    std::vector<std::string> candidates;
    std::string trigger_id;
    for (const auto& node : nodes) {
      if (!is_action_node(node)) {
        trigger_id = node["UniqueId"].get<std::string>();
        continue;
      }
      if (mode == 0 || !node_actions(node).empty()) {
        candidates.push_back(node["UniqueId"].get<std::string>());
      }
    }
    json ids = json::array();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if ((c >> i) & 1u) ids.push_back(candidates[i]);
    }
    if (ids.empty() && !candidates.empty()) ids.push_back(candidates[c % candidates.size()]);
    if (mode == 1 && !trigger_id.empty()) ids.push_back(trigger_id);
    if (mode == 2) ids.push_back(kGhostNode);
    if (mode == 3) ids = json::array();
    if (mode == 4 && !ids.empty()) ids.push_back(ids.front());
    if (mode == 5) ids = nested_pair(found.value().at("Run"), candidates, c);
    return ids;
  }

  // Two attempted nodes, one downstream of the other, in either order (the response must drop
  // the lower one), or just the candidates picked by `c` when no such pair exists.
  static json nested_pair(const json& run, const std::vector<std::string>& candidates,
                          std::uint32_t c) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const std::string& upper = candidates[(i + c) % candidates.size()];
      for (const auto& lower : downstream_of(run, upper)) {
        if (lower == upper ||
            std::find(candidates.begin(), candidates.end(), lower) == candidates.end()) {
          continue;
        }
        return c % 2 == 0 ? json::array({upper, lower}) : json::array({lower, upper});
      }
    }
    json ids = json::array();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if ((c >> i) & 1u) ids.push_back(candidates[i]);
    }
    return ids;
  }

  json job_run_ids(const std::string& job, std::uint32_t selector) {
    const json runs = all_pages(*glue_, "GetJobRuns", {{"JobName", job}}, "JobRuns");
    json ids = json::array();
    if (runs.is_array()) {
      for (std::size_t i = 0; i < runs.size() && ids.size() < 3; ++i) {
        if ((selector >> i) & 1u) ids.push_back(runs[i]["Id"]);
      }
    }
    if (ids.empty() || selector % 7 == 0) ids.push_back("jr_" + std::string(64, '0'));
    return ids;
  }

  Call resolve(const Step& step) {
    Call call = resolve_well_formed(step);
    if (step.malformed != 0 && !call.request.empty()) {
      auto member = call.request.begin();
      std::advance(member, step.c % call.request.size());
      if (step.malformed == 1) {
        call.request.erase(member);
      } else {
        *member = junk(step.b);
      }
    }
    return call;
  }

  // The run operations; nullopt for other kinds.
  std::optional<Call> resolve_run_call(const Step& step) {
    const std::string& workflow = name_from(names().workflows, step.a);
    switch (step.kind) {
      case StepKind::start_run: {
        Call call{"StartWorkflowRun", {{"Name", workflow}}};
        if (step.b % 2 == 0) call.request["RunProperties"] = {{"k0", "started"}};
        return call;
      }
      case StepKind::stop_run: {
        const std::string running = workflow_with("RUNNING", step.a);
        return Call{"StopWorkflowRun",
                    {{"Name", running}, {"RunId", run_id_in(running, step.b, "RUNNING")}}};
      }
      case StepKind::resume_run: {
        const std::string completed = workflow_with("COMPLETED", step.a);
        const std::string run_id = run_id_in(completed, step.b, "COMPLETED");
        return Call{"ResumeWorkflowRun",
                    {{"Name", completed},
                     {"RunId", run_id},
                     {"NodeIds", resume_node_ids(completed, run_id, step.c)}}};
      }
      case StepKind::put_properties:
        return Call{"PutWorkflowRunProperties",
                    {{"Name", workflow},
                     {"RunId", run_id_in(workflow, step.b)},
                     {"RunProperties",
                      {{"k" + std::to_string(step.c % 3), "put" + std::to_string(step.c % 5)}}}}};
      case StepKind::get_properties:
        return Call{"GetWorkflowRunProperties",
                    {{"Name", workflow}, {"RunId", run_id_in(workflow, step.b)}}};
      default:
        return std::nullopt;
    }
  }

  Call resolve_well_formed(const Step& step) {
    if (auto call = resolve_run_call(step)) return *call;
    const std::string& workflow = name_from(names().workflows, step.a);
    switch (step.kind) {
      case StepKind::start_trigger:
        return {"StartTrigger", {{"Name", name_from(names().triggers, step.b)}}};
      case StepKind::stop_trigger:
        return {"StopTrigger", {{"Name", name_from(names().triggers, step.b)}}};
      case StepKind::notify_event: {
        const auto& events = plan_.world.event_triggers;
        const std::string name = events.empty() || step.b % 6 == 0
                                     ? name_from(names().triggers, step.b)
                                     : events[step.b % events.size()];
        return {"NotifyEvent", {{"TriggerName", name}, {"Count", 1 + step.c % 3}}};
      }
      case StepKind::start_job_run: {
        const std::string& job = name_from(names().jobs, step.b);
        Call call{"StartJobRun", {{"JobName", job}}};
        if (step.c % 4 == 0) call.request["JobRunId"] = job_run_ids(job, step.c >> 2)[0];
        if (step.c % 3 == 0) call.request["Arguments"] = {{"--mode", "manual"}};
        return call;
      }
      case StepKind::batch_stop: {
        const std::string& job = name_from(names().jobs, step.b);
        return {"BatchStopJobRun", {{"JobName", job}, {"JobRunIds", job_run_ids(job, step.c)}}};
      }
      case StepKind::start_crawler:
        return {"StartCrawler", {{"Name", name_from(names().crawlers, step.b)}}};
      case StepKind::stop_crawler:
        return {"StopCrawler", {{"Name", name_from(names().crawlers, step.b)}}};
      case StepKind::update_workflow: {
        Call call{"UpdateWorkflow", {{"Name", workflow}}};
        if (step.c % 3 != 0) call.request["MaxConcurrentRuns"] = 1 + step.c % 3;
        if (step.c % 2 == 0) call.request["Description"] = "updated";
        return call;
      }
      case StepKind::delete_workflow:
        // Most deletes name the ghost (a success, fact sheet 5.1), so that the generated
        // workflows mostly live long enough to run.
        return {"DeleteWorkflow",
                {{"Name", step.c % 4 != 0 ? names().workflows.back() : workflow}}};
      case StepKind::create_workflow: {
        Call call{"CreateWorkflow", {{"Name", workflow}}};
        if (step.c % 2 == 0) call.request["MaxConcurrentRuns"] = 1 + step.c % 2;
        return call;
      }
      case StepKind::delete_job:
        return {"DeleteJob", {{"JobName", name_from(names().jobs, step.b)}}};
      case StepKind::create_job:
        return {"CreateJob", setup_request("CreateJob", name_from(names().jobs, step.b))};
      default:
        break;
    }
    return {"GetWorkflow", {{"Name", workflow}}};
  }

  // The setup's request for the entity `name` (a job created again after DeleteJob), or a
  // bare request naming it.
  json setup_request(const std::string& operation, const std::string& name) const {
    for (const auto& [setup_operation, request] : plan_.world.setup) {
      if (setup_operation == operation && request["Name"] == name) return request;
    }
    return {{"Name", name}};
  }

  // --- the checks after each step -------------------------------------------------------------

  [[noreturn]] void fail(const std::string& what) {
    std::string history;
    for (const auto& line : log_) history += "\n  " + line;
    RC_FAIL(what + "\nseed " + std::to_string(plan_.world.seed) + ", history:" + history);
  }

  void check_step(const Call* call, const CallResult* result, bool malformed = false) {
    for (const auto& violation : world_->check_invariants()) {
      fail("invariant " + violation.invariant + ": " + violation.detail);
    }
    json before = std::move(view_);
    view_ = read_view(*glue_, names());
    if (call != nullptr) check_call(*call, *result, malformed, before);
    for (const auto& workflow : names().workflows) {
      check_statistics(workflow);
      check_concurrency(workflow, before);
      check_stopped_runs(workflow, before);
    }
  }

  void check_statistics(const std::string& workflow) {
    for (const auto& [id, run] : runs_in(view_, workflow)) {
      const json recounted = recount_statistics(run);
      if (run["Statistics"] != recounted) {
        fail("run " + id + " reports Statistics " + run["Statistics"].dump() +
             ", its graph counts " + recounted.dump());
      }
    }
  }

  // A step may leave more runs active than the cap only when the cap was lowered under runs
  // already active: it never admits a new one then.
  void check_concurrency(const std::string& workflow, const json& before) {
    const json& found = view_["workflows"][workflow]["GetWorkflow"];
    if (!found.contains("Workflow") || !found["Workflow"].contains("MaxConcurrentRuns")) return;
    const std::size_t cap = found["Workflow"]["MaxConcurrentRuns"];
    const std::set<std::string> active = active_runs(view_, workflow);
    if (active.size() <= cap) return;
    const std::set<std::string> active_before = active_runs(before, workflow);
    for (const auto& id : active) {
      if (active_before.count(id) == 0) {
        fail("workflow " + workflow + " admitted run " + id + " with " +
             std::to_string(active.size()) + " active runs over MaxConcurrentRuns " +
             std::to_string(cap));
      }
    }
  }

  static std::map<std::string, std::size_t> action_counts(const json& run) {
    std::map<std::string, std::size_t> counts;
    for (const auto& node : run["Graph"]["Nodes"]) {
      if (is_action_node(node)) counts[node["UniqueId"]] = node_actions(node).size();
    }
    return counts;
  }

  // Fact sheet 6.7: from the step that stopped it on, a run starts no job run and no crawl.
  void check_stopped_runs(const std::string& workflow, const json& before) {
    const auto runs_before = runs_in(before, workflow);
    for (const auto& [id, run] : runs_in(view_, workflow)) {
      if (run["Status"] != "STOPPING" && run["Status"] != "STOPPED") continue;
      auto baseline = stopped_baselines_.find(id);
      if (baseline == stopped_baselines_.end()) {
        const auto earlier = runs_before.find(id);
        const json& reference = earlier == runs_before.end() ? run : earlier->second;
        baseline = stopped_baselines_.emplace(id, action_counts(reference)).first;
        ++coverage_.stopped_runs;
      }
      if (action_counts(run) != baseline->second) {
        fail("run " + id + " is " + run["Status"].get<std::string>() +
             " but started a job run or crawl after its stop: " + run["Graph"].dump());
      }
    }
  }

  void check_call(const Call& call, const CallResult& result, bool malformed, const json& before) {
    if (result.fault != sim::FaultKind::none) {
      ++coverage_.faults;
      return;  // the call's effect is not what it says
    }
    if (!result.outcome.ok()) {
      ++coverage_.rejected;
      if (result.outcome.error().code == "ConcurrentRunsExceededException") {
        ++coverage_.cap_refusals;
      }
      const AwsError& error = result.outcome.error();
      if (error.http_status < 400 || error.http_status >= 500 || error.code.empty() ||
          error.message.empty()) {
        fail(call.operation + " answered " + error.body().dump() + " (status " +
             std::to_string(error.http_status) + ")");
      }
      if (view_ != before) {
        fail("rejected " + call.operation + " " + call.request.dump() + " changed the state: " +
             error.body().dump() + "\ndiff: " + json::diff(before, view_).dump());
      }
    }
    if (malformed) return;
    if (call.operation == "StartWorkflowRun") check_start(call, result, before);
    if (call.operation == "ResumeWorkflowRun") check_resume(call, result, before);
  }

  static std::string code_of(const CallResult& result) {
    return result.outcome.ok() ? "" : result.outcome.error().code;
  }

  static std::optional<std::size_t> cap_in(const json& view, const std::string& workflow) {
    const json& found = view["workflows"][workflow]["GetWorkflow"];
    if (!found.contains("Workflow") || !found["Workflow"].contains("MaxConcurrentRuns")) {
      return std::nullopt;
    }
    return found["Workflow"]["MaxConcurrentRuns"].get<std::size_t>();
  }

  static bool at_capacity(const json& view, const std::string& workflow) {
    const auto cap = cap_in(view, workflow);
    return cap && active_runs(view, workflow).size() >= *cap;
  }

  void expect_code(const Call& call, const CallResult& result, const std::string& expected) {
    if (code_of(result) != expected) {
      fail(call.operation + " " + call.request.dump() + " answered " +
           (result.outcome.ok() ? result.outcome.value().dump()
                                : result.outcome.error().body().dump()) +
           ", expected " + (expected.empty() ? "success" : expected));
    }
  }

  // 5.1 and 6.6: an unknown workflow is EntityNotFoundException, a workflow at its cap
  // ConcurrentRunsExceededException; otherwise a new run.
  void check_start(const Call& call, const CallResult& result, const json& before) {
    const std::string workflow = call.request["Name"];
    const json& found = before["workflows"][workflow]["GetWorkflow"];
    std::string expected;
    if (!found.contains("Workflow")) {
      expected = "EntityNotFoundException";
    } else if (at_capacity(before, workflow)) {
      expected = "ConcurrentRunsExceededException";
    }
    expect_code(call, result, expected);
  }

  // What ResumeWorkflowRun must answer, from the state before it (6.8, rules 9.5, 9.6).
  static std::string expected_resume_error(const json& before, const json& request) {
    const std::string workflow = request["Name"];
    const auto runs = runs_in(before, workflow);
    const auto original = runs.find(request["RunId"].get<std::string>());
    if (original == runs.end()) return "EntityNotFoundException";
    if (original->second["Status"] != "COMPLETED") return "IllegalWorkflowStateException";
    if (request["NodeIds"].empty()) return "InvalidInputException";
    for (const auto& id : request["NodeIds"]) {
      const json* node = node_with_id(original->second, id.get<std::string>());
      if (node == nullptr || !is_action_node(*node) || node_actions(*node).empty()) {
        return "InvalidInputException";
      }
    }
    if (at_capacity(before, workflow)) return "ConcurrentRunsExceededException";
    return "";
  }

  // The selected nodes, each once and in request order, less those downstream of another.
  static std::vector<std::string> expected_restarted(const json& original, const json& node_ids) {
    std::vector<std::string> selected;
    for (const auto& entry : node_ids) {
      const std::string id = entry;
      if (std::find(selected.begin(), selected.end(), id) == selected.end()) selected.push_back(id);
    }
    std::vector<std::string> kept;
    for (const auto& node : selected) {
      const bool below_another =
          std::any_of(selected.begin(), selected.end(), [&](const std::string& other) {
            return other != node && downstream_of(original, other).count(node) > 0;
          });
      if (!below_another) kept.push_back(node);
    }
    return kept;
  }

  static json graph_shape(const json& run) {
    json nodes = json::array();
    for (const auto& node : run["Graph"]["Nodes"]) {
      nodes.push_back({node["Type"], node["Name"], node["UniqueId"]});
    }
    return {nodes, run["Graph"]["Edges"]};
  }

  static std::set<std::string> job_run_ids_of(const json& run) {
    std::set<std::string> ids;
    for (const auto& node : run["Graph"]["Nodes"]) {
      for (const auto& action : node_actions(node)) {
        if (action.contains("Id")) ids.insert(action["Id"].get<std::string>());
      }
    }
    return ids;
  }

  void check_resume(const Call& call, const CallResult& result, const json& before) {
    expect_code(call, result, expected_resume_error(before, call.request));
    if (!result.outcome.ok()) {
      ++coverage_.resume_refused;
      return;
    }
    const std::string workflow = call.request["Name"];
    const json& response = result.outcome.value();
    const json original = runs_in(before, workflow).at(call.request["RunId"].get<std::string>());
    ++coverage_.resumed;
    if (original.contains("PreviousRunId")) ++coverage_.resumed_again;
    const std::string new_id = response.value("RunId", "");
    const auto runs_after = runs_in(view_, workflow);
    const auto resumed = runs_after.find(new_id);
    if (runs_in(before, workflow).count(new_id) > 0 || resumed == runs_after.end()) {
      fail("ResumeWorkflowRun answered " + response.dump() + ", which names no new run");
    }
    const json& run = resumed->second;
    const std::vector<std::string> restarted =
        expected_restarted(original, call.request["NodeIds"]);
    if (response.value("NodeIds", json()) != json(restarted)) {
      fail("ResumeWorkflowRun " + call.request.dump() + " restarted " +
           response.value("NodeIds", json()).dump() + ", expected " + json(restarted).dump());
    }
    const std::string original_id = original["WorkflowRunId"];
    if (run.value("PreviousRunId", "") != original_id ||
        graph_shape(run) != graph_shape(original) ||
        run["WorkflowRunProperties"] != original["WorkflowRunProperties"] ||
        runs_after.at(original_id)["Status"] != "COMPLETED") {
      fail("resumed run " + run.dump() + " does not continue " + original.dump());
    }
    check_resumed_nodes(original, run, restarted);
  }

  // 6.8: the restarted nodes and everything downstream run again with new job runs and crawls;
  // every other node shows the original run's details unchanged.
  void check_resumed_nodes(const json& original, const json& run,
                           const std::vector<std::string>& restarted) {
    std::set<std::string> rerun;
    for (const auto& id : restarted) {
      const auto below = downstream_of(original, id);
      rerun.insert(below.begin(), below.end());
    }
    const std::set<std::string> original_runs = job_run_ids_of(original);
    for (const auto& node : run["Graph"]["Nodes"]) {
      if (!is_action_node(node)) continue;
      const std::string id = node["UniqueId"];
      const json* before = node_with_id(original, id);
      const json actions = node_actions(node);
      if (rerun.count(id) == 0) {
        if (actions != node_actions(*before)) {
          fail("copied node " + node.dump() + " differs from the original " + before->dump());
        }
        continue;
      }
      const bool restarted_here =
          std::find(restarted.begin(), restarted.end(), id) != restarted.end();
      if (restarted_here && actions.empty()) fail("restarted node " + node.dump() + " did not run");
      // Job runs are told apart by Id; crawls have none, so a crawl of a re-run node must
      // have started with the resumed run (a copied one started before, or at that instant).
      for (const auto& action : actions) {
        const bool copied =
            action.contains("Id")
                ? original_runs.count(action["Id"].get<std::string>()) > 0
                : action["StartedOn"].get<double>() < run["StartedOn"].get<double>();
        if (copied) fail("re-run node " + node.dump() + " shows an action of the original run");
      }
    }
  }

  const Plan& plan_;
  bool checking_;
  std::unique_ptr<World> world_;
  Service* glue_ = nullptr;
  json view_;
  std::map<std::string, std::map<std::string, std::size_t>> stopped_baselines_;  // by run id
  std::vector<std::string> log_;
  Coverage coverage_;
};

// Random plans keep the run rules at every step. The checks are only as good as the cases
// the plans reach, so under the fixed seed the cases together must reach every situation a
// check is about (run with rc::check rather than RC_GTEST_PROP to add that up). Replaying
// one case (RC_PARAMS="reproduce=...") runs too few cases for these totals: judge such a
// run by its property result alone.
TEST(GlueSequenceProperties, RandomSequencesKeepTheRunRules) {
  SequenceRun::Coverage total;
  const bool passed = rc::check("random sequences keep the run rules", [&total] {
    const Plan plan = generate_plan();
    SequenceRun checked(plan, true);
    checked.run();
    total += checked.coverage();
    // The read views go straight to the service: without them the trace must be the same.
    SequenceRun plain(plan, false);
    plain.run();
    RC_ASSERT(plain.trace_hash() == checked.trace_hash());
  });
  EXPECT_TRUE(passed);
  EXPECT_GT(total.resumed, 0);
  EXPECT_GT(total.resume_refused, 0);
  EXPECT_GT(total.stopped_runs, 0);
  EXPECT_GT(total.cap_refusals, 0);
  EXPECT_GT(total.faults, 0);
  EXPECT_GT(total.rejected, 0);
}

// Resume chains (start, then rounds of a long advance and a resume of the newest COMPLETED
// run) reach "a resumed run is resumed again", which random plans rarely do; every step is
// checked as in RandomSequencesKeepTheRunRules, and the chains must reach that case.
TEST(GlueSequenceProperties, ResumeChainsKeepTheRunRules) {
  SequenceRun::Coverage total;
  const bool passed = rc::check("resume chains keep the run rules", [&total] {
    const Plan plan = generate_resume_chain();  // SequenceRun keeps a reference to it
    SequenceRun checked(plan, true);
    checked.run();
    total += checked.coverage();
  });
  EXPECT_TRUE(passed);
  EXPECT_GT(total.resumed_again, 0);
}

RC_GTEST_PROP(GlueSequenceProperties, SameSeedGivesSameTrace, ()) {
  const Plan plan = generate_plan();
  SequenceRun first(plan, false);
  first.run();
  SequenceRun second(plan, false);
  second.run();
  RC_ASSERT(first.trace_hash() == second.trace_hash());
}

}  // namespace
}  // namespace wfsim::models::glue::testing
