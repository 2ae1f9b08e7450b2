"""Progress of long commands: a few plain lines off a terminal, a bar on one."""

from __future__ import annotations

import io

from linernotes.console import StageProgress, counted_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_each_stage_prints_at_every_tenth() -> None:
    out = io.StringIO()
    with StageProgress(out) as progress:
        for done in range(1001):
            progress("rendering posts", done, 1000)
    lines = out.getvalue().replace("\n", "").split("rendering posts: ")[1:]
    assert lines[0] == "[0/1000]"
    assert lines[-1] == "[1000/1000]"
    assert len(lines) == 11


def test_counted_progress_counts_each_item_once() -> None:
    out = io.StringIO()
    with counted_progress(out, "Renditions", 3) as advance:
        for name in ("a", "b", "c"):
            advance(name)
    assert out.getvalue() == "Renditions: [1/3]Renditions: [2/3]Renditions: [3/3]"


def test_on_a_terminal_a_bar_is_drawn_and_no_plain_lines() -> None:
    out = Terminal()
    with StageProgress(out) as progress:
        progress("importing", 5, 10)
    assert "importing: [" not in out.getvalue()
    assert "importing" in out.getvalue() or out.getvalue() == ""
