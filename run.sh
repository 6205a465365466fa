#!/usr/bin/env bash
# The main job: build, then show libodoo at work.
#   ./run.sh                      against the bundled odoo-mock (started and stopped here)
#   ODOO_URL=... ODOO_DB=... ODOO_USER=... ODOO_API_KEY=... (or ODOO_PASSWORD=...) ./run.sh
#                                 against your Odoo, read-only
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
rpc=build/src/cli/odoo-rpc

mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null; true; }
trap cleanup EXIT

if [ -z "${ODOO_URL:-}" ]; then
  log=$(mktemp)
  build/mock/odoo-mock --odoo-version 19 --partners 200 >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
  line=$(grep -m1 "listening on" "$log") || { cat "$log"; exit 1; }
  echo "started: ${line%% api_key=*}"
  ODOO_URL=$(sed -E 's/.*listening on ([^ ]+).*/\1/' <<<"$line")
  ODOO_DB=$(sed -E 's/.* db=([^ ]+).*/\1/' <<<"$line")
  ODOO_USER=admin
  ODOO_PASSWORD=admin
  ODOO_API_KEY=$(sed -E 's/.* api_key=([^ ]+).*/\1/' <<<"$line")
  export ODOO_URL ODOO_DB ODOO_USER ODOO_PASSWORD ODOO_API_KEY
  rm -f "$log"
fi

echo "== odoo-rpc version (the server, the protocol chosen and why)"
$rpc version
echo "== odoo-rpc protocols"
$rpc protocols
echo "== odoo-rpc --protocol P count res.partner '[[\"is_company\", \"=\", true]]': one call, every protocol"
for p in xmlrpc jsonrpc jsonrpc-stateless json2; do
  printf '%-18s ' "$p"
  $rpc --protocol "$p" count res.partner '[["is_company", "=", true]]' || true
done
echo "== odoo-rpc search-read res.partner '[[\"is_company\", \"=\", true]]' --fields name,email,country_id --limit 5 --order name"
$rpc --pretty search-read res.partner '[["is_company", "=", true]]' --fields name,email,country_id --limit 5 --order name

bridge=build/src/bridge/odoo-bridge
if [ -x "$bridge" ] && command -v python3 >/dev/null; then
  echo "== an unchanged XML-RPC client (Python's xmlrpc.client) through odoo-bridge"
  blog=$(mktemp)
  "$bridge" --upstream "$ODOO_URL" >"$blog" 2>&1 &
  bridge_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$blog" && break; sleep 0.05; done
  head -n 1 "$blog"
  burl=$(sed -nE '1s/.*listening on ([^ ]+).*/\1/p' "$blog")
  # The API key as the password: the bridge forwards over JSON-2 on 19+.
  BRIDGE_URL=$burl python3 - <<'PY' || true
import os, xmlrpc.client
url, db, user = os.environ["BRIDGE_URL"], os.environ["ODOO_DB"], os.environ["ODOO_USER"]
secret = os.environ.get("ODOO_API_KEY") or os.environ["ODOO_PASSWORD"]
uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(db, user, secret, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")
print("uid", uid, obj.execute_kw(db, uid, secret, "res.partner", "search_read",
      [[["is_company", "=", True]]], {"fields": ["name"], "limit": 3}))
PY
  kill "$bridge_pid" 2>/dev/null; wait "$bridge_pid" 2>/dev/null || true
  rm -f "$blog"
fi
