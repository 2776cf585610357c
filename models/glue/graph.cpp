// The workflow graph (fact sheet 6.1): nodes for the triggers that name the workflow and for
// the jobs and crawlers those triggers start or watch; edges from a trigger to each job or
// crawler it starts, and from each job or crawler a CONDITIONAL trigger watches to that
// trigger. Example chain J1 -> T -> J2: edges (J1, T) and (T, J2).
//
// Chosen where the sheet is silent:
// - Node order: triggers by name, then jobs and crawlers in the order the triggers (by
//   name) first mention them, actions before conditions. Edges in node order. Both are
//   stable, so a graph built twice from the same triggers is the same.
// - UniqueId: "wnode_" + 64 hex, the observed form (6.12), derived from the seed, the
//   workflow name, the node type and the name. The same node keeps its id in the static view
//   and in every run snapshot, so a UniqueId read from either can be passed to
//   ResumeWorkflowRun, and deriving it needs no stored state.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <tuple>

#include "models/glue/state.hpp"
#include "sim/random.hpp"

namespace wfsim::models::glue {
namespace {

// Finds or adds the JOB or CRAWLER node `name`; returns its index.
std::uint32_t action_node(Graph& graph, NodeType type, const std::string& name) {
  if (const auto existing = graph.find(type, name)) return *existing;
  GraphNode node;
  node.type = type;
  node.name = name;
  graph.nodes.push_back(std::move(node));
  return static_cast<std::uint32_t>(graph.nodes.size() - 1);
}

void add_edge(Graph& graph, std::uint32_t source, std::uint32_t destination) {
  for (const auto& edge : graph.edges) {
    if (edge.source == source && edge.destination == destination) return;
  }
  graph.edges.push_back(GraphEdge{source, destination});
}

void add_trigger_edges(Graph& graph, std::uint32_t trigger_index) {
  // Held apart from the node: adding nodes may move the vector.
  const std::shared_ptr<const TriggerDefinition> held = graph.nodes[trigger_index].trigger;
  const TriggerDefinition& definition = *held;
  for (const auto& action : definition.actions) {
    if (action.job_name) {
      add_edge(graph, trigger_index, action_node(graph, NodeType::JOB, *action.job_name));
    }
    if (action.crawler_name) {
      add_edge(graph, trigger_index,
               action_node(graph, NodeType::CRAWLER, *action.crawler_name));
    }
  }
  if (!definition.predicate) return;
  for (const auto& condition : definition.predicate->conditions) {
    if (condition.job_name) {
      add_edge(graph, action_node(graph, NodeType::JOB, *condition.job_name), trigger_index);
    }
    if (condition.crawler_name) {
      add_edge(graph, action_node(graph, NodeType::CRAWLER, *condition.crawler_name),
               trigger_index);
    }
  }
}

nlohmann::json node_json(const GraphNode& node) {
  return {{"Type", to_string(node.type)}, {"Name", node.name}, {"UniqueId", node.unique_id}};
}

nlohmann::json edges_json(const Graph& graph) {
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& edge : graph.edges) {
    edges.push_back({{"SourceId", graph.nodes[edge.source].unique_id},
                     {"DestinationId", graph.nodes[edge.destination].unique_id}});
  }
  return edges;
}

}  // namespace

std::optional<std::uint32_t> Graph::find(NodeType type, const std::string& name) const {
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].type == type && nodes[i].name == name) return i;
  }
  return std::nullopt;
}

Graph Glue::build_graph(const std::string& workflow_name) const {
  Graph graph;
  for (const auto& [name, trigger] : triggers_) {
    if (trigger->definition.workflow_name != workflow_name) continue;
    GraphNode node;
    node.type = NodeType::TRIGGER;
    node.name = name;
    node.trigger = std::make_shared<const TriggerDefinition>(trigger->definition);
    graph.nodes.push_back(std::move(node));
    if (is_start_type(trigger->definition.type)) {
      graph.start_trigger = static_cast<std::uint32_t>(graph.nodes.size() - 1);
    }
  }
  const auto trigger_count = static_cast<std::uint32_t>(graph.nodes.size());
  for (std::uint32_t i = 0; i < trigger_count; ++i) add_trigger_edges(graph, i);
  std::sort(graph.edges.begin(), graph.edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return std::tie(a.source, a.destination) < std::tie(b.source, b.destination);
  });
  for (auto& node : graph.nodes) node.unique_id = node_id(workflow_name, node.type, node.name);
  // Every run keeps its snapshot, so the spare capacity of the growing vectors goes.
  graph.nodes.shrink_to_fit();
  graph.edges.shrink_to_fit();
  return graph;
}

std::string Glue::node_id(const std::string& workflow_name, NodeType type,
                          const std::string& name) const {
  // The key names its parts' lengths so that no two (workflow, name) pairs run together.
  const std::string key = std::to_string(workflow_name.size()) + ":" + workflow_name + "|" +
                          std::string(to_string(type)) + "|" + name;
  std::string id = "wnode_";
  std::uint64_t hash = sim::stable_hash_continue(node_id_secret_, key);
  for (int part = 0; part < 4; ++part) {
    char digits[17];
    std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(hash));
    id += digits;
    hash = sim::stable_hash_continue(hash, key);
  }
  return id;
}

// A trigger node shows its definition (the snapshot's, in a run) with the live trigger's
// state and id; a trigger deleted since the snapshot shows CREATED and its name as id.
nlohmann::json Glue::trigger_details_json(const GraphNode& node) const {
  const auto found = triggers_.find(node.name);
  const TriggerState state =
      found == triggers_.end() ? TriggerState::CREATED : found->second->state();
  const std::string id = found == triggers_.end() ? node.name : found->second->id;
  return {{"Trigger", trigger_json(*node.trigger, id, state)}};
}

nlohmann::json Glue::static_graph_json(const Graph& graph) const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& node : graph.nodes) {
    nlohmann::json entry = node_json(node);
    if (node.type == NodeType::TRIGGER) {
      entry["TriggerDetails"] = trigger_details_json(node);
    }
    nodes.push_back(std::move(entry));
  }
  return {{"Nodes", std::move(nodes)}, {"Edges", edges_json(graph)}};
}

nlohmann::json Glue::run_graph_json(const WorkflowRun& run) const {
  nlohmann::json nodes = nlohmann::json::array();
  for (std::size_t i = 0; i < run.graph.nodes.size(); ++i) {
    const GraphNode& node = run.graph.nodes[i];
    const RunNode& details = run.nodes[i];
    nlohmann::json entry = node_json(node);
    if (node.type == NodeType::TRIGGER) {
      entry["TriggerDetails"] = trigger_details_json(node);
    } else if (node.type == NodeType::JOB && !details.job_runs.empty()) {
      nlohmann::json job_runs = nlohmann::json::array();
      for (const JobRun* job_run : details.job_runs)
        job_runs.push_back(job_run_json(*job_run, true));
      entry["JobDetails"] = {{"JobRuns", std::move(job_runs)}};
    } else if (node.type == NodeType::CRAWLER && !details.crawls.empty()) {
      nlohmann::json crawls = nlohmann::json::array();
      for (const Crawl* crawl : details.crawls) crawls.push_back(crawl_json(*crawl));
      entry["CrawlerDetails"] = {{"Crawls", std::move(crawls)}};
    }
    nodes.push_back(std::move(entry));
  }
  return {{"Nodes", std::move(nodes)}, {"Edges", edges_json(run.graph)}};
}

}  // namespace wfsim::models::glue
