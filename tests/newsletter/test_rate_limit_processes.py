"""The signup rate limits hold across processes: a real gunicorn with two workers.

Each worker has its own memory cache, so only counters in the database can make the two
together let exactly the limit through. The database is a SQLite file of the test's own, or,
when the suite runs on PostgreSQL, the run's PostgreSQL test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.newsletter.processes import answers, sign_up, wait_for
from tests.processes import free_port

ATTEMPTS = 30
PER_IP, PER_ADDRESS = 10, 3


def _linernotes(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def database_url(transactional_db: None, tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        # The run's test database, with its tables; what the server commits is emptied after.
        test_url = urlsplit(os.environ["LINERNOTES_TEST_DATABASE_URL"])
        return test_url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    return f"sqlite:///{tmp_path / 'site.sqlite3'}"


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[tuple[str, Path]]:
    """gunicorn with two workers on 127.0.0.1; yields its address and its access log."""
    port = free_port()
    # The default set-up (no REDIS_URL: each worker has a memory cache of its own), whatever
    # this test run's environment says.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LINERNOTES_", "DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "LINERNOTES_VAR_DIR": str(tmp_path),
        "LINERNOTES_SECRET_KEY": "rate-limit-test-key-shared-by-both-workers",
        "DATABASE_URL": database_url,
        # Plain http here, so cookies (the CSRF one among them) must not be marked secure.
        "LINERNOTES_SITE_URL": f"http://127.0.0.1:{port}",
        "LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP": str(PER_IP),
        "LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS": str(PER_ADDRESS),
        "LINERNOTES_CLIENT_IP_HEADER": "X-Forwarded-For",
    }
    if database_url.startswith("sqlite:"):
        _linernotes(env, "migrate", "--verbosity=0")
    _linernotes(env, "collectstatic", "--noinput", "--verbosity=0")  # pages name hashed files
    access_log, errors = tmp_path / "access.log", tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "linernotes.config.wsgi:application"),
            *("--workers", "2", "--bind", f"127.0.0.1:{port}"),
            *("--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(s)s"),
            *("--error-logfile", str(errors)),
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"

    def both_workers_booted() -> bool:
        return errors.exists() and errors.read_text().count("Booting worker") == 2

    try:
        wait_for(both_workers_booted, 60, "two workers")
        wait_for(lambda: answers(base), 60, "the server")
        yield base, access_log
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def _attempts(base: str, emails: list[str], clients: list[str]) -> Counter[int]:
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = pool.map(
            lambda pair: sign_up(base, pair[0], headers={"X-Forwarded-For": pair[1]}),
            zip(emails, clients, strict=True),
        )
        return Counter(statuses)


def test_two_workers_let_exactly_the_limits_through(server: tuple[str, Path]) -> None:
    base, access_log = server
    # One client, thirty different addresses: the per-client limit.
    emails = [f"reader{number:02d}@example.org" for number in range(ATTEMPTS)]
    one_client = _attempts(base, emails, ["203.0.113.9"] * ATTEMPTS)
    assert one_client == {200: PER_IP, 429: ATTEMPTS - PER_IP}
    # Thirty clients, one address: the per-address limit.
    clients = [f"198.51.100.{number + 1}" for number in range(ATTEMPTS)]
    one_address = _attempts(base, ["victim@example.org"] * ATTEMPTS, clients)
    assert one_address == {200: PER_ADDRESS, 429: ATTEMPTS - PER_ADDRESS}

    # Both workers answered signups, so the counts above were shared between processes.
    posts = [line.split() for line in access_log.read_text().splitlines()]
    assert len({pid for pid, method, _ in posts if method == "POST"}) == 2
