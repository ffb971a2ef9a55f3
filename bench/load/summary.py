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
for c in "ANBCD":
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
}
print(f"Tomcat {version}, wrk -t{threads} -c{connections} -d{duration}s on 127.0.0.1, {runs} alternating runs; "
      f"medians. Page: {page} bytes.")
print()
print("| configuration | requests/s (median) | runs (requests/s) | p50 ms | p99 ms | non-2xx | socket errors "
      "| cores: Tomcat / wrk / others |")
print("|---|---:|---|---:|---:|---:|---:|---|")
for c in "ANBCD":
    rs = rows[c]
    cores = [statistics.median(x[i] for x in cpus[c]) for i in (1, 2, 0)]
    print(f"| {label[c]} | {med[c]['rps']:,.0f} | {', '.join('%.0f' % r['rps'] for r in rs)} | "
          f"{med[c]['p50']:.2f} | {med[c]['p99']:.2f} | {sum(r['non2xx'] for r in rs):,} | "
          f"{sum(r['errors'] for r in rs):,} | {cores[0]:.2f} / {cores[1]:.2f} / {cores[2]:.2f} |")
print()


def paired(x, y):
    """Median of the per-run ratios x/y (x and y ran back to back in each run)."""
    return statistics.median(a["rps"] / b["rps"] for a, b in zip(rows[x], rows[y]))


na = med["N"]["rps"] / med["A"]["rps"]
na_p = paired("N", "A")
ba = med["B"]["rps"] / med["A"]["rps"]
cd = med["C"]["rps"] / med["D"]["rps"]
ba_p, cd_p = paired("B", "A"), paired("C", "D")
per_run = {k: [a["rps"] / b["rps"] for a, b in zip(rows[k[0]], rows[k[1]])] for k in ("NA", "BA", "CD")}
print("| ratio | of the medians | median of the per-run ratios | per-run range | target | met |")
print("|---|---:|---:|---:|---:|---|")


def spread(k):
    return "%.3f to %.3f" % (min(per_run[k]), max(per_run[k]))


print(f"| N/A (two identical services: the noise floor) | {na:.3f} | {na_p:.3f} | {spread('NA')} | | |")
print(f"| B/A (off vs no valve) | {ba:.3f} | {ba_p:.3f} | {spread('BA')} | >= 0.98 | {'yes' if min(ba, ba_p) >= 0.98 else ('yes (paired)' if ba_p >= 0.98 else 'NO')} |")
print(f"| C/D (blocked vs reference) | {cd:.3f} | {cd_p:.3f} | {spread('CD')} | >= 0.90 | {'yes' if min(cd, cd_p) >= 0.90 else ('yes (paired)' if cd_p >= 0.90 else 'NO')} |")
print()
print("| toggle: flag file created, until the first 503 | toggles | median ms | max ms | min ms | target | met |")
print("|---|---:|---:|---:|---:|---:|---|")
for poll in (1000, 100):
    path = os.path.join(results, "toggle-%d.txt" % poll)
    if os.path.exists(path):
        s = json.loads(open(path).read().strip().splitlines()[-1])
        ok = s["max"] <= poll + 50
        print(f"| pollInterval {poll} ms | {s['n']} | {s['median']:.0f} | {s['max']:.0f} | {s['min']:.0f} | "
              f"max <= {poll + 50} | {'yes' if ok else 'NO'} |")
print()
for k, name in (("NA", "N/A"), ("BA", "B/A"), ("CD", "C/D")):
    print(f"Per-run {name}: {', '.join('%.3f' % x for x in per_run[k])}.")
print()
clean = [x for x in loads if x == x]
others = [x[0] for c in "ANBCD" for x in cpus[c] if x[0] == x[0]]
if clean:
    print(f"1-minute load average at the start of the runs (includes this benchmark's own Tomcat and wrk): "
          f"median {statistics.median(clean):.2f}, max {max(clean):.2f}.")
if others:
    print(f"CPU used by other processes during the runs (of 2 cores): median {statistics.median(others):.2f}, "
          f"max {max(others):.2f} cores.")
