"""A service's sources in the newsroom: a form per kind that builds the config its collector
reads, "Test now" on unsaved values against the replayed recordings (and a refused address),
storing nothing; the "official" tier only for the service's own company."""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from incidents.collectors import COLLECTORS
from incidents.models import Evidence, Source
from incidents.services.confirmation import basis_from_evidence, confirmation_check
from outagedesk.models import AuditEvent
from tests.factories import make_evidence

pytestmark = pytest.mark.django_db

COMMON = {
    "name": "Threads watch",
    "public_label": "Watcher",
    "owner": "someone",
    "tier": "community",
    "poll_interval_seconds": "120",
    "is_enabled": "on",
}

# Per kind: the posted fields, and the config the collector must find.
KIND_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "statuspage": (
        {
            "url": "https://status.example.com/api/v2/summary.json",
            "resource": "summary",
            "component_map": "Message delivery = messages\nVoice and video calls=calls",
        },
        {
            "resource": "summary",
            "component_map": {"Message delivery": "messages", "Voice and video calls": "calls"},
        },
    ),
    "feed": ({"url": "https://status.example.com/history.atom"}, {}),
    "mastodon": (
        {
            "url": "https://mastodon.social/api/v1/timelines/tag/WhatsappDown",
            "hashtags": "#WhatsappProbleme, WhatsappOutage",
        },
        {"hashtags": ["WhatsappProbleme", "WhatsappOutage"]},
    ),
    "bluesky": (
        {
            "url": "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts",
            "query": "#WhatsappDown",
        },
        {"query": "#WhatsappDown"},
    ),
    "reddit": (
        {"url": "https://www.reddit.com/search.json", "query": "whatsapp down"},
        {"query": "whatsapp down"},
    ),
    "hn": (
        {"url": "https://hn.algolia.com/api/v1/search_by_date", "query": "whatsapp"},
        {"query": "whatsapp"},
    ),
    "x": (
        {"url": "", "query": "whatsapp down", "max_results": "40"},
        {"query": "whatsapp down", "max_results": 40},
    ),
    "reports": (
        {
            "url": "https://monitor.example/status.json",
            "series_path": "data.points",
            "time_field": "t",
            "value_field": "n",
            "baseline_field": "usual",
            "problems_path": "problems",
            "problem_map": "Messaging = messages",
            "timezone": "Europe/Paris",
            "point_minutes": "15",
            "public_url": "https://monitor.example/whatsapp/",
        },
        {
            "series_path": "data.points",
            "time_field": "t",
            "value_field": "n",
            "baseline_field": "usual",
            "problems_path": "problems",
            "problem_map": {"Messaging": "messages"},
            "timezone": "Europe/Paris",
            "point_minutes": 15,
            "public_url": "https://monitor.example/whatsapp/",
        },
    ),
    "probe": (
        {
            "url": "https://web.whatsapp.com/",
            "hosts": "web.whatsapp.com, g.whatsapp.net",
            "expect_status": "200, 301",
            "dns_timeout": "2.5",
        },
        {
            "hosts": ["web.whatsapp.com", "g.whatsapp.net"],
            "expect_status": [200, 301],
            "dns_timeout": 2.5,
        },
    ),
    "reader": ({}, {}),
}


def new_url(service, kind=""):
    url = reverse("newsroom:source_new", args=[service.pk])
    return f"{url}?kind={kind}" if kind else url


def trial_url(service):
    return reverse("newsroom:source_test", args=[service.pk])


@pytest.fixture
def replay_allowed(settings, replay_server):
    """Private addresses refused as in production, except the replay server, allowed by
    host:port exactly as the embedded runner allows it."""
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [urlsplit(replay_server.url).netloc]
    return replay_server


def test_every_kind_of_source_has_a_form():
    from newsroom.forms_sources import KIND_FORMS

    assert set(KIND_FORMS) == set(Source.Kind.values) == set(KIND_CASES)
    assert set(COLLECTORS) <= set(KIND_FORMS)


