"""Publishing a post queues one delivery per matching subscriber, after commit, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from linernotes.content import services as content
from linernotes.content.models import Post, Status
from linernotes.newsletter import mailings
from linernotes.newsletter.background import check_due_work
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    DigestItem,
    Frequency,
    Mailing,
    SubscriberState,
)
from linernotes.newsletter.sending import send_due_deliveries
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db


def draft(**fields: object) -> Post:
    return PostFactory.create(status=Status.DRAFT, published_at=None, **fields)


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_publishing_queues_for_matching_subscribers_after_commit(
    make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    data, web = CategoryFactory.create(slug="data"), CategoryFactory.create(slug="web")
    make_subscriber("all@example.com")
    make_subscriber("data@example.com", topics=[data])
    make_subscriber("web@example.com", topics=[web])
    make_subscriber("weekly@example.com", frequency=Frequency.WEEKLY)
    make_subscriber("pending@example.com", state=SubscriberState.PENDING)
    make_subscriber("gone@example.com", state=SubscriberState.UNSUBSCRIBED)
    make_subscriber("bounced@example.com", state=SubscriberState.BOUNCED)
    post = draft(categories=[data])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        content.publish_post(post=post)
    assert not Delivery.objects.exists()  # nothing before the transaction commits
    for callback in callbacks:
        callback()

    queued = Delivery.objects.filter(post=post)
    assert {d.subscriber.email for d in queued} == {"all@example.com", "data@example.com"}
    assert set(queued.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert recipients() == {"all@example.com", "data@example.com"}
    assert [message.subject for message in mail.outbox] == [post.title] * 2
    assert DigestItem.objects.get().post == post  # for the weekly reader
    assert Mailing.objects.get(post=post).queued_at is not None


def test_publishing_again_sends_nothing_new(
    make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    make_subscriber("reader@example.com")
    post = draft()
    with django_capture_on_commit_callbacks(execute=True):
        content.publish_post(post=post)
    make_subscriber("newcomer@example.com")
    post.title = "A corrected title"
    with django_capture_on_commit_callbacks(execute=True):
        content.publish_post(post=post)
    assert recipients() == {"reader@example.com"}
    assert len(mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_back_dated_posts_are_not_mailed_but_can_be_sent_by_hand(
    make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    make_subscriber("reader@example.com")
    post = draft(slug="from-the-archive")
    with django_capture_on_commit_callbacks(execute=True):
        content.publish_post(post=post, at=timezone.now() - timedelta(days=30))
    assert mail.outbox == []
    assert not Mailing.objects.exists()

    call_command("newsletter", "send", "--post", "from-the-archive", "--dry-run")
    assert not Delivery.objects.exists()
    call_command("newsletter", "send", "--post", "from-the-archive")
    assert recipients() == {"reader@example.com"}
    call_command("newsletter", "send", "--post", "from-the-archive")
    assert len(mail.outbox) == 1  # sending again reaches only those who have not had it


def test_a_scheduled_post_goes_out_when_its_time_comes(
    make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    make_subscriber("reader@example.com")
    post = draft()
    with django_capture_on_commit_callbacks(execute=True):
        content.publish_post(post=post, at=timezone.now() + timedelta(hours=2))
    assert mail.outbox == []
    # Scheduled: nothing is announced, or owed to anyone, until the post is visible.
    assert not Mailing.objects.filter(post=post).exists()
    assert mailings.run_due_work().mailings == 0

    # Two hours later the worker's check publishes it, which announces and sends it.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        check_due_work()
    assert Post.objects.published().filter(pk=post.pk).exists()
    assert recipients() == {"reader@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        check_due_work()
    assert recipients() == {"reader@example.com"}
    assert len(mail.outbox) == 1


def test_the_periodic_check_leaves_a_new_post_to_its_own_task(
    make_subscriber: MakeSubscriber, django_capture_on_commit_callbacks
) -> None:
    make_subscriber("reader@example.com")
    post = draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        content.publish_post(post=post)
    for callback in callbacks:
        callback()  # announces the post and enqueues its task, which the tests run at once
    Mailing.objects.filter(post=post).update(queued_at=None)  # as if the task had not run yet
    Delivery.objects.all().delete()
    assert mailings.run_due_work().mailings == 0
    # A task that never ran (it failed, its worker was lost) is made up for after a while.
    Mailing.objects.filter(post=post).update(
        created_at=timezone.now() - mailings.ANNOUNCEMENT_GRACE - timedelta(seconds=1)
    )
    assert mailings.run_due_work().mailings == 1
    assert Delivery.objects.filter(post=post).count() == 1


def test_a_post_unpublished_before_sending_is_cancelled(make_subscriber: MakeSubscriber) -> None:
    make_subscriber("reader@example.com")
    post = PostFactory.create(published_at=timezone.now())
    mailings.queue_post_delivery(post)
    Post.objects.filter(pk=post.pk).update(status=Status.DRAFT)
    report = send_due_deliveries()
    assert (report.sent, report.cancelled) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.CANCELLED
    assert delivery.last_error == "the post is not published"
    assert mail.outbox == []


def test_only_published_posts_can_be_queued(make_subscriber: MakeSubscriber) -> None:
    make_subscriber("reader@example.com")
    post = draft()
    assert mailings.queue_post_delivery(post).published is False
    assert not Delivery.objects.exists()
