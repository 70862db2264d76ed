"""Where the default theme and the JSON Schemas are, installed or in a source checkout.

Stdlib only: ``freshness`` reads this before any heavy module is imported.

The repository keeps the default theme in the top-level ``templates/`` and the schemas in
``schemas/``. A wheel carries them inside the package as ``explainer/templates/`` and
``explainer/schemas/`` (setup.py copies them at build time, so there is no second copy in the
repository). An editable install or ``python build.py`` in a checkout has no such folders in the
package and uses the ones beside it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _located(name: str) -> Path:
    """``explainer/<name>/`` of an installed wheel, else ``<name>/`` beside the package."""
    package = Path(str(files(__package__ or "explainer")))
    inside = package / name
    return inside if inside.is_dir() else package.parent / name


# Computed once at import; both are plain paths, never changed afterwards.
PACKAGE_TEMPLATES = _located("templates")
PACKAGE_SCHEMAS = _located("schemas")
