#!/usr/bin/python3
"""Replay recorded XML-RPC requests at odoo-bridge and compare, as XML-RPC values.

Every request body of FIXTURES/*.json (recorded against a real Odoo) is sent
twice, with the same bytes: to the bridge (whose upstream is odoo-mock A over
JSON-2 or a web session) and straight to odoo-mock B's own XML-RPC endpoint
(B is seeded like A; the mock's XML-RPC is checked against the same recordings
by its fidelity test). Two comparisons, read with Python's own xmlrpc.client:

  equal     the bridge's answer equals B's: same HTTP status, same value
            (timestamps compared as strings only), or the same fault: code, and
            faultString exactly for codes 2, 3 and 4, the exception class of the
            traceback's last line for code 1 (tracebacks name other frames);
  recorded  the bridge's answer has the recording's kind: same status, same
            fault code and exception class, or a result of the same shape
            (types, struct keys); the lab's data is not the mock's data.

Ids of records created during the replay are rewritten from the recorded
values to the ones the mock gave. --variant key sends the API key of the user
instead of each recorded real password (so every object call goes to the
upstream over JSON-2); --variant password sends the bytes as recorded.

Exit status 0 when every exchange is equal and of the recorded kind, except
the KNOWN list (each with its reason); 1 otherwise.
"""
import argparse
import glob
import json
import os
import re
import sys
import urllib.error
import urllib.request
import xmlrpc.client

TIMESTAMP_KEYS = {"write_date", "create_date", "__last_update", "checksum", "date"}

# Recordings the bridge answers differently from Odoo, on purpose or by a
# limit it documents: file -> (variants, reason, sent to the bridge?)
KNOWN = {
    "28-create-with-base64-element.json": (
        ("password", "key"), "a <base64> parameter reaches the bridge as base64 text, which the ORM takes: the "
        "attachment would be created where Odoo answers a TypeError (not sent: it would shift the ids that follow; "
        "scenario.py checks it)", False),
    "57-bigint-int-in-request.json": (
        ("password", "key"), "xmlrpc-c (the bridge's request reader) refuses an <int> beyond 32 bits; Odoo's "
        "Python reader takes any size", True),
    "74-get-not-allowed.json": (("password", "key"), "not an XML-RPC body: compared on the status only", True),
    "48-unknown-method.json": (
        ("key",), "over JSON-2 libodoo refuses, before sending, a method the server's description (api_doc) does "
        "not list (an invalid_argument error): the bridge answers TypeError with libodoo's explanation where Odoo "
        "answers AttributeError", True),
    "71-v1-unknown-method.json": (
        ("key",), "the same refusal as 48, on the legacy /xmlrpc/object path", True),
}


def load_fixtures(d):
    files = sorted(glob.glob(os.path.join(d, "*.json")))
    # the login-cooldown recording was made last
    return [f for f in files if "cooldown" not in f] + [f for f in files if "cooldown" in f]


def post(url, path, method, body, ctype):
    req = urllib.request.Request(url + path, data=body.encode() if method == "POST" else None, method=method,
                                 headers={"Content-Type": ctype} if method == "POST" else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def decode(body):
    """('ok', value) | ('fault', code, string) | ('raw', body)"""
    try:
        v = xmlrpc.client.loads(body, use_datetime=True)[0]
        return ("ok", v[0] if v else None)
    except xmlrpc.client.Fault as f:
        return ("fault", f.faultCode, f.faultString)
    except Exception:
        return ("raw", body[:80])


def last_class(tb):
    lines = [l for l in tb.strip().splitlines() if l.strip()]
    if not lines:
        return ""
    last = lines[-1]
    return last.split(":", 1)[0].strip() if ":" in last else last.strip()


def fault_key(code, string, exact):
    if isinstance(code, int) and code != 1 and exact:
        return (code, string)
    if isinstance(code, str) and code.startswith("warning -- "):
        return (code.split("\n", 1)[0], code if exact else "")
    if isinstance(code, str) and code == "AccessDenied":
        return (code, string)
    return (code if isinstance(code, int) else "str", last_class(string))


def same_value(a, b, key=None):
    if key in TIMESTAMP_KEYS:
        return type(a) == type(b)
    if type(a) != type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k], k) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return a == b


