"""POST /services/<slug>/report/: "WhatsApp is down for me", one per reader per service per
hour, counted as a signal, with nothing personal kept."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from incidents.models import DetectorState, Evidence, Service, SignalBucket, Source
from incidents.services.reader_reports import reader_report_submit, report_target
from incidents.tasks import report_targets_refresh_task
from outagedesk.models import AuditEvent
from tests.factories import make_incident

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json", **ORIGIN}


@pytest.fixture
def report_url(whatsapp):
    return reverse("incidents:reader_report", kwargs={"service_slug": "whatsapp"})


def post(client, url, data=None, *, address="203.0.113.7", **extra):
    return client.post(url, data or {}, REMOTE_ADDR=address, **extra)


def test_url_contract(report_url):
    assert report_url == "/services/whatsapp/report/"


@pytest.mark.parametrize("who", ["client", "reader_client", "editor_client"])
def test_anyone_can_report_and_it_becomes_evidence(request, who, report_url, whatsapp):
    client = request.getfixturevalue(who)
    response = post(client, report_url, {"component": "calls", "country": "fr"}, **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Thank you: your report about WhatsApp was counted.",
    }
    evidence = Evidence.objects.get(signal_kind=Evidence.SignalKind.READER)
    assert evidence.source.kind == Source.Kind.READER and evidence.service == whatsapp
    assert evidence.component_hints == ["calls"] and evidence.region_hints == ["FR"]
    assert evidence.title == "Reader report: Voice and video calls (FR)"
    assert evidence.state == Evidence.State.UNVERIFIED and evidence.signal_value == 1
    bucket = SignalBucket.objects.get(service=whatsapp, component="", region="")
    assert bucket.count == 1
    assert SignalBucket.objects.get(service=whatsapp, component="calls").count == 1
    assert SignalBucket.objects.get(service=whatsapp, region="FR").count == 1


def test_one_report_per_reader_per_service_per_hour(client, report_url, whatsapp):
    assert post(client, report_url, **JSON).status_code == 200
    again = post(client, report_url, {"component": "messages"}, **JSON)
    assert again.status_code == 429
    assert again.json() == {
        "ok": False,
        "message": "You already reported a problem with WhatsApp in the last hour.",
    }
    assert post(client, report_url, address="198.51.100.20", **JSON).status_code == 200
    assert Evidence.objects.filter(signal_kind="reader").count() == 2


def test_the_database_refuses_a_second_report_even_without_the_cache(
    client, report_url, whatsapp, monkeypatch, settings
):
    """Without Redis (the embedded mode) the request stores its report itself, and learns from
    the database that this reader was already counted this hour (tests/gathering/
    test_reader_report_buffer.py covers the same with Redis)."""
    from incidents.services import reader_reports

    settings.REDIS_URL = ""
    monkeypatch.setattr(reader_reports, "rate_limited", lambda *a, **k: False)
    assert post(client, report_url, **JSON).status_code == 200
    assert post(client, report_url, **JSON).status_code == 429
    assert Evidence.objects.filter(signal_kind="reader").count() == 1


def test_nothing_personal_is_stored(client, report_url, whatsapp):
    post(client, report_url, {"country": "BE"}, address="203.0.113.99", **JSON)
    evidence = Evidence.objects.get(signal_kind="reader")
    stored = [evidence.dedup_key, evidence.title, evidence.text, evidence.author, str(evidence.raw)]
    stored += [str(e.details) + e.object_repr for e in AuditEvent.objects.all()]
    assert not any("203.0.113.99" in value for value in stored)
    assert evidence.author == "" and evidence.raw == {"component": "", "country": "BE"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"component": "teleportation"}, "Unknown feature."),
        ({"country": "XX"}, "Unknown country."),
        ({"country": "<s"}, "Unknown country."),
    ],
)
def test_invalid_choices_are_refused(client, report_url, data, message):
    response = post(client, report_url, data, **JSON)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": message}
    assert not Evidence.objects.exists()


def test_html_answer_links_back_to_the_page_on_this_site(client, report_url):
    response = post(
        client,
        report_url,
        {"next": "/incidents/whatsapp-outage/?from=banner"},
        HTTP_REFERER="http://testserver/elsewhere/",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report received" in page
    assert 'href="/incidents/whatsapp-outage/?from=banner"' in page


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)"]
)
def test_back_link_never_leaves_the_site(client, report_url, next_url):
    response = post(client, report_url, {"next": next_url}, HTTP_REFERER="http://testserver/a/")
    page = response.content.decode()
    assert "evil.example" not in page and "javascript:" not in page
    assert 'href="/a/"' in page


def test_html_answer_when_limited(client, report_url):
    post(client, report_url, **ORIGIN)
    response = post(client, report_url, **ORIGIN)
    assert response.status_code == 429
    assert "Report not counted" in response.content.decode()


def test_french_answer(client, report_url):
    response = post(client, report_url, HTTP_ACCEPT_LANGUAGE="fr", **JSON)
    assert (
        response.json()["message"]
        == "Merci\u00a0: votre signalement concernant WhatsApp a été compté."
    )


def test_cross_site_posts_are_refused(client, report_url):
    response = post(client, report_url, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert post(client, report_url).status_code == 403  # neither Origin nor Referer
    assert not Evidence.objects.exists()


def test_get_is_not_allowed(client, report_url):
    assert client.get(report_url).status_code == 405


def test_unknown_or_untracked_service_is_404(client, whatsapp):
    url = reverse("incidents:reader_report", kwargs={"service_slug": "nope"})
    assert post(client, url, **JSON).status_code == 404
    whatsapp.is_active = False
    whatsapp.save()
    assert post(client, f"/services/{whatsapp.slug}/report/", **JSON).status_code == 404


def test_reports_spread_over_hours_are_each_counted(whatsapp):
    for hour in (9, 10):
        target = report_target(whatsapp.slug)
        assert target is not None
        reader_report_submit(
            target=target,
            component="",
            country="",
            reader_key="k",
            now=datetime(2025, 10, 14, hour, 30, tzinfo=UTC),
        )
        cache.clear()  # the cache window is real time; the stored key is per hour
    assert Evidence.objects.filter(signal_kind="reader").count() == 2


def test_a_feature_added_or_removed_counts_at_once(client, report_url, whatsapp):
    """What a report knows of the service is cached (every report of a crisis reads it): an
    editor's change to the service's features still applies to the very next report."""
    assert post(client, report_url, {"component": "calls"}, **JSON).status_code == 200
    whatsapp.components.create(slug="channels", name_en="Channels", name_fr="Chaînes")
    response = post(client, report_url, {"component": "channels"}, address="198.51.100.3", **JSON)
    assert response.status_code == 200
    assert Evidence.objects.filter(title="Reader report: Channels").count() == 1
    whatsapp.components.filter(slug="calls").delete()
    refused = post(client, report_url, {"component": "calls"}, address="198.51.100.4", **JSON)
    assert refused.status_code == 400 and refused.json()["message"] == "Unknown feature."
    whatsapp.name = "WhatsApp Messenger"
    whatsapp.save()
    renamed = post(client, report_url, address="198.51.100.5", **JSON)
    assert renamed.json()["message"] == (
        "Thank you: your report about WhatsApp Messenger was counted."
    )


def test_a_report_joins_the_incident_the_detector_opened(client, report_url, whatsapp):
    incident = make_incident(service=whatsapp, slug="down", status="suspected")
    DetectorState.objects.create(
        service=whatsapp,
        level="likely",
        since=timezone.now(),
        episode_started_at=timezone.now(),
        suspected_incident=incident,
    )
    assert post(client, report_url, **JSON).status_code == 200
    assert Evidence.objects.get(signal_kind="reader").incident == incident


def test_the_periodic_job_has_every_tracked_service_ready_for_the_first_report(
    whatsapp, django_assert_num_queries
):
    """The first reports of a crisis arrive together: none of them should have to read the
    service from the database."""
    archived = Service.objects.create(slug="myspace", name="MySpace", is_active=False)
    cache.clear()
    tracked = Service.objects.filter(is_active=True).count()
    assert report_targets_refresh_task.delay().get() == tracked
    with django_assert_num_queries(0):
        target = report_target(whatsapp.slug)
    assert target is not None and "calls" in target.features
    assert cache.get(f"reader-report-target:{archived.slug}") is None
