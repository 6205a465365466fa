#!/usr/bin/env python3
"""The same workloads as odoo-bench through Python's xmlrpc.client and
OdooRPC (Debian: python3-odoorpc), against the same server, so libodoo's
cost can be stated against them in one run. Prints one JSON array of
results on stdout (odoo-bench --peers merges it into its table).

Client CPU per call is time.process_time() of this process around the loop:
the server runs in another process and is left out, as in odoo-bench."""
import argparse
import json
import statistics
import sys
import time
import urllib.parse
import xmlrpc.client

FIELDS2 = ["name", "email"]
FIELDS8 = ["name", "email", "phone", "is_company", "country_id", "city", "partner_latitude", "write_date"]


def measure(name, proto, fn, budget, max_calls, warm, big=False):
    for _ in range(warm):
        fn()
    lat = []
    t0, c0 = time.perf_counter(), time.process_time()
    runs_max = 10 if big else max_calls
    while len(lat) < runs_max and (len(lat) < 5 or time.perf_counter() - t0 < (budget * 3 if big else budget)):
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    c1, t1 = time.process_time(), time.perf_counter()
    lat.sort()
    n = len(lat)
    return {"workload": name, "protocol": proto, "ok": 1, "calls": n,
            "median_ms": statistics.median(lat) * 1e3, "p95_ms": lat[min(n - 1, n * 95 // 100)] * 1e3,
            "cpu_us": (c1 - c0) / n * 1e6, "calls_per_s": n / (t1 - t0)}


def xmlrpc_workloads(a):
    common = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/common")
    obj = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/object")
    uid = common.authenticate(a.db, a.user, a.password, {})

    def kw(model, method, args, kwargs=None):
        return obj.execute_kw(a.db, uid, a.password, model, method, args, kwargs or {})

    return {
        "version": lambda: common.version(),
        "login": lambda: common.authenticate(a.db, a.user, a.password, {}),
        "count": lambda: kw("res.partner", "search_count", [[]]),
        "sr1x2": lambda: kw("res.partner", "search_read", [[]], {"fields": FIELDS2, "limit": 1, "order": "id"}),
        "sr80x8": lambda: kw("res.partner", "search_read", [[]], {"fields": FIELDS8, "limit": 80, "order": "id"}),
        "read1all": lambda: kw("res.partner", "read", [[10]]),
        "sr20kx8": lambda: kw("res.partner", "search_read", [[]],
                               {"fields": FIELDS8, "limit": a.records, "order": "id"}),
    }


def odoorpc_workloads(a):
    import odoorpc
    u = urllib.parse.urlparse(a.url)
    o = odoorpc.ODOO(u.hostname, port=u.port or 80, protocol="jsonrpc+ssl" if u.scheme == "https" else "jsonrpc")
    o.login(a.db, a.user, a.password)

    def kw(model, method, args, kwargs=None):
        return o.execute_kw(model, method, args, kwargs or {})

    return {
        "version": lambda: o.json("/web/webclient/version_info", {}),
        "login": lambda: o.login(a.db, a.user, a.password),
        "count": lambda: kw("res.partner", "search_count", [[]]),
        "sr1x2": lambda: kw("res.partner", "search_read", [[]], {"fields": FIELDS2, "limit": 1, "order": "id"}),
        "sr80x8": lambda: kw("res.partner", "search_read", [[]], {"fields": FIELDS8, "limit": 80, "order": "id"}),
        "read1all": lambda: kw("res.partner", "read", [[10]]),
        "sr20kx8": lambda: kw("res.partner", "search_read", [[]],
                               {"fields": FIELDS8, "limit": a.records, "order": "id"}),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--user", default="admin")
    p.add_argument("--password", required=True)
    p.add_argument("--budget", type=float, default=3.0)
    p.add_argument("--max-calls", type=int, default=2000)
    p.add_argument("--records", type=int, default=20000)
    p.add_argument("--workloads", default=None)
    a = p.parse_args()
    wanted = set(a.workloads.split(",")) if a.workloads else None
    results = []
    peers = [("py-xmlrpc", xmlrpc_workloads)]
    try:
        import odoorpc  # noqa: F401
        peers.append(("py-odoorpc", odoorpc_workloads))
    except ImportError:
        print("peers: OdooRPC missing (apt-get install python3-odoorpc): skipped", file=sys.stderr)
    for proto, make in peers:
        try:
            wl = make(a)
        except Exception as e:  # report, do not crash the bench
            results.append({"workload": "login", "protocol": proto, "ok": 0, "note": str(e)[:150]})
            continue
        for name, fn in wl.items():
            if wanted and name not in wanted:
                continue
            print(f"\rpeers: {name:<10} {proto:<12}", end="", file=sys.stderr)
            try:
                results.append(measure(name, proto, fn, a.budget, a.max_calls, 1 if name == "sr20kx8" else 10,
                                       big=name == "sr20kx8"))
            except Exception as e:
                results.append({"workload": name, "protocol": proto, "ok": 0, "note": str(e)[:150]})
    print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
