#!/usr/bin/env bash
# Spring AOT on the JVM (issue 16): builds the sample with spring-boot:process-aot (the sample's `aot` profile),
# starts the jar with -Dspring.aot.enabled=true on a free loopback port, and checks over HTTP what flaskctx does
# for it: the hooks ran (headers), a mounted app answered with its own hook, a session round trip in the signed
# cookie, g seen by an @Async method, the actuator endpoint `flaskctx`, an @AppContextScope connection per request
# and the @Scheduled job's app context (its log lines). Any failed check prints the app's log and exits 1; the
# app is stopped in every case. About a minute once Maven's dependencies are local.
#
#   scripts/aot-check.sh          (the JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib.sh
. scripts/lib.sh

java_cmd=java
[ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
work=sample-app/target/aot-check
rm -rf "$work" && mkdir -p "$work"
log="$work/app.log"
jar="$work/sample-aot.jar"

echo "== building the sample with process-aot"
# process-aot starts the application to record its beans; its log goes to build.log with Maven's
./mvnw -q -B -ntp -pl sample-app -am -Paot package -DskipTests >"$work/build.log" 2>&1 ||
  { tail -n 60 "$work/build.log"; echo "FAIL: the AOT build failed (log: $work/build.log)"; exit 1; }
cp sample-app/target/sample-app-0.1.0-SNAPSHOT.jar "$jar"
entries=$(unzip -l "$jar")
[[ "$entries" == *SampleApplication__ApplicationContextInitializer* ]] ||
  { echo "FAIL: the jar holds no AOT-generated initializer"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
app_pid=""
trap 'stop_process "$app_pid" 10' EXIT

fail() {
  echo "FAIL: $*"
  echo "---- app log ($log) ----"
  tail -n 80 "$log" || true
  exit 1
}

echo "== starting it with -Dspring.aot.enabled=true on port $port"
"$java_cmd" -Xms64m -Xmx256m -XX:TieredStopAtLevel=1 -Dspring.aot.enabled=true -jar "$jar" \
  --server.port="$port" --server.address=127.0.0.1 >"$log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  curl -sf "$base/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || fail "the app exited during start-up"
  sleep 0.5
done
curl -sf "$base/actuator/health" >/dev/null || fail "the app did not answer /actuator/health within 60 s"
grep -q "Starting AOT-processed SampleApplication" "$log" || fail "the app did not start in AOT mode"

# check NAME ACTUAL EXPECTED-SUBSTRING
check() {
  case "$2" in
    *"$3"*) echo "ok   $1" ;;
    *) fail "$1: expected to contain [$3], got [$2]" ;;
  esac
}

whoami=$(curl -si -H 'X-User: alice' "$base/whoami" | tr -d '\r')
check "before hook (g.user) seen by the view" "$whoami" "alice on shop"
check "after hook header X-App" "$whoami" "X-App: shop"
check "after hook header X-User" "$whoami" "X-User: alice"

check "mounted app /admin with its own before hook" "$(curl -sf "$base/admin/hello")" \
  "hello from admin (FLAVOUR=admin, audited=true)"
check "main app beside it" "$(curl -sf "$base/hello")" "hello from shop (FLAVOUR=shop, audited=false)"

jar_file="$work/cookies"
curl -sf -c "$jar_file" -b "$jar_file" -H 'Content-Type: application/json' -d '{"user":"alice","cart":[1,2]}' \
  "$base/session" >/dev/null || fail "POST /session"
grep -q "session" "$jar_file" || fail "no session cookie was set"
check "session round trip in the signed cookie" "$(curl -sf -c "$jar_file" -b "$jar_file" "$base/session")" \
  '"user":"alice"'

check "g copied to an @Async method" "$(curl -sf -H 'X-User: carol' "$base/async/at-async")" "carol seen by @Async"

endpoint=$(curl -sf "$base/actuator/flaskctx") || fail "GET /actuator/flaskctx"
check "actuator endpoint flaskctx names the main app" "$endpoint" '"shop"'
check "actuator endpoint flaskctx names the mounted app" "$endpoint" '"admin"'

report=$(curl -sf "$base/report")
first=$(printf '%s\n' "$report" | sed -n 1p | cut -d' ' -f2)
check "@AppContextScope connection in a request" "$report" "connection $first ran: select 1"

for _ in $(seq 1 40); do
  grep -q "scheduled digest:" "$log" && break
  sleep 0.25
done
digest=$(grep "scheduled digest:" "$log" | head -n 1 || true)
check "@Scheduled job ran in its own app context (g, current_app)" "$digest" "digest for digest from shop"
connection=$(printf '%s\n' "$digest" | sed -n 's/.*; connection \([0-9]*\) ran.*/\1/p')
[ -n "$connection" ] || fail "the job used no @AppContextScope connection: $digest"
for _ in $(seq 1 20); do
  grep -q "connection $connection closed" "$log" && break
  sleep 0.25
done
grep -q "connection $connection closed" "$log" || fail "the job's connection $connection was not closed at teardown"
echo "ok   the job's @AppContextScope connection $connection closed at its teardown"

echo "== AOT check passed (log: $log)"
