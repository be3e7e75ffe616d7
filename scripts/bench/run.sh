#!/usr/bin/env bash
# Reproduces the README's Performance table: a release build, synthetic GitOps repositories of
# 1,000 / 10,000 / 50,000 workloads (scripts/bench/gen_repo.py), the median wall time and peak
# RSS of `kedalint check` over RUNS runs (every rule on), and check-jsonschema (PyPI) on the same
# repository's ScaledObjects, one object per file, for comparison.
#
#   scripts/bench/run.sh                 # SIZES="1000 10000 50000" RUNS=5
#   SIZES=1000 RUNS=3 scripts/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
cargo build --release --locked -q
bin="$root/target/release/kedalint"
work="${BENCH_DIR:-/tmp/kedalint-bench}"
sizes="${SIZES:-1000 10000 50000}"
runs="${RUNS:-5}"
cjs="${CHECK_JSONSCHEMA:-$(command -v check-jsonschema || echo "$root/.tools/venv/bin/check-jsonschema")}"
mkdir -p "$work"

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"

echo "| workloads | files | resources | findings | wall (median of $runs) | peak RSS (MiB, 1 MiB = 1.05 MB) | check-jsonschema, ScaledObjects only | ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  repo="$work/repo-$n"
  sos="$work/sos-$n"
  if [ ! -d "$repo" ]; then
    python3 "$root/scripts/bench/gen_repo.py" "$repo" "$n" --one-object-per-file "$sos"
  fi
  "$bin" check "$repo" -q --format json --output "$work/report-$n.json" || true
  summary=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['files'], s['objects'], s['errors']+s['warnings']+s['infos'])" "$work/report-$n.json")
  read -r files objects findings <<< "$summary"
  : > "$work/times-$n"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" check "$repo" -q --format json --output /dev/null || true
    # time(1) also writes "Command exited with non-zero status 1" (findings) into the file.
    grep -E '^[0-9.]+ [0-9]+$' "$work/time.txt" >> "$work/times-$n"
  done
  wall=$(awk '{print $1}' "$work/times-$n" | median)
  rss=$(awk '{print $2}' "$work/times-$n" | sort -n | tail -n 1)
  cjs_cell="-"; ratio="-"
  if [ -x "$cjs" ] && [ "$n" -le "${CJS_MAX:-10000}" ]; then
    start=$(date +%s.%N)
    "$cjs" --schemafile "$root/schemas/scaledobject.json" "$sos"/*.yaml > /dev/null || true
    end=$(date +%s.%N)
    cjs_s=$(echo "$end - $start" | bc)
    cjs_cell="$(printf '%.2f s' "$cjs_s")"
    ratio="$(printf '%.0f×' "$(echo "$cjs_s / $wall" | bc -l)")"
  fi
  printf '| %s | %s | %s | %s | %.2f s | %d | %s | %s |\n' "$n" "$files" "$objects" "$findings" "$wall" "$((rss / 1024))" "$cjs_cell" "$ratio"
done

# The cron cases (fine-grained triggers, `schedule` over a century): their own small table.
echo
"$root/scripts/bench/cron.sh" "$bin"

# The reporters when findings are many (one stream of 2,500 to 20,000 findings): their own table.
echo
"$root/scripts/bench/findings.sh" "$bin"

# Deployment units: the same workloads split into 1 to 1,000 clusters: their own table.
echo
"$root/scripts/bench/units.sh" "$bin"
