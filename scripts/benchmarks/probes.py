"""Measurements other than throughput: freshness, memory and Redis load."""

import http.client
import json
import resource
import socket
import subprocess
import threading
import time

# Commands the benchmark itself sends to Redis, left out of the counts.
OWN_COMMANDS = {"info", "monitor", "ping", "config|resetstat"}


class ReplicaClient:
    """A keep-alive HTTP connection to one replica."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    def request(self, method, path):
        self.connection.request(method, path)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path} returned {response.status}: {body[:200]!r}")
        return json.loads(body)

    def views(self, counter):
        return self.request("GET", f"/api/v1/counters/{counter}")["views_last_60s"]


def probe_staleness(replica_ports, probers, probes_per_prober, timeout=10.0):
    """Returns the seconds from each recorded view until every replica serves a
    total that includes it.

    Each prober owns one counter: it posts one view to one replica (in turn),
    then polls every replica until each serves the new count. A probe that
    times out counts as `timeout`. Probers run in parallel threads so that
    the probes fit inside one 60-second window.
    """
    delays = []
    lock = threading.Lock()

    def run(index):
        counter = f"probe-{index}"
        clients = [ReplicaClient(port) for port in replica_ports]
        expected = max(client.views(counter) for client in clients)
        for number in range(probes_per_prober):
            expected += 1
            started = time.monotonic()
            clients[number % len(clients)].request("POST", f"/api/v1/counters/{counter}/views")
            waiting = list(clients)
            while waiting and time.monotonic() - started < timeout:
                waiting = [client for client in waiting if client.views(counter) < expected]
                if waiting:
                    time.sleep(0.002)
            with lock:
                delays.append(time.monotonic() - started)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(probers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return delays


def hold_connections(port, count):
    """Opens `count` keep-alive connections, sends one request on each and
    reads its response, and returns the open sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256), hard))
    sockets = []
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(request)
        read_response(connection)
        sockets.append(connection)
    return sockets


def read_response(connection):
    """Reads one HTTP response with a Content-Length body from a socket."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += receive(connection)
    head, body = received.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += receive(connection)


def receive(connection):
    chunk = connection.recv(4096)
    if not chunk:
        raise RuntimeError("connection closed before the response ended")
    return chunk


def command_counts(redis_port):
    """Calls per command from INFO commandstats, without the benchmark's own commands."""
    output = subprocess.run(
        ["redis-cli", "-p", str(redis_port), "info", "commandstats"], capture_output=True, text=True,
        check=True).stdout
    counts = {}
    for line in output.splitlines():
        if not line.startswith("cmdstat_"):
            continue
        name, fields = line[len("cmdstat_"):].split(":", 1)
        calls = int(dict(field.split("=") for field in fields.split(","))["calls"])
        if name not in OWN_COMMANDS:
            counts[name] = calls
    return counts


def count_difference(before, after):
    return {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}


class Monitor:
    """Records Redis MONITOR output, to tell commands sent by clients from those a script ran."""

    def __init__(self, redis_port, path):
        self.path = path
        self.file = open(path, "w")
        self.process = subprocess.Popen(
            ["redis-cli", "-p", str(redis_port), "monitor"], stdout=self.file, stderr=subprocess.DEVNULL)
        time.sleep(0.2)

    def stop(self):
        """Stops MONITOR; returns (commands sent by clients, commands run inside scripts)."""
        self.process.terminate()
        self.process.wait()
        self.file.close()
        clients = scripts = 0
        with open(self.path) as file:
            for line in file:
                if " [" not in line:
                    continue
                command = line.split("]", 1)[1].strip().split(" ", 1)[0].strip('"').lower()
                if command in OWN_COMMANDS:
                    continue
                if " lua]" in line:
                    scripts += 1
                else:
                    clients += 1
        return clients, scripts


def redis_benchmark_rate(redis_port, requests, pipeline, command):
    """Operations per second of `command` from redis-benchmark with 50 clients."""
    output = subprocess.run(
        ["redis-benchmark", "-p", str(redis_port), "-c", "50", "-n", str(requests), "-P", str(pipeline),
         "--csv", *command], capture_output=True, text=True, check=True).stdout
    rows = [line for line in output.splitlines() if line and not line.startswith('"test"')]
    return float(rows[-1].split(",")[1].strip('"'))


def per_view_pattern_ceiling(redis_port, requests):
    """Views per second that the replaced design's Redis pattern allows: per
    view one ZINCRBY and 60 ZSCOREs (one per second of the window), sent in
    one pipeline of 61 commands. Returns (views/s, ZINCRBY/s, ZSCORE/s)."""
    subprocess.run(["redis-cli", "-p", str(redis_port), "zadd", "old:window", "1", "home"],
                   capture_output=True, check=True)
    zincrby = redis_benchmark_rate(redis_port, requests, 61, ["ZINCRBY", "old:window", "1", "home"])
    zscore = redis_benchmark_rate(redis_port, requests, 61, ["ZSCORE", "old:window", "home"])
    seconds_per_view = 1 / zincrby + 60 / zscore
    return 1 / seconds_per_view, zincrby, zscore
