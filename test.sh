#!/usr/bin/env bash
# Run every test: installs what is missing, configures, builds, runs.
#   ./test.sh                      the suite (warnings are errors)
#   ODOO_SANITIZE=1 ./test.sh      the same under AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
if [ -n "${ODOO_SANITIZE:-}" ]; then
  build=${BUILD_DIR:-build-asan}
  extra=(-DODOO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  build=${BUILD_DIR:-build}
  extra=()
fi
cmake -S . -B "$build" -DODOO_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
# A sanitizer report fails the run even when it comes after a test passed
# (LeakSanitizer speaks at process exit).
run() {
  local log
  log=$(mktemp)
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
    echo "sanitizer errors in $1" >&2
    rc=1
  fi
  rm -f "$log"
  return "$rc"
}
# One Criterion binary holds the unit, decoder, end-to-end and integration
# tests: its summary line is the result.
run "$build/tests/odoo-tests" --jobs="$(nproc)"
if [ -x "$build/mock/odoo-mock-tests" ]; then
  run "$build/mock/odoo-mock-tests" --jobs="$(nproc)"
fi
# The rest: public headers compile alone, the installed tree is usable.
ctest --test-dir "$build" --output-on-failure -E '^(unit|mock)$'
