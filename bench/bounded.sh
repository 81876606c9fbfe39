#!/usr/bin/env bash
# Bounded work on hostile shapes (issue 29): a chain, OR-of-AND groups, a node with thousands of
# suppliers, and a 10,000-node render. Each must end within 10 s and 1 GB with its limit said;
# the chain within twice validate's time on it. Run after a Release build:
#   scripts/build.sh && bench/bounded.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/chokepoint
out=bench/out
mkdir -p "$out"
. bench/measure.sh

gen() {  # file, generate.py arguments...
  local f="$out/$1"; shift
  [ -f "$f" ] || python3 bench/generate.py "$@" > "$f"
  echo "$f"
}
chain=$(gen chain-100000.yaml --shape chain --nodes 100000)
oa2=$(gen or-of-and-2x5000.yaml --shape or-of-and --suppliers 2 --inputs 5000)
oa4=$(gen or-of-and-4x100.yaml --shape or-of-and --suppliers 4 --inputs 100)
star=$(gen star-2998.yaml --shape star --nodes 2998)
wide=$(gen star-200000.yaml --shape star --nodes 200000)
g10k=$(gen synthetic-10000.yaml --nodes 10000 --seed 1)
# A million-row CSV pair (a chain), for import's memory.
[ -f "$out/chain-1m-nodes.csv" ] || python3 -c "
n = 1000000
with open('$out/chain-1m-nodes.csv', 'w') as f:
    f.write('id,kind,name\n' + ''.join('n%d,chip,Node %d\n' % (i, i) for i in range(n)) + 't,capability,T\n')
with open('$out/chain-1m-edges.csv', 'w') as f:
    f.write('from,to,role\n' + ''.join('n%d,n%d,input\n' % (i - 1, i) for i in range(1, n)) + 'n%d,t,input\n' % (n - 1))
"

echo "| command | wall | peak RSS |"
echo "|---|---:|---:|"
measure "validate chain of 100,000" $bin validate -q "$chain"
measure "analyze chain of 100,000 (JSON)" $bin analyze "$chain" --format json -o "$out/r.json"
measure "analyze 2 suppliers x 5,000 inputs" $bin analyze "$oa2" --format json -o "$out/r.json"
measure "analyze 4 suppliers x 100 inputs, order 4" $bin analyze "$oa4" --order 4 --format json -o "$out/r.json"
measure "whatif --rank --order 2, 2,998 suppliers" $bin whatif "$star" --rank --order 2 --format json -o "$out/r.json"
measure "analyze 200,000 suppliers of one node" $bin analyze "$wide" --format json -o "$out/r.json"
measure "import csv, 1,000,000 rows each" $bin import csv "$out/chain-1m-nodes.csv" "$out/chain-1m-edges.csv" -o "$out/r.yaml"
measure "render synthetic 10000 --max-nodes 20000 (sfdp, 20 s budget)" $bin render "$g10k" -o "$out/r.svg" --max-nodes 20000
echo
echo "paired, the chain against validate (farm-bench):"
farm-bench -n 5 --timeout 300 --vs "$bin validate -q $chain" -- $bin analyze "$chain" --format json -o "$out/r.json" 2>&1 |
  grep -E "^A wall|^B wall|^A/B wall|^A peak|load" || true
