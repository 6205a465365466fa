#!/usr/bin/env bash
# The thread-safety checks (tests/threads/threads.c: what the README says
# may be shared between threads, a multi per thread, the registry under
# concurrent registration) under ThreadSanitizer, in their own build.
# Criterion's runner cannot run under TSan (its shared arena clashes with
# TSan's memory layout), hence a plain program.
#   scripts/tsan.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tsan}
scripts/deps.sh
cmake -S . -B "$build" -DODOO_TSAN=ON -DCMAKE_BUILD_TYPE=Debug -DODOO_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target odoo-threads-check >/dev/null
# A report fails the run. The libraries we link (libcurl, OpenSSL,
# libmicrohttpd) are not instrumented: their own locking is invisible to
# TSan, so tests/tsan.supp names what it cannot see, each with its reason.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp}
"$build/tests/threads/odoo-threads-check"
