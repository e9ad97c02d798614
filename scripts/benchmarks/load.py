"""Runs wrk and reads its results.

Every run uses a generated Lua script whose `done` hook prints one JSON
line with the request count, errors and latency percentiles, so no text
of wrk's human-readable report is parsed.
"""

import json
import os
import subprocess
from dataclasses import dataclass

from services import cpu_seconds

REPORT_HOOK = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    p999_ms: float
    # CPU time the measured server process used per request, in microseconds; None if not measured.
    cpu_us_per_request: float | None = None

    @property
    def rate(self):
        return self.requests / self.seconds


def write_script(work_dir, method, delay_ms=None):
    """Writes a wrk Lua script for `method`; with `delay_ms`, each connection
    waits that long between its requests, which caps the request rate."""
    name = f"wrk-{method.lower()}-{delay_ms or 0}.lua"
    path = os.path.join(work_dir, name)
    lines = [f'wrk.method = "{method}"']
    if delay_ms:
        lines.append(f"delay = function() return {delay_ms} end")
    with open(path, "w") as file:
        file.write("\n".join(lines) + "\n" + REPORT_HOOK)
    return path


def run_wrk(url, script, seconds, connections, server_pid=None):
    """Runs `wrk -t1` against `url` and returns its results; measures the CPU
    time of `server_pid` during the run when given."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script, url]
    before = cpu_seconds(server_pid) if server_pid else None
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = cpu_seconds(server_pid) if server_pid else None

    line = next((l for l in output.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result line:\n{output}")
    values = json.loads(line[len("BENCH "):])
    requests = values["requests"]
    result = LoadResult(
        requests=requests, seconds=values["duration_us"] / 1e6, errors=values["errors"],
        p50_ms=values["p50_us"] / 1000, p99_ms=values["p99_us"] / 1000, p999_ms=values["p999_us"] / 1000)
    if server_pid and requests:
        result.cpu_us_per_request = (after - before) * 1e6 / requests
    return result


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
