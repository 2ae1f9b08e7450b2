"""From a published post to queued deliveries, and the periodic check for work that is due.

A post is announced once (its Mailing row), the first time it goes public; editing it later
announces nothing. ``newsletter send --post`` queues it again for whoever has not had it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from linernotes.content.models import Post
from linernotes.newsletter import digests, tasks
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Frequency,
    Mailing,
    Subscriber,
)

# A post announced as it went public is queued by its own task; the periodic check takes it
# over only if that task has not done so by then (it failed, or its worker was lost).
ANNOUNCEMENT_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class QueueResult:
    published: bool
    queued: int = 0
    requeued: int = 0


@dataclass(frozen=True)
class DueWork:
    mailings: int
    digests: int
    sending_started: bool


def announce_post(post: Post) -> Mailing | None:
    """React to a post going public (after its transaction committed).

    A post dated further back than the send window (an import, a back-dated post) is not
    mailed automatically. A post scheduled for later waits for ``run_due_work``.
    """
    now = timezone.now()
    window = timedelta(hours=settings.LINERNOTES_NEWSLETTER_SEND_WINDOW_HOURS)
    if post.published_at is None or post.published_at < now - window:
        return None
    mailing, created = Mailing.objects.get_or_create(post=post)
    if not created:
        return None
    if post.published_at <= now:
        tasks.deliver_post.enqueue(post.pk)
    return mailing


@transaction.atomic
def queue_post_delivery(post: Post, *, retry_failed: bool = False) -> QueueResult:
    """Owe ``post`` to each active subscriber whose topics match, and add it to the next digest.

    Only a post that is public now is queued. Deliveries that exist already are left alone
    (the unique constraint), so nobody gets a post twice; ``retry_failed`` queues failed and
    cancelled ones again.
    """
    if not Post.objects.published().filter(pk=post.pk).exists():
        return QueueResult(published=False)
    now = timezone.now()
    category_ids = list(post.categories.values_list("pk", flat=True))
    audience = Subscriber.objects.receiving(Frequency.IMMEDIATE).interested_in(category_ids)
    queued = Delivery.objects.owe(audience, post=post)
    requeued = 0
    if retry_failed:
        requeued = Delivery.objects.filter(
            post=post, state__in=[DeliveryState.FAILED, DeliveryState.CANCELLED]
        ).update(
            state=DeliveryState.QUEUED,
            attempts=0,
            last_error="",
            next_attempt_at=now,
            claim_token="",
            claimed_until=None,
        )
    digests.add_to_digest(post, now)
    Mailing.objects.update_or_create(post=post, defaults={"queued_at": now})
    return QueueResult(published=True, queued=queued, requeued=requeued)


def missing_recipients(post: Post) -> int:
    """How many subscribers ``queue_post_delivery`` would add for ``post`` now."""
    category_ids = list(post.categories.values_list("pk", flat=True))
    audience = Subscriber.objects.receiving(Frequency.IMMEDIATE).interested_in(category_ids)
    return audience.exclude(deliveries__post=post).count()


def due_deliveries() -> Q:
    """Queued deliveries whose time has come and which no live sender holds."""
    now = timezone.now()
    return Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def run_due_work() -> DueWork:
    """What the worker checks every few seconds: scheduled posts that are now public, digests
    whose day has come, and deliveries waiting for a sender (retries, or a crashed sender's).
    """
    now = timezone.now()
    # Announced before its time came (scheduled), or left behind by its task.
    waiting = Q(post__published_at__gt=F("created_at")) | Q(created_at__lt=now - ANNOUNCEMENT_GRACE)
    scheduled = (
        Mailing.objects.filter(queued_at__isnull=True, post__in=Post.objects.published())
        .filter(waiting)
        .select_related("post")
    )
    mailings = sum(queue_post_delivery(mailing.post).published for mailing in scheduled)
    queued_digests = digests.queue_due_digests(now)
    started = False
    if Delivery.objects.filter(due_deliveries()).exists():
        started = tasks.start_sending()
    return DueWork(mailings=mailings, digests=len(queued_digests), sending_started=started)
