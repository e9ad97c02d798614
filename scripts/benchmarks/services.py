"""Starts and stops the processes a benchmark needs, each by its PID.

Every process listens on a free loopback port and writes its output to a
log file in the run's work folder. `Services.stop_all` stops them in the
reverse order of starting: SIGTERM, then SIGKILL after a timeout.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.request


def free_port():
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(port, path="/healthz", timeout=20.0):
    """Waits until http://127.0.0.1:port/path returns 200; raises TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"http://127.0.0.1:{port}{path} did not return 200 within {timeout} s")


def wait_for_redis(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
        if result.stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise TimeoutError(f"redis-server on port {port} did not reply to PING within {timeout} s")


class Services:
    """The processes of one benchmark run, stopped by PID at the end."""

    def __init__(self, work_dir, bin_dir):
        self.work_dir = work_dir
        self.bin_dir = bin_dir
        self.processes = []

    def start(self, name, argv, env=None):
        log = open(os.path.join(self.work_dir, f"{name}.log"), "wb")
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})})
        log.close()
        self.processes.append((name, process))
        return process

    def stop(self, process, timeout=15.0):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = [(name, p) for name, p in self.processes if p is not process]

    def stop_all(self):
        for _, process in reversed(list(self.processes)):
            self.stop(process)

    def start_redis(self):
        port = free_port()
        self.start(f"redis-{port}", [
            "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", self.work_dir,
            "--save", "", "--appendonly", "no", "--daemonize", "no"])
        wait_for_redis(port)
        return port

    def start_aggregator(self, redis_port):
        metrics_port = free_port()
        self.start("aggregator", [os.path.join(self.bin_dir, "pageviews-aggregator")], env={
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}", "METRICS_PORT": str(metrics_port),
            "METRICS_HOST": "127.0.0.1", "INSTANCE_NAME": "aggregator-1"})
        wait_for_http(metrics_port)
        return metrics_port

    def start_replica(self, name, redis_port, event_loops=None):
        """Starts one pageviews-server; returns (process, port)."""
        port = free_port()
        env = {"PORT": str(port), "HOST": "127.0.0.1", "INSTANCE_NAME": name,
               "REDIS_URL": f"redis://127.0.0.1:{redis_port}", "DRAIN_DELAY_MS": "0"}
        if event_loops is not None:
            env["EVENT_LOOPS"] = str(event_loops)
        process = self.start(name, [os.path.join(self.bin_dir, "pageviews-server")], env=env)
        wait_for_http(port, "/readyz")
        return process, port

    def start_nginx(self, name, body_size):
        """Starts nginx with one worker that responds to every request with 200 and a
        JSON body of `body_size` bytes, with headers like a replica's; returns (master, worker PID, port)."""
        port = free_port()
        prefix = os.path.join(self.work_dir, name)
        os.makedirs(prefix, exist_ok=True)
        body = "x" * body_size
        config = f"""worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type application/json;
            add_header Cache-Control no-store;
            add_header X-Instance {name};
            return 200 '{body}';
        }}
    }}
}}
"""
        path = os.path.join(prefix, "nginx.conf")
        with open(path, "w") as file:
            file.write(config)
        master = self.start(name, ["nginx", "-c", path, "-p", prefix])
        wait_for_http(port, "/readyz")
        return master, worker_pid(master.pid), port

    def start_haproxy(self, server_ports):
        """Starts HAProxy with deploy/haproxy.cfg in front of three servers; returns its port."""
        port = free_port()
        env = {"DEMO_PORT": str(port)}
        for index, server_port in enumerate(server_ports, start=1):
            env[f"SERVER{index}_PORT"] = str(server_port)
        self.start(f"haproxy-{port}", ["haproxy", "-W", "-db", "-f", "deploy/haproxy.cfg"], env=env)
        wait_for_http(port, "/haproxy-healthz")
        # Let the health checks (rise 2, every 500 ms) bring every server up.
        time.sleep(2.0)
        return port


def worker_pid(master_pid, timeout=5.0):
    """Returns the PID of the single child of `master_pid` (nginx's worker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{master_pid}/task/{master_pid}/children") as file:
                children = file.read().split()
            if children:
                return int(children[0])
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"nginx master {master_pid} started no worker")


def cpu_seconds(pid):
    """User plus system CPU time of process `pid` and all its threads, in seconds."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def resident_kilobytes(pid):
    """VmRSS of process `pid`, in KiB."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")
