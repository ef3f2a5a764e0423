#!/usr/bin/env bash
# Leak soak of the sample app: at least 10^6 requests at 256 concurrent connections on loopback, mixing normal
# (75 %), throwing (10 %), async (10 %) and session-writing (5 %) requests, each carrying a unique token that
# the response must give back (read from g) beside the raw header; then flaskctx.contexts.active (must be 0),
# the leaked-context count and the heap after a forced GC before and after the load (flat). Rewrites the soak
# section of BENCHMARKS.md for the mode run. Not part of the build or of any test run.
#
#   benchmarks/soak.sh                    MODE=platform: platform threads on `java` (JDK 17 here), about 5 min
#   MODE=virtual benchmarks/soak.sh       spring.threads.virtual.enabled=true on JDK 25
#                                         (JAVA_HOME defaults to /usr/lib/jvm/temurin-25-jdk-amd64)
#   REQUESTS=20000 WRITE=0 benchmarks/soak.sh      a quick check: prints, leaves BENCHMARKS.md alone
#
# Settings (environment):
#   MODE          platform | virtual                                         (default platform)
#   REQUESTS      responses to collect (wrk stops each thread at its share)  (default 1000000)
#   CONNECTIONS   wrk connections; THREADS: wrk threads                     (default 256; 2)
#   MAX_DURATION  the most the load may take (wrk -d); fewer responses by then fail the run (default 900s)
#   WARMUP        wrk warm-up before the "before" heap reading              (default 15s)
#   PORT          loopback port of the app                                  (default 18090)
#   SAMPLE_JAR    the Boot jar    (default sample-app/target/sample-app-0.1.0-SNAPSHOT.jar, built when stale)
#   JAVA_OPTS     JVM options of the app                                    (default -Xms512m -Xmx512m)
#   WRITE=0       print the section instead of rewriting BENCHMARKS.md
# The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`; jcmd comes from the same JDK. Installs wrk
# (Debian package) if missing. Everything is bounded in time; only the app and wrk it started are stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
. scripts/lib.sh

mode=${MODE:-platform}
case "$mode" in
  platform) ;;
  virtual) export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ;;
  *) echo "MODE must be platform or virtual, not '$mode'" >&2; exit 1 ;;
esac
requests=${REQUESTS:-1000000}
connections=${CONNECTIONS:-256}
threads=${THREADS:-2}
max_duration=${MAX_DURATION:-900s}
warmup=${WARMUP:-15s}
port=${PORT:-18090}
jar=${SAMPLE_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}
java_opts=${JAVA_OPTS:--Xms512m -Xmx512m}
write=${WRITE:-1}
java_bin=java
jcmd_bin=jcmd
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
  jcmd_bin="$JAVA_HOME/bin/jcmd"
fi
out=benchmarks/target/soak
mkdir -p "$out"
log="$out/app-$mode.log"
# Production settings (no push-site capture, the sample's per-request INFO logs off, no start-up job), a key for
# the cookie session, and Tomcat's ERROR log of each thrown request's stack trace off: 10^5 stack traces
# would measure the console, not the contexts. flaskctx's own warnings (a leak, a failed teardown) stay on.
app_args=(--server.address=127.0.0.1 --server.port="$port" --flaskctx.debug.capture-push-sites=false
  --logging.level.io.flaskctx.sample=WARN --sample.offline-job.enabled=false
  --flaskctx.config.SECRET_KEY=soak-secret-key-0123456789abcdef --logging.level.org.apache.catalina.core=OFF)
[ "$mode" = virtual ] && app_args+=(--spring.threads.virtual.enabled=true)

feature=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "$mode" = virtual ] && [ "${feature%%.*}" -lt 21 ]; then
  echo "MODE=virtual needs JDK 21+; $java_bin is $feature" >&2
  exit 1
fi

install_if_missing wrk wrk || { echo "wrk is needed and could not be installed" >&2; exit 1; }

