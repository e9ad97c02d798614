"""Benchmarks pageviews against nginx (the HTTP ceiling of this machine)
and against the Redis pattern of the per-view design it replaces.

Usage: run.py BIN_DIR, from the repository root; scripts/bench builds and
calls it. Environment: BENCH_DURATION (seconds per wrk run, default 6),
BENCH_REPEATS (runs per measurement, median reported, default 5),
BENCH_CONNECTIONS (wrk connections, default 64), BENCH_PROBES (staleness
probes, default 200). Every process it starts listens on 127.0.0.1 and is
stopped by PID before it exits.
"""

import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import load
import probes
import report
from load import median, run_wrk, write_script
from services import Services, resident_kilobytes
from report import Row

COUNTER = "bench"
POST_PATH = f"/api/v1/counters/{COUNTER}/views"
GET_PATH = f"/api/v1/counters/{COUNTER}"
# Delay between the requests of one connection in the rate-limited runs, in ms.
PACED_DELAY_MS = 2


@dataclass
class Settings:
    duration: int
    repeats: int
    connections: int
    probes: int
    work_dir: str
    commands: list = field(default_factory=list)

    def wrk(self, url, script, server_pid=None, connections=None):
        connections = connections or self.connections
        self.record_command(f"wrk -t1 -c{connections} -d{self.duration}s --timeout 5s -s {os.path.basename(script)} URL")
        return run_wrk(url, script, self.duration, connections, server_pid)

    def record_command(self, command):
        if command not in self.commands:
            self.commands.append(command)


def compare(settings, targets, paths, scripts):
    """Runs each (name, url, pid) target against each path, pairs back to back,
    alternating which goes first; returns {(name, path): [LoadResult]}."""
    results = {}
    for repeat in range(settings.repeats):
        for path in paths:
            order = targets if repeat % 2 == 0 else list(reversed(targets))
            for name, base_url, pid, hooks in order:
                hooks.before(path)
                result = settings.wrk(base_url + path, scripts[path], pid)
                hooks.after(path, result)
                results.setdefault((name, path), []).append(result)
                print(f"  {name:9} {path:32} {result.rate:10.0f} req/s  errors {result.errors}", flush=True)
    return results


class NoHooks:
    def before(self, path):
        pass

    def after(self, path, result):
        pass


class RedisCounting:
    """Counts Redis commands around each pageviews POST run."""

    def __init__(self, redis_port, work_dir):
        self.redis_port = redis_port
        self.work_dir = work_dir
        self.views = 0
        self.per_command = {}
        self.clients = self.scripts = 0
        self.seconds = 0.0

    def before(self, path):
        if path != POST_PATH:
            return
        self.monitor = probes.Monitor(self.redis_port, os.path.join(self.work_dir, "monitor.txt"))
        self.counts = probes.command_counts(self.redis_port)

    def after(self, path, result):
        if path != POST_PATH:
            return
        difference = probes.count_difference(self.counts, probes.command_counts(self.redis_port))
        clients, scripts = self.monitor.stop()
        for name, calls in difference.items():
            self.per_command[name] = self.per_command.get(name, 0) + calls
        self.clients += clients
        self.scripts += scripts
        self.views += result.requests - result.errors
        self.seconds += result.seconds

    @property
    def total(self):
        return sum(self.per_command.values())


def response_size(port):
    client = probes.ReplicaClient(port)
    client.connection.request("GET", GET_PATH)
    return len(client.connection.getresponse().read())


def wait_for_total(port, timeout=10.0):
    """Waits until the replica serves a computed total of the benchmark counter."""
    client = probes.ReplicaClient(port)
    client.request("POST", POST_PATH)
    deadline = time.monotonic() + timeout
    while client.request("GET", GET_PATH)["as_of"] is None:
        if time.monotonic() > deadline:
            raise TimeoutError("timed out after 10 s waiting for a total of the benchmark counter")
        time.sleep(0.1)


