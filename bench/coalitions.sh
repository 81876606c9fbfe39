#!/usr/bin/env bash
# The main job's coalition runs (scripts/main.sh): China against every candidate, below 0.25,
# without and with the FDPR, from scratch and on today's controls, and the sweep with 100
# samples, each writing its report set. Timed as a whole (goal: under 0.6 s together):
#   farm-bench -n 10 -- bench/coalitions.sh
#   farm-bench -n 10 --vs 'bench/coalitions.sh /tmp/old-chokepoint' -- bench/coalitions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/chokepoint}
data=data/ai-supply-chain.yaml
controls=data/scenarios/controls-2025.yaml
made_with="'tool-maker' in tags or kind in ['equipment', 'lithography', 'eda']"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for fdpr in "" --fdpr; do
  for base in "" "$controls"; do
    $bin coalitions "$data" --against CN --below 0.25 --items "not attrs.published" $fdpr \
      ${fdpr:+--made-with "$made_with"} ${base:+-s "$base"} -q --out-dir "$out/${fdpr}${base:+-b}"
  done
done
$bin coalitions "$data" --against CN --items "not attrs.published" --fdpr --made-with "$made_with" \
  -s "$controls" --sweep --samples 100 -q --out-dir "$out/sweep"
