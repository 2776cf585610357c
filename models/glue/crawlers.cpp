/* Glue crawlers and crawls: CreateCrawler, GetCrawler, DeleteCrawler, StartCrawler,
   StopCrawler, crawler schedules, and the crawls that triggers and workflow runs launch.

   Fact-sheet rules followed: 4 (Crawler, Crawl, LastCrawlInfo, Schedule shapes), 5 and 5.1
   (crawler operations, members and errors: at least one target, CrawlerRunningException,
   CrawlerNotRunningException, CrawlerStoppingException), 6.5 (the crawl graph; the crawler's
   READY -> RUNNING -> (STOPPING) -> READY; LastCrawl.Status), 6.7 (stopping: CANCELLING ->
   CANCELLED), 7, 8 (Tags).

   Chosen where the sheet is silent:
   - Targets counts every kind the model has (S3, JDBC, MongoDB, DynamoDB, Catalog, Delta,
     Iceberg, Hudi); each kind is a list of objects; all of them empty is
     InvalidInputException. Configuration must be a JSON object in a string. Schedule must be
     a cron(...) expression (crawler schedules have no rate form); an invalid one is
     InvalidInputException naming the field that broke.
   - A crawler with a Schedule is SCHEDULED from creation and crawls at each cron instant
     under the virtual clock; an instant that finds it still crawling is skipped.
   - A crawl's duration and outcome come from the crawler's behaviour profile (attempt 1, a
     crawl has no retries). A failed crawl's ErrorMessage says it was simulated.
   - A trigger action on a deleted or busy crawler records a crawl that ends in ERROR at
     once; it never changes the crawler's State or LastCrawl (crawl_machine.hpp).
   - End callbacks: on_run_action_ended at once for crawls of a workflow run (the engine
     guards against re-entry while it launches); on_standalone_action_ended, for crawls a
     trigger outside workflows started, in a zero-delay event, since that evaluation may
     launch the same crawler again. StartCrawler and schedule crawls have none (fact sheet
     6.2 scope rule).
   - LastCrawl.MessagePrefix is the crawl's own id (32 hex); CrawlElapsedTime is reported
     only while the crawler is RUNNING or STOPPING. Version stays 1 (no UpdateCrawler).
   - SchedulerTransitioningException is never answered: schedules change state at once.
   - Crawls are kept after their crawler is deleted: workflow runs and trigger evaluation
     may point at them.
*/
#include <array>

#include <algorithm>

#include "models/glue/errors.hpp"
#include "models/glue/state.hpp"

namespace wfsim::models::glue {
namespace {

using nlohmann::json;

constexpr std::string_view kMachine = "crawl";
constexpr std::array<const char*, 8> kTargetKinds = {
    "S3Targets",      "JdbcTargets",  "MongoDBTargets", "DynamoDBTargets",
    "CatalogTargets", "DeltaTargets", "IcebergTargets", "HudiTargets"};

CrawlerState state_of(const Crawler& crawler) {
  if (crawler.current == nullptr) return crawler_state(std::nullopt);
  return crawler_state(crawler.current->state);
}

// Targets*: lists of target objects, at least one target in all.
void read_targets(RequestValidator& validator, const json& request) {
  auto targets = validator.nested("Targets", true);
  if (!targets) return;
  std::size_t count = 0;
  for (const char* kind : kTargetKinds) {
    const json* list = targets->array(kind, CountRule{});
    if (list == nullptr) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].is_object()) continue;
      validator.fail(targets->path_of(kind) + "." + std::to_string(i + 1),
                     "Member must be an object", show_value((*list)[i]));
    }
    count += list->size();
  }
  if (count == 0) {
    validator.fail(validator.path_of("Targets"),
                   "Crawler must have at least one target (S3Targets, JdbcTargets, "
                   "MongoDBTargets, DynamoDBTargets, CatalogTargets, DeltaTargets, "
                   "IcebergTargets or HudiTargets)",
                   show_value(request["Targets"]));
  }
}

