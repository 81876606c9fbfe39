#include "exporters/report/notes.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace chokepoint::report {

namespace {

void add_if(std::vector<Note>& notes, bool applies, Note note) {
  if (applies) notes.push_back(note);
}

void add_view(std::vector<Note>& notes, const Analysis& a) {
  if (a.viewed_as) notes.push_back({Note::Kind::in_view, 0, 0, a.viewed_as->name});
}

}  // namespace

std::vector<Note> analysis_notes(const Analysis& a) {
  std::vector<Note> notes;
  add_view(notes, a);
  add_if(notes, a.capacity_budget_hit, {Note::Kind::capacity_bound});
  add_if(notes, cut_memory_targets(a.cut_sets) > 0,
         {Note::Kind::cut_memory, cut_memory_targets(a.cut_sets)});
  add_if(notes, cut_budget_ran_out(a.cut_sets), {Note::Kind::cut_budget, a.cut_options.max_work});
  add_if(notes, a.cut_options.by_jurisdiction && !a.cut_sets.empty(),
         {Note::Kind::cuts_by_jurisdiction});
  add_if(notes, a.metrics.betweenness_sampled,
         {Note::Kind::betweenness_sampled, a.metrics.betweenness_samples});
  return notes;
}

std::vector<Note> whatif_notes(const Analysis& a) {
  std::vector<Note> notes;
  add_view(notes, a);
  add_if(notes, a.capacity_budget_hit, {Note::Kind::capacity_bound});
  return notes;
}

std::vector<Note> decouple_notes(const DecoupleResult& r) {
  std::vector<Note> notes;
  add_if(notes, r.budget_hit, {Note::Kind::capacity_bound});
  return notes;
}

std::vector<Note> coalitions_notes(const CoalitionResult& r) {
  std::vector<Note> notes;
  add_if(notes, r.budget_hit, {Note::Kind::capacity_bound});
  add_if(notes, !r.exact && r.samples > 0,
         {Note::Kind::indices_sampled, r.samples, r.candidates.size()});
  add_if(notes, r.stopped,
         {Note::Kind::coalition_budget, r.max_views,
          r.exact || r.targets.empty() || r.targets[0].shapley.empty() ? 0 : r.samples});
  return notes;
}

std::vector<Note> timeline_notes(const TimelineResult& r) {
  std::vector<Note> notes;
  add_if(notes, r.budget_hit, {Note::Kind::capacity_bound});
  return notes;
}

std::vector<Note> uncertainty_notes(const UncertaintyResult& r) {
  std::vector<Note> notes;
  add_if(notes, r.budget_hit, {Note::Kind::capacity_bound});
  return notes;
}

std::vector<Note> compare_notes(const Comparison& r) {
  std::vector<Note> notes;
  add_if(notes, r.budget_hit, {Note::Kind::capacity_bound});
  return notes;
}

std::string sentence(const Note& n) {
  switch (n.kind) {
    case Note::Kind::capacity_bound:
      return "A dependency loop could not be solved within its bound; its capacities are upper "
             "bounds.";
    case Note::Kind::cut_budget:
      return fmt::format(
          "The cut-set search used up its work budget of {} evaluations (--cut-budget, an equal "
          "share per target): the targets marked so may have more cut sets.",
          n.count);
    case Note::Kind::indices_sampled:
      return fmt::format(
          "{} candidates: the power indices are estimated from {} sampled permutations "
          "(Shapley–Shubik) and {} sampled coalitions (Banzhaf), with a fixed seed.",
          n.of, n.count, n.count);
    case Note::Kind::in_view:
      return fmt::format(
          "Judged in {0}'s view: the targets are {0}'s (located there or without jurisdiction), "
          "and what a removal costs, cut sets and severity measure what {0} loses, at the values "
          "it can get under the scenario (its own sourcing, the controls against it). A node "
          "removed is removed for everyone; {0}'s denials are then decided again.",
          n.side);
    case Note::Kind::cut_memory:
    case Note::Kind::coalition_budget: {  // the clause as a sentence
      std::string text = clause(n);
      text[0] = 'T';
      return text + ".";
    }
    case Note::Kind::cuts_by_jurisdiction:
    case Note::Kind::betweenness_sampled:
      return "";
  }
  return "";
}

std::string section_sentence(const Note& n) {
  if (n.kind == Note::Kind::betweenness_sampled)
    return fmt::format("Betweenness was estimated from {} sampled sources.", n.count);
  return "";
}

std::string clause(const Note& n) {
  switch (n.kind) {
    case Note::Kind::capacity_bound:
      return "a dependency loop could not be solved within its bound; its capacities are upper "
             "bounds";
    case Note::Kind::cut_budget:
      return fmt::format(
          "the cut-set search used up its work budget of {} evaluations (--cut-budget, an equal "
          "share per target); lists marked budget_hit may miss sets",
          n.count);
    case Note::Kind::cut_memory:
      return cut_memory_clause(n.count);
    case Note::Kind::cuts_by_jurisdiction:
      return "cut sets by jurisdiction model countries removed (a disruption: every node located "
             "there is gone); which countries must join a control for it to bite is `chokepoint "
             "coalitions`";
    case Note::Kind::betweenness_sampled:
      return fmt::format(
          "betweenness estimated from {} sampled sources (exact above {} nodes, or nodes x edges "
          "above 2e8, would take too long)",
          n.count, kExactBetweennessLimit);
    case Note::Kind::in_view:
      return fmt::format(
          "judged in {}'s view: its targets, at their values in its view; removals are for "
          "everyone, its denials decided again",
          n.side);
    case Note::Kind::indices_sampled:
      return fmt::format(
          "power indices estimated from {} sampled permutations and {} sampled coalitions ({} "
          "candidates, above {})",
          n.count, n.count, n.of, kExactCoalitionCandidates);
    case Note::Kind::coalition_budget:
      return fmt::format(
          "the search stopped at its budget of {} views (--budget): the minimal coalitions listed "
          "win and need every member, but others may be missing; {}",
          n.count,
          n.of ? fmt::format("the power indices come from {} samples only", n.of)
               : std::string("the power indices were not computed"));
  }
  return "";
}

Provenance provenance(const Model& model, const std::vector<InputFile>& inputs) {
  Provenance p;
  p.graph_files = model.files;
  p.nodes = model.nodes.size();
  p.edges = model.edge_count;
  p.targets = model.targets.size();
  p.inputs = inputs;
  return p;
}

}  // namespace chokepoint::report
