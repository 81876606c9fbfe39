#!/usr/bin/env bash
# The main job: validate the AI supply-chain dataset and analyse it into out/ (or $1): the full
# report set (report.md, report.json, nodes.csv, graph.dot, graph.svg, report.html), a what-if
# per shipped scenario, the decoupling of the US-allied bloc and China, and the coalitions a
# control on China needs (with and without the FDPR).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
data=data/ai-supply-chain.yaml
out=${1:-out}
$bin validate "$data"
$bin analyze "$data" --between us-allies --and CN --fdpr --out-dir "$out"
for s in data/scenarios/*.yaml; do
  $bin whatif "$data" -s "$s" -o "$out/whatif-$(basename "$s" .yaml).md"
done
$bin decouple "$data" --between us-allies --and CN --fdpr -o "$out/decouple-us-allies-cn.md"
# Month by month: Taiwan offline for a year; the allied controls with substitution.
$bin timeline "$data" -s data/scenarios/taiwan-12-months.yaml --perspective CN --perspective US \
  --out-dir "$out/timeline-taiwan-12-months"
$bin timeline "$data" -s data/scenarios/embargo-cn-fdpr.yaml --ramp linear \
  --out-dir "$out/timeline-allied-controls"
# Which countries must join a control on China for it to bite, without and with the FDPR.
for fdpr in "" --fdpr; do
  name=coalitions-cn${fdpr:+-fdpr}
  $bin coalitions "$data" --against CN $fdpr -o "$out/$name.md"
  $bin coalitions "$data" --against CN $fdpr -o "$out/$name.html"
  $bin coalitions "$data" --against CN $fdpr -o "$out/$name.json"
done
echo "open $out/report.html in a browser"
