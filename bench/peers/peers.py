#!/usr/bin/env python3
"""odoo-bench's peers: other Odoo clients on the same workloads, against the
same server, so libodoo's cost can be stated against them in one run.

  Python xmlrpc.client            XML-RPC, the standard library
  OdooRPC (python3-odoorpc)       JSON-RPC /jsonrpc through urllib
  Python http.client JSON-2       a raw JSON-2 client: bearer key, POST
                                  /json/2/<model>/<method>, one keep-alive connection
  Node odoo-await                 XML-RPC (bench/peers/node/odoo-await.js,
                                  run here when node and the package are there)

Measured as odoo-bench measures libodoo: wall latency of each call
(median, p95), client CPU per call = user + system time of this process
(getrusage(RUSAGE_SELF)) around the loop, bytes on the wire per call
counted on the sockets (headers included), and for the big read the peak
RSS of its first call in a fresh process (VmHWM after resetting it through
/proc/self/clear_refs, minus VmRSS before). Prints one JSON document on
stdout: {"results": [...], "notes": [...]}."""
import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import xmlrpc.client

FIELDS2 = ["name", "email"]
FIELDS8 = ["name", "email", "phone", "is_company", "country_id", "city", "partner_latitude", "write_date"]
BIG = {"sr20kx8"}
NODE_PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node", "odoo-await.js")

# ---- bytes on the wire: every socket this process opens is counted ----

WIRE = {"sent": 0, "recv": 0}


class CountingSocket(socket.socket):
    def send(self, data, *args):
        n = super().send(data, *args)
        WIRE["sent"] += n
        return n

    def sendall(self, data, *args):
        super().sendall(data, *args)
        WIRE["sent"] += len(data)

    def recv(self, *args):
        data = super().recv(*args)
        WIRE["recv"] += len(data)
        return data

    def recv_into(self, buf, *args):
        n = super().recv_into(buf, *args)
        WIRE["recv"] += n
        return n


socket.socket = CountingSocket  # before any connection is made


def cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return -1


