"""Search latency: the full-text backends against a naive LIKE search, on generated corpora.

    .venv/bin/python bench/search_latency.py --postgres-url postgres://postgres@127.0.0.1:5432/bench

For each corpus size (1,000 and 10,000 posts by default) and each backend (SQLite in a file
under a temporary directory; PostgreSQL at ``--postgres-url`` or ``LINERNOTES_BENCH_POSTGRES_URL``,
skipped when neither is given), a fresh process sets Django up on that database, builds the
corpus (``search_corpus.py``), indexes it with ``rebuild_index()`` and runs a fixed set of
queries many times through the same code as the search page (count, ranked page, highlights,
posts with their categories and bylines). The peer is the search WordPress runs: every word
``LIKE '%word%'`` over title, summary and body, title matches first, newest first. Medians and
95th percentiles are printed as a Markdown table, with the peer's time divided by ours.

The PostgreSQL database is emptied and reused: give the benchmark a database of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    "markdown",
    "redirect",
    "hero image",
    "code blocks",
    '"permanent redirect"',
    "syntax highlighting",
    "footnotes -tables",
    "categor*",
    "spotify data platform",
    "the",
    "experimentation confidence",
    "zeppelin",
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds per call, after two warm-up calls."""
    run()
    run()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def naive_search(text: str) -> int:
    """WordPress's search: every word LIKE '%word%' in title, excerpt or content."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from linernotes.content.models import Post
    from linernotes.search.query import parse_query

    posts = Post.objects.published()
    query = parse_query(text)
    for clause in query.clauses:
        match = (
            Q(title__icontains=clause.text)
            | Q(summary__icontains=clause.text)
            | Q(body__icontains=clause.text)
        )
        posts = posts.exclude(match) if clause.negated else posts.filter(match)
    ranked = posts.annotate(
        in_title=Case(
            When(title__icontains=query.text, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("in_title", "-published_at")
    total = ranked.count()
    list(ranked.for_listing()[:24])
    return total


def full_text_search(text: str) -> int:
    from linernotes.search.service import SearchParams, search

    outcome = search(SearchParams(text=text), lambda number: f"/search/?page={number}")
    return outcome.listing.count


def worker(size: int, repeats: int) -> dict[str, Any]:
    """Runs inside a process whose environment points Django at the database to measure."""
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from search_corpus import build_corpus

    from linernotes.search.backends import get_backend
    from linernotes.search.indexer import rebuild_index

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    build_corpus(size)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    rebuild_index()
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Statistics and visibility maps, as a live database has them from (auto)vacuum.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    queries = {}
    for text in QUERIES:
        queries[text] = {
            "matches": full_text_search(text),
            "naive_matches": naive_search(text),
            "fts": timed(partial(full_text_search, text), repeats),
            "naive": timed(partial(naive_search, text), repeats),
        }
    return {
        "backend": get_backend().name,
        "size": size,
        "generate_s": generated,
        "index_s": indexed,
        "queries": queries,
    }


def run_worker(size: int, repeats: int, database_url: str, var_dir: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
        "DATABASE_URL": database_url,
        "LINERNOTES_VAR_DIR": str(var_dir),
        "LINERNOTES_SEARCH_BACKEND": "auto",
    }
    command = [sys.executable, __file__, "--worker", "--size", str(size)]
    command += ["--repeats", str(repeats)]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode:
        raise SystemExit(f"the {database_url} run failed:\n{finished.stderr}")
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


def summary_rows(result: dict[str, Any]) -> list[str]:
    fts = [ms for query in result["queries"].values() for ms in query["fts"]]
    naive = [ms for query in result["queries"].values() for ms in query["naive"]]
    ratio = statistics.median(naive) / statistics.median(fts)
    return [
        f"| {result['backend']} | {result['size']:,} | {result['index_s']:.1f} s "
        f"| {percentile(fts, 0.5):.1f} | {percentile(fts, 0.95):.1f} "
        f"| {percentile(naive, 0.5):.1f} | {percentile(naive, 0.95):.1f} | {ratio:.1f}× |"
    ]


def query_rows(result: dict[str, Any]) -> list[str]:
    rows = []
    for text, query in result["queries"].items():
        shown = text.replace("|", "\\|")
        rows.append(
            f"| {result['backend']} | `{shown}` | {query['matches']:,} "
            f"| {query['naive_matches']:,} "
            f"| {percentile(query['fts'], 0.5):.1f} | {percentile(query['fts'], 0.95):.1f} "
            f"| {percentile(query['naive'], 0.5):.1f} "
            f"| {statistics.median(query['naive']) / statistics.median(query['fts']):.1f}× |"
        )
    return rows


def report(results: list[dict[str, Any]], repeats: int) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {repeats} timed runs of each of "
        f"{len(QUERIES)} queries per corpus.",
        "",
        "| backend | posts | index build | p50 ms | p95 ms | LIKE p50 ms | LIKE p95 ms "
        "| LIKE ÷ FTS (p50) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines += summary_rows(result)
    largest = max(result["size"] for result in results)
    lines += [
        "",
        f"Per query, {largest:,} posts:",
        "",
        "| backend | query | matches | LIKE matches | p50 ms | p95 ms | LIKE p50 ms | LIKE ÷ FTS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        if result["size"] == largest:
            lines += query_rows(result)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs of each query")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LINERNOTES_BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL database the benchmark may empty "
        "(default: $LINERNOTES_BENCH_POSTGRES_URL)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(options.size, options.repeats)))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="linernotes-search-bench-") as var:
        for size in (int(value) for value in options.sizes.split(",")):
            databases = [f"sqlite:///{Path(var) / f'bench-{size}.sqlite3'}"]
            if options.postgres_url:
                databases.append(options.postgres_url)
            for database in databases:
                print(f"{size:,} posts on {database.split(':')[0]}...", file=sys.stderr)
                results.append(run_worker(size, options.repeats, database, Path(var)))
    print(report(results, options.repeats))


if __name__ == "__main__":
    main()
