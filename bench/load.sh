#!/usr/bin/env bash
# Whole-server load benchmark: one real Tomcat 9 distribution, wrk on loopback.
#
#   bench/load.sh                     # 10 runs x 5 s per configuration, 2 wrk threads, 64 connections
#   RUNS=4 DURATION=3 bench/load.sh   # shorter
#   CONFIGS="F S O" RUNS=1 TOGGLES=0 bench/load.sh   # status.json against a 5-byte file, one run
# The machine is shared: many short runs back to back, and ratios taken per run (A and B, C and D
# run next to each other), resist other processes' load better than a few long runs.
#
# One Tomcat JVM serves six configurations side by side, each a <Service> with its own connector
# on 127.0.0.1, its own Engine and Host, the same ROOT webapp:
#   A  no valve                                 GET /small.txt
#   N  no valve, a second service just like A   GET /small.txt (N/A is the noise floor of B/A)
#   B  MaintenanceValve, maintenance off        GET /small.txt
#   C  MaintenanceValve, maintenance on         every request blocked (HTML page)
#   D  Reference503Valve: 503 + the same page, nothing else (bench sources)
#   F  no valve (A's service)                   GET /five.txt (5 bytes): the yardstick of S and O
#   S  MaintenanceValve, maintenance off        GET /maintenance-valve/status.json (B's service)
#   O  MaintenanceValve, maintenance on         GET /maintenance-valve/status.json (C's service, blocked client)
#   E1 MaintenanceValve, pollInterval=1000      toggle latency
#   E2 MaintenanceValve, pollInterval=100       toggle latency
# Runs alternate N A B C D, D C B A N, ... so drift hits all alike; the summary takes medians.
# CONFIGS picks which of N A B C D F S O run (default N A B C D); TOGGLES=0 skips E.
# Needs: JDK 11+, Maven, python3, curl; wrk is installed from Debian when missing (root).
# Everything talks to 127.0.0.1 only, every wait is bounded, Tomcat is stopped on exit.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
TOMCAT_VERSION="${TOMCAT_VERSION:-9.0.117}"
RUNS="${RUNS:-10}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
TOGGLES="${TOGGLES:-20}"
CONFIGS="${CONFIGS:-N A B C D}"
# PIN=1: Tomcat on CPU 0, wrk on CPU 1 (less scheduler noise; Tomcat then has one core).
PIN="${PIN:-0}"
if [ "$PIN" = 1 ]; then PIN_TOMCAT="taskset -c 0"; PIN_WRK="taskset -c 1"; else PIN_TOMCAT=""; PIN_WRK=""; fi
WORK="$HERE/target/load"
RESULTS="$WORK/results"
BASE="$WORK/base"
FLAGS="$WORK/flags"

