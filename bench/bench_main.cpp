// Google Benchmark of the hot paths. The graph comes from $CHOKEPOINT_BENCH_GRAPH (default: the
// shipped dataset); generate a big one with bench/generate.py.
//   build/chokepoint_bench --benchmark_filter=Load
//   CHOKEPOINT_BENCH_GRAPH=bench/out/synthetic-100000.yaml build/chokepoint_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "graph/loader.hpp"

namespace {

std::string graph_path() {
  const char* p = std::getenv("CHOKEPOINT_BENCH_GRAPH");
  return p ? p : "data/ai-supply-chain.yaml";
}

void BM_LoadGraph(benchmark::State& state) {
  std::string path = graph_path();
  for (auto _ : state) {
    chokepoint::SourceFiles files;
    chokepoint::Diagnostics diags;
    auto model = chokepoint::load_graph(path, files, diags);
    if (!model) state.SkipWithError("graph did not load");
    benchmark::DoNotOptimize(model);
  }
}
BENCHMARK(BM_LoadGraph)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
