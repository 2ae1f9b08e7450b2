"""/healthz: what a load balancer polls, and what the site's middleware must leave alone."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from linernotes.operations import health
from tests.processes import clean_environment, free_port, run_python

pytestmark = pytest.mark.django_db

CheckQueries = Callable[..., Any]


@pytest.fixture(autouse=True)
def fresh_health_state() -> Iterator[None]:
    """Each test reads the migration plan afresh and starts with no check failing."""
    health.forget_health_state()
    yield
    health.forget_health_state()


def closed_redis() -> dict[str, str]:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }


def production_environment(var_dir: Path, **variables: str) -> dict[str, str]:
    """The production settings as an operator starts them, with only ``variables`` set."""
    return clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_VAR_DIR=str(var_dir),
        **variables,
    )


def test_all_checks_pass(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


def test_head_answers_too(client: Client) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_a_poll_within_seconds_of_the_last_costs_one_query(
    client: Client, django_assert_num_queries: CheckQueries
) -> None:
    client.get("/healthz")
    # The migration plan is remembered; the database is still asked every time.
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_unapplied_migrations_fail_the_check(client: Client) -> None:
    recorder = MigrationRecorder(connection)
    app, name = max(key for key in recorder.applied_migrations() if key[0] == "site")
    # As if the code were deployed before `linernotes migrate` ran (the test's transaction
    # puts the row back afterwards).
    recorder.record_unapplied(app, name)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["failing"] == ["migrations"]
    assert body["checks"] == {"database": "ok", "cache": "ok", "migrations": "failing"}
    assert response["Cache-Control"] == "no-store"


def test_an_unreachable_cache_fails_the_check_without_telling_why(
    client: Client, settings: LazySettings
) -> None:
    settings.CACHES = {**settings.CACHES, "default": closed_redis()}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"] == "ok"
    # The reason (a refused connection to the cache's address) stays out of the answer.
    text = response.content.decode()
    assert "127.0.0.1" not in text
    assert "Error" not in text
    assert "redis" not in text.lower()


def test_a_broken_page_cache_does_not_reach_the_health_check(
    client: Client, settings: LazySettings
) -> None:
    settings.CACHES = {**settings.CACHES, "pages": closed_redis()}
    assert client.get("/healthz").status_code == 200
    # The same cache breaks an ordinary page, so the check above could have failed.
    with pytest.raises(RedisConnectionError):
        client.get("/robots.txt")


def test_the_answer_is_never_stored_by_the_page_cache(client: Client) -> None:
    first = client.get("/healthz")
    assert "Cache-Status" not in first
    second = client.get("/healthz")
    assert "Cache-Status" not in second


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head_are_answered(method: str) -> None:
    # With CSRF checks on, as a browser or a load balancer would meet them.
    response = getattr(Client(enforce_csrf_checks=True), method)("/healthz")
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def test_plain_http_is_answered_when_the_site_redirects_to_https(
    client: Client, settings: LazySettings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/robots.txt").status_code == 301
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.has_header("Location")


def test_polls_leave_the_request_log_and_a_failure_is_logged_once(
    client: Client, settings: LazySettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="linernotes.requests")
    client.get("/robots.txt")
    client.get("/healthz")
    settings.CACHES = {**settings.CACHES, "default": closed_redis()}
    for _ in range(3):
        assert client.get("/healthz").status_code == 503
    logged = [record.getMessage() for record in caplog.records]
    # Other requests are logged, one line each; the polls are not.
    assert (
        [line for line in logged if line.startswith("GET ")]
        == [line for line in logged if line.startswith("GET /robots.txt")]
        != []
    )
    assert [line for line in logged if "Health check" in line] == [
        "Health check 'cache' is failing (ConnectionError)"
    ]
    # Nor is each 503 logged by Django as a server error.
    assert [record for record in caplog.records if record.name == "django.request"] == []


def test_an_instance_that_was_never_migrated_answers_503_over_plain_http(
    tmp_path: Path,
) -> None:
    """The production settings, as an operator starts them, with HTTPS redirects on."""
    env = production_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
        LINERNOTES_SSL_REDIRECT="true",
    )
    script = """
import django, json; django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
health, robots = client.get("/healthz"), client.get("/robots.txt")
print(json.dumps([health.status_code, json.loads(health.content), robots.status_code]))
"""
    result = run_python(script, env=env, check=False)
    assert result.returncode == 0, result.stderr
    health_status, body, robots_status = json.loads(result.stdout)
    assert robots_status == 301
    assert health_status == 503
    assert body["failing"] == ["migrations"]


def test_an_unreachable_database_fails_without_its_address_in_the_answer(
    tmp_path: Path,
) -> None:
    closed = free_port()
    env = production_environment(
        tmp_path,
        DATABASE_URL=f"postgres://blog:s3cret-password@127.0.0.1:{closed}/blog",
    )
    script = """
import django, json; django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
answers = [client.get("/healthz") for _ in range(3)]
print(json.dumps([[answer.status_code, answer.content.decode()] for answer in answers]))
"""
    result = run_python(script, env=env, check=False)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert {status for status, _ in answers} == {503}
    body = json.loads(answers[0][1])
    assert body["failing"] == ["database"]
    assert body["checks"]["migrations"] == "skipped"
    for _, text in answers:
        assert str(closed) not in text
        assert "s3cret" not in text
        assert "blog" not in text
    # Said once in the log, with the kind of error only; Django logs no 503 of its own.
    assert result.stderr.count("Health check 'database' is failing (OperationalError)") == 1
    assert "s3cret" not in result.stderr
    assert "Service Unavailable" not in result.stderr


def test_a_redis_that_stops_answering_fails_the_check_instead_of_hanging(
    tmp_path: Path,
) -> None:
    """A server that takes the connection and never replies, as a hung Redis does."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        env = production_environment(
            tmp_path,
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
            LINERNOTES_REDIS_TIMEOUT="1",
        )
        script = """
import django, json; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
answer = Client(HTTP_HOST="127.0.0.1").get("/healthz")
print(json.dumps([answer.status_code, json.loads(answer.content)]))
"""
        # Without a timeout the check waits for the reply for ever: the run would not end.
        result = run_python(script, env=env, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout)
    assert status == 503
    assert body["failing"] == ["cache"]
    assert "Health check 'cache' is failing (TimeoutError)" in result.stderr
