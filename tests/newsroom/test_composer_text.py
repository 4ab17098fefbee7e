"""The composer shows the real text: choosing a template fills its placeholders in the fields,
values nobody knows yet are marked for the editor, and what still holds a placeholder or a
marker is never published. The shipped templates read like a newsroom wrote them."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import seed_templates
from demo.seeding import seed_demo
from incidents.admin_forms import ResponseTemplateAdminForm
from incidents.models import IncidentUpdate, ResponseTemplate
from incidents.placeholders import markers_left
from incidents.services.updates import UpdateDraft, update_publish
from incidents.services.verification import evidence_verify
from tests.factories import make_evidence

HX = {"HTTP_HX_REQUEST": "true"}
SHIPPED = [template["slug"] for template in seed_templates.TEMPLATES]
TEXT_FIELDS = ("title", "message", "advice", "call_to_action")


def composer_fields(http, incident, slug: str) -> dict[str, str]:
    """The composer's text fields as the editor sees them after choosing `slug`."""
    response = http.get(reverse("newsroom:composer", args=[incident.pk]), {"template": slug}, **HX)
    assert response.status_code == 200
    page = response.content.decode()
    fields = {}
    for name in TEXT_FIELDS:
        found = re.search(rf'<input type="text" name="{name}" value="([^"]*)"', page) or re.search(
            rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S
        )
        fields[name] = html.unescape(found.group(1)) if found else ""
    return fields


@pytest.fixture
def described(incident, editor, status_page, downdetector, mastodon):
    """An incident with everything known: components, regions, verified sources, an earlier
    update, and the official status page verified after that update (the recovery)."""
    incident.regions = ["France"]
    incident.save()
    incident.components.set(incident.service.components.filter(slug__in=["messages", "calls"]))
    for source in (downdetector, mastodon):
        evidence_verify(
            actor=editor, evidence=make_evidence(source, minutes_ago=15), incident=incident
        )
    earlier = update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="Panne", message="En cours.")
    )
    IncidentUpdate.objects.filter(pk=earlier.pk).update(
        published_at=timezone.now() - timedelta(minutes=10)
    )
    evidence_verify(
        actor=editor, evidence=make_evidence(status_page, minutes_ago=2), incident=incident
    )
    incident.refresh_from_db()
    return incident


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_shipped_template_fills_the_fields_with_real_text(editor_client, described, slug):
    fields = composer_fields(editor_client, described, slug)
    template = ResponseTemplate.objects.get(slug=slug)
    assert fields["title"] and fields["message"]
    for name, text in fields.items():
        assert "{" not in text and "}" not in text, (slug, name, text)
        assert markers_left(text) == [], (slug, name, text)
    assert "WhatsApp" in fields["title"] + fields["message"]
    if "{components}" in template.message:
        name = "name_fr" if template.language == "fr" else "name_en"
        expected = ", ".join(getattr(c, name) for c in described.components.all())
        assert expected in fields["message"], fields["message"]
    if template.purpose == ResponseTemplate.Purpose.RESOLVED:
        # The recovery rests on what was verified since the last update, not on the outage's
        # reports: the status page, not Downdetector or Mastodon.
        official = (
            "la page de statut officielle de WhatsApp"
            if template.language == "fr"
            else "the official WhatsApp status page"
        )
        assert official in fields["message"]
        assert "Downdetector" not in fields["message"]


@pytest.mark.parametrize(
    ("slug", "marker"),
    [
        ("fr-hors-service", "[à compléter\u00a0: composants touchés]"),
        ("en-down", "[to fill: affected components]"),
        ("fr-retabli", "[à compléter\u00a0: ce qui montre le rétablissement (source vérifiée)]"),
        ("en-resolved", "[to fill: what shows the recovery (verified source)]"),
    ],
)
def test_unknown_values_are_marked_for_the_editor(editor_client, incident, slug, marker):
    """No component chosen and nothing verified since the outage: the fields say what to write
    instead of guessing, and the preview highlights it."""
    fields = composer_fields(editor_client, incident, slug)
    assert marker in fields["message"] + fields["title"]
    page = editor_client.get(
        reverse("newsroom:composer", args=[incident.pk]), {"template": slug}, **HX
    ).content.decode()
    assert f'<mark class="to-fill">{html.escape(marker)}</mark>' in page
    assert "Fill in what is marked before publishing" in page


def publish_form(incident, **fields):
    data = {
        "title": "Panne de WhatsApp",
        "message": "Les messages ne partent plus.",
        "advice": "",
        "call_to_action": "",
        "status": "investigating",
        "language": "fr",
        "confirmation": "report",
        "seen_update": "0",
        "notify": "on",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("message", "Touchés\u00a0: [à compléter\u00a0: composants touchés].", "[à compléter"),
        ("advice", "Use [to fill: affected components] for now.", "[to fill: affected"),
        ("title", "Panne de {servise}", "{servise}"),
        ("call_to_action", "Liens\u00a0: {official_lnk}", "{official_lnk}"),
    ],
)
def test_publishing_a_leftover_placeholder_or_marker_is_refused_on_its_field(
    editor_client, incident, field, text, named
):
    response = editor_client.post(
        reverse("newsroom:publish", args=[incident.pk]),
        publish_form(incident, **{field: text}),
        **HX,
    )
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    # The error sits with the field that holds it.
    error = re.search(rf'<ul class="errorlist" id="composer-{field}_error">(.*?)</ul>', page, re.S)
    assert error, page[:2000]
    assert "Replace what is still to fill before publishing" in error.group(1)
    assert named in error.group(1)
    assert incident.updates.count() == 0
    # What the editor wrote is kept for them to finish.
    assert text in page


