#!/usr/bin/env bash
# The main job: validate the AI supply-chain dataset and analyse it into out/ (or $1), on the
# realistic baseline of the export controls in force in June 2025 (controls-2025.yaml): the full
# report set (report.md, report.json, nodes.csv, graph.dot, graph.svg, report.html) with the
# leverage of the equipment-controls coalition (US, NL, JP) over China on the items a control can
# reach (not published, not smuggled), a what-if per shipped
# scenario, the decoupling of the US-allied bloc and China (on the June 2025 controls),
# timelines, and the coalitions a
# control on China needs (from scratch and on top of the June 2025 controls, with and without FDPR;
# across thresholds); the report in China's view (out/china-view); the shipped scenarios side by
# side on the June 2025 controls (out/compare); the uncertainty of every headline (bands and
# tornadoes).
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
# What a control can reach: not published data and code (outside export control), not the
# smuggled chips that evade it, not compute rented abroad or models used over an API (remote
# access is not an export), not parts built into foreign tools (a US laser in a Dutch scanner is
# exported to the Netherlands; only the de minimis rule reaches it).
controllable="kind not in ['firm', 'power', 'cloud'] and not attrs.published and not attrs.evades_controls and not attrs.remote_access and not attrs.tool_part"
# Every report's bands from the same 1000 samples (seed 1) as the uncertainty report's, so that a
# band reads the same in every file (the default of analyze and compare is 200).
samples="--samples 1000"
# What makes a foreign item subject to the FDPR: US tools and EDA, not US parts built into a
# foreign tool (those are US content, the de minimis rule's reach).
made_with="('tool-maker' in tags or kind in ['equipment', 'lithography', 'eda']) and not attrs.tool_part"
$bin validate "$data" -s "$controls"
$bin analyze "$data" -s "$controls" --between us-nl-jp --and CN --fdpr --items "$controllable" \
  --made-with "$made_with" \
  $samples --out-dir "$out"
