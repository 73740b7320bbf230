#!/usr/bin/env python3
"""A small replicated key-value store, standard library only, with a real
replication bug, for faultline's process target to find.

One leader (the first of --members) takes every write: it applies it,
acknowledges it, and only then replicates it to the followers, in the
background. Followers forward writes to the leader, and serve reads from
their own copy. So a follower that has not caught up (it is partitioned
from the leader, or just behind) answers a read with a value the leader
has already overwritten: a stale read, which linearizability forbids. This
is the design of many primary/replica setups that read from replicas.

HTTP, JSON bodies:
  GET  /kv/<key>         {"value": v}            from this node's own copy
  PUT  /kv/<key>         {"value": v}            -> 200 / 503 leader unreachable / 504 indeterminate
  POST /cas/<key>        {"old": a, "new": b}    -> 200, 409 (did not hold a), 503, 504
  POST /replicate        {"seq": n, "key": k, "value": v}   leader -> follower, in order
  GET  /status           {"node", "leader", "applied"}

  python3 kvserver.py --node n1 --listen 10.0.0.2:8100 --members n1=10.0.0.2,n2=10.0.0.3 --data DIR
"""
import argparse
import http.client
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FORWARD_TIMEOUT = 1.0
REPLICATE_TIMEOUT = 0.5


class Store:
    """The node's copy: key -> value, and the log of applied writes (seq from 1), kept on disk."""

    def __init__(self, data_dir):
        self.lock = threading.Lock()
        self.values = {}
        self.log = []  # (key, value) by seq - 1
        self.path = os.path.join(data_dir, "log.jsonl")
        if os.path.exists(self.path):
            with open(self.path) as f:
                for line in f:
                    if line.strip():
                        entry = json.loads(line)
                        self._apply(entry["key"], entry["value"])
        self.file = open(self.path, "a")

    def _apply(self, key, value):
        self.values[key] = value
        self.log.append((key, value))

    def append(self, key, value):
        """Applies a write and logs it; returns its seq. Call with the lock held."""
        self._apply(key, value)
        self.file.write(json.dumps({"key": key, "value": value}) + "\n")
        self.file.flush()
        return len(self.log)


class Node:
    def __init__(self, name, members, port, data_dir):
        self.name = name
        self.members = members  # [(name, address)], the first is the leader
        self.port = port
        self.leader_name, self.leader_address = members[0]
        self.is_leader = name == self.leader_name
        self.store = Store(data_dir)
        self.changed = threading.Condition(self.store.lock)

    # The leader's side.
    def write(self, key, value):
        with self.store.lock:
            self.store.append(key, value)
            self.changed.notify_all()
        # Acknowledged here, before any follower has it: the replicators send it later.

    def cas(self, key, old, new):
        with self.store.lock:
            if self.store.values.get(key) != old:
                return False
            self.store.append(key, new)
            self.changed.notify_all()
            return True

    def replicate_to(self, follower, address):
        """Sends the log to one follower, in order, forever; retries what fails."""
        sent = None  # the follower's applied seq, as last reported
        while True:
            try:
                if sent is None:
                    sent = request(address, self.port, "GET", "/status", None, REPLICATE_TIMEOUT)[1]["applied"]
                with self.store.lock:
                    while sent >= len(self.store.log):
                        self.changed.wait(1.0)
                    key, value = self.store.log[sent]
                status, body = request(
                    address, self.port, "POST", "/replicate", {"seq": sent + 1, "key": key, "value": value},
                    REPLICATE_TIMEOUT,
                )
                sent = body["applied"] if status in (200, 409) else None
            except Exception:
                sent = None
                time.sleep(0.1)

    # A follower's side.
    def apply_replicated(self, seq, key, value):
        with self.store.lock:
            if seq == len(self.store.log) + 1:
                self.store.append(key, value)
                return 200
            return 409  # out of order: the leader starts again from what we have


def request(address, port, method, path, body, timeout):
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None,
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def make_handler(node):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def forward(self, method, body):
            """A follower passes a write to the leader: 503 when it certainly did not get there, 504 when unknown."""
            try:
                status, answer = request(node.leader_address, node.port, method, self.path, body, FORWARD_TIMEOUT)
                self.reply(status, answer)
            except ConnectionRefusedError:
                self.reply(503, {"error": "leader unreachable: connection refused"})
            except OSError as err:
                self.reply(504, {"error": f"leader did not answer: {err}"})

        def do_GET(self):
            if self.path.startswith("/kv/"):
                with node.store.lock:
                    value = node.store.values.get(self.path[4:])
                self.reply(200, {"value": value, "node": node.name})
            elif self.path == "/status":
                self.reply(200, {"node": node.name, "leader": node.leader_name, "applied": len(node.store.log)})
            else:
                self.reply(404, {"error": "no such path"})

        def do_PUT(self):
            if not self.path.startswith("/kv/"):
                return self.reply(404, {"error": "no such path"})
            body = self.body()
            if not node.is_leader:
                return self.forward("PUT", body)
            node.write(self.path[4:], body.get("value"))
            self.reply(200, {"ok": True})

        def do_POST(self):
            body = self.body()
            if self.path == "/replicate":
                status = node.apply_replicated(body["seq"], body["key"], body["value"])
                return self.reply(status, {"applied": len(node.store.log)})
            if not self.path.startswith("/cas/"):
                return self.reply(404, {"error": "no such path"})
            if not node.is_leader:
                return self.forward("POST", body)
            if node.cas(self.path[5:], body.get("old"), body.get("new")):
                self.reply(200, {"ok": True})
            else:
                self.reply(409, {"error": "the register did not hold the old value"})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--node", required=True)
    parser.add_argument("--listen", required=True, help="address:port")
    parser.add_argument("--members", required=True, help="name=address,... (the first is the leader)")
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    address, port = args.listen.rsplit(":", 1)
    members = [tuple(m.split("=", 1)) for m in args.members.split(",")]
    node = Node(args.node, members, int(port), args.data)
    if node.is_leader:
        for name, member_address in members[1:]:
            threading.Thread(target=node.replicate_to, args=(name, member_address), daemon=True).start()
    server = ThreadingHTTPServer((address, int(port)), make_handler(node))
    server.daemon_threads = True
    print(f"{node.name}: serving on {args.listen}, leader {node.leader_name}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
