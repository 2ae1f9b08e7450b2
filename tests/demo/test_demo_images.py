"""The demo's category pictures: drawn by scripts/make_demo_images.py, shown by the demo's posts."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageStat

from linernotes.content.models import Category, Post
from linernotes.demo.loader import (
    DEMO_DIR,
    MEDIA_DIR,
    SEED_FILE,
    _hero_values,
    load_demo,
    split_front_matter,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_demo_images.py"
SIZE = (1200, 630)
MOST_BYTES = 30_000


def category_slugs() -> list[str]:
    return [entry["slug"] for entry in json.loads(SEED_FILE.read_text())["categories"]]


def category_picture(slug: str) -> Path:
    return MEDIA_DIR / f"hero-{slug}.png"


@pytest.mark.django_db
def test_every_category_with_posts_has_a_published_post_showing_its_picture() -> None:
    load_demo()
    published = Post.objects.published()
    shown = Category.objects.filter(posts__in=published).distinct()
    # Labs and Security have no demo posts; every other category has some.
    assert shown.count() >= 14
    for category in shown:
        in_category = published.filter(categories=category)
        with_hero = in_category.exclude(hero_image="").exclude(hero_image_alt="")
        assert with_hero.exists(), category.slug
        own = in_category.filter(hero_image=f"demo/hero-{category.slug}.png")
        assert own.count() == 1, category.slug
        assert own.get().hero_image_alt.startswith("Flat illustration of"), category.slug


@pytest.mark.django_db
def test_every_hero_image_of_the_demo_is_stored_at_1200_by_630() -> None:
    load_demo()
    heroes = list(Post.objects.exclude(hero_image=""))
    assert len(heroes) >= 16
    longest = Post._meta.get_field("hero_image_alt").max_length
    for post in heroes:
        assert post.hero_image_alt.strip(), post.slug
        assert longest is not None
        assert len(post.hero_image_alt) <= longest, post.slug
        name = str(post.hero_image.name)
        assert name.startswith("demo/"), post.slug
        assert default_storage.exists(name), name
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert image.size == SIZE, name
        assert (post.hero_image_width, post.hero_image_height) == SIZE, post.slug
        with default_storage.open(name) as stored:
            assert stored.read() == (MEDIA_DIR / Path(name).name).read_bytes(), name


def test_there_is_one_small_picture_per_category_each_unlike_the_others() -> None:
    images = {}
    for slug in category_slugs():
        path = category_picture(slug)
        assert path.is_file(), path.name
        assert path.stat().st_size < MOST_BYTES, path.name
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == SIZE, path.name
            images[slug] = image.convert("RGB")
    assert len(images) == 16
    for a, b in itertools.combinations(images, 2):
        difference = ImageChops.difference(images[a], images[b]).convert("L")
        assert ImageStat.Stat(difference).mean[0] > 5, (a, b)


def test_the_script_draws_the_committed_pictures_again_byte_for_byte(tmp_path: Path) -> None:
    output = tmp_path / "pictures"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    written = sorted(path.name for path in output.iterdir())
    assert written == sorted(category_picture(slug).name for slug in category_slugs())
    for name in written:
        assert (output / name).read_bytes() == (MEDIA_DIR / name).read_bytes(), name


def test_a_hero_needs_its_file_and_alt_text() -> None:
    assert _hero_values({"hero": "media/hero-data.png", "hero_alt": "A chart."}, "entry") == {
        "hero_image": "demo/hero-data.png",
        "hero_image_alt": "A chart.",
    }
    assert _hero_values({"title": "No picture"}, "entry") == {}
    with pytest.raises(ValueError, match="needs a hero_alt"):
        _hero_values({"hero": "media/hero-data.png", "hero_alt": " "}, "entry")
    with pytest.raises(ValueError, match="is not in"):
        _hero_values({"hero": "media/hero-missing.png", "hero_alt": "A chart."}, "entry")


def test_the_demo_posts_name_only_pictures_that_exist() -> None:
    seed = json.loads(SEED_FILE.read_text())["posts"]
    named = [entry["hero"] for entry in seed if entry.get("hero")]
    for path in sorted((DEMO_DIR / "posts").glob("*.md")):
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        named += [meta["hero"]] if meta.get("hero") else []
    assert len(named) >= 16
    assert len(set(named)) == len(named)
    assert all((DEMO_DIR / name).is_file() for name in named), named
