"""Public-site throughput: wrk against gunicorn, each page next to a hello-world view.

    .venv/bin/python bench/serve.py --sizes 58,10000 --duration 10 --output /tmp/serve.md

For each corpus size (the demo's 58 posts, and the demo grown to 10,000 with the search
benchmark's generator), a site is built once in a temporary var dir (SQLite there, or a fresh
PostgreSQL database with ``--database-url``) and served by ``linernotes serve`` (gunicorn,
2 sync workers) in each mode: "cached" (the site's defaults) and "uncached"
(``LINERNOTES_PAGE_CACHE_SECONDS=0``). The bench settings (serve_settings.py) add
``/bench-hello/``, a view returning a few bytes, to the same server: same processes, same
middleware, so "ratio" (a page's requests/s over hello's) is what the page itself costs, and
moves far less from machine to machine than requests/s do.

Every address must answer 200 first. Each is then warmed up, and measured with wrk
(``-t2 -c8 --latency``, ``Accept-Encoding: gzip, br`` as browsers send). wrk is Debian's
package (``apt-get install wrk``, /usr/bin/wrk); gunicorn comes with the project.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import (
    OtherCpu,
    WrkResult,
    add_load_options,
    database,
    fetch,
    free_port,
    gunicorn,
    log_problems,
    machine,
    prepare_site,
    run,
    run_wrk,
    site_env,
    site_task,
    worker_pids,
)

PAGES = ["home", "deep", "category", "post", "author", "feed", "search", "hello"]
# Hello runs first and last: the ratio is to the mean of the two, and their difference shows
# how much the machine's speed drifted while the pages were measured.
HELLO_FIRST, HELLO_LAST = "hello (first)", "hello (last)"
MODES = {"cached": {}, "uncached": {"LINERNOTES_PAGE_CACHE_SECONDS": "0"}}


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    modes: list[str]
    pages: list[str]
    duration: float
    warmup: float
    connections: int
    threads: int
    database_url: str
    search_word: str
    output: Path | None


@dataclass(frozen=True)
class Measured:
    results: dict[str, WrkResult]
    sent: dict[str, str]  # what each page weighed as sent, before measuring
    others_cpu: float  # the share of the CPUs other processes used meanwhile


@dataclass(frozen=True)
class Table:
    posts: int
    mode: str
    addresses: dict[str, str]
    measured: Measured
    problems: list[str]


def server_log(env: dict[str, str], mode: str) -> Path:
    return Path(env["LINERNOTES_VAR_DIR"]) / f"gunicorn-{mode}.log"


def measure_mode(
    env: dict[str, str], port: int, mode: str, addresses: dict[str, str], options: Options
) -> Measured:
    """One server in one mode: check every address, warm each up, then measure each."""
    log = server_log(env, mode)
    base = f"http://127.0.0.1:{port}"
    runs = {HELLO_FIRST: "hello", **{page: page for page in options.pages}, HELLO_LAST: "hello"}
    with gunicorn({**env, **MODES[mode]}, port, log) as master:
        sent = {}
        for page in options.pages:
            answer = fetch(base + addresses[page])
            if answer.status != 200:
                raise SystemExit(f"{page} {addresses[page]} answered {answer.status}, not 200")
            sent[page] = f"{page} {answer.wire_bytes / 1000:.1f} kB {answer.encoding}"
        for page in options.pages:
            run_wrk(base + addresses[page], options.warmup, options.connections, options.threads)
        others = OtherCpu([master, *worker_pids(master)])
        results = {}
        for name, page in runs.items():
            print(f"  {mode} {name} {addresses[page]}", file=sys.stderr)
            results[name] = run_wrk(
                base + addresses[page], options.duration, options.connections, options.threads
            )
        return Measured(results, sent, others.share())


def measure_size(size: int, options: Options, var: Path) -> list[Table]:
    """Build the site once for ``size`` posts, then measure it in every mode."""
    tables = []
    with database(options.database_url, str(size)) as database_url:
        var_dir = var / f"posts-{size}"
        port = free_port()
        env = site_env(var_dir, port, database_url)
        print(f"{size:,} posts: building the site...", file=sys.stderr)
        posts = prepare_site(env, size)
        every = json.loads(run(site_task("pages", options.search_word), env))
        addresses = {page: every[page] for page in [*options.pages, "hello"]}
        for mode in options.modes:
            measured = measure_mode(env, port, mode, addresses, options)
            problems = log_problems(server_log(env, mode))
            tables.append(Table(posts, mode, addresses, measured, problems))
    return tables


def table_lines(table: Table, backend: str) -> list[str]:
    results = table.measured.results
    hello = (results[HELLO_FIRST].rps + results[HELLO_LAST].rps) / 2
    lines = [
        f"### {table.posts:,} posts, {backend}, {table.mode}",
        "",
        "| page | rps | p50 ms | p99 ms | ratio to hello | errors |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, result in results.items():
        ratio = f"{result.rps / hello:.3f}" if hello else "n/a"
        lines.append(
            f"| {page} | {result.rps:,.1f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
            f"| {ratio} | {result.describe_errors()} |"
        )
    shown = ", ".join(f"{page} `{address}`" for page, address in table.addresses.items())
    lines += [
        "",
        f"Addresses: {shown}.",
        "",
        f"Responses as sent: {', '.join(table.measured.sent.values())}. Other processes used "
        f"{table.measured.others_cpu:.0%} of the CPUs while these were measured.",
    ]
    if table.problems:
        lines += ["", f"The server logged {len(table.problems)} problems, first: "]
        lines += [f"`{table.problems[0]}`"]
    return [*lines, ""]


def report(tables: list[Table], options: Options) -> str:
    backend = "PostgreSQL" if options.database_url else "SQLite"
    lines = [
        f"Machine: {machine(options.database_url)}.",
        "",
        f"gunicorn with 2 sync workers; each row is wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration:g}s --latency after a "
        f"{options.warmup:g} s warm-up, with Accept-Encoding: gzip, br; "
        "ratio is the page's requests/s over the mean of the two hello runs (before and after "
        "the pages) in the same server and mode.",
        "",
    ]
    for table in tables:
        lines += table_lines(table, backend)
    return "\n".join(lines)


def parse_options() -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="58,10000", help="posts per corpus (58,10000)")
    parser.add_argument("--modes", default="cached,uncached", help="cached,uncached")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="pages (all of them; hello always runs)"
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per page (10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per page (2)")
    add_load_options(parser)
    parser.add_argument("--search-word", default="markdown", help="the search (markdown)")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    arguments = parser.parse_args()
    pages = [page for page in arguments.pages.split(",") if page]
    unknown = set(pages) - set(PAGES) | set(arguments.modes.split(",")) - set(MODES)
    if unknown:
        parser.error(f"unknown pages or modes: {', '.join(sorted(unknown))}")
    return Options(
        sizes=[int(size) for size in arguments.sizes.split(",")],
        modes=arguments.modes.split(","),
        pages=[page for page in pages if page != "hello"],
        duration=arguments.duration,
        warmup=arguments.warmup,
        connections=arguments.connections,
        threads=arguments.threads,
        database_url=arguments.database_url,
        search_word=arguments.search_word,
        output=arguments.output,
    )


def main() -> None:
    # SIGTERM unwinds like Ctrl-C, so servers and databases are cleaned up either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    options = parse_options()
    tables = []
    with tempfile.TemporaryDirectory(prefix="linernotes-serve-bench-") as var:
        for size in options.sizes:
            tables += measure_size(size, options, Path(var))
    text = report(tables, options)
    print(text)
    if options.output:
        options.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; the server and its workers were stopped.")
