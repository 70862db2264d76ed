"""What a saved HTML page says about itself, each value with where it was found.

trafilatura fills its ``sitename`` from the URL's host when the page names no site, so it cannot
tell the dry-run report where a source came from (issue #25.1). These few readers look at the
page's own declarations instead: ``og:site_name``, the publisher (or ``isPartOf``) name in
JSON-LD, ``application-name``, the canonical URL (``<link rel=canonical>``, else ``og:url``).
Only the first MAX_HEAD_CHARS characters are searched, where pages keep these tags.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_HEAD_CHARS = 300_000

_TAG_ATTRS = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_JSON_LD = re.compile(r"""<script\b[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""",
                      re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Found:
    """A value and the words that say where it came from (shown by --dry-run)."""

    value: str
    origin: str


def _attrs(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value.strip("\"'")).strip() for name, value in _TAG_ATTRS.findall(tag)}


def _meta(head: str) -> dict[str, str]:
    """``property``/``name`` -> ``content`` of every meta tag (the first of each name wins)."""
    found: dict[str, str] = {}
    for tag in _META.findall(head):
        attrs = _attrs(tag)
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key and attrs.get("content") and key not in found:
            found[key] = attrs["content"]
    return found


def site_name(page: str) -> Found | None:
    """The outlet's name as the page declares it."""
    head = page[:MAX_HEAD_CHARS]
    meta = _meta(head)
    if meta.get("og:site_name"):
        return Found(meta["og:site_name"], "the page's og:site_name")
    publisher = _json_ld_publisher(head)
    if publisher:
        return Found(publisher, "the publisher named in the page's JSON-LD")
    if meta.get("application-name"):
        return Found(meta["application-name"], "the page's application-name")
    return None


def canonical_url(page: str) -> Found | None:
    """The page's canonical URL (http or https only)."""
    head = page[:MAX_HEAD_CHARS]
    for tag in _LINK.findall(head):
        attrs = _attrs(tag)
        if "canonical" in attrs.get("rel", "").lower().split() and _is_web_url(attrs.get("href", "")):
            return Found(attrs["href"], "the page's canonical link")
    url = _meta(head).get("og:url", "")
    return Found(url, "the page's og:url") if _is_web_url(url) else None


def host_name(url: str) -> str:
    """``www.example.org`` -> ``example.org``: a readable stand-in for the outlet's name."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"[\s<>\"]", url)


def _json_ld_publisher(head: str) -> str | None:
    for block in _JSON_LD.findall(head):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        name = _publisher_in(data, depth=0)
        if name:
            return name
    return None


def _publisher_in(data: Any, depth: int) -> str | None:
    """The first ``publisher.name`` (or ``isPartOf.name``) in a JSON-LD tree, depth-limited."""
    if depth > 6:
        return None
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("publisher", "isPartOf", "sourceOrganization"):
            value = item.get(key)
            value = value[0] if isinstance(value, list) and value else value
            name = value.get("name") if isinstance(value, dict) else None
            if isinstance(name, str) and name.strip():
                return name.strip()
        for value in item.values():
            if isinstance(value, (dict, list)):
                found = _publisher_in(value, depth + 1)
                if found:
                    return found
    return None
