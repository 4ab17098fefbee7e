from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from comments.models import CannedReply
from incidents.models import Component, FAQEntry, Incident, ResponseTemplate, Service, Source


@pytest.mark.django_db
def test_seed_creates_the_demo_and_is_safe_to_run_twice():
    call_command("seed_demo", replay_url="http://127.0.0.1:9/")
    counts = (
        Service.objects.count(),
        Component.objects.count(),
        Source.objects.count(),
        FAQEntry.objects.count(),
        ResponseTemplate.objects.count(),
        CannedReply.objects.count(),
        Incident.objects.count(),
    )
    call_command("seed_demo", replay_url="http://127.0.0.1:9/")
    assert counts == (
        Service.objects.count(),
        Component.objects.count(),
        Source.objects.count(),
        FAQEntry.objects.count(),
        ResponseTemplate.objects.count(),
        CannedReply.objects.count(),
        Incident.objects.count(),
    )


@pytest.mark.django_db
def test_seeded_whatsapp_has_components_links_and_alternatives(seeded):
    slugs = set(seeded.components.values_list("slug", flat=True))
    assert {"messages", "calls", "media", "status", "web", "business-api"} <= slugs
    assert seeded.help_url and seeded.official_account_url and seeded.status_page_url
    names = {alt["name"] for alt in seeded.alternatives}
    assert names == {"Telegram", "Signal"}


@pytest.mark.django_db
def test_seeded_sources_point_at_the_local_replay():
    call_command("seed_demo", replay_url="http://127.0.0.1:8765/")
    kinds = set(Source.objects.values_list("kind", flat=True))
    assert {"statuspage", "reports", "mastodon", "bluesky", "reddit", "hn", "probe"} <= kinds
    replayed = Source.objects.exclude(kind__in=["probe", "reader"])
    assert all(s.url.startswith("http://127.0.0.1:8765/") for s in replayed)
    assert all(s.is_enabled for s in replayed)


@pytest.mark.django_db
def test_a_seed_with_the_replay_on_another_port_moves_the_demo_sources_there():
    call_command("seed_demo", replay_url="http://127.0.0.1:8765/")
    # What editors changed since: a source pointed at the real service, another switched off.
    real = "https://www.reddit.com/search.json?q=whatsapp"
    Source.objects.filter(name="Reddit search").update(url=real)
    Source.objects.filter(name="Hacker News").update(is_enabled=False)

    call_command("seed_demo", replay_url="http://127.0.0.1:40123/")

    replayed = Source.objects.exclude(kind__in=["probe", "reader"]).exclude(name="Reddit search")
    assert {urlsplit(s.url).netloc for s in replayed} == {"127.0.0.1:40123"}
    assert Source.objects.get(name="Hacker News").url == (
        "http://127.0.0.1:40123/hn_algolia_search_outage.json"
    )
    assert not Source.objects.get(name="Hacker News").is_enabled
    assert Source.objects.get(name="Reddit search").url == real
    assert Source.objects.get(kind="probe").url == "https://web.whatsapp.com/"


@pytest.mark.django_db
def test_seeded_reader_questions_in_french_and_english(seeded):
    french = set(
        FAQEntry.objects.filter(incident=None, language="fr").values_list("question", flat=True)
    )
    assert "Est-ce que mes messages ont été perdus ?" in french
    assert "Quand Whatsapp sera-t-il de nouveau opérationnel ?" in french
    assert FAQEntry.objects.filter(incident=None, language="en").count() == 4
    assert CannedReply.objects.filter(language="fr").count() == 4


@pytest.mark.django_db
def test_seeded_templates_cover_each_purpose_in_both_tones_and_languages(seeded):
    """The newsroom's announcements, French and English, formal and casual; none of the old
    faults: no self-reference to "our article", no advertising tone."""
    grid = set(ResponseTemplate.objects.values_list("language", "tone", "purpose"))
    assert len(grid) == 16
    messages = " ".join(ResponseTemplate.objects.values_list("message", flat=True))
    assert "Problèmes signalés sur {service}" in " ".join(
        ResponseTemplate.objects.filter(language="fr").values_list("title", flat=True)
    )
    for fault in ("notre article", "our article", "découvrez", "discover our alternatives"):
        assert fault not in messages


@pytest.mark.django_db
def test_seeded_past_incident_is_the_six_hour_october_2021_outage(seeded):
    incident = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    assert incident.status == "resolved" and incident.is_public
    assert incident.resolved_at is not None and incident.started_at is not None
    duration = incident.resolved_at - incident.started_at
    assert timedelta(hours=5, minutes=30) <= duration <= timedelta(hours=6, minutes=30)
    times = list(incident.updates.order_by("published_at").values_list("published_at", flat=True))
    assert len(times) == 4 and times == sorted(times)


@pytest.mark.django_db
def test_the_demo_attaches_no_other_companys_status_page_to_whatsapp():
    """The recorded Discord and GitHub status pages are not WhatsApp's: not attached to it,
    and a demo seeded before keeps them switched off, under their real owner."""
    call_command("seed_demo", replay_url="http://127.0.0.1:8765/")
    whatsapp = Service.objects.get(slug="whatsapp")
    assert whatsapp.owner == "meta"
    replayed = {urlsplit(s.url).path for s in whatsapp.sources.filter(is_enabled=True)}
    assert not replayed & {"/statuspage_incidents.json", "/status_feed.rss", "/status_feed.atom"}
    official = whatsapp.sources.filter(tier="official")
    assert official and {s.owner for s in official} == {"meta"}
    assert all(s.public_label for s in whatsapp.sources.all())

    old = Source.objects.create(
        service=whatsapp, name="Status history (Atom)", kind="feed", tier="official", owner="meta"
    )
    call_command("seed_demo", replay_url="http://127.0.0.1:8765/")
    old.refresh_from_db()
    assert (old.owner, old.is_enabled) == ("github", False)


@pytest.mark.django_db
def test_the_2021_outage_affects_whatsapp_instagram_messenger_and_facebook(seeded):
    incident = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    assert incident.service == seeded
    assert [s.slug for s in incident.affected_services()] == [
        "whatsapp",
        "facebook",
        "instagram",
        "messenger",
    ]
    for slug in ("instagram", "messenger", "facebook"):
        service = Service.objects.get(slug=slug)
        assert service.owner == "meta" and service.is_active
        components = list(service.components.all())
        assert components and all(c.name_fr and c.name_en and c.keywords for c in components)


@pytest.mark.django_db
def test_a_demo_seeded_before_gets_the_other_services_attached_once():
    call_command("seed_demo", replay_url="")
    incident = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    incident.services.clear()
    call_command("seed_demo", replay_url="")
    call_command("seed_demo", replay_url="")
    assert incident.services.count() == 4
