#!/usr/bin/env python3
"""Sums a JFR recording's samples by site: allocation (jdk.ObjectAllocationSample, by weight)
or CPU (jdk.ExecutionSample, by count). Prints the top frames, their first caller inside the
valve, and the allocated class.

usage: jfr-sites.py alloc|cpu FILE.jfr [TOP] [FOCUS_PREFIX]
"""
import collections
import json
import subprocess
import sys

kind, path = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
focus = sys.argv[4] if len(sys.argv) > 4 else "org.maintenancevalve."
event = "jdk.ObjectAllocationSample" if kind == "alloc" else "jdk.ExecutionSample"
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "40", "--events", event, path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]


def name(frame):
    m = frame["method"]
    return (m["type"]["name"] + "." + m["name"]).replace("/", ".") + ":" + str(frame.get("lineNumber", "?"))


by_site = collections.Counter()
by_top = collections.Counter()
total = 0
for e in events:
    v = e["values"]
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    weight = v.get("weight", 1) if kind == "alloc" else 1
    total += weight
    ours = next((name(f) for f in frames if name(f).startswith(focus) and ".bench." not in name(f)), "(not via " + focus + ")")
    what = v["objectClass"]["name"] if kind == "alloc" else name(frames[0])
    by_site[(ours, what, name(frames[0]) if kind == "alloc" else "")] += weight
    by_top[ours] += weight

unit = "bytes" if kind == "alloc" else "samples"
print(f"total {total} {unit}")
print(f"-- by first frame under {focus}")
for site, w in by_top.most_common(top):
    print(f"{100.0 * w / total:6.1f}%  {site}")
print("-- by (that frame, allocated class / top frame, allocating frame)")
for (ours, what, where), w in by_site.most_common(top):
    print(f"{100.0 * w / total:6.1f}%  {ours}  {what}  {where}")
