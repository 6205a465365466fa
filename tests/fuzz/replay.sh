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
  dirs=""
  for d in "$bin/corpus/$name" "$here/seeds/$name" "$here/regressions/$name"; do
    [ -d "$d" ] && dirs="$dirs $d"
  done
  [ -n "$dirs" ] || continue
  # shellcheck disable=SC2086
  "$bin/$exe" $dirs
done
