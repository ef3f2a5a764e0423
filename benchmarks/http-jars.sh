#!/usr/bin/env bash
# Two builds of the sample app side by side: the same endpoint driven by wrk on loopback against build A, build B
# and build B with flaskctx disabled, rounds alternating A/B/off, so that both builds meet the same machine
# conditions. For "did this change make the request path slower?" on a busy machine, where runs of http.sh at
# different times differ by more than the change. Prints one line per round; writes nothing.
#
#   OLD_JAR=/tmp/sample-old.jar NEW_JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar benchmarks/http-jars.sh
#
# Build the old jar from a worktree: git worktree add /tmp/old <rev> && (cd /tmp/old &&
# ./mvnw -q -pl sample-app -am package -DskipTests) && cp /tmp/old/sample-app/target/*.jar /tmp/sample-old.jar
# Settings (environment): ENDPOINT (/ping), ROUNDS (4), DURATION (20s), WARMUP (25s per app), CONNECTIONS (32),
# ports 18081-18083. All three run as http.sh's legs: the sample's own hooks off, the bench hooks on (BenchHooks
# with flaskctx, BenchInterceptor without; a jar built before they existed runs neither, so compare builds that
# both have them), the hook observations off. The JDK is $JAVA_HOME/bin/java when JAVA_HOME is set, else `java`.
# Requires wrk.
set -euo pipefail
old=${OLD_JAR:?OLD_JAR: the sample jar built before the change}
new=${NEW_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT.jar}
endpoint=${ENDPOINT:-/ping}
args=(--server.address=127.0.0.1 --sample.offline-job.enabled=false --flaskctx.debug.capture-push-sites=false
  --logging.level.io.flaskctx.sample=WARN --sample.hooks.enabled=false --sample.bench-hooks.enabled=true)
java_bin=java
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { "$java_bin" -Xms256m -Xmx256m -jar "$1" --server.port="$2" "${args[@]}" "$3" >"/tmp/http-jars-$2.log" 2>&1 &
  pids+=($!); }
start "$old" 18081 --management.observations.enable.flaskctx=false
start "$new" 18082 --management.observations.enable.flaskctx=false
start "$new" 18083 --flaskctx.enabled=false
names=(old new off)
for port in 18081 18082 18083; do
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port$endpoint" >/dev/null && break; sleep 1; done
  wrk -t1 -c"${CONNECTIONS:-32}" -d"${WARMUP:-25s}" -H "X-User: bench" "http://127.0.0.1:$port$endpoint" >/dev/null
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq "${ROUNDS:-4}"); do
  for i in 0 1 2; do
    port=$((18081 + i)); pid=${pids[$i]}
    before=$(ticks "$pid")
    out=$(wrk -t1 -c"${CONNECTIONS:-32}" -d"${DURATION:-20s}" -H "X-User: bench" "http://127.0.0.1:$port$endpoint")
    after=$(ticks "$pid")
    served=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    cpu=$(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $served, 1))")
    echo "${names[$i]} round $round: $rps requests/s, app CPU $cpu µs per request"
  done
done
