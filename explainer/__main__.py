"""``python -m explainer`` and the installed ``explainer`` command: the same as ``python build.py``."""

from __future__ import annotations

import sys

from .cli import main


def run() -> None:
    """The ``explainer`` console command."""
    sys.exit(main())


if __name__ == "__main__":
    run()
