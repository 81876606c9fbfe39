// Notes and provenance come from one place (exporters/report/notes.hpp): the JSON and the report
// model give the same notes for the same result, each in its own words.
#include "exporters/report/notes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "exporters/json_report.hpp"
#include "exporters/markdown.hpp"
#include "exporters/report/report.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

TEST(NotesTest, JsonAndMarkdownGiveTheSameNotesOfAnAnalysis) {
  Model model = testing::must_load(R"(
nodes:
  - {id: s, kind: firm, jurisdiction: US}
  - {id: t, kind: chip, target: true, suppliers: [s]}
)");
  Analysis a = analyze(model, std::nullopt, AnalysisOptions{});
  // Every condition a note is given for, as a long run would meet them.
  a.capacity_budget_hit = true;
  ASSERT_FALSE(a.cut_sets.empty());
  a.cut_sets[0].budget_hit = true;
  a.cut_options.max_work = 123;
  a.cut_options.by_jurisdiction = true;
  a.metrics.betweenness_sampled = true;
  a.metrics.betweenness_samples = 512;
  auto notes = report::analysis_notes(a);
  ASSERT_EQ(notes.size(), 4u);

  std::ostringstream json;
  write_analysis_json(json, a);
  auto written = nlohmann::json::parse(json.str())["notes"];
  ASSERT_EQ(written.size(), notes.size());
  for (std::size_t i = 0; i < notes.size(); ++i) EXPECT_EQ(written[i], report::clause(notes[i]));
  EXPECT_EQ(written[0],
            "a dependency loop could not be solved within its bound; its capacities are upper "
            "bounds");
  EXPECT_EQ(written[3],
            "betweenness estimated from 512 sampled sources (exact above 20000 nodes, or nodes x "
            "edges above 2e8, would take too long)");

  std::ostringstream md;
  write_markdown(md, report::analysis_report(a, nullptr, report::Options{}));
  EXPECT_NE(md.str().find("> Note: A dependency loop could not be solved within its bound; its "
                          "capacities are upper bounds.\n"),
            std::string::npos);
  EXPECT_NE(md.str().find("> Note: The cut-set search used up its work budget of 123 "
                          "evaluations"),
            std::string::npos);
  EXPECT_NE(md.str().find("Betweenness was estimated from 512 sampled sources."),
            std::string::npos);
}

TEST(NotesTest, ProvenanceIsTheModelsAndTheFilesRead) {
  Model model = testing::must_load(R"(
nodes:
  - {id: s, kind: firm}
  - {id: t, kind: chip, target: true, suppliers: [s]}
)");
  auto p = report::provenance(model, {InputFile{"graph", "g.yaml", "abc"}});
  EXPECT_EQ(p.nodes, 2u);
  EXPECT_EQ(p.edges, 1u);
  EXPECT_EQ(p.targets, 1u);
  EXPECT_EQ(p.inputs.size(), 1u);
  EXPECT_EQ(p.version, CHOKEPOINT_VERSION);
}

}  // namespace
}  // namespace chokepoint