def test_source_views_refuse_anonymous_users_and_moderators(client, moderator_client, seeded):
    source = seeded.sources.first()
    gets = [new_url(seeded), new_url(seeded, "feed")]
    gets.append(reverse("newsroom:source_edit", args=[seeded.pk, source.pk]))
    posts = [new_url(seeded, "feed"), trial_url(seeded), gets[-1]]
    data = {**COMMON, "kind": "feed", "url": "https://status.example.com/history.atom"}
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        assert moderator_client.get(url).status_code == 403, url
    for url in posts:
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        assert moderator_client.post(url, data).status_code == 403, url
    assert not Source.objects.filter(name="Threads watch").exists()
    assert not AuditEvent.objects.filter(action__startswith="source.").exists()


def test_adding_a_source_starts_with_the_list_of_kinds(editor_client, seeded):
    html = editor_client.get(new_url(seeded)).content.decode()
    for value, label in Source.Kind.choices:
        assert f"?kind={value}" in html and str(label) in html
    form = editor_client.get(new_url(seeded, "reports")).content.decode()
    # The kind's own fields, with help drawn from the real formats.
    assert 'name="series_path"' in form and "data.points" in form and "reports_value" in form
    assert 'name="hashtags"' not in form


@pytest.mark.parametrize("kind", list(KIND_CASES))
def test_each_kind_form_builds_the_config_its_collector_reads(editor_client, editor, seeded, kind):
    fields, config = KIND_CASES[kind]
    response = editor_client.post(new_url(seeded), {**COMMON, "kind": kind, **fields})
    assert response.status_code == 302, response.context and response.context["form"].errors
    source = Source.objects.get(service=seeded, name="Threads watch")
    assert source.kind == kind and source.config == config
    assert (source.public_label, source.tier, source.owner) == ("Watcher", "community", "someone")
    assert source.url == fields.get("url", "")
    event = AuditEvent.objects.get(action="source.create")
    assert event.actor == editor and event.details["service"] == "whatsapp"
    assert sorted(event.details["config_changed"]) == sorted(config)


def test_editing_a_source_shows_its_config_as_fields_and_audits_the_change(editor_client, seeded):
    source = seeded.sources.get(kind="reports")
    url = reverse("newsroom:source_edit", args=[seeded.pk, source.pk])
    form = editor_client.get(url).context["form"]
    assert form["problem_map"].value() == "Messaging = messages\nServer Connection = connection"
    assert "Messaging = messages" in form["problem_map"].as_widget()
    data = {name: form[name].value() for name in form.fields}
    data["problem_map"] = "Messaging = messages"
    data["public_label"] = "Downdetector France"
    data["url"] = "https://monitor.example/whatsapp.json"  # seeded without a replay address
    data = {key: value for key, value in data.items() if value not in (None, False)}
    response = editor_client.post(url, {**data, "kind": "reports"})
    assert response.status_code == 302, response.context["form"].errors
    source.refresh_from_db()
    assert source.config["problem_map"] == {"Messaging": "messages"}
    assert source.config["series_path"] == "time_series"  # the rest kept
    assert source.public_label == "Downdetector France"
    event = AuditEvent.objects.get(action="source.update")
    assert event.details["changed"] == ["public_label", "url"]
    assert event.details["config_changed"] == ["problem_map"]


def test_a_component_slug_the_service_does_not_have_is_a_field_error(editor_client, seeded):
    fields, _config = KIND_CASES["statuspage"]
    data = {**COMMON, "kind": "statuspage", **fields, "component_map": "Feed = feed"}
    response = editor_client.post(new_url(seeded), data)
    assert response.status_code == 422
    (error,) = response.context["form"].errors["component_map"]
    assert error.startswith("Unknown component slug: feed. This service has: business-api, calls")
    assert not Source.objects.filter(name="Threads watch").exists()


