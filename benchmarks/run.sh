#!/usr/bin/env bash
# Runs every JMH benchmark of flaskctx beside its peers, on JDK 17 and JDK 25 when both are installed, and prints
# one table with a column per JDK (on a full run it rewrites the results table in BENCHMARKS.md).
#
#   benchmarks/run.sh              the full comparison, 3 forks per row (-f 3), what the targets are judged on;
#                                  it prints its time estimate first (about 30 min per JDK on 2 cores);
#                                  rewrites BENCHMARKS.md, keeps benchmarks/results/jmh-<jdk>.{json,txt}
#   benchmarks/run.sh --quick      the same rows with 1 fork (-f 1, a third of the time): a look, not a verdict;
#                                  prints the table, leaves BENCHMARKS.md alone
#   benchmarks/run.sh --smoke      every benchmark once, briefly (about 2 min per JDK): checks they all run;
#                                  prints the table, leaves BENCHMARKS.md alone
#   benchmarks/run.sh [--quick|--smoke] ARGS...   a partial run: ARGS go to JMH after the mode's options (a name
#                                  regex such as RequestCycleBenchmark, options such as -f 5); prints, writes nothing
#
# JDKs: `java` (JDK 17) and then /usr/lib/jvm/temurin-25* when it exists, one after the other (never at once).
# JAVA_HOME=... runs that JDK alone, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh --quick.
# JMH_OPTS replaces the mode's measurement options. Builds benchmarks/target/benchmarks.jar first when it is
# missing or older than the sources. DRY_RUN=1 prints the time estimate and stops. Run it on a quiet machine:
# other work on the CPUs shows up as error.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
results_dir=benchmarks/results

spec_version() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
# label:java, one per JDK, in the table's column order.
jdks=()
if [ -n "${JAVA_HOME:-}" ]; then
  jdks=("$(spec_version "$JAVA_HOME/bin/java"):$JAVA_HOME/bin/java")
else
  jdks=("$(spec_version java):java")
  for home in /usr/lib/jvm/temurin-25*; do
    if [ -x "$home/bin/java" ]; then
      jdks+=("$(spec_version "$home/bin/java"):$home/bin/java")
      break
    fi
  done
fi

# Five warm-up seconds: on 2 cores, C2 sometimes had not compiled a nanosecond row's loop after three, and that
# fork's first measured iterations ran 5-15x slower than the others (the table lists such forks).
measure=(-wi 5 -w 1s -i 5 -r 1s -t 1 -prof gc)
full_opts=(-f 3 "${measure[@]}")
quick_opts=(-f 1 "${measure[@]}")
smoke_opts=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms -t 1 -prof gc)

mode=full
flag=""
case "${1:-}" in
  --smoke) mode=smoke; flag=--smoke; shift ;;
  --quick) mode=quick; flag=--quick; shift ;;
esac
extra=("$@")
if [ $# -gt 0 ] && [ "$mode" = full ]; then
  mode=partial
fi

if [ -n "${JMH_OPTS:-}" ]; then
  read -r -a opts <<<"$JMH_OPTS"
elif [ "$mode" = smoke ]; then
  opts=("${smoke_opts[@]}")
elif [ "$mode" = quick ]; then
  opts=("${quick_opts[@]}")
else
  opts=("${full_opts[@]}")
fi
# An option given in ARGS (e.g. -f 5) replaces the mode's (JMH refuses an option given twice); -prof adds up.
kept=()
for ((k = 0; k + 1 < ${#opts[@]}; k += 2)); do
  given=""
  for arg in "${extra[@]}"; do
    [ "$arg" = "${opts[k]}" ] && [ "$arg" != -prof ] && given=yes
  done
  [ -n "$given" ] || kept+=("${opts[k]}" "${opts[k + 1]}")
done
opts=("${kept[@]}")

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
case "$mode" in
  full) mkdir -p "$results_dir"; out="$results_dir/jmh" ;;
  *) out="benchmarks/target/jmh-$mode" ;;
esac

shown="benchmarks/run.sh${flag:+ $flag}"
for arg in "$@"; do
  case "$arg" in
    *[^A-Za-z0-9_./=-]*) shown="$shown '$arg'" ;;
    *) shown="$shown $arg" ;;
  esac
