"""The status API reads like Atlassian Statuspage's v2: the same documents, field names, key
order and enums, validated against a JSON Schema that the recorded real responses also pass."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from tests.factories import make_incident

SCHEMA = json.loads((Path(__file__).parent / "statuspage_v2.schema.json").read_text())
FIXTURES = Path(settings.FIXTURE_SOURCES_DIR)
DOCUMENTS = {
    "/api/v2/summary.json": "summary",
    "/api/v2/status.json": "status_document",
    "/api/v2/components.json": "components_document",
    "/api/v2/incidents.json": "incidents_document",
    "/api/v2/incidents/unresolved.json": "incidents_document",
}


def validate(document: dict, definition: str) -> None:
    schema = {
        "$schema": SCHEMA["$schema"],
        "$defs": SCHEMA["$defs"],
        "$ref": f"#/$defs/{definition}",
    }
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize(
    ("name", "definition"),
    [
        ("statuspage_summary.json", "summary"),
        ("statuspage_summary_outage.json", "summary"),
        ("statuspage_incidents.json", "incidents_document"),
    ],
)
def test_recorded_statuspage_responses_pass_the_schema(name, definition):
    validate(fixture(name), definition)


def test_schema_rejects_what_statuspage_never_sends():
    outage = fixture("statuspage_summary_outage.json")
    broken = json.loads(json.dumps(outage))
    broken["incidents"][0]["status"] = "suspected"
    with pytest.raises(jsonschema.ValidationError):
        validate(broken, "summary")
    renamed = json.loads(json.dumps(outage))
    renamed["components"][0]["state"] = renamed["components"][0].pop("status")
    with pytest.raises(jsonschema.ValidationError):
        validate(renamed, "summary")


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(DOCUMENTS))
def test_every_document_matches_the_schema_when_all_is_well(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    validate(response.json(), DOCUMENTS[path])


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(DOCUMENTS))
def test_every_document_matches_the_schema_during_an_outage(client, active_incident, path):
    validate(client.get(path).json(), DOCUMENTS[path])


@pytest.mark.django_db
def test_quiet_summary_says_all_systems_operational(client, seeded):
    summary = client.get("/api/v2/summary.json").json()
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert summary["incidents"] == []
    assert {c["status"] for c in summary["components"]} == {"operational"}


@pytest.mark.django_db
def test_outage_summary_derives_component_status_from_impact(client, active_incident):
    summary = client.get("/api/v2/summary.json").json()
    assert summary["status"] == {"indicator": "critical", "description": "Major System Outage"}
    by_name = {c["name"]: c for c in summary["components"]}
    group = by_name["WhatsApp"]
    assert group["group"] is True and group["group_id"] is None
    assert by_name["Messages"]["status"] == "major_outage"
    assert by_name["Voice and video calls"]["status"] == "major_outage"
    assert by_name["Status"]["status"] == "operational"
    assert by_name["Messages"]["group_id"] == group["id"]
    assert by_name["Messages"]["id"] in group["components"]
    assert group["status"] == "major_outage"
    [incident] = summary["incidents"]
    assert incident["name"] == "WhatsApp down in Europe"
    assert incident["status"] == "identified" and incident["impact"] == "critical"
    assert incident["shortlink"] == f"{settings.SITE_URL}/en/incidents/whatsapp-down-europe/"
    assert [u["status"] for u in incident["incident_updates"]] == ["identified", "investigating"]
    newest = incident["incident_updates"][0]
    assert newest["body"].startswith("WhatsApp confirms the outage")
    assert newest["display_at"] == newest["created_at"]
    assert {a["name"] for a in newest["affected_components"]} == {
        "Messages",
        "Voice and video calls",
    }
    first = incident["incident_updates"][1]["affected_components"][0]
    assert (first["old_status"], first["new_status"]) == ("operational", "major_outage")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("impact", "component_status", "indicator"),
    [
        ("minor", "degraded_performance", "minor"),
        ("major", "partial_outage", "major"),
        ("critical", "major_outage", "critical"),
    ],
)
def test_impact_maps_to_statuspage_vocabulary(
    client, active_incident, change, impact, component_status, indicator
):
    change(active_incident, impact=impact)
    summary = client.get("/api/v2/summary.json").json()
    assert summary["status"]["indicator"] == indicator
    by_name = {c["name"]: c["status"] for c in summary["components"]}
    assert by_name["Messages"] == component_status
    components = client.get("/api/v2/components.json").json()["components"]
    assert {c["name"]: c["status"] for c in components}["Messages"] == component_status


@pytest.mark.django_db
def test_incident_without_components_affects_the_whole_service(client, active_incident, change):
    active_incident.components.clear()
    change(active_incident, impact="major")
    components = client.get("/api/v2/components.json").json()["components"]
    group = f"svc{active_incident.service_id}"
    children = [c for c in components if not c["group"] and c["group_id"] == group]
    assert children and {c["status"] for c in children} == {"partial_outage"}
    others = [c for c in components if not c["group"] and c["group_id"] != group]
    assert others and {c["status"] for c in others} == {"operational"}


@pytest.mark.django_db
def test_resolved_incident_leaves_unresolved_and_turns_components_operational(
    client, active_incident, change, publish
):
    publish(active_incident, title="WhatsApp works again", status="resolved")
    from django.utils import timezone

    change(active_incident, status="resolved", resolved_at=timezone.now())
    assert client.get("/api/v2/incidents/unresolved.json").json()["incidents"] == []
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == "none"
    incidents = client.get("/api/v2/incidents.json").json()["incidents"]
    listed = {i["id"]: i for i in incidents}
    resolved = listed["whatsapp-down-europe"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    last = resolved["incident_updates"][0]["affected_components"][0]
    assert last["new_status"] == "operational"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["suspected", "dismissed"])
def test_drafts_and_dismissed_incidents_never_appear(client, seeded, status):
    make_incident(
        service=seeded,
        slug=f"draft-{status}",
        title=f"Draft {status}",
        status=status,
        impact="critical",
        is_public=status == "dismissed",
    )
    for path in DOCUMENTS:
        body = client.get(path).content.decode()
        assert f"draft-{status}" not in body and f"Draft {status}" not in body
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == "none"


@pytest.mark.django_db
def test_non_public_incident_never_appears(client, active_incident, change):
    change(active_incident, is_public=False)
    for path in DOCUMENTS:
        assert "whatsapp-down-europe" not in client.get(path).content.decode()


def _key_orders(value, path="$", out=None):
    """Every object's key order, by JSON path with list indexes collapsed."""
    out = {} if out is None else out
    if isinstance(value, dict):
        keys = list(value)
        out.setdefault(path, keys)
        for key, child in value.items():
            _key_orders(child, f"{path}.{key}", out)
    elif isinstance(value, list):
        for child in value:
            _key_orders(child, f"{path}[]", out)
    return out


