#!/usr/bin/env python3
"""Write the XML-RPC decoder benchmark's input: N res.partner-like records
(8 fields of mixed types) marshalled by Python's xmlrpc.client as Odoo
sends them, and the same records as JSON for the json-c comparison.

    python3 gen.py [N] [OUTDIR]     # default: 20000 records, current directory

Deterministic (seeded): bench-N.xml is the same bytes on every run.
"""
import json
import os
import random
import sys
import xmlrpc.client


def records(n):
    random.seed(42)
    countries = [(233, "United States"), (20, "Belgium"), (75, "France"), (113, "Japan")]
    out = []
    for i in range(1, n + 1):
        c = countries[i % 4]
        out.append({
            "id": i,                                                      # int
            "name": f"Partner {i} Ünïcödé — 日本語 & <co>",                 # UTF-8 text with entities
            "email": f"partner{i}@example.com" if i % 3 else False,       # string or False
            "is_company": i % 2 == 0,                                     # boolean
            "credit_limit": round(random.uniform(0, 100000), 2),          # double
            "country_id": [c[0], c[1]],                                   # many2one pair
            "category_id": [i % 7 + 1, i % 11 + 1],                       # x2many ids
            "write_date": f"2026-11-{i % 28 + 1:02d} 10:{i % 60:02d}:28",  # datetime as Odoo sends it
        })
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    outdir = sys.argv[2] if len(sys.argv) > 2 else "."
    recs = records(n)
    xml = xmlrpc.client.dumps((recs,), methodresponse=True, allow_none=False)
    with open(os.path.join(outdir, f"bench-{n}.xml"), "w", encoding="utf-8") as f:
        f.write(xml)
    # As Odoo's JSON-RPC and JSON-2 answers are written: UTF-8, compact.
    with open(os.path.join(outdir, f"bench-{n}.json"), "w", encoding="utf-8") as f:
        json.dump(recs, f, ensure_ascii=False, separators=(",", ":"))
    print(f"bench-{n}.xml: {len(xml.encode())} bytes")


if __name__ == "__main__":
    main()