def peak_mb(fn):
    """Peak RSS of one call, the same way odoo-bench measures libodoo's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None
    base = status_kb("VmRSS:")
    fn()
    return (status_kb("VmHWM:") - base) * 1024 / 1e6  # MB = 10^6 bytes


def measure(client, proto, name, fn, a):
    big = name in BIG
    for _ in range(0 if big else a.warmup):
        fn()
    runs_max = a.big_runs if big else a.max_calls
    budget = a.budget * 3 if big else a.budget
    lat = []
    s0, r0 = WIRE["sent"], WIRE["recv"]
    t0, c0 = time.perf_counter(), cpu_s()
    while len(lat) < runs_max and (not lat or time.perf_counter() - t0 < budget):
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    c1 = cpu_s()
    lat.sort()
    n = len(lat)
    return {"client": client, "protocol": proto, "workload": name, "ok": 1, "calls": n,
            "median_ms": statistics.median(lat) * 1e3, "p95_ms": lat[min(n - 1, n * 95 // 100)] * 1e3,
            "cpu_us": (c1 - c0) / n * 1e6,
            "sent_bytes": (WIRE["sent"] - s0) / n, "recv_bytes": (WIRE["recv"] - r0) / n}


# ---- the peers: each gives {workload: function} after connecting ----

def search_read_kwargs(fields, limit):
    return {"fields": fields, "limit": limit, "order": "id"}


def orm_workloads(kw, a):
    """The ORM workloads through an execute_kw(model, method, args, kwargs)."""
    return {
        "count": lambda: kw("res.partner", "search_count", [[]]),
        "sr1x2": lambda: kw("res.partner", "search_read", [[]], search_read_kwargs(FIELDS2, 1)),
        "sr80x8": lambda: kw("res.partner", "search_read", [[]], search_read_kwargs(FIELDS8, 80)),
        "read1all": lambda: kw("res.partner", "read", [[10]]),
        "sr20kx8": lambda: kw("res.partner", "search_read", [[]], search_read_kwargs(FIELDS8, a.records)),
    }


def py_xmlrpc(a):
    common = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/common")
    obj = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/object")
    uid = common.authenticate(a.db, a.user, a.password, {})

    def kw(model, method, args, kwargs=None):
        return obj.execute_kw(a.db, uid, a.password, model, method, args, kwargs or {})

    wl = {"version": lambda: common.version(),
          "login": lambda: common.authenticate(a.db, a.user, a.password, {})}
    wl.update(orm_workloads(kw, a))
    return wl


def py_odoorpc(a):
    import odoorpc
    u = urllib.parse.urlparse(a.url)
    o = odoorpc.ODOO(u.hostname, port=u.port or 80, protocol="jsonrpc+ssl" if u.scheme == "https" else "jsonrpc")
    o.login(a.db, a.user, a.password)

    def kw(model, method, args, kwargs=None):
        return o.execute_kw(model, method, args, kwargs or {})

    wl = {"version": lambda: o.json("/web/webclient/version_info", {}),
          "login": lambda: o.login(a.db, a.user, a.password)}
    wl.update(orm_workloads(kw, a))
    return wl


class Json2:
    """A raw JSON-2 client: what a few lines of http.client give."""

    def __init__(self, a):
        if not a.api_key:
            raise RuntimeError("no API key given (--api-key)")
        u = urllib.parse.urlparse(a.url)
        cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
        self.conn = cls(u.hostname, u.port)
        self.headers = {"Authorization": "bearer " + a.api_key, "Content-Type": "application/json"}
        if a.db:
            self.headers["X-Odoo-Database"] = a.db

    def request(self, method, path, body=None):
        self.conn.request(method, path, body, self.headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status} on {path}: {data[:80]!r}")
        return json.loads(data)

    def call(self, model, method, body):
        return self.request("POST", f"/json/2/{model}/{method}", json.dumps(body))


def py_json2(a):
    j = Json2(a)
    j.call("res.users", "context_get", {})

    def sr(fields, limit):
        return j.call("res.partner", "search_read", dict(domain=[], **search_read_kwargs(fields, limit)))

    return {
        "version": lambda: j.request("GET", "/web/version"),
        "login": lambda: j.call("res.users", "context_get", {}),
        "count": lambda: j.call("res.partner", "search_count", {"domain": []}),
        "sr1x2": lambda: sr(FIELDS2, 1),
        "sr80x8": lambda: sr(FIELDS8, 80),
        "read1all": lambda: j.call("res.partner", "read", {"ids": [10]}),
        "sr20kx8": lambda: sr(FIELDS8, a.records),
    }


PEERS = [  # client id, wire protocol, maker
    ("py-xmlrpc", "xmlrpc", py_xmlrpc),
    ("py-odoorpc", "jsonrpc-stateless", py_odoorpc),
    ("py-json2", "json2", py_json2),
]


def na(client, proto, names, why):
    return [{"client": client, "protocol": proto, "workload": n, "ok": 0, "note": why} for n in names]


def python_peer(client, proto, make, a, names, progress):
    try:
        wl = make(a)
    except Exception as e:  # report, do not crash the bench
        return na(client, proto, names, str(e)[:140] or type(e).__name__)
    if "sr1x2" in wl:
        # login10: what a short-lived client pays, a new client (its
        # connection and login) and ten small reads (bench/workloads.c).
        def amortised():
            fresh = make(a)
            for _ in range(10):
                fresh["sr1x2"]()
        wl["login10"] = amortised
    out = []
    for name in names:
        if name not in wl:
            out += na(client, proto, [name], "no such call in this client")
            continue
        progress(f"peers: {name:<10} {client}")
        try:
            r = measure(client, proto, name, wl[name], a)
            if name in BIG:
                r["peak_mb"] = peak_in_child(client, name, a)
            out.append(r)
        except Exception as e:
            out += na(client, proto, [name], str(e)[:140] or type(e).__name__)
    return out


def peak_in_child(client, name, a):
    """The big read's first call in a fresh process, as libodoo's."""
    cmd = [sys.executable, os.path.abspath(__file__), "--peak", client, "--workloads", name] + common_args(a)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    try:
        return json.loads(p.stdout)["peak_mb"]
    except (ValueError, KeyError):
        return None


def common_args(a):
    return ["--url", a.url, "--db", a.db, "--user", a.user, "--password", a.password, "--api-key", a.api_key,
            "--records", str(a.records)]


def node_peer(a, names, progress):
    client, proto = "node-odoo-await", "xmlrpc"
    node = shutil.which("node")
    if not node:
        return na(client, proto, names, "node is not installed"), "Node odoo-await: n/a, node is not installed"
    pkg = os.path.join(os.path.dirname(NODE_PEER), "node_modules", "odoo-await")
    if not os.path.isdir(pkg):
        why = "odoo-await is not installed (npm ci --prefix bench/peers/node)"
        return na(client, proto, names, why), "Node odoo-await: n/a, " + why
    progress(f"peers: {client}")
    cmd = [node, NODE_PEER, "--budget", str(a.budget), "--max-calls", str(a.max_calls), "--warmup", str(a.warmup),
           "--big-runs", str(a.big_runs), "--workloads", ",".join(names)] + common_args(a)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    try:
        doc = json.loads(p.stdout)
        return doc["results"], doc["version"]
    except (ValueError, KeyError):
        why = f"odoo-await.js failed (exit {p.returncode})"
        return na(client, proto, names, why), "Node odoo-await: n/a, " + why


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--db", default="")
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default="")
    p.add_argument("--api-key", default="")
    p.add_argument("--budget", type=float, default=3.0)
    p.add_argument("--max-calls", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--big-runs", type=int, default=10)
    p.add_argument("--records", type=int, default=20000)
    p.add_argument("--workloads", default="version,login,count,sr1x2,sr80x8,read1all,sr20kx8")
    p.add_argument("--progress", action="store_true", help="progress lines on stderr (a terminal)")
    p.add_argument("--peak", metavar="CLIENT", help=argparse.SUPPRESS)
    a = p.parse_args()
    names = a.workloads.split(",")

    if a.peak:  # child mode: the peak of one big call
        make = next(m for c, _, m in PEERS if c == a.peak)
        fn = make(a)[names[0]]
        json.dump({"peak_mb": peak_mb(fn)}, sys.stdout)
        return

    def progress(line):
        if a.progress:
            print(f"\r\033[K{line}", end="", file=sys.stderr, flush=True)

    results, notes = [], ["Python " + sys.version.split()[0]]
    for client, proto, make in PEERS:
        if client == "py-odoorpc":
            try:
                import odoorpc
                notes[0] += ", OdooRPC " + odoorpc.__version__
            except ImportError:
                results += na(client, proto, names, "OdooRPC is not installed (apt-get install python3-odoorpc)")
                notes.append("OdooRPC: n/a, not installed (apt-get install python3-odoorpc)")
                continue
        results += python_peer(client, proto, make, a, names, progress)
    node_results, note = node_peer(a, names, progress)
    results += node_results
    if note:
        notes.append(note)
    if a.progress:
        print("\r\033[K", end="", file=sys.stderr)
    json.dump({"results": results, "notes": notes}, sys.stdout)


if __name__ == "__main__":
    main()
