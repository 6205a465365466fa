#!/usr/bin/env bash
# The library against libcurl 8, the one Debian 13 ships (and Debian 12's
# bookworm-backports), beside the system's 7.88: the same build, with
# libcurl 8 loaded in place of the system's (one soname, libcurl.so.4, one
# ABI), runs the whole suite, then counts the multi's instructions per
# call against blocking calls (bench/callgrind-parallel.sh), the figure
# that differs most between the two: 7.88's socket-action bookkeeping.
#   scripts/libcurl8.sh [build-dir]        fetch if needed, test, count
#   scripts/libcurl8.sh --fetch DIR        only fetch: libcurl.so.4 in DIR
# libcurl 8 is fetched as a Debian package through apt, with its own
# source list and state in a temporary directory (the signatures checked
# against Debian's keyring): the system's apt sources and its libcurl are
# left as they are. Already at 8 (Debian 13): the suite has run on it.
# No archive reachable: a loud skip, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

fetch() {
  local dir=$1 tmp
  [ -e "$dir/libcurl.so.4" ] && return 0
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" RETURN
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/x"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" >"$tmp/sources.list"
  local apt=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/nonexistent
             -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache"
             -o APT::Sandbox::User=root)
  # one chain: called from an if, where set -e does not stop at a failure
  apt-get "${apt[@]}" update -qq &&
    (cd "$tmp" && apt-get "${apt[@]}" download -qq libcurl4/bookworm-backports) &&
    dpkg -x "$tmp"/libcurl4_*.deb "$tmp/x" &&
    mkdir -p "$dir" &&
    cp -P "$tmp"/x/usr/lib/*/libcurl.so.4* "$dir/"
}

if [ "${1:-}" = "--fetch" ]; then
  fetch "${2:?--fetch DIR}"
  exit 0
fi
build=${1:-build}
[ -x "$build/tests/odoo-tests" ] || { echo "libcurl8.sh: build $build first (./test.sh)" >&2; exit 2; }
# The libcurl a program here loads (LD_LIBRARY_PATH honoured): "libcurl/7.88.1".
loaded() { python3 -c 'import ctypes; f = ctypes.CDLL("libcurl.so.4").curl_version
f.restype = ctypes.c_char_p; print(f().decode().split()[0])'; }
system=$(loaded)
case $system in
  libcurl/8.*) echo "libcurl8.sh: the system's libcurl is $system: the suite has run on it"; exit 0 ;;
esac
dir=$PWD/$build/libcurl8
# Without the archive (no network) there is nothing to test against: said
# loudly, and not a failure of the library's.
if ! fetch "$dir"; then
  echo "libcurl8.sh: SKIPPED: could not fetch libcurl4 from bookworm-backports" >&2
  exit 0
fi
export LD_LIBRARY_PATH=$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
now=$(loaded)
case $now in libcurl/8.*) ;; *) echo "libcurl8.sh: $dir gave $now, not libcurl 8" >&2; exit 1 ;; esac
echo "the suite against $now in place of $system"
"$build/tests/odoo-tests" --jobs="$(nproc)"
"$build/mock/odoo-mock-tests" --jobs="$(nproc)"
ctest --test-dir "$build" --output-on-failure -E '^(unit|mock)$'
echo
bench/callgrind-parallel.sh "$build" full
