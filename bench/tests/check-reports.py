#!/usr/bin/env python3
"""odoo-bench's reports read well: runs a short odoo-bench (against the
odoo-mock it starts) and checks what it wrote, then any SVG given after
--svg (e.g. the committed bench/results/odoo-bench.svg).

  check-reports.py ODOO_BENCH [--svg FILE...]

SVG: rendered with rsvg-convert, the PNG has the SVG's width and height;
every <text> has x, y, text-anchor and content, and its estimated extent
(0.6 x font-size a character) stays on the canvas; no NaN anywhere.
Markdown: the header (date, commit, machine, server, budget), a verdict, a
units legend, and a table whose every cell is filled; the parallel section
likewise, a row per protocol, its scaling a ratio. CSV: the same
columns on every line.
Exit 0 when all is well, 1 on a failure, 77 (skipped) without rsvg-convert."""
import csv
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_svg(path):
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        data = f.read()
    check("nan" not in data.lower().replace("n/a", ""), f"{name}: a NaN in the SVG")
    root = ET.fromstring(data)
    width, height = int(root.get("width")), int(root.get("height"))
    base_fs = float(root.get("font-size", "16"))
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "out.png")
        r = subprocess.run(["rsvg-convert", path, "-o", png], capture_output=True, text=True, check=False)
        if check(r.returncode == 0, f"{name}: rsvg-convert failed: {r.stderr.strip()}"):
            check(png_size(png) == (width, height), f"{name}: PNG is {png_size(png)}, SVG says {(width, height)}")
    texts = list(root.iter(SVG_NS + "text"))
    check(len(texts) > 20, f"{name}: only {len(texts)} text elements")
    for t in texts:
        content = "".join(t.itertext())
        where = f"{name}: <text> {content[:40]!r}"
        if not check(all(t.get(k) is not None for k in ("x", "y", "text-anchor")), f"{where} lacks x, y or anchor"):
            continue
        check(content.strip() != "", f"{where} is empty")
        fs = float(t.get("font-size", base_fs))
        x, y, anchor = float(t.get("x")), float(t.get("y")), t.get("text-anchor")
        w = 0.6 * fs * len(content)
        left = {"start": x, "middle": x - w / 2, "end": x - w}.get(anchor)
        if not check(left is not None, f"{where}: anchor {anchor!r}"):
            continue
        check(left >= 0 and left + w <= width, f"{where} runs past the canvas: {left:.0f}..{left + w:.0f} of {width}")
        check(y - fs >= 0 and y <= height, f"{where} is above or below the canvas (y={y}, height {height})")


def table_rows(md, heading):
    lines = md.split("\n")
    start = lines.index(heading) if heading in lines else -1
    rows = []
    for line in lines[start + 1:] if start >= 0 else []:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def check_md(path):
    with open(path, encoding="utf-8") as f:
        md = f.read()
    for key in ("| date |", "| commit |", "| machine |", "| server |", "| calls and budget |", "Command: `"):
        check(key in md, f"markdown: no {key!r} in the header")
    check("## Verdict for Odoo" in md, "markdown: no verdict")
    check("## Units" in md, "markdown: no units legend")
    check("## Peers against libodoo" in md and "Python xmlrpc.client" in md, "markdown: no peers (--peers)")
    rows = table_rows(md, "## Results")
    check(len(rows) > 5, f"markdown: {len(rows)} table rows")
    for row in rows:
        check(len(row) == len(rows[0]), f"markdown: row {row[:2]} has {len(row)} cells, the header {len(rows[0])}")
        check(all(c for c in row), f"markdown: an empty cell in {row}")
    par = table_rows(md, "## Parallel calls")
    check(len(par) == 6, f"markdown: {len(par)} rows in the parallel section (a header and 5 protocols)")
    for row in par:
        check(len(row) == len(par[0]) and all(c for c in row), f"markdown: parallel row {row}")
    for row in par[1:]:
        check(row[3].startswith("×") or row[1].startswith("n/a"), f"markdown: parallel scaling {row[3]!r}")


    rows = table_rows(md, "## Streamed reads")
    check(len(rows) == 6, f"markdown: {len(rows)} rows in the streamed-read section (a header and 5 protocols)")
    for row in rows:
        check(len(row) == len(rows[0]) and all(c for c in row), f"markdown: streamed-read row {row}")
    check("- cursor decode ≥ 600 MB/s: " in md, "markdown: no decode-rate target in the streamed-read section")

    rows = table_rows(md, "## Streamed export")
    check(len(rows) == 6, f"markdown: {len(rows)} rows in the streamed-export section (a header and 5 protocols)")
    for row in rows[1:]:
        written, _, count = row[1].partition(" / ")
        check(written.isdigit() and written == count, f"markdown: export {row[0]} wrote {row[1]} records")
    check("- every record once: **met**" in md, "markdown: the export lost or repeated records")


