#!/usr/bin/env node
// odoo-bench's Node peer: the npm package odoo-await (XML-RPC through the
// xmlrpc package) on the same workloads, measured as peers.py measures the
// Python peers: wall latency per call, CPU per call = user + system of this
// process (process.resourceUsage(), getrusage(RUSAGE_SELF)), bytes on the
// wire per call counted on the sockets, and for the big read the peak RSS
// of its first call in a fresh process (VmHWM after clear_refs, minus
// VmRSS). Run by peers.py; prints {"results": [...], "version": "..."}.
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawnSync } = require('child_process');

const FIELDS2 = ['name', 'email'];
const FIELDS8 = ['name', 'email', 'phone', 'is_company', 'country_id', 'city', 'partner_latitude', 'write_date'];
const BIG = new Set(['sr20kx8']);
const CLIENT = 'node-odoo-await';
const PROTO = 'xmlrpc';

// Every socket this process opens, to count its bytes (bytesRead and
// bytesWritten stay readable after a socket closes).
const sockets = new Set();
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  sockets.add(this);
  return connect.apply(this, args);
};
function wire() {
  let sent = 0, recv = 0;
  for (const s of sockets) {
    sent += s.bytesWritten;
    recv += s.bytesRead;
  }
  return { sent, recv };
}

function cpuS() {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}
const nowS = () => Number(process.hrtime.bigint()) / 1e9;

function statusKb(key) {
  for (const line of fs.readFileSync('/proc/self/status', 'utf8').split('\n'))
    if (line.startsWith(key)) return parseInt(line.split(/\s+/)[1], 10);
  return -1;
}

function args() {
  const a = { url: '', db: '', user: 'admin', password: '', budget: 3, maxCalls: 2000, warmup: 20, bigRuns: 10,
              records: 20000, workloads: '', peak: '' };
  const names = { '--url': 'url', '--db': 'db', '--user': 'user', '--password': 'password', '--budget': 'budget',
                  '--max-calls': 'maxCalls', '--warmup': 'warmup', '--big-runs': 'bigRuns', '--records': 'records',
                  '--workloads': 'workloads', '--peak': 'peak', '--api-key': 'apiKey' };
  const v = process.argv.slice(2);
  for (let i = 0; i + 1 < v.length; i += 2)
    if (names[v[i]]) a[names[v[i]]] = typeof a[names[v[i]]] === 'number' ? Number(v[i + 1]) : v[i + 1];
  return a;
}

async function workloads(a) {
  const Odoo = require('odoo-await');
  const odoo = new Odoo({ baseUrl: a.url, db: a.db, username: a.user, password: a.password });
  await odoo.connect();
  const sr = (fields, limit) => odoo.searchRead('res.partner', [], fields, { offset: 0, limit, order: 'id', context: {} });
  return {
    // odoo-await has no call for common.version: left out
    login: () => odoo.connect(),
    count: () => odoo.execute_kw('res.partner', 'search_count', [[[]]]),
    sr1x2: () => sr(FIELDS2, 1),
    sr80x8: () => sr(FIELDS8, 80),
    read1all: () => odoo.read('res.partner', [10]),
    sr20kx8: () => sr(FIELDS8, a.records),
  };
}

async function measure(name, fn, a) {
  const big = BIG.has(name);
  for (let i = 0; i < (big ? 0 : a.warmup); i++) await fn();
  const runsMax = big ? a.bigRuns : a.maxCalls, budget = big ? a.budget * 3 : a.budget;
  const lat = [];
  const w0 = wire(), t0 = nowS(), c0 = cpuS();
  while (lat.length < runsMax && (lat.length === 0 || nowS() - t0 < budget)) {
    const t = nowS();
    await fn();
    lat.push(nowS() - t);
  }
  const c1 = cpuS(), w1 = wire();
  lat.sort((x, y) => x - y);
  const n = lat.length;
  const median = n % 2 ? lat[(n - 1) / 2] : (lat[n / 2 - 1] + lat[n / 2]) / 2;
  return { client: CLIENT, protocol: PROTO, workload: name, ok: 1, calls: n, median_ms: median * 1e3,
           p95_ms: lat[Math.min(n - 1, Math.floor(n * 95 / 100))] * 1e3, cpu_us: (c1 - c0) / n * 1e6,
           sent_bytes: (w1.sent - w0.sent) / n, recv_bytes: (w1.recv - w0.recv) / n };
}

const na = (name, why) => ({ client: CLIENT, protocol: PROTO, workload: name, ok: 0, note: why });
const short = (e) => String((e && e.message) || e).slice(0, 140);

function peakInChild(name) {
  const argv = process.argv.slice(2).concat(['--peak', name]);
  const p = spawnSync(process.execPath, [__filename, ...argv], { encoding: 'utf8' });
  try {
    return JSON.parse(p.stdout).peak_mb;
  } catch (e) {
    return null;
  }
}

async function peak(a) {
  const fn = (await workloads(a))[a.peak];
  let reset = true;
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch (e) {
    reset = false;
  }
  const base = statusKb('VmRSS:');
  await fn();
  const mb = reset ? (statusKb('VmHWM:') - base) * 1024 / 1e6 : null; // MB = 10^6 bytes
  process.stdout.write(JSON.stringify({ peak_mb: mb }));
}

async function main() {
  const a = args();
  if (a.peak) return peak(a);
  const names = a.workloads.split(',').filter(Boolean);
  const pkg = require(path.join(path.dirname(require.resolve('odoo-await')), '..', 'package.json'));
  const version = `Node ${process.version}, odoo-await ${pkg.version}`;
  const results = [];
  let wl;
  try {
    wl = await workloads(a);
  } catch (e) {
    for (const n of names) results.push(na(n, short(e)));
  }
  for (const name of wl ? names : []) {
    if (!wl[name]) {
      results.push(na(name, 'odoo-await has no call for it'));
      continue;
    }
    try {
      const r = await measure(name, wl[name], a);
      if (BIG.has(name)) r.peak_mb = peakInChild(name);
      results.push(r);
    } catch (e) {
      results.push(na(name, short(e)));
    }
  }
  process.stdout.write(JSON.stringify({ results, version }));
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
