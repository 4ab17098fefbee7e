"""Each workspace panel is built once (newsroom/panels/): what an htmx request swaps in is
exactly what the full page shows for the same address, so a refresh never changes a panel."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import SignalBucket
from incidents.selectors.signals import bucket_floor
from incidents.services.verification import evidence_verify
from tests.factories import make_evidence

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """The composer's preview prints the time of rendering: both renderings share one clock."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def element(html: str, tag: str, element_id: str) -> str:
    """The element with this id, compared without its per-request CSRF tokens and without
    the out-of-band marker a fragment adds."""
    start = html.index(f"<{tag} id={element_id!r}".replace("'", '"'))
    end = html.index(f"</{tag}>", start) + len(f"</{tag}>")
    found = html[start:end]
    found = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", found)
    return found.replace('hx-swap-oob="true"', "")


def page(http, incident, **query) -> str:
    response = http.get(reverse("newsroom:workspace", args=[incident.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_fragment_is_the_inbox_of_the_page(editor_client, editor, incident, mastodon):
    make_evidence(mastodon, text="messages stuck", region_hints=["FR"])
    evidence_verify(
        actor=editor, evidence=make_evidence(mastodon, text="calls fail"), incident=incident
    )
    # Belgium is offered as a filter only because the signals mention it.
    SignalBucket.objects.create(
        service=incident.service,
        bucket_start=bucket_floor(incident.started_at),
        region="BE",
        count=30,
    )
    query = {"tier": "community", "region": "FR"}
    fragment = editor_client.get(reverse("newsroom:inbox", args=[incident.pk]), query, **HX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "messages stuck" in html and 'aria-current="true"' in html
    assert "region=BE" in html
    assert element(html, "section", "inbox") == element(
        page(editor_client, incident, **query), "section", "inbox"
    )


def test_the_composer_fragment_is_the_composer_of_the_page(editor_client, incident):
    query = {"template": "en-what-we-know"}
    fragment = editor_client.get(reverse("newsroom:composer", args=[incident.pk]), query, **HX)
    html = fragment.content.decode()
    assert "WhatsApp outage: what we know" in html
    assert element(html, "section", "composer") == element(
        page(editor_client, incident, **query), "section", "composer"
    )


def test_the_faq_fragment_is_the_faq_of_the_page(editor_client, incident):
    fragment = editor_client.post(reverse("newsroom:faq_prefill", args=[incident.pk]), **HX)
    html = fragment.content.decode()
    assert html.count('class="faq-entry"') >= 3
    assert element(html, "section", "faq") == element(
        page(editor_client, incident), "section", "faq"
    )


def test_what_a_publication_swaps_in_is_what_a_reload_shows(editor_client, incident):
    data = {
        "title": "{service} : des utilisateurs signalent des problèmes",
        "message": "Nous vérifions.",
        "status": "identified",
        "language": "fr",
        "confirmation": "report",
        "seen_update": "0",
    }
    response = editor_client.post(reverse("newsroom:publish", args=[incident.pk]), data, **HX)
    assert response.status_code == 200
    answer = response.content.decode()
    assert "WhatsApp : des utilisateurs signalent des problèmes" in answer
    reloaded = page(editor_client, incident)
    # The timeline, the state form and the title line are swapped out of band.
    for tag, element_id in (
        ("section", "timeline"),
        ("section", "state-panel"),
        ("header", "incident-header"),
    ):
        assert element(answer, tag, element_id) == element(reloaded, tag, element_id)
    # The fresh composer is the page's, apart from the "Published at…" notice.
    composer = re.sub(
        r'<p class="notice" role="status">Published at[^<]*</p>',
        "",
        element(answer, "section", "composer"),
    )
    assert composer == element(reloaded, "section", "composer")
