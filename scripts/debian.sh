#!/usr/bin/env bash
# Build the Debian packages of this tree and use them as a user would:
#   1. install what building them needs (apt-get; root or sudo);
#   2. dpkg-buildpackage -us -uc -b in a copy of the tree (nothing is left
#      in the repository), without the test suite (CI runs it itself);
#   3. lintian on the result: any error fails;
#   4. apt-get install ./*.deb;
#   5. a consumer program built with pkg-config (libodoo + odoo-mock) and one
#      with find_package(), run; odoo-rpc --version; the installed odoo-mock
#      started, queried by the installed odoo-rpc, stopped;
#   6. the packages removed again (also when a step fails).
#
#   scripts/debian.sh                  everything, in a fresh temporary directory
#   DEBIAN_WORK=DIR scripts/debian.sh  work in DIR (emptied first)
#   DEBIAN_KEEP=1                      keep the work directory (the .debs, the logs)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "debian.sh: needs root or sudo (apt-get)" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
step() { printf '\n== %s\n' "$*"; }
start=$(date +%s)

work=${DEBIAN_WORK:-$(mktemp -d /tmp/libodoo-deb.XXXXXX)}
work=$(realpath -m "$work")
case "$work" in
  / | "$src" | "$src"/*) echo "debian.sh: DEBIAN_WORK=$work would be inside the tree or /" >&2; exit 1 ;;
esac
mock_pid=""
installed=()
cleanup() {
  local rc=$?
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  if [ ${#installed[@]} -gt 0 ]; then
    echo "removing ${installed[*]}"
    $sudo apt-get purge -y -qq "${installed[@]}" >/dev/null || rc=1
  fi
  if [ -z "${DEBIAN_KEEP:-}" ]; then rm -rf "$work"; else echo "work directory kept: $work"; fi
  exit $rc
}
trap cleanup EXIT

version=$(sed -nE 's/^project\(libodoo VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")
pkgdir=$work/libodoo-$version

# --- 1. build dependencies ------------------------------------------------
step "build dependencies"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
  build-essential devscripts debhelper dpkg-dev fakeroot lintian pkgconf cmake man-db >/dev/null

# --- 2. a copy of the tree, then the packages -----------------------------
step "dpkg-buildpackage in $pkgdir"
rm -rf "$work"
mkdir -p "$pkgdir"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # what git tracks or would track (so no build directory), as it is now
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     tar --null -T - -cf -) | tar -xf - -C "$pkgdir"
else
  tar -C "$src" --exclude='./build*' --exclude='./obj-*' --exclude='./.git' -cf - . | tar -xf - -C "$pkgdir"
fi
changelog_version=$(cd "$pkgdir" && dpkg-parsechangelog -S Version)
if [ "$changelog_version" != "$version" ]; then
  echo "debian/changelog says $changelog_version, CMakeLists.txt says $version: add a changelog entry" >&2
  exit 1
fi
$sudo apt-get build-dep -y -qq "$pkgdir" >/dev/null
(cd "$pkgdir" &&
   DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=${DEBIAN_JOBS:-2}" \
   dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || { tail -50 "$work/build.log"; exit 1; }
debs=("$work"/*.deb)
ls -l "${debs[@]}"

# --- 3. lintian ------------------------------------------------------------
step "lintian"
changes=$(ls "$work"/*.changes)
lintian --fail-on error --display-info "$changes" | tee "$work/lintian.log" || {
  echo "lintian reported errors" >&2; exit 1; }
echo "lintian: $(grep -c '^E:' "$work/lintian.log" || true) errors," \
     "$(grep -c '^W:' "$work/lintian.log" || true) warnings," \
     "$(grep -c '^I:' "$work/lintian.log" || true) notes"

# --- 4. install --------------------------------------------------------------
step "apt-get install ./*.deb"
for d in "${debs[@]}"; do installed+=("$(dpkg-deb -f "$d" Package)"); done
(cd "$work" && $sudo apt-get install -y -qq ./*.deb >/dev/null)
dpkg-query -W "${installed[@]}"

# --- 5. use them -------------------------------------------------------------
step "consumer with pkg-config"
mkdir -p "$work/consumer"
cp "$src/tests/packaging/consumer.c" "$work/consumer/"
cd "$work/consumer"
# shellcheck disable=SC2046 # word splitting of pkg-config's flags is wanted
cc -std=c11 -Wall -Wextra -Werror consumer.c $(pkg-config --cflags --libs libodoo odoo-mock) -o consumer
readelf -d consumer | grep -E 'NEEDED.*(libodoo|libodoo_mock)\.so' 
./consumer

step "consumer with find_package(libodoo ${version%.*}) and find_package(odoo_mock)"
cat >CMakeLists.txt <<EOF
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(libodoo ${version%.*} REQUIRED)
find_package(odoo_mock REQUIRED)
add_executable(consumer_cmake consumer.c)
target_link_libraries(consumer_cmake PRIVATE libodoo::odoo odoo_mock::odoo_mock)
EOF
cmake -S . -B build >/dev/null && cmake --build build >/dev/null
build/consumer_cmake

step "the installed odoo-rpc and odoo-mock"
for f in /usr/bin/odoo-rpc /usr/bin/odoo-mock; do
  if readelf -d "$f" | grep -qE 'RPATH|RUNPATH'; then echo "$f has a RUNPATH" >&2; exit 1; fi
done
readelf -d /usr/bin/odoo-rpc | grep -q "NEEDED.*\[libodoo\.so\.${version%.*}\]" ||
  { echo "/usr/bin/odoo-rpc does not link libodoo.so.${version%.*}" >&2; exit 1; }
odoo-rpc --version
odoo-rpc --version | grep -q "libodoo $version"
for page in odoo-rpc odoo-mock; do man -w "$page"; done
odoo-mock --quiet --odoo-version 18 >mock.txt &
mock_pid=$!
for _ in $(seq 100); do grep -q "listening on" mock.txt && break; sleep 0.05; done
url=$(sed -nE 's/.*listening on ([^ ]+).*/\1/p' mock.txt)
[ -n "$url" ] || { cat mock.txt; echo "odoo-mock did not start" >&2; exit 1; }
echo "odoo-mock: $url"
odoo-rpc --url "$url" --db odoo --user admin --password admin version
n=$(odoo-rpc --url "$url" --db odoo --user admin --password admin count res.partner)
echo "odoo-rpc count res.partner: $n"
[ "$n" -gt 0 ]
kill "$mock_pid"
wait "$mock_pid"
mock_pid=""
cd "$src"

# --- 6. remove (the trap) ---------------------------------------------------
echo
echo "debian.sh: ${#debs[@]} packages built, lintian clean of errors, installed and used" \
     "in $(($(date +%s) - start)) s"
