#!/usr/bin/env bash
# The reporters when findings are many (issue #17): one manifest stream with N findings
# (scripts/bench/gen_findings.py), linted as a file and through `--passthrough` (which always
# writes the human report), median wall time of RUNS runs per format, peak RSS.
#
#   scripts/bench/findings.sh [path/to/kedalint]   # COUNTS="2500 10000 20000" RUNS=3
# Called by scripts/bench/run.sh, or alone (it then builds the release binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
if [ -n "${1:-}" ]; then bin="$1"; else cargo build --release --locked -q; bin="$root/target/release/kedalint"; fi
work="${BENCH_DIR:-/tmp/kedalint-bench}"
counts="${COUNTS:-2500 10000 20000}"
runs="${RUNS:-3}"
mkdir -p "$work"

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"

echo "| findings in one file | json | human | human / json | --passthrough (human to stderr) | peak RSS human (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $counts; do
  file="$work/findings-$n.yaml"
  [ -f "$file" ] || python3 "$root/scripts/bench/gen_findings.py" "$file" "$n"
  found=$("$bin" check "$file" -q --format json | python3 -c "import json,sys; s=json.load(sys.stdin)['summary']; print(s['errors']+s['warnings']+s['infos'])" || true)
  cells=()
  for mode in json human passthrough; do
    : > "$work/times"
    for _ in $(seq "$runs"); do
      case "$mode" in
        passthrough) /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" check --passthrough - -q < "$file" > /dev/null 2>&1 || true ;;
        *) /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" check "$file" -q --format "$mode" --color never > /dev/null || true ;;
      esac
      grep -E '^[0-9.]+ [0-9]+$' "$work/time.txt" >> "$work/times"
    done
    cells+=("$(awk '{print $1}' "$work/times" | median)")
    [ "$mode" = human ] && rss=$(awk '{print $2}' "$work/times" | sort -n | tail -n 1)
  done
  ratio=$(echo "${cells[1]} / ${cells[0]}" | bc -l)
  printf '| %s (%s) | %.2f s | %.2f s | %.1f× | %.2f s | %d |\n' "$n" "$found" "${cells[0]}" "${cells[1]}" "$ratio" "${cells[2]}" "$((rss / 1024))"
done