def test_official_is_refused_for_another_companys_source(editor_client, seeded):
    data = {
        **COMMON,
        "kind": "feed",
        "url": "https://www.githubstatus.com/history.atom",
        "owner": "github",
        "tier": "official",
    }
    response = editor_client.post(new_url(seeded), data)
    assert response.status_code == 422
    (error,) = response.context["form"].errors["tier"]
    assert "Official is for WhatsApp's own sources: the owner must be “meta”" in error
    assert not Source.objects.filter(name="Threads watch").exists()

    data.update(owner="Meta ")  # the same company, typed differently
    assert editor_client.post(new_url(seeded), data).status_code == 302
    assert Source.objects.get(name="Threads watch").tier == "official"


def test_the_service_layer_refuses_a_foreign_official_source_too(editor, seeded):
    from incidents.services.sources import SourceError, source_save

    values = {
        "kind": "statuspage",
        "name": "GitHub status",
        "url": "https://www.githubstatus.com/api/v2/summary.json",
        "owner": "github",
        "tier": "official",
        "poll_interval_seconds": 60,
    }
    with pytest.raises(SourceError) as refused:
        source_save(actor=editor, service=seeded, source=None, values=values, config={})
    assert (refused.value.code, refused.value.field) == ("official_other_owner", "tier")
    assert not Source.objects.filter(name="GitHub status").exists()


def test_a_foreign_official_source_is_never_counted_as_official(seeded, incident):
    """An old row: GitHub's status page stored as "official" on WhatsApp."""
    github = Source.objects.create(
        service=seeded, name="GitHub status", kind="statuspage", tier="official", owner="github"
    )
    meta = seeded.sources.get(name="WhatsApp status page (summary)")
    foreign = make_evidence(github, state=Evidence.State.VERIFIED, incident=incident)
    check = confirmation_check(basis=basis_from_evidence([foreign]))
    assert not check.has_official and not check.ok
    own = make_evidence(meta, state=Evidence.State.VERIFIED, incident=incident)
    check = confirmation_check(basis=basis_from_evidence([foreign, own]))
    assert check.official_sources == ("WhatsApp status page (summary)",)


def test_a_foreign_official_status_page_does_not_raise_the_detector(seeded):
    from django.utils import timezone

    from incidents.detection.official import official_major_outage

    now = timezone.now()
    github = Source.objects.create(
        service=seeded,
        name="GitHub status",
        kind="statuspage",
        tier="official",
        owner="github",
        last_success_at=now,
    )
    make_evidence(
        github,
        signal_kind=Evidence.SignalKind.STATUS,
        title="GitHub: Major outage",
        raw={"scope": "page", "scope_id": "gh", "major": True},
        published_at=now,
    )
    assert official_major_outage(service=seeded, now=now) == []
    Source.objects.filter(pk=github.pk).update(owner="meta")
    assert official_major_outage(service=seeded, now=now) == ["GitHub: Major outage"]


def _trial(editor_client, seeded, kind, url, **fields):
    data = {"kind": kind, "url": url, **fields}
    return editor_client.post(trial_url(seeded), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    ("kind", "name", "fields", "count", "first_title"),
    [
        (
            "statuspage",
            "statuspage_summary_outage.json",
            {"component_map": "Message delivery = messages"},
            8,
            "Example Messenger: Major System Outage",
        ),
        ("feed", "status_feed.atom", {}, 3, "Incident with Actions"),
        (
            "reports",
            "downdetector_outage_report.json",
            {"series_path": "time_series", "value_field": "reports_value", "time_field": "date"},
            96,
            "9 reports at 22:15 UTC",
        ),
        ("mastodon", "mastodon_tag_timeline.json", {"hashtags": "WhatsappDown"}, 3, ""),
    ],
)
def test_test_now_shows_what_would_be_stored_and_stores_nothing(
    editor_client, seeded, replay_allowed, kind, name, fields, count, first_title
):
    sources_before = list(Source.objects.values_list("pk", "etag", "last_run_at", "config"))
    response = _trial(editor_client, seeded, kind, replay_allowed.url + name, **fields)
    assert response.status_code == 200
    result = response.context["trial"]["result"]
    assert result.ok and result.count == count
    html = response.content.decode()
    assert f"Would store {count} items." in html and "Nothing was saved." in html
    assert html.lstrip().startswith('<div id="trial"')  # the fragment only
    if first_title:
        assert any(item.title.startswith(first_title) for item in result.items), result.items
    else:
        assert result.items[0].text.startswith("Is anyone else's WhatsApp completely dead?")
    assert Evidence.objects.count() == 0
    assert list(Source.objects.values_list("pk", "etag", "last_run_at", "config")) == sources_before
    assert not AuditEvent.objects.filter(action__startswith="source.").exists()