# The same in China's view: China's targets at what it can still get, its own choke points.
$bin analyze "$data" -s "$controls" --view CN $samples --out-dir "$out/china-view"
for s in "$examples"/scenarios/*.yaml; do
  $bin whatif "$data" -s "$s" $samples -o "$out/whatif-$(basename "$s" .yaml).md"
done
# On top of the June 2025 controls: the levers they already pull (HBM, TSMC's dies) are not
# counted again.
$bin decouple "$data" --between us-allies --and CN --fdpr --items "$controllable" \
  --made-with "$made_with" \
  -s "$controls" -o "$out/decouple-us-allies-cn.md"
# Month by month: the June 2025 controls alone (the static report's 10 % for China's accelerators is
# the trough between the pre-rule HBM running out and CXMT's HBM3 ramp); Taiwan offline for a
# year under the June 2025 controls (the baseline, which outlives it); the allied embargo with
# substitution.
$bin timeline "$data" -s "$controls" --ramp none --perspective CN \
  --out-dir "$out/timeline-controls-2025"
$bin timeline "$data" --baseline "$controls" -s "$examples"/scenarios/taiwan-12-months.yaml \
  --ramp none --perspective CN --perspective US --out-dir "$out/timeline-taiwan-12-months"
# Two readings of substitution bound the answer: only the substitutes the data models with their
# own inputs (--ramp none, the lower bound), and the substitution_years of every item assumed to
# need nothing, rising over their years (--ramp linear, the upper bound).
$bin timeline "$data" -s "$examples"/scenarios/embargo-cn-fdpr.yaml --ramp none \
  --out-dir "$out/timeline-allied-controls"
$bin timeline "$data" -s "$examples"/scenarios/embargo-cn-fdpr.yaml --ramp linear \
  --out-dir "$out/timeline-allied-controls-assumed-substitutes"
# Which countries must join a control on China (of every item a control can reach) to push a
# Chinese target below a quarter of its capacity (the installed fleets keep it from being lost),
# without and with the FDPR, from scratch and on top of the June 2025 controls.
for fdpr in "" --fdpr; do
  for base in "" "$controls"; do
    name=coalitions-cn${fdpr:+-fdpr}${base:+-on-controls-2025}
    $bin coalitions "$data" --against CN --below 0.25 --items "$controllable" $fdpr \
      ${fdpr:+--made-with "$made_with"} \
      ${base:+-s "$base"} --out-dir "$out/$name"
  done
done
# The same question at every bar (lost, below 0.1 ... 0.9), on the June 2025 controls with the FDPR,
# with how often each coalition still wins over 100 samples of the dataset's ranges.
$bin coalitions "$data" --against CN --items "$controllable" --fdpr \
  --made-with "$made_with" \
  -s "$controls" --sweep --samples 100 --out-dir "$out/coalitions-cn-fdpr-on-controls-2025-sweep"
# The 2023 question: which countries must join a control on fab tools (not the parts built into
# them, not grid equipment) for China's advanced-node fabs to lose new tools, at every bar, with
# the FDPR, from the graph as written. Who had to join the US's 2022 rules is the answer at
# "lost"; the sweep shows how it changes with the bar. Then the same with US content counted as
# the US's reach (its parts inside foreign tools, at de minimis 0: how the US reached Dutch
# immersion scanners in its October 2023 rule).
sme="kind in ['lithography', 'equipment'] and not attrs.grid_equipment and not attrs.tool_part"
$bin coalitions "$data" --against CN --target cn-advanced-fab-tools --items "$sme" --fdpr \
  --made-with "$made_with" --sweep --samples 100 --out-dir "$out/coalitions-cn-fab-tools"
$bin coalitions "$data" --against CN --target cn-advanced-fab-tools --items "$sme" --fdpr \
  --made-with "'tool-maker' in tags or 'tool-part-maker' in tags or kind in ['equipment', 'lithography', 'eda']" \
  --de-minimis 0 --samples 100 --out-dir "$out/coalitions-cn-fab-tools-us-content"
# The shipped scenarios side by side on the June 2025 controls: what each costs each side, in its view.
alternatives=()
for s in "$examples"/scenarios/*.yaml; do
  [ "$s" = "$controls" ] || alternatives+=("$s")
done
$bin compare "$data" --baseline "$controls" "${alternatives[@]}" $samples --out-dir "$out/compare"
# How sure the headlines are: bands and tornadoes of every target under the June 2025 controls, in
# every controlled side's view and the US's.
$bin uncertainty "$data" -s "$controls" --view US $samples --out-dir "$out/uncertainty"
# out/index.html: every report with the question it answers.
{
  printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
  printf '<title>chokepoint: the AI compute supply chain, June 2025</title>\n'
  printf '<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}'
  printf 'li{margin:.3em 0}code{font-size:90%%}</style></head><body>\n'
  printf '<h1>The AI compute supply chain under the export controls of June 2025</h1>\n'
  printf '<p>Reports of <code>%s</code>, made by <code>scripts/main.sh</code>. Each opens with a ' "$data"
  printf 'summary and the assumptions that drive it.</p>\n<ul>\n'
  item() { printf '<li><a href="%s">%s</a>: %s</li>\n' "$1" "$1" "$2"; }
  item report.html "Where are the choke points, and what do the June 2025 controls cost each side (world view; leverage and exposure of the US, Netherlands and Japan against China)?"
  item china-view/report.html "The same in China's view: what China can still get, and its own choke points."
  item compare/compare.html "What each shipped scenario costs each side, side by side, each on top of the June 2025 controls."
  item uncertainty/uncertainty.html "How sure are the headlines: bands, and which numbers move them most."
  item timeline-controls-2025/timeline.html "Month by month: the June 2025 controls alone (the EDA requirement lifted in July ends at month 1), from no controls, in China's view: stocks drawn down, fleets ageing, CXMT's HBM3 ramping. The static reports' value for China's accelerators is this chart's trough, not its lasting level."
  item timeline-taiwan-12-months/timeline.html "Month by month: Taiwan offline for a year, with the June 2025 controls in place throughout (stocks drawn down; only the substitutes the data models with their own inputs)."
  item timeline-allied-controls/timeline.html "Month by month: an allied embargo on China from no controls (not on top of the June 2025 controls), with only the substitutes the data models with their own inputs (SMEE immersion scanners, CXMT HBM3): the lower bound of recovery."
  item timeline-allied-controls-assumed-substitutes/timeline.html "The same with every item's substitution time assumed, its substitute needing nothing and rising over its years: the upper bound of recovery for the items that have a substitution time (about 70 of the graph's 362 nodes; service and spares, DRAM and NAND have none, so targets held by them do not recover), an assumption, not a forecast."
  for c in coalitions-cn coalitions-cn-fdpr coalitions-cn-on-controls-2025 coalitions-cn-fdpr-on-controls-2025; do
    how=""
    case $c in *fdpr*) how=", with the foreign direct product rule" ;; esac
    case $c in *controls-2025) how="$how, on top of the June 2025 controls" ;; *) how="$how, from scratch" ;; esac
    item "$c/coalitions.html" "Which countries must join a control on China to push its targets below a quarter of their full capacity (the graph as written, nothing denied)$how?"
  done
  item coalitions-cn-fdpr-on-controls-2025-sweep/coalitions.html "The same at every bar, from lost to 0.9, and how often each coalition still wins across the data's ranges."
  item coalitions-cn-fab-tools/coalitions.html "The 2023 question: which countries must join a control on fab tools for China's advanced-node fabs to lose their new tools, at every bar and across the data's ranges, with the FDPR reaching foreign tools made with US tools (not US parts inside them: the US makes no scanner, so at \"lost\" the Netherlands and Japan must join)."
  item coalitions-cn-fab-tools-us-content/coalitions.html "The same with US parts inside foreign tools counted (Cymer's lasers in Dutch and Japanese scanners, at de minimis 0): the reach the US claimed over Dutch immersion scanners in October 2023, which makes the US enough alone. An upper bound: the data does not split a maker's scanners by laser (60 % of DUV lasers are Cymer's), so every scanner of a maker that uses them counts as carrying US content, Nikon's among them, where the 2023 claim named certain ASML models."
  item decouple-us-allies-cn.md "If the US-allied bloc and China decoupled on top of the June 2025 controls, what would each keep, and, for a target the decoupling loses, how long would substitution take (a target only degraded has no such time)? What China can withhold is larger here than in the main report's leverage of the US, Netherlands and Japan: a Chinese control against this bloc, which has Korea and Taiwan in it, reaches their fabs' neon and memory; one against the three does not."
  for s in "$examples"/scenarios/*.yaml; do
    name=$(sed -n 's/^  name: *//p' "$s" | head -1 | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')
    item "whatif-$(basename "$s" .yaml).md" "What \"${name:-$(basename "$s" .yaml)}\" alone does to each side's targets, from no controls, and why (compare.html shows it on the June 2025 controls)."
  done
  printf '</ul>\n</body></html>\n'
} > "$out/index.html"
echo "open $out/index.html in a browser"
