#!/usr/bin/env bash
# Client instructions per call of the library against the floor (the same
# request bytes on a bare libcurl handle, plus a bare json-c / xmlrpc-c
# parse), counted by callgrind: repeatable where CPU time is not.
#   bench/callgrind-small.sh [build-dir] [workload] [calls]
set -euo pipefail
build=${1:-build}
workload=${2:-sr1x2}
calls=${3:-300}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "| protocol | library instr/call | floor curl instr/call | floor curl+parse instr/call | library / floor |\n"
printf "|---|---:|---:|---:|---:|\n"
for proto in xmlrpc jsonrpc jsonrpc-stateless json2 odxproxy; do
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.$proto" \
    "$build/bench/odoo-bench" --workloads "$workload" --protocols "$proto" --calls "$calls" --budget 1000 \
    --md /dev/null >/dev/null 2>&1
  incl() { callgrind_annotate --inclusive=yes "$out/cg.$proto" 2>/dev/null |
           awk -v f=":$1" 'index($0, f) && !done { gsub(",", "", $1); print $1; done = 1 }'; }
  # floor_loop is curl + parse; floor_parse its parse part
  lib=$(incl "measured_loop"); fl=$(incl "floor_loop"); fp=$(incl "floor_parse")
  awk -v p="$proto" -v l="$lib" -v f="$fl" -v q="$fp" -v n="$calls" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2f |\n", p, l/n, (f-q)/n, f/n, l/f }'
done
