#!/usr/bin/env python3
"""Summary table of bench/load.sh: medians over the runs, the ratios, the toggle latencies."""
import glob
import json
import os
import re
import statistics
import sys

results, runs, duration, threads, connections, version, page = sys.argv[1:8]
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {}
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, text, re.M)
        lat[pct] = float(m.group(1)) * UNIT[m.group(2)] if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    non2xx = int(m.group(1)) if m else 0
    total = int(re.search(r"(\d+) requests in", text).group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = sum(int(x) for x in m.groups()) if m else 0
    return {"rps": rps, "p50": lat["50"], "p99": lat["99"], "non2xx": non2xx, "total": total, "errors": errors}


def cpu_of(path):
    try:
        return [float(x) for x in open(path).read().split()]
    except (OSError, ValueError):
        return [float("nan")] * 3


def load_of(path):
    try:
        return float(open(path).read().split()[0])
    except OSError:
        return float("nan")


rows = {}
loads = []
cpus = {}
# The configurations that ran (bench/load.sh CONFIGS), in this order.
CONFIGS = [c for c in "ANBCDFSO" if glob.glob(os.path.join(results, "run*-%s.txt" % c))]
for c in CONFIGS:
    files = sorted(glob.glob(os.path.join(results, "run*-%s.txt" % c)),
                   key=lambda f: int(re.search(r"run(\d+)-", f).group(1)))
    rows[c] = [parse(f) for f in files]
    loads += [load_of(f[:-4] + ".load") for f in files]
    cpus[c] = [cpu_of(f[:-4] + ".cpu") for f in files]

med = {c: {k: statistics.median(r[k] for r in rows[c]) for k in ("rps", "p50", "p99")} for c in rows}
label = {  # noqa
    "A": "A  no valve, static file",
    "N": "N  no valve, a second identical service (noise floor)",
    "B": "B  valve, maintenance off",
    "C": "C  valve on, blocked (503 page)",
    "D": "D  reference 503 valve",
    "F": "F  no valve, a 5-byte static file",
    "S": "S  valve off, status.json",
    "O": "O  valve on, status.json (blocked client)",
}
print(f"Tomcat {version}, wrk -t{threads} -c{connections} -d{duration}s on 127.0.0.1, {runs} alternating runs; "
      f"medians. Page: {page} bytes.")
print()
print("| configuration | requests/s (median) | runs (requests/s) | p50 ms | p99 ms | non-2xx | socket errors "
      "| cores: Tomcat / wrk / others |")
print("|---|---:|---|---:|---:|---:|---:|---|")
for c in CONFIGS:
    rs = rows[c]
    cores = [statistics.median(x[i] for x in cpus[c]) for i in (1, 2, 0)]
    print(f"| {label[c]} | {med[c]['rps']:,.0f} | {', '.join('%.0f' % r['rps'] for r in rs)} | "
          f"{med[c]['p50']:.2f} | {med[c]['p99']:.2f} | {sum(r['non2xx'] for r in rs):,} | "
          f"{sum(r['errors'] for r in rs):,} | {cores[0]:.2f} / {cores[1]:.2f} / {cores[2]:.2f} |")
print()


def paired(x, y):
    """Median of the per-run ratios x/y (x and y ran back to back in each run)."""
    return statistics.median(a["rps"] / b["rps"] for a, b in zip(rows[x], rows[y]))


# name, numerator, denominator, target (None: no target)
RATIOS = [("N/A (two identical services: the noise floor)", "N", "A", None),
          ("B/A (off vs no valve)", "B", "A", 0.98),
          ("C/D (blocked vs reference)", "C", "D", 0.90),
          ("S/F (status.json, off, vs a 5-byte file)", "S", "F", 0.90),
          ("O/F (status.json, on, vs a 5-byte file)", "O", "F", 0.90)]
RATIOS = [r for r in RATIOS if r[1] in rows and r[2] in rows]
per_run = {x + y: [a["rps"] / b["rps"] for a, b in zip(rows[x], rows[y])] for _, x, y, _ in RATIOS}
print("| ratio | of the medians | median of the per-run ratios | per-run range | target | met |")
print("|---|---:|---:|---:|---:|---|")
for name, x, y, target in RATIOS:
    of_medians = med[x]["rps"] / med[y]["rps"]
    paired = statistics.median(per_run[x + y])
    spread = "%.3f to %.3f" % (min(per_run[x + y]), max(per_run[x + y]))
    if target is None:
        met, shown = "", ""
    else:
        shown = ">= %.2f" % target
        met = "yes" if min(of_medians, paired) >= target else ("yes (paired)" if paired >= target else "NO")
    print(f"| {name} | {of_medians:.3f} | {paired:.3f} | {spread} | {shown} | {met} |")
print()
TOGGLES = [poll for poll in (1000, 100) if os.path.exists(os.path.join(results, "toggle-%d.txt" % poll))]
if TOGGLES:
    print("| toggle: flag file created, until the first 503 | toggles | median ms | max ms | min ms | target | met |")
    print("|---|---:|---:|---:|---:|---:|---|")
for poll in TOGGLES:
    path = os.path.join(results, "toggle-%d.txt" % poll)
    if os.path.exists(path):
        s = json.loads(open(path).read().strip().splitlines()[-1])
        ok = s["max"] <= poll + 50
        print(f"| pollInterval {poll} ms | {s['n']} | {s['median']:.0f} | {s['max']:.0f} | {s['min']:.0f} | "
              f"max <= {poll + 50} | {'yes' if ok else 'NO'} |")
if TOGGLES:
    print()
for _, x, y, _ in RATIOS:
    print(f"Per-run {x}/{y}: {', '.join('%.3f' % r for r in per_run[x + y])}.")
print()
clean = [x for x in loads if x == x]
others = [x[0] for c in CONFIGS for x in cpus[c] if x[0] == x[0]]
if clean:
    print(f"1-minute load average at the start of the runs (includes this benchmark's own Tomcat and wrk): "
          f"median {statistics.median(clean):.2f}, max {max(clean):.2f}.")
if others:
    print(f"CPU used by other processes during the runs (of 2 cores): median {statistics.median(others):.2f}, "
          f"max {max(others):.2f} cores.")
