#!/usr/bin/env bash
# Memory: the valve's own retained heap, and a soak of a few million blocked requests.
#   bench/soak.sh            # 4,000,000 blocked requests
#   bench/soak.sh 10000000   # more
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REQUESTS="${1:-4000000}"
(cd "$HERE" && mvn -B -q package)
# Serial GC: used-heap figures after a full GC are exact; attach lets JOL size lambdas too.
exec java -XX:+UseSerialGC -Xms256m -Xmx256m -Djdk.attach.allowAttachSelf=true \
    -cp "$HERE/target/benchmarks.jar" org.maintenancevalve.bench.MemorySoak "$REQUESTS"
