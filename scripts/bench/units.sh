#!/usr/bin/env bash
# The cost of deployment units (issue #19): the same number of workload files split into K
# Argo CD Applications (clusters) of W files each (scripts/bench/gen_units.py), median wall time
# of RUNS runs and peak RSS, JSON report. Every unit is its own cluster, so without units every
# workload would be a duplicate.
#
#   scripts/bench/units.sh [path/to/kedalint]    # SPLITS="1x10000 10x1000 100x100 1000x10" RUNS=3
# Called by scripts/bench/run.sh, or alone (it then builds the release binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
if [ -n "${1:-}" ]; then bin="$1"; else cargo build --release --locked -q; bin="$root/target/release/kedalint"; fi
work="${BENCH_DIR:-/tmp/kedalint-bench}"
splits="${SPLITS:-1x10000 10x1000 100x100 1000x10}"
runs="${RUNS:-3}"
mkdir -p "$work"

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"

echo "| clusters × workloads | units | duplicate-object | wall (median of $runs) | peak RSS (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for split in $splits; do
  k="${split%x*}"; w="${split#*x}"
  repo="$work/units-$split"
  [ -d "$repo" ] || python3 "$root/scripts/bench/gen_units.py" "$repo" "$k" "$w"
  units=$("$bin" units "$repo" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)['units']))")
  dups=$("$bin" check "$repo" -q --format json | python3 -c "import json,sys; print(sum(d['rule'] == 'duplicate-object' for d in json.load(sys.stdin)['diagnostics']))" || true)
  : > "$work/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" check "$repo" -q --format json --output /dev/null || true
    grep -E '^[0-9.]+ [0-9]+$' "$work/time.txt" >> "$work/times"
  done
  wall=$(awk '{print $1}' "$work/times" | median)
  rss=$(awk '{print $2}' "$work/times" | sort -n | tail -n 1)
  printf '| %s × %s | %s | %s | %.2f s | %d |\n' "$k" "$w" "$units" "$dups" "$wall" "$((rss / 1024))"
done
