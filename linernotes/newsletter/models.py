"""Subscribers, the history of their state, and one Delivery row per message we owe them.

The unique constraints on Delivery are what make sending idempotent: a subscriber can be owed a
post (or a weekly digest) once, whatever retries, restarts or re-sends happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from linernotes.content.models import Category, Post


def normalise_email(address: str) -> str:
    """The one spelling of an address we store: trimmed and lower-cased."""
    return address.strip().lower()


class SubscriberState(models.TextChoices):
    PENDING = "pending", "Pending confirmation"
    ACTIVE = "active", "Active"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Complained"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Each new post"
    WEEKLY = "weekly", "A weekly digest"


class Source(models.TextChoices):
    """Where a change to a subscriber came from, for the history."""

    SIGNUP = "signup", "Signup form"
    CONFIRMATION = "confirmation", "Confirmation link"
    PREFERENCES = "preferences", "Preference page"
    ONE_CLICK = "one-click", "One-click unsubscribe (List-Unsubscribe-Post)"
    UNSUBSCRIBE_PAGE = "unsubscribe-page", "Unsubscribe page"
    WEBHOOK = "webhook", "Provider webhook"
    SMTP = "smtp", "SMTP server response"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "CSV import"


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def receiving(self, frequency: Frequency) -> SubscriberQuerySet:
        return self.filter(state=SubscriberState.ACTIVE, frequency=frequency)

    def interested_in(self, category_ids: Sequence[int]) -> SubscriberQuerySet:
        """Subscribers to every topic, or to at least one of these categories."""
        chosen = Subscriber.topics.through.objects.filter(
            subscriber=OuterRef("pk"), category_id__in=category_ids
        )
        return self.filter(Q(all_topics=True) | Exists(chosen))


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    state = models.CharField(
        max_length=12, choices=SubscriberState.choices, default=SubscriberState.PENDING
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    all_topics = models.BooleanField(default=True, help_text="Every post, whatever its categories.")
    topics = models.ManyToManyField(Category, blank=True, related_name="subscribers")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "frequency"], name="subscriber_audience_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_normalised"
            )
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def topic_names(self) -> str:
        if self.all_topics:
            return "All topics"
        return ", ".join(category.name for category in self.topics.all())


class SubscriberEvent(models.Model):
    """One change to a subscriber: its state (or, when the states are equal, its preferences)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=SubscriberState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=SubscriberState.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    at = models.DateTimeField(default=timezone.now)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.from_state or 'new'} → {self.to_state} ({self.source})"


class Mailing(models.Model):
    """A post's announcement to subscribers; one per post, so editing a post never re-sends it."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="mailing")
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When deliveries were queued; empty while scheduled."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Mailing of {self.post}"


class Digest(models.Model):
    """The weekly digest that goes out at ``period_end`` with the posts published before it."""

    period_end = models.DateTimeField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    posts = models.ManyToManyField(Post, through="DigestItem", related_name="digests")

    class Meta:
        ordering = ["-period_end"]

    def __str__(self) -> str:
        return f"Digest of {timezone.localtime(self.period_end):%Y-%m-%d}"


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="digest_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["digest", "post"], name="digest_item_once_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.post} in {self.digest}"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def owe(
        self,
        audience: SubscriberQuerySet,
        *,
        post: Post | None = None,
        digest: Digest | None = None,
    ) -> int:
        """Queue one delivery of ``post`` or ``digest`` per subscriber in ``audience``.

        Subscribers who already have one are skipped by the unique constraints, so this is safe
        to repeat. Returns how many deliveries were created.
        """
        target = {"post": post} if post is not None else {"digest": digest}
        before = self.filter(**target).count()
        chunk: list[Delivery] = []
        for subscriber_id in audience.values_list("pk", flat=True).iterator(chunk_size=2000):
            chunk.append(Delivery(subscriber_id=subscriber_id, **target))
            if len(chunk) == 2000:
                Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
                chunk = []
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        return self.filter(**target).count() - before


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Delivery(models.Model):
    """One message owed to one subscriber: a post, or a weekly digest."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_deliveries",
    )
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A sender owns a queued delivery while its claim lasts; a crashed sender's claims lapse.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="queued"),
                name="delivery_due_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "post"], name="delivery_once_per_post"),
            models.UniqueConstraint(
                fields=["subscriber", "digest"], name="delivery_once_per_digest"
            ),
            models.CheckConstraint(
                condition=Q(post__isnull=True, digest__isnull=False)
                | Q(post__isnull=False, digest__isnull=True),
                name="delivery_post_or_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} to {self.subscriber_id}"

    @property
    def what(self) -> str:
        return f"post {self.post_id}" if self.post_id else f"digest {self.digest_id}"


class RateLimitCounter(models.Model):
    """Signup attempts in one window, counted in the database so every process shares them.

    ``key`` says what is counted (a client address or an email address) by a keyed hash: the
    table never holds the addresses themselves.
    """

    key = models.CharField(max_length=80, unique=True)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.key}: {self.count} since {self.window_start:%Y-%m-%d %H:%M:%S}"
