"""Spread pure work over the machine's cores with forked worker processes.

Workers are forked, so they inherit the parent's data (the resolved site, compiled
templates' sources, matchers) without pickling it; only small index chunks go to them and
only results come back. Small jobs run in-process: forking costs more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")


def worker_count() -> int:
    configured = os.environ.get("EXPLAINER_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


class _Worker:
    """What one worker process holds: the shared data, handed over by fork, never pickled.

    ProcessPoolExecutor passes ``initargs`` to a forked worker as part of the process object the
    child inherits, so ``_adopt`` receives the parent's object itself. It keeps it here, in the
    worker's own memory: the parent process sets nothing, so two maps at once (the preview's
    build thread and a command) cannot see each other's data. Each worker lives for one map.
    """

    shared: Any = None


def _adopt(shared: Any, parent: int) -> None:
    """Worker initializer: keep the inherited data; never collect garbage (see map_chunks)."""
    gc.disable()
    _Worker.shared = shared
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Linux: end this worker when the build that forked it is killed (SIGKILL gives the parent
    no chance to stop its pool, and orphans would hold the staging folder's lock)."""
    try:
        import ctypes  # here: a Python without ctypes still builds

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        return
    if os.getppid() != parent:  # killed before prctl took effect
        os._exit(1)


def _run(func: Callable[[Any, Sequence[int]], list[R]], chunk: Sequence[int]) -> list[R]:
    return func(_Worker.shared, chunk)


def map_chunks(func: Callable[[Any, Sequence[int]], list[R]], shared: Any, count: int, *,
               min_items: int = 400, workers: int | None = None) -> list[R]:
    """``func(shared, indices)`` over ``range(count)`` in chunks; results in index order (see
    ``each_chunk``)."""
    return [item for part in each_chunk(func, shared, count, min_items=min_items, workers=workers) for item in part]


def each_chunk(func: Callable[[Any, Sequence[int]], list[R]], shared: Any, count: int, *,
               min_items: int = 400, workers: int | None = None) -> Iterator[list[R]]:
    """``func(shared, indices)`` over ``range(count)`` in chunks, each chunk's results as it is
    done, in index order (so a caller can shrink them before the next arrives).

    ``func`` must be a module-level function (it is sent to workers by reference); ``shared``
    reaches the workers through fork, unpickled. Below ``min_items`` forking costs more than it
    saves on two cores (measured on the example site).
    """
    workers = worker_count() if workers is None else max(1, workers)
    if count < min_items or workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield func(shared, range(count))
        return
    _return_freed_memory()
    # Frozen objects are skipped by the collector: a worker collecting garbage would otherwise
    # walk, and so copy page by page, the whole heap it inherited. Workers never collect at
    # all: they live for one map, and their garbage goes with them. The parent's objects stay
    # frozen until pipeline.build unfreezes them at its end.
    gc.freeze()
    chunks = _chunks(count, workers * 4)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_adopt,
                             initargs=(shared, os.getpid())) as pool:
        yield from pool.map(_run, [func] * len(chunks), chunks)


def _return_freed_memory() -> None:
    """Give the heap pages the allocator keeps free back to the system (glibc only).

    A forked worker starts out with every resident page of the parent, free ones included:
    at 5,000 articles, after the parent dropped the articles' Markdown, that was 47 MiB in each
    render worker (its peak 334 -> 284 MiB).
    """
    try:
        import ctypes  # here: a Python built without ctypes builds all the same

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (ImportError, OSError, AttributeError):
        return  # not glibc: nothing to give back this way
    trim(0)


def _chunks(count: int, pieces: int) -> list[range]:
    size = max(1, -(-count // pieces))
    return [range(start, min(count, start + size)) for start in range(0, count, size)]
