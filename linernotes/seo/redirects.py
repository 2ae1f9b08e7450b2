"""Finding the redirect rule for a path that would otherwise be a 404.

Exact rules are looked up by their unique, indexed path. Regular-expression rules are compiled
once per process and kept until a rule changes: saving or deleting a rule bumps a version in
the shared cache, so every process sharing that cache (with Redis, every host) reloads on its
next 404. With the default per-process cache, other processes notice within RELOAD_SECONDS.
A 404 that no rule answers writes nothing.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from urllib.parse import unquote

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F

from linernotes.seo.models import Match, Redirect, RedirectStatus
from linernotes.seo.patterns import (
    MAX_REGEX_PATH_LENGTH,
    RulePattern,
    Target,
    compile_rule_pattern,
    is_redirect_target,
    parse_target,
)

VERSION_KEY = "linernotes:seo:redirect-rules-version"
RELOAD_SECONDS = 60

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegexRule:
    pk: int
    pattern: RulePattern
    target: Target | None  # None for 410 Gone
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
    """The rule answering ``path``: an exact match first, then regexes in their order.

    None when no rule matches, and also when the rule that matches would lead off the site it
    names or back to ``path`` itself: then the 404 stands.
    """
    if "\x00" in path:
        # No rule can hold a NUL (PostgreSQL's text cannot), and asking PostgreSQL is an error.
        return None
    exact = (
        Redirect.objects.filter(match=Match.EXACT, old_path=path)
        .values_list("pk", "status", "new_path")
        .first()
    )
    if exact is None:
        resolution = _match_regex_rules(path)
    elif exact[2] and not is_redirect_target(exact[2]):
        # Checked on save too; this covers a rule stored before that check refused its target.
        return None
    else:
        resolution = Resolution(*exact)
    # A regular expression may send an address back to itself; a loop helps nobody. Groups
    # are percent-encoded in the location, and decoded in the request's path.
    if resolution is not None and unquote(resolution.location) == path:
        return None
    return resolution


def count_hit(resolution: Resolution) -> None:
    Redirect.objects.filter(pk=resolution.rule_pk).update(hits=F("hits") + 1)


def _match_regex_rules(path: str) -> Resolution | None:
    if len(path) > MAX_REGEX_PATH_LENGTH:
        return None
    for rule in _compiled.current():
        found = rule.pattern.fullmatch(path)
        if found is None:
            continue
        if rule.target is None:
            return Resolution(rule.pk, rule.status, "")
        # The first rule that matches owns the address: if its groups would take the location
        # off site, no later rule answers instead.
        location = rule.target.expand(found)
        return None if location is None else Resolution(rule.pk, rule.status, location)
    return None


def _load_regex_rules() -> list[RegexRule]:
    rules = []
    for rule in Redirect.objects.filter(match=Match.REGEX).order_by("position", "pk"):
        try:
            # Rules are checked on save; one stored before a check changed is reported here
            # (and by `linernotes redirects check`) and left out, never applied unchecked.
            rule.clean()
        except ValidationError as error:
            logger.error(
                "Redirect rule %s (%s) is not applied: %s",
                rule.pk,
                rule.old_path,
                " ".join(error.messages),
            )
            continue
        pattern = compile_rule_pattern(rule.old_path)
        target = (
            None if rule.status == RedirectStatus.GONE else parse_target(rule.new_path, pattern)
        )
        rules.append(RegexRule(rule.pk, pattern, target, rule.status))
    return rules
