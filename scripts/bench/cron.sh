#!/usr/bin/env bash
# The cron cases of the README's Performance section (issue #17, item 7): wall time and peak RSS of
#   - `kedalint check` on 30 ScaledObjects, each with a distinct fine-grained cron trigger
#     (`*/2`-style start and end, steps 2 to 5, three zones of which two change offset), which a
#     year of windows made cost a second and megabytes per trigger;
#   - `kedalint schedule` of examples/ml-inference over a century (2000-01-01 to 2100-01-01),
#     which is refused now (53 weeks at most), and of the 30 triggers over those 53 weeks (JSON,
#     7.9 million windows, 780 MB).
# One run each; called by scripts/bench/run.sh, or alone with a binary:
#
#   scripts/bench/cron.sh [path/to/kedalint]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
bin="${1:-$root/target/release/kedalint}"
work="${BENCH_DIR:-/tmp/kedalint-bench}/cron-30"
limit="${CRON_TIMEOUT:-300}"
mkdir -p "$work"
rm -f "$work"/*.yaml
zones=(UTC Europe/Berlin America/New_York)
for i in $(seq 0 29); do
  step=$((2 + i % 4))
  offset=$((i % step))
  cat > "$work/svc-$i.yaml" <<EOF
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: svc-$i, namespace: cron}
spec:
  scaleTargetRef: {name: svc-$i}
  triggers:
    - type: cron
      metadata:
        timezone: ${zones[i % 3]}
        start: "$offset-59/$step * * * *"
        end: "$(((offset + 1) % step))-59/$step * * * *"
        desiredReplicas: "$((1 + i))"
EOF
done

# `time -f "%e %M"` after a timeout(1) that gives up: the cell says so.
measure() {
  local out="$work/time.txt"
  /usr/bin/time -f "%e %M" -o "$out" timeout "$limit" "$@" > /dev/null 2> "$work/stderr" || true
  local line
  line=$(grep -E '^[0-9.]+ [0-9]+$' "$out" || true)
  if grep -q 'status 124' "$out"; then
    echo "over $limit s | -"
  else
    read -r wall rss <<< "$line"
    printf '%.2f s | %d' "$wall" "$((rss / 1024))"
  fi
}

echo "| cron case | wall | peak RSS (MiB) |"
echo "|---|---:|---:|"
echo "| check, 30 distinct \`*/2\`-style triggers | $(measure "$bin" check "$work" -q --format json --output /dev/null) |"
echo "| schedule examples/ml-inference, 2000-01-01 to 2100-01-01 (text) | $(measure "$bin" schedule "$root/examples/ml-inference" --from 2000-01-01 --to 2100-01-01) |"
said=$(head -c 300 "$work/stderr")
echo "| schedule of the 30 triggers, 2026-01-05 to 2027-01-11 (JSON to /dev/null) | $(measure "$bin" schedule "$work" --from 2026-01-05 --to 2027-01-11 --format json) |"
if [ -n "$said" ]; then
  echo
  echo "The century: $said"
fi