std::optional<sim::Schedule> read_schedule(RequestValidator& validator) {
  auto expression = validator.string("Schedule", StringRule{});
  if (!expression) return std::nullopt;
  std::string error;
  auto schedule = sim::Schedule::parse_aws(*expression, &error);
  if (!schedule || schedule->is_rate()) {
    validator.fail(validator.path_of("Schedule"),
                   "Member must be a schedule expression cron(Minutes Hours Day-of-month "
                   "Month Day-of-week Year)" +
                       (error.empty() ? std::string() : ": " + error),
                   show_value(*expression));
    return std::nullopt;
  }
  return schedule;
}

void read_configuration(RequestValidator& validator) {
  auto text = validator.string("Configuration", StringRule{});
  if (!text) return;
  const json parsed = json::parse(*text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    validator.fail(validator.path_of("Configuration"), "Member must be a JSON object in a string",
                   show_value(*text));
  }
}

// The members a simulator only stores and echoes, checked for their types.
void read_echoed_crawler_members(RequestValidator& validator) {
  validator.string("DatabaseName", StringRule{});
  validator.string_list("Classifiers", CountRule{}, StringRule{});
  validator.string("TablePrefix", StringRule{0, 128});
  validator.object("SchemaChangePolicy");
  validator.object("RecrawlPolicy");
  validator.object("LineageConfiguration");
  validator.object("LakeFormationConfiguration");
  validator.string("CrawlerSecurityConfiguration", StringRule{0, 128});
}

void crawl_ended(Glue& glue, Crawl& crawl) {
  glue.context_.scheduler.cancel(crawl.timer);
  crawl.timer = 0;
  crawl.completed_us = glue.now();
  crawl.machine.reset();
  if (crawl.workflow_run != nullptr) {
    glue.on_run_action_ended(*crawl.workflow_run);
  } else if (crawl.trigger_name && !crawl.detached) {
    // In its own event: trigger evaluation outside workflows may launch this crawler again
    // from inside the launch that is ending.
    crawl.timer = glue.context_.scheduler.schedule_after(0, [g = &glue, c = &crawl] {
      c->timer = 0;
      g->on_standalone_action_ended();
    });
  }
}

bool apply(Glue& glue, Crawl& crawl, CrawlEvent event) {
  if (!crawl.machine || !crawl.machine->fire(event)) {
    glue.record_violation(kMachine, crawl.id, to_string(event), to_string(crawl.state));
    return false;
  }
  const CrawlState from = crawl.state;
  crawl.state = crawl.machine->state();
  glue.trace_transition(kMachine, crawl.id, to_string(from), to_string(crawl.state));
  if (is_terminal(crawl.state)) crawl_ended(glue, crawl);
  return true;
}

Crawl& new_crawl(Glue& glue, const std::string& crawler_name, WorkflowRun* run, std::uint32_t node,
                 std::optional<std::string> trigger_name) {
  auto owned = std::make_unique<Crawl>();
  Crawl& crawl = *owned;
  crawl.id = glue.ids_.hex(32);
  crawl.crawler_name = crawler_name;
  crawl.started_us = glue.now();
  crawl.workflow_run = run;
  crawl.node = node;
  crawl.trigger_name = std::move(trigger_name);
  crawl.machine.emplace();
  crawl.state = crawl.machine->state();
  glue.crawls_.emplace(crawl.id, std::move(owned));
  if (run != nullptr && node < run->nodes.size()) run->nodes[node].crawls.push_back(&crawl);
  glue.trace_transition(kMachine, crawl.id, std::nullopt, to_string(crawl.state));
  return crawl;
}

// The crawler runs the crawl: the profile decides when and how it ends.
void begin_crawl(Glue& glue, Crawler& crawler, Crawl& crawl) {
  crawler.current = &crawl;
  const BehaviourProfile profile = glue.options_.profiles.for_crawler(crawler.name);
  // Scripted outcomes count the crawler's crawls in order, as job scripts count job runs;
  // launch_crawl has just appended this one.
  const int crawl_number = static_cast<int>(crawler.crawls.size());
  const bool failed = profile.outcome_for_attempt(crawl_number, glue.behaviour_rng_) == "FAILED";
  const sim::DurationUs duration_us = profile.draw_duration(glue.behaviour_rng_, sim::minutes(1));
  crawl.timer =
      glue.context_.scheduler.schedule_after(duration_us, [g = &glue, c = &crawl, failed] {
        c->timer = 0;
        if (!failed) {
          apply(*g, *c, CrawlEvent::targets_crawled);
          return;
        }
        c->error_message = "Crawler " + c->crawler_name + " failed (simulated failure)";
        apply(*g, *c, CrawlEvent::crawler_failed);
      });
}

