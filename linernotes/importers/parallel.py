"""Work over many items on every core: rendering bodies, converting HTML.

That work is pure Python, so threads would take turns; forked processes each get a core. The
workers start as copies of this process (Django set up, the pipeline built) and are handed
``shared`` once, not with every item; they must not use the database.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

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
    workers = min(len(os.sched_getaffinity(0)), max(1, len(items) // PER_PROCESS))
    if workers < 2:
        return [work(shared, item) for item in items]
    context = multiprocessing.get_context("fork")
    # The garbage collector writes to every object it visits, which would copy the parent's
    # memory (the whole import) into each worker; frozen objects are not visited.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(work, shared)
        ) as pool:
            return list(pool.map(_run, items, chunksize=CHUNK))
    finally:
        gc.unfreeze()
