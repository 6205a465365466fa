#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses, made from the recorded Odoo
traffic in tests/fixtures (so nothing big is committed here).

usage: make-corpus.py OUT_DIR   -> OUT_DIR/<harness>/<sha1-prefix>

Inputs of the selector-byte harnesses start with one byte that picks
status and content type (tests/fuzz/fuzz_common.h; keep in step)."""
import glob
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
MAX_BODY = 8192  # larger bodies (fields_get) slow the fuzzer and add little
STATUSES = [200, 200, 400, 401, 403, 404, 415, 422, 429, 500, 502, 503, 504, 303, 204, 418]
SEED_ID = "8c3e2a1f-4b5d-4e6f-8a7b-9c0d1e2f3a4b"  # fuzz_odxproxy_envelope.c


def selector(status, ctype, check_id=False):
    if status in STATUSES:
        s = STATUSES.index(status)
    else:
        s = {3: 13, 4: 2, 5: 9}.get(status // 100, 0)
    ct = ctype or ""
    c = 3
    if "json" in ct:
        c = 1 if "charset" in ct else 0
    elif "html" in ct:
        c = 2
    return bytes([s | c << 4 | (0x40 if check_id else 0)])


def exchanges():
    for f in sorted(glob.glob(os.path.join(FIXTURES, "odoo1*", "*", "*.json"))):
        d = json.load(open(f, encoding="utf-8"))
        r = d["response"]
        h = {k.lower(): v for k, v in r["headers"].items()}
        body = r["body"].encode("utf-8")
        if len(body) <= MAX_BODY:
            yield os.path.basename(os.path.dirname(f)), r["status"], h.get("content-type"), body


def main():
    out = sys.argv[1]
    corpus = {}

    def add(harness, data):
        corpus.setdefault(harness, set()).add(data)

    for proto, status, ctype, body in exchanges():
        if proto == "xmlrpc":
            add("xmlrpc_scan", body)
            add("xmlrpc_stream", body)
            fault_seeds(add, body, status)
            continue
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        if proto.startswith("jsonrpc"):
            check = isinstance(doc, dict) and doc.get("id") == 1
            add("jsonrpc_envelope", selector(status, ctype, check) + body)
            if isinstance(doc, dict):
                if isinstance(doc.get("error"), dict):
                    err = json.dumps(doc["error"]).encode()
                    add("error_parsers", selector(status, ctype) + err)
                    env = {"jsonrpc": "2.0", "id": SEED_ID, "error": doc["error"]}
                    add("odxproxy_envelope", selector(200, ctype, True) + json.dumps(env).encode())
                elif "result" in doc:
                    env = {"jsonrpc": "2.0", "id": SEED_ID, "result": doc["result"]}
                    add("odxproxy_envelope", selector(200, ctype, True) + json.dumps(env).encode())
        if doc is not None:
            add("json_value", body)
        if proto == "json2" and status != 200:
            add("json2_error", selector(status, ctype) + body)
            if isinstance(doc, dict):
                add("error_parsers", selector(status, ctype) + body)
    # The gateway's own errors (mock/include/odoo_mock.h lists them).
    for status, code in [(401, -32000), (400, -32001), (400, -32002), (504, -32003), (502, -32004),
                         (500, -32005), (403, 0), (200, -32006), (400, -32007)]:
        env = {"jsonrpc": "2.0", "id": SEED_ID, "error": {"code": code, "message": "gateway says no"}}
        add("odxproxy_envelope", selector(status, "application/json", True) + json.dumps(env).encode())
        add("error_parsers", selector(status, "application/json") + json.dumps(env["error"]).encode())

    for harness, items in corpus.items():
        d = os.path.join(out, harness)
        os.makedirs(d, exist_ok=True)
        for data in items:
            name = hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{harness}: {len(items)} seeds")


def fault_seeds(add, body, status):
    """XML-RPC faults as the text family of fuzz_error_parsers: faultCode
    string (legacy /xmlrpc) + NUL + faultString, or faultString alone."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return
    fault = root.find("fault")
    if fault is None:
        return
    members = {}
    for m in fault.iter("member"):
        name = m.findtext("name")
        v = m.find("value")
        if name and v is not None:
            members[name] = "".join(v.itertext())
    fs = members.get("faultString", "").encode()
    code = members.get("faultCode", "")
    sel = bytes([selector(status, "text/xml")[0] | 0x80])
    if re.fullmatch(r"-?\d+", code.strip()):
        add("error_parsers", sel + fs)
    else:
        add("error_parsers", sel + code.encode() + b"\0" + fs)


if __name__ == "__main__":
    main()
