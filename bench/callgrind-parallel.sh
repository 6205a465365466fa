#!/usr/bin/env bash
# Client instructions per call of the parallel workload, counted by
# callgrind: in one odoo_multi with 16 calls in flight on 16 connections
# (par_many) against sequential blocking calls on one connection
# (par_sequential), the same call, odoo-mock delaying every answer by the
# workload's latency. Waiting costs no instructions: what is left is the
# client's own work, repeatable where CPU time is not.
#   bench/callgrind-parallel.sh [build-dir] [quick|full] [latency-ms] [protocol...]
# quick: 8 sequential calls, 64 in the multi; full: 256 and 256. No
# protocol named: all five. Under callgrind the client runs some fifty
# times slower while odoo-mock's latency does not, so how many answers
# one wake finds (and the multi's figure) moves with timing: runs of
# the same tree differ by some 0.3 % (xmlrpc full: 127,069 to 127,660).
# Another libcurl: LD_LIBRARY_PATH=dir (scripts/libcurl8.sh fetches 8.x).
# CG_KEEP=dir keeps the callgrind files there (cg.<protocol>), for
# callgrind_annotate --inclusive=yes on both loops.
set -euo pipefail
build=${1:-build}
mode=${2:-quick}
latency=${3:-50}
shift $(($# < 3 ? $# : 3))
protocols=${*:-xmlrpc jsonrpc jsonrpc-stateless json2 odxproxy}
case $mode in quick) quick=--quick ;; full) quick= ;; *) echo "mode: quick or full" >&2; exit 2 ;; esac
if [ -n "${CG_KEEP:-}" ]; then
  out=$CG_KEEP
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
# The libcurl the bench will load (LD_LIBRARY_PATH is honoured): 7.88's
# socket-action bookkeeping costs more than 8.x's, and it is the multi's.
curlv=$(python3 -c 'import ctypes; f = ctypes.CDLL("libcurl.so.4").curl_version; f.restype = ctypes.c_char_p; print(f().decode().split()[0])')
printf "%s, %s calls, %s ms latency\n\n" "$curlv" "$mode" "$latency"
printf "| protocol | multi instr/call | sequential instr/call | multi / sequential | calls: multi / sequential |\n"
printf "|---|---:|---:|---:|---:|\n"
for proto in $protocols; do
  # shellcheck disable=SC2086 # $quick is one word or none
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.$proto" \
    "$build/bench/odoo-bench" --workloads parallel --protocols "$proto" $quick --latency "$latency" \
    --md /dev/null --csv "$out/$proto.csv" </dev/null >/dev/null 2>&1
  incl() { callgrind_annotate --inclusive=yes "$out/cg.$proto" 2>/dev/null |
           awk -v f=":$1" 'index($0, f) && !done { gsub(",", "", $1); print $1; done = 1 }'; }
  # the calls each loop made, from the CSV's parallel columns
  calls() { python3 -c 'import csv, sys
r = next(csv.DictReader(open(sys.argv[1])))
print(r[sys.argv[2]])' "$out/$proto.csv" "$1"; }
  multi=$(incl "par_many"); seq=$(incl "par_sequential")
  nm=$(calls parallel_in_flight_calls); ns=$(calls parallel_sequential_calls)
  awk -v p="$proto" -v m="$multi" -v s="$seq" -v nm="$nm" -v ns="$ns" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.2f | %d / %d |\n", p, m/nm, s/ns, (m/nm)/(s/ns), nm, ns }'
done
