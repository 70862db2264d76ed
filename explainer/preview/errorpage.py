"""What a build's outcome looks like: lines for the terminal, and the page the browser shows
while the build is broken (every diagnostic with file, line and the offending source line)."""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import Diagnostic
from ..fsguard import UnsafePath, read_regular
from .outcome import Outcome

EXCERPT_LIMIT = 64 << 20  # bytes of a source file read to quote a line of it


def describe(outcome: Outcome, root: Path, strict: bool = False) -> list[str]:
    """Terminal lines for an outcome."""
    names = ", ".join(_display(root, p) for p in outcome.changed[:3]) + (" ..." if len(outcome.changed) > 3 else "")
    because = f" after a change to {names}" if names else ""
    lines = [d.format() for d in outcome.report.sorted()]
    if outcome.ok:
        warnings = len(outcome.report.warnings)
        redone = f" ({outcome.rendered} rendered again)" if outcome.rendered < outcome.pages else ""
        lines.append(f"built {outcome.pages} pages{redone} in {outcome.seconds:.2f}s{because}"
                     + (f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""))
        return lines
    if outcome.internal:
        lines += [outcome.internal.rstrip(), "this is a bug in Explainer, not in your content: please report it"]
    elif not outcome.report.diagnostics:
        lines.append(f"error: {outcome.message}")
    if strict and outcome.report.warnings and not outcome.report.errors:
        lines.append("(warnings are errors under --strict)")
    lines.append(f"build failed{because}: the browser shows the errors; the site on disk is the last good "
                 "build and is not in sync with your files until you fix them")
    return lines


def _display(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


_PAGE_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{color:#a00;font-size:1.6rem} li{margin:.8rem 0} code,pre{font:14px/1.4 ui-monospace,monospace}
.where{font-weight:bold} .hint{color:#555} pre{background:#f6f6f6;padding:.6rem;overflow:auto}
mark{background:#fdd}
"""


def error_page(outcome: Outcome) -> bytes:
    """An HTML page listing every diagnostic with file, line, message and the source line."""
    items = "".join(_diagnostic_item(d, outcome.project.root) for d in outcome.report.sorted())
    if outcome.internal:
        items += ("<li><span class=where>internal error</span>: this is a bug in Explainer, not in your "
                  f"content.<pre>{html.escape(outcome.internal)}</pre></li>")
    elif not items:
        items = f"<li>{html.escape(outcome.message)}</li>"
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<title>Build failed · Explainer preview</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        "<h1>The site could not be rebuilt</h1>"
        "<p>Fix the problem below and save: this page reloads by itself. Until then the output folder "
        "keeps the last good build, which is not in sync with your files.</p>"
        f"<ul>{items}</ul></body></html>\n"
    ).encode()


def _diagnostic_item(diagnostic: Diagnostic, root: Path) -> str:
    hint = f' <span class=hint>— {html.escape(diagnostic.hint)}</span>' if diagnostic.hint else ""
    excerpt = _excerpt(root, diagnostic.location.path, diagnostic.location.line)
    return (f"<li><code class=where>{html.escape(str(diagnostic.location))}</code> "
            f"{diagnostic.severity.value}: {html.escape(diagnostic.message)}{hint}{excerpt}</li>")


def _excerpt(root: Path, path: str, line: int, context: int = 2) -> str:
    """The offending line with a little context, if the file is inside the project."""
    source = (root / path).resolve()
    if not line or not source.is_relative_to(root.resolve()) or not source.is_file():
        return ""
    try:
        lines = read_regular(source, EXCERPT_LIMIT).decode("utf-8", errors="replace").splitlines()
    except (OSError, UnsafePath):  # gone, or not a regular file any more: no excerpt
        return ""
    first = max(line - 1 - context, 0)
    shown = []
    for number, text in enumerate(lines[first: line + context], start=first + 1):
        row = html.escape(f"{number:4} | {text}")
        shown.append(f"<mark>{row}</mark>" if number == line else row)
    return f"<pre>{chr(10).join(shown)}</pre>" if shown else ""

