#!/usr/bin/env bash
# Time from starting odoo-mock to its "listening on" line, median of N runs.
#   bench/mock-startup.sh [build-dir] [runs]
set -euo pipefail
build=${1:-build}
runs=${2:-21}
times=()
for _ in $(seq "$runs"); do
  t0=$(date +%s%N)
  coproc MOCK { exec "$build/mock/odoo-mock" --quiet; }
  read -r _line <&"${MOCK[0]}"
  t1=$(date +%s%N)
  kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true
  times+=($(( (t1 - t0) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "odoo-mock ready in %.1f ms (median of %d runs; min %.1f, max %.1f)\n", a[int((NR+1)/2)]/1000, NR, a[1]/1000, a[NR]/1000}'
