// Google Benchmark of the hot paths. The graph comes from $CHOKEPOINT_BENCH_GRAPH (default: the
// shipped dataset); generate a big one with bench/generate.py.
//   build/chokepoint_bench
//   CHOKEPOINT_BENCH_GRAPH=bench/out/synthetic-100000.yaml build/chokepoint_bench
// BM_Uncertainty samples the graph under $CHOKEPOINT_BENCH_SCENARIO (default: the 2025 controls)
// in four views: the world, the controls' sides and the US.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"
#include "rules/rule_set.hpp"

namespace {

using namespace chokepoint;

std::string graph_path() {
  const char* p = std::getenv("CHOKEPOINT_BENCH_GRAPH");
  return p ? p : "data/ai-supply-chain.yaml";
}

const Model& model() {
  static Model m = [] {
    SourceFiles files;
    Diagnostics diags;
    auto loaded = load_graph(graph_path(), files, diags);
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return m;
}

void BM_LoadGraph(benchmark::State& state) {
  std::string path = graph_path();
  for (auto _ : state) {
    SourceFiles files;
    Diagnostics diags;
    auto loaded = load_graph(path, files, diags);
    if (!loaded) state.SkipWithError("graph did not load");
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadGraph)->Unit(benchmark::kMillisecond);

void BM_CapacityEvaluate(benchmark::State& state) {
  CapacityEngine engine(model());
  CapacityInputs in(model().nodes.size());
  for (auto _ : state) benchmark::DoNotOptimize(engine.evaluate(in));
}
BENCHMARK(BM_CapacityEvaluate)->Unit(benchmark::kMillisecond);

void BM_SingleRemovalEffects(benchmark::State& state) {
  CapacityEngine engine(model());
  CapacityInputs in(model().nodes.size());
  auto cap = engine.evaluate(in);
  for (auto _ : state) benchmark::DoNotOptimize(single_removal_effects(model(), in, cap));
}
BENCHMARK(BM_SingleRemovalEffects)->Unit(benchmark::kMillisecond);

void BM_Metrics(benchmark::State& state) {
  CapacityEngine engine(model());
  CapacityInputs in(model().nodes.size());
  auto cap = engine.evaluate(in);
  for (auto _ : state) benchmark::DoNotOptimize(compute_metrics(model(), in, cap));
}
BENCHMARK(BM_Metrics)->Unit(benchmark::kMillisecond);

void BM_CutSets(benchmark::State& state) {
  CapacityEngine engine(model());
  CapacityInputs in(model().nodes.size());
  auto cap = engine.evaluate(in);
  CutSetOptions options;
  options.order = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cut_sets(model(), in, cap, options));
}
BENCHMARK(BM_CutSets)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

// The default rules over every node of an analysis (metrics computed once, outside the loop).
void BM_ScoreDefaultRules(benchmark::State& state) {
  AnalysisOptions options;
  options.with_cut_sets = false;
  static Analysis a = analyze(model(), std::nullopt, options);
  SourceFiles files;
  Diagnostics diags;
  auto rules = rules::load_rules({rules::default_rules_path()}, files, diags);
  if (!rules) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(rules::score_nodes(*rules, a));
  state.counters["nodes"] = static_cast<double>(model().nodes.size());
}
BENCHMARK(BM_ScoreDefaultRules)->Unit(benchmark::kMillisecond);

void BM_Uncertainty(benchmark::State& state) {
  const char* p = std::getenv("CHOKEPOINT_BENCH_SCENARIO");
  SourceFiles files;
  Diagnostics diags;
  auto scenario = load_scenario(p ? p : "data/scenarios/controls-2025.yaml", model(), files, diags);
  auto us = perspective_of(model(), "US");
  if (!scenario || !us) std::abort();
  UncertaintyOptions options;
  options.sampling.samples = static_cast<std::size_t>(state.range(0));
  options.views = {*us};
  for (auto _ : state) benchmark::DoNotOptimize(analyze_uncertainty(model(), *scenario, options));
  state.counters["quantities"] =
      static_cast<double>(uncertain_quantities(model(), *scenario).size());
}
BENCHMARK(BM_Uncertainty)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
