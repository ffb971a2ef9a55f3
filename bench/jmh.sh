#!/usr/bin/env bash
# JMH benchmarks of the valve's invoke on Tomcat's real Request/Response.
#   bench/jmh.sh                         # everything, with -prof gc (about 12 minutes)
#   bench/jmh.sh OffBenchmark            # one class; any JMH option passes through
#   bench/jmh.sh -p scenario=blockedHtml,reference503 ExchangeBenchmark
# Builds bench/ (which compiles the valve's sources from ../src/main/java), runs the
# self-contained benchmarks jar, writes target/jmh/result.json and prints a summary table.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
(cd "$HERE" && mvn -B -q package)
OUT="$HERE/target/jmh"
mkdir -p "$OUT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
java -jar "$HERE/target/benchmarks.jar" -prof gc -rf json -rff "$OUT/result.json" "$@" | tee "$OUT/output.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
python3 "$HERE/tools/jmh-summary.py" "$OUT/result.json" | tee "$OUT/summary.md"
