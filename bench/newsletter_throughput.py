"""Newsletter delivery throughput: one post to 100,000 subscribers, into a local SMTP sink.

    .venv/bin/python bench/newsletter_throughput.py [--subscribers 100000] [--workers 1 2]
        [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

For each database (SQLite in a file under a temporary directory; PostgreSQL at
``--postgres-url``, in a schema of its own that is dropped afterwards) and each number of
workers, a fresh process (``newsletter_site.py send``) creates the subscribers and a post of
about 900 words with code, queues the post (``queue_post_delivery``, timed), then starts that
many ``linernotes worker --batch`` processes and times them until every delivery is sent. The
SMTP server is ``newsletter_sink.py``, aiosmtpd in a process of its own, which counts what it
accepts; the count must equal the number of subscribers.

The peer is a bare smtplib loop in one process sending the same number of copies of one real
newsletter message (recipient swapped per copy) to a fresh sink, reconnecting every batch as
the workers do: what SMTP alone costs on this machine. The table reports messages per second
and our rate divided by the loop's. A last run (``newsletter_site.py phases``, SQLite) splits
the time one worker spends per message into its steps.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BATCH_SIZE = 100
SCHEMA = "linernotes_bench_newsletter"
FROM = "newsletter@bench.example.com"
PHASE_MESSAGES = 5000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """The SMTP sink process; ``stop()`` returns what it counted."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.count_file = directory / f"sink-{self.port}.json"
        command = [sys.executable, str(BENCH / "newsletter_sink.py"), "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--count-file", str(self.count_file)], stdout=subprocess.PIPE
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == b"ready"

    def stop(self) -> dict[str, int]:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        counts: dict[str, int] = json.loads(self.count_file.read_text())
        return counts


def site(directory: Path, database_url: str, sink: Sink, *arguments: str) -> dict[str, Any]:
    """Run newsletter_site.py against this database and sink; returns what it printed."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "LINERNOTES_VAR_DIR": str(directory),
        "DATABASE_URL": database_url,
        "LINERNOTES_SITE_URL": "https://bench.example.com",
        "DEFAULT_FROM_EMAIL": f'"Bench Engineering" <{FROM}>',
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "LINERNOTES_NEWSLETTER_RATE": "0",
        "LINERNOTES_NEWSLETTER_BATCH_SIZE": str(BATCH_SIZE),
        "LINERNOTES_LOG_LEVEL": "ERROR",
    }
    child = subprocess.run(
        [sys.executable, str(BENCH / "newsletter_site.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"newsletter_site.py {' '.join(arguments)} failed:\n{child.stderr}")
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def run(database: str, url: str, subscribers: int, workers: int, directory: Path) -> dict[str, Any]:
    sink = Sink(directory)
    try:
        sample = str(directory / "sample.eml")
        result = site(directory, url, sink, "send", str(subscribers), str(workers), sample)
    finally:
        counts = sink.stop()
    assert counts["messages"] == counts["recipients"] == subscribers, counts
    result.update(database=database, workers=workers, message_bytes=counts["bytes"] // subscribers)
    return result


def bare_smtplib(subscribers: int, sample: bytes, port: int) -> float:
    """The peer: the same number of messages sent by a plain loop, reconnecting every batch."""
    first = b"reader000000@example.com"
    assert first in sample
    started = time.perf_counter()
    for batch_start in range(0, subscribers, BATCH_SIZE):
        with smtplib.SMTP("127.0.0.1", port) as server:
            for n in range(batch_start, min(batch_start + BATCH_SIZE, subscribers)):
                address = f"reader{n:06d}@example.com"
                server.sendmail(FROM, [address], sample.replace(first, address.encode()))
    return time.perf_counter() - started


def postgres_schema_url(url: str, *, create: bool) -> str:
    """A URL whose connections use a schema of their own; created empty, or dropped."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        if create:
            connection.execute(f"CREATE SCHEMA {SCHEMA}")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=f"options=-c%20search_path%3D{SCHEMA}"))


def databases(directory: Path, postgres_url: str, label: str) -> list[tuple[str, str, Path]]:
    runs = []
    for database in ("SQLite", "PostgreSQL") if postgres_url else ("SQLite",):
        run_dir = directory / f"{database}-{label}"
        run_dir.mkdir()
        url = f"sqlite:///{run_dir / 'bench.sqlite3'}" if database == "SQLite" else postgres_url
        runs.append((database, url, run_dir))
    return runs


def measure(options: argparse.Namespace, directory: Path) -> list[dict[str, Any]]:
    results = []
    for workers in options.workers:
        for database, url, run_dir in databases(directory, options.postgres_url, str(workers)):
            if database == "PostgreSQL":
                url = postgres_schema_url(url, create=True)
            try:
                results.append(run(database, url, options.subscribers, workers, run_dir))
            finally:
                if database == "PostgreSQL":
                    postgres_schema_url(options.postgres_url, create=False)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--postgres-url", default=os.environ.get("LINERNOTES_BENCH_POSTGRES_URL", "")
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsletter-bench-") as temporary:
        directory = Path(temporary)
        results = measure(options, directory)
        sample = next(directory.glob("SQLite-*/sample.eml")).read_bytes()
        sink = Sink(directory)
        baseline = bare_smtplib(options.subscribers, sample, sink.port)
        assert sink.stop()["messages"] == options.subscribers
        phase_dir = directory / "phases"
        phase_dir.mkdir()
        sink = Sink(phase_dir)
        url = f"sqlite:///{phase_dir / 'bench.sqlite3'}"
        steps = site(phase_dir, url, sink, "phases", str(PHASE_MESSAGES))
        sink.stop()
    print_report(results, baseline, options.subscribers, steps)


def print_report(
    results: list[dict[str, Any]], baseline: float, subscribers: int, steps: dict[str, float]
) -> None:
    peer = subscribers / baseline
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{subscribers:,} subscribers; {results[0]['message_bytes']:,} bytes per message\n")
    print(
        "| database | workers | queue (s) | send (s) | messages/s | smtplib loop (msg/s) | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        rate = subscribers / result["send_seconds"]
        print(
            f"| {result['database']} | {result['workers']} | {result['queue_seconds']:.1f} "
            f"| {result['send_seconds']:.0f} | {rate:,.0f} | {peer:,.0f} | {rate / peer:.2f} |"
        )
    print(f"\nOne worker, SQLite, {PHASE_MESSAGES:,} messages, milliseconds per message:\n")
    print("| total | build | serialise | SMTP | record outcome | other |")
    print("| --- | --- | --- | --- | --- | --- |")
    named = ("build", "serialise", "smtp", "record")
    other = steps["total"] - sum(steps[name] for name in named)
    cells = " | ".join(f"{steps[name]:.2f}" for name in ("total", *named))
    print(f"| {cells} | {other:.2f} |")


if __name__ == "__main__":
    main()
