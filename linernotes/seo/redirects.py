"""Finding the redirect rule for a path that would otherwise be a 404.

Exact rules are looked up by their unique, indexed path. Regular-expression rules are compiled
once per process and kept until a rule changes: saving or deleting a rule bumps a version in
the shared cache, so every process sharing that cache (with Redis, every host) reloads on its
next 404. With the default per-process cache, other processes notice within RELOAD_SECONDS.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F

from linernotes.seo.models import Match, Redirect
from linernotes.seo.patterns import MAX_REGEX_PATH_LENGTH, substitution_template

VERSION_KEY = "linernotes:seo:redirect-rules-version"
RELOAD_SECONDS = 60


@dataclass(frozen=True)
class RegexRule:
    pk: int
    pattern: re.Pattern[str]
    template: str
    status: int


@dataclass(frozen=True)
class Resolution:
    """What to answer instead of a 404: a redirect to ``location``, or 410 when it is empty."""

    rule_pk: int
    status: int
    location: str


class _CompiledRules:
    """This process's compiled regular-expression rules and the version they were loaded at."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.loaded_at = 0.0
        self.rules: list[RegexRule] = []

    def current(self) -> list[RegexRule]:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            # add() keeps another process's version if it got there first.
            cache.add(VERSION_KEY, version, timeout=None)
            version = cache.get(VERSION_KEY, version)
        now = time.monotonic()
        if version != self.version or now - self.loaded_at > RELOAD_SECONDS:
            self.rules = _load_regex_rules()
            self.version, self.loaded_at = version, now
        return self.rules


_compiled = _CompiledRules()


def rules_changed() -> None:
    """Make every process reload the regular-expression rules before its next lookup."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def resolve(path: str) -> Resolution | None:
    """The rule answering ``path``: an exact match first, then regexes in their order."""
    exact = (
        Redirect.objects.filter(match=Match.EXACT, old_path=path)
        .values_list("pk", "status", "new_path")
        .first()
    )
    if exact is not None:
        return Resolution(*exact)
    if len(path) > MAX_REGEX_PATH_LENGTH:
        return None
    for rule in _compiled.current():
        found = rule.pattern.fullmatch(path)
        if found:
            location = found.expand(rule.template) if rule.template else ""
            return Resolution(rule.pk, rule.status, location)
    return None


def count_hit(resolution: Resolution) -> None:
    Redirect.objects.filter(pk=resolution.rule_pk).update(hits=F("hits") + 1)


def _load_regex_rules() -> list[RegexRule]:
    rules = Redirect.objects.filter(match=Match.REGEX).order_by("position", "pk")
    return [
        RegexRule(
            rule.pk, re.compile(rule.old_path), substitution_template(rule.new_path), rule.status
        )
        for rule in rules
    ]
