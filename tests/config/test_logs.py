"""Log lines: one per request and one per background task, with timing, as text or JSON."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus

from linernotes.config.logs import make_formatter
from linernotes.content import services as content
from linernotes.content.models import Status
from tests.factories import PostFactory
from tests.processes import REPOSITORY, clean_environment


@pytest.mark.django_db
def test_each_request_gets_one_line_with_its_timing(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    PostFactory.create()
    caplog.set_level(logging.INFO, logger="linernotes.requests")
    client.get("/?s=private+words")
    client.get("/no-such-page/")
    lines = [record for record in caplog.records if record.name == "linernotes.requests"]
    assert [(line.method, line.path, line.status) for line in lines] == [  # type: ignore[attr-defined]
        ("GET", "/", 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert all(line.duration_ms >= 0 for line in lines)  # type: ignore[attr-defined]
    assert lines[0].bytes > 0  # type: ignore[attr-defined]
    # The query string can carry tokens; it stays out of the log.
    assert "private" not in caplog.text


def test_json_lines_carry_the_event_s_fields() -> None:
    record = logging.LogRecord("linernotes.requests", logging.INFO, "", 0, "GET / 200", (), None)
    record.status = 200
    record.duration_ms = 3.5
    line = json.loads(make_formatter("json").format(record))
    assert line["level"] == "INFO"
    assert line["logger"] == "linernotes.requests"
    assert line["message"] == "GET / 200"
    assert (line["status"], line["duration_ms"]) == (200, 3.5)
    assert "time" in line


def test_the_setting_turns_every_line_into_json() -> None:
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('linernotes.requests').info('GET / 200', extra={'status': 200}); "
        "logging.getLogger('linernotes.anything').warning('careful')"
    )
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_LOG_FORMAT="json",
        LINERNOTES_ENV_FILE="none",
        PYTHONPATH=str(REPOSITORY),
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("linernotes.requests", "GET / 200"),
        ("linernotes.anything", "careful"),
    ]
    assert lines[0]["status"] == 200


def test_an_unknown_log_format_is_refused_by_name() -> None:
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_LOG_FORMAT="xml",
        PYTHONPATH=str(REPOSITORY),
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "LINERNOTES_LOG_FORMAT must be one of text, json, not 'xml'" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_line_per_task_with_its_state_and_time(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.LINERNOTES_LOG_FORMAT = "json"
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    content.publish_post(post=post)
    out = io.StringIO()
    call_command("worker", "--batch", stdout=out)
    events = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    tasks = [event for event in events if event.get("event") == "task"]
    assert len(tasks) == 1
    assert tasks[0]["state"] == TaskResultStatus.SUCCESSFUL
    assert tasks[0]["task"] == "linernotes.newsletter.tasks.deliver_post"
    assert tasks[0]["duration_ms"] >= 0
