"""Work over many items on every core: rendering bodies, converting HTML.

That work is pure Python, so threads would take turns; forked processes each get a core. The
workers start as copies of this process (Django set up, the pipeline built) and are handed
``shared`` once, not with every item; they must not use the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from linernotes.forking import shared_with_workers

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per process, starting the processes costs more than it saves.
PER_PROCESS = 40
CHUNK = 16

_work: Callable[[Any, Any], Any] | None = None
_shared: Any = None


def _start(work: Callable[[Any, Any], Any], shared: Any) -> None:
    global _work, _shared
    _work, _shared = work, shared


def _run(item: Any) -> Any:
    assert _work is not None
    return _work(_shared, item)


def map_on_every_core(
    work: Callable[[Any, Item], Result], items: Sequence[Item], shared: Any
) -> list[Result]:
    """``[work(shared, item) for item in items]``, in order, spread over the cores.

    ``work`` must be a module-level function (the workers find it by name).
    """
    batches = map_batches_on_every_core(work, [items], shared, total=len(items))
    return [result for batch in batches for result in batch]


def map_batches_on_every_core(
    work: Callable[[Any, Item], Result],
    batches: Iterable[Sequence[Item]],
    shared: Any,
    *,
    total: int,
) -> Iterator[list[Result]]:
    """Each batch's ``[work(shared, item) for item in batch]`` in turn, spread over the cores.

    The workers go on with the next batch while the caller handles the one it was given (an
    import writes one batch while the next renders). ``batches`` is read one batch ahead, and
    no more than two batches' results are held at a time; ``total`` is how many items they
    hold in all.
    """
    workers = min(len(os.sched_getaffinity(0)), max(1, total // PER_PROCESS))
    if workers < 2:
        for batch in batches:
            yield [work(shared, item) for item in batch]
        return
    context = multiprocessing.get_context("fork")
    # The workers share the parent's memory (the whole import) rather than copying it.
    with (
        shared_with_workers(),
        ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(work, shared)
        ) as pool,
    ):
        submitted: deque[Iterator[Result]] = deque()
        for batch in batches:
            submitted.append(pool.map(_run, batch, chunksize=CHUNK))
            if len(submitted) == 2:
                yield list(submitted.popleft())
        while submitted:
            yield list(submitted.popleft())
