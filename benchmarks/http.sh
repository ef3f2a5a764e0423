#!/usr/bin/env bash
# HTTP overhead of the starter, with what every real app has: the sample app with flaskctx (leg A) beside the same
# jar started with --flaskctx.enabled=false (leg B), the same endpoint driven by wrk on loopback, rounds alternating
# A/B/A/B. Both legs do the same application work per request: leg A runs a before hook that puts the user in `g`
# and an after hook that sets the X-User response header (the sample's BenchHooks), and has a cookie session
# that the request leaves untouched; leg B does the same work the plain Spring way (BenchInterceptor: the user in
# a request attribute and the same header, from a HandlerInterceptor's preHandle), so the ratio measures the
# starter, not the hook bodies. The script checks that both legs answer 2xx with the same X-User header first.
#
# Both legs run with --management.observations.enable.flaskctx=false (A_ARGS): with the actuator, every hook
# invocation in leg A is a Micrometer observation (`flaskctx.hook`), an opt-out a user pays for (with the actuator's
# meter handler about 6 KB allocated a hook: BENCHMARKS.md) and that leg B, with no hooks, has no counterpart of.
# Leg B gets the property too, although it has nothing of flaskctx to observe: any management.observations.enable
# entry makes Boot's observation predicate look every observation's name up (http.server.requests included, with
# substrings allocated per request), and that cost belongs to both legs or to neither. `A_ARGS= WRITE=0
# benchmarks/http.sh` measures leg A with its hooks observed.
#
# Reports per JDK: requests/s, p99 latency, app CPU time per request and heap bytes allocated per request of both
# legs, per round and the median of the rounds' A/B ratios (targets, issue 21: throughput >= 0.99x, p99 within
# 5 %, allocation A - B <= 1 KB per request; judged on 5 rounds or more), and rewrites that JDK's row and rounds in
# the HTTP section of BENCHMARKS.md, keeping the other JDK's. Allocated bytes: the JVM's own counter of every
# thread's allocations, TotalThreadAllocatedBytes of java.lang:type=Threading (JDK 14+, threads that ended
# included), read through JMX by benchmarks/AllocProbe.java, attached to both apps, right before and right after
# each round; the difference over the requests wrk reports (jcmd has no such counter; GC logs and jstat see only
# what was collected, at GC time).
#
#   benchmarks/http.sh            JDK 17 (`java`) then JDK 25 (/usr/lib/jvm/temurin-25*, when installed), one
#                                 after the other; per JDK 2 pairs of JVMs, each warmed up (30 s a leg, then
#                                 until its JIT settles: 1-4 min) and measured in 3 rounds of 20 s per leg
#                                 (~11 min a JDK, ~22 min both)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/http.sh     that JDK alone
#   DURATION=5s ROUNDS=1 PAIRS=1 WARMUP=5s MAX_WARMUP=5 WRITE=0 JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 benchmarks/http.sh
#                                 a smoke check (~1 min): prints, writes nothing
#
# Settings (environment):
#   ENDPOINT      path to drive; must answer 2xx in both legs, so it cannot use flaskctx itself (leg B has
#                 none): a plain endpoint, around which leg A pushes the contexts and runs the hooks (default /ping)
#   DURATION      wrk duration of one measured round                       (default 20s)
#   WARMUP        wrk duration of the fixed warm-up of each leg; then 10 s bursts follow until one of them costs
#                 the JVM's compilers under 0.5 s (jstat -compiler), twice in a row: the sample's stack keeps C2
#                 busy for 60-120 s of load, and a round measured before that compares a leg still compiling
#                 with a settled one                                        (default 30s)
#   MAX_WARMUP    seconds of warm-up per leg after which the rounds start, settled or not (default 240)
#   ROUNDS        measured rounds per leg and pair; the machine drifts by ±15 % between rounds (default 3)
#   PAIRS         pairs of JVMs started one after the other, each measured in ROUNDS rounds; the ratio is the
#                 median over all their rounds: two pairs of the same jar differ by up to 20 % (default 2)
#   CONNECTIONS   wrk connections; THREADS: wrk threads                    (default 32; 1)
#   PORT_A PORT_B loopback ports of the two apps                           (default 18081, 18082)
#   SAMPLE_JAR    the Boot jar    (default sample-app/target/sample-app-0.1.0-SNAPSHOT.jar, built when stale)
#   JAVA_OPTS     JVM options of both apps                                 (default -Xms256m -Xmx256m)
#   APP_ARGS      arguments of both apps  (default: no start-up job, no push-site capture, the sample's
#                 per-request INFO logs off, the sample's own hooks off, the bench hooks on)
#   A_ARGS        arguments that configure flaskctx, given to both legs so that Spring Boot handles them alike
#                 (leg B ignores what only flaskctx reads) (default
#                 --management.observations.enable.flaskctx=false; A_ARGS= observes every hook)
#   ALLOC=0       leave the allocation counter out (no attaching to the apps)
#   WRITE=0       print the section instead of rewriting BENCHMARKS.md (the default when A_ARGS, APP_ARGS or
#                 ENDPOINT is set: BENCHMARKS.md keeps one row per JDK, of the default measurement)
# The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set (that JDK alone); the raw outputs go to
# benchmarks/target/http/jdk-<version>/. Installs wrk (Debian package) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
. scripts/lib.sh

