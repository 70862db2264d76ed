"""Recognise an article that is already in the project, or earlier in the same batch (issue #25.3).

Two witnesses: the same canonical URL (front matter ``source_url``), or the same text. "The same
text" is measured on the cleaned body, not the file's bytes: the HTML and the flattened text of
one page, or a page saved twice with different advertisements, clean to nearly the same words.
Bodies are compared as sets of hashed 4-word shingles; SAME_TEXT of them shared means the same
article. Existing articles are read through fsguard (no links out, regular files only).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..fsguard import UnsafePath, check_inside, read_regular
from .language import tokens

SHINGLE = 4
SAME_TEXT = 0.8
SIZE_RATIO = 0.5  # a short brief inside a long page is not the same article
MAX_ARTICLE_BYTES = 5_000_000
_RAW = re.compile(r"^raw:\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)
_SOURCE_URL = re.compile(r"^source_url:\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)


def shingles(text: str) -> frozenset[int]:
    """Stable digests (crc32, never ``hash()``) of the body's overlapping 4-word runs (4
    characters in Chinese and Japanese, see language.tokens)."""
    words = [word.lower() for word in tokens(text)]
    runs = [words[i: i + SHINGLE] for i in range(max(len(words) - SHINGLE + 1, 1))] if words else []
    return frozenset(zlib.crc32(" ".join(run).encode("utf-8")) for run in runs)


def normal_url(url: str) -> str:
    """The URL without scheme, ``www.``, query, fragment and trailing slash."""
    url = re.sub(r"^https?://(?:www\.)?", "", url.strip().lower())
    return re.split(r"[?#]", url, maxsplit=1)[0].rstrip("/")


@dataclass
class DuplicateIndex:
    """Canonical URLs and body shingles of the articles known so far."""

    urls: dict[str, Path] = field(default_factory=dict)
    bodies: list[tuple[frozenset[int], Path]] = field(default_factory=list)
    raws: list[tuple[Path, Path]] = field(default_factory=list)  # (raw copy, its article)

    @classmethod
    def of_project(cls, root: Path) -> DuplicateIndex:
        index = cls()
        folder = root / "content" / "articles"
        named: dict[str, Path] = {}  # raw copy (as front matter `raw` writes it) -> article
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                text = read_regular(check_inside(root, path), MAX_ARTICLE_BYTES).decode("utf-8", "replace")
            except (OSError, UnsafePath):
                continue  # the build reports unreadable articles; here they simply match nothing
            front, _, body = text.partition("\n---\n")
            found = _SOURCE_URL.search(front)
            index.add(path, found.group(1) if found else "", body)
            if (raw := _RAW.search(front)) is not None:
                named[raw.group(1)] = path
        raw_folder = root / "content" / "raw"
        for raw_copy in sorted(raw_folder.iterdir()) if raw_folder.is_dir() else []:
            # content/raw/<slug>.<ext> is the input of content/articles/<slug>.md, even after the
            # article's front matter was edited by hand.
            if raw_copy.is_file() and not raw_copy.is_symlink():
                article = named.get(f"content/raw/{raw_copy.name}", folder / f"{raw_copy.name.split('.')[0]}.md")
                index.raws.append((raw_copy, article if article.exists() else raw_copy))
        return index

    def add(self, path: Path, url: str, body: str) -> None:
        if url:
            self.urls.setdefault(normal_url(url), path)
        self.bodies.append((shingles(body), path))

    def find(self, url: str, body: str, raw: bytes = b"") -> tuple[Path, str] | None:
        """The known article this one duplicates, and why; None when it is new."""
        for raw_copy, article in self.raws:
            if raw and _same_bytes(raw_copy, raw):
                return article, "same file as its raw copy"
        if url and normal_url(url) in self.urls:
            return self.urls[normal_url(url)], "same canonical URL"
        mine = shingles(body)
        if not mine:
            return None
        for theirs, path in self.bodies:
            smaller, larger = sorted((len(mine), len(theirs)))
            if smaller >= SIZE_RATIO * larger and len(mine & theirs) >= SAME_TEXT * smaller:
                return path, "same text"
        return None


def _same_bytes(path: Path, data: bytes) -> bool:
    """Whether a raw copy holds exactly ``data`` (sizes first: most raw copies are never read)."""
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False
