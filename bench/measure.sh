# Shared by the whole-command benchmarks: `measure LABEL COMMAND...` prints a table row with the
# command's wall time and peak memory (GNU time), or stops the run if the command fails.
# Needs $out (where the last stderr is kept).
measure() {  # label, command...
  local label=$1; shift
  local t
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$out/last.err" || { echo "failed: $*"; cat "$out/last.err"; exit 1; }
  t=$(tail -1 "$out/last.err")
  printf '| %-40s | %8s s | %8.1f MB |\n' "$label" "${t% *}" "$(echo "${t#* } / 1024" | bc -l)"
}
