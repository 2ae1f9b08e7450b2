"""What the load benchmarks share: a site in a temporary directory, gunicorn, wrk, and the machine.

Used by serve.py and soak.py; the Django side of the work runs in serve_site.py, in processes
of its own, so this module never imports Django and the numbers are those of the server alone.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib
import os
import platform
import re
import resource
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
WRK = "/usr/bin/wrk"
ACCEPT_ENCODING = "gzip, br"  # what browsers send; the site may compress for it
HELLO_PATH = "/bench-hello/"
# A developer's own configuration must not leak into the measurement.
FOREIGN_PREFIXES = ("LINERNOTES_", "DATABASE_URL", "REDIS_URL", "EMAIL_", "GUNICORN_CMD_ARGS")


def site_env(var_dir: Path, port: int, database_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of every site process: bench settings, a temporary var dir, DEBUG off."""
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(FOREIGN_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.serve_settings",
        PYTHONPATH=str(REPO),
        LINERNOTES_VAR_DIR=str(var_dir),
        LINERNOTES_SITE_URL=f"http://127.0.0.1:{port}",
        LINERNOTES_DEBUG="false",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if _gunicorn_has_control_socket():
        # Gunicorn 27 opens a control socket at one fixed path per user: two servers on one
        # machine (ours and anyone else's) would fight over it.
        env["GUNICORN_CMD_ARGS"] = "--no-control-socket"
    return env


def _gunicorn_has_control_socket() -> bool:
    config = importlib.import_module("gunicorn.config")
    return any(setting.name == "control_socket_disable" for setting in config.KNOWN_SETTINGS)


def run(command: list[str], env: dict[str, str]) -> str:
    """Run a command to completion and return its output; its errors end the benchmark."""
    finished = subprocess.run(
        command, env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    if finished.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{finished.stderr[-4000:]}")
    return finished.stdout


def linernotes(*args: str) -> list[str]:
    return [sys.executable, "-m", "linernotes.cli", *args]


def site_task(*args: str) -> list[str]:
    return [sys.executable, str(BENCH / "serve_site.py"), *args]


def prepare_site(env: dict[str, str], posts: int) -> int:
    """The demo (migrate, collectstatic, 58 posts), grown to ``posts``, indexed; returns the count.

    The demo command runs ``migrate`` and ``collectstatic`` itself: whitenoise's manifest
    storage needs the collected files once DEBUG is off.
    """
    run(linernotes("demo", "--no-serve"), env)
    count = int(run(site_task("grow", str(posts)), env))
    run(linernotes("search", "rebuild"), env)
    return count


@contextlib.contextmanager
def database(server_url: str, label: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the server at ``server_url``, dropped afterwards.

    With no server, yields "" and the site uses SQLite in its var dir.
    """
    if not server_url:
        yield ""
        return
    name = f"linernotes_bench_{label}_{secrets.token_hex(3)}"
    psql = ["psql", server_url, "-v", "ON_ERROR_STOP=1", "-qAtc"]
    run([*psql, f"CREATE DATABASE {name}"], dict(os.environ))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], dict(os.environ))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 2) -> Iterator[int]:
    """``linernotes serve`` with ``workers`` sync workers; yields the master's pid.

    The server gets a session of its own, so Ctrl-C reaches only this script, which then
    stops the master (and with it the workers) here, as it does after an error.
    """
    command = linernotes("serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers))
    with log.open("ab") as errors:
        server = subprocess.Popen(
            command,
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}{HELLO_PATH}", server, log)
        yield server.pid
    finally:
        _stop(server)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError):
            if fetch(url).status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within 60 s:\n{log.read_text()[-4000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master: it stops its workers; the whole group is killed if it hangs."""
    if server.poll() is None:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=40)  # gunicorn's graceful timeout is 30 s
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # workers left behind by a master that died
    server.wait()


def worker_pids(master: int) -> list[int]:
    """Gunicorn's workers: the master's children, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The command name may contain spaces and brackets: fields follow the last ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
    return sorted(children)


def rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def log_problems(log: Path) -> list[str]:
    """Lines of the server's log that mean a request failed or a worker was lost."""
    markers = ("Traceback", "Internal Server Error", "ERROR", "CRITICAL", "WORKER TIMEOUT")
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if any(marker in line for marker in markers)]


def _busy_ticks() -> int:
    """CPU ticks spent busy on every CPU since boot (/proc/stat), idle and iowait left out."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return sum(values) - values[3] - values[4]


def _process_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime
    return total


def _children_ticks() -> int:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk runs, once waited for
    return round((usage.ru_utime + usage.ru_stime) * os.sysconf("SC_CLK_TCK"))


class OtherCpu:
    """The share of the machine's CPUs that processes other than the server and wrk used.

    On a shared machine this says whether a measurement can be trusted: the server's figures
    fall as others' use rises. Kernel work for the loopback network counts as others', so a
    few percent is normal.
    """

    def __init__(self, server: list[int]) -> None:
        self.server = server
        self.started = (time.monotonic(), _busy_ticks(), _process_ticks(server), _children_ticks())

    def share(self) -> float:
        began, busy, server, children = self.started
        ours = _process_ticks(self.server) - server + _children_ticks() - children
        capacity = (time.monotonic() - began) * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
        return max(0.0, (_busy_ticks() - busy - ours) / capacity) if capacity else 0.0


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    headers: dict[str, str]
    wire_bytes: int  # the body as sent, compressed or not
    encoding: str  # Content-Encoding, "identity" when none


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, timeout: float = 30) -> Response:
    """GET ``url`` as the load does (compression accepted), without following redirects."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT_ENCODING})
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status, raw, headers = answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), dict(error.headers)
    lower = {name.lower(): value for name, value in headers.items()}
    encoding = lower.get("content-encoding", "identity")
    sent = len(raw)
    if encoding == "gzip":
        raw = gzip.decompress(raw)
    elif encoding == "br":
        raw = importlib.import_module("brotli").decompress(raw)
    return Response(status, raw.decode("utf-8", errors="replace"), headers, sent, encoding)


