"""A job queue on one daemon thread: what ThreadPoolExecutor(1) does, minus what stops Ctrl-C.

ThreadPoolExecutor's threads are joined when the interpreter exits, so a build stuck for good
(reading a FIFO, say) kept the process alive after "stopped". Here the thread is a daemon and
``shutdown`` waits a bounded time: the process ends whatever the job is doing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class Worker:
    """Runs submitted calls one at a time, in order, on its own daemon thread."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Queue ``function(*args)``; after ``shutdown`` the future comes back cancelled."""
        future: Future[T] = Future()
        if self._closed:
            future.cancel()
        else:
            self._jobs.put((future, function, args))
        return future

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, function, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = function(*args)
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self, timeout: float) -> bool:
        """Cancel the queued calls and wait up to ``timeout`` seconds for the running one.
        False: it is still running, and its thread is left to end with the process."""
        self._closed = True
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
        self._jobs.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()
