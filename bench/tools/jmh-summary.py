#!/usr/bin/env python3
"""Summary of bench/jmh.sh's result.json: ns/op and B/op per case, the valve's share, the targets."""
import json
import sys

results = json.load(open(sys.argv[1]))


def num(x):
    """JMH writes "NaN" (a string) for an error it could not compute."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")

rows = {}
for r in results:
    name = r["benchmark"].rsplit(".", 2)
    key = name[-1] if name[-2] == "OffBenchmark" else r.get("params", {}).get("scenario", name[-1])
    alloc = num(r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score"))
    raw = [num(x) for fork in r["primaryMetric"].get("rawData", []) for x in fork]
    rows[key] = {"ns": num(r["primaryMetric"]["score"]), "err": num(r["primaryMetric"]["scoreError"]), "bytes": alloc,
                 "min": min(raw) if raw else float("nan"), "exchange": name[-2] == "ExchangeBenchmark",
                 "class": name[-2]}

print("| benchmark | case | ns/op | ± (99.9%) | best iteration | B/op | valve's share: ns | B |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
# Each case against Tomcat's part for the same kind of request.
BASELINE = {"blockedJson": "noValveRest", "blockedJsonJira": "noValveRest", "admitPath": "noValveHealth"}


def baseline(key):
    return rows.get(BASELINE.get(key, "noValve"))


for key, r in rows.items():
    share_ns = share_b = ""
    base = baseline(key)
    if r["exchange"] and base and not key.startswith("noValve"):
        share_ns = "%.0f" % (r["ns"] - base["ns"])
        share_b = "%.0f" % (r["bytes"] - base["bytes"])
    err = r["err"] if r["err"] == r["err"] else 0.0
    print(f"| {r['class']} | {key} | {r['ns']:.1f} | {err:.1f} | {r['min']:.1f} | {r['bytes']:.0f} | "
          f"{share_ns} | {share_b} |")

print()
checks = []
off = rows.get("valveOff")
if off:
    checks.append(("off: invoke <= 25 ns/op", off["ns"] <= 25, "%.1f ns/op" % off["ns"]))
    checks.append(("off: 0 B/op", off["bytes"] < 0.5, "%.3f B/op" % off["bytes"]))
for key in ("blockedHtml", "blockedJson", "blockedHtmlJira", "blockedJsonJira"):
    if key in rows and baseline(key):
        share = rows[key]["ns"] - baseline(key)["ns"]
        checks.append((f"{key}: the valve's share <= 1000 ns", share <= 1000,
                       "%.0f ns (whole exchange %.0f ns)" % (share, rows[key]["ns"])))
if checks:
    print("| target | measured | met |")
    print("|---|---|---|")
    for what, ok, measured in checks:
        print(f"| {what} | {measured} | {'yes' if ok else 'NO'} |")
print()
print("Each exchange is one request through Tomcat's real Request/Response: what Tomcat does before the "
      "pipeline, the valve, and what Tomcat does after (finish the response, recycle). noValve is Tomcat's "
      "part alone (noValveRest, noValveHealth for the REST client's and the health check's requests); "
      "the valve's share is a case minus the baseline for its kind of request. reference503 is the least any valve can do "
      "to answer 503 with the same page. Best iteration: the fastest 1-second iteration, the least disturbed "
      "by other processes on a shared machine.")