jar=${SAMPLE_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}

# Without JAVA_HOME: this script once per JDK, each with its JAVA_HOME, as benchmarks/run.sh does.
if [ -z "${JAVA_HOME:-}" ]; then
  homes=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for home in /usr/lib/jvm/temurin-25*; do
    if [ -x "$home/bin/java" ] && [ "$(readlink -f "$home")" != "$(readlink -f "${homes[0]}")" ]; then
      homes+=("$home")
      break
    fi
  done
  ensure_sample_jar "$jar"
  status=0
  for home in "${homes[@]}"; do
    echo "== JDK $home"
    JAVA_HOME=$home benchmarks/http.sh "$@" || status=$?
  done
  exit "$status"
fi

endpoint=${ENDPOINT:-/ping}
duration=${DURATION:-20s}
warmup=${WARMUP:-30s}
max_warmup=${MAX_WARMUP:-240}
rounds=${ROUNDS:-3}
pairs=${PAIRS:-2}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
port_a=${PORT_A:-18081}
port_b=${PORT_B:-18082}
java_opts=${JAVA_OPTS:--Xms256m -Xmx256m}
# Production settings for both legs: the sample turns on push-site capture for its leak demo (a stack trace per
# push: with it, leg A used 2.1x leg B's CPU per request in a trial run, 1.5x without), and logs two INFO lines
# per request from its teardown hooks (console logging would dwarf what is measured). Its start-up job needs
# flaskctx, which leg B does not have. The sample's own hooks and signal listener (sample.hooks.enabled) are a
# demo of every hook kind; the bench hooks (sample.bench-hooks.enabled) are what the measurement is about.
app_args=${APP_ARGS:---sample.offline-job.enabled=false --flaskctx.debug.capture-push-sites=false --logging.level.io.flaskctx.sample=WARN --sample.hooks.enabled=false --sample.bench-hooks.enabled=true}
# The per-hook observation is an opt-out the user pays for; leg B has no hooks to observe.
a_args=${A_ARGS---management.observations.enable.flaskctx=false}
alloc=${ALLOC:-1}
# A variant (other arguments or endpoint) prints its section instead of replacing the JDK's row; WRITE=1 forces.
if [ -n "${A_ARGS+set}${APP_ARGS+set}${ENDPOINT+set}" ]; then
  write=${WRITE:-0}
else
  write=${WRITE:-1}
