"""An update published with its version in the other language, or given one later from the
timeline: prefilled from the matching template, refused whole when anything is left to fill."""

import pytest
from django.urls import reverse

from incidents.models import IncidentUpdate, IncidentUpdateTranslation
from incidents.services.updates import UpdateDraft, update_publish
from outagedesk.models import AuditEvent
from tests.newsroom.test_publish import form_data


@pytest.fixture
def described(incident):
    incident.regions = ["world"]
    incident.save()
    incident.components.set(incident.service.components.filter(slug="messages"))
    return incident


def english(**overrides):
    data = {
        "translation_include": "on",
        "translation_title": "{service} is down",
        "translation_message": "{service} has been down since {since}.",
        "translation_advice": "Meanwhile: {alternatives}.",
        "translation_call_to_action": "Follow this page.",
        "translation_incident_title": "WhatsApp outage",
    }
    data.update(overrides)
    return data


def test_choosing_a_template_prefills_the_other_language_from_the_matching_one(
    editor_client, described
):
    url = reverse("newsroom:composer", args=[described.pk])
    response = editor_client.get(url, {"template": "fr-hors-service"}, HTTP_HX_REQUEST="true")
    form = response.context["composer_form"]
    # fr-hors-service is formal and "confirmed": its English twin is en-down.
    assert form["translation_title"].value().startswith("WhatsApp down since ")
    assert form["translation_message"].value().startswith("WhatsApp has been down since ")
    assert "Do not uninstall the app" in form["translation_advice"].value()
    for name in form.TRANSLATION_FIELDS:
        assert "{" not in form[name].value()
    html = response.content.decode()
    assert "Add the English version" in html
    assert 'id="translation-preview"' in html


