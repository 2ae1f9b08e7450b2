from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from linernotes.content.models import Post
from linernotes.newsletter import digests, emails, mailings, tasks
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Digest,
    Mailing,
    Subscriber,
    SubscriberState,
)
from linernotes.newsletter.subscriber_csv import export_subscribers, import_subscribers


class Command(BaseCommand):
    help = "Operate the newsletter: send a post, see delivery status, send the digest, CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        send = actions.add_parser(
            "send", help="Queue a post for subscribers who have not had it (send late or again)."
        )
        send.add_argument("--post", required=True, metavar="SLUG", help="The post's slug.")
        send.add_argument(
            "--retry-failed", action="store_true", help="Also retry failed or cancelled messages."
        )
        send.add_argument("--dry-run", action="store_true", help="Only say how many would go.")
        status = actions.add_parser("status", help="Subscribers, recent mailings, waiting mail.")
        status.add_argument("--post", metavar="SLUG", help="Details of one post's mailing.")
        digest = actions.add_parser("digest", help="Queue the weekly digests that are due.")
        digest.add_argument("--now", action="store_true", help="Send the open digest early too.")
        digest.add_argument("--dry-run", action="store_true", help="Only list what would go.")
        load = actions.add_parser("import", help="Import consenting subscribers from CSV.")
        load.add_argument("file", type=Path, help="CSV with email and consent columns.")
        load.add_argument("--dry-run", action="store_true", help="Check the file only.")
        dump = actions.add_parser("export", help="Write every subscriber as CSV.")
        dump.add_argument("file", nargs="?", type=Path, help="Output file (default: stdout).")
        sample = actions.add_parser("test", help="Send a test email to check the email set-up.")
        sample.add_argument("--to", required=True, help="Address to send it to.")
        sample.add_argument("--post", metavar="SLUG", help="Post to send (default: newest).")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def _post(self, slug: str) -> Post:
        post = Post.objects.filter(slug=slug).first()
        if post is None:
            raise CommandError(f"No post has the slug {slug!r}.")
        return post

    def handle_send(self, *, post: str, retry_failed: bool, dry_run: bool, **_: Any) -> None:
        found = self._post(post)
        if not Post.objects.published().filter(pk=found.pk).exists():
            raise CommandError(f"{found.slug!r} is not published, so it cannot be sent.")
        if dry_run:
            count = mailings.missing_recipients(found)
            self.stdout.write(f"Would queue {count} message(s) for {found.slug!r} (dry run).")
            return
        result = mailings.queue_post_delivery(found, retry_failed=retry_failed)
        if result.queued or result.requeued:
            tasks.start_sending()
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued {result.queued} new and {result.requeued} retried message(s) for "
                f"{found.slug!r}; `linernotes worker` sends them."
            )
        )

    def handle_status(self, *, post: str | None, **_: Any) -> None:
        if post:
            self._post_status(self._post(post))
            return
        states = Counter(dict(Subscriber.objects.values_list("state").annotate(n=Count("pk"))))
        summary = ", ".join(f"{states.get(state, 0)} {state}" for state in SubscriberState.values)
        self.stdout.write(f"Subscribers: {summary}")
        self.stdout.write("Recent mailings:")
        for mailing in Mailing.objects.select_related("post")[:10]:
            self.stdout.write(f"  {mailing.post.slug}: {self._counts(mailing.post)}")
        now = timezone.now()
        queued = Delivery.objects.filter(state=DeliveryState.QUEUED)
        later = queued.filter(next_attempt_at__gt=now).count()
        self.stdout.write(f"Waiting: {queued.count() - later} due now, {later} retrying later")
        digest = Digest.objects.filter(queued_at__isnull=True).order_by("period_end").first()
        if digest:
            when = timezone.localtime(digest.period_end).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"Next digest: {when} with {digest.items.count()} post(s)")

    def _counts(self, post: Post) -> str:
        counts = dict(
            Delivery.objects.filter(post=post).values_list("state").annotate(n=Count("pk"))
        )
        return " ".join(f"{state} {counts.get(state, 0)}" for state in DeliveryState.values)

    def _post_status(self, post: Post) -> None:
        self.stdout.write(f"{post.slug}: {self._counts(post)}")
        failures = (
            Delivery.objects.filter(post=post, state=DeliveryState.FAILED)
            .values_list("last_error")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        for reason, count in failures:
            self.stdout.write(f"  failed {count}: {reason}")

    def handle_digest(self, *, now: bool, dry_run: bool, **_: Any) -> None:
        moment = timezone.now()
        if dry_run:
            waiting = Digest.objects.filter(queued_at__isnull=True)
            due = waiting if now else waiting.filter(period_end__lte=moment)
            listed = 0
            for digest in due:
                listed += 1
                self.stdout.write(f"Would queue {digest} ({digest.items.count()} post(s)).")
            if not listed:
                self.stdout.write("No digest is due: nothing would be queued.")
            return
        queued = digests.queue_due_digests(moment, include_open=now)
        for digest, count in queued:
            self.stdout.write(f"Queued {digest} for {count} subscriber(s).")
        if any(count for _, count in queued):
            tasks.start_sending()
        if not queued:
            self.stdout.write("No digest is due.")

    def handle_import(self, *, file: Path, dry_run: bool, **_: Any) -> None:
        with file.open(encoding="utf-8-sig", newline="") as source:
            report = import_subscribers(source, dry_run=dry_run)
        for line, problem in report.errors:
            self.stderr.write(f"line {line}: {problem}")
        if not report.ok:
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s).")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created} subscriber(s); {len(report.existing)} known already."
            )
        )

    def handle_export(self, *, file: Path | None, **_: Any) -> None:
        subscribers = Subscriber.objects.prefetch_related("topics").order_by("pk")
        if file is None:
            export_subscribers(subscribers.iterator(chunk_size=2000), self.stdout)
            return
        with file.open("w", encoding="utf-8", newline="") as out:
            count = export_subscribers(subscribers.iterator(chunk_size=2000), out)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} subscriber(s) to {file}."))

    def handle_test(self, *, to: str, post: str | None, **_: Any) -> None:
        found = self._post(post) if post else Post.objects.published().first()
        if found is None:
            raise CommandError("There is no published post to send.")
        message = emails.preview_message(found, to)
        message.connection = get_connection()
        message.send()
        self.stdout.write(self.style.SUCCESS(f"Sent a test of {found.slug!r} to {to}."))
