"""Bound the time one input may take (issue #25.5): an odd page must not stall a batch.

The limit is an interval timer whose signal raises TookTooLong in the main thread, between two
Python steps of the work; it needs no second process, so a batch of hundreds of pages keeps its
single start-up. Work inside one C call (one regular-expression match) is not interrupted: the
patterns editors may write are therefore checked when read (regex_guard). Outside the main
thread, or where the platform has no interval timer, no limit is set.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TookTooLong(Exception):
    """The input took longer than the limit; the message says how long that was."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TookTooLong inside the ``with`` body once ``seconds`` have passed."""
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TookTooLong(f"reading this file took longer than the limit of {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
