#!/usr/bin/python3
"""N legacy clients at once through odoo-bridge (xmlrpc.client, one thread each).

Every client authenticates and runs search_count and search_read; the upstream
is slowed down (the test injects latency), so the wall time shows whether the
bridge served them at the same time. Exit status 0 when every call succeeded
within --max-seconds.
"""
import argparse
import sys
import threading
import time
import xmlrpc.client

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--db", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--clients", type=int, default=32)
ap.add_argument("--max-seconds", type=float, default=5.0)
a = ap.parse_args()

# one warm-up call: the bridge opens its first upstream connection
common = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/common")
assert common.authenticate(a.db, "admin", a.key, {}) == 2

errors, results = [], []
start = threading.Barrier(a.clients)


def client(i):
    try:
        obj = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/object")
        start.wait()
        n = obj.execute_kw(a.db, 2, a.key, "res.partner", "search_count", [[]])
        rows = obj.execute_kw(a.db, 2, a.key, "res.partner", "search_read", [[["id", "=", 1 + i % 5]]],
                              {"fields": ["name"]})
        results.append((n, len(rows)))
    except Exception as e:  # noqa: BLE001 - reported below
        errors.append(repr(e))


threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - t0
print("concurrent: %d clients, 2 calls each, %.2f s, %d errors%s" %
      (a.clients, elapsed, len(errors), (": " + errors[0]) if errors else ""))
ok = not errors and len(results) == a.clients and len({r[0] for r in results}) == 1 and elapsed <= a.max_seconds
if elapsed > a.max_seconds:
    print("  FAIL: slower than %.1f s: the clients were not served concurrently" % a.max_seconds)
sys.exit(0 if ok else 1)
