"""/newsroom/services/: editors cover a new service with real fields (components with their
keywords, regions, official links, alternatives), nothing half-saved on a bad field, every
change audited, archive instead of delete; the admin's JSON boxes say what shape they expect."""

import pytest
from django.urls import reverse

from incidents.models import Component, Incident, Service
from outagedesk.models import AuditEvent
from tests.factories import make_incident

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def threads_post(**changes) -> dict:
    data = {
        "name": "Threads",
        "slug": "threads",
        "owner": "meta",
        "description": "Photos and stories by Meta.",
        "regions": "world, Europe;France",
        "help_url": "https://help.threads.com/",
        "official_account_url": "https://x.com/threads",
        "status_page_url": "https://metastatus.com/threads",
        **management("components", 2),
        "components-0-slug": "feed",
        "components-0-name_en": "Feed",
        "components-0-name_fr": "Fil",
        "components-0-keywords": "feed, fil , timeline",
        "components-1-slug": "stories",
        "components-1-name_en": "Stories",
        "components-1-name_fr": "Stories",
        "components-1-keywords": "story, stories",
        **management("alternatives", 1),
        "alternatives-0-name": "Pixelfed",
        "alternatives-0-url": "https://pixelfed.org/",
        "alternatives-0-note_en": "a federated photo network",
        "alternatives-0-note_fr": "un réseau de photos fédéré",
    }
    data.update(changes)
    return data


@pytest.fixture
def service_urls(seeded):
    pk = seeded.pk
    return {
        "gets": [
            reverse("newsroom:service_list"),
            reverse("newsroom:service_new"),
            reverse("newsroom:service_edit", args=[pk]),
        ],
        "posts": [
            reverse("newsroom:service_new"),
            reverse("newsroom:service_edit", args=[pk]),
            reverse("newsroom:service_archive", args=[pk]),
            reverse("newsroom:service_remove", args=[pk]),
        ],
    }