def test_the_translation_has_its_own_preview(editor_client, described):
    url = reverse("newsroom:preview", args=[described.pk]) + "?part=translation"
    response = editor_client.post(
        url, {**form_data(confirmation="report"), **english()}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "WhatsApp is down" in html and "{service}" not in html
    # Only the translation's preview, not the French one.
    assert "WhatsApp est hors service" not in html


def test_publish_with_a_translation_stores_both_and_each_public_page_shows_its_own(
    editor_client, client, described
):
    url = reverse("newsroom:publish", args=[described.pk])
    response = editor_client.post(url, {**form_data(confirmation="report"), **english()})
    assert response.status_code == 302
    update = IncidentUpdate.objects.get(incident=described)
    translation = IncidentUpdateTranslation.objects.get(update=update)
    assert translation.language == "en"
    assert translation.title == "WhatsApp is down"
    assert translation.advice == "Meanwhile: Telegram or Signal."
    assert AuditEvent.objects.filter(action="update.translation_added").exists()
    described.refresh_from_db()
    assert described.title_in("en") == "WhatsApp outage"
    assert AuditEvent.objects.filter(action="incident.title_translated").exists()

    english_page = client.get(f"/en/incidents/{described.slug}/").content.decode()
    french_page = client.get(f"/fr/incidents/{described.slug}/").content.decode()
    assert "WhatsApp is down" in english_page and "WhatsApp est hors service" not in english_page
    assert "WhatsApp est hors service" in french_page and "WhatsApp is down" not in french_page
    assert "WhatsApp outage" in english_page and described.title not in english_page
    assert described.title in french_page and "WhatsApp outage" not in french_page


def test_a_first_translation_without_the_incident_title_is_refused_whole(editor_client, described):
    url = reverse("newsroom:publish", args=[described.pk])
    typed = english(translation_incident_title="")
    response = editor_client.post(
        url, {**form_data(confirmation="report"), **typed}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    form = response.context["composer_form"]
    assert (
        "Give the incident’s title in this language too"
        in form.errors["translation_incident_title"][0]
    )
    assert not IncidentUpdate.objects.filter(incident=described).exists()
    assert not IncidentUpdateTranslation.objects.exists()


def test_a_marker_left_in_the_translation_refuses_the_whole_publication(editor_client, described):
    url = reverse("newsroom:publish", args=[described.pk])
    typed = english(translation_message="Affected: [to fill: components].")
    response = editor_client.post(
        url, {**form_data(confirmation="report"), **typed}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert not IncidentUpdate.objects.filter(incident=described).exists()
    assert not IncidentUpdateTranslation.objects.exists()
    form = response.context["composer_form"]
    assert form.errors["translation_message"]
    # What the editor typed is kept, in both languages.
    assert form["translation_message"].value() == "Affected: [to fill: components]."
    assert form["title"].value() == "{service} est hors service"
    described.refresh_from_db()
    assert not described.is_public


def test_a_translation_without_a_message_is_refused_before_anything_is_written(
    editor_client, described
):
    url = reverse("newsroom:publish", args=[described.pk])
    response = editor_client.post(
        url, {**form_data(confirmation="report"), **english(translation_message="")}
    )
    assert response.status_code == 422
    assert not IncidentUpdate.objects.filter(incident=described).exists()


def test_prefilled_translation_fields_are_ignored_unless_asked_for(editor_client, described):
    # The template prefilled the English fields, gaps included; the editor did not tick
    # "Publish this version with the update": the French update is published alone.
    url = reverse("newsroom:publish", args=[described.pk])
    typed = english(translation_message="Affected: [to fill: components].")
    del typed["translation_include"]
    response = editor_client.post(url, {**form_data(confirmation="report"), **typed})
    assert response.status_code == 302
    assert IncidentUpdate.objects.filter(incident=described).count() == 1
    assert not IncidentUpdateTranslation.objects.exists()


# --- Added later, from the timeline ------------------------------------------------------------


@pytest.fixture
def published(editor, described):
    return update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=described, title="WhatsApp est en panne", message="Depuis ce matin."
        ),
    )


def test_a_translation_is_added_later_from_the_timeline(editor_client, described, published):
    workspace = editor_client.get(reverse("newsroom:workspace", args=[described.pk]))
    assert f"?translate={published.pk}" in workspace.content.decode()
    assert "Add the English version" in workspace.content.decode()

    opened = editor_client.get(
        reverse("newsroom:composer", args=[described.pk]),
        {"translate": published.pk},
        HTTP_HX_REQUEST="true",
    )
    form = opened.context["translation_form"]
    # Prefilled from the English template matching what the update announced (reports).
    assert form["translation_title"].value() and "{" not in form["translation_title"].value()
    assert not form["translation_incident_title"].value()  # no English title yet
    assert 'name="translation_incident_title"' in opened.content.decode()

    url = reverse("newsroom:translation_add", args=[described.pk, published.pk])
    response = editor_client.post(
        url,
        {
            "translation_title": "{service} is down",
            "translation_message": "Since morning.",
            "translation_incident_title": "WhatsApp outage",
        },
    )
    assert response.status_code == 302
    translation = IncidentUpdateTranslation.objects.get(update=published)
    assert (translation.language, translation.title) == ("en", "WhatsApp is down")
    described.refresh_from_db()
    assert described.title_in("en") == "WhatsApp outage"
    event = AuditEvent.objects.get(action="update.translation_added")
    assert event.actor.username == "edith"
    # Once translated, the link is gone.
    workspace = editor_client.get(reverse("newsroom:workspace", args=[described.pk]))
    assert f"?translate={published.pk}" not in workspace.content.decode()


def test_the_incident_title_is_asked_once_then_prefilled(
    editor_client, editor, described, published
):
    url = reverse("newsroom:translation_add", args=[described.pk, published.pk])
    data = {"translation_title": "Down", "translation_message": "Since morning."}
    refused = editor_client.post(url, data, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert refused.context["translation_form"].errors["translation_incident_title"]
    assert not IncidentUpdateTranslation.objects.exists()
    accepted = editor_client.post(url, {**data, "translation_incident_title": "WhatsApp outage"})
    assert accepted.status_code == 302

    second = update_publish(
        actor=editor,
        draft=UpdateDraft(incident=described, title="Toujours en panne", message="Encore."),
    )
    opened = editor_client.get(
        reverse("newsroom:composer", args=[described.pk]),
        {"translate": second.pk},
        HTTP_HX_REQUEST="true",
    )
    assert opened.context["translation_form"]["translation_incident_title"].value() == (
        "WhatsApp outage"
    )
    # Not needed again: the English title exists.
    url = reverse("newsroom:translation_add", args=[described.pk, second.pk])
    assert editor_client.post(url, data).status_code == 302
    assert IncidentUpdateTranslation.objects.filter(update=second, language="en").exists()


def test_a_later_translation_with_a_marker_is_refused(editor_client, described, published):
    url = reverse("newsroom:translation_add", args=[described.pk, published.pk])
    response = editor_client.post(
        url,
        {"translation_title": "Down", "translation_message": "Affected: [to fill: components]."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert response.context["translation_form"].errors["translation_message"]
    assert not IncidentUpdateTranslation.objects.exists()


def test_adding_a_translation_needs_the_editor_role(moderator_client, client, described, published):
    url = reverse("newsroom:translation_add", args=[described.pk, published.pk])
    data = {"translation_title": "Down", "translation_message": "Since morning."}
    assert moderator_client.post(url, data).status_code == 403
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not IncidentUpdateTranslation.objects.exists()
