"""Import speed: the importer against saving the same posts one by one through the models.

    .venv/bin/python bench/import.py --posts 10000 [--baseline 300] [--postgres-url URL]

The corpus (``file_corpus.py``) is written twice: as a Hugo-layout Markdown folder and as a
WordPress export of the same posts. Each measurement runs in a fresh process on a fresh
database (SQLite in a temporary folder, or a new PostgreSQL database at ``--postgres-url``):

- one by one: the last ``--baseline`` posts of the folder saved as the admin saves a post
  (``Post.save()``, then its categories and bylines, each post in its own transaction, with
  the search index and page-cache receivers doing their work), timed per post, after the rest
  of the corpus was imported (untimed), so that each save meets a full database;
- ``linernotes import markdown`` of the whole folder, and ``linernotes import wordpress`` of
  the whole export, through ``read_source`` and ``import_records``, read and write timed apart.

Prints a Markdown table: milliseconds per post, posts per second, and the importer's speed-up
over saving one by one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from harness import FOREIGN_PREFIXES, database  # noqa: E402


def child_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        PYTHONPATH=str(REPO),
        LINERNOTES_VAR_DIR=str(var_dir),
        LINERNOTES_DEBUG="false",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def measure(kind: str, path: Path, count: int, server_url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ln-import-") as var, database(server_url, kind) as url:
        env = child_env(Path(var), url)
        subprocess.run(
            [sys.executable, "-m", "linernotes.cli", "migrate", "-v", "0"], env=env, check=True
        )
        finished = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(path), "--baseline", str(count)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if finished.returncode:
            raise SystemExit(f"{kind} failed:\n{finished.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
        return result


# --- In the measuring process (Django set up on the fresh database) ---


def one_by_one(folder: Path, count: int) -> dict[str, Any]:
    """The last ``count`` posts saved one by one, after the others were imported (untimed), so
    each save meets a database as full as the importer's last one did."""
    import yaml
    from django.db import transaction
    from django.utils.text import slugify

    from linernotes.content import services
    from linernotes.content.models import Author, Category, Post, Status
    from linernotes.importers.service import import_records
    from linernotes.importers.sources import read_source

    site = read_source("markdown", folder)
    site.posts.sort(key=lambda post: post.key)
    saved = [post.key for post in site.posts[-count:]]
    site.posts = site.posts[:-count]
    import_records(site)
    started = time.perf_counter()
    for key in saved:
        _, front, body = (folder / key).read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        with transaction.atomic():
            post = Post(title=meta["title"], slug=meta["slug"], body=body)
            post.status, post.published_at = Status.PUBLISHED, meta["date"]
            post.save()
            categories = [
                Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                for name in meta["categories"]
            ]
            services.set_post_categories(post=post, categories=categories)
            credits = [
                services.Credit(
                    Author.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                )
                for name in meta["authors"]
            ]
            services.set_post_bylines(post=post, credits=credits)
    return {"posts": len(saved), "seconds": time.perf_counter() - started}


def imported(source: str, path: Path) -> dict[str, Any]:
    from linernotes.content.models import Post
    from linernotes.importers.service import import_records
    from linernotes.importers.sources import read_source

    started = time.perf_counter()
    site = read_source(source, path)
    read = time.perf_counter()
    import_records(site)
    done = time.perf_counter()
    return {
        "posts": Post.objects.count(),
        "seconds": done - started,
        "read_seconds": read - started,
        "write_seconds": done - read,
    }


def child(kind: str, path: Path, count: int) -> None:
    import django

    django.setup()
    result = one_by_one(path, count) if kind == "baseline" else imported(kind, path)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=300, help="posts saved one by one")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("LINERNOTES_BENCH_POSTGRES_URL", "")
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], Path(options.child[1]), options.baseline)
        return
    from file_corpus import write_markdown, write_wordpress

    with tempfile.TemporaryDirectory(prefix="ln-corpus-") as scratch:
        folder, export = Path(scratch) / "site", Path(scratch) / "export.xml"
        write_markdown(folder, options.posts)
        write_wordpress(export, options.posts)
        rows = [
            (
                "saving one by one",
                measure("baseline", folder, options.baseline, options.postgres_url),
            ),
            ("import markdown", measure("markdown", folder, options.posts, options.postgres_url)),
            ("import wordpress", measure("wordpress", export, options.posts, options.postgres_url)),
        ]
    database_name = "PostgreSQL" if options.postgres_url else "SQLite"
    machine = platform.processor() or platform.machine()
    print(f"\n{options.posts:,} posts, {database_name}, {machine}, {os.cpu_count()} cores\n")
    print("| how | posts | seconds | ms per post | posts/s | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    base = rows[0][1]["seconds"] / rows[0][1]["posts"]
    for label, result in rows:
        per_post = result["seconds"] / result["posts"]
        print(
            f"| {label} | {result['posts']:,} | {result['seconds']:.1f} | {per_post * 1000:.1f} "
            f"| {1 / per_post:.0f} | {base / per_post:.1f}× |"
        )
        if "read_seconds" in result:
            print(f"|   of which reading the files | | {result['read_seconds']:.1f} | | | |")


if __name__ == "__main__":
    main()
