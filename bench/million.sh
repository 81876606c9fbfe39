#!/usr/bin/env bash
# The one-million-node goals (issue 16): `validate` against the yaml-cpp event-parser floor and
# `analyze --order 1` in at most 30 s and 1.3 GB, on the synthetic graph of seed 1 (187 MB,
# generated once into bench/out/). Run after a Release build, with nothing else running:
#   scripts/build.sh && bench/million.sh [NODES]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
out=bench/out
mkdir -p "$out"
n=${1:-1000000}
. bench/measure.sh

g="$out/synthetic-$n.yaml"
[ -f "$g" ] || python3 bench/generate.py --nodes "$n" --seed 1 > "$g"
echo "| command | wall | peak RSS |"
echo "|---|---:|---:|"
measure "validate synthetic $n" $bin validate -q "$g"
measure "  yaml-cpp event-parser floor" build/chokepoint_yaml_floor "$g"
measure "  validate on one thread" env CHOKEPOINT_THREADS=1 $bin validate -q "$g"
measure "analyze synthetic $n, cut order 1, JSON" $bin analyze "$g" --order 1 --format json -o "$out/million.json"
measure "  the same on one thread" env CHOKEPOINT_THREADS=1 $bin analyze "$g" --order 1 --format json -o "$out/million-1.json"
cmp -s "$out/million.json" "$out/million-1.json" || { echo "the reports on one and two threads differ"; exit 1; }
echo "(reports on one and two threads: identical, $(stat -c %s "$out/million.json") bytes)"
