"""A generated corpus for relevance tests: demo prose as filler, with posts planted in it.

The filler is the demo posts' own paragraphs, shuffled into many posts, so word frequencies
look like a real blog's; the planted posts are what the relevance queries must find first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from linernotes.content.models import Category, Post
from linernotes.demo.loader import DEMO_DIR, split_front_matter
from tests.factories import AuthorFactory, CategoryFactory, PostFactory

FILLER_POSTS = 120
SEED = 20261122


@dataclass(frozen=True)
class Planted:
    title: str
    summary: str
    body: str


# Each planted post is the answer to one of the relevance queries.
PLANTED = [
    Planted("Kafka consumer lag at scale", "", "How we watch consumers fall behind."),
    Planted(
        "Rolling out safely",
        "",
        "We ship every change behind feature flags, and retire the flags within a month.",
    ),
    Planted(
        "Tracing requests end to end",
        "Building an observability pipeline for thousands of services.",
        "Spans, sampling and storage.",
    ),
    Planted(
        "Quarterly notes",
        "",
        "Zookeeper zookeeper zookeeper: the week we finally removed zookeeper everywhere.",
    ),
]


def demo_paragraphs() -> list[str]:
    """Prose paragraphs of the demo posts (no headings, code, tables or lists)."""
    paragraphs = []
    for path in sorted((DEMO_DIR / "posts").glob("*.md")):
        _, body = split_front_matter(path.read_text(encoding="utf-8"), Path(path))
        for block in body.split("\n\n"):
            text = block.strip()
            if len(text) > 80 and text[0].isalpha() and "```" not in text and "|" not in text:
                paragraphs.append(text)
    return paragraphs


def build_corpus() -> dict[str, Post]:
    """Filler posts, some of them mentioning the planted words in passing, and the planted ones.

    Returns the planted posts by title.
    """
    rng = random.Random(SEED)
    paragraphs = demo_paragraphs()
    categories: list[Category] = [
        CategoryFactory.create(name=name) for name in ("Data", "Infrastructure", "Web", "People")
    ]
    authors = [AuthorFactory.create() for _ in range(6)]
    mentions = [
        "The kafka cluster was busy that week.",
        "Kafka topics, kafka brokers and more kafka.",
        "A feature that flags nothing.",
        "Observability matters.",
        "We once ran zookeeper.",
    ]
    start = timezone.now() - timedelta(days=FILLER_POSTS + 10)
    for number in range(FILLER_POSTS):
        chosen = rng.sample(paragraphs, k=rng.randint(2, 5))
        words = rng.choice(chosen).split()[:6]
        if number % 4 == 0:
            chosen.append(rng.choice(mentions))
        PostFactory.create(
            title=" ".join(words).rstrip(".,:;") + f" ({number})",
            body="\n\n".join(chosen),
            published_at=start + timedelta(days=number),
            categories=rng.sample(categories, k=rng.randint(1, 2)),
            authors=rng.sample(authors, k=rng.randint(1, 2)),
        )
    return {
        planted.title: PostFactory.create(
            title=planted.title,
            summary=planted.summary,
            body=planted.body,
            published_at=start + timedelta(days=rng.randint(0, FILLER_POSTS)),
            categories=[rng.choice(categories)],
        )
        for planted in PLANTED
    }