fi
java_bin="$JAVA_HOME/bin/java"
jstat_bin="$JAVA_HOME/bin/jstat"
jdk_label=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ -n "$jdk_label" ] || { echo "no JDK at $JAVA_HOME" >&2; exit 2; }
out=benchmarks/target/http/jdk-$jdk_label
mkdir -p "$out"
rm -f "$out"/round-*.txt "$out"/warmup-*.txt "$out"/app-*.log

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
probe_pid=""
cleanup() {
  if [ -n "$probe_pid" ]; then
    kill "$probe_pid" 2>/dev/null || true
  fi
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

answer_of() { # url -> "<HTTP status> <X-User header or ->", status 000 when nothing answers
  python3 - "$1" <<'EOF'
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1], headers={"X-User": "bench"})
try:
    response = urllib.request.urlopen(request, timeout=5)
    print(response.status, response.headers.get("X-User") or "-")
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("X-User") or "-")
except Exception:
    print("000 -")
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

# Both legs must answer 2xx, and with the same X-User header when the bench hooks are on: the same work done.
check_endpoint() { # leg port
  local code user
  for _ in $(seq 1 30); do
    read -r code user < <(answer_of "http://127.0.0.1:$2$endpoint")
    case "$code" in
      2??) break ;;
      000) sleep 1 ;;
      *) echo "leg $1 answers GET $endpoint with HTTP $code, not 2xx: choose an ENDPOINT that works in both legs" >&2
         exit 2 ;;
    esac
  done
  case "$code" in
    2??) ;;
    *) echo "leg $1 does not answer GET $endpoint; see its log in $out" >&2; exit 2 ;;
  esac
  if [[ " $app_args " == *" --sample.bench-hooks.enabled=true "* ]] && [ "$user" != bench ]; then
    echo "leg $1 answers GET $endpoint without the header X-User: bench (got '$user'): the bench hooks did not run" >&2
    exit 2
  fi
  echo "   leg $1: GET $endpoint -> $code, X-User: $user"
}

# One pair of JVMs: both apps started, checked, warmed up and measured in alternating rounds, then stopped. Each
# pair is a new pair of JVMs: their JITs decide differently (same jar, two pairs minutes apart gave 0.89x and 1.08x
# on JDK 25, leg B's CPU per request differing by 13 % between two JDK 17 pairs), so the ratio is the median over
# the rounds of every pair, not one pair's.
measure_pair() { # pair
pair=$1
pids=()
# shellcheck disable=SC2086 # a_args is a list of arguments
start_app A "$port_a" "$out/app-A-$pair.log" $a_args
pid_a=${pids[-1]}
# shellcheck disable=SC2086 # a_args is a list of arguments
start_app B "$port_b" "$out/app-B-$pair.log" --flaskctx.enabled=false $a_args
pid_b=${pids[-1]}
await_app A "$port_a" "$out/app-A-$pair.log" "$pid_a"
await_app B "$port_b" "$out/app-B-$pair.log" "$pid_b"
check_endpoint A "$port_a"
check_endpoint B "$port_b"

# The allocation counter: one probe JVM attached to both apps, read over a pipe (no JVM start-up between rounds).
allocated() { echo ""; }
if [ "$alloc" = 1 ]; then
  coproc PROBE { exec "$java_bin" benchmarks/AllocProbe.java "$pid_a" "$pid_b" 2>"$out/alloc-probe.log"; }
  probe_pid=$PROBE_PID
  probe_in=${PROBE[1]}
  probe_out=${PROBE[0]}
  read -r -t 120 ready <&"$probe_out" || ready="error: no answer from benchmarks/AllocProbe.java within 120 s"
  if [ "$ready" != ready ]; then
    echo "allocation probe: $ready (see $out/alloc-probe.log; ALLOC=0 measures without it)" >&2
    exit 2
  fi
  allocated() { # pid -> TotalThreadAllocatedBytes of that JVM
    local bytes
    echo "$1" >&"$probe_in"
    read -r -t 30 bytes <&"$probe_out" || { echo "allocation probe: no answer" >&2; exit 2; }
    [[ "$bytes" =~ ^[0-9]+$ ]] || { echo "allocation probe: $bytes" >&2; exit 2; }
    echo "$bytes"
  }
fi

wrk_cmd=(wrk -t"$threads" -c"$connections" --latency -H "X-User: bench")
# CPU time the app used (user + system, in clock ticks): per request, it shows the overhead even when other
# work on the machine makes throughput noisy.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() { # port duration output [pid]
  local before=0 bytes_before="" bytes_after
  if [ -n "${4:-}" ]; then
    before=$(cpu_ticks "$4")
    bytes_before=$(allocated "$4")
  fi
  "${wrk_cmd[@]}" -d"$2" "http://127.0.0.1:$1$endpoint" >"$3"
  if [ -n "${4:-}" ]; then
    if [ -n "$bytes_before" ]; then
      bytes_after=$(allocated "$4")
      echo "Allocated bytes: $((bytes_after - bytes_before))" >>"$3"
    fi
    echo "CPU ticks: $(( $(cpu_ticks "$4") - before )) at $(getconf CLK_TCK) Hz" >>"$3"
  fi
  return 0
}

