#!/bin/sh
# Give a real Odoo the partners odoo-bench's big reads expect: the very
# records odoo-mock generates (--partners N, 20,100 by default), created
# through odoo-rpc in batches, so a run against that Odoo reads the same
# names, e-mails, phones, cities and countries as a run against the mock.
#
#   ODOO_API_KEY=... bench/seed-odoo.sh BUILD_DIR N --url URL -d DB -u LOGIN
#
# The connection options go to odoo-rpc as they are (any of odoo-rpc
# --help: --protocol, a --profile ...); give the key or password through
# ODOO_API_KEY / ODOO_PASSWORD or a profile rather than the command line,
# where every process listing shows it. It writes: use a throwaway
# database (`odoo-bin -d bench -i base --without-demo=all --stop-after-init`
# makes one). Countries are matched by name (the mock's ids are not
# Odoo's); a partner's company (parent_id) is left out. The records are
# read from odoo-mock with the row cursor (`search-read --all --format
# ndjson`), so memory stays flat whatever N.
set -eu
build=${1:?usage: seed-odoo.sh BUILD_DIR N ODOO-RPC-CONNECTION-OPTIONS}
n=${2:?usage: seed-odoo.sh BUILD_DIR N ODOO-RPC-CONNECTION-OPTIONS}
shift 2
rpc="$build/src/cli/odoo-rpc"
mock="$build/mock/odoo-mock"
tmp=$(mktemp -d)
trap 'kill "$mpid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

"$mock" --quiet --partners "$n" >"$tmp/mock.line" 2>"$tmp/mock.err" &
mpid=$!
for _ in $(seq 100); do [ -s "$tmp/mock.line" ] && break; sleep 0.1; done
url=$(sed -n 's/.* listening on \([^ ]*\) .*/\1/p' "$tmp/mock.line")
[ -n "$url" ] || { cat "$tmp/mock.err" >&2; exit 1; }

# the generated partners (ids above the company's and the users'), as odoo-bench reads them; the
# mock's own throwaway login only: no key, password or profile of the caller's may reach it
env -u ODOO_API_KEY -u ODOO_PASSWORD -u ODOO_PROFILE -u ODOO_USER -u ODOO_DB -u ODOO_PROTOCOL \
    -u ODXPROXY_API_KEY HOME="$tmp" XDG_CONFIG_HOME="$tmp" \
    "$rpc" --url "$url" -d odoo -u admin --password admin search-read res.partner \
    '[["id", ">", 3]]' --fields name,email,phone,is_company,country_id,city,website,ref,vat,street,zip \
    --all --format ndjson >"$tmp/partners.ndjson"
"$rpc" "$@" search-read res.country '[]' --fields name --all --format ndjson >"$tmp/countries.ndjson"

# batches of 1000 for create, many2one country by name
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
country = {}
with open(os.path.join(tmp, "countries.ndjson")) as f:
    for line in f:
        c = json.loads(line)
        country[c["name"]] = c["id"]
batch, k = [], 0
def flush():
    global batch, k
    if batch:
        with open(os.path.join(tmp, "batch%05d.json" % k), "w") as out:
            json.dump(batch, out)
        k += 1
        batch = []
with open(os.path.join(tmp, "partners.ndjson")) as f:
    for line in f:
        p = json.loads(line)
        p.pop("id", None)
        c = p.pop("country_id", False)
        if c and c[1] in country:
            p["country_id"] = country[c[1]]
        batch.append({k: v for k, v in p.items() if v is not False})
        if len(batch) == 1000:
            flush()
flush()
PY
total=0
for b in "$tmp"/batch*.json; do
    "$rpc" "$@" create res.partner "@$b" >/dev/null
    total=$((total + $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$b")))
    printf 'seed-odoo: %d partners created\n' "$total" >&2
done
