"""Check an article before it is written, with the build's own loader and models (issue #19.3).

The importer must never write a file that ``check`` then rejects. Rather than a second copy of
the schema, the rendered article goes through the same steps as a file under content/articles/:
the loader's front matter split and YAML reading, then validate.parse_document.
"""

from __future__ import annotations

from ..errors import Severity, YamlError
from ..load import _parse_article  # the one front-matter split rule; reused, not copied
from ..validate import parse_document


def front_matter_problems(text: str, display: str) -> list[str]:
    """The build's error messages for this article text, as ``file:line: message``; [] if valid."""
    try:
        document = _parse_article(display, text)
    except YamlError as exc:
        return [exc.diagnostic.format()]
    parsed = parse_document(document)
    return [diagnostic.format() for diagnostic in parsed.diagnostics if diagnostic.severity is Severity.ERROR]
