"""Old addresses of imported posts, pages and categories, kept as 301s to their new ones, and
the redirect rules a source brings of its own (checked as the admin checks them)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError

from linernotes.importers.records import ImportedRedirect
from linernotes.importers.report import ImportReport, Outcome
from linernotes.seo.models import Match, Redirect, RedirectStatus
from linernotes.seo.patterns import QUERY_FORM_PATHS, check_redirect_rule, is_redirect_target
from linernotes.seo.redirects import rules_changed

MAX_PATH = 500
_STORED = ("new_path", "status", "match", "position", "automatic")


def old_path(value: str) -> str | None:
    """The path (and, for WordPress's ``/?p=123`` form, the query) of an old address."""
    parts = urlsplit(value.strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/") or path.startswith("//") or "\x00" in path:
        return None
    if parts.query and path == "/":
        form = f"/?{parts.query}"
        return form if QUERY_FORM_PATHS.fullmatch(form) else None
    return path if len(path) <= MAX_PATH else None


@dataclass(frozen=True)
class _Rule:
    new_path: str
    status: int
    match: str = Match.EXACT
    position: int = 0
    automatic: bool = False
    where: str = ""

    def differs_from(self, rule: Redirect) -> bool:
        return any(getattr(self, name) != getattr(rule, name) for name in _STORED)


class RedirectWriter:
    """Collects the redirects an import makes, then writes them in one go."""

    def __init__(self, origin: str, report: ImportReport) -> None:
        self.origin, self.report = origin, report
        self.wanted: dict[str, _Rule] = {}

    def add(self, old: str, new: str, *, where: str) -> None:
        """A 301 from an old address of something imported to its new one."""
        path = old_path(old)
        if path is None:
            self.report.notice(where, f"no redirect from {old[:100]!r}: not a path on the old site")
            return
        if not is_redirect_target(new):
            self.report.notice(where, f"no redirect to {new[:100]!r}: not a usable address")
            return
        if path.rstrip("/") == new.rstrip("/"):
            return  # the same address on both sites
        self.wanted[path] = _Rule(new, RedirectStatus.MOVED_PERMANENTLY, where=where)

    def add_rule(self, rule: ImportedRedirect, *, where: str) -> None:
        """A rule of the source's own, which may be a regular expression or a 410."""
        is_regex = rule.match == Match.REGEX
        status = rule.status if rule.status in RedirectStatus.values else 301
        is_gone = status == RedirectStatus.GONE
        try:
            check_redirect_rule(
                old_path=rule.old_path, new_path=rule.new_path, is_regex=is_regex, is_gone=is_gone
            )
        except ValidationError as refused:
            self.report.notice(where, f"left out the rule {rule.old_path}: {refused.messages[0]}")
            self.report.count("redirects", Outcome.SKIPPED)
            return
        self.wanted[rule.old_path] = _Rule(
            "" if is_gone else rule.new_path,
            status,
            Match.REGEX if is_regex else Match.EXACT,
            rule.position,
            rule.automatic,
            where,
        )

    def save(self) -> None:
        existing = {
            rule.old_path: rule for rule in Redirect.objects.filter(old_path__in=self.wanted)
        }
        new_rules, changed = [], []
        for path, wanted in self.wanted.items():
            rule = existing.get(path)
            if rule is None:
                rule = Redirect(old_path=path, imported_from=self.origin)
                for name in _STORED:
                    setattr(rule, name, getattr(wanted, name))
                new_rules.append(rule)
            elif rule.imported_from != self.origin:
                self.report.notice(
                    wanted.where,
                    f"kept the existing redirect from {path} (to {rule.new_path or '410'})",
                )
                self.report.count("redirects", Outcome.SKIPPED)
            elif wanted.differs_from(rule):
                for name in _STORED:
                    setattr(rule, name, getattr(wanted, name))
                changed.append(rule)
            else:
                self.report.count("redirects", Outcome.UNCHANGED)
        Redirect.objects.bulk_create(new_rules, batch_size=500)
        Redirect.objects.bulk_update(changed, list(_STORED), batch_size=500)
        self.report.count("redirects", Outcome.CREATED, len(new_rules))
        self.report.count("redirects", Outcome.UPDATED, len(changed))
        if any(rule.match == Match.REGEX for rule in [*new_rules, *changed]):
            rules_changed()
