#!/usr/bin/python3
"""Bad input at odoo-bridge: each gets a clear answer, none a crash or a hang.

Exit status 0 when every case got the expected answer and the bridge still
serves a good call afterwards.
"""
import argparse
import http.client
import json
import sys
import urllib.parse
import xmlrpc.client

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--db", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--max-body", type=int, required=True)
a = ap.parse_args()
u = urllib.parse.urlparse(a.url)
failures = []


def raw(method, path, body=b"", ctype="text/xml", headers=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    h = {"Content-Type": ctype}
    h.update(headers or {})
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    except (ConnectionError, http.client.HTTPException) as e:
        return -1, repr(e)
    finally:
        c.close()


def check(what, cond, detail=""):
    print("  %s %s%s" % ("ok  " if cond else "FAIL", what, (": " + str(detail)[:300]) if not cond else ""))
    if not cond:
        failures.append(what)


def fault_of(body):
    try:
        xmlrpc.client.loads(body)
        return None
    except xmlrpc.client.Fault as f:
        return f.faultCode, f.faultString
    except Exception as e:  # noqa: BLE001
        return "unparsable", repr(e)


s, b = raw("POST", "/xmlrpc/2/common", b"this is not xml")
f = fault_of(b)
check("malformed XML: fault 1, ExpatError, HTTP 200", s == 200 and f and f[0] == 1 and "ExpatError" in f[1], (s, b[:200]))
s, b = raw("POST", "/xmlrpc/2/common", b"<?xml version='1.0'?><methodCall><methodName>version</methodName><params>")
f = fault_of(b)
check("truncated XML: fault 1", s == 200 and f and f[0] == 1, (s, b[:200]))
s, b = raw("POST", "/xmlrpc/2/object", b"")
f = fault_of(b)
check("empty body: fault 1", s == 200 and f and f[0] == 1, (s, b[:200]))
deep = "<value><array><data>" * 5000 + "</data></array></value>" * 5000
s, b = raw("POST", "/xmlrpc/2/common",
           ("<?xml version='1.0'?><methodCall><methodName>version</methodName><params><param>%s</param></params>"
            "</methodCall>" % deep).encode())
f = fault_of(b)
check("5,000 nested arrays: a fault, no crash", s == 200 and f and f[0] == 1, (s, b[:200]))
s, b = raw("POST", "/xmlrpc/2/nosuchservice", xmlrpc.client.dumps((), "version").encode())
f = fault_of(b)
check("unknown service: fault 1 KeyError", f and f[0] == 1 and f[1].rstrip().endswith("KeyError: 'nosuchservice'"), f)
s, b = raw("POST", "/xmlrpc/2/common", xmlrpc.client.dumps((), "no_such").encode())
f = fault_of(b)
check("unknown common method: fault 1 KeyError", f and f[0] == 1 and "KeyError: 'exp_no_such'" in f[1], f)
s, b = raw("POST", "/xmlrpc/2/object", xmlrpc.client.dumps((a.db, 2, a.key), "no_such").encode())
f = fault_of(b)
check("unknown object method: fault 1 ValueError", f and f[0] == 1 and "ValueError: not enough values" in f[1], f)
s, b = raw("POST", "/xmlrpc/2/object", xmlrpc.client.dumps((a.db, 2, a.key, "res.partner", "search_count"),
                                                            "execute_kw").encode())
f = fault_of(b)
check("execute_kw without args: fault 1 TypeError", f and f[0] == 1 and "missing 1 required positional argument: "
      "'args'" in f[1], f)
s, b = raw("POST", "/xmlrpc/2/object", xmlrpc.client.dumps((a.db, "two", a.key, "res.partner", "search", []),
                                                            "execute_kw").encode())
f = fault_of(b)
check("a uid that is no number: fault 1 ValueError", f and f[0] == 1 and "invalid literal for int()" in f[1], f)
s, b = raw("GET", "/xmlrpc/2/common")
check("GET: 405", s == 405 and "Method Not Allowed" in b, s)
s, b = raw("POST", "/xmlrpc/2/common/extra", b"<x/>")
check("a path deeper than /xmlrpc/2/<service>: 404", s == 404, s)
s, b = raw("POST", "/nowhere", b"<x/>")
check("unknown path: 404", s == 404, s)
big = b"<?xml version='1.0'?><methodCall><methodName>version</methodName><params><param><value><string>" + \
      b"x" * (a.max_body + 10) + b"</string></value></param></params></methodCall>"
s, b = raw("POST", "/xmlrpc/2/common", big)
check("a body over --max-body: 413 (or the connection closed while sending)", s in (413, -1), (s, b[:100]))
s, b = raw("POST", "/jsonrpc", b"{not json", "application/json")
check("/jsonrpc invalid JSON: 400 Invalid JSON data", s == 400 and "Invalid JSON data" in b, (s, b))
s, b = raw("POST", "/jsonrpc", b"[]", "application/json")
check("/jsonrpc an array: 400 Invalid JSON-RPC data", s == 400 and "Invalid JSON-RPC data" in b, (s, b))
s, b = raw("POST", "/jsonrpc", b"{}", "text/plain")
check("/jsonrpc wrong content type: 415", s == 415, s)
s, b = raw("POST", "/jsonrpc", json.dumps({"jsonrpc": "2.0", "id": 4, "params": {"service": "common",
                                                                                   "method": "version"}}).encode(),
           "application/json")
d = json.loads(b) if s == 200 else {}
check("/jsonrpc without args: TypeError like Odoo's", d.get("id") == 4 and d.get("error", {}).get("data", {}).get("name")
      == "builtins.TypeError" and "'args'" in d["error"]["data"]["message"], (s, b[:300]))
s, b = raw("POST", "/jsonrpc", ("[" * 100000).encode(), "application/json")
check("/jsonrpc 100,000 nested arrays: 400", s == 400, (s, b[:100]))
s, b = raw("POST", "/xmlrpc/2/common", xmlrpc.client.dumps((a.db, "admin", "é\udcff".encode("utf-8", "surrogatepass")
                                                                .decode("latin-1"), {}), "authenticate").encode())
check("odd bytes in a password: an answer, no crash", s == 200, s)
# and the bridge still works
obj = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/object")
check("a good call afterwards", isinstance(obj.execute_kw(a.db, 2, a.key, "res.partner", "search_count", [[]]), int))
print("bad input: %d failed" % len(failures))
sys.exit(1 if failures else 0)