def test_the_filled_template_publishes_as_shown(editor_client, described):
    fields = composer_fields(editor_client, described, "en-what-we-know")
    response = editor_client.post(
        reverse("newsroom:publish", args=[described.pk]),
        publish_form(
            described,
            **fields,
            language="en",
            seen_update=str(described.updates.first().pk),
        ),
        **HX,
    )
    assert response.status_code == 200
    update = described.updates.first()
    assert update.title == "WhatsApp outage: what we know"
    assert update.message == fields["message"]


WORDING_FAULTS = re.compile(
    r"notre article|our article|cet article|this article|découvrez|discover|"
    r"restez connectés avec nous|stay connected with us",
    re.I,
)


@pytest.mark.parametrize("template", seed_templates.TEMPLATES, ids=SHIPPED)
def test_shipped_wording_reads_like_a_newsroom(template):
    texts = [template[name] for name in TEXT_FIELDS]
    for text in texts:
        assert not WORDING_FAULTS.search(text), text
    # Advice stays practical advice, never a list of links.
    assert "{official_links}" not in template["advice"] and "http" not in template["advice"]
    # Every template has each announcement element.
    assert all(texts), template["slug"]
    if template["purpose"] == "resolved":
        assert "{recovery_sources}" in template["message"]
        assert "{sources}" not in template["message"]
    if template["language"] == "fr":
        for text in texts:
            # No-break space before ":", narrow no-break space before ";", "?" and "!".
            assert not re.search(r"[^\u00a0]:", text), text
            assert not re.search(r"[^\u202f][;?!]", text), text


def test_every_purpose_has_both_tones_in_both_languages():
    grid = {(t["language"], t["tone"], t["purpose"]) for t in seed_templates.TEMPLATES}
    assert grid == {
        (language, tone, purpose)
        for language in ("fr", "en")
        for tone in ResponseTemplate.Tone.values
        for purpose in ResponseTemplate.Purpose.values
    }


def test_a_second_seed_rewords_untouched_templates_and_keeps_edited_ones(seeded):
    old = seed_templates.PREVIOUS_TEMPLATES
    ResponseTemplate.objects.filter(slug="en-what-we-know").update(**old["en-what-we-know"])
    edited = dict(old["en-down"], message="Our own words, {service}.")
    ResponseTemplate.objects.filter(slug="en-down").update(**edited)
    seed_demo(replay_url="")
    untouched = ResponseTemplate.objects.get(slug="en-what-we-know")
    assert untouched.advice.startswith("Do not delete your chats")
    assert "Stay connected with us" not in untouched.message
    assert ResponseTemplate.objects.get(slug="en-down").message == "Our own words, {service}."
    assert ResponseTemplate.objects.filter(slug__in=SHIPPED).count() == len(SHIPPED)


def test_a_template_with_an_unknown_placeholder_is_refused_when_saved(seeded):
    form = ResponseTemplateAdminForm(
        data={
            "slug": "typo",
            "name": "Typo",
            "language": "fr",
            "tone": "formal",
            "purpose": "update",
            "title": "{service} en panne",
            "message": "Depuis {since}. Liens\u00a0: {official_lnk} et {x}",
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["message"]
    assert form.errors["message"][0].startswith("Unknown placeholders: {official_lnk}, {x}.")


def test_the_admin_refuses_an_unknown_placeholder_naming_it(admin_client_, seeded):
    data = {
        "slug": "typo",
        "name": "Typo",
        "language": "en",
        "tone": "formal",
        "purpose": "update",
        "title": "{servce} is down",
        "message": "Since {since}.",
        "advice": "",
        "call_to_action": "",
        "is_active": "on",
    }
    response = admin_client_.post(reverse("admin:incidents_responsetemplate_add"), data)
    assert response.status_code == 200  # the form again, with the error
    page = html.unescape(response.content.decode())
    assert "Unknown placeholder: {servce}" in page
    assert not ResponseTemplate.objects.filter(slug="typo").exists()
    data["title"] = "{service} is down"
    response = admin_client_.post(reverse("admin:incidents_responsetemplate_add"), data)
    assert response.status_code == 302
    assert ResponseTemplate.objects.filter(slug="typo").exists()


def test_a_second_seed_brings_unedited_canned_replies_to_french_typography(seeded):
    from comments.models import CannedReply

    lost = CannedReply.objects.get(category="messages-lost", language="fr")
    assert "officiels\u00a0: {official_links}" in lost.text
    CannedReply.objects.filter(pk=lost.pk).update(text=lost.text.replace("\u00a0", " "))
    edited = CannedReply.objects.get(category="eta", language="fr")
    CannedReply.objects.filter(pk=edited.pk).update(text="Notre réponse : {last_update_time}.")
    seed_demo(replay_url="")
    lost.refresh_from_db()
    edited.refresh_from_db()
    assert "officiels\u00a0: {official_links}" in lost.text
    assert edited.text == "Notre réponse : {last_update_time}."
