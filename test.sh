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
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  build=${BUILD_DIR:-build}
  extra=()
fi
cmake -S . -B "$build" -DODOO_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
# One Criterion binary holds the unit, decoder, end-to-end and integration
# tests: its summary line is the result.
"$build/tests/odoo-tests" --jobs="$(nproc)"
for t in "$build"/mock/odoo-mock-tests; do
  [ -x "$t" ] && "$t" --jobs="$(nproc)"
done
# The rest: public headers compile alone, the installed tree is usable.
ctest --test-dir "$build" --output-on-failure -E '^(unit|mock)$'
