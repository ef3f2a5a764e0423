#!/usr/bin/env python3
"""Report of benchmarks/http-jars.sh: each leg's app CPU per request over its rounds, compared with the last leg
round by round; with PROFILE=1, that CPU split by where async-profiler's samples fell.

    python3 benchmarks/profile-report.py benchmarks/target/http-jars LEG...

Reads LEG-ROUND.txt (wrk's output and a "cpu_ticks TICKS HZ" line) and, when present, LEG-ROUND.collapsed
(async-profiler's collapsed stacks with thread names). Samples become microseconds through the CPU the round
measured: a part's share of the round's samples times the round's CPU per request, so the profiler's timer
resolution does not matter, only its sampling being fair between the parts.

The parts:
- flaskctx: samples of a request thread with a frame of the library (io.flaskctx, not the sample app) below the
  point where FlaskRequestFilter hands the request on to the rest of the chain: its filter, interceptor, dispatch,
  contexts, session and the hooks they call (the sample's BenchHooks included);
- BenchInterceptor: the sample's interceptor, which does the bench hooks' work in a leg without flaskctx;
- request threads, the rest: everything else Tomcat's request threads ran (Spring MVC, Tomcat, Micrometer);
- other threads: the JVM's compilers and GC, Tomcat's poller and acceptor, exporters.
"""
import collections
import glob
import os
import re
import statistics
import sys

LIBRARY = "io/flaskctx/"
SAMPLE = "io/flaskctx/sample/"
HANDS_ON = re.compile(r"^io/flaskctx/web/FlaskRequestFilter\.(run|doFilter)$")


def frame_name(frame):
    return re.sub(r"_\[[a-z0-9]+\]$", "", frame)


def is_request_thread(thread):
    return "-exec-" in thread or thread.startswith("[tomcat-handler")


def classify(frames):
    """(part, entry) of one sample: entry is the first flaskctx frame the part starts with, else None."""
    thread = frames[0]
    names = [frame_name(f) for f in frames[1:]]
    if not is_request_thread(thread):
        return "other threads", None
    handed_on = -1
    for i, name in enumerate(names[:-1]):
        if HANDS_ON.match(name) and not names[i + 1].startswith(LIBRARY):
            handed_on = i
    for i in range(handed_on + 1, len(names)):
        name = names[i]
        if name.startswith(SAMPLE) and "BenchInterceptor" in name:
            return "BenchInterceptor", None
        if name.startswith(LIBRARY) and not name.startswith(SAMPLE):
            return "flaskctx", name[len(LIBRARY):]
    return "request threads, the rest", None


def read_round(directory, leg, round_no):
    text = open(os.path.join(directory, f"{leg}-{round_no}.txt")).read()
    served = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    ticks, hz = (int(x) for x in re.search(r"cpu_ticks (\d+) (\d+)", text).groups())
    cpu_us = ticks * 1e6 / hz / served
    parts = entries = None
    profile = os.path.join(directory, f"{leg}-{round_no}.collapsed")
    if os.path.exists(profile):
        parts, entries = collections.Counter(), collections.Counter()
        for line in open(profile):
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            part, entry = classify(stack.split(";"))
            parts[part] += int(count)
            if entry:
                entries[entry] += int(count)
        total = sum(parts.values()) or 1
        parts = {k: v / total * cpu_us for k, v in parts.items()}
        entries = {k: v / total * cpu_us for k, v in entries.items()}
    return {"rps": rps, "cpu": cpu_us, "parts": parts, "entries": entries}


def main():
    directory, legs = sys.argv[1], sys.argv[2:]
    rounds = {}
    for leg in legs:
        numbers = sorted(int(re.search(r"-(\d+)\.txt$", p).group(1))
                         for p in glob.glob(os.path.join(directory, f"{leg}-*.txt")))
        rounds[leg] = [read_round(directory, leg, n) for n in numbers]
    base = legs[-1]
    print(f"\nApp CPU per request (µs), each round, and each leg minus {base} in the same round:")
    print(f"{'leg':12s} {'rounds':>32s} {'mean':>7s} {'minus ' + base:>22s} {'req/s ratio':>12s}")
    for leg in legs:
        cpus = [r["cpu"] for r in rounds[leg]]
        diffs = [a["cpu"] - b["cpu"] for a, b in zip(rounds[leg], rounds[base])]
        ratios = [a["rps"] / b["rps"] for a, b in zip(rounds[leg], rounds[base])]
        spread = f"{min(diffs):+.1f}..{max(diffs):+.1f}" if diffs else ""
        print(f"{leg:12s} {' '.join(f'{c:6.1f}' for c in cpus):>32s} {statistics.mean(cpus):7.1f} "
              f"{statistics.mean(diffs):+7.1f} ({spread:>13s}) {statistics.median(ratios):11.3f}x")
    if not all(r["parts"] is not None for leg in legs for r in rounds[leg]):
        return
    names = ["flaskctx", "BenchInterceptor", "request threads, the rest", "other threads"]
    print(f"\nWhere it went (µs per request, mean over the rounds; in brackets, minus {base}):")
    print(f"{'leg':12s}" + "".join(f"{n:>28s}" for n in names))
    mean = {leg: {n: statistics.mean(r["parts"].get(n, 0.0) for r in rounds[leg]) for n in names} for leg in legs}
    for leg in legs:
        cells = "".join(f"{mean[leg][n]:>19.2f} ({mean[leg][n] - mean[base][n]:+6.2f})" for n in names)
        print(f"{leg:12s}{cells}")
    for leg in legs:
        entries = collections.Counter()
        for r in rounds[leg]:
            for k, v in r["entries"].items():
                entries[k] += v / len(rounds[leg])
        if entries:
            print(f"\n{leg}: flaskctx's frames by where they were entered (µs per request)")
            for k, v in entries.most_common(8):
                print(f"  {v:6.2f}  {k}")


if __name__ == "__main__":
    main()
