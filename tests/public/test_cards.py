"""Social card images: 1200×630 PNG, the status, the title and the last update; titles of 200
characters and any script (Arabic, CJK, emoji) render without overflow or crash."""

import io
import os

import pytest
from PIL import Image

from outagedesk.lib.cards import (
    FOOTER_Y,
    MARGIN,
    WIDTH,
    Card,
    _drawable,
    _font_index,
    card_layout,
    installed_fonts,
    render_card,
)

FONTS = installed_fonts()
INNER = WIDTH - 2 * MARGIN
TITLES = {
    "latin": "WhatsApp is down: messages are not delivered",
    "french": "Panne de WhatsApp : les messages restent bloqués sur une coche grise",
    "long": ("Messages, calls and status updates fail for most users in Europe, Africa " * 4)[:200],
    "arabic": "تعطل واتساب: الرسائل لا تصل إلى المستخدمين في أوروبا وأفريقيا منذ الساعة الثالثة",
    "cjk": "WhatsApp 全球故障：消息无法发送，通话中断，状态无法更新" * 3,
    "emoji": "WhatsApp down 😱🔥 messages stuck ✅",
    "unbroken": "x" * 200,
}


def needs_world_fonts():
    if not any("CJK" in path for path in FONTS) and not os.environ.get(
        "OUTAGEDESK_REQUIRE_SERVICES"
    ):
        pytest.skip("Noto fonts not installed (apt-get install fonts-noto-core fonts-noto-cjk)")


def image_of(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("name", TITLES)
def test_every_title_fits_the_card(name):
    card = Card(
        site_name="La Gazette",
        status="Major outage · Investigating",
        title=TITLES[name],
        footer="Last update: 30 Nov 2026, 15:17 UTC",
    )
    layout = card_layout(card, FONTS)
    assert 1 <= len(layout["title_lines"]) <= 4, name
    assert layout["widest"] <= INNER, name
    assert layout["bottom"] <= FOOTER_Y, name  # never runs into the footer line
    image = image_of(render_card(card, FONTS))
    assert image.size == (1200, 630) and image.format == "PNG"


def test_a_title_too_long_for_four_lines_ends_with_an_ellipsis():
    card = Card(site_name="S", status="Critical", title="word " * 200, footer="")
    lines = card_layout(card, FONTS)["title_lines"]
    assert len(lines) == 4 and lines[-1].endswith("…")


def test_non_latin_scripts_are_drawn_with_a_font_that_has_them():
    needs_world_fonts()
    assert _font_index("中", FONTS) is not None
    assert _font_index("ع", FONTS) is not None
    # The whole CJK title is kept: nothing of it is dropped as "undrawable".
    assert "消息无法发送" in _drawable(TITLES["cjk"], FONTS)


def test_symbols_no_font_has_are_left_out_not_boxed():
    text = _drawable("WhatsApp down \U0001f631 now", FONTS)
    if _font_index("\U0001f631", FONTS) is None:
        assert text == "WhatsApp down now"


def test_status_band_has_the_impact_colour():
    critical = image_of(render_card(Card("S", "Critical outage", "T", "", tone="critical"), FONTS))
    ok = image_of(render_card(Card("S", "Resolved", "T", "", tone="ok"), FONTS))
    assert critical.getpixel((5, 5)) == (0xB3, 0x26, 0x1E)
    assert ok.getpixel((5, 5)) == (0x0F, 0x7B, 0x3F)


def test_renders_without_any_font_file():
    card = Card("S", "Major outage", TITLES["long"], "Last update: 15:17 UTC")
    assert image_of(render_card(card, ())).size == (1200, 630)
    assert card_layout(card, ())["widest"] <= INNER
