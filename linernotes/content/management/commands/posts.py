"""``linernotes posts list``: posts with their status, as the admin's post list shows them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from linernotes.content.models import Post, Status


class Command(BaseCommand):
    help = "List posts with their status (draft, in review, scheduled, published)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="Posts, newest first, with their status.")
        listing.add_argument(
            "--status", choices=[status.value for status in Status], help="Only these posts."
        )
        listing.add_argument("--limit", type=int, default=50, help="At most this many (50).")

    def handle(self, *args: Any, **options: Any) -> None:
        posts = Post.objects.order_by("-published_at", "-created_at", "-pk")
        if options["status"]:
            posts = posts.filter(status=options["status"])
        shown = list(posts[: max(1, options["limit"])])
        if not shown:
            which = f" {Status(options['status']).label.lower()}" if options["status"] else ""
            self.stdout.write(f"There are no{which} posts.")
            return
        for post in shown:
            self.stdout.write(f"{describe(post)}\t{post.slug}\t{post.title}")
        remaining = posts.count() - len(shown)
        if remaining > 0:
            self.stdout.write(f"... and {remaining} more (--limit).")


def describe(post: Post) -> str:
    """The status as a person reads it, with the time that matters for it."""
    label = Status(post.status).label
    if post.published_at and post.status in (Status.SCHEDULED, Status.PUBLISHED):
        when = timezone.localtime(post.published_at)
        joiner = "for" if post.status == Status.SCHEDULED else "on"
        return f"{label} {joiner} {when:%Y-%m-%d %H:%M}"
    return label