@dataclass(frozen=True)
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())

    def describe_errors(self) -> str:
        parts = [f"non-2xx/3xx {self.non_2xx_3xx}"] if self.non_2xx_3xx else []
        parts += [f"{kind} {count}" for kind, count in self.socket_errors.items() if count]
        return f"{self.errors} ({', '.join(parts)})" if parts else "0"


def wrk_command(
    url: str, seconds: float, connections: int, threads: int, script: Sequence[str] = ()
) -> list[str]:
    """wrk's command line; ``script`` is a Lua script's path followed by its arguments."""
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    # A generous timeout, so slow pages are measured rather than dropped as timeouts.
    command += ["--latency", "--timeout", "10s", "-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if not script:
        return [*command, url]
    return [*command, "-s", script[0], url, "--", *script[1:]]


def run_wrk(
    url: str, seconds: float, connections: int, threads: int, script: Sequence[str] = ()
) -> WrkResult:
    command = wrk_command(url, seconds, connections, threads, script)
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(finished.stdout)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(text: str) -> WrkResult:
    """The figures of wrk's text report (``--latency`` adds the percentiles)."""

    def number(pattern: str) -> re.Match[str]:
        found = re.search(pattern, text, re.MULTILINE)
        if found is None:
            raise ValueError(f"no {pattern!r} in wrk's output:\n{text}")
        return found

    def latency(percent: int) -> float:
        found = number(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$")
        return float(found[1]) * _UNITS_MS[found[2]]

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkResult(
        requests=int(number(r"^\s+(\d+) requests in")[1]),
        rps=float(number(r"^Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=latency(50),
        p99_ms=latency(99),
        non_2xx_3xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        if errors
        else {},
    )


def machine(database_url: str = "") -> str:
    """The machine and software the figures come from."""
    cpus = len(os.sched_getaffinity(0))
    models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    wrk = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False).stdout
    gunicorn_version = run([sys.executable, "-m", "gunicorn", "--version"], dict(os.environ))
    gunicorn_version = gunicorn_version.replace("(version ", "").replace(")", "")
    database = f"SQLite {sqlite3.sqlite_version}"
    if database_url:
        server = run(["psql", database_url, "-qAtc", "SHOW server_version"], dict(os.environ))
        database = f"PostgreSQL {server.split()[0]}"
    return (
        f"{cpus} CPUs (nproc), {models[0] if models else platform.processor()}; "
        f"Python {platform.python_version()}, {database}; "
        f"{wrk.split(' Copyright')[0].strip()}, {gunicorn_version.strip()}; "
        f"load average {os.getloadavg()[0]:.2f} at the start; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """The options serve.py and soak.py share: wrk's load, and the database to use."""
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://postgres@127.0.0.1:5432/postgres): a fresh "
        "database is created there for the run and dropped afterwards (default: SQLite)",
    )
