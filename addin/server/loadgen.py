"""A bounded load generator for this project's own server, on loopback only.

Used by the load test (``tests/test_server_load.py``) and the benchmark
(``bench/bench_server.py``): ``clients`` threads post the same request in a loop for
``seconds`` (or ``requests`` in all), and the latencies and failures are returned.
It refuses any address that is not this machine.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from .app import is_loopback


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_load(url: str, payload: dict, clients: int, *, seconds: float | None = None, requests: int | None = None,
             headers: dict | None = None, check=None, timeout: float = 30) -> LoadResult:
    """Post ``payload`` to ``url`` from ``clients`` threads; bounded by ``seconds`` or ``requests``."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if not is_loopback(host):
        raise ValueError(f"load generator only targets this machine, not {host!r}")
    if seconds is None and requests is None:
        raise ValueError("give seconds or requests")
    body = json.dumps(payload).encode("utf-8")
    result = LoadResult()
    lock = threading.Lock()
    remaining = [requests if requests is not None else float("inf")]
    deadline = time.monotonic() + (seconds if seconds is not None else 3600)

    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    send_headers = {"Content-Type": "application/json", **(headers or {})}

    def worker():
        # One keep-alive connection per client, as a browser (Office.js) or the VBA client keeps.
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                start = time.perf_counter()
                try:
                    conn.request("POST", path, body=body, headers=send_headers)
                    r = conn.getresponse()
                    data = r.read()
                    elapsed = time.perf_counter() - start
                    problem = None if r.status == 200 else f"HTTP {r.status}"
                    if problem is None and check is not None:
                        problem = check(data)
                except (http.client.HTTPException, OSError) as e:
                    elapsed, problem = time.perf_counter() - start, f"{type(e).__name__}: {e}"
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
                with lock:
                    if problem:
                        result.errors.append(problem)
                    else:
                        result.latencies.append(elapsed)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    return result
