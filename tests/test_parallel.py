"""explainer.parallel: chunks mapped over forked workers, shared data inherited, never pickled."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator, Sequence

import pytest

from explainer import parallel


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    """map_chunks freezes the parent's objects for its workers; pipeline.build unfreezes them."""
    yield
    gc.unfreeze()


class Unpicklable:
    """Shared data that would fail if anything tried to send it to a worker by pickling."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("the shared data must reach the workers through fork, not pickle")


def tag_and_pid(shared: Unpicklable, indices: Sequence[int]) -> list[tuple[int, str, int]]:
    return [(index, shared.tag, os.getpid()) for index in indices]


def fail_on_seven(shared: object, indices: Sequence[int]) -> list[int]:
    if 7 in indices:
        raise ValueError("seven")
    return list(indices)


def test_results_come_back_in_index_order_from_forked_workers() -> None:
    results = parallel.map_chunks(tag_and_pid, Unpicklable("a"), 50, min_items=1, workers=2)
    assert [index for index, _, _ in results] == list(range(50))
    assert {tag for _, tag, _ in results} == {"a"}
    assert os.getpid() not in {pid for _, _, pid in results}


def test_small_jobs_run_in_this_process() -> None:
    results = parallel.map_chunks(tag_and_pid, Unpicklable("b"), 10, min_items=400, workers=2)
    assert results == [(index, "b", os.getpid()) for index in range(10)]
    assert parallel.map_chunks(tag_and_pid, Unpicklable("c"), 900, workers=1)[-1] == (899, "c", os.getpid())


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        parallel.map_chunks(fail_on_seven, None, 40, min_items=1, workers=2)


def test_two_maps_at_once_keep_their_own_shared_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview builds in a thread while another build may run: no map sees the other's data.

    The barrier holds both threads just before their pools fork, after each has handed over its
    data: with one module-level slot for the data, both pools would inherit the same object."""
    barrier = threading.Barrier(2, timeout=30)
    trim = parallel._return_freed_memory
    monkeypatch.setattr(parallel, "_return_freed_memory", lambda: (barrier.wait(), trim()))
    found: dict[str, set[str]] = {}

    def run(tag: str) -> None:
        found[tag] = {seen for _, seen, _ in parallel.map_chunks(tag_and_pid, Unpicklable(tag), 20, min_items=1,
                                                                 workers=2)}

    threads = [threading.Thread(target=run, args=(tag,)) for tag in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert found == {"first": {"first"}, "second": {"second"}}


def test_worker_count_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLAINER_WORKERS", "3")
    assert parallel.worker_count() == 3
    monkeypatch.setenv("EXPLAINER_WORKERS", "0")
    assert parallel.worker_count() == 1
    monkeypatch.setenv("EXPLAINER_WORKERS", "many")
    assert 1 <= parallel.worker_count() <= 8


def test_chunks_cover_every_index_once() -> None:
    for count, pieces in ((1, 8), (7, 3), (100, 8), (8, 100)):
        chunks = parallel._chunks(count, pieces)
        assert [index for chunk in chunks for index in chunk] == list(range(count))
        assert len(chunks) <= pieces
