#!/usr/bin/env bash
# The window's own cost: from `run` starting to the command starting (idle, and under writes:
# confirmation and drain), and from the command's end to users being let in. One real Tomcat 9
# distribution with the valve at Host level (as install puts it) and the sample app as ROOT,
# JMX on 127.0.0.1; bench/window/measure.py runs `run` around a command that only notes its
# start and end times, RUNS times idle and RUNS times while WRITERS clients POST writes that
# take WRITE_MS each in the app.
#
#   bench/window.sh                              # 20 runs each, 16 writers, 100 ms per write
#   RUNS=5 WRITERS=32 WRITE_MS=300 bench/window.sh
#
# Needs: JDK 11+, Maven, python3, curl. Everything talks to 127.0.0.1 only, every wait is
# bounded, Tomcat is stopped on exit. Results: bench/target/window/results/{runs.json,summary.md}.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
TOMCAT_VERSION="${TOMCAT_VERSION:-9.0.117}"
RUNS="${RUNS:-20}"
WRITERS="${WRITERS:-16}"
WRITE_MS="${WRITE_MS:-100}"
WORK="$HERE/target/window"
RESULTS="$WORK/results"
BASE="$WORK/base"
DIST_DIR="$HERE/target/load/dist"   # shared with load.sh

log() { printf '[window] %s\n' "$*" >&2; }
for tool in java mvn python3 curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required" >&2; exit 1; }
done

. "$HERE/tools/setup.sh"
VALVE_JAR="$(valve_jar)"

rm -rf "$BASE" "$RESULTS"
mkdir -p "$RESULTS" "$BASE"/{conf,lib,logs,temp,work,webapps}
DIST="$(tomcat_home "$DIST_DIR" "$TOMCAT_VERSION")"
export CATALINA_HOME="$DIST"
export CATALINA_BASE="$BASE"
cp "$VALVE_JAR" "$BASE/lib/"
for f in "$DIST"/conf/*; do
    [ "$(basename "$f")" = server.xml ] || cp -r "$f" "$BASE/conf/"
done
cp -r "$ROOT/src/test/resources/sample-app" "$BASE/webapps/ROOT"

read -r P_SHUT P_HTTP P_JMX < <(python3 - <<'PY'
import socket
socks = []
for _ in range(3):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)
FLAG="$WORK/maintenance.flag"
rm -f "$FLAG"
cat > "$BASE/conf/server.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Server port="$P_SHUT" address="127.0.0.1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="$P_HTTP" address="127.0.0.1" protocol="HTTP/1.1" maxThreads="150" acceptCount="100"
               connectionTimeout="20000" enableLookups="false"/>
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="$BASE/webapps" unpackWARs="false" autoDeploy="false">
        <Valve className="org.maintenancevalve.MaintenanceValve" flagFile="$FLAG"/>
      </Host>
    </Engine>
  </Service>
</Server>
XML

export CATALINA_PID="$WORK/tomcat.pid"
CATALINA_OPTS="-Xms512m -Xmx512m -Dcom.sun.management.jmxremote.port=$P_JMX -Dcom.sun.management.jmxremote.rmi.port=$P_JMX"
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1"
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
export CATALINA_OPTS
stop_tomcat() {
    if [ -f "$CATALINA_PID" ]; then
        log "stopping Tomcat"
        "$DIST/bin/catalina.sh" stop 20 -force >/dev/null 2>&1 || true
        rm -f "$CATALINA_PID"
    fi
}
trap stop_tomcat EXIT
trap 'exit 130' INT TERM

log "starting Tomcat $TOMCAT_VERSION (http $P_HTTP, jmx $P_JMX)"
"$DIST/bin/catalina.sh" start >/dev/null
deadline=$((SECONDS + 60))
until grep -q "Server startup in" "$BASE/logs/catalina.out" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { tail -40 "$BASE/logs/catalina.out" >&2; echo "Tomcat did not start" >&2; exit 1; }
    sleep 0.5
done
# The JSP compiled before the first measurement.
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://127.0.0.1:$P_HTTP/slow.jsp?ms=1")" = 200 ] \
    || { echo "the sample app does not answer" >&2; exit 1; }

log "$RUNS runs idle, then $RUNS under $WRITERS writers of $WRITE_MS ms each"
python3 "$HERE/window/measure.py" "$P_HTTP" "$P_JMX" "$FLAG" "$VALVE_JAR" "$RESULTS" "$RUNS" "$WRITERS" "$WRITE_MS" \
    | tee "$RESULTS/summary.md"
