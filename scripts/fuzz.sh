#!/usr/bin/env bash
# The libFuzzer harnesses of tests/fuzz/ (one per decoder), built with clang.
#
#   scripts/fuzz.sh smoke [SECONDS]     build, then each target over its seeds and
#                                       regressions plus SECONDS of fuzzing (default 5);
#                                       non-zero exit on any crash, leak or timeout
#   scripts/fuzz.sh long [SECONDS] [TARGET...]
#                                       SECONDS per target (default 600), corpus kept
#                                       in $BUILD/fuzz-corpus/TARGET between runs
#   scripts/fuzz.sh build               only build
#
# Environment: FUZZ_BUILD (default build-fuzz), FUZZ_ARGS (extra libFuzzer flags),
# FUZZ_NICE (default 10), FUZZ_NOBUILD=1 (use the binaries as built). Crashing inputs land in $BUILD/fuzz-artifacts/; a fixed
# one goes to tests/fuzz/regressions/TARGET/ (replayed by smoke and ctest fuzz-replay).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-smoke}
build=${FUZZ_BUILD:-$root/build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
nice_level=${FUZZ_NICE:-10}
fuzz_dir=$root/tests/fuzz

command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 2; }

targets=()
for f in "$fuzz_dir"/fuzz_*.c; do
  n=$(basename "$f" .c)
  n=${n#fuzz_}
  case $n in common | replay_main) continue ;; esac
  targets+=("$n")
done

build_all() {
  if [ "${FUZZ_NOBUILD:-0}" = 1 ]; then
    rm -rf "$build/fuzz-seeds"
    python3 "$fuzz_dir/make-corpus.py" "$build/fuzz-seeds" >/dev/null
    return
  fi
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DODOO_FUZZ=ON -DODOO_SANITIZE=ON -DODOO_BUILD_TOOLS=OFF >"$build.configure.log" 2>&1 ||
      { cat "$build.configure.log" >&2; exit 2; }
  fi
  local t=()
  for n in "${targets[@]}"; do t+=(--target "fuzz-${n//_/-}"); done
  nice -n "$nice_level" cmake --build "$build" -j2 "${t[@]}" >"$build/fuzz-build.log" 2>&1 ||
    { tail -40 "$build/fuzz-build.log" >&2; exit 2; }
  rm -rf "$build/fuzz-seeds"
  python3 "$fuzz_dir/make-corpus.py" "$build/fuzz-seeds" >/dev/null
}

dict_for() {
  case $1 in
    xmlrpc_scan) echo "$fuzz_dir/xmlrpc.dict" ;;
    cli_args) echo "$fuzz_dir/cli.dict" ;;
    *) echo "$fuzz_dir/json.dict" ;;
  esac
}

# run NAME SECONDS CORPUS_DIR: fuzz one target; prints one summary line
run() {
  local n=$1 secs=$2 work=$3 exe="$build/tests/fuzz/fuzz-${1//_/-}"
  local dirs=("$work")
  for d in "$build/fuzz-seeds/$n" "$fuzz_dir/seeds/$n" "$fuzz_dir/regressions/$n"; do
    [ -d "$d" ] && dirs+=("$d")
  done
  local dict
  dict=$(dict_for "$n")
  mkdir -p "$work" "$build/fuzz-artifacts"
  local log="$build/fuzz-$n.log" rc=0 extra=""
  # odoo-rpc prints an error per input: keep its stderr out of the log
  # (libFuzzer still prints crash reports there).
  [ "$n" = cli_args ] && extra="-close_fd_mask=2"
  # shellcheck disable=SC2086
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    nice -n "$nice_level" "$exe" -dict="$dict" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$n-" $extra ${FUZZ_ARGS:-} "${dirs[@]}" \
    >"$log" 2>&1 || rc=$?
  local execs rate
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$rc" -ne 0 ]; then
    printf '%-20s FAILED (exit %d) after %s execs; log %s\n' "$n" "$rc" "${execs:-?}" "$log"
    grep -m5 -E 'ERROR|SUMMARY|artifact' "$log" | sed 's/^/    /'
    return 1
  fi
  printf '%-20s ok: %s execs, %s execs/s\n' "$n" "${execs:-?}" "${rate:-?}"
}

case $mode in
  build)
    build_all
    ;;
  smoke)
    secs=${2:-5}
    start=$(date +%s)
    build_all
    failed=0
    for n in "${targets[@]}"; do
      rm -rf "$build/fuzz-smoke/$n"
      run "$n" "$secs" "$build/fuzz-smoke/$n" || failed=$((failed + 1))
    done
    echo "fuzz smoke: ${#targets[@]} targets, $failed failed, $(($(date +%s) - start)) s"
    [ "$failed" -eq 0 ]
    ;;
  long)
    secs=${2:-600}
    shift $(($# >= 2 ? 2 : $#))
    [ $# -gt 0 ] && targets=("$@")
    build_all
    failed=0
    for n in "${targets[@]}"; do
      run "$n" "$secs" "$build/fuzz-corpus/$n" || failed=$((failed + 1))
    done
    [ "$failed" -eq 0 ]
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac
