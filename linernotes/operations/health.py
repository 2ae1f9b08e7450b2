"""``/healthz``: whether this process can serve the site, for load balancers and monitors.

Three checks: the database answers a query, the cache keeps and returns a value, and no
migration of this code is unapplied (code newer than its tables would fail on some pages).
Load balancers ask every second or so, so the checks are cheap: one query, one cache write
and read, and the migration plan (which reads every migration) at most once per
MIGRATIONS_CHECK_SECONDS in each process.

The answer names the checks and nothing else: no exception text, which could carry a host
name or a user. Failures are logged once when a check starts failing and once when it
recovers, not on every poll.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from linernotes.operations.instance import pending_migrations

# Also named in settings.SECURE_REDIRECT_EXEMPT, so it answers over plain HTTP.
HEALTH_CHECK_PATH = "/healthz"
MIGRATIONS_CHECK_SECONDS = 10.0
CACHE_KEY = "linernotes:healthz"
OK, FAILING, SKIPPED = "ok", "failing", "skipped"

logger = logging.getLogger(__name__)


@dataclass
class _MigrationsSeen:
    all_applied: bool | None = None
    checked_at: float = 0.0


_migrations_seen = _MigrationsSeen()
_failing_before: set[str] = set()


def forget_health_state() -> None:
    """Make the next health check read the migration plan again, with no check failing."""
    _migrations_seen.all_applied = None
    _failing_before.clear()


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers() -> bool:
    token = secrets.token_hex(8)
    cache.set(CACHE_KEY, token, timeout=60)
    return bool(cache.get(CACHE_KEY) == token)


def migrations_applied() -> bool:
    now = time.monotonic()
    seen = _migrations_seen
    if seen.all_applied is None or now - seen.checked_at >= MIGRATIONS_CHECK_SECONDS:
        seen.all_applied, seen.checked_at = pending_migrations() == 0, now
    return seen.all_applied


def _outcome(check: Callable[[], bool]) -> tuple[str, str]:
    """The check's outcome, and why it failed (the kind of error, never its text)."""
    try:
        return (OK, "") if check() else (FAILING, "unexpected answer")
    except Exception as error:
        # Whatever goes wrong is this check failing: the answer must still be given.
        return FAILING, type(error).__name__


def run_checks() -> dict[str, str]:
    results = {"database": _outcome(database_answers), "cache": _outcome(cache_answers)}
    # Without the database the plan cannot be read; trying would only wait twice as long.
    results["migrations"] = (
        _outcome(migrations_applied) if results["database"][0] == OK else (SKIPPED, "")
    )
    _log_changes({name: why for name, (outcome, why) in results.items() if outcome == FAILING})
    return {name: outcome for name, (outcome, _) in results.items()}


def _log_changes(failing: dict[str, str]) -> None:
    for name in sorted(failing.keys() - _failing_before):
        logger.warning("Health check %r is failing (%s)", name, failing[name])
    for name in sorted(_failing_before - failing.keys()):
        logger.warning("Health check %r passes again", name)
    _failing_before.clear()
    _failing_before.update(failing)


class QuietPolls(logging.Filter):
    """Keeps the health check's requests out of the request log (config/request_log.py): a
    load balancer asks every second or so, and a change of state is logged above instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "path", None) != HEALTH_CHECK_PATH


@csrf_exempt  # GET and HEAD only, and they change nothing: other methods get 405, not 403
@require_safe
def health_check(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    failing = [name for name, outcome in checks.items() if outcome == FAILING]
    body: dict[str, object] = {"status": "failing" if failing else OK, "checks": checks}
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    response["Cache-Control"] = "no-store"
    # The change of state is logged above, once; Django would log every 503 as an error,
    # once a second for as long as the load balancer polls.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
