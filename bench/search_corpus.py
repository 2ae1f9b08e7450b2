"""A generated corpus for the search benchmark, written straight to the database.

Text is the demo content's own: bodies are runs of paragraphs (prose, lists, tables and code)
from the demo posts, titles and summaries come from the demo's seed posts, categories are the
demo's, and authors are the demo's bylines. Each paragraph is rendered once and the post's HTML
assembled from the pieces, so building 10,000 posts takes seconds instead of rendering every
post's Markdown.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from file_corpus import chunks

from linernotes.content.markdown import render_markdown
from linernotes.content.models import Author, Byline, Category, Post, Status
from linernotes.content.text import cut_at_word
from linernotes.demo.loader import DEMO_DIR, SEED_FILE, split_front_matter

SEED = 1000
BATCH = 1000


@dataclass(frozen=True)
class Block:
    markdown: str
    html: str
    text: str
    words: int


def demo_blocks() -> list[Block]:
    """Every block (paragraph, list, table, code fence) of the demo posts, rendered once."""
    blocks = []
    for path in sorted((DEMO_DIR / "posts").glob("*.md")):
        _, body = split_front_matter(path.read_text(encoding="utf-8"), path)
        for chunk in chunks(body):
            rendered = render_markdown(chunk)
            blocks.append(Block(chunk, rendered.html, rendered.text, rendered.word_count))
    return blocks


@transaction.atomic
def build_corpus(size: int) -> None:
    """``size`` published posts, with categories and bylines, over the last five years."""
    rng = random.Random(SEED + size)
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    blocks = demo_blocks()
    categories = _categories(seed["categories"])
    authors = _authors(seed["posts"])
    start = timezone.now() - timedelta(days=5 * 365)
    for first in range(0, size, BATCH):
        numbers = range(first, min(first + BATCH, size))
        posts = Post.objects.bulk_create(
            _post(number, rng, seed["posts"], blocks, start) for number in numbers
        )
        _link(posts, rng, categories, authors)


def _post(
    number: int,
    rng: random.Random,
    entries: list[dict[str, str]],
    blocks: list[Block],
    start: datetime,
) -> Post:
    entry = rng.choice(entries)
    words = entry["title"].split()
    rng.shuffle(words)
    title = " ".join(words[: rng.randint(3, len(words))])
    chosen = rng.sample(blocks, k=rng.randint(4, 14))
    text = " ".join(block.markdown for block in chosen[:2])
    return Post(
        title=title,
        slug=f"{slugify(title)[:200]}-{number}",
        summary=entry["summary"] if rng.random() < 0.5 else "",
        body="\n\n".join(block.markdown for block in chosen),
        body_html="\n".join(block.html for block in chosen),
        body_text="\n".join(block.text for block in chosen),
        auto_excerpt=cut_at_word(text, settings.LINERNOTES_EXCERPT_LENGTH),
        word_count=sum(block.words for block in chosen),
        status=Status.PUBLISHED,
        published_at=start + timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60)),
    )


def _categories(entries: list[dict[str, str]]) -> list[Category]:
    return [
        Category.objects.get_or_create(slug=entry["slug"], defaults={"name": entry["name"]})[0]
        for entry in entries
    ]


def _authors(entries: list[dict[str, object]]) -> list[Author]:
    people: dict[str, str] = {}
    for entry in entries:
        for person in entry["authors"]:  # type: ignore[attr-defined]
            people.setdefault(person["name"], person.get("role", ""))
    return [
        Author.objects.get_or_create(slug=slugify(name), defaults={"name": name, "role": role})[0]
        for name, role in people.items()
    ]


def _link(
    posts: list[Post], rng: random.Random, categories: list[Category], authors: list[Author]
) -> None:
    through = Post.categories.through
    links, bylines = [], []
    for post in posts:
        chosen = rng.sample(categories, k=rng.randint(1, 3))
        links += [through(post_id=post.pk, category_id=category.pk) for category in chosen]
        post.primary_category = chosen[0]
        credited = rng.sample(authors, k=rng.randint(1, 2))
        bylines += [
            Byline(post=post, author=author, position=index)
            for index, author in enumerate(credited)
        ]
    through.objects.bulk_create(links)
    Byline.objects.bulk_create(bylines)
    Post.objects.bulk_update(posts, ["primary_category"])
