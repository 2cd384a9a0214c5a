#!/usr/bin/env python3
"""A connection flood against one listener, from an address of its own, bounded in count and time.

Usage: flood.py PORT COUNT SOURCE_ADDRESS MEMBER_COMMAND_JSON

Opens COUNT TCP connections to 127.0.0.1:PORT from SOURCE_ADDRESS (another loopback address, so
the listener sees a different client from the member), sends nothing on them except one that
sends the first line of a request head and stops (slowloris), then runs the member's command
(a curl invocation, from 127.0.0.1) while they are held, and waits (at most 20 s) for the held
ones to be closed. Prints one JSON object:
  opened, refusedAtOnce, held, member (the command's stdout), memberSeconds, closedWithin
"""
import json, socket, subprocess, sys, time

port, count, source, member = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
sockets = []
for i in range(count):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
        if i == 0:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head never finished
        sockets.append(s)
    except OSError:
        pass

def closed(s, wait):
    s.settimeout(wait)
    try:
        return s.recv(4096) == b""
    except (socket.timeout, TimeoutError):
        return False
    except OSError:
        return True

# Connections over the address's share are closed as soon as they are accepted.
time.sleep(0.5)
refused = [s for s in sockets if closed(s, 0.05)]
held = [s for s in sockets if s not in refused]

started = time.time()
run = subprocess.run(member, capture_output=True, text=True, timeout=30)
member_seconds = round(time.time() - started, 2)

started = time.time()
open_ones = list(held)
while open_ones and time.time() - started < 20:
    open_ones = [s for s in open_ones if not closed(s, 0.05)]
closed_within = round(time.time() - started, 1) if not open_ones else None
for s in sockets:
    s.close()
print(json.dumps({"opened": len(sockets), "refusedAtOnce": len(refused), "held": len(held),
                  "member": run.stdout.strip(), "memberSeconds": member_seconds, "closedWithin": closed_within}))
