"""A service's "is it down?" page (`/<lang>/services/<slug>/`) as a reader arriving from a search gets it,
without JavaScript: the state in words and colour (the live incident's, or the readers' reports),
the latest update, the features, the 24-hour report chart, the "down for me" form that works
with no incident at all, official links, alternatives and the service-wide FAQ; and the home page
listing every tracked service with its state."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone

from incidents.models import Evidence, FAQEntry, Incident, Service, SignalBucket
from incidents.selectors.signals import bucket_floor
from incidents.services.translations import incident_title_translate
from tests.public.htmltools import json_ld, parse_html, text_of

PAGE = "/en/services/whatsapp/"
FRENCH_PAGE = "/fr/services/whatsapp/"


def get_page(client, path=PAGE, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.status_code
    return response, parse_html(response.content)


def state_of(page) -> tuple[str, str]:
    element = page.find("p", class_="service-state")
    return text_of(element), element.attrs["data-tone"]


@pytest.mark.django_db
def test_quiet_service_says_no_known_problem_in_green_words(client, seeded):
    _, page = get_page(client)
    assert text_of(page.find("h1")) == "Is WhatsApp down?"
    assert state_of(page) == ("✓ WhatsApp: no known problem", "ok")
    assert "tone-ok" in page.find("section", class_="service-hero tone-ok").attrs["class"]
    assert page.by_id("live-incident") is None


@pytest.mark.django_db
def test_state_follows_the_live_incident_with_its_latest_update_on_top(
    client, active_incident, publish, change
):
    _, page = get_page(client)
    assert state_of(page) == ("! WhatsApp is down in some regions", "critical")  # the kind chosen
    live = page.by_id("live-incident")
    assert live.find("a").attrs["href"] == "/en/incidents/whatsapp-down-europe/"
    assert text_of(live.find("h3")) == "WhatsApp confirms the outage"
    assert "configuration change is being rolled back" in text_of(live)
    assert "Use SMS or Signal meanwhile." in text_of(live)
    times = page.find("p", class_="service-times").find_all("time")
    assert times[0].attrs["datetime"] == active_incident.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    publish(active_incident, title="A fix is being rolled out", status="monitoring")
    change(active_incident, status="monitoring")
    _, page = get_page(client)
    # The colour stays the impact the editor chose until they lower it.
    assert state_of(page) == ("! WhatsApp is recovering: a fix is being monitored", "critical")
    assert text_of(page.by_id("live-incident").find("h3")) == "A fix is being rolled out"

    change(active_incident, status="resolved", resolved_at=timezone.now())
    _, page = get_page(client)
    assert state_of(page) == ("✓ WhatsApp: no known problem", "ok")
    assert page.by_id("live-incident") is None
    past = page.by_id("past")
    assert past.find("a", href="/en/incidents/whatsapp-down-europe/") is not None


@pytest.mark.django_db
def test_components_show_the_state_the_incident_implies(client, active_incident):
    _, page = get_page(client)
    rows = {}
    for li in page.by_id("components").find_all("li"):
        name, pill = li.find_all("span")
        rows[text_of(name)] = (text_of(pill), pill.attrs["class"])
    assert rows["Messages"] == ("Down", "service-pill tone-critical")
    assert rows["Voice and video calls"] == ("Down", "service-pill tone-critical")
    assert rows["Photos and videos"] == ("Working", "service-pill tone-ok")


@pytest.mark.django_db
def test_chart_of_the_last_24_hours_against_the_usual_level(client, seeded):
    now = timezone.now()
    moment = bucket_floor(now - timedelta(minutes=20))
    SignalBucket.objects.create(service=seeded, bucket_start=moment, count=42)
    for day in range(1, 3):  # the same time on the previous days: the usual level
        SignalBucket.objects.create(
            service=seeded, bucket_start=moment - timedelta(days=day), count=3
        )
    _, page = get_page(client)
    section = page.by_id("reports-chart")
    svg = section.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.find("polyline", class_="chart-reports") is not None
    assert svg.find("polyline", class_="chart-baseline") is not None
    caption = text_of(section.find("figcaption"))
    assert f"Peak: 42 reports in 5 minutes at {moment:%H:%M} UTC" in caption
    assert "Last hour: 42 reports" in caption
    assert section.find("p", class_="service-no-data") is None


@pytest.mark.django_db
def test_no_data_says_so_instead_of_an_empty_box(client, seeded):
    _, page = get_page(client)
    section = page.by_id("reports-chart")
    assert section.find("svg") is None
    assert text_of(section.find("p", class_="service-no-data")).startswith("Not enough data yet")


@pytest.mark.django_db
def test_many_more_reports_than_usual_turn_the_state_orange_not_confirmed(client, seeded):
    now = timezone.now()
    SignalBucket.objects.create(
        service=seeded, bucket_start=bucket_floor(now - timedelta(minutes=10)), count=60
    )
    _, page = get_page(client)
    assert state_of(page) == ("! Problems reported on WhatsApp, not confirmed yet", "warn")
    assert "More reports than usual in the last hour" in text_of(
        page.find("p", class_="service-state-detail")
    )


@pytest.mark.django_db
def test_report_form_is_there_without_any_incident_and_its_report_counts(client, seeded):
    _, page = get_page(client)
    form = page.by_id("report").find("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/services/whatsapp/report/")
    assert form.find("input", name="next").attrs["value"] == PAGE
    components = [
        o.attrs["value"] for o in form.find("select", name="component").find_all("option")
    ]
    assert components[0] == "" and "messages" in components
    countries = [o.attrs["value"] for o in form.find("select", name="country").find_all("option")]
    assert "FR" in countries
    assert text_of(form.find("button")) == "WhatsApp is down for me"

    response = client.post(
        form.attrs["action"],
        {"component": "messages", "country": "FR", "next": PAGE},
        HTTP_REFERER=f"{settings.SITE_URL}{PAGE}",
    )
    assert response.status_code == 200
    thanks = parse_html(response.content)
    assert "Thank you: your report about WhatsApp was counted." in text_of(thanks)
    assert thanks.find("a", href=PAGE) is not None  # back to the service page

    report = Evidence.objects.get(signal_kind=Evidence.SignalKind.READER)
    assert report.service == seeded and report.incident is None
    bucket = bucket_floor(timezone.now())
    counts = dict(
        SignalBucket.objects.filter(service=seeded, bucket_start=bucket).values_list(
            "component", "count"
        )
    )
    assert counts[""] >= 1 and counts["messages"] >= 1  # the detector's own buckets

    from public.cache import invalidate_all

    invalidate_all()
    _, page = get_page(client)
    assert "Last hour: 1 report (usual level" in text_of(page.by_id("reports-chart"))
    _, page = get_page(client, FRENCH_PAGE)
    assert "Dernière heure : 1 signalement (niveau habituel" in text_of(page.by_id("reports-chart"))


@pytest.mark.django_db
def test_service_wide_faq_in_the_page_language_filled_and_described(client, seeded):
    FAQEntry.objects.filter(service=seeded, incident=None).delete()
    FAQEntry.objects.create(
        service=seeded,
        language="en",
        question="Where do I find official news?",
        answer="Official links: {official_links}.",
        is_published=True,
    )
    FAQEntry.objects.create(
        service=seeded,
        language="en",
        question="Since when?",
        answer="Since {since}.",  # needs an incident: left out on a quiet day
        is_published=True,
    )
    FAQEntry.objects.create(
        service=seeded, language="en", question="Draft", answer="Draft", is_published=False
    )
    FAQEntry.objects.create(
        service=seeded, language="fr", question="Question en français ?", answer="Oui.",
        is_published=True,
    )  # fmt: skip
    _, page = get_page(client)
    faq = page.by_id("faq")
    assert [text_of(s) for s in faq.find_all("summary")] == ["Where do I find official news?"]
    assert "Help centre: https://faq.whatsapp.com/" in text_of(faq)
    assert "{" not in text_of(faq)
    blocks = {block["@type"]: block for block in json_ld(page)}
    assert blocks["FAQPage"]["mainEntity"][0]["name"] == "Where do I find official news?"
    assert blocks["FAQPage"]["inLanguage"] == "en"


@pytest.mark.django_db
def test_json_ld_parses_and_stays_inert_with_hostile_text(client, seeded):
    hostile = '</script><script>alert(1)</script><!-- & "quotes"'
    FAQEntry.objects.create(
        service=seeded, language="en", question=hostile, answer=hostile, is_published=True
    )
    response, page = get_page(client)
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    blocks = {block["@type"]: block for block in json_ld(page)}
    assert blocks["WebPage"]["url"] == f"{settings.SITE_URL}{PAGE}"
    assert blocks["WebPage"]["name"] == "Is WhatsApp down?"
    assert blocks["WebPage"]["inLanguage"] == "en"
    assert hostile in [q["name"] for q in blocks["FAQPage"]["mainEntity"]]
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    for script in page.find_all("script", type="application/ld+json"):
        assert script.attrs["nonce"] == nonce
    for script in page.find_all("script"):
        if script.attrs.get("type") != "application/ld+json":
            assert script.attrs["src"].startswith("/static/") and not text_of(script)


@pytest.mark.django_db
def test_open_graph_and_canonical(client, active_incident):
    _, page = get_page(client)
    canonical = f"{settings.SITE_URL}{PAGE}"
    meta = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
        for m in page.find_all("meta")
    }
    assert page.find("link", rel="canonical").attrs["href"] == canonical
    assert meta["og:type"] == "website"
    assert meta["og:url"] == canonical
    assert meta["og:title"] == "Is WhatsApp down?"
    assert meta["og:locale"] == "en_GB"
    assert meta["og:description"].startswith("WhatsApp is down in some regions.")
    assert meta["twitter:card"] == "summary_large_image"
    assert text_of(page.find("title")) == f"Is WhatsApp down? – {settings.SITE_NAME}"


@pytest.mark.django_db
def test_cached_then_refreshed_when_an_update_is_published(client, active_incident, publish):
    first = client.get(PAGE)
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "max-age=" in first["Cache-Control"] and first["Content-Language"] == "en"
    # A write that sends no signal is not seen while the cached body is fresh...
    Incident.objects.filter(pk=active_incident.pk).update(title="Renamed quietly")
    assert b"Renamed quietly" not in client.get(PAGE).content
    # ...a publish is, at once.
    publish(active_incident, title="Service is coming back for some readers")
    fresh = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert "Service is coming back for some readers" in fresh.content.decode()


@pytest.mark.django_db
def test_service_wide_faq_saved_in_the_admin_refreshes_the_page(client, seeded):
    client.get(PAGE)
    FAQEntry.objects.create(
        service=seeded, language="en", question="Brand new question?", answer="Yes.",
        is_published=True,
    )  # fmt: skip
    assert "Brand new question?" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_unknown_and_archived_services_are_404(client, seeded):
    assert client.get("/en/services/no-such-service/").status_code == 404
    Service.objects.create(slug="myspace", name="MySpace", is_active=False)
    assert client.get("/en/services/myspace/").status_code == 404


@pytest.mark.django_db
def test_french_reader_gets_the_whole_page_in_french(client, active_incident):
    response, page = get_page(client, FRENCH_PAGE)
    assert response["Content-Language"] == "fr"
    assert page.find("html").attrs["lang"] == "fr"
    # French typography: a narrow no-break space before the question mark.
    assert page.find("h1").text().strip() == "WhatsApp est-il en panne\u202f?"
    assert state_of(page)[0] == "! WhatsApp est en panne dans certaines régions"
    # The English incident keeps its own language, marked for readers and screen readers, and
    # said in words: its title, then its latest update.
    live = page.by_id("live-incident")
    assert live.find("h2").find("a").attrs["lang"] == "en"
    assert text_of(live.find("h2")).endswith("(en anglais)")
    assert live.find("article", class_="service-latest").attrs["lang"] == "en"
    assert text_of(page.by_id("components-title")) == "Fonctionnalités"
    assert "Messages" in text_of(page.by_id("components"))
    assert page.find("meta", property="og:locale").attrs["content"] == "fr_FR"
    # French spacing before the colon the template writes between a name and its note.
    alternative = page.find("ul", class_="alternatives").find("li").text()
    assert "\u00a0: " in alternative and ": " not in alternative.replace("\u00a0: ", "")
    # The language switch in the header, and the alternates, name the same page in each.
    switch = page.find("nav", class_="language-switch")
    links = {a.attrs["hreflang"]: a for a in switch.find_all("a")}
    assert links["en"].attrs["href"] == PAGE and text_of(links["en"]) == "English"
    assert links["fr"].attrs["aria-current"] == "true"
    alternates = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in page.find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    }
    assert alternates["en"].endswith(PAGE) and alternates["fr"].endswith(FRENCH_PAGE)
    blocks = {block["@type"]: block for block in json_ld(page)}
    assert blocks["WebPage"]["inLanguage"] == "fr"
    faq = [text_of(s) for s in page.by_id("faq").find_all("summary")]
    assert faq and all("When will" not in q for q in faq)
    english = client.get(PAGE)
    assert english["Content-Language"] == "en"
    assert english["ETag"] != response["ETag"]


def home_rows(page) -> list:
    return page.find("section", class_="index-now").find_all("article")


@pytest.mark.django_db
def test_home_lists_every_tracked_service_with_its_state_linking_to_its_page(
    client, active_incident
):
    Service.objects.create(slug="signal", name="Signal")
    Service.objects.create(slug="myspace", name="MySpace", is_active=False)
    page = parse_html(client.get("/en/").content)
    listed = [
        (text_of(row.find("h2")), row.attrs["class"], [a.attrs["href"] for a in row.find_all("a")])
        for row in home_rows(page)
    ]
    assert listed == [
        (
            "! WhatsApp is down in some regions",
            "service-row tone-critical",
            ["/en/incidents/whatsapp-down-europe/", "/en/services/whatsapp/"],
        ),
    ] + [
        (f"✓ {name}: no known problem", "service-row tone-ok", [f"/en/services/{slug}/"] * 2)
        # The other services the demo seeds, and the new one, in name order.
        for slug, name in [
            ("facebook", "Facebook"),
            ("instagram", "Instagram"),
            ("messenger", "Messenger"),
            ("signal", "Signal"),
        ]
    ]
    whatsapp = home_rows(page)[0]
    assert "WhatsApp down in Europe" in text_of(whatsapp)
    assert "WhatsApp confirms the outage" in text_of(whatsapp)  # its latest update
    assert "MySpace" not in text_of(page)


@pytest.mark.django_db
def test_home_puts_a_service_readers_report_before_the_quiet_ones(client, seeded):
    signal = Service.objects.create(slug="signal", name="Signal")
    Service.objects.create(slug="aaa", name="Aaa chat")
    SignalBucket.objects.create(service=signal, bucket_start=bucket_floor(timezone.now()), count=25)
    page = parse_html(client.get("/en/").content)
    states = [text_of(row.find("h2")) for row in home_rows(page)]
    assert states == [
        "! Problems reported on Signal, not confirmed yet",
        "✓ Aaa chat: no known problem",
        "✓ Facebook: no known problem",
        "✓ Instagram: no known problem",
        "✓ Messenger: no known problem",
        "✓ WhatsApp: no known problem",
    ]


@pytest.mark.django_db
def test_home_in_french_lists_the_states_in_french(client, seeded):
    page = parse_html(client.get("/fr/").content)
    row = home_rows(page)[-1]  # the quiet services in name order: WhatsApp comes last
    assert (
        text_of(row.find("h2")) == "✓ WhatsApp : aucun problème connu"
    )  # (text_of folds the no-break space)
    assert text_of(row.find("p", class_="service-row-more")) == (
        "WhatsApp : état, signalements et que faire"
    )
    assert row.find("a").attrs["href"] == FRENCH_PAGE


@pytest.mark.django_db
def test_home_lists_each_incident_title_in_the_page_language_or_says_which_it_is_in(
    client, active_incident
):
    """The French 2021 outage of the demo exists in French only; the European outage in
    English, then in French too once the newsroom translates its title."""
    recent = parse_html(client.get("/en/").content).find("section", class_="index-recent")
    french_only = recent.find("a", href="/fr/incidents/whatsapp-panne-mondiale-2021-10-04/")
    assert french_only.attrs["lang"] == "fr"
    assert text_of(french_only.parent).startswith(f"{text_of(french_only)} (in French)")

    incident_title_translate(
        actor=None, incident=active_incident, language="fr", title="Panne de WhatsApp en Europe"
    )
    django_cache.clear()
    french = parse_html(client.get("/fr/").content)
    live = french.find("section", class_="index-now").find("p", class_="service-row-title")
    assert text_of(live) == "Panne de WhatsApp en Europe" and "lang" not in live.find("span").attrs
    assert "WhatsApp down in Europe" not in text_of(french.find("main"))
    # French spacing before the colon of "Dernière mise à jour <time> : <title>".
    assert "UTC\u00a0: " in french.find("p", class_="service-row-latest").text()
    english = parse_html(client.get("/en/").content).find("section", class_="index-now")
    assert text_of(english.find("p", class_="service-row-title")) == "WhatsApp down in Europe"


@pytest.mark.django_db
def test_the_service_page_loads_its_own_stylesheet_and_nothing_from_elsewhere(client, seeded):
    _, page = get_page(client)
    sheets = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(href.endswith("public/service.css") for href in sheets)
    assert all(href.startswith("/static/") for href in sheets)
    for element in page.iter():
        assert "style" not in element.attrs, element.tag
    assert json.loads(page.find("script", type="application/ld+json").text())


@pytest.mark.django_db
def test_same_page_for_anonymous_readers_and_staff(client, reader_client, editor_client, seeded):
    etags = {c.get(PAGE)["ETag"] for c in (client, reader_client, editor_client)}
    assert len(etags) == 1
    response = editor_client.get(PAGE)
    assert b"csrfmiddlewaretoken" not in response.content  # the report form works without it
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
