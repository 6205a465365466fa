#!/usr/bin/env bash
# Install the Debian packages libodoo needs, only those that are missing.
set -euo pipefail
pkgs=(cmake make gcc g++ pkg-config openssl ca-certificates
      libcurl4-openssl-dev libjson-c-dev libxmlrpc-core-c3-dev libexpat1-dev
      libssl-dev libcriterion-dev libmicrohttpd-dev nginx
      librsvg2-bin python3 zsh valgrind man-db clang libclang-rt-14-dev
      libuv1-dev libevent-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
