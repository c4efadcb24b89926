#!/usr/bin/env python3
"""The daemon's own CPU per exec event at a steady exec rate (issue 3/5, P6).

Spawns /bin/true at --rate execs/s, paced on an absolute schedule, with one
/events?type=exec client reading; after --warm seconds it samples the
daemon's threads' CPU time (utime + stime in /proc/PID/task/*/stat) over
--seconds more and prints the daemon's CPU per exec, in all and by thread
(names with their digits folded: "ForkJoinPool-N-worker-N"), with how often
each was scheduled in a second (its wakeups), and how many of the measured
execs the client received. Needs a running daemon (see
bench/README.md) and its PID.

Usage: bench/exec_cpu.py --pid PID [--port 9445] [--rate 500] [--warm 30] [--seconds 20]
"""
import argparse
import os
import re
import sys
import threading
import time

from exec_latency import exec_stream

def thread_times(pid):
    """CPU nanoseconds and times scheduled in, by thread name (digits folded), from
    /proc/PID/task/*/schedstat: exact, where the tick-sampled utime and stime are not."""
    times = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = re.sub(r"\d+", "N", f.read().strip())
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                ns, _, runs = (int(field) for field in f.read().split())
        except OSError:
            continue  # the thread ended meanwhile
        was = times.get(name, (0, 0))
        times[name] = (was[0] + ns, was[1] + runs)
    return times


def paced_execs(rate, seconds, marker):
    """Spawns /bin/true `rate` times a second for `seconds`; returns how many."""
    count = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        os.posix_spawn("/bin/true", ["/bin/true", marker], os.environ)
        count += 1
        delay = start + count / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True, help="the daemon's PID")
    parser.add_argument("--port", type=int, default=9445)
    parser.add_argument("--rate", type=float, default=500.0, help="execs per second")
    parser.add_argument("--warm", type=float, default=30.0, help="seconds of execs before measuring")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds measured")
    args = parser.parse_args()

    response = exec_stream(args.port, timeout=60)
    measured = f"bpfscope-exec-cpu-{time.time_ns()}"
    received = [0]

    def read():
        for raw in response:
            if raw.startswith(b"data: ") and measured.encode() in raw:
                received[0] += 1

    threading.Thread(target=read, daemon=True).start()
    paced_execs(args.rate, args.warm, "bpfscope-exec-cpu-warm-up")
    before = thread_times(args.pid)
    execs = paced_execs(args.rate, args.seconds, measured)
    after = thread_times(args.pid)
    time.sleep(1)

    per_exec = {}
    for name, (ns, runs) in after.items():
        ns0, runs0 = before.get(name, (0, 0))
        per_exec[name] = ((ns - ns0) / 1e3 / execs, (runs - runs0) / args.seconds)
    busiest = sorted(((us, runs, name) for name, (us, runs) in per_exec.items() if us >= 0.5), reverse=True)
    print(f"execs={execs} rate={execs / args.seconds:.0f}/s received={received[0]} "
          f"daemon_us_per_exec={sum(us for us, _ in per_exec.values()):.1f} "
          f"daemon_runs_per_s={sum(runs for _, runs in per_exec.values()):.0f} "
          + " ".join(f"{name.replace(' ', '_')}={us:.1f}us/{runs:.0f}runs/s" for us, runs, name in busiest))
    return 0 if received[0] == execs else 1


if __name__ == "__main__":
    sys.exit(main())
