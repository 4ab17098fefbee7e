"""Social card images (1200×630 PNG) for shares in a crisis: the status in colour and words, the
title large, and the time of the last update, readable in a feed's thumbnail.

Any script must render without overflow or crash: every character is drawn with the first font
that has it (Latin, then Arabic, CJK… as installed), lines are wrapped by measuring, a title too
long for four lines ends with "…", and symbols no font has (emoji on a bare server) are left out
rather than drawn as empty boxes. With no font file at all, Pillow's own font is used.

Not Django-specific: callers pass the words (already translated) and the font files.
"""

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
BAND_HEIGHT = 120
TITLE_SIZES = (68, 60, 52, 46, 40)
MAX_TITLE_LINES = 4
NO_LINE_START = frozenset("，。、：；！？）」』】〉》,.:;!?)…")
SMALL = 30  # the last update and the site name, at the bottom
FOOTER_Y = HEIGHT - MARGIN - SMALL - 48  # the last update's line
SITE_Y = HEIGHT - MARGIN - SMALL
TITLE_TOP = BAND_HEIGHT + 48
TITLE_BOTTOM = FOOTER_Y - 24
MISSING_PROBE = "\U0010fffd"  # a private-use character no font draws: its mask is ".notdef"

# Status-page colours, each with a text colour that passes WCAG AA on it.
TONES = {
    "ok": ("#0f7b3f", "#ffffff"),
    "minor": ("#f2c200", "#1b1b1b"),
    "major": ("#d9590b", "#ffffff"),
    "critical": ("#b3261e", "#ffffff"),
    "maintenance": ("#0b57d0", "#ffffff"),
}
BACKGROUND, INK, MUTED = "#ffffff", "#16181d", "#4b5260"

# Where Debian and most Linux distributions keep the fonts that cover the world's scripts.
DEFAULT_FONT_GLOBS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansHebrew-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSymbols-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",
)


@dataclass(frozen=True)
class Card:
    site_name: str
    status: str  # e.g. "Major outage · Investigating", in the page's language
    title: str
    footer: str  # e.g. "Last update: 30 Nov 2026, 15:17 UTC"
    tone: str = "major"


def installed_fonts(candidates: Iterable[str] = DEFAULT_FONT_GLOBS) -> tuple[str, ...]:
    return tuple(path for path in candidates if Path(path).is_file())


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if not path:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


@cache
def _has_glyph(path: str, char: str) -> bool:
    if char.isspace() or unicodedata.category(char) in ("Mn", "Cf"):
        return True  # marks and joiners go with the characters around them
    font = _font(path, 32)
    drawn, missing = font.getmask(char), font.getmask(MISSING_PROBE)
    return (drawn.size, bytes(drawn)) != (missing.size, bytes(missing))


def _font_index(char: str, paths: Sequence[str]) -> int | None:
    for index, path in enumerate(paths):
        if _has_glyph(path, char):
            return index
    return None


def _drawable(text: str, paths: Sequence[str]) -> str:
    """The text less the symbols no font has (an emoji would be an empty box)."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        undrawable = unicodedata.category(char)[0] in "SC" and not char.isspace()
        if undrawable and _font_index(char, paths) is None:
            continue
        kept.append(char)
    return " ".join("".join(kept).split())


def _runs(text: str, paths: Sequence[str]) -> list[tuple[int, str]]:
    """Consecutive characters drawn with the same font; unknown ones use the first font."""
    runs: list[tuple[int, str]] = []
    for char in text:
        index = _font_index(char, paths)
        if index is None or (char.isspace() and runs):
            index = runs[-1][0] if runs else 0
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + char)
        else:
            runs.append((index, char))
    return runs


def _width(text: str, paths: Sequence[str], size: int) -> float:
    return sum(_font(paths[i], size).getlength(run) for i, run in _runs(text, paths))


def wrap(text: str, paths: Sequence[str], size: int, width: float) -> list[str]:
    """Greedy wrapping by measured width. A word wider than a line (CJK has no spaces; a long
    address) is cut by characters, starting on the current line."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, paths, size) <= width:
            current = candidate
            continue
        if _width(word, paths, size) <= width:
            lines.append(current)
            current = word
            continue
        current = f"{current} " if current else ""
        for char in word:
            if current.strip() and _width(current + char, paths, size) > width:
                # CJK rule: closing punctuation never starts a line; the character before it
                # goes down with it.
                carried = ""
                if char in NO_LINE_START and len(current.rstrip()) > 1:
                    current, carried = current.rstrip()[:-1], current.rstrip()[-1]
                lines.append(current.rstrip())
                current = carried
            current += char
    if current:
        lines.append(current)
    return lines


def _line_height(size: int) -> int:
    return int(size * 1.22)


def _fit_title(title: str, paths: Sequence[str], width: float) -> tuple[int, list[str]]:
    """The largest size at which the title fits in four lines and its room; else the smallest
    size, cut with …"""
    room = TITLE_BOTTOM - TITLE_TOP
    for size in TITLE_SIZES:
        lines = wrap(title, paths, size, width)
        if len(lines) <= MAX_TITLE_LINES and len(lines) * _line_height(size) <= room:
            return size, lines
    size = TITLE_SIZES[-1]
    lines = wrap(title, paths, size, width)[:MAX_TITLE_LINES]
    last = lines[-1]
    while last and _width(last + "…", paths, size) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return size, lines


def _draw(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    paths: Sequence[str],
    size: int,
    fill: str,
) -> None:
    # Every run on one baseline, whatever font draws it (CJK and Latin fonts differ in ascent).
    x, top = xy
    baseline = top + size
    for index, run in _runs(text, paths):
        font = _font(paths[index], size)
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def render_card(card: Card, fonts: Sequence[str] = ()) -> bytes:
    paths = tuple(fonts) or ("",)  # "" is Pillow's own font
    band, band_ink = TONES.get(card.tone, TONES["major"])
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=band)
    status = _drawable(card.status, paths)
    status_lines = wrap(status, paths, 44, inner)[:1] or [""]
    _draw(draw, (MARGIN, 34), status_lines[0], paths, 44, band_ink)

    title = _drawable(card.title, paths)
    size, lines = _fit_title(title, paths, inner)
    y = TITLE_TOP
    for line in lines:
        _draw(draw, (MARGIN, y), line, paths, size, INK)
        y += _line_height(size)

    footer = wrap(_drawable(card.footer, paths), paths, SMALL, inner)[:1] or [""]
    _draw(draw, (MARGIN, FOOTER_Y), footer[0], paths, SMALL, MUTED)
    site = (wrap(_drawable(card.site_name, paths), paths, SMALL, inner) or [""])[0]
    _draw(draw, (MARGIN, SITE_Y), site, paths, SMALL, INK)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def card_layout(card: Card, fonts: Sequence[str] = ()) -> dict[str, Any]:
    """The measured layout, for tests and for the newsroom's preview: title size and lines."""
    paths = tuple(fonts) or ("",)
    size, lines = _fit_title(_drawable(card.title, paths), paths, WIDTH - 2 * MARGIN)
    return {
        "title_size": size,
        "title_lines": lines,
        "widest": max((_width(line, paths, size) for line in lines), default=0),
        "bottom": TITLE_TOP + len(lines) * _line_height(size),
    }
