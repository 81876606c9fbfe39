#!/usr/bin/env bash
# Whole-command benchmarks: generates synthetic graphs (bench/generate.py) and times chokepoint
# commands on them and on the shipped dataset, with peak memory (GNU time). Run after a Release
# build:  scripts/build.sh && bench/run.sh [SIZES...]   (default sizes: 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
out=bench/out
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)

. bench/measure.sh

echo "| command | wall | peak RSS |"
echo "|---|---:|---:|"
d=data/ai-supply-chain.yaml
measure "validate dataset" $bin validate $d
measure "analyze dataset, cut order 2" $bin analyze $d --format json -o "$out/r.json"
measure "analyze dataset, cut order 3" $bin analyze $d --order 3 --format json -o "$out/r.json"
measure "analyze dataset, FDPR scenario" $bin analyze $d -s data/scenarios/embargo-cn-fdpr.yaml --format json -o "$out/r.json"
measure "whatif --rank --order 2 dataset" $bin whatif $d --rank --order 2 --format json -o "$out/r.json"
measure "decouple us-allies/CN --fdpr dataset" $bin decouple $d --between us-allies --and CN --fdpr -o "$out/r.md"
c=data/scenarios/controls-2025.yaml
measure "analyze dataset on controls-2025 --out-dir" $bin analyze $d -s $c --between us-nl-jp --and CN --fdpr --out-dir "$out/set"
measure "coalitions CN --fdpr dataset" $bin coalitions $d --against CN --fdpr --format json -o "$out/r.json"
measure "coalitions CN on controls-2025 (below 0.25)" $bin coalitions $d --against CN --fdpr -s $c --below 0.25 --format json -o "$out/r.json"
measure "timeline taiwan 12 months on controls-2025" $bin timeline $d --baseline $c -s data/scenarios/taiwan-12-months.yaml --format json -o "$out/r.json"
measure "timeline 60 months, CN and US views, dataset" $bin timeline $d --baseline $c -s data/scenarios/taiwan-12-months.yaml --perspective CN --perspective US --months 60 --format json -o "$out/r.json"
measure "main job (scripts/main.sh)" scripts/main.sh "$out/main"
g420="$out/synthetic-420.yaml"
[ -f "$g420" ] || python3 bench/generate.py --nodes 420 --seed 7 > "$g420"
measure "analyze synthetic 420, cut order 2" $bin analyze "$g420" --format json -o "$out/r.json"
measure "analyze synthetic 420, cut order 3" $bin analyze "$g420" --order 3 --format json -o "$out/r.json"
measure "analyze synthetic 420, cut order 4" $bin analyze "$g420" --order 4 --format json -o "$out/r.json"
measure "analyze dataset, cut order 4" $bin analyze $d --order 4 --format json -o "$out/r.json"
g10k="$out/synthetic-10000.yaml"
[ -f "$g10k" ] || python3 bench/generate.py --nodes 10000 --seed 1 > "$g10k"
measure "analyze synthetic 10000, cut order 3" $bin analyze "$g10k" --order 3 --format json -o "$out/r.json"
measure "render synthetic 420 (dot)" $bin render "$g420" -o "$out/r.svg"
measure "render synthetic 10000 (overview by stage)" $bin render "$g10k" -o "$out/r.svg"
measure "render synthetic 10000 --max-nodes 20000 (sfdp)" $bin render "$g10k" -o "$out/r.svg" --max-nodes 20000
for n in "${sizes[@]}"; do
  g="$out/synthetic-$n.yaml"
  [ -f "$g" ] || python3 bench/generate.py --nodes "$n" --seed 1 > "$g"
  measure "validate synthetic $n" $bin validate "$g"
  measure "  yaml-cpp event-parser floor (bench/yaml_floor.cpp)" build/chokepoint_yaml_floor "$g"
  [ -x build/chokepoint_libyaml_floor ] &&
    measure "  libyaml event-scan floor (bench/libyaml_floor.cpp)" build/chokepoint_libyaml_floor "$g"
  measure "analyze synthetic $n, cut order 1" $bin analyze "$g" --order 1 --format json -o "$out/r.json"
  measure "whatif --rank --order 1 synthetic $n" $bin whatif "$g" --rank --format json -o "$out/r.json"
  measure "  the same on one thread" env CHOKEPOINT_THREADS=1 $bin whatif "$g" --rank --format json -o "$out/r.json"
  measure "whatif embargo (causes of loss) synthetic $n" $bin whatif "$g" --embargo 'west>east' --format json -o "$out/r.json"
  measure "timeline 60 months, 2 views, embargo 12 months, synthetic $n" $bin timeline "$g" --embargo 'west>east' --for 12 --perspective east --perspective west --months 60 --format json -o "$out/r.json"
done
