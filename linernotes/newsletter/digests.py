"""Weekly digests: posts wait in the next digest, which goes out once a week to weekly readers.

A digest is identified by the moment it is due (``period_end``); its deliveries are ordinary
Delivery rows with a unique constraint per subscriber and digest, sent like any other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linernotes.content.models import Category, Post
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Digest,
    DigestItem,
    Frequency,
    Subscriber,
)


def next_digest_time(after: datetime) -> datetime:
    """The first digest moment strictly after ``after``, on the site's clock."""
    local = timezone.localtime(after)
    moment = local.replace(
        hour=settings.LINERNOTES_NEWSLETTER_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    moment += timedelta(days=(settings.LINERNOTES_NEWSLETTER_DIGEST_WEEKDAY - moment.weekday()) % 7)
    if moment <= local:
        moment += timedelta(days=7)
    return moment


def open_digest(now: datetime) -> Digest:
    """The digest that posts announced ``now`` go into: the next one not already queued."""
    due = next_digest_time(now)
    while True:
        digest, _ = Digest.objects.get_or_create(period_end=due)
        if digest.queued_at is None:
            return digest
        # That week's digest went out early (``newsletter digest --now``); use the next one.
        due = next_digest_time(due)


def add_to_digest(post: Post, now: datetime) -> Digest:
    digest = open_digest(now)
    DigestItem.objects.get_or_create(digest=digest, post=post)
    return digest


@transaction.atomic
def queue_digest(digest: Digest, now: datetime) -> int:
    """Owe ``digest`` to each active weekly subscriber with a post in their topics."""
    locked = Digest.objects.select_for_update().get(pk=digest.pk)
    if locked.queued_at is not None:
        return 0
    posts = Post.objects.published().filter(digest_items__digest=locked)
    created = 0
    if posts.exists():
        category_ids = list(
            Category.objects.filter(posts__in=posts).values_list("pk", flat=True).distinct()
        )
        audience = Subscriber.objects.receiving(Frequency.WEEKLY).interested_in(category_ids)
        created = Delivery.objects.owe(audience, digest=locked)
    locked.queued_at = now
    locked.save(update_fields=["queued_at"])
    digest.queued_at = now
    return created


def queue_due_digests(now: datetime, *, include_open: bool = False) -> list[tuple[Digest, int]]:
    """Queue every digest whose time has come (and, with ``include_open``, the open one)."""
    waiting = Digest.objects.filter(queued_at__isnull=True)
    due = waiting if include_open else waiting.filter(period_end__lte=now)
    return [(digest, queue_digest(digest, now)) for digest in due.order_by("period_end")]


def posts_for(delivery: Delivery) -> list[Post]:
    """The digest's posts this subscriber wants and has not already had one by one."""
    subscriber = delivery.subscriber
    assert delivery.digest_id is not None, "posts_for() is for digest deliveries"
    already_sent = Delivery.objects.filter(
        subscriber=subscriber, post__isnull=False, state=DeliveryState.SENT
    ).values("post_id")
    posts = (
        Post.objects.published()
        .filter(digest_items__digest_id=delivery.digest_id)
        .exclude(pk__in=already_sent)
    )
    if not subscriber.all_topics:
        chosen = subscriber.topics.values("pk")
        posts = posts.filter(pk__in=Post.objects.filter(categories__in=chosen).values("pk"))
    return list(posts.order_by("-published_at"))
