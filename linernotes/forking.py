"""Forking worker processes that share this process's memory instead of copying it.

Rendering runs in forked copies of the process that planned it (an import's bodies, a
build's pages). A forked child shares its parent's memory until either writes to a page, so
what the parent holds costs the machine once, not once per worker, as long as two things
are kept from touching it:

- the garbage collector, whose passes write to every object they visit: objects frozen
  before the fork are not visited;
- memory the parent freed but its allocator kept. CPython hands freed blocks back to the C
  allocator, and glibc's keeps most of them mapped, so after a large read (a first sync of
  ten thousand posts frees some 500 MB) the parent still holds it and every worker starts
  out sharing it. ``malloc_trim`` gives such pages back to the system.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def release_freed_memory() -> None:
    """Give memory this process has freed back to the system, where the C library can."""
    gc.collect()
    libc = _libc()
    # glibc only: other C libraries (musl, macOS) have no malloc_trim, and return freed
    # memory differently.
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def shared_with_workers() -> Iterator[None]:
    """Around starting forked workers: what this process holds stays shared with them."""
    release_freed_memory()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
