"""Issue 11, item 4: the public page says what the editor published. The status line is the
latest update's title with the kind and impact the editor chose (never "partly down" on a global
outage), sources carry their public label and only figures from the incident's own window,
and a resolved incident says so at the top, when, and for how long; reporting is closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Evidence, Incident, Source
from public.cache import invalidate_all
from tests.public.htmltools import parse_html, text_of

PAGE = "/en/incidents/whatsapp-down-europe/"


def hero(client, path=PAGE, **headers):
    page = parse_html(client.get(path, **headers).content)
    return page, page.by_id("live-status")


def classes(element) -> str:
    return element.attrs.get("class", "")


@pytest.mark.django_db
def test_global_critical_outage_reads_as_the_editor_wrote_it(client, active_incident, publish):
    active_incident.kind = Incident.Kind.GLOBAL
    active_incident.save()
    publish(active_incident, title="WhatsApp is down", is_confirmed=True)
    page, status = hero(client)
    assert text_of(status.find("h1")) == "! WhatsApp is down"
    assert text_of(status.find("p", class_="status-kicker")) == "Global outage · Critical impact"
    assert "tone-critical" in classes(status)
    assert "partly" not in text_of(page)


@pytest.mark.django_db
def test_french_status_line_follows_the_editor_with_french_typography(client, seeded, publish):
    incident = Incident.objects.create(
        service=seeded,
        slug="whatsapp-panne",
        title="Panne de WhatsApp: ce que l'on sait",
        language="fr",
        kind=Incident.Kind.FEATURE,
        status=Incident.Status.INVESTIGATING,
        impact=Incident.Impact.MAJOR,
        is_public=True,
        started_at=timezone.now() - timedelta(minutes=30),
    )
    publish(incident, title="Les appels ne passent plus!", status="investigating")
    page, status = hero(client, "/en/incidents/whatsapp-panne/")
    assert page.find("html").attrs["lang"] == "fr"
    assert status.find("h1").text().endswith("Les appels ne passent plus\u202f!")
    kicker = text_of(status.find("p", class_="status-kicker"))
    assert kicker == "Fonctionnalités touchées · Impact majeur"
    assert "tone-major" in classes(status)
    assert (
        page.find("p", class_="incident-title").text().strip()
        == "Panne de WhatsApp\u00a0: ce que l'on sait"
    )


@pytest.mark.django_db
def test_a_status_changed_without_an_update_never_shows_the_old_title(
    client, active_incident, change
):
    change(active_incident, status=Incident.Status.MONITORING, impact=Incident.Impact.MINOR)
    _, status = hero(client)
    assert text_of(status.find("h1")) == "! WhatsApp is recovering: a fix is being monitored"
    assert "tone-minor" in classes(status)


@pytest.mark.django_db
def test_sources_by_public_label_only_cited_with_figures_from_the_incident_window(
    client, active_incident
):
    service = active_incident.service
    counter = Source.objects.get(service=service, kind="reports")
    assert counter.public_label == "Downdetector" and counter.name != "Downdetector"
    start = active_incident.started_at

    def point(value, at, key):
        return Evidence.objects.create(
            source=counter,
            service=service,
            title=f"{value} reports at {at:%H:%M} UTC",
            observed_at=at,
            signal_kind=Evidence.SignalKind.REPORTS,
            signal_value=value,
            dedup_key=key,
        )

    point(128, start - timedelta(hours=6), "before")  # a figure from another window
    point(9000, timezone.now() + timedelta(minutes=30), "later")  # after the update
    inside = point(480, start + timedelta(minutes=5), "inside")
    point(300, start + timedelta(minutes=10), "inside-2")
    bluesky = Source.objects.create(
        service=service, name="Internal bluesky search #3", kind="bluesky", tier="community"
    )
    post = Evidence.objects.create(
        source=bluesky, service=service, title="Down here too", observed_at=start, dedup_key="p"
    )
    uncited = Source.objects.create(
        service=service,
        name="Uncited internal feed",
        public_label="Le Monde",
        kind="feed",
        tier="press",
    )
    Evidence.objects.create(
        source=uncited, service=service, title="x", observed_at=start, dedup_key="u"
    )
    update = active_incident.updates.order_by("-published_at").first()
    update.evidence.add(inside, post)
    invalidate_all()

    item = parse_html(client.get(PAGE).content).by_id(f"update-{update.pk}")
    sources = text_of(item.find("div", class_="sources"))
    assert "Downdetector" in sources and "Bluesky" in sources
    assert "Downdetector-style" not in sources and "Internal bluesky" not in sources
    assert "Le Monde" not in sources  # not cited by this update
    assert f"Peak during this incident: 480 reports at {inside.observed_at:%H:%M} UTC" in sources
    assert "128" not in sources and "9000" not in sources
    assert "Down here too" in sources


@pytest.mark.django_db
def test_resolved_incident_says_resolved_when_and_how_long_and_closes_reporting(client, seeded):
    page, status = hero(client, "/fr/incidents/whatsapp-panne-mondiale-2021-10-04/")
    assert page.find("html").attrs["lang"] == "fr"
    assert "tone-ok" in classes(status)
    detail = text_of(status.find("p", class_="status-detail"))
    assert detail == "Résolu le 04/10/2021 21:30 UTC · a duré 5 h 51 min"
    facts = page.by_id("live-facts")
    assert facts.find("time").attrs["datetime"] == "2021-10-04T21:30:00Z"
    assert "Durée 5 h 51 min" in text_of(facts)
    report = page.by_id("report")
    assert report.find("form") is None
    assert "les signalements sont donc fermés" in text_of(report)
    assert page.find("div", class_="fact-next") is None  # no promise on a resolved incident
