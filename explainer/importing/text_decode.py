"""Turn the bytes of an input file into clean text, or say why it cannot be read.

Order of decodings: UTF-8 (a BOM is dropped), then cp1252 (what Windows editors and many old
sites save), then Latin-1, which accepts any byte and is therefore last and checked for control
characters. NUL bytes mean a binary file: no text encoding we accept produces them.
Mojibake (``donâ€™t``, UTF-8 read as cp1252 somewhere upstream) is repaired with ftfy, with its
cosmetic fixes switched off so that every other character stays exactly as scraped.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import ftfy

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
MAX_CONTROL_RATIO = 0.01

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=True,
    normalization=None,
    explain=False,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


class DecodeError(Exception):
    """The file is not readable text; the message says why, for the user."""


def read_bytes(path: Path) -> bytes:
    """Read a file, unpacking ``.gz`` (saved pages often come compressed)."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DecodeError(f"the file is not a valid gzip archive ({exc})") from None
    return data


def decode(data: bytes) -> str:
    """Decode bytes as described in the module docstring, then repair mojibake."""
    if not data.strip():
        raise DecodeError("the file is empty")
    if b"\x00" in data:
        raise DecodeError("the file is binary (it contains NUL bytes), not text or HTML")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) <= MAX_CONTROL_RATIO:
            return fix_text(text)
    raise DecodeError("the file is neither UTF-8, cp1252 nor Latin-1 text")


def fix_text(text: str) -> str:
    """Repair mojibake and line breaks only; quotes, ligatures and widths stay as they are."""
    return ftfy.fix_text(text, _FTFY)


def normalise_space(text: str) -> str:
    """Collapse runs of spaces (including no-break and zero-width ones) and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)
