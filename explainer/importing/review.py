"""The articles an editor still has to review: those whose front matter ``review`` is not empty.

The importer lists there what it guessed (source, title, date; issue #25.1); ``check`` prints one
line per such article until the editor confirms the values and removes the entries.
"""

from __future__ import annotations

from ..resolved import Site


def review_lines(site: Site | None) -> list[str]:
    """``to review: content/articles/x.md (source, title)`` for each article, in path order."""
    if site is None:
        return []
    waiting = sorted((article.path, article.meta.review) for article in site.articles.values() if article.meta.review)
    if not waiting:
        return []
    lines = [f"to review: {path} ({', '.join(fields)}): the importer guessed these; check them, then "
             "delete the `review` entries" for path, fields in waiting]
    return lines + [f"{len(waiting)} article{'s' * (len(waiting) != 1)} to review"]