void arm_schedule(Glue& glue, Crawler& crawler);

void scheduled_crawl(Glue& glue, const std::string& name) {
  Crawler* crawler = glue.find_crawler(name);
  if (crawler == nullptr) return;
  crawler->schedule_timer = 0;
  if (state_of(*crawler) == CrawlerState::READY) glue.launch_crawl(name, nullptr, 0, std::nullopt);
  arm_schedule(glue, *crawler);
}

void arm_schedule(Glue& glue, Crawler& crawler) {
  if (!crawler.schedule) return;
  const auto next_us = crawler.schedule->next_after(glue.now(), crawler.created_us);
  if (!next_us) return;
  crawler.schedule_timer = glue.context_.scheduler.schedule_at(
      *next_us, [g = &glue, name = crawler.name] { scheduled_crawl(*g, name); });
}

json last_crawl_json(const Glue& glue, const Crawler& crawler) {
  for (auto crawl = crawler.crawls.rbegin(); crawl != crawler.crawls.rend(); ++crawl) {
    const auto status = last_crawl_status((*crawl)->state);
    if (!status) continue;
    json out = {{"Status", to_string(*status)},
                {"LogGroup", kCrawlLogGroup},
                {"LogStream", (*crawl)->crawler_name},
                {"MessagePrefix", (*crawl)->id},
                {"StartTime", glue.timestamp((*crawl)->started_us)}};
    if ((*crawl)->error_message) out["ErrorMessage"] = *(*crawl)->error_message;
    return out;
  }
  return nullptr;
}

json crawler_json(const Glue& glue, const Crawler& crawler) {
  json out = crawler.definition;
  const CrawlerState state = state_of(crawler);
  out["Name"] = crawler.name;
  out["State"] = to_string(state);
  out["CreationTime"] = glue.timestamp(crawler.created_us);
  out["LastUpdated"] = glue.timestamp(crawler.updated_us);
  out["Version"] = crawler.version;
  if (crawler.schedule) {
    out["Schedule"] = {{"ScheduleExpression", crawler.schedule->expression()},
                       {"State", "SCHEDULED"}};
  }
  if (state != CrawlerState::READY) {
    out["CrawlElapsedTime"] = (glue.now() - crawler.current->started_us) / 1000;
  }
  json last = last_crawl_json(glue, crawler);
  if (!last.is_null()) out["LastCrawl"] = std::move(last);
  return out;
}

// The Name of a request that names one crawler, and the crawler (null when unknown).
std::optional<AwsError> named_crawler(Glue& glue, const json& request, Crawler** crawler) {
  RequestValidator validator(request);
  auto name = name_member(validator, "Name", true);
  if (!validator.ok()) return invalid_input(validator);
  *crawler = glue.find_crawler(*name);
  if (*crawler == nullptr)
    return entity_not_found("Crawler entry with name " + *name + " does not exist");
  return std::nullopt;
}

}  // namespace

// --- operations ------------------------------------------------------------------------

JsonOutcome Glue::create_crawler(const json& request) { return create_crawler_entity(request); }

JsonOutcome Glue::create_crawler_entity(const json& request) {
  RequestValidator validator(request);
  auto name = name_member(validator, "Name", true);
  validator.string("Role", StringRule{}, true);
  text_member(validator, "Description", 0, 2048, false, true);
  read_targets(validator, request);
  auto schedule = read_schedule(validator);
  read_configuration(validator);
  auto tags = tags_member(validator, "Tags");
  read_echoed_crawler_members(validator);
  if (!validator.ok()) return invalid_input(validator);
  if (crawlers_.count(*name) != 0)
    return already_exists("Crawler with name " + *name + " already exists");
  if (crawlers_.size() >= options_.quotas.crawlers) {
    return resource_number_limit("Number of crawlers exceeds the account quota of " +
                                 std::to_string(options_.quotas.crawlers));
  }
  auto crawler = std::make_unique<Crawler>();
  crawler->name = *name;
  for (const auto& [key, value] : request.items()) {
    if (key != "Name" && key != "Tags" && !value.is_null()) crawler->definition[key] = value;
  }
  crawler->schedule = std::move(schedule);
  crawler->created_us = crawler->updated_us = now();
  crawler->tags = tags.value_or(TagMap{});
  Crawler& stored = *crawlers_.emplace(*name, std::move(crawler)).first->second;
  arm_schedule(*this, stored);
  return json::object();
}

