#!/usr/bin/python3
"""A legacy integration's day through odoo-bridge, with Python's standard library only.

--proto xmlrpc uses xmlrpc.client.ServerProxy on /xmlrpc/2/*; --proto jsonrpc
posts Odoo's /jsonrpc envelope with urllib. Each runs twice: with the admin's
API key as the password (upstream JSON-2) and with the real password
(upstream web session). Exit status 0 when every step gave what Odoo gives.
"""
import argparse
import json
import sys
import urllib.request
import xmlrpc.client


class Fault(Exception):
    def __init__(self, code, string, data=None):
        super().__init__("%r: %s" % (code, string[-200:]))
        self.code, self.string, self.data = code, string, data


class XmlRpc:
    def __init__(self, url):
        self.url = url

    def call(self, service, method, *args):
        proxy = xmlrpc.client.ServerProxy("%s/xmlrpc/2/%s" % (self.url, service))
        try:
            return getattr(proxy, method)(*args)
        except xmlrpc.client.Fault as f:
            raise Fault(f.faultCode, f.faultString)


class JsonRpc:
    def __init__(self, url):
        self.url, self.id = url, 0

    def call(self, service, method, *args):
        self.id += 1
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": self.id,
                           "params": {"service": service, "method": method, "args": list(args)}}).encode()
        req = urllib.request.Request(self.url + "/jsonrpc", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            doc = json.loads(r.read())
        assert doc["jsonrpc"] == "2.0" and doc["id"] == self.id, doc
        if "error" in doc:
            e = doc["error"]
            assert e["code"] == 0 and e["message"] == "Odoo Server Error", e
            assert list(e["data"].keys()) == ["name", "message", "arguments", "context", "debug"], e["data"].keys()
            raise Fault(e["data"]["name"], e["data"]["debug"], e["data"])
        return doc.get("result")


failures = []


def check(what, cond, detail=""):
    print("  %s %s%s" % ("ok  " if cond else "FAIL", what, (": " + str(detail)[:300]) if not cond else ""))
    if not cond:
        failures.append(what)


def expect_fault(what, fn, xml_code, json_class, text):
    try:
        r = fn()
        check(what, False, "no fault, got %r" % (r,))
    except Fault as f:
        if isinstance(f.code, int):
            check(what, f.code == xml_code and text in f.string, (f.code, f.string[-200:]))
        else:
            check(what, f.code == json_class and text in f.data["message"] + f.data["debug"], (f.code, f.data))


def run(c, proto, db, secret, limited_secret, label):
    print("%s, credentials: %s" % (proto, label))
    ex = lambda uid, pw, model, method, *a: c.call("object", "execute_kw", db, uid, pw, model, method, *a)
    v = c.call("common", "version")
    check("common.version", v["server_version"] == "19.0" and v["server_version_info"][0] == 19
          and v["protocol_version"] == 1, v)
    uid = c.call("common", "authenticate", db, "admin", secret, {})
    check("authenticate -> the real uid", uid == 2, uid)
    check("authenticate with a wrong password -> False",
          c.call("common", "authenticate", db, "admin", "not-the-password", {}) is False)
    check("login", c.call("common", "login", db, "admin", secret) == 2)
    rows = ex(uid, secret, "res.partner", "search_read", [[["is_company", "=", True]]],
              {"fields": ["name", "country_id", "is_company", "email"], "limit": 5, "order": "id"})
    check("search_read rows", isinstance(rows, list) and rows and all(r["is_company"] is True for r in rows), rows)
    check("many2one as [id, name] or False",
          all(r["country_id"] is False or (isinstance(r["country_id"], list) and len(r["country_id"]) == 2 and
              isinstance(r["country_id"][0], int) and isinstance(r["country_id"][1], str)) for r in rows), rows)
    # XML cannot carry \x01 (Python sends it raw, expat refuses it); JSON can
    name = "Bridge Ünïcödé — 日本語 € <&>" + ("\x01" if proto == "jsonrpc" else "")
    pid = ex(uid, secret, "res.partner", "create", [{"name": name, "is_company": False, "partner_latitude": 50.8503396}])
    check("create -> an id", isinstance(pid, int) and pid > 0, pid)
    check("write -> True", ex(uid, secret, "res.partner", "write", [[pid], {"phone": "+32 2 555 12 12"}]) is True)
    got = ex(uid, secret, "res.partner", "read", [[pid]], {"fields": ["name", "phone", "partner_latitude",
                                                                        "parent_id", "create_date"]})
    r = got[0]
    want_name = name
    check("read back: text, float, empty many2one False, datetime text",
          r["name"] == want_name and r["phone"] == "+32 2 555 12 12" and r["partner_latitude"] == 50.8503396
          and r["parent_id"] is False and isinstance(r["create_date"], str) and len(r["create_date"]) == 19, r)
    expect_fault("a validation error", lambda: ex(uid, secret, "res.partner", "write", [[pid], {"parent_id": pid}]),
                 2, "odoo.exceptions.ValidationError", "recursive")
    expect_fault("an unknown model", lambda: ex(uid, secret, "no.such.model", "search", [[]]),
                 2, "odoo.exceptions.UserError", "Object no.such.model doesn't exist")
    if proto == "xmlrpc":
        expect_fault("None result: Odoo's marshalling fault", lambda: ex(uid, secret, "res.partner", "action_archive",
                                                                        [[pid]]),
                     1, None, "TypeError: cannot marshal None unless allow_none is enabled")
    else:
        check("None result: no result member", ex(uid, secret, "res.partner", "action_archive", [[pid]]) is None)
    att = ex(uid, secret, "ir.attachment", "create", [{"name": "b.bin", "datas": "AAEC/w==", "res_model": "res.partner",
                                                       "res_id": pid}])
    back = ex(uid, secret, "ir.attachment", "read", [[att], ["datas", "file_size"]])
    check("binary: base64 text both ways", back[0]["datas"] == "AAEC/w==" and back[0]["file_size"] == 4, back)
    a = ex(uid, secret, "res.partner", "create", [{"name": "Big A", "color": 2147483647}])
    b = ex(uid, secret, "res.partner", "create", [{"name": "Big B", "color": 2147483647}])
    if proto == "xmlrpc":
        expect_fault("an integer beyond 32 bits: Odoo's OverflowError",
                     lambda: ex(uid, secret, "res.partner", "read_group", [[["id", "in", [a, b]]], ["color:sum"], []]),
                     1, None, "OverflowError: int exceeds XML-RPC limits")
    else:
        g = ex(uid, secret, "res.partner", "read_group", [[["id", "in", [a, b]]], ["color:sum"], []])
        check("an integer beyond 32 bits: exact over JSON", g[0]["color"] == 4294967294, g)
    check("unlink -> True", ex(uid, secret, "res.partner", "unlink", [[pid, a, b]]) is True)
    check("read of deleted ids -> []", ex(uid, secret, "res.partner", "read", [[pid]], {"fields": ["name"]}) == [])
    expect_fault("write on a deleted id: MissingError",
                 lambda: ex(uid, secret, "res.partner", "write", [[pid], {"name": "x"}]),
                 2, "odoo.exceptions.MissingError", "Record does not exist")
    expect_fault("a wrong password: AccessDenied", lambda: ex(uid, "wrong", "res.partner", "search_count", [[]]),
                 3, "odoo.exceptions.AccessDenied", "Access Denied")
    lim = c.call("common", "authenticate", db, "limited", limited_secret, {})
    check("limited user's uid", lim == 7, lim)
    expect_fault("an access error (limited user)",
                 lambda: ex(lim, limited_secret, "ir.config_parameter", "search_read", [[]], {"fields": ["key"]}),
                 4, "odoo.exceptions.AccessError", "not allowed to access")
    expect_fault("the admin's credential with the limited uid: AccessDenied",
                 lambda: ex(7, secret, "res.partner", "search_count", [[]]),
                 3, "odoo.exceptions.AccessDenied", "Access Denied")
    check("db.list", c.call("db", "list") == [db])
    check("db.server_version", c.call("db", "server_version") == "19.0")
    if proto == "xmlrpc":
        # <base64> elements: Odoo's ORM cannot take them; the bridge reads them as base64 text
        att2 = ex(uid, secret, "ir.attachment", "create",
                  [{"name": "c.bin", "datas": xmlrpc.client.Binary(b"\x00\x01\x02\xff"), "res_model": "res.partner"}])
        check("<base64> parameter accepted as base64 text", isinstance(att2, int), att2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--proto", choices=["xmlrpc", "jsonrpc"], required=True)
    ap.add_argument("--admin-key", required=True)
    ap.add_argument("--limited-key", required=True)
    a = ap.parse_args()
    c = XmlRpc(a.url) if a.proto == "xmlrpc" else JsonRpc(a.url)
    run(c, a.proto, a.db, a.admin_key, a.limited_key, "API keys")
    run(c, a.proto, a.db, "admin", "limited", "passwords")
    print("scenario %s: %d failed" % (a.proto, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
