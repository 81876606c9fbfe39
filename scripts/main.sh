#!/usr/bin/env bash
# The main job: validate the AI supply-chain dataset and analyse it into out/ (or $1): the full
# report set (report.md, report.json, nodes.csv, graph.dot, graph.svg, report.html), a what-if
# per shipped scenario, and the decoupling of the US-allied bloc and China.
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
echo "open $out/report.html in a browser"
