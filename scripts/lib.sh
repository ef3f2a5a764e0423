# Shell functions shared by benchmarks/http.sh, benchmarks/soak.sh, scripts/scale-out.sh and scripts/aot-check.sh;
# sourced after the caller has changed to the repository root.

# install_if_missing COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND is not on the PATH (through sudo
# when not root; one that would ask for a password fails instead when nobody is at a terminal, as in CI).
# Returns non-zero when it cannot; the caller decides whether that stops it.
install_if_missing() {
  command -v "$1" >/dev/null && return 0
  echo "== installing $2 (Debian package)"
  local sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=sudo
    [ -t 0 ] || sudo_cmd="sudo -n"
  fi
  { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "$2" >/dev/null; } || return 1
  command -v "$1" >/dev/null
}

# ensure_sample_jar JAR: builds the sample's Boot jar when it is missing or older than a source it is made of,
# unless SAMPLE_JAR names a jar of the caller's choosing. Refuses (status 2) while a process runs the jar: a
# rebuild would pull it from under that process (a soak, say).
ensure_sample_jar() {
  local jar=$1 stale=""
  if [ -z "${SAMPLE_JAR:-}" ]; then
    if [ ! -f "$jar" ]; then
      stale="missing"
    else
      stale=$(find sample-app/src/main sample-app/pom.xml flaskctx-autoconfigure/src/main \
        flaskctx-autoconfigure/pom.xml flaskctx-spring-boot-starter/pom.xml pom.xml -newer "$jar" -type f -print \
        -quit 2>/dev/null || true)
    fi
  fi
  if [ -n "$stale" ]; then
    if pgrep -f -- "-jar $jar" >/dev/null; then
      echo "$jar needs a rebuild ($stale), but a running process uses it; try again when it is done" >&2
      exit 2
    fi
    echo "== building $jar ($stale)"
    ./mvnw -q -B -ntp -pl sample-app -am package -DskipTests
    # The build is reproducible: the jar's time is project.build.outputTimestamp, older than any source
    # edited since; its time becomes now, so that the next run finds it fresh.
    touch "$jar"
  fi
  [ -f "$jar" ] || { echo "no jar at $jar" >&2; exit 2; }
}

# stop_process PID SECONDS: sends SIGTERM to PID (a process this script started), waits up to SECONDS for it to
# end (a Boot app's graceful shutdown), then SIGKILL. Nothing when PID is empty or gone.
stop_process() {
  local pid=$1 tries=$(($2 * 5))
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
