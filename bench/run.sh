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

measure() {  # label, command...
  local label=$1; shift
  local t
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$out/last.err" || { echo "failed: $*"; cat "$out/last.err"; exit 1; }
  t=$(tail -1 "$out/last.err")
  printf '| %-40s | %8s s | %8.1f MB |\n' "$label" "${t% *}" "$(echo "${t#* } / 1024" | bc -l)"
}

echo "| command | wall | peak RSS |"
echo "|---|---:|---:|"
measure "validate data/ai-supply-chain.yaml" $bin validate data/ai-supply-chain.yaml
for n in "${sizes[@]}"; do
  g="$out/synthetic-$n.yaml"
  [ -f "$g" ] || python3 bench/generate.py --nodes "$n" --seed 1 > "$g"
  measure "validate synthetic $n nodes ($(du -m "$g" | cut -f1) MB)" $bin validate "$g"
done
