#!/usr/bin/env python3
"""The window's own cost, measured around `run` on a real Tomcat (bench/window.sh starts it).

usage: measure.py PORT JMX_PORT FLAG JAR RESULTS RUNS WRITERS WRITE_MS

For each scenario, `idle` (nothing but a prober) and `writes` (WRITERS clients each POSTing
/slow.jsp?ms=WRITE_MS, one connection per request, a write that takes WRITE_MS in the app), RUNS
times: starts `java -jar JAR run --flag FLAG --jmx 127.0.0.1:JMX_PORT --drain 1m -- sh -c ...`
whose command writes its start and end times (date +%s%N) and does nothing else for HOLD_S; run's
stderr lines are time-stamped as they arrive; a prober asks GET /index.html every millisecond on a
fresh connection. Per run:

  flag written   run started -> "Flag file written"      (the JVM's start, JMX connection, the write;
                 `java -jar JAR --version` alone is measured too: the JVM's own start)
  confirmed      -> "Maintenance is on ... applied"        (every valve reached applies it)
  drained        -> "Starting: ..."                        (the requests from before have finished)
  command start  run started -> the command's first line  (the whole cost before the backup)
  users back     the command's last line -> the prober's first 200 after it
  run returns    the command's last line -> run's exit (the end confirmed, the summary printed)

Talks to 127.0.0.1 only; every wait is bounded. Writes RESULTS/runs.json and prints a Markdown
summary.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

port, jmx_port, flag, jar, results = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
runs, writers, write_ms = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
HOLD_S = 0.5
RUN_LIMIT_S = 120


def request(method, path, body=None):
    """(sent ns, answered ns, status); status -1 when the request failed."""
    sent = time.time_ns()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        return sent, time.time_ns(), r.status
    except OSError:
        return sent, time.time_ns(), -1
    finally:
        conn.close()


class Loop(threading.Thread):
    """Repeats one request until stopped, recording every answer."""

    def __init__(self, method, path, body, pause_s):
        super().__init__(daemon=True)
        self.method, self.path, self.body, self.pause_s = method, path, body, pause_s
        self.answers = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.answers.append(request(self.method, self.path, self.body))
            time.sleep(self.pause_s)

    def stop(self):
        self.stopping.set()
        self.join(30)


def one_run(scenario, work):
    load = []
    if scenario == "writes":
        load = [Loop("POST", f"/slow.jsp?ms={write_ms}", "issue=1", 0.005) for _ in range(writers)]
        for w in load:
            w.start()
        deadline = time.monotonic() + 30
        while sum(1 for w in load for a in w.answers if a[2] == 200) < 2 * writers:
            if time.monotonic() > deadline:
                raise SystemExit("the writers got no 200s")
            time.sleep(0.01)
    prober = Loop("GET", "/index.html", None, 0.001)
    prober.start()
    started_file, ended_file = os.path.join(work, "started"), os.path.join(work, "ended")
    command = f'date +%s%N > {started_file}; sleep {HOLD_S}; date +%s%N > {ended_file}'
    t0 = time.time_ns()
    process = subprocess.Popen(["java", "-jar", jar, "run", "--flag", flag, "--jmx", f"127.0.0.1:{jmx_port}",
                                "--drain", "1m", "--", "sh", "-c", command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, bufsize=0)
    lines = []
    for raw in iter(process.stderr.readline, b""):
        lines.append((time.time_ns(), raw.decode("utf-8", "replace").rstrip("\n")))
    exit_code = process.wait(RUN_LIMIT_S)
    exited = time.time_ns()
    ended = int(open(ended_file).read())
    deadline = time.monotonic() + 10
    while not any(a[0] > ended and a[2] == 200 for a in list(prober.answers)):
        if time.monotonic() > deadline:
            raise SystemExit("users were not let in within 10 s of the command's end")
        time.sleep(0.005)
    prober.stop()
    for w in load:
        w.stop()
    if exit_code != 0:
        raise SystemExit(f"run exited with {exit_code}:\n" + "\n".join(l for _, l in lines))
    started = int(open(started_file).read())

    def at(prefix):
        for t, line in lines:
            if line.startswith(prefix):
                return t
        raise SystemExit(f"no line starting with {prefix!r}:\n" + "\n".join(l for _, l in lines))

    inside = [a for a in prober.answers if a[0] >= started and a[1] <= ended]
    assert inside and all(a[2] == 503 for a in inside), f"the prober got something else than 503 inside: {inside}"
    back = min(a[1] for a in prober.answers if a[0] > ended and a[2] == 200)
    in_flight = sum(1 for w in load for a in w.answers if a[0] < at("Flag file written") < a[1])
    ms = lambda ns: ns / 1e6
    return {
        "scenario": scenario,
        "flagWritten": ms(at("Flag file written") - t0),
        "confirmed": ms(at("Maintenance is on") - t0),
        "drained": ms(at("Starting:") - t0),
        "commandStart": ms(started - t0),
        "usersBack": ms(back - ended),
        "runReturns": ms(exited - ended),
        "writesInFlightAtTheWrite": in_flight,
        "writes": sum(len(w.answers) for w in load),
        "load": open("/proc/loadavg").read().split()[0],
    }


def jvm_start_ms():
    """How long `java -jar JAR --version` takes: the JVM's own start, the floor of every command."""
    t0 = time.time_ns()
    subprocess.run(["java", "-jar", jar, "--version"], stdout=subprocess.DEVNULL, check=True, timeout=60)
    return (time.time_ns() - t0) / 1e6


