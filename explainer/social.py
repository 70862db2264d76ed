"""The site's default social image (Open Graph / Twitter card): a 1200x630 PNG made at build time.

Stdlib only (zlib + struct) and a built-in 5x7 pixel font, so the bytes depend only on the site
title: the same title gives the same image on every machine. The picture is the favicon's "E"
mark and the title in capitals on the theme's accent colour. A project that ships its own
templates/static/social.png replaces it.
"""

from __future__ import annotations

import struct
import zlib

WIDTH, HEIGHT = 1200, 630
BACKGROUND = (0x1D, 0x4E, 0x89)  # --accent of the light theme
BAND = (0x17, 0x3F, 0x6F)
FOREGROUND = (0xFF, 0xFF, 0xFF)
MARGIN = 96
Rgb = tuple[int, int, int]

# 5x7 glyphs, one 5-bit row per entry, most significant bit on the left.
FONT: dict[str, tuple[int, ...]] = {
    "A": (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11), "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E), "D": (0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F), "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F), "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E), "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11), "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11), "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E), "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D), "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E), "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E), "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A), "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04), "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E), "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F), "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02), "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E), "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E), "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    " ": (0,) * 7, "-": (0, 0, 0, 0x1F, 0, 0, 0), ".": (0, 0, 0, 0, 0, 0x0C, 0x0C),
    ",": (0, 0, 0, 0, 0x0C, 0x04, 0x08), "'": (0x04, 0x04, 0x08, 0, 0, 0, 0), ":": (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    "!": (0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04), "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04),
    "&": (0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D), "/": (0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10),
}
# The favicon's "E" (templates/static/favicon.svg, a 32-unit grid) as rectangles: x, y, w, h.
MARK = [(9, 8, 14, 4), (9, 12, 5, 12), (14, 14, 8, 4), (14, 20, 9, 4)]


class Canvas:
    """An RGB raster with rectangle fills: all the drawing the image needs."""

    def __init__(self, width: int, height: int, colour: Rgb) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(colour) * (width * height))

    def fill(self, x: int, y: int, w: int, h: int, colour: Rgb) -> None:
        x0, x1 = max(0, x), min(self.width, x + w)
        if x1 <= x0:
            return
        run = bytes(colour) * (x1 - x0)
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + x0) * 3
            self.pixels[start:start + len(run)] = run

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[r * stride:(r + 1) * stride]) for r in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) \
            + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _wrap(text: str, per_line: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        word = word[:per_line]
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: per_line - 3].rstrip() + "..."
    return lines


def draw_text(canvas: Canvas, text: str, x: int, y: int, scale: int, colour: Rgb) -> None:
    for index, char in enumerate(text):
        for row, bits in enumerate(FONT.get(char, FONT["?"])):
            for col in range(5):
                if bits & (0x10 >> col):
                    canvas.fill(x + (index * 6 + col) * scale, y + row * scale, scale, scale, colour)


def social_image(title: str) -> bytes:
    """The PNG bytes of the default social image for a site called ``title``."""
    canvas = Canvas(WIDTH, HEIGHT, BACKGROUND)
    canvas.fill(0, HEIGHT - 120, WIDTH, 120, BAND)
    unit = 6  # the mark is 32 units wide: 192 px
    for x, y, w, h in MARK:
        canvas.fill(MARGIN - 9 * unit + x * unit, MARGIN - 8 * unit + y * unit, w * unit, h * unit, FOREGROUND)
    text = "".join(c if c in FONT else "'" if c in "‘’" else "-" if c in "–—" else " " for c in title.upper())
    usable = WIDTH - 2 * MARGIN
    for scale in (16, 12, 9, 7):  # the largest size at which the whole title fits in 3 lines
        lines = _wrap(text, usable // (6 * scale), 99)
        if len(lines) <= 3:
            break
    lines = lines[:2] + [" ".join(lines[2:])] if len(lines) > 3 else lines
    lines = _wrap(" ".join(lines), usable // (6 * scale), 3)
    height = len(lines) * 9 * scale - 2 * scale
    top = 230 + (HEIGHT - 120 - 230 - height) // 2
    for number, line in enumerate(lines):
        draw_text(canvas, line, MARGIN, top + number * 9 * scale, scale, FOREGROUND)
    return canvas.png()
