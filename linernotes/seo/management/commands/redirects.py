from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from linernotes.content.models import CategoryAlias
from linernotes.inprocess import SiteClient
from linernotes.seo.models import Redirect, RedirectStatus
from linernotes.seo.redirects import resolve
from linernotes.seo.services import add_redirect, remove_redirects

SOURCES = ("manual", "automatic", "import")


class Command(BaseCommand):
    help = "List, add, remove, test and check redirect rules (the admin edits the same rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="every rule, exact paths first")
        listing.add_argument(
            "--source",
            choices=SOURCES,
            help="only rules added by hand, made when a post moved, or brought by an import",
        )
        add = actions.add_parser("add", help="add or replace the rule for OLD")
        add.add_argument("old", help="the old path, or a regular expression with --regex")
        add.add_argument("new", nargs="?", default="", help="path or URL; omit with --status 410")
        add.add_argument("--status", type=int, default=301, choices=RedirectStatus.values)
        add.add_argument("--regex", action="store_true", help="OLD is a regular expression")
        add.add_argument("--position", type=int, default=0, help="order among regex rules")
        remove = actions.add_parser("remove", help="delete the rules for these old paths")
        remove.add_argument("old", nargs="+")
        remove.add_argument("--dry-run", action="store_true", help="say what would go")
        test = actions.add_parser("test", help="show what the site answers at PATH, and why")
        test.add_argument("path")
        actions.add_parser("check", help="report stored rules that fail today's checks")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        rules = Redirect.objects.all()
        if options["source"] == "import":
            rules = rules.exclude(imported_from="")
        elif options["source"] == "automatic":
            rules = rules.filter(automatic=True)
        elif options["source"] == "manual":
            rules = rules.filter(automatic=False, imported_from="")
        listed = 0
        for rule in rules:
            listed += 1
            origin = rule.imported_from or ("automatic" if rule.automatic else "manual")
            self.stdout.write(
                f"{rule.status}  {rule.match:5}  {rule.old_path} → {rule.new_path or '-'}"
                f"  ({origin}, {rule.hits} hits)"
            )
        if not listed:
            which = f" {options['source']}" if options["source"] else ""
            self.stdout.write(f"No{which} redirect rules.")

    def _add(self, options: dict[str, Any]) -> None:
        try:
            rule = add_redirect(
                old_path=options["old"],
                new_path=options["new"],
                status=options["status"],
                is_regex=options["regex"],
                position=options["position"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Saved {rule}."))

    def _remove(self, options: dict[str, Any]) -> None:
        rules = remove_redirects(old_paths=options["old"], dry_run=options["dry_run"])
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(f"{verb} {len(rules)} rule(s).")
        for rule in rules:
            self.stdout.write(f"  {rule}")

    def _check(self, options: dict[str, Any]) -> None:
        refused = 0
        for rule in Redirect.objects.all():
            try:
                rule.clean()
            except ValidationError as error:
                refused += 1
                self.stdout.write(f"{rule.old_path}: {'; '.join(error.messages)}")
        if refused:
            raise CommandError(f"{refused} rule(s) are not applied until fixed or removed.")
        self.stdout.write("Every rule passes the checks.")

    def _test(self, options: dict[str, Any]) -> None:
        """What the site answers at PATH, and why: asked of the site itself, so renamed
        categories, moved posts and the site's own redirects show as a reader meets them."""
        path = options["path"]
        # Rolled back: asking is not a visit, so no rule's hit count moves.
        with transaction.atomic():
            answer = SiteClient(settings.LINERNOTES_SITE_URL).get(path)
            transaction.set_rollback(True)
        shown = f"{answer.status} → {answer.location}" if answer.location else str(answer.status)
        if answer.status == RedirectStatus.GONE:
            shown = "410 Gone"
        self.stdout.write(f"{shown}  ({self._why(path, answer.status, answer.location)})")

    def _why(self, path: str, status: int, location: str) -> str:
        if status == 200:
            return "a page answers here, so no rule is asked"
        resolution = resolve(path)
        if resolution is not None and resolution.status == status:
            rule = Redirect.objects.get(pk=resolution.rule_pk)
            if rule.automatic:
                return f"automatic rule for {rule.old_path}, made when a post moved"
            return f"rule {rule.old_path}, {rule.imported_from or 'manual'}"
        if status == 404:
            return "no page and no rule answers here"
        renamed = renamed_category(path, location)
        if renamed is not None:
            return f"the category {renamed.category.name!r} was renamed from {renamed.slug!r}"
        if location:
            return "the site's own redirect"
        return "the site's answer"


def renamed_category(path: str, location: str) -> CategoryAlias | None:
    """The renamed category a redirect from ``path`` to ``location`` is for, if any: an old
    slug in the path, and the category's slug of today in the location."""
    segments = [segment for segment in path.split("?")[0].split("/") if segment]
    for alias in CategoryAlias.objects.select_related("category").filter(slug__in=segments):
        if f"/{alias.category.slug}/" in location:
            return alias
    return None
