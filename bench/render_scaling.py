"""Rendering time by body size: adversarial Markdown from 64 KiB to 1 MiB, shape by shape.

    .venv/bin/python bench/render_scaling.py [--shapes prose,code] [--source OTHER_CHECKOUT]

Each body is rendered by ``render_markdown()`` (Markdown, highlighting, sanitising, plain text
and word count: everything a save does) in a fresh process, after a warm-up render, and timed
in processor seconds (what a busy machine cannot inflate) and wall seconds. Rendering must be
linear: doubling the body should about double the time, so the table ends with the growth
from 512 KiB to 1 MiB. ``--source`` renders with another checkout of the project (the same run,
the same machine: a before and after); a render that passes ``--timeout`` ends its shape.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZES = [64 * 1024 * 2**step for step in range(5)]  # 64 KiB ... 1 MiB

PROSE = (
    "Kafka *brokers* keep **partitions** on disk; see [the docs](https://example.com/kafka) and "
    "set `acks=all` before you trust a write.\nWe measured it twice, on two clusters.\n\n"
)
CODE_LINE = "    total = sum(value * 2 for value in range(limit))  # doubled, then summed\n"
NESTED_LIST = "".join("  " * depth + f"- level {depth}\n" for depth in range(9))


def repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def numbered(template: str) -> Callable[[int], str]:
    """``template`` with a running number, repeated until ``size`` characters."""

    def make(size: int) -> str:
        parts, length, number = [], 0, 0
        while length < size:
            part = template.format(n=number)
            parts.append(part)
            length += len(part)
            number += 1
        return "".join(parts)[:size]

    return make


def footnotes(size: int) -> str:
    count = size // 24
    references = "".join(f"claim[^{n}] " for n in range(count))
    return references + "\n\n" + "".join(f"[^{n}]: note {n}\n" for n in range(count))


def demo_posts(size: int) -> str:
    posts = sorted((REPO / "linernotes/demo/posts").glob("*.md"))
    return repeat("\n\n".join(path.read_text(encoding="utf-8") for path in posts))(size)


def soup_of_formatting(size: int) -> str:
    opened = numbered("<b title={n}>")(size // 2)
    return f"<div>{opened}</div>" + repeat("<div>y</div>")(size // 2)


SHAPES: dict[str, Callable[[int], str]] = {
    "prose": repeat(PROSE),
    "demo posts": demo_posts,
    "code (one block)": lambda size: "```python\n" + repeat(CODE_LINE)(size) + "```\n",
    "code blocks": repeat("```python\n" + CODE_LINE * 3 + "```\n\n"),
    "punctuation": repeat("."),
    "punctuation mix": repeat("-_*~`!.,;:"),
    "paragraphs": repeat("y\n\n"),
    "identical headings": repeat("## Same\n\n"),
    "task list": repeat("- [ ] write it\n"),
    "nested lists": repeat(NESTED_LIST),
    "nested quotes": repeat("> " * 19 + "deep\n\n"),
    "links": repeat("[a](https://example.com/a) "),
    "reference links": numbered("[r{n}]: /u{n}\n[x][r{n}]\n\n"),
    "footnotes": footnotes,
    "table": lambda size: "| a | b | c |\n|:-|:-:|-:|\n" + repeat("| 1 | 2 | 3 |\n")(size),
    "wide table": lambda size: (
        "|a" * 200 + "|\n" + "|-" * 200 + "|\n" + repeat("|1" * 200 + "|\n")(size)
    ),
    "emphasis delimiters": repeat("*a **b "),
    "brackets": repeat("["),
    "images in brackets": repeat("!["),
    "entities": repeat("&amp;&#x27;&copy;\\*"),
    "HTML soup": repeat("<div><span><b><i>x"),
    "formatting soup": soup_of_formatting,
}

# Runs in the child: render stdin once to warm up caches and lexers, then time it.
CHILD = """
import json, sys, time
from linernotes.content.markdown import render_markdown
source = sys.stdin.read()
render_markdown("## Warm\\n\\n```python\\nx = 1\\n```\\n\\n| a |\\n|-|\\n| b |\\n")
cpu, wall = time.process_time(), time.perf_counter()
result = render_markdown(source)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "html": len(result.html)}))
"""


def render_once(source_tree: Path, body: str, timeout: float) -> dict[str, float] | None:
    """Processor and wall seconds of one render by the code in ``source_tree``; None if slow."""
    environment = {key: value for key, value in os.environ.items() if "DJANGO" not in key}
    try:
        completed = subprocess.run(
            [sys.executable, "-c", CHILD],
            cwd=source_tree,
            env=environment,
            input=body,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def measure(source_tree: Path, names: list[str], timeout: float) -> dict[str, list[str]]:
    """Per shape: a cell per size, then the growth of the last doubling."""
    rows: dict[str, list[str]] = {}
    for name in names:
        cells: list[str] = []
        cpu: list[float] = []
        for size in SIZES:
            timing = render_once(source_tree, SHAPES[name](size), timeout)
            if timing is None:
                cells.append(f"> {timeout:g} s")
                break
            cpu.append(timing["cpu"])
            cells.append(f"{timing['cpu']:.2f} ({timing['wall']:.2f})")
            print(f"{name} {size // 1024} KiB: {cells[-1]} s", file=sys.stderr, flush=True)
        cells += [""] * (len(SIZES) - len(cells))
        growth = f"{cpu[-1] / cpu[-2]:.1f}×" if len(cpu) == len(SIZES) else ""
        rows[name] = [*cells, growth]
    return rows


def print_table(rows: dict[str, list[str]]) -> None:
    sizes = [f"{size // 1024} KiB" if size < 1024**2 else "1 MiB" for size in SIZES]
    print("| shape | " + " | ".join(sizes) + " | growth 512 KiB → 1 MiB |")
    print("| --- |" + " ---: |" * (len(SIZES) + 1))
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--source", type=Path, default=REPO, help="checkout to render with")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per render")
    options = parser.parse_args()
    names = options.shapes.split(",") if options.shapes else list(SHAPES)
    unknown = sorted(set(names) - set(SHAPES))
    if unknown:
        parser.error(f"unknown shapes: {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    print(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}; rendering with {options.source.resolve()}"
    )
    print("Processor seconds per render (wall seconds in brackets).\n")
    print_table(measure(options.source.resolve(), names, options.timeout))


if __name__ == "__main__":
    main()
