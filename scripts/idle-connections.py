#!/usr/bin/env python3
"""Slow clients against a running server: opens N idle TCP connections to
HOST:PORT (they never send a byte), checks that /healthz keeps answering
while they are open, then waits past the server's header timeout and counts
how many the server closed. Loopback only; bounded in count and time.

Usage: idle-connections.py PORT [N] [WAIT_SECONDS]
"""
import socket
import statistics
import sys
import time
import urllib.request

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15000
wait = float(sys.argv[3]) if len(sys.argv) > 3 else 12.0
socks = []
t0 = time.time()
for i in range(n):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
    except OSError as e:
        print(f"connect failed after {i}: {e}")
        break
    socks.append(s)
print(f"{len(socks)} idle connections opened in {time.time() - t0:.1f} s")
lat = []
for _ in range(20):
    t = time.time()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
        assert r.status == 200, r.status
    lat.append((time.time() - t) * 1000)
lat.sort()
print(f"/healthz while they are open: 20 of 20 answered, median {statistics.median(lat):.2f} ms, max {lat[-1]:.2f} ms")
time.sleep(wait)
open_ = 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1) != b"":
            open_ += 1
    except BlockingIOError:
        open_ += 1
    except OSError:
        pass
print(f"after {wait:.0f} s: {len(socks) - open_} of {len(socks)} closed by the server, {open_} still open")
