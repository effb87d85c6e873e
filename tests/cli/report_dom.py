# SPDX-License-Identifier: MIT
# report_dom.py - checks for tests/cli/test_report.sh: reads a DOM that
# headless Chromium dumped (or the HTML file) and a PNG screenshot, and
# compares what is drawn with figures this script derives on its own from
# the input CSV and summary JSON.  Each subcommand exits 0 (pass) or 1 and
# prints why.  Run with /usr/bin/python3 (standard library only).
import csv
import json
import math
import struct
import sys
import zlib
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Elements as (tag, attrs, text) with the ids of their ancestors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.elems = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        chart = next((e[1].get("data-chart") for e in reversed(self.stack)
                      if e[1].get("data-chart")), None)
        el = [tag, a, "", chart]
        self.elems.append(el)
        if tag not in ("meta", "br"):  # HTML void elements never close
            self.stack.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        for el in self.stack:
            el[2] += data


def load(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    return d.elems


def series(elems, chart):
    return {e[1]["data-series"]: e for e in elems
            if e[0] == "g" and e[3] == chart and "data-series" in e[1]}


def charts(elems):
    return [e[1]["data-chart"] for e in elems
            if e[0] == "figure" and "data-chart" in e[1]]


def fail(msg):
    print("  " + msg)
    sys.exit(1)


def csv_energy(path, col):
    """Sum of col x duration(s) over the rows with a value."""
    s = 0.0
    for r in csv.DictReader(open(path)):
        if r.get(col, "") != "" and r["duration(s)"] != "":
            s += float(r[col]) * float(r["duration(s)"])
    return s


def cmd_charts(dom, *want):
    """Every named chart is there, each with the named series:
    CHART=series1+series2 ..."""
    e = load(dom)
    have = charts(e)
    for w in want:
        chart, _, names = w.partition("=")
        if chart not in have:
            fail("chart %s missing; have %s" % (chart, have))
        s = series(e, chart)
        for n in filter(None, names.split("+")):
            if n not in s:
                fail("chart %s: no series %r; have %s" % (chart, n, list(s)))
    print("  charts: " + " ".join(have))


def cmd_tiles(dom, summary):
    """Tiles hold the summary's numbers exactly; text is %.4g of them."""
    e = load(dom)
    j = json.load(open(summary))
    want = {"energy_j": j["energy_j"]["total"], "energy_kwh": j["energy_kwh"],
            "energy_uncertainty_j": j["energy_uncertainty_j"],
            "avg_power_w": j["avg_power_w"], "peak_power_w": j["peak_power_w"],
            "co2_g": j["co2_g"]}
    tiles = {t[1]["data-key"]: t for t in e
             if t[0] == "div" and t[1].get("class") == "tile"}
    for k, v in want.items():
        if k not in tiles:
            fail("no tile %s" % k)
        got = float(tiles[k][1]["data-value"])
        text = tiles[k][2]
        shown = "%.4g" % v
        if got != v or shown not in text:
            fail("tile %s: data-value %r text %r, summary %r (%s)"
                 % (k, got, text, v, shown))
    print("  tiles match: " + ", ".join("%s=%.4g" % kv for kv in want.items()))


def cmd_csv_tiles(dom, csvpath, col):
    """Without a summary: energy tile = sum(col x duration) of the CSV."""
    e = load(dom)
    t = [x for x in e if x[0] == "div" and x[1].get("data-key") == "energy_j"]
    want = csv_energy(csvpath, col)
    if not t:
        fail("no energy tile")
    got = float(t[0][1]["data-value"])
    # Same cells summed in another order: rounding only.
    if abs(got - want) > 1e-9 * max(1, want):
        fail("energy tile %r, CSV sum %r" % (got, want))
    print("  energy tile %.6f J = CSV sum %.6f J" % (got, want))


def cmd_bar(dom, chart, name, csvpath, col):
    """A bar's value equals sum(col x duration) of the CSV."""
    e = load(dom)
    s = series(e, chart).get(name)
    if not s:
        fail("no series %s in %s" % (name, chart))
    rects = [x for x in e if x[0] == "rect" and x[3] == chart
             and "data-value" in x[1] and name in x[2]]
    want = csv_energy(csvpath, col)
    got = float(rects[0][1]["data-value"]) if rects else float("nan")
    if not abs(got - want) <= 1e-9 * max(1, want):
        fail("bar %s = %r, CSV sum %r" % (name, got, want))
    print("  bar %s %.6f J = CSV %.6f J" % (name, got, want))


def cmd_shade(dom, chart, cls, label, count="1"):
    """The chart has exactly count shaded intervals of that class/label
    (consecutive windows of one region are one interval)."""
    e = load(dom)
    n = len([x for x in e if x[0] == "g" and x[3] == chart
             and x[1].get("class") == cls and x[1].get("data-label") == label])
    if n != int(count):
        fail("%d %s %r in %s, want %s" % (n, cls, label, chart, count))


def cmd_plan(dom, folder, *workloads):
    """Per-workload mean and sd of energy equal those of the CSVs."""
    import glob
    import statistics
    e = load(dom)
    for w in workloads:
        files = sorted(glob.glob("%s/%s_*_PACT.csv" % (folder, w)))
        es = [csv_energy(f, "total_power_w") for f in files]
        rows = [x for x in e if x[0] == "tr" and x[1].get("data-workload") == w]
        if not rows:
            fail("no table row for %s" % w)
        cell = [x for x in e if x[0] == "td" and x[1].get("data-key") ==
                "energy_j" and x in e[e.index(rows[0]):]][0]
        m, sd = float(cell[1]["data-mean"]), float(cell[1]["data-sd"])
        wm, wsd = statistics.mean(es), statistics.stdev(es)
        if abs(m - wm) > 1e-9 * max(1, wm) or abs(sd - wsd) > 1e-6 * max(1, wsd):
            fail("%s: report %r +- %r, CSVs %r +- %r" % (w, m, sd, wm, wsd))
        print("  %s: %.4f +- %.4f J over %d trials" % (w, m, sd, len(es)))


def cmd_eval(dom, evalcsv, predcsv):
    """Metrics table cells are eval.csv's; traces hold every prediction row
    (fewer than the pixel columns here); the scatter has the identity."""
    e = load(dom)
    for r in csv.DictReader(open(evalcsv)):
        row = [x for x in e if x[0] == "tr" and
               x[1].get("data-workload") == r["workload"]]
        if not row:
            fail("no metrics row for %s" % r["workload"])
        i = e.index(row[0]) + 1
        cells = {}
        while i < len(e) and e[i][0] != "tr":
            if e[i][0] == "td":
                cells[e[i][1]["data-key"]] = e[i][2]
            i += 1
        for k, v in r.items():
            if cells.get(k) != v:
                fail("%s %s: %r, eval.csv %r" % (r["workload"], k,
                                                 cells.get(k), v))
    n = {}
    for r in csv.DictReader(open(predcsv)):
        n[r["workload"]] = n.get(r["workload"], 0) + 1
    have = charts(e)
    for i, (w, k) in enumerate(n.items()):
        s = series(e, "eval-trace-%d" % i)
        for name in ("measured", "predicted"):
            if name not in s or int(s[name][1]["data-points"]) != k:
                fail("eval-trace-%d %s: want %d points" % (i, name, k))
    s = series(e, "eval-scatter")
    if "identity" not in s or set(n) - set(s):
        fail("scatter series %s" % list(s))
    print("  eval: %d workloads, charts %s" % (len(n), have))


def cmd_job(dom, jobcsv, *nodes):
    """A pact merge job CSV: the per-node chart has each node and the job
    total; the energy tile is the CSV's last job_energy_j, which equals the
    sum of job_power_w x duration(s) (cells rounded to 1e-3: 1e-3 J a row)."""
    e = load(dom)
    s = series(e, "job-nodes")
    for n in list(nodes) + ["job total"]:
        if n not in s:
            fail("job-nodes: no series %r; have %s" % (n, list(s)))
    rows = list(csv.DictReader(open(jobcsv)))
    last = [float(r["job_energy_j"]) for r in rows if r["job_energy_j"]][-1]
    summed = csv_energy(jobcsv, "job_power_w")
    t = [x for x in e if x[0] == "div" and x[1].get("data-key") == "energy_j"]
    got = float(t[0][1]["data-value"])
    if got != last or abs(summed - last) > 1e-3 * len(rows) + 1e-3:
        fail("job energy tile %r, job_energy_j %r, sum %r" % (got, last,
                                                              summed))
    for n in nodes:
        if not [x for x in e if x[0] == "tr" and x[1].get("data-node") == n]:
            fail("no table row for node %s" % n)
    print("  job %.3f J, nodes %s" % (got, ", ".join(nodes)))


def cmd_jitter(dom, csvpath):
    """The data-quality row states the window clock's mean and standard
    deviation over all windows but the last (partial) one; printed to
    1 us, so they agree with statistics' exact figures to half of that,
    plus 1 ns for the floating-point sums on a value that sits at a
    rounding edge."""
    import re
    import statistics
    e = load(dom)
    row = [x for x in e if x[0] == "tr" and
           x[1].get("data-key") == "window clock"]
    if not row:
        fail("no window clock row")
    m = re.search(r"mean ([0-9.]+) ms, jitter \(standard deviation\) "
                  r"([0-9.]+) ms", row[0][2])
    d = [float(r["duration(s)"]) * 1e3 for r in csv.DictReader(open(csvpath))]
    d = d[:-1]
    wm, ws = statistics.mean(d), statistics.stdev(d)
    tol = 5e-4 + 1e-6
    if not m or abs(float(m.group(1)) - wm) > tol or \
            abs(float(m.group(2)) - ws) > tol:
        fail("window clock %r; CSV mean %.4f sd %.4f ms" % (row[0][2], wm, ws))
    print("  window clock mean %.3f ms, jitter %.3f ms" % (wm, ws))


def cmd_multiplex(dom, csvpath):
    """Counters below 100 %: the page states the duration-weighted mean
    running share (to 0.1 %) and its least value, and draws the share."""
    e = load(dom)
    p = [x for x in e if x[0] == "p" and x[1].get("class") == "multiplex"]
    rows = [r for r in csv.DictReader(open(csvpath))
            if r["counter_running_pct"] != ""]
    d = [float(r["duration(s)"]) for r in rows]
    v = [float(r["counter_running_pct"]) for r in rows]
    mean = sum(a * b for a, b in zip(v, d)) / sum(d)
    if not p or abs(float(p[0][1]["data-mean"]) - mean) > 0.05 or \
            float(p[0][1]["data-min"]) != min(v):
        fail("multiplexing %r; CSV mean %.2f min %.1f"
             % (p and p[0][1], mean, min(v)))
    if "multiplexing" not in charts(e):
        fail("no multiplexing chart")
    print("  counters ran %.1f %% on average, least %.1f %%" % (mean, min(v)))


def cmd_longjob(dom, csvpath):
    """Rows of several hosts in one CSV: one line per host, and each host's
    energy in the table = sum of total_power_w x duration(s) of its rows
    (printed to 1 mJ)."""
    e = load(dom)
    want = {}
    for r in csv.DictReader(open(csvpath)):
        if r["total_power_w"] != "":
            want[r["host"]] = want.get(r["host"], 0) + \
                float(r["total_power_w"]) * float(r["duration(s)"])
    s = series(e, "job-nodes")
    for h, v in want.items():
        if h not in s:
            fail("job-nodes: no series %r; have %s" % (h, list(s)))
        row = [x for x in e if x[0] == "tr" and x[1].get("data-node") == h]
        i = e.index(row[0]) if row else -1
        cells = [x for x in e[i + 1:i + 4] if x[0] == "td"]
        got = float(cells[1][2]) if len(cells) > 1 else float("nan")
        if not abs(got - v) <= 5e-4 + 1e-12 * v:
            fail("%s: table %r J, CSV %r J" % (h, got, v))
    print("  hosts " + ", ".join("%s %.3f J" % kv for kv in want.items()))


def png_pixels(path):
    """(width, height, rows of bytes) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                fail("PNG depth %d colour type %d not handled" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat += body
        pos += 12 + ln
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else
                                      b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def cmd_shot(png, width, height, minvar):
    """The screenshot has the asked size and is not blank: the variance of
    its grey levels is above minvar (a white page has 0)."""
    w, h, bpp, rows = png_pixels(png)
    if (w, h) != (int(width), int(height)):
        fail("screenshot %dx%d, asked %sx%s" % (w, h, width, height))
    n = s = q = 0
    for r in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            g = (r[x] + r[x + 1] + r[x + 2]) / 3
            n += 1
            s += g
            q += g * g
    var = q / n - (s / n) ** 2
    print("  %dx%d, grey variance %.1f" % (w, h, var))
    if var <= float(minvar):
        fail("blank screenshot (variance %.2f)" % var)


def cmd_same(a, b):
    """Two screenshots of the same page have the same size, and (almost)
    the same pixels: under heavy load (sanitizers) Chromium may catch a
    frame with some text not yet antialiased, so up to 1 % of the bytes
    may differ; a layout change moves far more."""
    wa, ha, _, ra = png_pixels(a)
    wb, hb, _, rb = png_pixels(b)
    if (wa, ha) != (wb, hb):
        fail("screenshot sizes differ: %dx%d vs %dx%d" % (wa, ha, wb, hb))
    n = sum(len(r) for r in ra)
    d = sum(1 for x, y in zip(ra, rb) if x != y for p, q in zip(x, y)
            if p != q)
    print("  %dx%d both; %.4f %% of the bytes differ" % (wa, ha, 100 * d / n))
    if d > 0.01 * n:
        fail("screenshots differ in %d of %d bytes" % (d, n))


def cmd_peak(dom, chart, want):
    """A hover text of the chart names the single spike's max value."""
    e = load(dom)
    tips = [x[2] for x in e if x[0] == "title" and x[3] == chart and
            "max " in x[2]]
    best = 0
    for t in tips:
        v = float(t.split("max ")[1].split(" ")[0].rstrip(","))
        best = max(best, v)
    if abs(best - float(want)) > 1e-9:
        fail("largest max in the hover texts %r, spike %s" % (best, want))
    print("  spike %s W survives downsampling" % want)


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
