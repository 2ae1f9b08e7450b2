"""The writing side of the soak, run by soak.py next to the read load, in a process of its own.

    soak_writer.py SECONDS INTERVAL BASE_URL

Every INTERVAL seconds it either publishes a new post through the content services (draft,
categories, bylines, publish, as the admin does) and then polls the home page until the post
is listed there, or edits a published post's body; every tenth step it runs the background
work that is due (``linernotes worker --batch``). At the end it prints JSON: counts, timings,
how long each new post took to show up, and every error.
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

import django

VISIBLE_GIVE_UP_SECONDS = 60
POLL_SECONDS = 0.25
BATCH_EVERY = 10


def publish_new(number: int, rng: random.Random, blocks: list[Any]) -> str:
    """A new post published the way the admin does it, in one transaction; returns its path."""
    from django.db import transaction

    from linernotes.content.models import Author, Category, Post
    from linernotes.content.services import (
        Credit,
        publish_post,
        set_post_bylines,
        set_post_categories,
    )

    categories = list(Category.objects.all())
    authors = list(Author.objects.all())
    with transaction.atomic():
        post = Post(
            title=f"Soak note {number}",
            slug=f"soak-note-{number}-{rng.getrandbits(32):08x}",
            body="\n\n".join(block.markdown for block in rng.sample(blocks, k=6)),
        )
        post.save()
        set_post_categories(post=post, categories=rng.sample(categories, k=2))
        credits = [Credit(author=author) for author in rng.sample(authors, k=rng.randint(1, 2))]
        set_post_bylines(post=post, credits=credits)
        publish_post(post=post)
    return post.get_absolute_url()


def edit_existing(rng: random.Random, post_ids: list[int]) -> None:
    """An editor's change to a published post: a new paragraph, rendered and indexed on save."""
    from linernotes.content.models import Post

    post = Post.objects.get(pk=rng.choice(post_ids))
    post.body += f"\n\nUpdated during the soak test, revision {rng.getrandbits(24)}."
    post.save()


def seconds_until_listed(base_url: str, path: str) -> tuple[float, int] | None:
    """Seconds until a home page linking to ``path`` came back, and the requests it took.

    The time includes the response that showed the post, so under load it is never less than
    one response time; one request means the post was listed as soon as it was published.
    """
    from harness import fetch

    started = time.monotonic()
    requests = 0
    while time.monotonic() - started < VISIBLE_GIVE_UP_SECONDS:
        requests += 1
        # Relative or absolute, a link to the post ends with its path and a quote.
        if f'{path}"' in fetch(f"{base_url}/").body:
            return time.monotonic() - started, requests
        time.sleep(POLL_SECONDS)
    return None


def run_background_work() -> None:
    from django.core.management import call_command

    call_command("worker", "--batch", verbosity=0)


def timed(report: dict[str, Any], name: str, action: Callable[[], object]) -> object:
    """Run ``action``; its time goes to report[name], an exception to report["errors"]."""
    started = time.perf_counter()
    try:
        outcome = action()
    except Exception:
        report["errors"].append(traceback.format_exc(limit=4))
        return None
    report[name].append((time.perf_counter() - started) * 1000)
    return outcome


def soak(seconds: float, interval: float, base_url: str) -> dict[str, Any]:
    from search_corpus import demo_blocks

    from linernotes.content.models import Post

    rng = random.Random(7)
    blocks = demo_blocks()
    post_ids = list(Post.objects.published().values_list("pk", flat=True))
    report: dict[str, Any] = {"publish_ms": [], "edit_ms": [], "batch_ms": [], "errors": []}
    report |= {"visible_s": [], "not_visible": 0, "first_request": 0}
    deadline = time.monotonic() + seconds
    step = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        step += 1
        if step % 2:
            path = timed(report, "publish_ms", partial(publish_new, step, rng, blocks))
            listed = seconds_until_listed(base_url, str(path)) if path else None
            if path and listed is None:
                report["not_visible"] += 1
            elif listed is not None:
                report["visible_s"].append(listed[0])
                report["first_request"] += listed[1] == 1
        else:
            timed(report, "edit_ms", partial(edit_existing, rng, post_ids))
        if step % BATCH_EVERY == 0:
            timed(report, "batch_ms", run_background_work)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return report


def main() -> None:
    django.setup()
    seconds, interval, base_url = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    print(json.dumps(soak(seconds, interval, base_url)))


if __name__ == "__main__":
    main()