done
[ -n "${JMH_OPTS:-}" ] && shown="JMH_OPTS='$JMH_OPTS' $shown"
[ -n "${JAVA_HOME:-}" ] && shown="JAVA_HOME=$JAVA_HOME $shown"

# The estimate: benchmarks (times their parameter sets) x forks x (warm-up + measurement + about 2 s to start a JVM).
rows=$(java -jar "$jar" "${opts[@]}" "${extra[@]}" -lp 2>/dev/null | awk '
  /^[a-z]/ { n++ } /^ +param/ { c = split($0, v, ","); n += c - 1 } END { print n + 0 }')
per_row=$(python3 -c '
import re, sys
args, value = sys.argv[1:], {"-f": "1", "-wi": "0", "-w": "1s", "-i": "1", "-r": "1s"}
for i, a in enumerate(args[:-1]):
    if a in value:
        value[a] = args[i + 1]
def secs(t):
    m = re.fullmatch(r"(\d+)(ms|s|m)?", t)
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[m.group(2)] if m else 1
forks = int(value["-f"]) or 1
print(int(forks * (int(value["-wi"]) * secs(value["-w"]) + int(value["-i"]) * secs(value["-r"]) + 2)))
' "${opts[@]}" "${extra[@]}")
echo "== ${#jdks[@]} JDK(s) x ${rows} rows x ${per_row} s a row (${opts[*]} ${extra[*]}):" \
  "about $(( (${#jdks[@]} * rows * per_row + 59) / 60 )) min"

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores,"
machine="$machine $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load)
start=$(date +%s)
date_utc=$(date -u +%Y-%m-%dT%H:%MZ)

[ -n "${DRY_RUN:-}" ] && exit 0
specs=()
for jdk in "${jdks[@]}"; do
  label=${jdk%%:*}
  java_bin=${jdk#*:}
  json="$out-$label.json"
  log="$out-$label.txt"
  cmd=("$java_bin" -jar "$jar" "${opts[@]}" -rf json -rff "$json" "${extra[@]}")
  echo "== JDK $label: ${cmd[*]}"
  echo "   (full output in $log)"
  set +e
  "${cmd[@]}" 2>&1 | tee "$log" | grep -E --line-buffered '^# (Run progress|Benchmark:)'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ] || grep -q '<failure>' "$log"; then
    echo "JMH failed on JDK $label (exit $status); see $log" >&2
    grep -A8 '<failure>' "$log" >&2 || true
    exit 1
  fi
  specs+=("$label=$json")
done

meta=benchmarks/target/jmh-meta.json
RUN_MODE="$mode" RUN_DATE="$date_utc" RUN_COMMAND="$shown" RUN_MACHINE="$machine" RUN_LOAD_START="$load_start" \
  RUN_LOAD_END="$(load)" RUN_SECONDS="$(( $(date +%s) - start ))" python3 - "$meta" <<'EOF'
import json, os, sys
e = os.environ
notes = {"smoke": "Smoke run (every benchmark once, 200 ms, no error bars): it shows that they run, not how fast.",
         "quick": "Quick run (1 fork per row): a look, not a verdict.",
         "partial": "Partial run: only the benchmarks selected by the arguments."}
json.dump({"note": notes.get(e["RUN_MODE"], ""), "date": e["RUN_DATE"], "command": e["RUN_COMMAND"],
           "machine": e["RUN_MACHINE"], "load_start": e["RUN_LOAD_START"], "load_end": e["RUN_LOAD_END"],
           "duration": "%d min %02d s" % divmod(int(e["RUN_SECONDS"]), 60)}, open(sys.argv[1], "w"))
EOF

if [ "$mode" = full ]; then
  python3 benchmarks/render.py jmh "${specs[@]}" --meta "$meta" --out BENCHMARKS.md
  echo "results: $out-*.json, $out-*.txt"
else
  python3 benchmarks/render.py jmh "${specs[@]}" --meta "$meta" --stdout
fi
