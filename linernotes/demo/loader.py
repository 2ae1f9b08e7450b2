"""Loads the demo site: seed link posts, full posts and pages written for the demo, and media.

Loading is idempotent: everything is matched by slug and updated in place, so running the
demo command twice leaves one copy of each thing.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from linernotes.content import services
from linernotes.content.models import Author, Category, CategoryAlias, Page, Post, Status
from linernotes.content.revisions import record_revision

DEMO_DIR = Path(__file__).resolve().parent
SEED_FILE = DEMO_DIR / "fixtures" / "seed_posts.json"
MEDIA_DIR = DEMO_DIR / "media"


@dataclass(frozen=True)
class DemoSummary:
    categories: int
    authors: int
    posts: int
    pages: int


def split_front_matter(text: str, source: Path) -> tuple[dict[str, Any], str]:
    """``(metadata, body)`` of a Markdown file that starts with a YAML front-matter block."""
    if not text.startswith("---\n"):
        raise ValueError(f"{source}: expected YAML front matter starting with '---'")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise ValueError(f"{source}: the front matter has no closing '---' line")
    metadata = yaml.safe_load(text[4:end]) or {}
    if not isinstance(metadata, dict):
        raise ValueError(f"{source}: the front matter must be a mapping of keys to values")
    return metadata, text[end + 5 :].lstrip("\n")


@transaction.atomic
def load_demo() -> DemoSummary:
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    categories = _load_categories(seed["categories"])
    _copy_media()
    for entry in seed["posts"]:
        _load_seed_post(entry, categories)
    for path in sorted((DEMO_DIR / "posts").glob("*.md")):
        _load_markdown_post(path, categories)
    for path in sorted((DEMO_DIR / "pages").glob("*.md")):
        _load_page(path)
    return DemoSummary(
        categories=Category.objects.count(),
        authors=Author.objects.count(),
        posts=Post.objects.count(),
        pages=Page.objects.count(),
    )


def _load_categories(entries: list[dict[str, Any]]) -> dict[str, Category]:
    by_name = {}
    for position, entry in enumerate(entries):
        category, _ = Category.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry["description"],
                "colour": entry["colour"],
                "position": position,
            },
        )
        for alias in entry.get("aliases", []):
            CategoryAlias.objects.update_or_create(slug=alias, defaults={"category": category})
        by_name[category.name] = category
    return by_name


def _copy_media() -> None:
    target = Path(settings.MEDIA_ROOT) / "demo"
    target.mkdir(parents=True, exist_ok=True)
    for source in MEDIA_DIR.glob("*"):
        if source.is_file():
            shutil.copyfile(source, target / source.name)


def _credits(people: list[dict[str, str]]) -> list[services.Credit]:
    credits = []
    for person in people:
        author, _ = Author.objects.get_or_create(
            slug=slugify(person["name"]), defaults={"name": person["name"]}
        )
        if person.get("role") and not author.role:
            author.role = person["role"]
            author.save(update_fields=["role"])
        role = person.get("role", "")
        credits.append(services.Credit(author=author, role="" if role == author.role else role))
    return credits


def _load_post(
    slug: str,
    values: dict[str, Any],
    when: datetime,
    names: list[str],
    people: list[dict[str, str]],
    categories: dict[str, Category],
) -> None:
    post = Post.objects.filter(slug=slug).first() or Post(slug=slug)
    # Unchanged posts are not saved again, so loading twice leaves "updated" dates alone.
    changed = (
        post.pk is None
        or post.status != Status.PUBLISHED
        or post.published_at != when
        or any(getattr(post, field) != value for field, value in values.items())
    )
    for field, value in values.items():
        setattr(post, field, value)
    if changed:
        services.publish_post(post=post, at=when)
    services.set_post_categories(post=post, categories=[categories[name] for name in names])
    services.set_post_bylines(post=post, credits=_credits(people))
    # Its history starts with the loaded version (nothing is recorded when it is unchanged).
    record_revision(post, by=None)


def _hero_values(meta: dict[str, Any], source: str) -> dict[str, Any]:
    """The hero image fields of a post whose ``hero`` names a file in media/ (with its
    ``hero_alt``), pointing at the copy ``_copy_media()`` puts in MEDIA_ROOT/demo/."""
    if not meta.get("hero"):
        return {}
    name = Path(meta["hero"]).name
    if not (MEDIA_DIR / name).is_file():
        raise ValueError(f"{source}: the hero image {meta['hero']!r} is not in {MEDIA_DIR}")
    alt = meta.get("hero_alt")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"{source}: the hero image {name} needs a hero_alt text")
    return {"hero_image": f"demo/{name}", "hero_image_alt": alt}


def _load_seed_post(entry: dict[str, Any], categories: dict[str, Category]) -> None:
    values = {
        "title": entry["title"],
        "summary": entry["summary"],
        "external_url": entry["url"],
        "featured": bool(entry.get("featured")),
        **_hero_values(entry, f"{SEED_FILE.name}: {entry['slug']}"),
    }
    when = timezone.make_aware(datetime.combine(date.fromisoformat(entry["published"]), time(9)))
    _load_post(entry["slug"], values, when, entry["categories"], entry["authors"], categories)


def _load_markdown_post(path: Path, categories: dict[str, Category]) -> None:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    values: dict[str, Any] = {
        "title": meta["title"],
        "body": body,
        "summary": meta.get("summary", ""),
        "featured": bool(meta.get("featured")),
    }
    values.update(_hero_values(meta, str(path)))
    published = meta["published"]
    when = published if isinstance(published, datetime) else datetime.fromisoformat(published)
    _load_post(meta["slug"], values, when, meta["categories"], meta["authors"], categories)


def _load_page(path: Path) -> None:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    page, _ = Page.objects.update_or_create(
        slug=meta["slug"],
        defaults={
            "title": meta["title"],
            "body": body,
            "status": "published",
            "show_in_navigation": True,
            "navigation_order": meta.get("nav_order", 0),
        },
    )
    record_revision(page, by=None)
