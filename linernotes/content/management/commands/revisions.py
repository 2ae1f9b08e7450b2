from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from linernotes.content.models import Page, Post
from linernotes.content.revisions import Content, revisions_of


class Command(BaseCommand):
    help = "List the revisions of a post or page (the admin shows, compares and restores them)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="the revisions of the post or page at SLUG")
        listing.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        # Posts and pages have addresses of their own, so one slug may name one of each.
        found: list[Content] = [*Post.objects.filter(slug=slug), *Page.objects.filter(slug=slug)]
        if not found:
            raise CommandError(f"No post or page has the slug {slug!r}.")
        for obj in found:
            self._list(obj)

    def _list(self, obj: Content) -> None:
        kind = obj._meta.verbose_name
        revisions = list(revisions_of(obj).select_related("by"))
        if not revisions:
            self.stdout.write(f"The {kind} “{obj}” has no revisions yet.")
            return
        self.stdout.write(f"Revisions of the {kind} “{obj}”, newest first:")
        for revision in revisions:
            who = revision.by.get_username() if revision.by else "-"
            when = timezone.localtime(revision.updated_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"  {revision.number:>4}  {revision.kind:<8}  {who:<20}  {when}")