def same_shape(a, b):
    if type(a) != type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_shape(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return not a or not b or same_shape(a[0], b[0])
    return True


def compare(got, ref, exact):
    if got[0] != ref[0]:
        return False
    if got[0] == "ok":
        return same_value(got[1], ref[1]) if exact else same_shape(got[1], ref[1])
    if got[0] == "fault":
        return fault_key(got[1], got[2], exact) == fault_key(ref[1], ref[2], exact)
    return True


KEYS_BY_PASSWORD = {}


def to_key_variant(body, keys):
    """The body with the third parameter (the password), when it is a recorded
    real password, replaced by that user's API key; the other bytes unchanged."""
    parts = re.split(r"(<param>)", body)
    # parts: [head, "<param>", p1, "<param>", p2, "<param>", p3, ...]
    if len(parts) < 7:
        return body
    third = parts[6]
    for pw, key in keys.items():
        for form in ("<string>%s</string>", "<value>%s</value>"):
            if form % pw in third.split("</param>", 1)[0]:
                parts[6] = third.replace(form % pw, form % key, 1)
                return "".join(parts)
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bridge", required=True)
    ap.add_argument("--direct", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--variant", choices=["password", "key"], default="password")
    ap.add_argument("--keys", default="", help="password=key,... for --variant key")
    a = ap.parse_args()
    keys = dict(kv.split("=", 1) for kv in a.keys.split(",") if kv)

    ids = {}   # recorded id -> mock id
    n = equal = recorded = known = 0
    failures = []
    for f in load_fixtures(a.fixtures):
        name = os.path.basename(f)
        fx = json.load(open(f))
        rq, rs = fx["request"], fx["response"]
        body = rq.get("body") or ""
        if ids:
            body = re.sub(r"<(int|i4|i8)>(\d+)</\1>",
                          lambda m: "<%s>%s</%s>" % (m.group(1), ids.get(int(m.group(2)), m.group(2)), m.group(1)),
                          body)
        if a.variant == "key":
            body = to_key_variant(body, keys)
        ctype = rq.get("headers", {}).get("Content-Type", "text/xml")
        n += 1
        kn = KNOWN.get(name)
        if kn and a.variant in kn[0] and not kn[2]:
            known += 1
            print("  KNOWN %s: %s" % (name, kn[1]))
            continue
        sb, bb = post(a.bridge, rq["path"], rq["method"], body, ctype)
        sd, bd = post(a.direct, rq["path"], rq["method"], body, ctype)
        got, ref, rec = decode(bb), decode(bd), decode(rs["body"] or "")
        # learn the ids of what this call created
        try:
            p, m = xmlrpc.client.loads(rq.get("body") or "")
            if len(p) >= 5 and p[4] == "create" and rec[0] == "ok" and got[0] == "ok":
                r1 = rec[1] if isinstance(rec[1], list) else [rec[1]]
                r2 = got[1] if isinstance(got[1], list) else [got[1]]
                for x, y in zip(r1, r2):
                    if isinstance(x, int) and isinstance(y, int):
                        ids[x] = y
        except Exception:
            pass
        is_equal = sb == sd and compare(got, ref, True)
        is_recorded = sb == rs["status"] and compare(got, rec, False)
        if kn and a.variant in kn[0]:
            known += 1
            print("  KNOWN %s: %s (equal=%s recorded=%s)" % (name, kn[1], is_equal, is_recorded))
            continue
        equal += is_equal
        recorded += is_recorded
        if not (is_equal and is_recorded):
            failures.append(name)
            print("  DIFF %s: bridge %s %r | direct %s %r | recorded %s %r" %
                  (name, sb, got[:2] if got[0] != "fault" else (got[1], last_class(got[2]) or got[2][:100]),
                   sd, ref[:2] if ref[0] != "fault" else (ref[1], last_class(ref[2]) or ref[2][:100]),
                   rs["status"], rec[:2] if rec[0] != "fault" else (rec[1], last_class(rec[2]) or rec[2][:100])))
    print("bridge replay (%s): %d exchanges, %d equal to odoo-mock's own XML-RPC, %d of the recorded kind, "
          "%d known differences" % (a.variant, n, equal, recorded, known))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
