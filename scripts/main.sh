#!/usr/bin/env bash
# The main job: validate the AI supply-chain dataset and analyse it into out/ (or $1), on the
# realistic baseline of the export controls in force in June 2025 (controls-2025.yaml): the full
# report set (report.md, report.json, nodes.csv, graph.dot, graph.svg, report.html) with the
# leverage of the equipment-controls coalition (US, NL, JP) over China, a what-if per shipped
# scenario, the decoupling of the US-allied bloc and China, timelines, and the coalitions a
# control on China needs (from scratch and on top of today's controls, with and without FDPR;
# across thresholds); the report in China's view (out/china-view); the uncertainty of every
# headline (bands and tornadoes).
# CHOKEPOINT_BIN and CHOKEPOINT_EXAMPLES run it on an installed package instead of the build
# tree (.ci/run does so in a clean Debian root: /usr/bin/chokepoint and
# /usr/share/chokepoint/examples, which has the dataset and scenarios/).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHOKEPOINT_BIN:-build/chokepoint}
examples=${CHOKEPOINT_EXAMPLES:-data}
data=$examples/ai-supply-chain.yaml
controls=$examples/scenarios/controls-2025.yaml
out=${1:-out}
$bin validate "$data" -s "$controls"
$bin analyze "$data" -s "$controls" --between us-nl-jp --and CN --fdpr --out-dir "$out"
# The same in China's view: China's targets at what it can still get, its own choke points.
$bin analyze "$data" -s "$controls" --view CN --out-dir "$out/china-view"
for s in "$examples"/scenarios/*.yaml; do
  $bin whatif "$data" -s "$s" -o "$out/whatif-$(basename "$s" .yaml).md"
done
$bin decouple "$data" --between us-allies --and CN --fdpr -o "$out/decouple-us-allies-cn.md"
# Month by month: Taiwan offline for a year under today's controls (the baseline, which outlives
# it); the allied embargo with substitution.
$bin timeline "$data" --baseline "$controls" -s "$examples"/scenarios/taiwan-12-months.yaml \
  --perspective CN --perspective US --out-dir "$out/timeline-taiwan-12-months"
$bin timeline "$data" -s "$examples"/scenarios/embargo-cn-fdpr.yaml --ramp linear \
  --out-dir "$out/timeline-allied-controls"
# Which countries must join a control on China (of every unpublished item) to push a Chinese
# target below a quarter of its capacity (the installed fleets keep it from being lost), without
# and with the FDPR, from scratch and on top of today's controls.
for fdpr in "" --fdpr; do
  for base in "" "$controls"; do
    name=coalitions-cn${fdpr:+-fdpr}${base:+-on-controls-2025}
    $bin coalitions "$data" --against CN --below 0.25 --items "not attrs.published" $fdpr \
      ${fdpr:+--made-with "'tool-maker' in tags or kind in ['equipment', 'lithography', 'eda']"} \
      ${base:+-s "$base"} --out-dir "$out/$name"
  done
done
# The same question at every bar (lost, below 0.1 ... 0.9), on today's controls with the FDPR,
# with how often each coalition still wins over 100 samples of the dataset's ranges.
$bin coalitions "$data" --against CN --items "not attrs.published" --fdpr \
  --made-with "'tool-maker' in tags or kind in ['equipment', 'lithography', 'eda']" \
  -s "$controls" --sweep --samples 100 --out-dir "$out/coalitions-cn-fdpr-on-controls-2025-sweep"
# How sure the headlines are: bands and tornadoes of every target under today's controls, in
# every controlled side's view and the US's.
$bin uncertainty "$data" -s "$controls" --view US --out-dir "$out/uncertainty"
echo "open $out/report.html in a browser"