ensure_sample_jar "$jar"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy "$port"; then
  echo "port $port on 127.0.0.1 is in use; set PORT to a free port" >&2
  exit 1
fi

app_pid=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null || true
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# shellcheck disable=SC2086 # word splitting of JAVA_OPTS is intended
"$java_bin" $java_opts -jar "$jar" "${app_args[@]}" >"$log" 2>&1 &
app_pid=$!
echo "== $mode threads: app pid $app_pid on http://127.0.0.1:$port, log $log"
for _ in $(seq 1 120); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "the app exited during start-up; from $log:" >&2
    tail -n 30 "$log" >&2
    exit 2
  fi
  port_busy "$port" && break
  sleep 1
done
port_busy "$port" || { echo "the app did not listen on $port within 120 s; see $log" >&2; exit 2; }

metric() { # name [tag] -> the first measurement's value
  python3 - "http://127.0.0.1:$port/actuator/metrics/$1${2:+?tag=$2}" <<'EOF'
import json, sys, urllib.request
for attempt in range(30):
    try:
        body = json.load(urllib.request.urlopen(sys.argv[1], timeout=10))
        print(body["measurements"][0]["value"])
        break
    except Exception as e:
        error = e
        import time; time.sleep(1)
else:
    sys.exit(f"cannot read {sys.argv[1]}: {error}")
EOF
}

heap_after_gc() { # forced full GC (twice, as a finalizer or cleaner may free more), then heap used in bytes
  "$jcmd_bin" "$app_pid" GC.run >/dev/null
  sleep 1
  "$jcmd_bin" "$app_pid" GC.run >/dev/null
  sleep 1
  metric jvm.memory.used area:heap
}

run_id="r$(date +%s)"
lua=benchmarks/soak.lua
heap_start=$(heap_after_gc)
echo "== warm-up: $warmup at $connections connections"
wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 10s -s "$lua" "http://127.0.0.1:$port" -- 0 "w$run_id" \
  >"$out/warmup-$mode.txt" 2>&1
grep '^SOAK' "$out/warmup-$mode.txt" | head -c 300; echo
sleep 2
heap_before=$(heap_after_gc)
pushed_before=$(metric flaskctx.contexts.pushed type:request)

quota=$(( (requests + threads - 1) / threads ))
echo "== load: $requests requests ($quota per wrk thread) at $connections connections, at most $max_duration"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
cpu_before=$(awk '{print $14 + $15}' "/proc/$app_pid/stat")
marker="$out/stopped-$mode"
rm -f "$marker"
wrk -t"$threads" -c"$connections" -d"$max_duration" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$port" \
  -- "$quota" "$run_id" "$marker" >"$out/load-$mode.txt" 2>&1 &
wrk_pid=$!
# wrk's main thread sleeps for all of -d even after every thread stopped at its quota: interrupt it then
while kill -0 "$wrk_pid" 2>/dev/null; do
  if [ -f "$marker" ] && [ "$(wc -l <"$marker")" -ge "$threads" ]; then
    break
  fi
  sleep 0.5
done
elapsed=$(( $(date +%s) - start ))
cpu_ticks=$(( $(awk '{print $14 + $15}' "/proc/$app_pid/stat") - cpu_before ))
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || true
wrk_pid=""
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
grep -E 'Requests/sec|requests in|Socket errors|Non-2xx' "$out/load-$mode.txt" || true
# in-flight requests end (wrk closed their connections) before the counts are read
sleep 3

active_app=$(metric flaskctx.contexts.active type:app)
active_request=$(metric flaskctx.contexts.active type:request)
leaked=$(metric flaskctx.contexts.leaked)
pending=$(metric flaskctx.copies.pending)
teardown_errors=$(metric flaskctx.teardown.errors)
pushed_after=$(metric flaskctx.contexts.pushed type:request)
heap_after=$(heap_after_gc)
threads_live=$(metric jvm.threads.live)

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(uname -sr)"
jdk=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
shown="benchmarks/soak.sh"
for name in MODE REQUESTS CONNECTIONS THREADS MAX_DURATION WARMUP SAMPLE_JAR JAVA_OPTS JAVA_HOME; do
  if [ -n "${!name:-}" ]; then
    shown="$name='${!name}' $shown"
  fi
