#!/bin/sh
# Count the instructions of each XML-RPC decoder on the same response with
# callgrind, median of 3 runs each; see README.md.
#
#   bench/xmlrpc-decode/run.sh [BUILD_DIR] [RECORDS] [RUNS]
#
# BUILD_DIR holds bench/xmlrpc-decode-bench (default: build), RECORDS the
# number of records of the generated response (default 20000), RUNS the
# callgrind runs per decoder (default 3).
set -eu

build=${1:-build}
records=${2:-20000}
runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
bench=$build/bench/xmlrpc-decode-bench
work=$build/xmlrpc-decode
[ -x "$bench" ] || { echo "no $bench: cmake --build $build --target xmlrpc-decode-bench" >&2; exit 1; }
mkdir -p "$work"
python3 "$here/gen.py" "$records" "$work" >/dev/null
xml=$work/bench-$records.xml

# mode:function toggled on (the library function that does the work)
modes="scan:odoo__xmlrpc_parse_scan
expat:odoo__xmlrpc_parse_expat
xmlrpc-c-parse-only:xmlrpc_parse_response2
xmlrpc-c:xmlrpc_oracle_parse
json-c:json_tokener_parse_ex"

printf '%s records: %s bytes of XML-RPC, %s bytes of JSON\n' "$records" \
    "$(wc -c <"$xml" | tr -d ' ')" "$(wc -c <"$work/bench-$records.json" | tr -d ' ')"
printf '%-22s %-30s %15s   %s\n' mode "toggle-collect" "Ir (median)" "runs"
for m in $modes; do
    mode=${m%%:*}
    fn=${m#*:}
    counts=""
    i=1
    while [ "$i" -le "$runs" ]; do
        n=$(valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$mode.$i" --toggle-collect="$fn" \
                "$bench" "$mode" "$xml" 2>&1 | sed -n 's/^==[0-9]*== Collected : *//p')
        counts="$counts $n"
        i=$((i + 1))
    done
    median=$(printf '%s\n' $counts | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    eval "ir_$(echo "$mode" | tr -c 'a-z\n' '_')=$median"
    printf '%-22s %-30s %15s  %s\n' "$mode" "$fn" "$median" "$counts"
done
awk -v s="$ir_scan" -v p="$ir_xmlrpc_c_parse_only" -v e="$ir_expat" -v x="$ir_xmlrpc_c" -v j="$ir_json_c" 'BEGIN {
    printf "xmlrpc-c parse only / scanner:     %.2fx (target >= 3)\n", p / s
    printf "xmlrpc-c parse + conversion / scanner: %.2fx\n", x / s
    printf "expat decoder / scanner:           %.2fx\n", e / s
    printf "scanner / json-c on the JSON:      %.2fx\n", s / j
}'
