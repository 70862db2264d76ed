"""The slug rule of the importers: article file names and new actor ids."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX = 80


def slugify(title: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens, cut at a word boundary."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower().replace("'", "").replace("’", "")).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX + 1] else slug[:SLUG_MAX]
    return slug.strip("-") or "article"
