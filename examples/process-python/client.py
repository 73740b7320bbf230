#!/usr/bin/env python3
"""faultline's client adapter for kvserver.py (protocol 1, docs/process-protocol.md).

faultline starts one of these per client, with FAULTLINE_ADDRESS and
FAULTLINE_PORT naming the node it talks to, writes one op per line on stdin
and reads one completion per line on stdout. This is the one place that
decides whether a failed op certainly did not happen (fail) or may have (info).
"""
import http.client
import json
import os
import socket
import sys

ADDRESS = os.environ["FAULTLINE_ADDRESS"]
PORT = int(os.environ["FAULTLINE_PORT"])
TIMEOUT = 1.5

if os.environ.get("FAULTLINE_PROTOCOL") != "1":
    sys.exit(f"client.py speaks protocol 1, faultline asked for {os.environ.get('FAULTLINE_PROTOCOL')}")


def call(method, path, body):
    connection = http.client.HTTPConnection(ADDRESS, PORT, timeout=TIMEOUT)
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None,
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def perform(op):
    f, key, value = op["f"], op.get("key"), op.get("value")
    path = f"/kv/{key}"
    try:
        if f == "read":
            status, body = call("GET", path, None)
            if status == 200:
                return {"type": "ok", "value": body.get("value")}
            return {"type": "fail", "error": f"HTTP {status}"}
        if f == "write":
            status, body = call("PUT", path, {"value": value})
        elif f == "cas":
            status, body = call("POST", f"/cas/{key}", {"old": value[0], "new": value[1]})
        else:
            return {"type": "fail", "error": f"unknown op {f}"}
    except ConnectionRefusedError as err:
        return {"type": "fail", "error": f"connection refused: {err}"}  # nothing was sent
    except (socket.timeout, OSError) as err:
        # A read changes nothing, so it may safely fail; a write may have reached the leader.
        return {"type": "fail" if f == "read" else "info", "error": f"{type(err).__name__}: {err}"}
    if status == 200:
        return {"type": "ok"}
    if status in (409, 503):
        return {"type": "fail", "error": body.get("error", f"HTTP {status}")}  # certainly not applied
    return {"type": "info", "error": body.get("error", f"HTTP {status}")}


for line in sys.stdin:
    if line.strip():
        print(json.dumps(perform(json.loads(line))), flush=True)
