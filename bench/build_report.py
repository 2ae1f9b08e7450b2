"""The Markdown report of ``build.py``: a table per corpus size, the files each side wrote,
and where Liner Notes' time went (its build prints a "Time:" line of stages)."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

KINDS = (
    "HTML pages", "cards fragments", "feeds and sitemaps", "precompressed .gz/.br", "static/",
    "pagefind/", "placeholder/", "other", "all",
)  # fmt: skip


WATCH_PAGE = "… with `build --watch` running: edit to the post's page rewritten"
WATCH_LINE = "… with `build --watch` running: edit to its `Built` line"


def _seconds(run: Any) -> str:
    return f"{run.seconds:.2f}" if run.seconds < 10 else f"{run.seconds:.1f}"


def _mib(run: Any) -> str:
    return f"{run.pss_mib:,.0f} ({run.rss_mib:,.0f})"


def _row(label: str, hugo: Any, ours: Any, *, memory: bool = True) -> str:
    ratio = f"{ours.seconds / hugo.seconds:.2f}" if hugo is not None else ""
    hugo_s = _seconds(hugo) if hugo is not None else ""
    if memory and hugo is not None:
        mem = f"{_mib(hugo)} / {_mib(ours)}"
        cpu = f"{hugo.cpu:.1f} / {ours.cpu:.1f}"
    elif memory:
        mem, cpu = f"– / {_mib(ours)}", f"– / {ours.cpu:.1f}"
    else:
        mem = cpu = ""
    shares = [run.others for run in (hugo, ours) if run is not None]
    others = " / ".join(f"{share:.0%}" for share in shares)
    return f"| {label} | {hugo_s} | {_seconds(ours)} | {ratio} | {mem} | {cpu} | {others} |"


def render(sizes: list[Any], header: str) -> str:
    out = [f"Machine: {header}.", ""]
    for size in sizes:
        rows = size.rows
        hugo_cold, hugo_again = rows["hugo cold"], rows["hugo rebuild"]
        out += [
            f"### {size.posts:,} posts",
            "",
            "| step | Hugo s | Liner Notes s | ratio | peak PSS (RSS) MiB, Hugo / LN "
            "| CPU s (Hugo / LN) | others' CPU |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            _row("cold build", hugo_cold, rows["ln cold"]),
            _row("rebuild after editing one post: a new `build`", hugo_again, rows["ln rebuild"]),
            _row(WATCH_PAGE, hugo_again, rows["watch page"], memory=False),
            _row(WATCH_LINE, hugo_again, rows["watch report"], memory=False),
            _row("`content sync`, whole folder, first time", None, rows["sync first"]),
            _row("`content sync`, one changed file", None, rows["sync one"]),
            _row("start-up: `linernotes check` (does nothing)", None, rows["startup"]),
            "",
            "| files written | Hugo | Liner Notes |",
            "| --- | ---: | ---: |",
        ]
        for kind in KINDS:
            hugo, ours = size.files["Hugo"][kind], size.files["Liner Notes"][kind]
            out.append(f"| {kind} | {hugo:,} | {ours:,} |")
        out += ["", "Liner Notes' own lines:", ""]
        for label, key in (
            ("cold", "ln cold"), ("rebuild", "ln rebuild"), ("watch", "watch report")
        ):  # fmt: skip
            run = rows[key]
            built = [line for line in run.stdout.splitlines() if line.startswith("Built")]
            stages = [line for line in run.stdout.splitlines() if line.startswith("Time:")]
            content = [line for line in run.stdout.splitlines() if line.startswith("Content:")]
            for line in [*content[:1], *built[-3:], *stages[-3:]]:
                out.append(f"- {label}: `{line}`")
        out.append(f"- sync: `{rows['sync one'].stdout.strip().splitlines()[-1]}`")
        out.append(
            f"- watch, each edit to page / to Built line (s): {rows['watch page'].note} / "
            f"{rows['watch report'].note}"
        )
        notes = [run.note for key, run in rows.items() if run.note and not key.startswith("w")]
        out += [f"- note: {note}" for note in notes]
        out += [f"- problem: {problem}" for problem in size.problems]
        out.append("")
    return "\n".join(out)


def output_files(root: Path) -> Counter[str]:
    """The files of a build, by kind."""
    kinds: Counter[str] = Counter()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        top, suffix = path.relative_to(root).parts[0], path.suffix
        if top in ("static", "pagefind", "placeholder"):
            kinds[f"{top}/"] += 1
        elif suffix in (".gz", ".br"):
            kinds["precompressed .gz/.br"] += 1
        elif path.name == "cards.html":
            kinds["cards fragments"] += 1
        elif suffix == ".html":
            kinds["HTML pages"] += 1
        elif suffix in (".xml", ".json"):
            kinds["feeds and sitemaps"] += 1
        else:
            kinds["other"] += 1
    kinds["all"] = sum(kinds.values())
    return kinds


def machine(hugo: str) -> str:
    models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return (
        f"{len(os.sched_getaffinity(0))} CPUs, {models[0] if models else platform.machine()}, "
        f"{memory:.0f} GiB; Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{hugo}; load average {os.getloadavg()[0]:.2f} at the start; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
