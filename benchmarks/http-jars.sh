#!/usr/bin/env bash
# Several JVMs of the sample app side by side: the same endpoint driven by wrk on loopback against each in turn,
# rounds going round the legs, so that every leg meets the same machine conditions. For "did this change make the
# request path slower?" and "which part of the starter costs what?" on a busy machine, where runs of http.sh at
# different times differ by more than what is looked for. Prints one line per leg and round and the legs' means;
# writes nothing.
#
#   OLD_JAR=/tmp/sample-old.jar benchmarks/http-jars.sh      two builds: old, new, and new with flaskctx off
#   LEGS='full; excl --flaskctx.web.exclude-patterns=/ping; nohooks --sample.bench-hooks.enabled=false;
#         off --flaskctx.enabled=false' benchmarks/http-jars.sh
#                                                            one build, parts of the starter turned off (a ladder)
#   PROFILE=1 LEGS='full; off --flaskctx.enabled=false' benchmarks/http-jars.sh
#                                                            where each leg's CPU goes (below)
#
# Build the old jar from a worktree: git worktree add /tmp/old <rev> && (cd /tmp/old &&
# ./mvnw -q -pl sample-app -am package -DskipTests) && cp /tmp/old/sample-app/target/*.jar /tmp/sample-old.jar
#
# LEGS: legs separated by ';', each a name, then optionally jar=PATH (default NEW_JAR), then the leg's own
# arguments. Without LEGS: old (OLD_JAR), new (NEW_JAR), off (NEW_JAR with --flaskctx.enabled=false). Every leg
# runs as http.sh's legs do: the sample's own hooks off, the bench hooks on (BenchHooks with flaskctx,
# BenchInterceptor without; a jar built before they existed runs neither, so compare builds that both have them),
# the hook observations off. JVMs start in the order given; with 2 cores, 4-5 legs at once are fine (each is idle
# while another is measured). Two legs of the same build and arguments differ by ±5-10 % in one round here: give
# the question 3 rounds or more, and a second leg of the baseline to see the noise.
#
# PROFILE=1: async-profiler (tools.profiler:async-profiler, fetched with the Maven wrapper into
# benchmarks/target/async-profiler) samples each leg's CPU (ctimer: per-thread CPU timers, no perf events needed)
# during its rounds, with thread names; benchmarks/profile-report.py then splits each leg's measured CPU per request
# into what ran in flaskctx's frames (its filter, interceptor, dispatch, contexts and the hooks they call, without
# the rest of the chain the filter wraps), in the sample's BenchInterceptor (leg B's counterpart of the hooks),
# in the rest of the request threads, and in the JVM's other threads; and compares every leg with the last one.
# Raw profiles: benchmarks/target/http-jars/.
#
# Settings (environment): ENDPOINT (/ping), ROUNDS (4), DURATION (20s), WARMUP (25s per app), CONNECTIONS (32),
# FIRST_PORT (18081; leg i listens on FIRST_PORT + i), JAVA_OPTS (-Xms256m -Xmx256m). The JDK is
# $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`. Requires wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
new=${NEW_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}
endpoint=${ENDPOINT:-/ping}
first_port=${FIRST_PORT:-18081}
args=(--server.address=127.0.0.1 --sample.offline-job.enabled=false --flaskctx.debug.capture-push-sites=false
  --logging.level.io.flaskctx.sample=WARN --sample.hooks.enabled=false --sample.bench-hooks.enabled=true
  --management.observations.enable.flaskctx=false)
if [ -z "${LEGS:-}" ]; then
  LEGS="old jar=${OLD_JAR:?OLD_JAR: the sample jar built before the change (or set LEGS)}; new; off --flaskctx.enabled=false"
fi
java_bin=java
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
out=benchmarks/target/http-jars
mkdir -p "$out"
rm -f "$out"/*.collapsed "$out"/*.txt "$out"/*.log

profiler_lib=""
if [ "${PROFILE:-0}" = 1 ]; then
  case "$(uname -m)" in
    x86_64) arch=linux-x64 ;;
    aarch64) arch=linux-arm64 ;;
    *) echo "PROFILE=1: no async-profiler library for $(uname -m)" >&2; exit 2 ;;
  esac
  profiler_dir=benchmarks/target/async-profiler
  profiler_lib=$profiler_dir/$arch/libasyncProfiler.so
  if [ ! -f "$profiler_lib" ]; then
    ./mvnw -q -B -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory="$profiler_dir"
    (cd "$profiler_dir" && unzip -q -o async-profiler-4.2.jar "$arch/*")
  fi
  profiler_lib=$(readlink -f "$profiler_lib")
fi

names=()
jars=()
leg_args=()
IFS=';' read -ra specs <<<"$LEGS"
for spec in "${specs[@]}"; do
  read -ra words <<<"$spec"
  [ "${#words[@]}" -gt 0 ] || continue
  jar=$new
  if [[ "${words[1]:-}" == jar=* ]]; then
    jar=${words[1]#jar=}
    words=("${words[0]}" "${words[@]:2}")
  fi
  [ -f "$jar" ] || { echo "leg ${words[0]}: no jar at $jar" >&2; exit 2; }
  names+=("${words[0]}")
  jars+=("$jar")
  leg_args+=("${words[*]:1}")
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086 # JAVA_OPTS and a leg's arguments are lists
  "$java_bin" ${JAVA_OPTS:--Xms256m -Xmx256m} -jar "${jars[$i]}" --server.port=$((first_port + i)) "${args[@]}" \
    ${leg_args[$i]} >"$out/${names[$i]}.log" 2>&1 &
  pids+=($!)
  echo "== leg ${names[$i]}: ${jars[$i]} ${leg_args[$i]}, port $((first_port + i)), log $out/${names[$i]}.log"
done
for i in "${!names[@]}"; do
  port=$((first_port + i))
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port$endpoint" >/dev/null && break; sleep 1; done
  curl -sf "http://127.0.0.1:$port$endpoint" >/dev/null || { echo "leg ${names[$i]} does not answer" >&2; exit 2; }
done
for i in "${!names[@]}"; do
  wrk -t1 -c"${CONNECTIONS:-32}" -d"${WARMUP:-25s}" -H "X-User: bench" "http://127.0.0.1:$((first_port + i))$endpoint" \
    >/dev/null
done
profiler() { # pid command
  "$java_bin" benchmarks/ProfilerAttach.java "$1" "$profiler_lib" "$2"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq "${ROUNDS:-4}"); do
  for i in "${!names[@]}"; do
    port=$((first_port + i)); pid=${pids[$i]}; name=${names[$i]}
    [ -z "$profiler_lib" ] || profiler "$pid" "start,event=ctimer,interval=1ms,threads"
    before=$(ticks "$pid")
    wrk -t1 -c"${CONNECTIONS:-32}" -d"${DURATION:-20s}" -H "X-User: bench" "http://127.0.0.1:$port$endpoint" \
      >"$out/$name-$round.txt"
    after=$(ticks "$pid")
    [ -z "$profiler_lib" ] || profiler "$pid" "stop,file=$(readlink -f "$out")/$name-$round.collapsed,collapsed"
    served=$(awk '/requests in/ {print $1}' "$out/$name-$round.txt")
    echo "cpu_ticks $((after - before)) $(getconf CLK_TCK)" >>"$out/$name-$round.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "$out/$name-$round.txt")
    cpu=$(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $served, 1))")
    echo "$name round $round: $rps requests/s, app CPU $cpu µs per request"
  done
done
python3 benchmarks/profile-report.py "$out" "${names[@]}"