log() { printf '[load] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null 2>&1; then
    log "wrk not found: installing it from Debian"
    if [ "$(id -u)" != 0 ]; then
        echo "wrk is missing and this is not root: install it with 'apt-get install -y wrk'" >&2
        exit 1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
for tool in java javac mvn python3 curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required" >&2; exit 1; }
done

# ---------------------------------------------------------------- build
. "$HERE/tools/setup.sh"
VALVE_JAR="$(valve_jar)"

rm -rf "$BASE" "$FLAGS" "$RESULTS"
mkdir -p "$RESULTS" "$FLAGS"
DIST="$(tomcat_home "$WORK/dist" "$TOMCAT_VERSION")"
export CATALINA_HOME="$DIST"
export CATALINA_BASE="$BASE"
TOMCAT_CP="$DIST/lib/*:$DIST/bin/tomcat-juli.jar"

log "compiling the reference valve (javac --release 8 against Tomcat's lib/)"
mkdir -p "$WORK/ref-classes" "$BASE"/{conf,lib,logs,temp,work,webapps/ROOT}
javac -nowarn --release 8 -cp "$TOMCAT_CP" -d "$WORK/ref-classes" \
    "$HERE/src/main/java/org/maintenancevalve/bench/Reference503Valve.java"
(cd "$WORK/ref-classes" && jar cf "$BASE/lib/reference-valve.jar" .)
cp "$VALVE_JAR" "$BASE/lib/"
for f in "$DIST"/conf/*; do
    [ "$(basename "$f")" = server.xml ] || cp -r "$f" "$BASE/conf/"
done
# The small static file of A and B.
head -c 128 /dev/zero | tr '\0' 'x' > "$BASE/webapps/ROOT/small.txt"
# F's five bytes, the yardstick of status.json (S, O).
printf 'hello' > "$BASE/webapps/ROOT/five.txt"

# C's flag (present for the whole run), and the page D sends: rendered by the valve itself.
printf '{"message":"Jira is being backed up. Back soon."}\n' > "$FLAGS/C.flag"
java -cp "$VALVE_JAR:$TOMCAT_CP" "$HERE/load/RenderPage.java" "$FLAGS/C.flag" "$WORK/page.html" 2>"$WORK/render-page.log" \
    || { cat "$WORK/render-page.log" >&2; exit 1; }
log "reference page: $(wc -c < "$WORK/page.html") bytes, the valve's own"

# ---------------------------------------------------------------- server.xml
read -r P_SHUT P_A P_N P_B P_C P_D P_E1 P_E2 < <(python3 - <<'PY'
import socket
socks = []
for _ in range(8):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
service() { # name port valve-xml
    cat <<XML
  <Service name="$1">
    <Connector port="$2" address="127.0.0.1" protocol="HTTP/1.1" maxThreads="150" minSpareThreads="25"
               connectionTimeout="20000" enableLookups="false" acceptCount="100"/>
    <Engine name="$1" defaultHost="localhost">
      <Host name="localhost" appBase="$BASE/webapps" unpackWARs="false" autoDeploy="false">
        $3
      </Host>
    </Engine>
  </Service>
XML
}
VALVE=org.maintenancevalve.MaintenanceValve
{
    echo "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    echo "<Server port=\"$P_SHUT\" address=\"127.0.0.1\" shutdown=\"SHUTDOWN\">"
    service A "$P_A" ""
    service N "$P_N" ""
    service B "$P_B" "<Valve className=\"$VALVE\" flagFile=\"$FLAGS/B.flag\"/>"
    service C "$P_C" "<Valve className=\"$VALVE\" flagFile=\"$FLAGS/C.flag\"/>"
    service D "$P_D" "<Valve className=\"org.maintenancevalve.bench.Reference503Valve\" bodyFile=\"$WORK/page.html\"/>"
    service E1 "$P_E1" "<Valve className=\"$VALVE\" flagFile=\"$FLAGS/E1.flag\" pollInterval=\"1000\"/>"
    service E2 "$P_E2" "<Valve className=\"$VALVE\" flagFile=\"$FLAGS/E2.flag\" pollInterval=\"100\"/>"
    echo "</Server>"
} > "$BASE/conf/server.xml"

# ---------------------------------------------------------------- start / stop
export CATALINA_PID="$WORK/tomcat.pid"
export CATALINA_OPTS="${CATALINA_OPTS:--Xms1g -Xmx1g}"
stop_tomcat() {
    if [ -f "$CATALINA_PID" ]; then
        log "stopping Tomcat"
        "$DIST/bin/catalina.sh" stop 20 -force >/dev/null 2>&1 || true
        rm -f "$CATALINA_PID"
    fi
}
trap stop_tomcat EXIT
trap 'exit 130' INT TERM

log "starting Tomcat $TOMCAT_VERSION (ports A=$P_A N=$P_N B=$P_B C=$P_C D=$P_D E1=$P_E1 E2=$P_E2)"
$PIN_TOMCAT "$DIST/bin/catalina.sh" start >/dev/null
deadline=$((SECONDS + 60))
until grep -q "Server startup in" "$BASE/logs/catalina.out" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { tail -40 "$BASE/logs/catalina.out" >&2; echo "Tomcat did not start" >&2; exit 1; }
    sleep 0.5
done
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1$2"; }
for check in "A $P_A 200" "N $P_N 200" "B $P_B 200" "C $P_C 503" "D $P_D 503" "E1 $P_E1 200" "E2 $P_E2 200"; do
    set -- $check
    got="$(code "$2" /small.txt)"
    [ "$got" = "$3" ] || { echo "$1 answered $got, expected $3" >&2; exit 1; }
done
for check in "F $P_A /five.txt" "S $P_B /maintenance-valve/status.json" "O $P_C /maintenance-valve/status.json"; do
    set -- $check
    got="$(code "$2" "$3")"
    [ "$got" = 200 ] || { echo "$1 answered $got for $3, expected 200" >&2; exit 1; }
done
curl -s --max-time 5 "http://127.0.0.1:$P_C/" -o "$WORK/page-C.html"
cmp -s "$WORK/page-C.html" "$WORK/page.html" || { echo "C's page differs from the reference's" >&2; exit 1; }

# ---------------------------------------------------------------- A-D
port_of() { case "$1" in A|F) echo "$P_A";; N) echo "$P_N";; B|S) echo "$P_B";; C|O) echo "$P_C";; D) echo "$P_D";; esac; }
path_of() { case "$1" in A|N|B) echo /small.txt;; F) echo /five.txt;; S|O) echo /maintenance-valve/status.json;;
    *) echo /secure/Dashboard.jspa;; esac; }
run_wrk() { # config seconds outfile
    timeout $(( $2 + 30 )) $PIN_WRK wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --timeout 5s --latency \
        "http://127.0.0.1:$(port_of "$1")$(path_of "$1")" > "$3"
}
# CPU seconds: the whole machine (busy), Tomcat's JVM, and this shell's children (wrk).
HZ="$(getconf CLK_TCK)"
machine_cpu() { awk -v hz="$HZ" '/^cpu /{printf "%.2f", ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
tomcat_cpu() { awk -v hz="$HZ" '{printf "%.2f", ($14+$15)/hz}' "/proc/$(cat "$CATALINA_PID")/stat"; }
# `times` must run in this shell (a $(...) subshell has no children): its output goes to a file.
children_cpu() { tail -1 "$WORK/times.txt" | awk '{n=0; for(i=1;i<=2;i++){split($i,a,"m"); sub("s","",a[2]); n+=a[1]*60+a[2]} printf "%.2f", n}'; }
measured_run() { # config run-number: wrk, plus how many cores Tomcat, wrk and everything else used
    local m0 t0 c0 m1 t1 c1
    times > "$WORK/times.txt"; m0="$(machine_cpu)"; t0="$(tomcat_cpu)"; c0="$(children_cpu)"
    run_wrk "$1" "$DURATION" "$RESULTS/run$2-$1.txt"
    times > "$WORK/times.txt"; m1="$(machine_cpu)"; t1="$(tomcat_cpu)"; c1="$(children_cpu)"
    awk -v m="$m1-$m0" -v t="$t1-$t0" -v c="$c1-$c0" -v d="$DURATION" 'BEGIN{
        split(m,a,"-"); split(t,b,"-"); split(c,e,"-");
        dm=a[1]-a[2]; dt=b[1]-b[2]; dc=e[1]-e[2];
        printf "%.2f %.2f %.2f\n", (dm-dt-dc)/d, dt/d, dc/d }' > "$RESULTS/run$2-$1.cpu"
}
log "warm-up: ${WARMUP} s each"
REVERSED="$(echo "$CONFIGS" | tr ' ' '\n' | tac | tr '\n' ' ')"
for c in $CONFIGS; do run_wrk "$c" "$WARMUP" "$RESULTS/warmup-$c.txt"; done
for r in $(seq 1 "$RUNS"); do
    if [ $((r % 2)) = 1 ]; then order="$CONFIGS"; else order="$REVERSED"; fi
    for c in $order; do
        cut -d' ' -f1-3 /proc/loadavg > "$RESULTS/run$r-$c.load"
        measured_run "$c" "$r"
        log "run $r/$RUNS: $c: $(grep -o 'Requests/sec:.*' "$RESULTS/run$r-$c.txt"), cores used by others: $(cut -d' ' -f1 "$RESULTS/run$r-$c.cpu")"
    done
done

# ---------------------------------------------------------------- E
if [ "$TOGGLES" -gt 0 ]; then
    log "toggle latency: $TOGGLES times each for pollInterval 1000 and 100 ms"
    python3 "$HERE/load/toggle.py" "$P_E1" "$FLAGS/E1.flag" "$TOGGLES" 1000 | tee "$RESULTS/toggle-1000.txt" >&2
    python3 "$HERE/load/toggle.py" "$P_E2" "$FLAGS/E2.flag" "$TOGGLES" 100 | tee "$RESULTS/toggle-100.txt" >&2
fi

# ---------------------------------------------------------------- summary
python3 "$HERE/load/summary.py" "$RESULTS" "$RUNS" "$DURATION" "$THREADS" "$CONNECTIONS" "$TOMCAT_VERSION" \
    "$(wc -c < "$WORK/page.html")" | tee "$RESULTS/summary.md"