def single_replica(services, settings, scripts):
    """Measures (1) one replica with one event loop against one nginx worker
    and (6) latency at half the replica's maximum rate."""
    print("== one replica (EVENT_LOOPS=1) vs nginx (one worker)", flush=True)
    redis_port = services.start_redis()
    services.start_aggregator(redis_port)
    replica, port = services.start_replica("bench-1", redis_port, event_loops=1)
    wait_for_total(port)
    body_size = response_size(port)
    nginx, worker, nginx_port = services.start_nginx("nginx-1", body_size)

    targets = [("pageviews", f"http://127.0.0.1:{port}", replica.pid, NoHooks()),
               ("nginx", f"http://127.0.0.1:{nginx_port}", worker, NoHooks())]
    results = compare(settings, targets, [POST_PATH, GET_PATH], scripts)

    print("== latency at half the replica's maximum POST rate", flush=True)
    half_rate = median([r.rate for r in results[("pageviews", POST_PATH)]]) / 2
    paced = write_script(settings.work_dir, "POST", PACED_DELAY_MS)
    connections = connections_for_rate(targets[0][1] + POST_PATH, paced, half_rate)
    latency = {}
    for repeat in range(settings.repeats):
        for name, url, pid, _ in targets:
            result = settings.wrk(url + POST_PATH, paced, pid, connections=connections)
            latency.setdefault(name, []).append(result)
            print(f"  {name:9} {result.rate:10.0f} req/s  p50 {result.p50_ms:.3f} ms  "
                  f"p99 {result.p99_ms:.3f} ms  p99.9 {result.p999_ms:.3f} ms", flush=True)
    services.stop_all()
    return results, latency, body_size, connections


def connections_for_rate(url, script, rate):
    """Connections that make the paced script send about `rate` requests/s.

    Each connection sends one request per delay plus round trip, so a short
    trial run measures the rate per connection, which sets the count.
    """
    guess = max(2, round(rate * PACED_DELAY_MS / 1000))
    trial = run_wrk(url, script, 2, guess)
    return min(1000, max(2, round(guess * rate / max(trial.rate, 1))))


