#!/usr/bin/env bash
# chokepoint against the straightforward Python + PyYAML + NetworkX baseline (bench/baseline.py),
# the same work side by side in one run: wall time, peak memory and the ratio. Python runs that
# exceed $TIMEOUT seconds (default 600) are stopped and shown as "> TIMEOUT s".
#   scripts/build.sh && bench/compare.sh [SIZES...]      (default: 1000 10000 100000)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
out=bench/out
timeout_s=${TIMEOUT:-600}
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)

run() {  # prints "seconds rss_mb" or "timeout"
  if /usr/bin/time -f "%e %M" -o "$out/t.txt" timeout "$timeout_s" "$@" >/dev/null 2>"$out/err.txt"; then
    awk '{printf "%s %.1f", $1, $2/1024}' "$out/t.txt"
  else
    echo "timeout"
  fi
}

row() {  # label, graph, chokepoint args..., --, python command
  local label=$1 graph=$2; shift 2
  local cargs=() ; while [ "$1" != "--" ]; do cargs+=("$1"); shift; done; shift
  local c p
  c=$(run $bin "${cargs[@]}")
  p=$(run python3 bench/baseline.py "$1" "$graph")
  local ct=${c% *} cm=${c#* } pt pm ratio
  if [ "$p" = timeout ]; then pt="> $timeout_s"; pm="–"; ratio="> $(echo "$timeout_s / $ct" | bc -l | xargs printf '%.0f')×"
  else pt=${p% *}; pm=${p#* }; ratio=$(echo "$pt / ($ct + 0.005)" | bc -l | xargs printf '%.0f')×; fi
  printf '| %-38s | %8s s | %8s MB | %10s s | %8s MB | %8s |\n' "$label" "$ct" "$cm" "$pt" "$pm" "$ratio"
}

echo "| work | chokepoint | peak | Python | peak | Python / chokepoint |"
echo "|---|---:|---:|---:|---:|---:|"
d=data/ai-supply-chain.yaml
row "validate dataset (234 nodes)" $d validate $d -- validate
row "analyze dataset" $d analyze $d --order 1 --format json -o $out/r.json -- analyze
row "rank single removals, dataset" $d whatif $d --rank --format json -o $out/r.json -- rank
for n in "${sizes[@]}"; do
  g="$out/synthetic-$n.yaml"
  [ -f "$g" ] || python3 bench/generate.py --nodes "$n" --seed 1 > "$g"
  row "validate $n nodes" "$g" validate "$g" -- validate
  row "analyze $n nodes" "$g" analyze "$g" --order 1 --format json -o $out/r.json -- analyze
  row "rank single removals, $n nodes" "$g" whatif "$g" --rank --format json -o $out/r.json -- rank
done
