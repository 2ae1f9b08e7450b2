"""Forked workers: memory given back before forking, and batches worked on ahead."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from linernotes.forking import _libc
from linernotes.importers.parallel import map_batches_on_every_core, map_on_every_core
from tests.processes import run_python

# Twenty thousand texts of 10 kB with every fiftieth kept: the freed ones lie between live
# ones, so the C allocator cannot give them back by shrinking its heap from the top, as it
# does by itself, and holds about 190 MB that nothing uses.
FRAGMENTED_HEAP = """
import gc
from linernotes.forking import release_freed_memory

def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024

texts = ["x" * 10_000 + str(number) for number in range(20_000)]
kept = texts[::50]
del texts
gc.collect()
freed = rss_mib()
release_freed_memory()
print(freed, rss_mib())
"""


@pytest.mark.skipif(
    getattr(_libc(), "malloc_trim", None) is None or not Path("/proc/self/status").exists(),
    reason="needs glibc's malloc_trim and /proc",
)
def test_memory_freed_between_live_objects_goes_back_to_the_system() -> None:
    done = run_python(FRAGMENTED_HEAP)
    before, after = map(int, done.stdout.split())
    assert before > 150, "the freed texts should still be held before release"
    assert before - after > 150


def _note_start(folder: str, item: str) -> str:
    Path(folder, item).touch()
    return item.upper()


def test_results_come_batch_by_batch_in_order(tmp_path: Path) -> None:
    batches = [[f"b{batch}i{item}" for item in range(50)] for batch in range(3)]
    results = list(map_batches_on_every_core(_note_start, batches, str(tmp_path), total=150))
    assert results == [[item.upper() for item in batch] for batch in batches]
    assert map_on_every_core(_note_start, batches[0], str(tmp_path)) == results[0]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: no workers to go ahead")
def test_the_next_batch_is_worked_on_while_the_caller_holds_one(tmp_path: Path) -> None:
    """One batch ahead, never two: the third starts only once the caller asks for the second."""
    batches = [[f"b{batch}i{item}" for item in range(50)] for batch in range(3)]
    results = map_batches_on_every_core(_note_start, iter(batches), str(tmp_path), total=150)
    first = next(results)
    assert first == [item.upper() for item in batches[0]]
    second_started = {f"b1i{item}" for item in range(50)}
    deadline = time.monotonic() + 30
    while not second_started <= {path.name for path in tmp_path.iterdir()}:
        assert time.monotonic() < deadline, "the second batch was not worked on meanwhile"
        time.sleep(0.05)
    assert not any(path.name.startswith("b2") for path in tmp_path.iterdir())
    assert list(results) == [[item.upper() for item in batch] for batch in batches[1:]]
