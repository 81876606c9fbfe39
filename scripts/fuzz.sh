#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) and runs each for SECONDS (default 60),
# JOBS at a time (default 1), with seed corpora from our data and tests. Crashes and hangs land in
# build-fuzz/artifacts/NAME/; the script exits 1 if there is any. Turn each into a regression test
# and copy the input to tests/fuzz/regressions/NAME/ (every later run starts from those).
#   scripts/fuzz.sh 900 2          # a quarter of an hour each, two at a time
#   scripts/fuzz.sh 20             # what CI runs
#   HARNESSES="expression rules" scripts/fuzz.sh 1800    # only these
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${2:-1}
dir=build-fuzz
CC=clang CXX=clang++ cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCHOKEPOINT_FUZZ=ON -DCHOKEPOINT_BENCH=OFF >/dev/null
harnesses=${HARNESSES:-loader scenario rules expression dot render yaml_parts import}
cmake --build $dir -j "$(nproc)" $(printf -- '--target fuzz_%s ' $harnesses)

seed() {  # name, files...
  local name=$1; shift
  mkdir -p "$dir/corpus/$name"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/corpus/$name/seed-$(basename "$f")"; done
  if [ -d "tests/fuzz/regressions/$name" ]; then cp tests/fuzz/regressions/$name/* "$dir/corpus/$name/" 2>/dev/null || true; fi
}
seed loader data/ai-supply-chain.yaml data/examples/*.yaml tests/data/bad/*.yaml
seed scenario data/scenarios/*.yaml
seed rules rules/default.yaml tests/data/rules/*.yaml
seed expression
n=0
while IFS= read -r line; do  # one expression a file
  n=$((n + 1)); printf '%s' "$line" > "$dir/corpus/expression/seed-$n"
done < tests/fuzz/expressions.txt
seed dot tests/fuzz/names.txt
printf 'say "hi" \\N <b>&amp;</b>' > "$dir/corpus/dot/seed-hostile"
seed yaml_parts data/ai-supply-chain.yaml data/examples/*.yaml tests/data/bad/*.yaml
seed render tests/fuzz/names.txt
printf 'A \\N \\G \\E \\\\ \\L &lt; &amp; end' > "$dir/corpus/render/seed-escapes"
seed import
for t in tests/data/import/csv tests/data/import/bad; do
  { cat "$t/nodes.csv"; printf '\n=====\n'; cat "$t/edges.csv"; } > "$dir/corpus/import/seed-$(basename "$t")"
done

run() {
  local name=$1 dict=""
  mkdir -p "$dir/artifacts/$name"
  case $name in loader|scenario|rules|yaml_parts) dict=-dict=tests/fuzz/yaml.dict ;; esac
  if [ "$name" = expression ]; then dict=-dict=tests/fuzz/expression.dict; fi
  ASAN_OPTIONS=detect_leaks=0 "$dir/fuzz_$name" "$dir/corpus/$name" $dict -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$name/" > "$dir/fuzz_$name.log" 2>&1 || true
  local execs
  execs=$(grep -m1 'stat::number_of_executed_units' "$dir/fuzz_$name.log" | awk '{print $2}')
  echo "fuzz_$name: ${execs:-0} runs in ${seconds}s, $(ls "$dir/artifacts/$name" | wc -l) findings"
}
export -f run
export dir seconds
printf '%s\n' $harnesses | xargs -P "$jobs" -I{} bash -c 'run {}'
found=$(find $dir/artifacts -type f | wc -l)
[ "$found" -eq 0 ] || { echo "fuzzing found $found inputs in $dir/artifacts"; exit 1; }
