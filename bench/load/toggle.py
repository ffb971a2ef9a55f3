#!/usr/bin/env python3
"""Toggle latency (E): create the flag file and measure the time until the first 503.

usage: toggle.py PORT FLAG_FILE TIMES POLL_INTERVAL_MS

For each round: make sure maintenance is off (flag absent, the server answers 200), wait a
random fraction of the poll interval (so flag creation falls anywhere in the poll cycle), create
the flag file, then ask GET /small.txt every millisecond until the answer is 503. Talks to
127.0.0.1 only; every wait is bounded. Prints one line per round and a JSON summary last.
"""
import http.client
import json
import os
import random
import statistics
import sys
import time

port, flag, times, poll_ms = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
LIMIT_S = max(10.0, 10 * poll_ms / 1000.0)


def status():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/small.txt")
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def wait_for(expected):
    deadline = time.monotonic() + LIMIT_S
    while time.monotonic() < deadline:
        if status() == expected:
            return time.monotonic()
        time.sleep(0.001)
    raise SystemExit(f"port {port}: no {expected} within {LIMIT_S} s")


latencies = []
random.seed(12345)
for i in range(times):
    if os.path.exists(flag):
        os.remove(flag)
    wait_for(200)
    time.sleep(random.uniform(0, poll_ms / 1000.0))
    with open(flag, "w"):
        pass
    t0 = time.monotonic()
    t1 = wait_for(503)
    ms = (t1 - t0) * 1000.0
    latencies.append(ms)
    print(f"  pollInterval {poll_ms} ms, toggle {i + 1:2d}: first 503 after {ms:7.1f} ms", flush=True)
os.remove(flag)
wait_for(200)
print(json.dumps({"pollInterval": poll_ms, "n": len(latencies), "median": statistics.median(latencies),
                  "max": max(latencies), "min": min(latencies)}))
