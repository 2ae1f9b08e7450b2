"""The site side of the newsletter benchmark, run by newsletter_throughput.py in a fresh process
whose environment points Django at the benchmark's database and SMTP sink.

    newsletter_site.py send SUBSCRIBERS WORKERS SAMPLE_FILE
    newsletter_site.py phases MESSAGES

``send`` creates the subscribers and a post, queues the post (timed), writes one real message
to SAMPLE_FILE for the smtplib peer, and times WORKERS ``linernotes worker --batch``
processes until every delivery is sent. ``phases`` sends MESSAGES in this process and splits
the time per message into building it, serialising it, the SMTP transaction, and recording
the outcome; it prints JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

POST_BODY = "\n\n".join(
    [
        "We moved the play counter from a nightly batch job to a stream, and the numbers "
        "readers see now change within seconds. This is how, and what it cost. " * 6,
        "## The old pipeline\n\n" + "A nightly job read every play event from storage. " * 40,
        "```python\ndef count(events):\n    totals = {}\n    for event in events:\n"
        "        totals[event.track] = totals.get(event.track, 0) + 1\n    return totals\n```",
        "## Streaming\n\n" + "Each event updates a counter keyed by track and day. " * 40,
        "| stage | before | after |\n| --- | --- | --- |\n| latency | 24 h | 4 s |\n"
        "| cost | 1.0 | 0.7 |",
        "## What we learned\n\n" + "Idempotent writes made retries safe to repeat. " * 30,
    ]
)


def create_site(subscribers: int) -> Any:
    """Migrate, then a post and ``subscribers`` active subscribers; returns the post."""
    from django.core.management import call_command
    from django.utils import timezone

    from linernotes.content.models import Category, Post, Status
    from linernotes.newsletter.models import Subscriber, SubscriberState

    call_command("migrate", verbosity=0)
    category = Category.objects.create(name="Data", slug="data")
    post = Post.objects.create(
        title="Counting plays in seconds, not days",
        slug="counting-plays",
        body=POST_BODY,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    post.categories.set([category])
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{n:06d}@example.com", state=SubscriberState.ACTIVE)
            for n in range(subscribers)
        ),
        batch_size=5000,
    )
    return post


def send(subscribers: int, workers: int, sample_file: Path) -> dict[str, float]:
    from linernotes.newsletter import mailings, tasks
    from linernotes.newsletter.models import Delivery, DeliveryState

    post = create_site(subscribers)
    started = time.perf_counter()
    queued = mailings.queue_post_delivery(post).queued
    queue_seconds = time.perf_counter() - started
    assert queued == subscribers
    save_sample(Delivery.objects.select_related("subscriber", "post").first(), sample_file)

    for _ in range(workers):
        tasks.send_deliveries.enqueue()
    command = [sys.executable, "-m", "linernotes.cli", "worker", "--batch", "-v", "0"]
    started = time.perf_counter()
    processes = [subprocess.Popen(command) for _ in range(workers)]
    assert all(process.wait() == 0 for process in processes)
    send_seconds = time.perf_counter() - started
    sent = Delivery.objects.filter(state=DeliveryState.SENT).count()
    assert sent == subscribers, f"only {sent} of {subscribers} deliveries were sent"
    return {"queue_seconds": queue_seconds, "send_seconds": send_seconds}


def save_sample(delivery: Any, sample_file: Path) -> None:
    from django.core.mail import get_connection

    from linernotes.newsletter import emails

    rendered = emails.render_post(delivery.post)
    message = emails.newsletter_message(delivery, rendered, get_connection())
    # Django's own serialisation, as its SMTP backend sends it.
    sample_file.write_bytes(message.message().as_bytes(linesep="\r\n"))  # type: ignore[call-arg]


def phases(messages: int) -> dict[str, float]:
    """Milliseconds per message spent in each step of sending, in this one process."""
    import smtplib

    from django.core.mail import EmailMessage

    from linernotes.newsletter import emails, mailings, sending

    mailings.queue_post_delivery(create_site(messages))
    spent: dict[str, float] = defaultdict(float)
    timed(emails, "newsletter_message", "build", spent)
    timed(EmailMessage, "message", "mime", spent)
    timed(EmailMessage, "send", "send", spent)
    timed(smtplib.SMTP, "sendmail", "smtp", spent)
    timed(sending.BatchSender, "_settle", "record", spent)
    started = time.perf_counter()
    report = sending.send_due_deliveries()
    total = time.perf_counter() - started
    assert report.sent == messages, report
    per_message = {name: seconds * 1000 / messages for name, seconds in spent.items()}
    return {
        "total": total * 1000 / messages,
        "build": per_message["build"] + per_message["mime"],
        # Django serialises the message to bytes inside send(), before the SMTP transaction.
        "serialise": per_message["send"] - per_message["smtp"] - per_message["mime"],
        "smtp": per_message["smtp"],
        "record": per_message["record"],
    }


def timed(owner: Any, name: str, label: str, spent: dict[str, float]) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    setattr(owner, name, wrapper)


def main() -> None:
    django.setup()
    mode, *arguments = sys.argv[1:]
    if mode == "send":
        result = send(int(arguments[0]), int(arguments[1]), Path(arguments[2]))
    else:
        result = phases(int(arguments[0]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