@pytest.mark.django_db
def test_key_order_matches_real_statuspage(client, active_incident):
    ours = _key_orders(client.get("/api/v2/summary.json").json())
    ours_incidents = _key_orders(client.get("/api/v2/incidents.json").json())
    real = _key_orders(fixture("statuspage_summary_outage.json"))
    real_incidents = _key_orders(fixture("statuspage_incidents.json"))
    # Statuspage's keys in Statuspage's order; after them, our one documented extra field.
    extras = {"$.incidents[].incident_updates[]": ["next_update_by"]}
    for path, keys in real.items():
        if path == "$.components[]":
            continue  # ours starts with a group; checked below
        assert ours[path] == [*keys, *extras.get(path, [])], path
    for path, keys in real_incidents.items():
        assert ours_incidents[path] == [*keys, *extras.get(path, [])], path
    real_component = real["$.components[]"]
    summary = client.get("/api/v2/summary.json").json()
    for component in summary["components"]:
        expected = [*real_component, "components"] if component["group"] else real_component
        assert list(component) == expected


@pytest.mark.django_db
def test_api_is_the_same_for_everyone(client, reader_client, editor_client, active_incident):
    bodies = {c.get("/api/v2/summary.json").content for c in (client, reader_client, editor_client)}
    assert len(bodies) == 1
