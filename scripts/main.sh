#!/usr/bin/env bash
# The main job: validate the AI supply-chain dataset and analyse it into out/ (Markdown and JSON
# for the baseline and each shipped scenario, plus the decoupling of the US-allied bloc and China).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
data=data/ai-supply-chain.yaml
out=${1:-out}
mkdir -p "$out"
$bin validate "$data"
$bin analyze "$data" -o "$out/report.md"
$bin analyze "$data" --format json -o "$out/report.json"
for s in data/scenarios/*.yaml; do
  name=$(basename "$s" .yaml)
  $bin whatif "$data" -s "$s" -o "$out/whatif-$name.md"
done
$bin decouple "$data" --between us-allies --and CN --fdpr -o "$out/decouple-us-allies-cn.md"
echo "wrote $(ls "$out" | wc -l) files to $out/"