done

SOAK_MODE="$mode" SOAK_DATE="$(date -u +%Y-%m-%dT%H:%MZ)" SOAK_COMMAND="$shown" SOAK_MACHINE="$machine" \
  SOAK_JDK="$jdk $java_opts" SOAK_ARGS="${app_args[*]}" SOAK_WRK="wrk -t$threads -c$connections -d$max_duration --timeout 10s -s $lua (stops at $quota responses per thread)" \
  SOAK_LOAD_START="$load_start" SOAK_LOAD_END="$load_end" SOAK_SECONDS="$elapsed" SOAK_REQUESTS="$requests" \
  SOAK_CPU_TICKS="$cpu_ticks" SOAK_HZ="$(getconf CLK_TCK)" SOAK_ACTIVE_APP="$active_app" SOAK_ACTIVE_REQUEST="$active_request" \
  SOAK_LEAKED="$leaked" SOAK_PENDING="$pending" SOAK_TEARDOWN_ERRORS="$teardown_errors" \
  SOAK_PUSHED="$pushed_before $pushed_after" SOAK_HEAP="$heap_start $heap_before $heap_after" SOAK_THREADS="$threads_live" \
  SOAK_LOAD_FILE="$out/load-$mode.txt" SOAK_APP_LOG="$log" python3 - "$out/soak-$mode.json" <<'EOF'
import json, os, re, sys
e = os.environ
text = open(e["SOAK_LOAD_FILE"]).read()
match = re.search(r"^SOAK (\{.*\})$", text, re.M)
wrk = json.loads(match.group(1)) if match else {}
log = open(e["SOAK_APP_LOG"], errors="replace").read()
heap = [float(v) for v in e["SOAK_HEAP"].split()]
pushed = [float(v) for v in e["SOAK_PUSHED"].split()]
result = {
    "meta": {k: e["SOAK_" + k.upper()] for k in ("mode", "date", "command", "machine", "jdk", "args", "wrk",
                                                  "load_start", "load_end")},
    "requests_wanted": int(e["SOAK_REQUESTS"]), "seconds": int(e["SOAK_SECONDS"]),
    "app_cpu_seconds": int(e["SOAK_CPU_TICKS"]) / int(e["SOAK_HZ"]),
    "wrk": wrk,
    "request_contexts_pushed": pushed[1] - pushed[0],
    "active_app": float(e["SOAK_ACTIVE_APP"]), "active_request": float(e["SOAK_ACTIVE_REQUEST"]),
    "leaked": float(e["SOAK_LEAKED"]), "copies_pending": float(e["SOAK_PENDING"]),
    "teardown_errors": float(e["SOAK_TEARDOWN_ERRORS"]), "threads_live": float(e["SOAK_THREADS"]),
    "heap_start": heap[0], "heap_before": heap[1], "heap_after": heap[2],
    "log_warnings": len(re.findall(r"^\S+\s+WARN ", log, re.M)),
    "log_warnings_other": len([l for l in re.findall(r"^\S+\s+WARN .*$", log, re.M) if "TeardownLog" not in l]),
    "log_errors": len(re.findall(r"^\S+\s+ERROR ", log, re.M)),
    "log_leaks": log.count("was still pushed when"),
}
json.dump(result, open(sys.argv[1], "w"), indent=1)
EOF

set +e
if [ "$write" = 1 ]; then
  python3 benchmarks/render.py soak "$out/soak-$mode.json" --out BENCHMARKS.md
else
  python3 benchmarks/render.py soak "$out/soak-$mode.json" --stdout
fi
python3 benchmarks/render.py soak "$out/soak-$mode.json" --check
status=$?
echo "raw output: $out/ (wrk: load-$mode.txt, app log: app-$mode.log, results: soak-$mode.json)"
exit $status
