"""The composer: templates, placeholders, checklist, live preview and why "confirmed" is
blocked. Plus the page rules: every hx-get has an href, no inline script or style."""

import re

from django.urls import reverse

from incidents.services.verification import evidence_verify
from outagedesk.models import AuditEvent
from tests.factories import make_evidence

HX = {"HTTP_HX_REQUEST": "true"}


def workspace_html(http, incident, **query):
    return http.get(reverse("newsroom:workspace", args=[incident.pk]), query).content.decode()


def preview(http, incident, **fields):
    data = {
        "title": "",
        "message": "",
        "advice": "",
        "call_to_action": "",
        "status": "investigating",
        "language": "fr",
        "confirmation": "report",
        "seen_update": "0",
    }
    data.update(fields)
    return http.post(reverse("newsroom:preview", args=[incident.pk]), data, **HX)


def test_without_verified_evidence_confirmed_is_blocked_and_a_report_template_suggested(
    editor_client, incident
):
    html = workspace_html(editor_client, incident)
    # The fields hold the real text: the template's placeholders are already filled.
    assert 'value="Problèmes signalés sur WhatsApp"' in html
    assert re.search(r'value="confirmed"\s+disabled', html)
    assert re.search(r'value="report" checked', html)
    assert "Confirmed is blocked:" in html
    assert "no verified evidence yet" in html


def test_with_two_independent_sources_confirmed_is_offered(
    editor_client, editor, incident, downdetector, mastodon
):
    for source in (downdetector, mastodon):
        evidence_verify(actor=editor, evidence=make_evidence(source), incident=incident)
    html = workspace_html(editor_client, incident)
    assert 'value="Panne de WhatsApp depuis ' in html
    assert re.search(r'value="confirmed" checked', html)
    assert "Confirmed is allowed: 2 independent verified sources" in html


def test_the_composer_address_varies_on_hx_request(editor_client, incident):
    """The same address answers a fragment to htmx and the whole workspace to a plain visit:
    a browser or proxy cache must keep them apart, or "back" shows a bare fragment."""
    url = reverse("newsroom:composer", args=[incident.pk])
    fragment = editor_client.get(url, {"template": "en-what-we-know"}, **HX)
    page = editor_client.get(url, {"template": "en-what-we-know"})
    for response in (fragment, page):
        assert response.status_code == 200
        assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]
    assert fragment.content.decode().lstrip().startswith('<section id="composer"')
    assert "<html" in page.content.decode()
    # The plain visit starts the composer from the same template.
    assert 'value="WhatsApp outage: what we know"' in page.content.decode()


def test_choosing_a_template(editor_client, incident):
    response = editor_client.get(
        reverse("newsroom:composer", args=[incident.pk]), {"template": "en-what-we-know"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="composer"')
    assert 'value="WhatsApp outage: what we know"' in html
    assert '<option value="en" selected>' in html
    assert "<dt><code>{official_links}</code></dt>" in html
    # The preview shows the filled text, in the template's language.
    assert "WhatsApp outage: what we know" in html
    assert "Help centre: https://faq.whatsapp.com/" in html


def test_a_template_link_works_without_javascript(editor_client, incident):
    html = workspace_html(editor_client, incident, template="fr-retabli")
    assert 'value="WhatsApp fonctionne de nouveau"' in html
    assert '<option value="resolved" selected>' in html  # a resolution template resolves


def test_preview_fills_placeholders_and_ticks_the_checklist(
    editor_client, editor, incident, status_page
):
    evidence_verify(actor=editor, evidence=make_evidence(status_page), incident=incident)
    response = preview(
        editor_client,
        incident,
        title="{service} est hors service",
        message="Depuis {since}.",
        confirmation="confirmed",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h4>WhatsApp est hors service</h4>" in html
    assert "Selon la page de statut officielle de WhatsApp." in html
    states = {
        key: state
        for state, key in re.findall(r'<li class="(done|missing)" data-element="(\w+)"', html)
    }
    assert states == {
        "title": "done",
        "message": "done",
        "timestamp": "done",
        "sources": "done",
        "advice": "missing",
        "call_to_action": "missing",
    }
    assert "Confirmé" in html  # the preview speaks the language of the update
    assert 'class="banner-preview status-investigating"' in html


def test_preview_labels_reports_and_warns_about_confirmed_wording(editor_client, incident):
    html = preview(
        editor_client,
        incident,
        title="{service} est hors service",
        message="x {unknown}",
        template="fr-hors-service",
        confirmation="report",
    ).content.decode()
    assert 'class="badge report"' in html
    assert "choose a “reports” template" in html
    assert "Unknown placeholders cannot be published: {unknown}" in html


def test_preview_writes_nothing(editor_client, incident):
    before = AuditEvent.objects.count()
    preview(editor_client, incident, title="t", message="m")
    assert incident.updates.count() == 0
    assert AuditEvent.objects.count() == before


def test_confirmation_part_refreshes_after_a_verification(
    editor_client, editor, incident, status_page
):
    url = reverse("newsroom:preview", args=[incident.pk]) + "?part=confirmation"
    blocked = editor_client.post(url, {"confirmation": "report"}, **HX).content.decode()
    assert blocked.lstrip().startswith('<fieldset id="confirmation-choice"')
    assert "Confirmed is blocked" in blocked
    evidence_verify(actor=editor, evidence=make_evidence(status_page), incident=incident)
    allowed = editor_client.post(url, {"confirmation": "report"}, **HX).content.decode()
    assert "Confirmed is allowed: verified official source" in allowed
    assert not re.search(r'value="confirmed"\s+disabled', allowed)


def test_every_hx_get_has_an_href_and_no_inline_code(editor_client, editor, incident, mastodon):
    item = make_evidence(mastodon)
    from incidents.services.updates import UpdateDraft, update_publish

    update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    evidence_verify(actor=editor, evidence=item, incident=incident)
    for url in (
        reverse("newsroom:workspace", args=[incident.pk]),
        reverse("newsroom:dashboard"),
        reverse("newsroom:incident_new"),
    ):
        html = editor_client.get(url).content.decode()
        for tag in re.findall(r"<[a-z]+[^>]*\bhx-get=[^>]*>", html):
            assert tag.startswith("<a ") and ' href="' in tag, tag
        assert " style=" not in html
        assert " onclick=" not in html and "hx-on" not in html
        for script in re.findall(r"<script[^>]*>", html):
            assert " src=" in script, script
    workspace = editor_client.get(
        reverse("newsroom:workspace", args=[incident.pk])
    ).content.decode()
    assert "newsroom/workspace.js" in workspace
    assert workspace.count("hx-get=") >= 10


def test_the_keyboard_script_handles_j_k_v_x_p():
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "newsroom/static/newsroom/workspace.js").read_text()
    for key in ("j:", "k:", "v:", "x:", "p:"):
        assert key in script
    assert "requestSubmit" in script  # p goes through the form, so hx-confirm asks first


def notify_checked(html: str) -> bool:
    tag = re.search(r'<input type="checkbox" name="notify"[^>]*>', html).group(0)
    return " checked" in tag


def test_notify_switch_defaults(editor_client, editor, incident):
    from incidents.services.updates import UpdateDraft, update_publish

    assert notify_checked(workspace_html(editor_client, incident))  # a new incident
    update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    assert not notify_checked(workspace_html(editor_client, incident))  # a follow-up
    assert notify_checked(workspace_html(editor_client, incident, template="fr-retabli"))
