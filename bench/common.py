"""Shared bench tooling: a gunicorn server on 127.0.0.1 with its own database, and latency statistics.

Every figure is printed as `name: value unit (ratio to trivial view: r)`, where the trivial view is
/healthz measured against the same server in the same run.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(port: int, env: dict, *options: str) -> subprocess.Popen:
    """gunicorn serving the project on 127.0.0.1:port with these extra command-line options.

    `env` is the server's whole environment, so a variable left out of it (DATABASE_URL for a
    SQLite run) stays out.
    """
    command = [PYTHON, "-m", "gunicorn", "borgerblik.wsgi", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    return subprocess.Popen([*command, *options], cwd=ROOT, env=env)


def fetch(port: int, method: str, path: str, headers=None, body=None, timeout: float = 30):
    """One request on a connection of its own: (status, headers, body, milliseconds); status 0 when it failed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data, (time.perf_counter() - started) * 1000
    except OSError:
        return 0, {}, b"", (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped during start-up")
        if fetch(port, "GET", "/healthz", timeout=2)[0] == 200:
            return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within {seconds:.0f} s")


@contextlib.contextmanager
def server(workers: int = 4, threads: int = 4) -> Iterator["Server"]:
    """Migrate a fresh database, load demo data and serve it with gunicorn until the block ends."""
    tmp = Path(tempfile.mkdtemp(prefix="borgerblik-bench-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)  # always the throwaway SQLite file, never a database named outside
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "loaddemo", "--force"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    process = gunicorn(port, env, "-w", str(workers), "--threads", str(threads))
    try:
        wait_until_up(port, process)
        srv = Server("127.0.0.1", port, env)
        yield srv
    finally:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


class Server:
    def __init__(self, host: str, port: int, env: dict):
        self.host, self.port, self.env = host, port, env
        self.url = f"http://{host}:{port}"

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=10)

    def get(self, path: str, headers: dict | None = None, conn=None) -> tuple[int, bytes, dict]:
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            if own:
                conn.close()

    def manage(self, *args: str) -> str:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                                capture_output=True, text=True)  # fmt: skip
        return result.stdout


def timed(call) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def p95(samples: list[float]) -> float:
    """The 95th percentile (the largest sample when there are fewer than 20), NaN without samples."""
    if not samples:
        return float("nan")
    if len(samples) < 20:
        return max(samples)
    return statistics.quantiles(samples, n=20)[18]


def measure_get(srv: Server, path: str, requests: int = 300, concurrency: int = 8, headers=None) -> list[float]:
    """Latencies of `requests` GETs of `path` from `concurrency` threads, each on a kept-alive connection."""
    per_thread = max(1, requests // concurrency)

    def worker(_):
        conn = srv.connection()
        samples = []
        for _ in range(per_thread):
            samples.append(timed(lambda: srv.get(path, headers=headers, conn=conn)))
        conn.close()
        return samples

    with ThreadPoolExecutor(concurrency) as pool:
        return [ms for chunk in pool.map(worker, range(concurrency)) for ms in chunk]


def trivial_p95(srv: Server) -> float:
    measure_get(srv, "/healthz", requests=40)  # warm-up
    return p95(measure_get(srv, "/healthz"))


def report(name: str, value: float, unit: str, trivial: float | None) -> None:
    ratio = f"{value / trivial:.1f}" if trivial else "n/a"
    print(f"{name}: {value:.1f} {unit} (ratio to trivial view: {ratio})", flush=True)


def login_cookie(srv: Server, username: str, password: str = "demo") -> str:
    """A session cookie header for a demo user, through the real login form."""
    conn = srv.connection()
    status, body, headers = srv.get("/accounts/login/", conn=conn)
    csrf = headers.get("Set-Cookie", "").split("csrftoken=")[1].split(";")[0]
    token = body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    conn.request(
        "POST",
        "/accounts/login/",
        body=f"username={username}&password={password}&csrfmiddlewaretoken={token}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
                 "Referer": srv.url + "/accounts/login/"},
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    cookie = [v for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("sessionid=")]
    conn.close()
    if not cookie:
        raise RuntimeError(f"login as {username} failed ({response.status})")
    return f"csrftoken={csrf}; " + cookie[0].split(";")[0]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
