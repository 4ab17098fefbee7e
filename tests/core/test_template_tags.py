"""The shared filters (outagedesk_tags): one library every app's templates load."""

from datetime import UTC, datetime, timedelta, timezone

from django.template import Context, Template


def render(source: str, **values) -> str:
    return Template("{% load outagedesk_tags %}" + source).render(Context(values))


def test_linkify_escapes_then_links_only_http():
    html = render("{{ v|linkify }}", v='<img src=x onerror=alert(1)>\nhttps://example.com/a "x"')
    assert html.startswith("&lt;img src=x onerror=alert(1)&gt;<br>")
    assert '<a href="https://example.com/a" rel="nofollow ugc noopener noreferrer"' in html
    assert render("{{ v|linkify }}", v="javascript:alert(1)") == "javascript:alert(1)"


def test_http_url_keeps_only_web_links():
    assert render("{{ v|http_url }}", v="https://faq.whatsapp.com/") == "https://faq.whatsapp.com/"
    assert render("{{ v|http_url }}", v="javascript:alert(1)") == ""


def test_iso_utc_for_time_elements():
    paris = timezone(timedelta(hours=2))
    moment = datetime(2021, 10, 4, 17, 39, 5, 123, tzinfo=paris)
    assert render("{{ v|iso_utc }}", v=moment) == "2021-10-04T15:39:05Z"
    assert render("{{ v|iso_utc }}", v=None) == ""
    assert render("{{ v|iso_utc }}", v=datetime(2021, 1, 1, tzinfo=UTC)) == "2021-01-01T00:00:00Z"
