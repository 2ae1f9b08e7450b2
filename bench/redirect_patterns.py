"""Redirect patterns: what one 404 can cost with many regex rules, RE2 against Python's re.

    .venv/bin/python bench/redirect_patterns.py [--rules 200] [--budget 30]

On a 404 the redirect middleware tries every regex rule, in order, until one matches, so the
worst case is a path that no rule matches and that makes every rule work as hard as it can.
For each shape below, ``--rules`` distinct rules of that shape (they differ only in a literal
at the end, so none matches) are tried on such a path, of each length in ``--lengths``, with
the engine the site uses: ``compile_rule_pattern()``, RE2 through google-re2, with the same
options and the same match-then-groups split as the middleware. The peer is Python's re, which
ran the rules before: it gets only the shapes its save-time checker accepted (at most three
unbounded repeats, no repeated group holding a repeat or ``|``), and only the paths it could
be given (up to 400 characters). It runs in a child process that is stopped after
``--budget`` seconds; a slower 404 is scaled up from the rules it finished, or reported as
longer than the budget when it did not finish one. Times are milliseconds per 404, the median
over ``--repeats`` paths (for RE2 each a fresh random path, so no cache of its DFA helps). The
last column shows what the split between testing for a match and reading groups saves: the
same 404 with every rule reading its groups as it matches.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linernotes.seo.patterns import MAX_REGEX_PATH_LENGTH, compile_rule_pattern

OLD_PATH_CAP = 400


@dataclass(frozen=True)
class Shape:
    name: str
    pattern: str  # "{tag}" makes each rule distinct and keeps every rule from matching
    path: Callable[[int, random.Random], str]  # an adversarial path of a given length
    old_checker_accepted: bool


def _repeat(letters: str) -> Callable[[int, random.Random], str]:
    def path(length: int, rng: random.Random) -> str:
        return "/" + "".join(rng.choice(letters) for _ in range(length - 1))

    return path


SHAPES = [
    Shape("three stars", r"^/a*a*a*{tag}$", _repeat("a"), True),
    Shape("three word runs", r"^/\w*\w*\w*{tag}$", _repeat("ab1_"), True),
    Shape("three groups", r"^/(.*)a(.*)a(.*)a{tag}$", _repeat("a"), True),
    Shape("counted and stars", r"^/a{{0,30}}a{{0,30}}a*a*a*{tag}$", _repeat("a"), True),
    Shape("nested repeat", r"^/(a+)+{tag}$", _repeat("a"), False),
    Shape("repeated alternatives", r"^/(a|aa)*{tag}$", _repeat("a"), False),
    # Counted repeats nested up to the size limit: RE2's DFA cannot keep their states.
    Shape("large program", r"^/((a|b|c|d|e|f|g){{1,19}}){{1,19}}{tag}$", _repeat("abcdefg"), False),
    Shape("word runs nested", r"^/(\w{{1,19}}){{1,19}}{tag}$", _repeat("ab1_"), False),
    # A DFA of a million states: every new path needs new ones.
    Shape("huge DFA", r"^/[ab]*a[ab]{{20}}{tag}$", _repeat("ab"), True),
    Shape("ordinary rules", r"^/blog/{tag}/(\d{{4}})/(\d{{2}})/([\w-]+)/$", _repeat("ab-"), True),
]


def tags(count: int) -> list[str]:
    return [f"z{index}" for index in range(count)]


def time_re2(
    shape: Shape, length: int, rules: int, repeats: int, *, groups: bool = False
) -> list[float]:
    """Milliseconds per 404; with ``groups``, as if every rule read its groups while matching."""
    compiled = [compile_rule_pattern(shape.pattern.format(tag=tag)) for tag in tags(rules)]
    matchers = [pattern.capture if groups else pattern for pattern in compiled]
    rng = random.Random(length)
    samples = []
    for _ in range(repeats + 1):
        path = shape.path(length, rng)
        started = time.perf_counter()
        for matcher in matchers:
            assert matcher.fullmatch(path) is None
        samples.append((time.perf_counter() - started) * 1000)
    return samples[1:]  # the first path also builds the DFAs' first states


def _re_child(pattern: str, rules: int, path: str, progress: Connection) -> None:
    for tag in tags(rules):
        compiled = re.compile(pattern.format(tag=tag))
        started = time.perf_counter()
        assert compiled.fullmatch(path) is None
        progress.send(time.perf_counter() - started)


def time_re(shape: Shape, length: int, rules: int, budget: float) -> tuple[float | None, int]:
    """Milliseconds for one 404 over ``rules`` rules (None: not one rule within the budget)."""
    receiving, sending = multiprocessing.Pipe(duplex=False)
    path = shape.path(length, random.Random(length))
    child = multiprocessing.Process(target=_re_child, args=(shape.pattern, rules, path, sending))
    child.start()
    deadline, seconds = time.monotonic() + budget, list[float]()
    while len(seconds) < rules and receiving.poll(max(0.0, deadline - time.monotonic())):
        seconds.append(receiving.recv())
    child.kill()
    child.join()
    if not seconds:
        return None, 0
    return sum(seconds) / len(seconds) * rules * 1000, len(seconds)


def milliseconds(value: float) -> str:
    return f"{value:,.3f}" if value < 1 else f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def re_cell(shape: Shape, rules: int, budget: float) -> str:
    if not shape.old_checker_accepted:
        return "refused"
    total, finished = time_re(shape, OLD_PATH_CAP, rules, budget)
    if total is None:
        return f"> {budget:,.0f} s per rule"
    return milliseconds(total) if finished == rules else f"≈ {milliseconds(total)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--lengths", default=f"{OLD_PATH_CAP},{MAX_REGEX_PATH_LENGTH},8192")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per re measurement")
    options = parser.parse_args()
    lengths = [int(length) for length in options.lengths.split(",")]

    header = ["shape", "pattern", f"re, {OLD_PATH_CAP}"] + [f"RE2, {n:,}" for n in lengths]
    header.append(f"RE2 reading groups, {MAX_REGEX_PATH_LENGTH:,}")
    print("| " + " | ".join(header) + " |")
    print("| --- | --- |" + " ---: |" * (len(header) - 2))
    for shape in SHAPES:
        pattern = shape.pattern.format(tag="z1").replace("|", "\\|")
        cells = [shape.name, f"`{pattern}`"]
        cells.append(re_cell(shape, options.rules, options.budget))
        for length in lengths:
            samples = time_re2(shape, length, options.rules, options.repeats)
            cells.append(milliseconds(statistics.median(samples)))
        samples = time_re2(
            shape, MAX_REGEX_PATH_LENGTH, options.rules, options.repeats, groups=True
        )
        cells.append(milliseconds(statistics.median(samples)))
        print("| " + " | ".join(cells) + " |", flush=True)
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print(
        f"\n{options.rules} rules per shape; milliseconds per 404, median of {options.repeats} "
        f"paths. Peak memory {int(peak) // 1024} MiB. Machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}."
    )


if __name__ == "__main__":
    main()