def test_anonymous_users_go_to_login(client, service_urls):
    for url in service_urls["gets"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in service_urls["posts"]:
        response = client.post(url, threads_post())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert not Service.objects.filter(slug="threads").exists()


def test_moderators_are_refused_and_change_nothing(moderator_client, service_urls, seeded):
    for url in service_urls["gets"]:
        assert moderator_client.get(url).status_code == 403, url
    for url in service_urls["posts"]:
        assert moderator_client.post(url, threads_post()).status_code == 403, url
    seeded.refresh_from_db()
    assert seeded.is_active and not Service.objects.filter(slug="threads").exists()
    assert not AuditEvent.objects.filter(action__startswith="service.").exists()


def test_the_dashboard_links_to_the_services_screen(editor_client, seeded):
    html = editor_client.get(reverse("newsroom:dashboard")).content.decode()
    assert reverse("newsroom:service_list") in html
    listing = editor_client.get(reverse("newsroom:service_list")).content.decode()
    assert "WhatsApp" in listing and reverse("newsroom:service_edit", args=[seeded.pk]) in listing


def test_an_editor_adds_a_service_without_json(editor_client, editor, seeded):
    response = editor_client.post(reverse("newsroom:service_new"), threads_post())
    service = Service.objects.get(slug="threads")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsroom:service_edit", args=[service.pk])
    assert (service.name, service.owner) == ("Threads", "meta")
    assert service.regions == ["world", "Europe", "France"]
    assert service.status_page_url == "https://metastatus.com/threads"
    assert service.alternatives == [
        {
            "name": "Pixelfed",
            "url": "https://pixelfed.org/",
            "note_en": "a federated photo network",
            "note_fr": "un réseau de photos fédéré",
        }
    ]
    feed, stories = service.components.order_by("position")
    assert (feed.slug, feed.name_fr, feed.keywords) == ("feed", "Fil", ["feed", "fil", "timeline"])
    assert stories.keywords == ["story", "stories"]
    event = AuditEvent.objects.get(action="service.create")
    assert event.actor == editor and event.object_id == str(service.pk)
    assert event.details["components"]["added"] == ["feed", "stories"]


def test_editing_keeps_the_components_and_audits_what_changed(editor_client, seeded):
    url = reverse("newsroom:service_edit", args=[seeded.pk])
    page = editor_client.get(url)
    form = page.context["form"]
    components = page.context["components"]
    data = {name: form[name].value() for name in form.fields}
    data["regions"] = "world, Brazil"
    data["name"] = "WhatsApp Messenger"
    data.update(management("components", len(components.forms), len(components.initial)))
    for index, row in enumerate(components.forms):
        for name in row.fields:
            value = row[name].value()
            if name == "keywords" and isinstance(value, list):
                value = ", ".join(value)
            if value not in (None, False):
                data[f"components-{index}-{name}"] = value
    # The calls component gets a new keyword; no other row changes.
    calls = next(i for i, r in enumerate(components.forms) if r.initial.get("slug") == "calls")
    data[f"components-{calls}-keywords"] += ", ligação"
    data.update(management("alternatives", 0))
    before = Component.objects.filter(service=seeded).count()

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    seeded.refresh_from_db()
    assert seeded.name == "WhatsApp Messenger" and seeded.regions == ["world", "Brazil"]
    assert Component.objects.filter(service=seeded).count() == before
    assert "ligação" in Component.objects.get(service=seeded, slug="calls").keywords
    assert seeded.alternatives == []  # the alternatives formset was sent empty
    event = AuditEvent.objects.get(action="service.update")
    assert "name" in event.details["changed"] and event.details["regions"] == ["world", "Brazil"]


def test_a_slug_already_taken_is_a_field_error_and_nothing_is_saved(editor_client, seeded):
    response = editor_client.post(reverse("newsroom:service_new"), threads_post(slug="whatsapp"))
    assert response.status_code == 422
    assert response.context["form"].errors["slug"] == [
        "Another service already uses this address name."
    ]
    assert not Service.objects.filter(name="Threads").exists()
    assert not Component.objects.filter(name_en__in=["Feed", "Stories"], service=seeded).exists()
    assert not AuditEvent.objects.filter(action__startswith="service.").exists()


def test_too_many_keywords_is_an_error_on_that_component(editor_client, seeded):
    words = ", ".join(f"word{n}" for n in range(31))
    response = editor_client.post(
        reverse("newsroom:service_new"), threads_post(**{"components-1-keywords": words})
    )
    assert response.status_code == 422
    errors = response.context["components"].forms[1].errors["keywords"]
    assert errors == ["At most 30 items, separated by commas (31 given)."]
    assert not Service.objects.filter(slug="threads").exists()
    # The valid row is not half-saved.
    assert not Component.objects.filter(service__slug="threads").exists()


def test_an_alternative_without_a_name_is_an_error_and_nothing_is_saved(editor_client, seeded):
    response = editor_client.post(
        reverse("newsroom:service_new"), threads_post(**{"alternatives-0-name": ""})
    )
    assert response.status_code == 422
    assert response.context["alternatives"].forms[0].errors["name"] == [
        "An alternative needs a name."
    ]
    assert not Service.objects.filter(slug="threads").exists()
    html = response.content.decode()
    assert "An alternative needs a name." in html and 'value="https://pixelfed.org/"' in html


def test_the_service_layer_refuses_what_a_form_might_let_through(editor, seeded):
    from incidents.services.services import (
        AlternativeInput,
        ComponentInput,
        ServiceError,
        service_save,
    )

    values = {"name": "Gmail", "slug": "gmail", "owner": "google", "regions": []}
    with pytest.raises(ServiceError) as refused:
        service_save(
            actor=editor,
            service=None,
            values=values,
            components=[ComponentInput(slug="mail", name_en="Mail", name_fr="Courriel")],
            alternatives=[AlternativeInput(name="  ", url="https://proton.me/")],
        )
    assert (refused.value.code, refused.value.field) == ("alternative_without_name", "name")
    assert not Service.objects.filter(slug="gmail").exists()
    assert not Component.objects.filter(slug="mail").exists()


def test_a_service_with_incidents_cannot_be_removed_but_can_be_archived(
    editor_client, editor, seeded
):
    make_incident(service=seeded, slug="whatsapp-old", title="Old outage")
    response = editor_client.post(reverse("newsroom:service_remove", args=[seeded.pk]))
    assert response.status_code == 302
    assert Service.objects.filter(pk=seeded.pk).exists()
    page = editor_client.get(response["Location"]).content.decode()
    assert "This service has incidents: it cannot be removed." in page
    assert not AuditEvent.objects.filter(action="service.delete").exists()

    editor_client.post(reverse("newsroom:service_archive", args=[seeded.pk]))
    seeded.refresh_from_db()
    assert not seeded.is_active
    assert AuditEvent.objects.get(action="service.archive").actor == editor
    # An archived service is no longer offered for a new incident.
    form_page = editor_client.get(reverse("newsroom:incident_new")).content.decode()
    assert f'<option value="{seeded.pk}"' not in form_page

    editor_client.post(reverse("newsroom:service_archive", args=[seeded.pk]), {"action": "restore"})
    seeded.refresh_from_db()
    assert seeded.is_active and AuditEvent.objects.filter(action="service.restore").exists()


def test_a_service_without_incidents_can_be_removed(editor_client, seeded):
    editor_client.post(reverse("newsroom:service_new"), threads_post())
    threads = Service.objects.get(slug="threads")
    response = editor_client.post(reverse("newsroom:service_remove", args=[threads.pk]))
    assert response["Location"] == reverse("newsroom:service_list")
    assert not Service.objects.filter(slug="threads").exists()
    assert AuditEvent.objects.get(action="service.delete").details["slug"] == "threads"


def test_the_new_incident_form_lists_only_the_chosen_services_components(editor_client, seeded):
    editor_client.post(reverse("newsroom:service_new"), threads_post())
    threads = Service.objects.get(slug="threads")
    url = reverse("newsroom:incident_new")

    # No service chosen yet (or no JavaScript): the checkboxes grouped under each service.
    everything = editor_client.get(url).content.decode()
    grouped = everything.split('id="components-field"', 1)[1].split("</fieldset>", 1)[0]
    assert "<label>Threads</label>" in grouped and "<label>WhatsApp</label>" in grouped
    assert grouped.index("Feed") < grouped.index("<label>WhatsApp</label>")

    # "Show the components of these services only" reloads by GET, keeping what was typed.
    assert 'formmethod="get"' in everything
    chosen = editor_client.get(url, {"service": threads.pk, "title": "Feed empty", "pick": "1"})
    html = chosen.content.decode()
    components_html = html.split('id="components-field"', 1)[1].split("</fieldset>", 1)[0]
    assert "Feed" in components_html and "Stories" in components_html
    assert "Voice and video calls" not in components_html and "<label>" not in components_html
    assert 'value="Feed empty"' in html
    assert f'<option value="{threads.pk}" selected>' in html


def test_opening_an_incident_with_another_services_component_is_refused(editor_client, seeded):
    editor_client.post(reverse("newsroom:service_new"), threads_post())
    feed = Component.objects.get(slug="feed", service__slug="threads")
    response = editor_client.post(
        reverse("newsroom:incident_new"),
        {
            "service": seeded.pk,
            "title": "WhatsApp down",
            "language": "fr",
            "kind": "global",
            "impact": "major",
            "components": [feed.pk],
        },
    )
    assert response.status_code == 422
    assert "components" in response.context["form"].errors
    assert not Incident.objects.filter(title="WhatsApp down").exists()


def test_the_admin_json_boxes_say_which_shape_they_expect(admin_client_, seeded):
    calls = Component.objects.get(service=seeded, slug="calls")
    url = reverse("admin:incidents_component_change", args=[calls.pk])
    page = admin_client_.get(url)
    data = {
        "service": seeded.pk,
        "slug": "calls",
        "name_en": calls.name_en,
        "name_fr": calls.name_fr,
        "keywords": "feed, fil, timeline",
        "position": calls.position,
    }
    assert page.status_code == 200
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["keywords"]
    assert errors[0].startswith("Expected a JSON list of words in quotes, for example: [")
    assert '["feed", "fil", "timeline"]' in errors[0]

    data["keywords"] = '["feed", "fil", "timeline"]'
    assert admin_client_.post(url, data).status_code == 302  # JSON keeps working
    calls.refresh_from_db()
    assert calls.keywords == ["feed", "fil", "timeline"]


def test_the_admin_source_config_example_follows_the_kind(admin_client_, seeded):
    source = seeded.sources.get(kind="reports")
    url = reverse("admin:incidents_source_change", args=[source.pk])
    page = admin_client_.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key not in ("config",)
    }
    data.update({"service": seeded.pk, "config": '["time_series"]', "is_enabled": "on"})
    response = admin_client_.post(url, data)
    errors = response.context["adminform"].form.errors["config"]
    assert errors[0].startswith("Expected a JSON object, for example: {")
    assert '"series_path": "time_series"' in errors[0]


