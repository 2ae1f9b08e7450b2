"""Progress of long commands: a rich bar on a terminal, a few plain lines anywhere else.

Commands report ``(stage, done, total)`` as they go. On a terminal each stage gets a bar; in
logs and CI each stage prints when it starts, at every tenth of the way and when it ends, so a
command over thousands of items stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import IO, Any, cast

PLAIN_STEPS = 10
# What a long operation is given to report with: (stage, done, total).
Progress = Callable[[str, int, int], None]
# Called once per item done, with the item's name.
Advance = Callable[[str], None]


class StageProgress:
    def __init__(self, out: Any) -> None:
        """``out`` is a command's ``self.stdout`` (Django's OutputWrapper) or a text stream."""
        self.out = out
        self.terminal = bool(getattr(out, "isatty", lambda: False)())
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._printed: dict[str, int] = {}

    def __enter__(self) -> StageProgress:
        if self.terminal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            stream = cast("IO[str]", getattr(self.out, "_out", self.out))
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(file=stream),
                transient=True,
            )
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is not None:
            task = self._tasks.get(stage)
            if task is None:
                task = self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(task, completed=done, total=total)
            return
        step = done * PLAIN_STEPS // total if total else PLAIN_STEPS
        if self._printed.get(stage) == step:
            return
        self._printed[stage] = step
        self.out.write(f"{stage}: [{done}/{total}]")


@contextmanager
def counted_progress(out: Any, label: str, total: int) -> Iterator[Advance]:
    """Progress over ``total`` items of one kind: call the function given once per item."""
    done = 0
    with StageProgress(out) as progress:

        def advance(name: str) -> None:
            nonlocal done
            done += 1
            progress(label, done, total)

        yield advance
