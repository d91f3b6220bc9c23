"""The load generator the concurrency benchmark and the load test share.

The app runs under gunicorn (4 workers) on loopback; wrk drives it from a second process with
bench/wrk_report.lua, which reports latency percentiles, status counts and created ids as JSON.
"""
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


class Server:
    """A running app: ``base`` is its URL; ``log`` its output, once it has stopped."""

    def __init__(self, base: str) -> None:
        self.base, self.log, self.pid = base, "", 0

    def workers_cpu(self) -> float:
        """CPU seconds the workers have used so far (user and system), from /proc.

        On a machine others share, CPU time per request is a page's cost; wall-clock
        figures also count the waiting for a core.
        """
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        ticks = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def settle(self, seconds: float = 30) -> None:
        """Wait until the workers are idle, so that no earlier request's work is counted."""
        deadline, last = time.monotonic() + seconds, -1.0
        while time.monotonic() < deadline:
            now = self.workers_cpu()
            if now == last:
                return
            last = now
            time.sleep(0.3)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = WORKERS) -> Iterator[Server]:
    """The app under gunicorn on a free loopback port."""
    port = free_port()
    server = Server(f"http://127.0.0.1:{port}")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
             f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
        server.pid = process.pid
        try:
            wait_for(f"{server.base}/healthz")
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.seek(0)
            server.log = log.read().decode(errors="replace")
            if "Traceback" in server.log:  # show what went wrong on the server's side
                print(server.log[-4000:], file=sys.stderr)


def login_cookie(base: str, username: str, password: str) -> str:
    """Log in through the form (with its CSRF token); the session cookie as a header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    opener.open(f"{base}/login", urllib.parse.urlencode(
        {"csrf_token": token, "username": username, "password": password}).encode()).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        raise RuntimeError(f"log-in as {username} failed")
    return cookies


def api_token(base: str, username: str, password: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/token", json.dumps({"username": username, "password": password}).encode(),
        {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())["token"]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        headers = "\\n".join(f"{name}: {value}" for name, value in self.headers.items())
        return "\t".join((self.method, self.path, headers, self.body))


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    statuses: dict[str, int]
    socket_errors: int
    timeouts: int
    created: list[int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def count(self, predicate) -> int:
        return sum(n for status, n in self.statuses.items() if predicate(int(status)))

    @property
    def errors(self) -> int:
        """Responses that are not 2xx/3xx, plus connections that failed or timed out."""
        return self.count(lambda s: s >= 400) + self.socket_errors + self.timeouts

    @property
    def server_errors(self) -> int:
        return self.count(lambda s: s >= 500) + self.socket_errors + self.timeouts


class Run:
    """A wrk process; ``result`` is set once it has finished."""

    result: Result


@contextmanager
def wrk(base: str, requests: list[Request], *, seconds: int, connections: int,
        threads: int = 2, once: bool = False, think_ms: int = 0) -> Iterator[Run]:
    """Run wrk over ``requests`` while the block runs (several may run at once).

    Leaving the block waits for wrk to finish; then ``run.result`` holds its figures.
    """
    run = Run()
    # Files, not pipes: the list of created ids can outgrow a pipe's buffer.
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as listing, \
            tempfile.TemporaryFile("w+") as output:
        listing.write("\n".join(r.line() for r in requests) + "\n")
        listing.flush()
        env = {**os.environ, "TASKBOARD_WRK_REQUESTS": listing.name,
               "TASKBOARD_WRK_THREADS": str(threads),
               "TASKBOARD_WRK_ONCE": "1" if once else "0",
               "TASKBOARD_WRK_THINK_MS": str(think_ms)}
        process = subprocess.Popen(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(HERE / "wrk_report.lua"), base], env=env, stdout=output,
            stderr=subprocess.STDOUT, text=True)
        try:
            yield run
        finally:
            process.wait()
        output.seek(0)
        run.result = _parse(output.read())


def _parse(out: str) -> Result:
    line = next((line for line in out.splitlines() if line.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out}")
    data = json.loads(line.removeprefix("WRK-JSON "))
    data["created"] = [int(i) for i in data["created"].split(",") if i]
    return Result(**data)


def measure(base: str, requests: list[Request], *, seconds: int = 10,
            connections: int = 10) -> Result:
    """``connections`` clients repeating ``requests`` as fast as they are answered."""
    with wrk(base, requests, seconds=seconds, connections=connections) as run:
        pass
    return run.result


def machine() -> str:
    """The machine the figures were taken on, and how busy it was."""
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    return (f"{os.cpu_count()} × {model}; load average {load[0]:.1f} / {load[1]:.1f} / "
            f"{load[2]:.1f} when measured")
