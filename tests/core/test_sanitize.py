"""The one sanitizing policy (outagedesk.lib.sanitize): what readers, sources and staff forms
send is stored as stable plain text that no HTML parser reads as markup."""

import re

import pytest

from outagedesk.lib.sanitize import clean_text, linkify_plain_text, safe_url
from tests.comments.xss_corpus import active_content, payloads

TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def test_control_characters_are_removed_but_line_breaks_kept():
    assert clean_text("helloí \x80raw", max_length=100) == "helloí raw"
    # C0 (but newline), DEL, C1 and invisible direction marks.
    assert clean_text("a\x00b\x1bc\x7fd\x85e\x9ff\u202eg", max_length=100) == "abcdefg"
    assert clean_text("first line\nsecond\tline", max_length=100) == "first line\nsecond line"
    assert clean_text("first\nsecond", max_length=100, multiline=False) == "first second"


def test_encoded_markup_is_decoded_and_stripped_whatever_the_level():
    once = "&lt;script&gt;alert(1)&lt;/script&gt; ok"
    twice = "&amp;lt;img src=x onerror=alert(1)&amp;gt; ok"
    assert clean_text(once, max_length=100) == "ok"
    assert clean_text(twice, max_length=100) == "ok"
    deep = "&amp;" * 1 + "amp;" * 7 + "lt;script&gt;alert(1)"
    cleaned = clean_text(deep, max_length=200)
    assert not TAG_LIKE.search(cleaned)
    assert clean_text(cleaned, max_length=200) == cleaned


def test_text_that_only_looks_like_a_tag_is_shown_not_parsed():
    assert clean_text("< script>alert(1)", max_length=100) == "‹ script>alert(1)"
    assert clean_text("I <3 it & you", max_length=100) == "I <3 it & you"
    assert clean_text("Tom &amp; Jerry", max_length=100) == "Tom & Jerry"


def test_length_is_capped_with_an_ellipsis():
    assert clean_text("x" * 50, max_length=10) == "x" * 9 + "…"


@pytest.mark.parametrize("multiline", [True, False])
def test_every_payload_of_the_corpus_is_stored_stable_and_tag_free(multiline):
    for payload in payloads():
        cleaned = clean_text(payload, max_length=1000, multiline=multiline)
        assert not TAG_LIKE.search(cleaned), payload
        assert clean_text(cleaned, max_length=1000, multiline=multiline) == cleaned, payload
        assert not active_content(linkify_plain_text(cleaned)), payload


def test_only_http_links_survive():
    assert safe_url("https://faq.whatsapp.com/") == "https://faq.whatsapp.com/"
    for hostile in ("javascript:alert(1)", "data:text/html,x", "java\x80script:x", "//x.example"):
        assert safe_url(hostile) == ""
    html = linkify_plain_text("see https://example.com/a and javascript:alert(1) <b>")
    assert '<a href="https://example.com/a"' in html and "&lt;b&gt;" in html
    assert not active_content(html)
