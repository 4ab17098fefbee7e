"""The public incident page as a reader on a phone gets it, without JavaScript: the answer first,
then what is affected, since when, the timeline with its sources, what to do, the FAQ, and the
forms of the other features (subscribe, comments, "down for me")."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.models import Evidence, FAQEntry, SignalBucket, Source
from incidents.selectors.signals import bucket_floor
from tests.factories import make_incident
from tests.public.htmltools import json_ld, parse_html, text_of
from tests.support.publishing import publish_update

PAGE = "/en/incidents/whatsapp-down-europe/"


@pytest.fixture
def page(client, active_incident):
    response = client.get(PAGE)
    assert response.status_code == 200
    return parse_html(response.content)


@pytest.mark.django_db
def test_the_first_thing_under_the_site_name_answers_is_it_down(page):
    header = page.find("header")
    # The site's name, then the language switch (each language named in itself).
    assert text_of(header) == f"{settings.SITE_NAME} English Français"
    container = page.find("main").find("div", class_="incident-page")
    first = next(c for c in container.children if not isinstance(c, str))
    assert "status-line" in first.attrs.get("class", "")
    assert "tone-critical" in first.attrs["class"]
    # The editor's own words: the latest update's title, and the kind and impact they chose.
    assert text_of(first.find("h1")) == "! WhatsApp confirms the outage"
    assert text_of(first.find("p", class_="status-kicker")) == "Regional outage · Critical impact"
    assert text_of(page.find("p", class_="status-detail")) == "Identified · Confirmed"


@pytest.mark.django_db
def test_affected_since_and_last_updated(page, active_incident):
    facts = text_of(page.by_id("live-facts"))
    assert "Affected Messages, Voice and video calls · Europe, France" in facts
    since, last = page.by_id("live-facts").find_all("time")
    assert since.attrs["datetime"] == active_incident.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert text_of(since).endswith(" UTC")
    latest = active_incident.updates.order_by("-published_at").first()
    assert last.attrs["datetime"] == latest.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "data-relative" in last.attrs


@pytest.mark.django_db
def test_timeline_is_newest_first_with_times_and_confirmation(page, active_incident):
    items = page.by_id("live-timeline").find_all("li")
    updates = list(active_incident.updates.order_by("-published_at"))
    assert [i.attrs["id"] for i in items] == [f"update-{u.pk}" for u in updates]
    assert text_of(items[0].find("h3")) == "WhatsApp confirms the outage"
    assert "Confirmed" in text_of(items[0]) and "Not confirmed" in text_of(items[1])
    assert items[0].find("time").attrs["datetime"].endswith("Z")
    link = items[0].find("a")
    assert link.attrs["href"] == "https://faq.whatsapp.com/"
    assert "Sources: Downdetector, reader reports" in text_of(items[1])


@pytest.mark.django_db
def test_a_resolution_carries_no_confirmation_badge(client, active_incident):
    # Published as "reports, not confirmed", as an outage never confirmed ends: "Resolved ·
    # Not confirmed" would read as doubt about the resolution itself.
    resolved = publish_update(
        active_incident, title="Messages are delivered again", status="resolved", is_confirmed=False
    )
    page = parse_html(client.get("/en/incidents/whatsapp-down-europe/").content)
    item = page.by_id(f"update-{resolved.pk}")
    assert text_of(item.find("p", class_="update-meta")).endswith("Resolved")
    assert "confirmed" not in text_of(item.find("p", class_="update-meta")).lower()


@pytest.mark.django_db
def test_cited_evidence_is_linked_only_when_its_url_is_http(client, active_incident):
    update = active_incident.updates.order_by("-published_at").first()
    source = Source.objects.get(service=active_incident.service, kind="mastodon")
    now = timezone.now()
    good = Evidence.objects.create(
        source=source,
        service=active_incident.service,
        url="https://mastodon.social/@someone/1",
        title="Whatsapp is down here too",
        observed_at=now,
        dedup_key="a",
    )
    bad = Evidence.objects.create(
        source=source,
        service=active_incident.service,
        url="javascript:alert(1)",
        title="Tricky",
        observed_at=now,
        dedup_key="b",
    )
    update.evidence.add(good, bad)
    from public.cache import invalidate_all

    invalidate_all()
    item = parse_html(client.get(PAGE).content).by_id(f"update-{update.pk}")
    links = [a.attrs["href"] for a in item.find("div", class_="sources").find_all("a")]
    assert links == ["https://mastodon.social/@someone/1"]
    assert "Tricky" in text_of(item)
    assert "Community" in text_of(item)


@pytest.mark.django_db
def test_corrections_are_shown_as_corrected(client, active_incident, publish):
    original = active_incident.updates.order_by("published_at").first()
    correction = publish(
        active_incident,
        title="Calls were not affected",
        corrects=original,
        correction_note="only messages failed",
    )
    page = parse_html(client.get(PAGE).content)
    corrected = page.by_id(f"update-{original.pk}")
    assert "is-corrected" in corrected.attrs["class"]
    assert corrected.find("del") is not None
    assert corrected.find("a", href=f"#update-{correction.pk}") is not None
    assert "Corrected" in text_of(corrected)
    note = page.by_id(f"update-{correction.pk}").find("p", class_="correction-note")
    assert "only messages failed" in text_of(note)
    assert note.find("a", href=f"#update-{original.pk}") is not None


@pytest.mark.django_db
def test_advice_alternatives_and_official_links(page):
    advice = page.by_id("live-advice")
    assert "Use SMS or Signal meanwhile." in text_of(advice)
    alternatives = advice.find("ul", class_="alternatives")
    assert alternatives.find("a", href="https://telegram.org/") is not None
    assert "about 700 million monthly users in 2024" in text_of(alternatives)
    official = [a.attrs["href"] for a in advice.find("ul", class_="official-links").find_all("a")]
    assert official == [
        "https://faq.whatsapp.com/",
        "https://x.com/WhatsApp",
        "https://metastatus.com/whatsapp-business-api",
    ]


@pytest.mark.django_db
def test_published_faq_is_shown_and_described_for_search_engines(client, active_incident, change):
    FAQEntry.objects.create(
        incident=active_incident,
        service=active_incident.service,
        language="en",
        question="Are my messages lost?",
        answer="No, they are queued.",
        is_published=True,
    )
    FAQEntry.objects.create(
        incident=active_incident,
        service=active_incident.service,
        language="en",
        question="Unpublished question",
        answer="Draft",
        is_published=False,
    )
    change(active_incident)
    page = parse_html(client.get(PAGE).content)
    faq = page.by_id("live-faq")
    assert "hidden" not in faq.attrs
    assert text_of(faq.find("summary")) == "Are my messages lost?"
    assert "Unpublished" not in text_of(faq)
    faq_ld = next(block for block in json_ld(page) if block["@type"] == "FAQPage")
    assert faq_ld["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Are my messages lost?",
            "acceptedAnswer": {"@type": "Answer", "text": "No, they are queued."},
        }
    ]


@pytest.mark.django_db
def test_subscribe_box_posts_to_subscribe(page):
    form = page.by_id("subscribe").find("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/en/subscribe/")
    fields = {i.attrs["name"]: i.attrs.get("value") for i in form.find_all("input")}
    assert fields == {
        "channel": "email",
        "service": "whatsapp",
        "incident": "whatsapp-down-europe",
        "language": "en",
        "email": None,
    }
    assert form.find("input", name="email").attrs["type"] == "email"
    other = page.by_id("subscribe").find("a")
    assert other.attrs["href"] == "/en/subscribe/?service=whatsapp&incident=whatsapp-down-europe"


@pytest.mark.django_db
def test_comments_area_links_to_the_comments_and_their_fragment(page):
    link = page.by_id("comments").find("a")
    assert link.attrs["href"] == "/en/incidents/whatsapp-down-europe/comments/"
    assert link.attrs["data-fragment"] == "/en/incidents/whatsapp-down-europe/comments/?fragment=1"


@pytest.mark.django_db
def test_down_for_me_form_and_live_report_chart(client, active_incident):
    moment = bucket_floor(timezone.now() - timedelta(minutes=30))
    SignalBucket.objects.create(service=active_incident.service, bucket_start=moment, count=480)
    from public.cache import invalidate_all

    invalidate_all()
    page = parse_html(client.get(PAGE).content)
    report = page.by_id("report")
    form = report.find("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/services/whatsapp/report/")
    components = [
        o.attrs["value"] for o in form.find("select", name="component").find_all("option")
    ]
    assert components[0] == "" and "messages" in components and "calls" in components
    countries = [o.attrs["value"] for o in form.find("select", name="country").find_all("option")]
    assert "FR" in countries and "GB" in countries
    assert "WhatsApp is down for me" in text_of(form.find("button"))
    chart = report.find("svg")
    assert chart.attrs["role"] == "img"
    assert chart.find("polyline", class_="chart-reports") is not None
    caption = text_of(report.find("figcaption"))
    assert f"Peak: 480 reports in 5 minutes at {moment:%H:%M} UTC" in caption


@pytest.mark.django_db
def test_meta_tags_and_live_blog_json_ld(client, active_incident):
    response = client.get(PAGE)
    page = parse_html(response.content)
    canonical = f"{settings.SITE_URL}{PAGE}"
    assert text_of(page.find("title")) == f"WhatsApp down in Europe – {settings.SITE_NAME}"
    assert page.find("link", rel="canonical").attrs["href"] == canonical
    meta = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
        for m in page.find_all("meta")
    }
    assert meta["description"].startswith("WhatsApp confirms the outage.")
    assert meta["og:title"] == "WhatsApp down in Europe"
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article"
    assert meta["twitter:card"] == "summary_large_image"
    card = f"{canonical}card.png?v="
    assert meta["og:image"].startswith(card) and meta["twitter:image"].startswith(card)
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:title"] == "WhatsApp down in Europe"
    live = json_ld(page)[0]
    assert live["@type"] == "LiveBlogPosting"
    assert live["url"] == canonical and live["headline"] == "WhatsApp down in Europe"
    updates = list(active_incident.updates.order_by("-published_at"))
    assert [u["headline"] for u in live["liveBlogUpdate"]] == [u.title for u in updates]
    assert live["liveBlogUpdate"][0]["url"] == f"{canonical}#update-{updates[0].pk}"
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    for script in page.find_all("script", type="application/ld+json"):
        assert script.attrs["nonce"] == nonce


@pytest.mark.django_db
def test_no_inline_script_style_or_third_party_resource(page):
    for script in page.find_all("script"):
        if script.attrs.get("type") == "application/ld+json":
            continue
        assert script.attrs["src"].startswith("/static/") and not text_of(script)
    for element in page.iter():
        assert "style" not in element.attrs, element.tag
        assert not any(name.startswith("on") for name in element.attrs), element.tag
    assert page.find("style") is None
    for link in page.find_all("link"):
        if link.attrs.get("rel") == "stylesheet":
            assert link.attrs["href"].startswith("/static/")
    for img in page.find_all("img"):
        assert img.attrs["src"].startswith("/")


@pytest.mark.django_db
def test_french_incident_page_is_in_french(client, seeded):
    response = client.get(
        "/en/incidents/whatsapp-panne-mondiale-2021-10-04/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Content-Language"] == "fr"
    page = parse_html(response.content)
    assert page.find("html").attrs["lang"] == "fr"
    assert text_of(page.find("h1")) == "✓ WhatsApp fonctionne de nouveau"
    facts = text_of(page.by_id("live-facts"))
    assert "Appels vocaux et vidéo" in facts and "Monde entier" in facts
    assert "Dernière mise à jour" in facts
    assert "04/10/2021 15:39 UTC" in facts  # the one French date format
    assert page.find("meta", property="og:locale").attrs["content"] == "fr_FR"
    assert text_of(page.by_id("report-title")) == "WhatsApp est-il en panne chez vous ?"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "is_public"),
    [("suspected", False), ("suspected", True), ("investigating", False), ("dismissed", True)],
)
def test_drafts_and_dismissed_incidents_are_404(client, seeded, status, is_public):
    make_incident(service=seeded, slug="draft", title="Draft", status=status, is_public=is_public)
    assert client.get("/en/incidents/draft/").status_code == 404
    assert client.get("/incidents/draft/state.json").status_code == 404
    assert client.get("/en/incidents/no-such-incident/").status_code == 404


@pytest.mark.django_db
def test_state_json_is_small_and_tracks_the_page_version(client, active_incident, page):
    state = client.get("/incidents/whatsapp-down-europe/state.json").json()
    assert state["version"] == page.find("div", class_="incident-page").attrs["data-version"]
    assert state["status"] == "identified"
    assert state["latest_update_id"] == active_incident.updates.order_by("-published_at").first().pk


@pytest.mark.django_db
def test_same_page_for_anonymous_readers_and_staff(
    client, reader_client, editor_client, active_incident
):
    etags = {c.get(PAGE)["ETag"] for c in (client, reader_client, editor_client)}
    assert len(etags) == 1
    response = editor_client.get(PAGE)
    assert b"csrfmiddlewaretoken" not in response.content
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.django_db
def test_index_lists_active_incidents_first_then_recent_ones(client, active_incident):
    make_incident(
        service=active_incident.service, slug="hidden", title="Hidden draft", status="suspected"
    )
    page = parse_html(client.get("/en/").content)
    now = page.find("section", class_="index-now")
    card = now.find("article")
    assert text_of(card.find("h2")) == "! WhatsApp is down in some regions"  # the kind chosen
    assert card.find("a").attrs["href"] == PAGE
    recent = page.by_id("recent-title").parent
    titles = [text_of(a) for a in recent.find_all("a")]
    assert titles == ["Panne mondiale de WhatsApp, Instagram, Messenger et Facebook"]
    assert "Hidden draft" not in text_of(page)


@pytest.mark.django_db
def test_index_says_no_known_problem_when_all_is_well(client, seeded):
    page = parse_html(client.get("/en/").content)
    assert "WhatsApp: no known problem" in text_of(page.find("section", class_="index-now"))


@pytest.mark.django_db
def test_index_follows_the_reader_language(client, seeded):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert response.redirect_chain == [("/fr/", 302)]
    page = parse_html(response.content)
    assert page.find("html").attrs["lang"] == "fr"
    assert "WhatsApp : aucun problème connu" in text_of(page)
