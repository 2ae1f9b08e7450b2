"""A bounded soak: mixed reads for minutes while posts are published and edited.

    .venv/bin/python bench/soak.py --posts 10000 --minutes 10

The demo grown to ``--posts`` posts (serve.py's site, in a temporary var dir: SQLite, or a
fresh PostgreSQL database with ``--database-url``) is served by ``linernotes serve`` with
2 sync workers. wrk (Debian's package, /usr/bin/wrk) runs soak.lua, which picks every request
among the home page (with and without a category filter), deep home pages, category archives,
thousands of post pages, author pages, feeds and searches. Meanwhile soak_writer.py publishes
a post or edits one every ``--interval`` seconds through the content services, runs the due
background work now and then, and times how long each new post takes to be listed on the
home page. Each worker's resident memory (VmRSS) is sampled every few seconds.

The report gives requests, errors, requests/s, p50/p99, each worker's RSS at the start, after
the warm-up and at the end, and the writer's figures. The exit status is 1 when anything
failed: an error response, a socket error or timeout, a writer error, a post not listed on
the home page within ``--visible-within`` seconds, a replaced worker, or an error logged.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import (
    BENCH,
    REPO,
    OtherCpu,
    WrkResult,
    add_load_options,
    database,
    free_port,
    gunicorn,
    log_problems,
    machine,
    parse_wrk,
    prepare_site,
    rss_kib,
    run,
    run_wrk,
    site_env,
    site_task,
    worker_pids,
    wrk_command,
)

LUA = BENCH / "soak.lua"


@dataclass(frozen=True)
class Options:
    posts: int
    minutes: float
    warmup: float
    interval: float
    sample: float
    visible_within: float
    connections: int
    threads: int
    database_url: str


class Memory:
    """Every worker's VmRSS in KiB, sampled over the soak; named marks for the report."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.samples: list[dict[int, int]] = []
        self.marks: dict[str, dict[int, int]] = {}

    def sample(self) -> dict[int, int]:
        found = {pid: rss_kib(pid) for pid in worker_pids(self.master)}
        current = {pid: rss for pid, rss in found.items() if rss is not None}
        self.samples.append(current)
        return current

    def mark(self, name: str) -> None:
        self.marks[name] = self.sample()

    def replaced(self) -> bool:
        return len({frozenset(sample) for sample in self.samples}) > 1

    def rows(self) -> list[str]:
        start, warm, end = (self.marks[name] for name in ("start", "warm", "end"))
        lines = [
            "| worker | RSS start MiB | after warm-up | end | growth since warm-up | peak |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for pid in sorted(set(start) | set(warm) | set(end)):
            values = [mark.get(pid) for mark in (start, warm, end)]
            peak = max(sample.get(pid, 0) for sample in self.samples)
            warm_kib, end_kib = values[1], values[2]
            growth = end_kib - warm_kib if warm_kib is not None and end_kib is not None else None
            cells = [_mib(value) for value in values] + [_mib(growth, signed=True), _mib(peak)]
            lines.append(f"| {pid} | {' | '.join(cells)} |")
        return lines

    def timeline(self, every: int) -> list[str]:
        """RSS in MiB at every ``every``-th sample after the warm-up: growth that levels off is
        caches filling up to their bounds; growth that does not is a leak."""
        samples = self.samples[self.samples.index(self.marks["warm"]) :: every]
        lines = [f"Each worker's RSS in MiB, every {every} samples from the end of the warm-up:"]
        for pid in sorted(self.marks["warm"]):
            values = ", ".join(_mib(sample.get(pid)) for sample in samples)
            lines.append(f"- {pid}: {values}")
        return lines


def _mib(kib: int | None, signed: bool = False) -> str:
    if kib is None:
        return "gone"
    return f"{kib / 1024:+.1f}" if signed else f"{kib / 1024:.1f}"


@contextlib.contextmanager
def running(
    command: list[str], env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A background process that is stopped on the way out, whatever happened."""
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            process.kill()
        process.wait()


def load_and_write(
    options: Options, env: dict[str, str], base: str, paths: Path, memory: Memory
) -> tuple[WrkResult, dict[str, Any]]:
    """The measured part: wrk and the writer side by side, sampling memory until wrk ends."""
    seconds = options.minutes * 60
    writer = [sys.executable, str(BENCH / "soak_writer.py"), str(seconds), str(options.interval)]
    load = wrk_command(base, seconds, options.connections, options.threads, (str(LUA), str(paths)))
    with running([*writer, base], env) as writing, running(load) as reading:
        while reading.poll() is None:
            time.sleep(options.sample)
            memory.sample()
        assert reading.stdout is not None
        assert writing.stdout is not None
        result = parse_wrk(reading.stdout.read())
        # The writer stops at the same deadline, after its current step.
        output = writing.stdout.read().strip().splitlines()
    if writing.returncode or not output:
        raise SystemExit("the writer ended without a report (see its errors above)")
    report: dict[str, Any] = json.loads(output[-1])
    return result, report


def soak(options: Options, var: Path) -> tuple[str, list[str]]:
    """Build, serve, load; returns the report and what failed."""
    with database(options.database_url, "soak") as database_url:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # Newsletter mail is built and counted as sent, but goes nowhere.
        env = site_env(
            var, port, database_url, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        )
        print(f"Building a site with {options.posts:,} posts...", file=sys.stderr)
        posts = prepare_site(env, options.posts)
        paths = var / "paths.tsv"
        paths.write_text(run(site_task("paths"), env), encoding="utf-8")
        log = var / "gunicorn.log"
        with gunicorn(env, port, log) as master:
            memory = Memory(master)
            memory.mark("start")
            print(f"Warm-up, {options.warmup:g} s...", file=sys.stderr)
            script = (str(LUA), str(paths))
            run_wrk(base, options.warmup, options.connections, options.threads, script)
            memory.mark("warm")
            print(f"Soak, {options.minutes:g} min...", file=sys.stderr)
            others = OtherCpu([master, *worker_pids(master)])
            result, writer = load_and_write(options, env, base, paths, memory)
            memory.mark("end")
            others_cpu = others.share()
    problems = log_problems(log)
    text = report(options, posts, result, writer, memory, problems)
    text += f"\nOther processes used {others_cpu:.0%} of the CPUs during the soak."
    return text, failures(options, result, writer, memory, problems)


def writer_lines(writer: dict[str, Any], options: Options) -> list[str]:
    def spread(values: list[float], unit: str) -> str:
        if not values:
            return "none"
        return f"p50 {statistics.median(values):.1f} {unit}, max {max(values):.1f} {unit}"

    published, edited, batches = writer["publish_ms"], writer["edit_ms"], writer["batch_ms"]
    return [
        f"Writer: {len(published)} posts published ({spread(published, 'ms')}), "
        f"{len(edited)} edited ({spread(edited, 'ms')}), "
        f"{len(batches)} background batches ({spread(batches, 'ms')}), "
        f"{len(writer['errors'])} errors.",
        f"New post listed on the home page after: {spread(writer['visible_s'], 's')}, "
        f"including the response that showed it ({len(writer['visible_s'])} checks; "
        f"{writer['first_request']} listed by the first request after publishing; "
        f"{sum(delay > options.visible_within for delay in writer['visible_s'])} "
        f"took over {options.visible_within:g} s; {writer['not_visible']} not listed "
        "within 60 s).",
    ]


def report(
    options: Options,
    posts: int,
    result: WrkResult,
    writer: dict[str, Any],
    memory: Memory,
    problems: list[str],
) -> str:
    backend = "PostgreSQL" if options.database_url else "SQLite"
    lines = [
        f"Machine: {machine(options.database_url)}.",
        "",
        f"Soak: {posts:,} posts on {backend}, gunicorn with 2 sync workers, "
        f"{options.minutes:g} min of mixed reads (soak.lua, wrk -t{options.threads} "
        f"-c{options.connections}) after a {options.warmup:g} s warm-up, "
        f"a post published or edited every {options.interval:g} s.",
        "",
        "| requests | rps | p50 ms | p99 ms | errors |",
        "| ---: | ---: | ---: | ---: | --- |",
        f"| {result.requests:,} | {result.rps:,.1f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
        f"| {result.describe_errors()} |",
        "",
        *memory.rows(),
        "",
        *memory.timeline(max(1, round(60 / options.sample))),
        "",
        *writer_lines(writer, options),
    ]
    if problems:
        lines += ["", f"The server logged {len(problems)} problems, first: `{problems[0]}`"]
    lines += [f"Writer error: {error}" for error in writer["errors"][:3]]
    return "\n".join(lines)


def failures(
    options: Options, result: WrkResult, writer: dict[str, Any], memory: Memory, problems: list[str]
) -> list[str]:
    late = [delay for delay in writer["visible_s"] if delay > options.visible_within]
    checks = {
        f"{result.describe_errors()} request errors": result.errors > 0,
        f"{len(writer['errors'])} writer errors": bool(writer["errors"]),
        f"{writer['not_visible'] + len(late)} posts listed late or never": bool(
            writer["not_visible"] or late
        ),
        "a worker was replaced": memory.replaced(),
        f"{len(problems)} problems in the server log": bool(problems),
    }
    return [name for name, failed in checks.items() if failed]


def parse_options() -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the site (10000)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the soak (10)")
    parser.add_argument("--warmup", type=float, default=30, help="warm-up seconds (30)")
    parser.add_argument("--interval", type=float, default=2, help="seconds between writes (2)")
    parser.add_argument("--sample", type=float, default=5, help="seconds between RSS samples (5)")
    parser.add_argument(
        "--visible-within", type=float, default=5, help="seconds a new post may take (5)"
    )
    add_load_options(parser)
    return Options(**vars(parser.parse_args()))


def main() -> None:
    # SIGTERM unwinds like Ctrl-C, so the server, wrk and the writer are stopped either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    options = parse_options()
    with tempfile.TemporaryDirectory(prefix="linernotes-soak-") as var:
        text, failed = soak(options, Path(var))
    print(text)
    if failed:
        print(f"\nFAILED: {'; '.join(failed)}.", file=sys.stderr)
        sys.exit(1)
    print("\nNo errors.", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; the server and its workers were stopped.")
