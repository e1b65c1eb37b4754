"""A small closed-loop HTTP load generator: N keep-alive connections in threads, each
sending its next request as soon as the last is answered, for a fixed time."""

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    # CPU seconds per group of processes (server, database, load) during the run.
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def cpu_ms(self) -> dict[str, float]:
        """CPU milliseconds per request, by group."""
        return {name: seconds * 1000 / self.requests for name, seconds in self.cpu.items()}

    def line(self) -> str:
        cpu = "  ".join(f"{name} {ms:.2f}" for name, ms in self.cpu_ms().items())
        return (
            f"{self.name:<34} {self.per_second:8.0f} req/s   p50 {self.percentile(50):6.1f} ms"
            f"   p99 {self.percentile(99):6.1f} ms   errors {self.errors}"
            + (f"\n{'':<34} CPU ms per request: {cpu}" if cpu else "")
        )


Request = tuple[str, str, dict | None, dict]  # method, path, body, headers


def run(
    name: str,
    host: str,
    port: int,
    make_request: Callable[[int, int], Request],
    expect: set[int],
    connections: int,
    seconds: float,
    meter=None,
) -> Result:
    """``make_request(worker, n)`` gives each worker's n-th request."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.perf_counter() + seconds
    start = threading.Barrier(connections + 1)

    def worker(index: int):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        n = 0
        start.wait()
        while time.perf_counter() < deadline:
            method, path, body, headers = make_request(index, n)
            n += 1
            data = json.dumps(body).encode() if body is not None else None
            sent = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in expect
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                ok = False
            latencies[index].append((time.perf_counter() - sent) * 1000)
            if not ok:
                errors[index] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    if meter:
        meter.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = meter.stop() if meter else {}
    flat = [ms for per_worker in latencies for ms in per_worker]
    return Result(name, len(flat), sum(errors), elapsed, flat, cpu)


def pooled(name: str, results: list[Result]) -> Result:
    """Several runs of one endpoint as one: all their requests over all their time."""
    cpu: dict[str, float] = {}
    for result in results:
        for group, seconds in result.cpu.items():
            cpu[group] = cpu.get(group, 0.0) + seconds
    return Result(
        name,
        sum(r.requests for r in results),
        sum(r.errors for r in results),
        sum(r.seconds for r in results),
        [ms for r in results for ms in r.latencies_ms],
        cpu,
    )
