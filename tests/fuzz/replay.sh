#!/bin/sh
# ctest fuzz-replay: every harness over its seed corpus (made from
# tests/fixtures by make-corpus.py) and its regressions, once each.
# usage: replay.sh PYTHON BUILD_DIR fuzz-replay-NAME...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=$1 bin=$2
shift 2
"$py" "$here/make-corpus.py" "$bin/corpus" >/dev/null
for exe in "$@"; do
  name=$(echo "${exe#fuzz-replay-}" | tr - _)
  dirs="$bin/corpus/$name"
  [ -d "$here/seeds/$name" ] && dirs="$dirs $here/seeds/$name"
  [ -d "$here/regressions/$name" ] && dirs="$dirs $here/regressions/$name"
  # shellcheck disable=SC2086
  "$bin/$exe" $dirs
done
