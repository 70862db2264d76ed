"""Test-only fault injection: kill this process at a named point, to test what a kill leaves.

``EXPLAINER_FAULT`` holds comma-separated names. ``point(name)`` kills the process with SIGKILL
when its name is listed (no cleanup, no ``finally``, as a power cut or an OOM kill would);
``active(name)`` says whether a name is listed, for switches such as ``no-exchange`` that make
the writer take its fallback path. Only the test suite sets the variable; unset, both cost one
environment lookup. The points are named where they are called (write.py, deploy.py).
"""

from __future__ import annotations

import os
import signal

VARIABLE = "EXPLAINER_FAULT"


def active(name: str) -> bool:
    value = os.environ.get(VARIABLE)
    return value is not None and name in value.split(",")


def point(name: str) -> None:
    if active(name):
        os.kill(os.getpid(), signal.SIGKILL)