JsonOutcome Glue::get_crawler(const json& request) {
  Crawler* crawler = nullptr;
  if (auto error = named_crawler(*this, request, &crawler)) return *error;
  return json{{"Crawler", crawler_json(*this, *crawler)}};
}

JsonOutcome Glue::delete_crawler(const json& request) {
  Crawler* crawler = nullptr;
  if (auto error = named_crawler(*this, request, &crawler)) return *error;
  if (state_of(*crawler) != CrawlerState::READY) {
    return crawler_running("Crawler " + crawler->name + " is running and cannot be deleted");
  }
  erase_crawler(crawler->name);
  return json::object();
}

JsonOutcome Glue::start_crawler(const json& request) {
  Crawler* crawler = nullptr;
  if (auto error = named_crawler(*this, request, &crawler)) return *error;
  if (state_of(*crawler) != CrawlerState::READY) {
    return crawler_running("Crawler with name " + crawler->name + " has already started");
  }
  launch_crawl(crawler->name, nullptr, 0, std::nullopt);
  return json::object();
}

JsonOutcome Glue::stop_crawler(const json& request) {
  Crawler* crawler = nullptr;
  if (auto error = named_crawler(*this, request, &crawler)) return *error;
  switch (state_of(*crawler)) {
    case CrawlerState::READY:
      return crawler_not_running("Crawler " + crawler->name + " is not running");
    case CrawlerState::STOPPING:
      return crawler_stopping("Crawler " + crawler->name + " is already stopping");
    case CrawlerState::RUNNING:
      break;
  }
  stop_crawl(*crawler->current);
  return json::object();
}

// --- entities ----------------------------------------------------------------------------

void Glue::erase_crawler(const std::string& name) {
  const auto found = crawlers_.find(name);
  if (found == crawlers_.end()) return;
  context_.scheduler.cancel(found->second->schedule_timer);
  crawlers_.erase(found);
}

Crawler* Glue::find_crawler(const std::string& name) {
  const auto found = crawlers_.find(name);
  return found == crawlers_.end() ? nullptr : found->second.get();
}

Crawl& Glue::launch_crawl(const std::string& crawler_name, WorkflowRun* run, std::uint32_t node,
                          std::optional<std::string> trigger_name) {
  Crawler* crawler = find_crawler(crawler_name);
  Crawl& crawl = new_crawl(*this, crawler_name, run, node, std::move(trigger_name));
  if (crawler != nullptr) crawler->crawls.push_back(&crawl);
  if (crawler != nullptr && state_of(*crawler) == CrawlerState::READY) {
    begin_crawl(*this, *crawler, crawl);
    return crawl;
  }
  crawl.error_message = crawler == nullptr
                            ? "Entity Not Found: crawler " + crawler_name + " does not exist"
                            : "Crawler with name " + crawler_name + " is already running";
  apply(*this, crawl, CrawlEvent::crawler_unavailable);
  return crawl;
}

void Glue::stop_crawl(Crawl& crawl) {
  if (crawl.state != CrawlState::RUNNING) return;
  context_.scheduler.cancel(crawl.timer);
  crawl.timer = 0;
  if (!apply(*this, crawl, CrawlEvent::stop_requested)) return;
  crawl.timer =
      context_.scheduler.schedule_after(options_.timings.crawl_stop_us, [this, c = &crawl] {
        c->timer = 0;
        apply(*this, *c, CrawlEvent::stop_completed);
      });
}

json Glue::crawl_json(const Crawl& crawl) const {
  json out = {{"State", to_string(crawl.state)},
              {"StartedOn", timestamp(crawl.started_us)},
              {"LogGroup", kCrawlLogGroup},
              {"LogStream", crawl.crawler_name}};
  if (crawl.completed_us != kNever) out["CompletedOn"] = timestamp(crawl.completed_us);
  if (crawl.error_message) out["ErrorMessage"] = *crawl.error_message;
  return out;
}

}  // namespace wfsim::models::glue