def cluster(services, settings, scripts):
    """Measures (2) three replicas behind HAProxy against three nginx workers
    behind the same HAProxy configuration, (3) Redis commands per view during
    the pageviews POST runs, (4) staleness under load, and the replaced
    design's Redis ceiling."""
    print("== three replicas behind HAProxy vs three nginx behind HAProxy", flush=True)
    redis_port = services.start_redis()
    services.start_aggregator(redis_port)
    replica_ports = [services.start_replica(f"server-{n}", redis_port, event_loops=1)[1] for n in (1, 2, 3)]
    wait_for_total(replica_ports[0])
    body_size = response_size(replica_ports[0])
    nginx_ports = [services.start_nginx(f"nginx-{n}", body_size)[2] for n in (1, 2, 3)]
    balancer = services.start_haproxy(replica_ports)
    nginx_balancer = services.start_haproxy(nginx_ports)

    counting = RedisCounting(redis_port, settings.work_dir)
    targets = [("pageviews", f"http://127.0.0.1:{balancer}", None, counting),
               ("nginx", f"http://127.0.0.1:{nginx_balancer}", None, NoHooks())]
    results = compare(settings, targets, [POST_PATH, GET_PATH], scripts)
    report_failed_requests(settings.work_dir)

    print("== staleness under load", flush=True)
    staleness = measure_staleness(settings, balancer, replica_ports, scripts[POST_PATH])

    print("== the replaced per-view design's Redis pattern", flush=True)
    requests = 200_000 * max(1, settings.duration // 5)
    settings.record_command(f"redis-benchmark -c 50 -n {requests} -P 61 --csv ZINCRBY old:window 1 home")
    settings.record_command(f"redis-benchmark -c 50 -n {requests} -P 61 --csv ZSCORE old:window home")
    ceiling = probes.per_view_pattern_ceiling(redis_port, requests)
    print(f"  {ceiling[0]:.0f} views/s (ZINCRBY {ceiling[1]:.0f}/s, ZSCORE {ceiling[2]:.0f}/s)", flush=True)
    services.stop_all()
    return results, counting, staleness, ceiling


def report_failed_requests(work_dir):
    """Prints the requests HAProxy logged as failed; deploy/haproxy.cfg logs only those."""
    failed = []
    for name in sorted(os.listdir(work_dir)):
        if name.startswith("haproxy-") and name.endswith(".log"):
            with open(os.path.join(work_dir, name)) as file:
                failed += [line.strip() for line in file if not line.startswith("[")]
    if failed:
        print(f"  HAProxy logged {len(failed)} failed requests, the first ones:", flush=True)
        for line in failed[:5]:
            print(f"    {line}", flush=True)


def measure_staleness(settings, balancer, replica_ports, post_script):
    """Probes freshness while wrk posts views through the balancer."""
    probers = 4
    per_prober = math.ceil(settings.probes / probers)
    command = ["wrk", "-t1", f"-c{settings.connections}", "-d120s", "-s", post_script,
               f"http://127.0.0.1:{balancer}{POST_PATH}"]
    background = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        delays = probes.probe_staleness(replica_ports, probers, per_prober)
    finally:
        background.terminate()
        background.wait()
    delays.sort()
    p50 = delays[len(delays) // 2]
    p99 = delays[min(len(delays) - 1, math.ceil(len(delays) * 0.99) - 1)]
    print(f"  {len(delays)} probes: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms",
          flush=True)
    return len(delays), p50, p99, delays[-1]


def memory(services):
    """Measures (5) a replica's VmRSS idle and with 1,000 open keep-alive connections."""
    print("== resident memory of one replica (default EVENT_LOOPS)", flush=True)
    redis_port = services.start_redis()
    services.start_aggregator(redis_port)
    replica, port = services.start_replica("memory-1", redis_port)
    wait_for_total(port)
    time.sleep(1)
    idle = resident_kilobytes(replica.pid)
    sockets = probes.hold_connections(port, 1000)
    time.sleep(0.5)
    loaded = resident_kilobytes(replica.pid)
    for connection in sockets:
        connection.close()
    print(f"  idle {idle / 1024:.1f} MiB, with 1,000 connections {loaded / 1024:.1f} MiB", flush=True)
    services.stop_all()
    return idle, loaded


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores, {model}, {memory_kb / 1024 / 1024:.1f} GiB memory, Linux {platform.release()}"


def versions():
    def first_line(command):
        result = subprocess.run(command, capture_output=True, text=True)
        return (result.stdout or result.stderr).strip().splitlines()[0]

    return {
        "swift": first_line(["swift", "--version"]),
        "nginx": first_line(["nginx", "-v"]),
        "haproxy": first_line(["haproxy", "-v"]),
        "redis": first_line(["redis-server", "--version"]),
        "wrk": first_line(["wrk", "-v"]),
    }


def pair_ratio(results, path, value):
    """Returns the median over repeats of pageviews' value divided by nginx's
    in the same repeat. The two runs of a pair ran back to back, so their
    ratio cancels most of the drift in what else the machine was doing."""
    pairs = zip(results[("pageviews", path)], results[("nginx", path)])
    return median([value(ours) / value(theirs) for ours, theirs in pairs])


def ratio_row(measure, results, path, target):
    ours = median([r.rate for r in results[("pageviews", path)]])
    theirs = median([r.rate for r in results[("nginx", path)]])
    ratio = pair_ratio(results, path, lambda r: r.rate)
    return Row(measure, f"{ours:,.0f} req/s", f"nginx {theirs:,.0f} req/s", f"{ratio:.2f}",
               f">= {target:.2f}", ratio >= target)


def cpu_row(measure, results, path):
    ours = median([r.cpu_us_per_request for r in results[("pageviews", path)]])
    theirs = median([r.cpu_us_per_request for r in results[("nginx", path)]])
    ratio = pair_ratio(results, path, lambda r: r.cpu_us_per_request)
    return Row(measure, f"{ours:.1f} us", f"nginx {theirs:.1f} us", f"{ratio:.2f}", "", None)


def build_rows(single, latency, cluster_results, counting, staleness, ceiling, rss):
    rows = [
        ratio_row("1 replica, 1 loop: POST view", single, POST_PATH, 1.0),
        ratio_row("1 replica, 1 loop: GET counter", single, GET_PATH, 1.0),
        cpu_row("1 replica: CPU per POST", single, POST_PATH),
        cpu_row("1 replica: CPU per GET", single, GET_PATH),
        ratio_row("3 replicas + HAProxy: POST view", cluster_results, POST_PATH, 0.95),
        ratio_row("3 replicas + HAProxy: GET counter", cluster_results, GET_PATH, 0.95),
    ]

    per_thousand = counting.total * 1000 / max(counting.views, 1)
    client_per_thousand = counting.clients * 1000 / max(counting.views, 1)
    script_per_thousand = counting.scripts * 1000 / max(counting.views, 1)
    rows.append(Row("Redis commands per 1,000 views", f"{per_thousand:.2f}", "per-view design 61,000",
                    f"{counting.total / counting.seconds:.0f} commands/s", "<= 1", per_thousand <= 1))
    rows.append(Row("  of which sent by clients", f"{client_per_thousand:.2f}",
                    f"{script_per_thousand:.2f} run inside scripts", f"{counting.clients / counting.seconds:.0f} commands/s",
                    "", None))
    cluster_views = median([r.rate for r in cluster_results[("pageviews", POST_PATH)]])
    rows.append(Row("views/s: cluster vs per-view Redis ceiling", f"{cluster_views:,.0f} views/s",
                    f"per-view design {ceiling[0]:,.0f} views/s", f"{cluster_views / ceiling[0]:.1f}x", "", None))

    count, p50, p99, worst = staleness
    rows.append(Row(f"staleness under load ({count} probes)", f"p50 {p50 * 1000:.0f} ms",
                    f"max {worst * 1000:.0f} ms", f"p99 {p99 * 1000:.0f} ms", "p99 <= 1000 ms", p99 <= 1.0))

    idle, loaded = rss
    rows.append(Row("VmRSS of 1 replica", f"idle {idle / 1024:.1f} MiB", "",
                    f"{loaded / 1024:.1f} MiB with 1,000 connections", "<= 32 MiB", loaded <= 32 * 1024))

    for name, label in (("pageviews", "pageviews"), ("nginx", "nginx")):
        runs = latency[name]
        rows.append(Row(
            f"POST latency at half max rate: {label}", f"{median([r.rate for r in runs]):,.0f} req/s",
            "", f"p50 {median([r.p50_ms for r in runs]):.2f} / p99 {median([r.p99_ms for r in runs]):.2f} / "
            f"p99.9 {median([r.p999_ms for r in runs]):.2f} ms", "", None))
    return rows


def chart_data(single, latency, cluster_results):
    def rate(results, name, path):
        return median([r.rate for r in results[(name, path)]])

    throughput = [
        ("single POST", rate(single, "pageviews", POST_PATH), rate(single, "nginx", POST_PATH)),
        ("single GET", rate(single, "pageviews", GET_PATH), rate(single, "nginx", GET_PATH)),
        ("cluster POST", rate(cluster_results, "pageviews", POST_PATH), rate(cluster_results, "nginx", POST_PATH)),
        ("cluster GET", rate(cluster_results, "pageviews", GET_PATH), rate(cluster_results, "nginx", GET_PATH)),
    ]
    latencies = [(label, median([getattr(r, key) for r in latency["pageviews"]]),
                  median([getattr(r, key) for r in latency["nginx"]]))
                 for label, key in (("p50", "p50_ms"), ("p99", "p99_ms"), ("p99.9", "p999_ms"))]
    return throughput, latencies


def results_markdown(rows, settings, body_size, paced_connections, counting):
    commands = "\n".join(f"    {command}" for command in settings.commands)
    per_command = ", ".join(f"{name} {calls}" for name, calls in sorted(counting.per_command.items()))
    version_lines = "\n".join(f"- {name}: {text}" for name, text in versions().items())
    return f"""## Latest results

Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `BENCH_DURATION={settings.duration}`
`BENCH_REPEATS={settings.repeats}` `BENCH_CONNECTIONS={settings.connections}`. Every figure is the
median of the repeats. Each pageviews run sits back to back with its nginx run, and a
ratio is the median of the ratios of those pairs.

{report.markdown_table(rows)}

Machine: {machine()}.

{version_lines}

Commands (URL is the replica, nginx or HAProxy under test; the Lua scripts set the
method, print the results as JSON, and for the paced runs wait {PACED_DELAY_MS} ms between
the requests of each of {paced_connections} connections):

{commands}

The nginx body is {body_size} bytes, the size of the replica's JSON. Redis commands
during the pageviews POST runs, summed from `INFO commandstats` (the flush script's
own calls included): {per_command}.
"""


def main():
    bin_dir = sys.argv[1]
    settings = Settings(
        duration=int(os.environ.get("BENCH_DURATION", "6")), repeats=int(os.environ.get("BENCH_REPEATS", "5")),
        connections=int(os.environ.get("BENCH_CONNECTIONS", "64")),
        probes=int(os.environ.get("BENCH_PROBES", "200")),
        work_dir=tempfile.mkdtemp(prefix="pageviews-bench."))
    services = Services(settings.work_dir, bin_dir)
    # SIGTERM and SIGINT end the run through the finally block, which stops every process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        scripts = {POST_PATH: write_script(settings.work_dir, "POST"), GET_PATH: write_script(settings.work_dir, "GET")}
        single, latency, body_size, paced_connections = single_replica(services, settings, scripts)
        cluster_results, counting, staleness, ceiling = cluster(services, settings, scripts)
        rss = memory(services)

        rows = build_rows(single, latency, cluster_results, counting, staleness, ceiling, rss)
        print()
        print(report.text_table(rows))
        report.update_document("docs/benchmarks.md",
                               results_markdown(rows, settings, body_size, paced_connections, counting))
        report.bar_chart_svg("docs/benchmarks.svg", *chart_data(single, latency, cluster_results))
        print("\nwrote docs/benchmarks.md and docs/benchmarks.svg")
    finally:
        services.stop_all()
        shutil.rmtree(settings.work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
