#!/usr/bin/env python3
"""Time from adding a PID to the filter to its first write on /events.

A shell writes one line to /dev/null every millisecond. N times: POST its
PID to /filters/pids, note the time, wait for its first write event on
/events?type=write&pid=PID, note the time, DELETE the PID. Prints p50/p99/max
of the gap. Needs a running daemon (see bench/README.md); loopback only.

Usage: bench/filter_latency.py [--port 9445] [-n 50]
"""
import argparse
import http.client
import json
import subprocess
import sys
import threading
import time


def request(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"} if body else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9445)
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()

    writer = subprocess.Popen(["/bin/sh", "-c", "while :; do echo x; sleep 0.001; done > /dev/null"])
    arrivals = []
    seen = threading.Event()

    stream = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    stream.request("GET", f"/events?type=write&pid={writer.pid}")
    response = stream.getresponse()

    def read():
        for raw in response:
            if raw.startswith(b"data: "):
                arrivals.append(time.monotonic_ns())
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    gaps = []
    try:
        for _ in range(args.n):
            seen.clear()
            start = time.monotonic_ns()
            if request(args.port, "POST", "/filters/pids", json.dumps({"pid": writer.pid})) != 200:
                sys.exit("adding the PID failed")
            if not seen.wait(5):
                sys.exit("no write event within 5 s of adding the PID")
            gaps.append(arrivals[-1] - start)
            request(args.port, "DELETE", f"/filters/pids/{writer.pid}")
            time.sleep(0.05)
    finally:
        writer.kill()
    # The first event after an add may have been counted before the add returned: that only shortens a gap.
    gaps.sort()
    def pct(p):
        return gaps[min(len(gaps) - 1, int(len(gaps) * p))] / 1e6
    print(f"adds={len(gaps)} p50_ms={pct(0.5):.2f} p99_ms={pct(0.99):.2f} max_ms={gaps[-1] / 1e6:.2f}")


if __name__ == "__main__":
    main()
