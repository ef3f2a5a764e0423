#!/usr/bin/env bash
# Compares two builds of the benchmarks jar on one JMH row, the way this machine can resolve a change of a few per
# cent: both jars run at the same time, one pinned to each CPU (taskset), then swapped, for several pairs. A change
# in the machine's speed then falls on both of a pair; what differs within a pair is the change, the CPU and noise.
# Prints each run's scores and ratio after / before, each pair's ratio (the geometric mean of its two orders, which
# cancels a difference in speed between the CPUs), and the median over the pairs.
#
#   benchmarks/ab.sh BEFORE.jar AFTER.jar REGEX [PAIRS]     e.g. benchmarks/ab.sh /tmp/before.jar \
#                                                           benchmarks/target/benchmarks.jar 'SessionBenchmark.encodeSign' 4
#
# Make BEFORE.jar from the commit before the change: ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests, then
# copy benchmarks/target/benchmarks.jar aside. JAVA_HOME picks the JDK (default: java on the PATH). JMH_OPTS replaces
# the measurement options (default -f 1 -wi 4 -w 1s -i 6 -r 1s). Needs 2 CPUs and taskset; run it on a quiet machine.
#
# Why pairs rather than one jar after the other: on this 2-CPU VM one CPU at a time can run 30-50 % slower for
# seconds to minutes (no steal time, the SHA-1 intrinsic slowed too), while a JVM on the other CPU runs at full
# speed; and the machine's speed drifts through the day. Runs one after the other read those as the change.
# A same-jar control (A against A, 3 pairs) read 0.97-1.03 per pair, so a median within about 3 % of 1 is no
# change this machine resolves; a pair during which a CPU changed speed reads far off, hence the median. The verdicts on the targets stay with benchmarks/run.sh.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
before=$1
after=$2
regex=$3
pairs=${4:-3}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [ "$(nproc)" -lt 2 ]; then
  echo "ab.sh needs 2 CPUs (one per jar); this machine has $(nproc)" >&2
  exit 2
fi
read -r -a opts <<<"${JMH_OPTS:--f 1 -wi 4 -w 1s -i 6 -r 1s}"
out=$(mktemp -d "${TMPDIR:-/tmp}/flaskctx-ab.XXXXXX")

# One run: CPU, jar, label. Two JMH instances at once need -Djmh.ignoreLock (each writes its own result file).
# G1 named outright: a JVM pinned to one CPU is not a "server class machine" to the JVM's ergonomics and would
# pick the Serial collector, whose write barrier is a card mark alone, while benchmarks/run.sh and every server
# here run G1, whose barrier on a reference stored into an old object (a thread's frame) costs more. Until the
# twenty-first stop the pairs ran Serial; benchmarks/LOG.md says which readings that touched.
run() {
  taskset -c "$1" "$java" -Djmh.ignoreLock=true -jar "$2" "$regex" "${opts[@]}" -t 1 \
    -jvmArgsAppend "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC" -rf csv -rff "$out/$3.csv" >"$out/$3.log" 2>&1 \
    || { echo "the run $3 failed: $out/$3.log" >&2; return 1; }
}

for ((p = 1; p <= pairs; p++)); do
  run 0 "$before" "before-$p-cpu0" & a=$!
  run 1 "$after" "after-$p-cpu1" & b=$!
  wait "$a" && wait "$b"
  run 0 "$after" "after-$p-cpu0" & a=$!
  run 1 "$before" "before-$p-cpu1" & b=$!
  wait "$a" && wait "$b"
done

python3 - "$out" "$pairs" <<'PY'
import csv, math, statistics, sys
out, pairs = sys.argv[1], int(sys.argv[2])
scores = {}
for p in range(1, pairs + 1):
    for side in ("before", "after"):
        for cpu in (0, 1):
            label = f"{side}-{p}-cpu{cpu}"
            for row in csv.DictReader(open(f"{out}/{label}.csv")):
                if ":" not in row["Benchmark"]:
                    scores.setdefault(row["Benchmark"], {})[label] = (float(row["Score"]), row["Unit"])
for name, s in sorted(scores.items()):
    unit = next(iter(s.values()))[1]
    print(f"{name} ({unit}; before / after, run at the same time)")
    pair_ratios = []
    for p in range(1, pairs + 1):
        ratios = []
        for cpu_before, cpu_after in ((0, 1), (1, 0)):
            b, a = s[f"before-{p}-cpu{cpu_before}"][0], s[f"after-{p}-cpu{cpu_after}"][0]
            ratios.append(a / b)
            print(f"  pair {p}, before on CPU {cpu_before}: {b:10.1f} / {a:10.1f}   after/before {a / b:.3f}")
        # One CPU slower than the other by a factor c reads c and 1/c in the two orders: their geometric mean is
        # the change alone, as long as the CPUs kept their speeds through the pair.
        pair_ratios.append(math.sqrt(ratios[0] * ratios[1]))
        print(f"  pair {p}: after/before {pair_ratios[-1]:.3f} (both orders)")
    print(f"  median after/before {statistics.median(pair_ratios):.3f} over {pairs} pairs"
          f" (range {min(pair_ratios):.3f}-{max(pair_ratios):.3f})")
PY
echo "(logs: $out)"