def main():
    all_runs = []
    jvm = sorted(jvm_start_ms() for _ in range(5))
    with tempfile.TemporaryDirectory() as work:
        for scenario in ("idle", "writes"):
            for i in range(runs):
                r = one_run(scenario, work)
                all_runs.append(r)
                print(f"  {scenario:6s} {i + 1:2d}: flag written {r['flagWritten']:6.0f} ms, confirmed"
                      f" {r['confirmed']:6.0f}, drained {r['drained']:6.0f}, command start {r['commandStart']:6.0f};"
                      f" users back {r['usersBack']:5.1f} ms, run returns {r['runReturns']:6.0f} ms after the end"
                      f" (load {r['load']}, {r['writesInFlightAtTheWrite']} writes in flight)",
                      file=sys.stderr, flush=True)
    with open(os.path.join(results, "runs.json"), "w") as out:
        json.dump(all_runs, out, indent=1)

    def row(scenario, key):
        values = sorted(r[key] for r in all_runs if r["scenario"] == scenario)
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        return f"{statistics.median(values):,.0f} | {p90:,.0f} | {min(values):,.0f} | {max(values):,.0f}"

    print(f"| from `run` starting to ... (ms) | idle: median | p90 | min | max | under writes: median | p90 | min | max |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in (("flagWritten", "the flag file written (JVM start, JMX connection)"),
                      ("confirmed", "maintenance confirmed on the valve"),
                      ("drained", "the requests from before drained"),
                      ("commandStart", "**the command started**")):
        print(f"| {name} | {row('idle', key)} | {row('writes', key)} |")
    print()
    print(f"| from the command's end to ... (ms) | idle: median | p90 | min | max | under writes: median | p90 | min | max |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in (("usersBack", "**users let in** (the first 200)"), ("runReturns", "`run` returns")):
        print(f"| {name} | {row('idle', key)} | {row('writes', key)} |")
    loads = [float(r["load"]) for r in all_runs]
    in_flight = [r["writesInFlightAtTheWrite"] for r in all_runs if r["scenario"] == "writes"]
    print()
    print(f"`java -jar ... --version` alone (the JVM's start): median {statistics.median(jvm):,.0f} ms of 5."
          f" {runs} runs each; {writers} writers, {write_ms} ms per write; writes in flight when the flag was"
          f" written: median {statistics.median(in_flight) if in_flight else 0}; load average during the runs"
          f" {min(loads):.2f} to {max(loads):.2f}.")


main()
