"""The only trafilatura importer: main text and metadata of a saved HTML page.

trafilatura's XML output keeps the structure we need (``head`` for sub-headings, ``p``, ``list``,
``quote``, ``table``), so the page's own headings become ``##`` lines instead of being guessed.
The XML is read with the standard library; each block keeps its position (1-based) so that
``--dry-run`` can say which block a rule removed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import trafilatura

from .text_decode import fix_text, normalise_space
from .text_types import Block


@dataclass
class HtmlPage:
    title: str = ""
    author: str = ""
    date: str = ""
    sitename: str = ""
    url: str = ""
    hostname: str = ""
    blocks: list[Block] = field(default_factory=list)


def extract_html(html: str) -> HtmlPage | None:
    """Run trafilatura; None when it finds no main text."""
    xml = trafilatura.extract(
        html, output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_formatting=False, deduplicate=False,
    )
    if not xml:
        return None
    root = ET.fromstring(xml)
    title, author, date, sitename, url, hostname = (_clean(root.get(key, "")) for key in
                                                    ("title", "author", "date", "sitename", "url", "hostname"))
    page = HtmlPage(title, author, date, sitename, url, hostname)
    main = root.find("main")
    if main is not None:
        page.blocks = _blocks(main)
    return page


def _clean(text: str) -> str:
    return normalise_space(fix_text(text))


def _blocks(main: ET.Element) -> list[Block]:
    """One block per line of each child; loose text between children (a tail) is a paragraph too."""
    pieces: list[tuple[str, str]] = [("p", line) for line in _lines(main.text or "")]
    for element in main:
        kind = "h" if element.tag == "head" else "p"
        pieces += [(kind, text) for text in _texts(element)]
        pieces += [("p", line) for line in _lines(element.tail or "")]
    return [Block(kind, text, number) for number, (kind, text) in enumerate(pieces, 1)]


def _lines(text: str) -> list[str]:
    return [line for raw in text.split("\n") if (line := _clean(raw))]


def _texts(element: ET.Element) -> list[str]:
    """The element's text as one or more lines: list items, table rows and <lb/> breaks split it."""
    if element.tag in ("list", "table", "quote") and len(element):
        children = [child for child in element if child.tag in ("item", "row", "p", "head", "list")]
        if children:
            return [text for child in children for text in _texts(child)]
    if element.tag == "row":
        return [" ".join(cell for child in element if (cell := _clean(_inner_text(child))))]
    return _lines(_inner_text(element))


def _inner_text(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inner_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
