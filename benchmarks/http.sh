#!/usr/bin/env bash
# HTTP overhead of the starter: the sample app with flaskctx enabled (leg A) beside the same jar started with
# --flaskctx.enabled=false (leg B), the same endpoint driven by wrk on loopback, rounds alternating A/B/A/B.
# Reports requests/s, p99 latency and the app's CPU time per request of both legs and their ratios, and rewrites
# the HTTP section of BENCHMARKS.md.
#
#   benchmarks/http.sh                       defaults: 5 rounds of 20 s per leg after 30 s warm-up (~4.5 min)
#   DURATION=10s ROUNDS=2 WARMUP=5s benchmarks/http.sh     a quick check (~1 min)
#
# Settings (environment):
#   ENDPOINT      path to drive; must answer 2xx in both legs, so it cannot use flaskctx itself (leg B has
#                 none): a plain endpoint, through which leg A still pushes the contexts and runs the
#                 sample's hooks                                           (default /ping)
#   DURATION      wrk duration of one measured round                       (default 20s)
#   WARMUP        wrk duration of the warm-up of each leg; leg A has more code for the JIT to compile, and
#                 10 s left its first round ~5 % behind its later ones      (default 30s)
#   ROUNDS        measured rounds per leg; the machine drifts by ±15 % between rounds (default 5)
#   CONNECTIONS   wrk connections; THREADS: wrk threads                    (default 32; 1)
#   PORT_A PORT_B loopback ports of the two apps                           (default 18081, 18082)
#   SAMPLE_JAR    the Boot jar    (default sample-app/target/sample-app-0.1.0-SNAPSHOT.jar, built when stale)
#   JAVA_OPTS     JVM options of both apps                                 (default -Xms256m -Xmx256m)
#   APP_ARGS      arguments of both apps  (default: no start-up job, no push-site capture, the sample's
#                 per-request INFO logs off)
#   A_ARGS        arguments of leg A only (default --sample.hooks.enabled=false: the sample's own hooks and
#                 signal listener off, so leg A measures the starter, not the bodies of the sample's hooks;
#                 A_ARGS= runs them too)
#   WRITE=0       print the section instead of rewriting BENCHMARKS.md
# The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`. Installs wrk (Debian package) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
. scripts/lib.sh

endpoint=${ENDPOINT:-/ping}
duration=${DURATION:-20s}
warmup=${WARMUP:-30s}
rounds=${ROUNDS:-5}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
port_a=${PORT_A:-18081}
port_b=${PORT_B:-18082}
jar=${SAMPLE_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}
java_opts=${JAVA_OPTS:--Xms256m -Xmx256m}
# Production settings for leg A: the sample turns on push-site capture for its leak demo (a stack trace per
# push: with it, leg A used 2.1x leg B's CPU per request in a trial run, 1.5x without), and logs two INFO lines per request from its
# teardown hooks (console logging would dwarf what is measured; only leg A runs hooks). Its start-up job needs
# flaskctx, which leg B does not have.
app_args=${APP_ARGS:---sample.offline-job.enabled=false --flaskctx.debug.capture-push-sites=false --logging.level.io.flaskctx.sample=WARN}
# The sample's hooks (user loader, response headers, teardown log) and its signal listener are application
# code; leg B has no hooks to run them, so by default leg A leaves them out too.
a_args=${A_ARGS---sample.hooks.enabled=false}
write=${WRITE:-1}
java_bin=java
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi
out=benchmarks/target/http
mkdir -p "$out"

install_if_missing wrk wrk || { echo "wrk is needed and could not be installed" >&2; exit 1; }

ensure_sample_jar "$jar"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$port_a" "$port_b"; do
  if port_busy "$port"; then
    echo "port $port on 127.0.0.1 is in use; set PORT_A/PORT_B to free ports" >&2
    exit 1
  fi
done

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# shellcheck disable=SC2086 # word splitting of the option strings is intended
start_app() { # leg port log extra-args...
  local leg=$1 port=$2 log=$3
  shift 3
  "$java_bin" $java_opts -jar "$jar" --server.address=127.0.0.1 --server.port="$port" $app_args "$@" \
    >"$log" 2>&1 &
  pids+=($!)
  echo "== leg $leg: pid $!, http://127.0.0.1:$port$endpoint, log $log"
}

status_of() { # url -> HTTP status, or 000 when nothing answers
  python3 - "$1" <<'EOF'
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1], headers={"X-User": "bench"})
try:
    print(urllib.request.urlopen(request, timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
EOF
}

await_app() { # leg port log pid: returns once the app listens; exits with its failure report if it died
  local leg=$1 port=$2 log=$3 pid=$4
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "leg $leg exited during start-up; from $log:" >&2
      sed -n '/APPLICATION FAILED TO START/,$p' "$log" | head -n 20 >&2
      grep -q 'APPLICATION FAILED TO START' "$log" || tail -n 20 "$log" >&2
      if [ "$leg" = B ]; then
        echo >&2
        echo "The sample app must start with --flaskctx.enabled=false for this comparison, and ENDPOINT must" >&2
        echo "answer 2xx without flaskctx's beans (e.g. a plain endpoint, and the beans that inject G/FlaskApp" >&2
        echo "made conditional on flaskctx.enabled). See BENCHMARKS.md, HTTP overhead." >&2
      fi
      exit 2
    fi
    if port_busy "$port"; then
      return 0
    fi
    sleep 1
  done
  echo "leg $leg did not listen on $port within 120 s; see $log" >&2
  exit 2
}

check_endpoint() { # leg port
  local code
  for _ in $(seq 1 30); do
    code=$(status_of "http://127.0.0.1:$2$endpoint")
    case "$code" in
      2??) return 0 ;;
      000) sleep 1 ;;
      *) echo "leg $1 answers GET $endpoint with HTTP $code, not 2xx: choose an ENDPOINT that works in both legs" >&2
         exit 2 ;;
    esac
  done
  echo "leg $1 does not answer GET $endpoint; see its log in $out" >&2
  exit 2
}

