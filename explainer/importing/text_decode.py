"""Turn the bytes of an input file into clean text, or say why it cannot be read.

Reading is bounded (issue #25.5): an input over MAX_INPUT_BYTES is refused before it is read,
and a ``.gz`` is inflated in chunks that stop at MAX_INFLATED_BYTES, so a gzip bomb costs a few
megabytes of memory, not a gigabyte.

Order of decodings: a byte-order mark (UTF-8, UTF-16) wins; then UTF-16 without a mark (every
other byte NUL in ASCII-heavy text); then the charset the page declares (``<meta charset>``,
``http-equiv``, ``<?xml encoding?>``), so a windows-1251 page is not read as cp1252 mojibake;
then UTF-8, then cp1252 (what Windows editors and many old sites save), then Latin-1, which
accepts any byte and is therefore last and checked for control characters. Valid UTF-8 is
always text: its stray control characters are removed rather than blamed on the encoding
(issue #17.13). NUL bytes outside UTF-16 mean a binary file. Mojibake (``donâ€™t``, UTF-8 read
as cp1252 somewhere upstream) is repaired with ftfy, with its cosmetic fixes switched off so
that every other character stays exactly as scraped.
"""

from __future__ import annotations

import codecs
import re
import zlib
from pathlib import Path

import ftfy

from ..fsguard import UnsafePath, read_regular

MAX_INPUT_BYTES = 10_000_000      # the largest news page we met is ~3 MB of HTML
MAX_INFLATED_BYTES = 20_000_000   # a compressed page may inflate to this much, no more
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
MAX_CONTROL_RATIO = 0.01
_CHUNK = 1 << 16

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
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_:.-]+)""",
    re.IGNORECASE,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(Exception):
    """The file is not readable text; the message says why, for the user."""


def read_raw(path: Path) -> bytes:
    """The input's bytes as stored: a regular file (not a FIFO or device), at most MAX_INPUT_BYTES."""
    try:
        return read_regular(path, MAX_INPUT_BYTES)
    except UnsafePath as exc:
        if "limit" in exc.message:
            raise DecodeError(f"the file is over the limit of {MAX_INPUT_BYTES:,} bytes for one article page"
                              ) from None
        raise DecodeError(exc.message) from None


def unpacked(path: Path, raw: bytes) -> bytes:
    """``raw`` itself, or inflated (with a cap) when the file is a ``.gz``."""
    return inflate(raw) if path.name.lower().endswith(".gz") else raw


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Gunzip ``data`` (every member) in bounded steps; refuse output over ``limit`` bytes."""
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        while data:
            try:
                chunk = inflater.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise DecodeError(f"the file is not a valid gzip archive ({exc})") from None
            data = inflater.unconsumed_tail
            size += len(chunk)
            if size > limit:
                raise DecodeError(f"the compressed file inflates to more than {limit:,} bytes; "
                                  "it is not a single article page (a gzip bomb?)")
            out.append(chunk)
            if inflater.eof:
                break
        if not inflater.eof:
            raise DecodeError("the file is not a valid gzip archive (it ends too early)")
        data = inflater.unused_data
    return b"".join(out)


def decode(data: bytes) -> str:
    """Decode bytes as described in the module docstring, then repair mojibake."""
    if not data.strip():
        raise DecodeError("the file is empty")
    text = _decode(data)
    if not text.strip():
        raise DecodeError("the file is empty (it holds nothing but spaces and control characters)")
    return text


def _decode(data: bytes) -> str:
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        return _cleaned(data.decode(encoding, errors="replace"))
    if b"\x00" in data:
        raise DecodeError("the file is binary (it contains NUL bytes), not text or HTML")
    declared = declared_charset(data)
    if declared:
        try:
            return _cleaned(data.decode(declared))
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall back to the bytes themselves
    try:
        return _cleaned(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    for fallback in FALLBACK_ENCODINGS:
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) <= MAX_CONTROL_RATIO:
            return _cleaned(text)
    raise DecodeError("the file is not text: it is not UTF-8 or UTF-16, declares no charset, and read as "
                      "cp1252 or Latin-1 it is full of control characters")


def declared_charset(data: bytes) -> str | None:
    """The Python codec named by the page's own charset declaration (first 4 KB), if known."""
    found = _DECLARED.search(data[:4096])
    if found is None:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A page saved as bytes cannot really be UTF-16 if it reached here without NULs; browsers
    # treat such a declaration as UTF-8, and so do we.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a NUL in every other byte, on one side."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.6 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.6 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def _cleaned(text: str) -> str:
    """Mojibake repaired (it may hold C1 controls such as the 0x9D of a mangled "”"), then stray
    control characters out: they break feeds and the Markdown."""
    return _CONTROL.sub("", fix_text(text.lstrip("\ufeff")))


def fix_text(text: str) -> str:
    """Repair mojibake and line breaks only; quotes, ligatures and widths stay as they are."""
    return ftfy.fix_text(text, _FTFY)


def normalise_space(text: str) -> str:
    """Collapse runs of spaces (including no-break and zero-width ones) and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)
