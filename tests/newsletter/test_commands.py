"""The `linernotes newsletter` and `linernotes worker` commands."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linernotes.content import services as content
from linernotes.content.models import Status
from linernotes.newsletter import mailings
from linernotes.newsletter.models import Delivery, DeliveryState, Subscriber, SubscriberState
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_status_shows_subscribers_mailings_and_waiting_mail(
    make_subscriber: MakeSubscriber,
) -> None:
    make_subscriber("a@example.com")
    make_subscriber("b@example.com")
    make_subscriber("c@example.com", state=SubscriberState.PENDING)
    post = PostFactory.create(slug="status-post", published_at=timezone.now())
    mailings.queue_post_delivery(post)
    Delivery.objects.filter(subscriber__email="a@example.com").update(
        state=DeliveryState.FAILED, last_error="550 no such user"
    )
    overview = run("newsletter", "status")
    assert "Subscribers: 1 pending, 2 active, 0 unsubscribed, 0 bounced, 0 complained" in overview
    assert "status-post: queued 1 sent 0 failed 1 cancelled 0" in overview
    assert "Waiting: 1 due now, 0 retrying later" in overview
    detail = run("newsletter", "status", "--post", "status-post")
    assert "failed 1: 550 no such user" in detail


@pytest.mark.django_db
def test_send_refuses_drafts_and_unknown_slugs() -> None:
    PostFactory.create(slug="a-draft", status=Status.DRAFT, published_at=None)
    with pytest.raises(CommandError, match="not published"):
        run("newsletter", "send", "--post", "a-draft")
    with pytest.raises(CommandError, match="No post has the slug 'nope'"):
        run("newsletter", "send", "--post", "nope")


@pytest.mark.django_db
def test_import_and_export_round_trip(tmp_path: Path, make_subscriber: MakeSubscriber) -> None:
    CategoryFactory.create(name="Data", slug="data")
    source = tmp_path / "in.csv"
    source.write_text("email,consent,topics\nada@example.com,yes,data\n", encoding="utf-8")
    assert "Would import 1 subscriber(s)" in run("newsletter", "import", str(source), "--dry-run")
    assert not Subscriber.objects.exists()
    assert "Imported 1 subscriber(s)" in run("newsletter", "import", str(source))
    target = tmp_path / "out.csv"
    run("newsletter", "export", str(target))
    [row] = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert (row["email"], row["state"], row["topics"], row["consent"]) == (
        "ada@example.com",
        "active",
        "data",
        "yes",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("email,consent\nbob@example.com,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        run("newsletter", "import", str(bad))


@pytest.mark.django_db
def test_a_test_email_checks_the_set_up() -> None:
    PostFactory.create(title="Newest", published_at=timezone.now())
    assert "Sent a test of" in run("newsletter", "test", "--to", "me@example.com")
    [message] = mail.outbox
    assert (message.subject, message.to) == ("[Test] Newest", ["me@example.com"])


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_from_the_database(
    settings: LazySettings, make_subscriber: MakeSubscriber
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    make_subscriber("a@example.com")
    make_subscriber("b@example.com")
    post = PostFactory.create(status=Status.DRAFT, published_at=None)
    content.publish_post(post=post)
    assert mail.outbox == []  # queued in the database, not sent
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    call_command("worker", "--batch", verbosity=0)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.com", "b@example.com"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


@pytest.mark.django_db
def test_a_digest_dry_run_with_nothing_due_says_so() -> None:
    out = io.StringIO()
    call_command("newsletter", "digest", "--dry-run", stdout=out)
    assert out.getvalue() == "No digest is due: nothing would be queued.\n"