def _edit_data(page) -> dict:
    """The edit form as the browser would send it back unchanged."""
    form, components = page.context["form"], page.context["components"]
    data = {name: form[name].value() for name in form.fields}
    data.update(management("components", len(components.forms), len(components.initial)))
    for index, row in enumerate(components.forms):
        for name in row.fields:
            value = row[name].value()
            if isinstance(value, list):
                value = ", ".join(value)
            if value not in (None, False):
                data[f"components-{index}-{name}"] = value
    data.update(management("alternatives", 0))
    return {key: value for key, value in data.items() if value is not None}


def test_a_component_named_in_an_incident_cannot_be_removed(editor_client, seeded):
    incident = make_incident(service=seeded, slug="whatsapp-calls", title="Calls fail")
    calls = Component.objects.get(service=seeded, slug="calls")
    incident.components.add(calls)
    url = reverse("newsroom:service_edit", args=[seeded.pk])
    data = _edit_data(editor_client.get(url))
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == calls.pk)
    data[f"components-{index}-DELETE"] = "on"
    data["name"] = "Renamed meanwhile"

    response = editor_client.post(url, data)

    assert response.status_code == 422
    row = response.context["components"].forms[int(index)]
    assert row.errors["slug"] == ["This component is named in incidents: it cannot be removed."]
    seeded.refresh_from_db()
    assert seeded.name == "WhatsApp"  # the rest of the change rolled back with it
    assert Component.objects.filter(pk=calls.pk).exists()


def test_the_services_screens_speak_french(editor_client, seeded):
    html = editor_client.get(
        reverse("newsroom:service_edit", args=[seeded.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Enregistrer le service" in html and "Liens officiels" in html
    source = seeded.sources.get(kind="statuspage")
    page = editor_client.get(
        reverse("newsroom:source_edit", args=[seeded.pk, source.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Tester maintenant" in page and "Libellé public" in page
    assert "Atlassian Statuspage)\u00a0: https://status.example.com" in page
