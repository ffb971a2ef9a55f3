#!/usr/bin/env bash
# Try Maintenance Valve on a throwaway Tomcat 9 on 127.0.0.1:8080, installed by install.sh itself.
#   install/demo.sh            (from a source checkout; needs java, mvn, curl, tar)
# Builds the jar, fetches Tomcat from Maven Central, unpacks it into target/demo/, puts a tiny app
# at /, runs install/install.sh on it, starts it and tells you how to toggle maintenance.
# Run it again to start afresh: a demo left running is stopped first.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
version=9.0.117
demo=$root/target/demo
tomcat=$demo/apache-tomcat-$version
flag=$demo/maintenance.flag
url=http://127.0.0.1:8080/
export CATALINA_PID=$demo/tomcat.pid

say() { printf '%s\n' "$*"; }
# Maven 3.8 prints colour resets even in batch and quiet mode: keep them out of the demo's output.
mvn_quiet() { mvn -B -q "$@" 2>&1 | sed $'s/\e\\[[0-9;]*[A-Za-z]//g'; }

# ---- stop a demo left running: only ours (the pid file in target/demo, a JVM of this Tomcat)
if [ -f "$CATALINA_PID" ]; then
  pid=$(cat "$CATALINA_PID")
  if ps -p "$pid" -o command= 2>/dev/null | grep -qF -- "-Dcatalina.base=$tomcat"; then
    say "Stopping the demo Tomcat left running (pid $pid)..."
    "$tomcat/bin/shutdown.sh" 30 -force >/dev/null 2>&1 || true
  fi
  rm -f "$CATALINA_PID"
fi
if curl -s -o /dev/null --max-time 2 "$url"; then
  say "Something else answers on $url; stop it first (the demo uses 127.0.0.1:8080)." >&2
  exit 1
fi

# ---- build the jar, fetch and unpack Tomcat
say "Building the jar (mvn -B -q package -DskipTests)..."
(cd "$root" && mvn_quiet package -DskipTests)
mkdir -p "$demo"
if [ ! -f "$demo/tomcat-$version.tar.gz" ]; then
  say "Fetching Tomcat $version from Maven Central..."
  (cd "$root" && mvn_quiet dependency:copy -Dartifact=org.apache.tomcat:tomcat:$version:tar.gz -DoutputDirectory="$demo")
fi
rm -rf "$tomcat" "$flag"
tar -xzf "$demo/tomcat-$version.tar.gz" -C "$demo"

# ---- the throwaway Tomcat listens on 127.0.0.1 only, and serves a tiny app at /
sed -i 's|<Connector port="8080" protocol="HTTP/1.1"|<Connector port="8080" address="127.0.0.1" protocol="HTTP/1.1"|' \
  "$tomcat/conf/server.xml"
grep -q 'address="127.0.0.1" protocol="HTTP/1.1"' "$tomcat/conf/server.xml" \
  || { say "Could not bind the demo connector to 127.0.0.1; stopping here." >&2; exit 1; }
rm -rf "$tomcat/webapps/ROOT"
mkdir -p "$tomcat/webapps/ROOT"
cat > "$tomcat/webapps/ROOT/index.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>The app</title></head>
<body><h1>This is the app</h1><p>Tomcat served this page: maintenance is off.</p></body></html>
HTML

# ---- the real install path
say
"$here/install.sh" "$tomcat" --poll-interval 500 --flag "$flag"
say

# ---- start and wait until it answers
say "Starting Tomcat $version..."
"$tomcat/bin/catalina.sh" start >/dev/null
deadline=$((SECONDS + 60))
until curl -s -o /dev/null --max-time 2 "$url"; do
  if [ $SECONDS -ge $deadline ]; then
    say "Tomcat did not answer on $url within 60 s; see $tomcat/logs/catalina.out" >&2
    exit 1
  fi
  sleep 0.5
done

cat <<EOF

The demo runs: $url answers with the app.

  Maintenance on:         touch $flag
  See it:                 curl -i $url
  With a message (JSON):  echo '{"message":"Upgrading to the new version, back at 15:00"}' > $flag
                          curl -i -H 'Accept: application/json' $url
  Maintenance off:        rm $flag

The valve looks at the flag every 500 ms. Its log: $tomcat/logs/catalina.out
Stop the demo:            $tomcat/bin/shutdown.sh
EOF
