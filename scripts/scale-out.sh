#!/usr/bin/env bash
# One login across many instances (issue 11): runs sample-app instances A and B as separate processes on
# loopback with virtual users in front of them, each with its own cookie jar, sent by a round-robin balancer
# that fails over when an instance refuses connections, and prints what crossed instances and what was lost.
#
#   1. cookie store, no infrastructure: a login on one instance read on the other, flashes shown by the other
#      instance; then SECRET_KEY rotated instance by instance under traffic, in two rollouts (nobody logged out)
#      and in one (users logged out until the last instance has the new key: Flask's behaviour, counted);
#   2. servlet store on Spring Session + Redis: the same traffic, the sessions counted in Redis;
#   3. rolling restart under load, both stores: A then B stopped gracefully (SIGTERM) and started again while
#      LOAD_USERS users keep going; each stop's log line must say requests started == torn down, 0 g mismatches.
#
#   scripts/scale-out.sh                  all three, about 2.5 minutes
#   ONLY=rolling scripts/scale-out.sh     one of cookie | redis | rolling
#
# Settings (environment):
#   USERS         virtual users of scenarios 1 and 2 and of the key rollouts           (default 50)
#   REQUESTS      requests per user after logging in, in scenarios 1 and 2             (default 20)
#   LOAD_USERS    concurrent users of the rolling restart (no think time)              (default 32)
#   LOAD_SECONDS  load before the first and after the last restart                     (default 5)
#   BASE_PORT     A listens on BASE_PORT, B on BASE_PORT+1, redis-server on BASE_PORT+9 (default 18110)
#   JAVA_OPTS     JVM options of the instances       (default -Xms128m -Xmx256m -XX:TieredStopAtLevel=1)
#   ONLY          cookie | redis | rolling                                              (default: all)
#   MAX_SECONDS   the driver gives up (status 2) after this long                        (default 600)
#   SAMPLE_JAR    the Boot jar    (default sample-app/target/sample-app-0.1.0-SNAPSHOT.jar, built when stale)
# The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` (17+): it runs scripts/ScaleOut.java (the
# driver, a single-file program) and the instances. The jar is copied to target/scale-out/ first, so a rebuild
# of sample-app during the run does not touch running instances. Installs redis-server (Debian package) if
# missing; without it the Redis scenarios are skipped, saying so. Raw output: target/scale-out/ (instance logs,
# driver.log with error samples, summary.md). Exit status: 0 all checks passed, 1 a check failed, 2 the run
# could not be carried out. Only the processes this run started are stopped, on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib.sh
. scripts/lib.sh

only=${ONLY:-}
case "$only" in
  ''|cookie|redis|rolling) ;;
  *) echo "ONLY must be cookie, redis or rolling, not '$only'" >&2; exit 2 ;;
esac
base_port=${BASE_PORT:-18110}
redis_port=$((base_port + 9))
jar=${SAMPLE_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}
java_bin=java
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
out=target/scale-out
mkdir -p "$out"
rm -f "$out"/*.log "$out"/pids "$out"/summary.md

ensure_sample_jar "$jar"
cp "$jar" "$out/sample-app.jar"

redis=""
if [ "$only" != cookie ]; then
  install_if_missing redis-server redis-server ||
    echo "== could not install redis-server: the Redis scenarios will be skipped"
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && redis=yes
fi

redis_pid=""
driver_pid=""
cleanup() {
  # the driver's shutdown hook stops the instances it started
  stop_process "$driver_pid" 20
  # instances the driver could not stop (killed without its shutdown hook): only ours, running our jar copy
  if [ -f "$out/pids" ]; then
    while read -r pid; do
      if [ -n "$pid" ] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$out/sample-app.jar"; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done <"$out/pids"
  fi
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
redis_args=()
if [ -n "$redis" ]; then
  if port_busy "$redis_port"; then
    echo "port $redis_port on 127.0.0.1 is in use; set BASE_PORT (redis-server takes BASE_PORT+9)" >&2
    exit 2
  fi
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$out/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do
    [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.2
  done
  if [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" != PONG ]; then
    echo "redis-server did not answer on port $redis_port; see $out/redis.log" >&2
    exit 2
  fi
  echo "== redis-server pid $redis_pid on 127.0.0.1:$redis_port"
  redis_args=("$redis_port")
fi

start=$(date +%s)
# in the background, so that a signal to this script runs the trap at once rather than after the driver
"$java_bin" -Xmx256m scripts/ScaleOut.java "$out/sample-app.jar" "$out" "${redis_args[@]}" &
driver_pid=$!
status=0
wait "$driver_pid" || status=$?
driver_pid=""
echo "== wall time $(( $(date +%s) - start )) s; raw output in $out/"
exit "$status"
