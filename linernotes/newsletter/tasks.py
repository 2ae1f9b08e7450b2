"""Background tasks (django-tasks). ``linernotes worker`` runs them; tests run them inline."""

from __future__ import annotations

from django.core.mail import get_connection
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from linernotes.content.models import Post
from linernotes.newsletter import emails, mailings, sending
from linernotes.newsletter.models import Subscriber, SubscriberState


@task()
def send_confirmation(subscriber_id: int) -> bool:
    """Email a pending subscriber their confirmation link."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, state=SubscriberState.PENDING).first()
    if subscriber is None:
        return False
    message = emails.confirmation_message(subscriber)
    message.connection = get_connection()
    return message.send() == 1


@task()
def deliver_post(post_id: int) -> int:
    """Queue a newly published post for its subscribers, then start sending."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    result = mailings.queue_post_delivery(post)
    if result.queued:
        start_sending()
    return result.queued


@task()
def send_deliveries() -> dict[str, int]:
    """Send due deliveries, batch after batch, until none is left (or the server fails)."""
    return sending.send_due_deliveries().as_dict()


def start_sending() -> bool:
    """Queue a sending task unless one is already waiting to run. True when one was queued.

    Several senders may run at once (one per worker); their claims keep them apart.
    """
    if isinstance(send_deliveries.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=send_deliveries.module_path
        )
        if waiting.exists():
            return False
    send_deliveries.enqueue()
    return True
