#!/bin/sh
# bench/seed-odoo.sh against a second odoo-mock standing in for the real
# Odoo: every generated partner that the first mock's search returns is
# created on the second, with its name, e-mail and country (by name).
set -eu
build=${1:?usage: check-seed.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'kill "$tpid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
"$build/mock/odoo-mock" --quiet --partners 0 >"$tmp/line" 2>/dev/null &
tpid=$!
for _ in $(seq 100); do [ -s "$tmp/line" ] && break; sleep 0.1; done
url=$(sed -n 's/.* listening on \([^ ]*\) .*/\1/p' "$tmp/line")
key=$(sed -n 's/.* api_key=\([^ ]*\) .*/\1/p' "$tmp/line")
rpc="$build/src/cli/odoo-rpc"
conn="--url $url -d odoo -u admin --api-key $key"
before=$($rpc $conn count res.partner '[]')
# the key through the environment, as the README says (never towards the source mock)
ODOO_API_KEY=$key "$here/seed-odoo.sh" "$build" 1200 --url "$url" -d odoo -u admin 2>"$tmp/seed.err"
after=$($rpc $conn count res.partner '[]')
made=$(sed -n 's/^seed-odoo: \([0-9]*\) partners created$/\1/p' "$tmp/seed.err" | tail -1)
fail=0
[ "$made" -ge 1000 ] || { echo "FAIL: seed-odoo created ${made:-no} partners of 1200"; fail=1; }
[ $((after - before)) -eq "$made" ] || { echo "FAIL: the target has $((after - before)) more partners, not $made"; fail=1; }
# a company of the generator, with its e-mail and a country that the target knows by name
$rpc $conn search-read res.partner '[["is_company", "=", true], ["email", "like", "example.com"]]' \
    --fields name,email,country_id --limit 1 >"$tmp/one.json"
grep -q '"country_id":\[[0-9]*,"' "$tmp/one.json" || { echo "FAIL: no seeded company with a country: $(cat "$tmp/one.json")"; fail=1; }
echo "check-seed: created $made, target $before -> $after, failures $fail"
exit $fail
