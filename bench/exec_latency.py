#!/usr/bin/env python3
"""Exec-to-client latency of bpfscope's /events stream.

Runs N execs of /bin/true (one every --gap ms, so the machine stays idle in
between), reads /events?type=exec with a plain HTTP client, and for each of
its own execs takes latency = time the SSE message arrived - the event's
"time" (the kernel's stamp at sys_enter_execve, as wall-clock time).
Prints p50/p99/max. Needs a running daemon (see bench/README.md).

Usage: bench/exec_latency.py [--port 9445] [-n 1000] [--gap 10]
"""
import argparse
import datetime
import http.client
import json
import subprocess
import sys
import threading
import time


def parse_time(text):
    # 2026-11-21T20:57:39.176676715Z: Python keeps microseconds, so the ns go separately.
    seconds, fraction = text.rstrip("Z").split(".")
    base = datetime.datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(base.timestamp()) * 1_000_000_000 + int(fraction.ljust(9, "0"))


def exec_stream(port, timeout=30):
    """The daemon's /events?type=exec stream, its headers read."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", "/events?type=exec")
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"/events answered {response.status}")
    return response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9445)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--gap", type=float, default=10.0, help="ms between execs")
    args = parser.parse_args()

    marker = f"bpfscope-latency-{time.time_ns()}"
    latencies = {}
    done = threading.Event()

    response = exec_stream(args.port)

    def read():
        for raw in response:
            arrived = time.time_ns()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line.startswith("data: "):
                continue
            event = json.loads(line[6:])
            argv = event.get("argv", [])
            if len(argv) == 3 and argv[1] == marker:
                latencies[int(argv[2])] = arrived - parse_time(event["time"])
                if len(latencies) == args.n:
                    done.set()
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)
    for i in range(args.n):
        subprocess.run(["/bin/true", marker, str(i)], check=True)
        time.sleep(args.gap / 1000)
    done.wait(timeout=30)

    values = sorted(latencies.values())
    if not values:
        sys.exit("no exec event arrived")
    def pct(p):
        return values[min(len(values) - 1, int(len(values) * p))] / 1e6
    print(f"execs={args.n} received={len(values)} p50_ms={pct(0.50):.2f} p99_ms={pct(0.99):.2f} max_ms={values[-1] / 1e6:.2f}")
    return 0 if len(values) == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