# shellcheck disable=SC2086 # a_args is a list of arguments
start_app A "$port_a" "$out/app-A.log" $a_args
pid_a=${pids[-1]}
start_app B "$port_b" "$out/app-B.log" --flaskctx.enabled=false
pid_b=${pids[-1]}
await_app A "$port_a" "$out/app-A.log" "$pid_a"
await_app B "$port_b" "$out/app-B.log" "$pid_b"
check_endpoint A "$port_a"
check_endpoint B "$port_b"

wrk_cmd=(wrk -t"$threads" -c"$connections" --latency -H "X-User: bench")
# CPU time the app used (user + system, in clock ticks): per request, it shows the overhead even when other
# work on the machine makes throughput noisy.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() { # port duration output [pid]
  local before=0
  [ -n "${4:-}" ] && before=$(cpu_ticks "$4")
  "${wrk_cmd[@]}" -d"$2" "http://127.0.0.1:$1$endpoint" >"$3"
  [ -n "${4:-}" ] && echo "CPU ticks: $(( $(cpu_ticks "$4") - before )) at $(getconf CLK_TCK) Hz" >>"$3"
  return 0
}

echo "== warm-up: $warmup per leg"
run_wrk "$port_a" "$warmup" "$out/warmup-A.txt"
run_wrk "$port_b" "$warmup" "$out/warmup-B.txt"

for round in $(seq 1 "$rounds"); do
  for leg in A B; do
    port=$port_a
    pid=$pid_a
    if [ "$leg" = B ]; then
      port=$port_b
      pid=$pid_b
    fi
    run_wrk "$port" "$duration" "$out/round-$round-$leg.txt" "$pid"
    echo "   round $round leg $leg: $(grep -E 'Requests/sec' "$out/round-$round-$leg.txt" | tr -s ' ')," \
      "p99 $(awk '$1 == "99%" {print $2}' "$out/round-$round-$leg.txt"), $(grep 'CPU ticks' "$out/round-$round-$leg.txt")"
  done
done

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(uname -sr)"
jdk=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
shown="benchmarks/http.sh"
for name in ENDPOINT DURATION WARMUP ROUNDS CONNECTIONS THREADS SAMPLE_JAR JAVA_OPTS APP_ARGS A_ARGS JAVA_HOME; do
  if [ -n "${!name:-}" ]; then
    shown="$name='${!name}' $shown"
  fi
done

HTTP_OUT="$out" HTTP_ROUNDS="$rounds" HTTP_DATE="$(date -u +%Y-%m-%dT%H:%MZ)" HTTP_COMMAND="$shown" \
  HTTP_MACHINE="$machine" HTTP_JDK="$jdk $java_opts" HTTP_ENDPOINT="$endpoint" HTTP_JAR="$jar" \
  HTTP_COMMON="$app_args" HTTP_A_ARGS="$a_args" HTTP_WRK="${wrk_cmd[*]} -d$duration" HTTP_WARMUP="$warmup" \
  python3 - "$out/http.json" <<'EOF'
import json, os, re, sys
e = os.environ

def millis(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

def parse(path):
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    p99 = re.search(r"^\s*99%\s+(\S+)", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    requests = re.search(r"(\d+) requests in", text)
    cpu = re.search(r"CPU ticks: (\d+) at (\d+) Hz", text)
    cpu_us = None
    if cpu and requests and int(requests.group(1)):
        cpu_us = int(cpu.group(1)) / int(cpu.group(2)) * 1e6 / int(requests.group(1))
    errors = (int(non2xx.group(1)) if non2xx else 0)
    return {"rps": float(rps.group(1)) if rps else None, "p99_ms": millis(p99.group(1)) if p99 else None,
            "cpu_us_per_request": cpu_us, "requests": int(requests.group(1)) if requests else None,
            "errors": errors, "socket_errors": sum(map(int, socket.groups())) if socket else 0}

legs = {"enabled": [], "disabled": []}
for r in range(1, int(e["HTTP_ROUNDS"]) + 1):
    legs["enabled"].append(parse(f"{e['HTTP_OUT']}/round-{r}-A.txt"))
    legs["disabled"].append(parse(f"{e['HTTP_OUT']}/round-{r}-B.txt"))
meta = {"date": e["HTTP_DATE"], "command": e["HTTP_COMMAND"], "machine": e["HTTP_MACHINE"], "jdk": e["HTTP_JDK"],
        "endpoint": e["HTTP_ENDPOINT"], "jar": e["HTTP_JAR"], "common_args": e["HTTP_COMMON"], "a_args": e.get("HTTP_A_ARGS", ""),
        "wrk": e["HTTP_WRK"], "warmup": e["HTTP_WARMUP"], "rounds": int(e["HTTP_ROUNDS"])}
json.dump({"meta": meta, "legs": legs}, open(sys.argv[1], "w"), indent=1)
EOF

if [ "$write" = 1 ]; then
  python3 benchmarks/render.py http "$out/http.json" --out BENCHMARKS.md
else
  python3 benchmarks/render.py http "$out/http.json" --stdout
fi
echo "raw wrk output: $out/"