def test_test_now_on_an_existing_source_leaves_it_untouched(editor_client, seeded, replay_allowed):
    source = seeded.sources.get(kind="reports")
    Source.objects.filter(pk=source.pk).update(etag='"old"')
    data = {
        "source": source.pk,
        "kind": "feed",  # ignored: a saved source keeps its kind
        "url": replay_allowed.url + "downdetector_outage_report.json",
        "series_path": "time_series",
    }
    response = editor_client.post(trial_url(seeded), data)
    assert response.status_code == 200
    assert response.context["trial"]["result"].count == 96
    assert "<html" in response.content.decode()  # without htmx: the whole page
    source.refresh_from_db()
    assert source.etag == '"old"' and source.last_run_at is None
    assert not Evidence.objects.filter(source=source).exists()


def test_test_now_refuses_a_private_address_with_that_reason(editor_client, seeded, replay_allowed):
    # Loopback but not the allowed replay port: refused exactly as gathering refuses it.
    port = urlsplit(replay_allowed.url).port
    other = f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/statuspage_summary.json"
    response = _trial(editor_client, seeded, "statuspage", other)
    result = response.context["trial"]["result"]
    assert (result.ok, result.failure) == (False, "refused")
    html = response.content.decode()
    assert "Address refused" in html and "127.0.0.1" in html and "Nothing was saved." in html
    metadata = _trial(editor_client, seeded, "feed", "http://169.254.169.254/latest/meta-data/")
    assert metadata.context["trial"]["result"].failure == "refused"
    assert Evidence.objects.count() == 0


def test_test_now_names_the_wrong_format_and_the_http_error(editor_client, seeded, replay_allowed):
    not_json = _trial(editor_client, seeded, "statuspage", replay_allowed.url + "status_feed.atom")
    result = not_json.context["trial"]["result"]
    assert result.failure == "bad_content" and "expected JSON" in result.detail
    assert "Not the expected format" in not_json.content.decode()
    missing = _trial(editor_client, seeded, "feed", replay_allowed.url + "nothing-here.rss")
    assert missing.context["trial"]["result"].failure == "http"
    assert "404" in missing.context["trial"]["result"].detail


def test_test_now_is_rate_limited_per_user(editor_client, admin_client_, seeded, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    url = "http://127.0.0.1:9/feed.rss"  # refused at once: no network needed
    statuses = [_trial(editor_client, seeded, "feed", url).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    limited = _trial(editor_client, seeded, "feed", url)
    assert "Too many tests in a row" in limited.content.decode()
    assert _trial(admin_client_, seeded, "feed", url).status_code == 200  # another user


def test_test_now_with_a_missing_address_points_at_the_field(editor_client, seeded):
    response = _trial(editor_client, seeded, "feed", "")
    assert response.status_code == 422
    assert "Fix the fields marked above" in response.content.decode()


def test_test_now_gives_up_at_its_short_deadline(
    editor_client, seeded, settings, monkeypatch, request
):
    from incidents.collectors import trial

    slow = request.getfixturevalue("hostile_server")  # its /slow answers after 3 s

    settings.FETCH_ALLOW_PRIVATE = True
    # The trial's limits, shortened so the test does not wait the real 8 seconds.
    monkeypatch.setattr(trial, "TRIAL_TIMEOUT", [0.3, 0.3])
    response = _trial(editor_client, seeded, "mastodon", f"{slow.url}/slow")
    result = response.context["trial"]["result"]
    assert result.failure == "timeout"
    assert "No answer in time" in response.content.decode()
    assert Evidence.objects.count() == 0