seconds() { # 30s, 2m or 45 -> seconds
  case "$1" in
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
# Seconds the JVM's JIT compilers have spent so far (jstat's "Time" of -compiler), in milliseconds.
jit_ms() { "$jstat_bin" -compiler "$1" | awk 'NR == 2 {printf "%.0f", $4 * 1000}'; }
# Warms a leg up until its JIT has settled: the sample's web stack takes 60-120 s of load before C2 stops
# compiling (measured here: ~110 s of compile time, one core busy with it), and a round measured before that
# compares a leg still compiling with one that is not (rounds 1-2 ran at a third of the speed of rounds 3-5).
# After the fixed $warmup, 10 s bursts until one of them costs the compilers under 0.5 s, twice in a row, or
# MAX_WARMUP has passed.
warm_leg() { # port pid leg
  local spent settled=0 before after=0 jit=0
  run_wrk "$1" "$warmup" "$out/warmup-$pair-$3.txt"
  spent=$(seconds "$warmup")
  while [ "$spent" -lt "$max_warmup" ]; do
    before=$(jit_ms "$2")
    run_wrk "$1" 10s "$out/warmup-$pair-$3-burst.txt"
    after=$(jit_ms "$2")
    spent=$((spent + 10))
    jit=$((after - before))
    if [ "$jit" -lt 500 ]; then
      settled=$((settled + 1))
      [ "$settled" -ge 2 ] && break
    else
      settled=0
    fi
  done
  echo "   leg $3: warmed up for $spent s; its JIT compiled for $jit ms in the last 10 s$([ "$settled" -ge 2 ] || echo " (not settled: MAX_WARMUP reached)")"
  warmed+=("$3$pair ${spent}s")
}

echo "== warm-up: $warmup per leg, then until its JIT settles (at most $max_warmup s)"
warm_leg "$port_a" "$pid_a" A
warm_leg "$port_b" "$pid_b" B

# What one read of the counter allocates in the app itself (JMX over RMI): two reads in a row.
probe_read_bytes=""
if [ "$alloc" = 1 ]; then
  first=$(allocated "$pid_a")
  second=$(allocated "$pid_a")
  probe_read_bytes=$((second - first))
  echo "   one read of the allocation counter allocates $probe_read_bytes B in the app"
fi

for round in $(seq 1 "$rounds"); do
  for leg in A B; do
    port=$port_a
    pid=$pid_a
    if [ "$leg" = B ]; then
      port=$port_b
      pid=$pid_b
    fi
    run_wrk "$port" "$duration" "$out/round-$pair-$round-$leg.txt" "$pid"
    file="$out/round-$pair-$round-$leg.txt"
    served=$(awk '/requests in/ {print $1}' "$file")
    per_request=""
    if grep -q 'Allocated bytes' "$file"; then
      per_request=", $(awk -v n="$served" '/Allocated bytes/ {printf "%.0f", $3 / n}' "$file") B allocated per request"
    fi
    echo "   pair $pair round $round leg $leg: $(grep -E 'Requests/sec' "$file" | tr -s ' ')," \
      "p99 $(awk '$1 == "99%" {print $2}' "$file"), $(grep 'CPU ticks' "$file")$per_request"
  done
done

if [ -n "$probe_pid" ]; then
  kill "$probe_pid" 2>/dev/null || true
  wait "$probe_pid" 2>/dev/null || true
  probe_pid=""
fi
cleanup
pids=()
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
warmed=()
for pair in $(seq 1 "$pairs"); do
  echo "== pair $pair of $pairs"
  measure_pair "$pair"
done

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(uname -sr)"
jdk=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
shown="benchmarks/http.sh"
for name in ENDPOINT DURATION WARMUP MAX_WARMUP ROUNDS PAIRS CONNECTIONS THREADS SAMPLE_JAR JAVA_OPTS APP_ARGS A_ARGS ALLOC JAVA_HOME; do
  if [ -n "${!name+set}" ] && { [ "$name" != A_ARGS ] || [ "${!name}" != "--management.observations.enable.flaskctx=false" ]; }; then
    shown="$name='${!name}' $shown"
  fi
done

HTTP_OUT="$out" HTTP_ROUNDS="$rounds" HTTP_PAIRS="$pairs" HTTP_DATE="$(date -u +%Y-%m-%dT%H:%MZ)" HTTP_COMMAND="$shown" \
  HTTP_MACHINE="$machine" HTTP_JDK="$jdk $java_opts" HTTP_LABEL="$jdk_label" HTTP_ENDPOINT="$endpoint" \
  HTTP_JAR="$jar" HTTP_COMMON="$app_args" HTTP_A_ARGS="$a_args" HTTP_WRK="${wrk_cmd[*]} -d$duration" \
  HTTP_WARMUP="$warmup, then 10 s bursts until the JIT settled; in all: ${warmed[*]}" HTTP_PROBE_BYTES="$probe_read_bytes" HTTP_LOAD_START="$load_start" HTTP_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" \
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
    allocated = re.search(r"Allocated bytes: (-?\d+)", text)
    served = int(requests.group(1)) if requests else 0
    cpu_us = int(cpu.group(1)) / int(cpu.group(2)) * 1e6 / served if cpu and served else None
    return {"rps": float(rps.group(1)) if rps else None, "p99_ms": millis(p99.group(1)) if p99 else None,
            "cpu_us_per_request": cpu_us, "requests": served or None,
            "allocated_bytes": int(allocated.group(1)) if allocated else None,
            "errors": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(map(int, socket.groups())) if socket else 0}

legs = {"enabled": [], "disabled": []}
for p in range(1, int(e["HTTP_PAIRS"]) + 1):
    for r in range(1, int(e["HTTP_ROUNDS"]) + 1):
        legs["enabled"].append(parse(f"{e['HTTP_OUT']}/round-{p}-{r}-A.txt"))
        legs["disabled"].append(parse(f"{e['HTTP_OUT']}/round-{p}-{r}-B.txt"))
meta = {"date": e["HTTP_DATE"], "command": e["HTTP_COMMAND"], "machine": e["HTTP_MACHINE"], "jdk": e["HTTP_JDK"],
        "label": e["HTTP_LABEL"], "endpoint": e["HTTP_ENDPOINT"], "jar": e["HTTP_JAR"],
        "common_args": e["HTTP_COMMON"], "a_args": e.get("HTTP_A_ARGS", ""), "wrk": e["HTTP_WRK"],
        "warmup": e["HTTP_WARMUP"], "rounds": int(e["HTTP_ROUNDS"]) * int(e["HTTP_PAIRS"]),
        "pairs": int(e["HTTP_PAIRS"]), "load_start": e["HTTP_LOAD_START"], "load_end": e["HTTP_LOAD"],
        "probe_read_bytes": int(e["HTTP_PROBE_BYTES"]) if e.get("HTTP_PROBE_BYTES") else None}
json.dump({"meta": meta, "legs": legs}, open(sys.argv[1], "w"), indent=1)
EOF

if [ "$write" = 1 ]; then
  python3 benchmarks/render.py http "$jdk_label=$out/http.json" --out BENCHMARKS.md
else
  python3 benchmarks/render.py http "$jdk_label=$out/http.json" --stdout
fi
echo "raw wrk output: $out/"
