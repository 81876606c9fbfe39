// What a reader must know to trust a result, and where it came from — once, for every format:
// the notes that apply to each kind of result (a loop solved only to a bound, a search that ran
// out of budget, sampled estimates) and the provenance facts (input, its size, the files read
// with their checksums, the tool). The report model words the notes as sentences; the JSON as
// short clauses under "notes".
#pragma once

#include <string>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/compare.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/input/provenance.hpp"

namespace chokepoint::report {

struct Note {
  enum class Kind {
    capacity_bound,        // a dependency loop solved only to its bound: upper bounds
    cut_budget,            // the cut-set search used up its budget (count: the budget)
    cut_memory,            // cut-set searches stopped at their memory limit (count: targets)
    cuts_by_jurisdiction,  // cut sets of jurisdictions are disruptions, not controls
    betweenness_sampled,   // betweenness estimated (count: the sources sampled)
    indices_sampled,       // coalition power indices estimated (count: samples; of: candidates)
    coalition_budget,      // the coalition search stopped at its budget (count: views; of:
                           // samples behind the indices, or 0 for none)
    in_view,               // judged in one side's view (--view; side: its name)
  } kind;
  std::size_t count = 0;
  std::size_t of = 0;
  std::string side;

  Note(Kind kind, std::size_t count = 0, std::size_t of = 0, std::string side = {})
      : kind(kind), count(count), of(of), side(std::move(side)) {}
};

// The notes of each kind of result, in the order reports give them.
std::vector<Note> analysis_notes(const Analysis& analysis);
std::vector<Note> whatif_notes(const Analysis& analysis);  // also --rank's
std::vector<Note> decouple_notes(const DecoupleResult& result);
std::vector<Note> coalitions_notes(const CoalitionResult& result);
std::vector<Note> timeline_notes(const TimelineResult& result);
std::vector<Note> uncertainty_notes(const UncertaintyResult& result);
std::vector<Note> compare_notes(const Comparison& result);

// The note as a sentence of a report's notes; empty for a note a report gives in its section
// instead (betweenness, cut sets by jurisdiction).
std::string sentence(const Note& note);
// The note as the JSON's "notes" give it.
std::string clause(const Note& note);
// The section's sentence for a note a report gives in its section (betweenness).
std::string section_sentence(const Note& note);

// Where a result came from: the graph, its size, every file read with its SHA-256, the tool.
struct Provenance {
  std::vector<std::string> graph_files;
  std::size_t nodes = 0, edges = 0, targets = 0;
  std::vector<InputFile> inputs;
  std::string tool = "chokepoint";
  std::string version = CHOKEPOINT_VERSION;
};
Provenance provenance(const Model& model, const std::vector<InputFile>& inputs);

}  // namespace chokepoint::report
