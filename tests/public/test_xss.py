"""Hostile text in every field an editor, a source or a reader can fill stays text: in the HTML
page, its JSON-LD, the feeds, the banner (JSON and iframe) and the status API.

The payloads are the public lists in ../shared/fixtures/xss (a fixed sample of 120 lines). They
are stored raw, as if a field had skipped the sanitiser, so this tests the output side alone."""

import json
import random
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.models import FAQEntry, Incident, IncidentUpdate, Service
from tests import factories
from tests.public.htmltools import json_ld, parse_html, text_of

XSS_DIR = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "xss"
GROUP = 10
SENSITIVE = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "img", "svg", "math",
    "link", "meta", "base", "form", "input", "button", "textarea", "select", "video", "audio",
    "source", "details", "body", "html", "head", "title", "marquee", "applet", "isindex",
    "xss", "image", "animate", "set", "template", "portal",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


def load_payloads() -> list[str]:
    if not XSS_DIR.is_dir():
        pytest.skip(f"XSS payload lists not found in {XSS_DIR}")
    lines = set()
    for path in sorted(XSS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and all(ch == "\t" or ord(ch) >= 32 for ch in line):
                lines.add(line)
    sample = random.Random(5).sample(sorted(lines), 120)
    assert len(sample) >= 100
    return sample


PAYLOADS = load_payloads() if XSS_DIR.is_dir() else []


def squash(text: str) -> str:
    return " ".join(text.split())


def make_incident(service, slug: str, title: str, texts: list[str]) -> Incident:
    now = timezone.now()
    incident = factories.make_incident(
        service=service,
        slug=slug,
        title=title[:200],
        language="en",
        status="identified",
        impact="critical",
        is_public=True,
        regions=[texts[0][:60]],
        started_at=now - timedelta(hours=2),
    )
    for index, text in enumerate(texts):
        factories.make_update(
            incident=incident,
            status="identified",
            is_confirmed=True,
            title=text[:200],
            message=text,
            advice=text,
            call_to_action=text[:300],
            sources_text=text[:500],
            language="en",
            published_at=now - timedelta(minutes=len(texts) - index),
        )
        FAQEntry.objects.create(
            incident=incident,
            service=service,
            language="en",
            question=text[:300],
            answer=text,
            is_published=True,
            position=index,
        )
    return incident


@pytest.fixture
def hostile(seeded):
    groups = [PAYLOADS[i : i + GROUP] for i in range(0, len(PAYLOADS), GROUP)]
    incidents = [
        make_incident(seeded, f"hostile-{n}", group[0], group) for n, group in enumerate(groups)
    ]
    control = make_incident(
        seeded, "control", "Plain title", [f"Plain text {i}" for i in range(GROUP)]
    )
    Incident.objects.filter(pk=control.pk).update(impact="minor")  # hostile ones lead the banner
    return incidents, control


def assert_inert_html(document, control) -> None:
    counts = Counter(e.tag for e in document.iter() if e.tag in SENSITIVE)
    expected = Counter(e.tag for e in control.iter() if e.tag in SENSITIVE)
    assert counts == expected
    for element in document.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcdoc"):
                assert not squash(value).lower().replace(" ", "").startswith(BAD_SCHEMES), value


@pytest.mark.django_db
def test_incident_pages_show_payloads_as_text(client, hostile):
    incidents, control = hostile
    control_page = parse_html(client.get("/en/incidents/control/").content)
    for incident in incidents:
        response = client.get(f"/en/incidents/{incident.slug}/")
        assert response.status_code == 200
        page = parse_html(response.content)
        assert_inert_html(page, control_page)
        updates = IncidentUpdate.objects.filter(incident=incident).order_by("-published_at")
        for update in updates:
            item = page.by_id(f"update-{update.pk}")
            assert text_of(item.find("h3")) == squash(update.title)
        assert text_of(page.find("p", class_="incident-title")) == squash(incident.title)
        summaries = [text_of(s) for s in page.by_id("live-faq").find_all("summary")]
        questions = incident.faq_entries.order_by("position").values_list("question", flat=True)
        assert summaries == [squash(q) for q in questions]


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_or_injected(client, hostile):
    incidents, _ = hostile
    for incident in incidents:
        page = parse_html(client.get(f"/en/incidents/{incident.slug}/").content)
        scripts = page.find_all("script", type="application/ld+json")
        assert len(scripts) == 2
        for script in scripts:
            assert "<" not in script.text() and ">" not in script.text()
        live, faq = json_ld(page)
        assert live["headline"] == incident.title
        headlines = {u["headline"] for u in live["liveBlogUpdate"]}
        assert headlines == {u.title for u in incident.updates.all()}
        assert {q["acceptedAnswer"]["text"] for q in faq["mainEntity"]} == {
            u.message for u in incident.updates.all()
        }


@pytest.mark.django_db
def test_index_shows_payload_titles_as_text(client, hostile):
    incidents, control = hostile
    page = parse_html(client.get("/en/").content)
    scripts = page.find_all("script")
    assert [s.attrs.get("src") for s in scripts] == ["/static/public/incident.js"]
    for element in page.iter():
        assert not any(name.startswith("on") for name in element.attrs)
    text = text_of(page)
    for incident in incidents:
        assert squash(incident.title) in text


def _feed_html_is_inert(fragment: str) -> None:
    document = parse_html(fragment)
    for element in document.iter():
        assert element.tag in {"p", "br", "a"}, element.tag
        assert set(element.attrs) <= {"href", "rel", "target"}, element.attrs
        if element.tag == "a":
            assert element.attrs["href"].startswith(("http://", "https://"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/incidents.atom", "/feeds/incidents.rss", "feed"])
def test_feeds_are_well_formed_and_carry_escaped_html(client, hostile, url):
    incidents, _ = hostile
    urls = [f"/incidents/{i.slug}/feed.atom" for i in incidents] if url == "feed" else [url]
    titles = set()
    for address in urls:
        # Our own feed, parsed to prove it is well-formed XML (it raises otherwise).
        root = ET.fromstring(client.get(address).content)  # noqa: S314
        atom = "{http://www.w3.org/2005/Atom}"
        for entry in root.iter(f"{atom}entry"):
            titles.add(entry.find(f"{atom}title").text)
            _feed_html_is_inert(entry.find(f"{atom}summary").text or "")
        for item in root.iter("item"):
            titles.add(item.find("title").text)
            _feed_html_is_inert(item.find("description").text or "")
    if url == "feed":
        assert titles == {u.title for u in IncidentUpdate.objects.filter(incident__in=incidents)}
    else:
        latest = IncidentUpdate.objects.filter(incident__is_public=True).order_by(
            "-published_at", "-id"
        )[:50]
        assert titles == {f"{u.incident.title}: {u.title}" for u in latest}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/embed/banner.json",
        "/embed/banner.json?lang=fr",
        "/api/v2/summary.json",
        "/api/v2/incidents.json",
        "/api/v2/incidents/unresolved.json",
    ],
)
def test_json_outputs_hold_no_markup_characters(client, hostile, url):
    incidents, _ = hostile
    raw = client.get(url).content
    assert b"<" not in raw and b">" not in raw
    data = json.loads(raw)
    names = [i.get("title") or i.get("name") for i in data["incidents"]]
    assert {i.title for i in incidents} <= set(names)


@pytest.mark.django_db
def test_banner_json_carries_payloads_unchanged_for_text_content(client, hostile):
    incidents, _ = hostile
    items = {i["id"]: i for i in client.get("/embed/banner.json").json()["incidents"]}
    for incident in incidents:
        latest = incident.updates.order_by("-published_at").first()
        assert items[incident.slug]["title"] == incident.title
        assert items[incident.slug]["update_title"] == latest.title
        assert items[incident.slug]["url"].startswith(settings.SITE_URL)


@pytest.mark.django_db
def test_iframe_banner_shows_payloads_as_text(client, hostile):
    incidents, _ = hostile
    page = parse_html(client.get("/embed/banner.html").content)
    # The one script is the frame's own static file, with no inline code.
    scripts = page.find_all("script")
    assert [(s.attrs.get("src"), s.text().strip()) for s in scripts] == [
        ("/static/public/banner-frame.js", "")
    ]
    for element in page.iter():
        assert not any(name.startswith("on") for name in element.attrs)
    assert {e.tag for e in page.iter()} <= {
        "html", "head", "meta", "noscript", "title", "link", "script", "body", "div", "p",
        "span", "a", "time",
    }  # fmt: skip
    first = client.get("/embed/banner.json").json()["incidents"][0]
    assert first["id"].startswith("hostile-")
    assert text_of(page.find("a")) == squash(first["title"])
    assert text_of(page.find("p", class_="update")) == squash(first["update_title"])


@pytest.mark.django_db
def test_service_page_shows_payloads_as_text(client, hostile):
    """The service page shows the worst live incident's latest update and the service-wide FAQ:
    hostile text in them stays text, and its JSON-LD stays closed."""
    incidents, control = hostile
    service = control.service
    plain = Service.objects.create(slug="plain", name="Plain")
    questions = PAYLOADS[: GROUP * 2]
    for index, text in enumerate(questions):
        FAQEntry.objects.create(
            service=service, language="en", question=text[:300], answer=text,
            is_published=True, position=100 + index,
        )  # fmt: skip
        FAQEntry.objects.create(
            service=plain, language="en", question=f"Plain {index}?", answer="Plain.",
            is_published=True, position=100 + index,
        )  # fmt: skip
    make_incident(plain, "plain-live", "Plain live", [f"Plain text {i}" for i in range(GROUP)])
    FAQEntry.objects.filter(service=plain).exclude(incident=None).delete()
    FAQEntry.objects.filter(service=service, incident=None, position__lt=100).delete()
    FAQEntry.objects.filter(service=plain, incident=None, position__lt=100).delete()

    control_page = parse_html(client.get("/en/services/plain/").content)
    response = client.get("/en/services/whatsapp/")
    assert response.status_code == 200
    page = parse_html(response.content)
    assert_inert_html(page, control_page)
    summaries = [text_of(s) for s in page.by_id("faq").find_all("summary")]
    assert summaries == [squash(q[:300]) for q in questions]
    live = page.by_id("live-incident")
    shown = Incident.objects.get(slug=live.find("a").attrs["href"].split("/")[3])
    latest = shown.updates.order_by("-published_at").first()
    assert text_of(live.find("h3")) == squash(latest.title)
    scripts = page.find_all("script", type="application/ld+json")
    for script in scripts:
        assert "<" not in script.text() and ">" not in script.text()
    faq = next(block for block in json_ld(page) if block["@type"] == "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == [q[:300] for q in questions]