def check_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    check(len(lines) > 5, f"csv: {len(lines)} lines")
    for line in lines:
        check(len(line) == len(lines[0]), f"csv: {len(line)} fields, the header {len(lines[0])}: {line[:2]}")


def check_runs(bench, tmp):
    """--runs 3: every measured row is one run's, its CPU the median of the three, their spread beside it."""
    md, csv_path = os.path.join(tmp, "runs.md"), os.path.join(tmp, "runs.csv")
    cmd = [bench, "--quick", "--runs", "3", "--budget", "0.1", "--calls", "10", "--partners", "200",
           "--workloads", "sr1x2", "--protocols", "json2,xmlrpc", "--md", md, "--csv", csv_path]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    if not check(r.returncode == 0, f"odoo-bench --runs 3 exited {r.returncode}: {r.stderr.strip()[-400:]}"):
        return
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 2, f"--runs 3: {len(rows)} rows, not one per protocol")
    for row in rows:
        lo, mid, hi = (float(row[k]) for k in ("client_cpu_us_min_of_runs", "client_cpu_us_per_call",
                                                "client_cpu_us_max_of_runs"))
        check(row["runs"] == "3", f"--runs 3: row {row['protocol']} merged {row['runs']} runs")
        check(lo <= mid <= hi, f"--runs 3: {row['protocol']} CPU {mid} outside its runs' [{lo}, {hi}]")
    with open(md, encoding="utf-8") as f:
        text = f.read()
    check("all of it 3 times (--runs)" in text, "--runs 3: the header does not say so")
    check(len(re.findall(r"\| [0-9.]+ [µm]?s \[[0-9.]+ [µm]?s – [0-9.]+ [µm]?s\] \|", text)) == 2,
          "--runs 3: the Markdown CPU cells do not show [lowest – highest]")


def main():
    if not shutil.which("rsvg-convert"):
        print("check-reports: rsvg-convert missing (Debian: librsvg2-bin): skipped")
        return 77
    args = sys.argv[1:]
    bench = args[0] if args and args[0] != "--svg" else None
    extra = args[args.index("--svg") + 1:] if "--svg" in args else []
    with tempfile.TemporaryDirectory() as tmp:
        if bench:
            out = {k: os.path.join(tmp, "bench." + k) for k in ("md", "csv", "svg")}
            cmd = [bench, "--quick", "--peers", "--budget", "0.2", "--calls", "20", "--partners", "2100",
                   "--records", "300", "--workloads", "version,login,sr1x2,sr20kx8,sr20kx8rows,sr20kx8paged,parallel,export",
                   "--md", out["md"], "--csv", out["csv"], "--svg", out["svg"]]
            r = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
            if check(r.returncode == 0, f"odoo-bench exited {r.returncode}: {r.stderr.strip()[-400:]}"):
                check("\r" not in r.stderr, "odoo-bench wrote \\r on a stderr that is not a terminal")
                check_md(out["md"])
                check_csv(out["csv"])
                check_svg(out["svg"])
            check_runs(bench, tmp)
        for path in extra:
            check_svg(path)
    for f in failures:
        print("FAIL", f)
    checks = "the short run's reports" if bench else ""
    print(f"check-reports: {len(failures)} failure(s) ({checks}{' and ' if bench and extra else ''}"
          f"{', '.join(os.path.basename(p) for p in extra)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
