#!/usr/bin/env python3
"""Explainer's entry point: python build.py build|serve|check|import|import-vote|deploy ..."""

import sys

from explainer.cli import main

if __name__ == "__main__":
    sys.exit(main())
