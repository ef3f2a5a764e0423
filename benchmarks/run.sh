#!/usr/bin/env bash
# Runs every JMH benchmark of flaskctx beside its peers and rewrites the results table in BENCHMARKS.md.
#
#   benchmarks/run.sh              the full comparison (about 4-5 minutes on 2 cores); rewrites BENCHMARKS.md
#   benchmarks/run.sh --smoke      every benchmark once, briefly (under a minute): checks they all run;
#                                  prints the table, leaves BENCHMARKS.md alone
#   benchmarks/run.sh ARGS...      a partial run: ARGS go to JMH (a name regex such as ReadBenchmark, options);
#                                  prints the table, leaves BENCHMARKS.md alone
#
# The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`; e.g. on JDK 25:
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh
# JMH_OPTS replaces the default measurement options below. Builds benchmarks/target/benchmarks.jar first when
# it is missing or older than the sources. Run it on a quiet machine: other work on the CPUs shows up as error.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
results_dir=benchmarks/results
java_bin=java
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi

full_opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -prof gc)
smoke_opts=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms -t 1 -prof gc)

mode=full
extra=()
if [ "${1:-}" = "--smoke" ]; then
  mode=smoke
  shift
fi
if [ $# -gt 0 ]; then
  [ "$mode" = smoke ] || mode=partial
  extra=("$@")
fi

if [ -n "${JMH_OPTS:-}" ]; then
  read -r -a opts <<<"$JMH_OPTS"
elif [ "$mode" = smoke ]; then
  opts=("${smoke_opts[@]}")
else
  opts=("${full_opts[@]}")
fi

# Build when the jar is missing or any source it is made of is newer.
stale=""
if [ ! -f "$jar" ]; then
  stale="missing"
else
  stale=$(find benchmarks/src benchmarks/pom.xml flaskctx-autoconfigure/src/main flaskctx-autoconfigure/pom.xml pom.xml \
    -newer "$jar" -type f -print -quit 2>/dev/null || true)
fi
if [ -n "$stale" ]; then
  echo "== building $jar (${stale})"
  ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
fi

mkdir -p benchmarks/target
[ "$mode" = full ] && mkdir -p "$results_dir"
case "$mode" in
  full) json="$results_dir/jmh.json"; log="$results_dir/jmh.txt" ;;
  smoke) json=benchmarks/target/jmh-smoke.json; log=benchmarks/target/jmh-smoke.txt ;;
  partial) json=benchmarks/target/jmh-partial.json; log=benchmarks/target/jmh-partial.txt ;;
esac

cmd=("$java_bin" -jar "$jar" "${opts[@]}" -rf json -rff "$json" "${extra[@]}")
shown="benchmarks/run.sh${*:+ $*}"
[ "$mode" = smoke ] && shown="benchmarks/run.sh --smoke${*:+ $*}"
[ -n "${JMH_OPTS:-}" ] && shown="JMH_OPTS='$JMH_OPTS' $shown"
[ -n "${JAVA_HOME:-}" ] && shown="JAVA_HOME=$JAVA_HOME $shown"

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores,"
machine="$machine $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load)
start=$(date +%s)
date_utc=$(date -u +%Y-%m-%dT%H:%MZ)

echo "== ${cmd[*]}"
echo "   (full output in $log)"
set +e
"${cmd[@]}" 2>&1 | tee "$log" | grep -E --line-buffered '^# (Run progress|Benchmark:)'
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ] || grep -q '<failure>' "$log"; then
  echo "JMH failed (exit $status); see $log" >&2
  grep -A8 '<failure>' "$log" >&2 || true
  exit 1
fi

meta=benchmarks/target/jmh-meta.json
RUN_MODE="$mode" RUN_DATE="$date_utc" RUN_COMMAND="$shown" RUN_JAVA="${cmd[*]}" RUN_MACHINE="$machine" RUN_LOAD_START="$load_start" \
  RUN_LOAD_END="$(load)" RUN_SECONDS="$(( $(date +%s) - start ))" python3 - "$meta" <<'EOF'
import json, os, sys
e = os.environ
notes = {"smoke": "Smoke run (every benchmark once, 200 ms, no error bars): it shows that they run, not how fast.",
         "partial": "Partial run: only the benchmarks selected by the arguments."}
json.dump({"note": notes.get(e["RUN_MODE"], ""), "date": e["RUN_DATE"], "command": e["RUN_COMMAND"],
           "java": e["RUN_JAVA"], "machine": e["RUN_MACHINE"],
           "load_start": e["RUN_LOAD_START"], "load_end": e["RUN_LOAD_END"],
           "duration": "%d min %02d s" % divmod(int(e["RUN_SECONDS"]), 60)}, open(sys.argv[1], "w"))
EOF

if [ "$mode" = full ]; then
  python3 benchmarks/render.py jmh "$json" --meta "$meta" --out BENCHMARKS.md
  echo "results: $json, $log"
else
  python3 benchmarks/render.py jmh "$json" --meta "$meta" --stdout
fi
