"""A report counter is one rolling item in the inbox, raised again only when its level changes.

The counter is gathered for real: the recorded Downdetector-style answer (96 points of 15
minutes, shared/fixtures/sources) served by a local HTTP server, changed between runs the way
the monitor's answer changes."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.gathering import gather_source
from incidents.models import Evidence, Source
from incidents.services.counters import counter_level
from incidents.services.verification import evidence_verify
from outagedesk.lib.replay_server import ReplayServer

HX = {"HTTP_HX_REQUEST": "true"}
RECORDED = Path(settings.FIXTURE_SOURCES_DIR) / "downdetector_outage_report.json"


@pytest.fixture
def monitor(tmp_path, allow_loopback_fetch):
    """The recorded answer, on a local server; `serve(series)` changes what it answers."""
    recorded = json.loads(RECORDED.read_text())

    def serve(series):
        (tmp_path / "counter.json").write_text(json.dumps({**recorded, "time_series": series}))

    serve(recorded["time_series"])
    with ReplayServer(tmp_path) as server:
        yield server.url + "counter.json", recorded["time_series"], serve


@pytest.fixture
def counter(seeded, monitor):
    url, _series, _serve = monitor
    return Source.objects.create(
        service=seeded,
        name="Counter under test",
        kind=Source.Kind.REPORTS,
        url=url,
        owner="downdetector",
        tier=Source.Tier.MONITOR,
        config={"baseline_field": "baseline_value"},
    )


def counter_items(html: str, source: Source) -> int:
    return html.count(f">{source.name}</span>")


def inbox_html(client, incident) -> str:
    return client.get(reverse("newsroom:inbox", args=[incident.pk]), **HX).content.decode()


def test_levels_relative_to_the_usual_count():
    assert [counter_level(r) for r in (0.5, 1.9, 2.0, 4.9, 5.0, 40)] == [
        "normal",
        "normal",
        "elevated",
        "elevated",
        "high",
        "high",
    ]


def test_the_counter_is_one_item_in_the_inbox_and_its_points_stay_for_the_chart(
    editor_client, incident, counter
):
    gather_source(counter.pk, force=True)
    # Every point is stored (the detector and the chart read them) …
    assert Evidence.objects.filter(source=counter, in_inbox=False).count() == 96
    # … but the editor has one item to check, not 96.
    rolling = Evidence.objects.get(source=counter, in_inbox=True)
    assert rolling.raw["level"] == "high"
    # The higher of the last two points (the very last one is still filling up): 285 for 7.
    assert rolling.title == "Report counter high: 285 reports at 21:45 UTC (usual: 7)"
    html = inbox_html(editor_client, incident)
    assert counter_items(html, counter) == 1
    assert "1 to check" in html
    assert "0 verified" in html


def test_same_level_updates_the_item_in_place_and_keeps_its_verification(
    editor_client, editor, incident, counter, monitor
):
    _url, series, serve = monitor
    gather_source(counter.pk, force=True)
    rolling = Evidence.objects.get(source=counter, in_inbox=True)
    evidence_verify(actor=editor, evidence=rolling, incident=incident)

    # The last point keeps filling: still far above the usual count.
    serve([*series[:-1], {**series[-1], "reports_value": 900.0}])
    gather_source(counter.pk, force=True)

    again = Evidence.objects.get(source=counter, in_inbox=True)
    assert again.pk == rolling.pk and again.state == "verified"
    assert again.title == "Report counter high: 900 reports at 22:00 UTC (usual: 7)"
    html = inbox_html(editor_client, incident)
    assert counter_items(html, counter) == 1 and "0 to check" in html


def test_a_level_change_raises_the_counter_again_as_new(
    editor_client, editor, incident, counter, monitor
):
    _url, series, serve = monitor
    gather_source(counter.pk, force=True)
    high = Evidence.objects.get(source=counter, in_inbox=True)
    evidence_verify(actor=editor, evidence=high, incident=incident)
    seen = inbox_html(editor_client, incident)
    after = int(seen.split("?after=")[1].split("&")[0].split('"')[0])

    # The outage is over: the monitor's last points are back to the usual count.
    calm = [{**point, "reports_value": point["baseline_value"]} for point in series[-2:]]
    serve([*series[:-2], *calm])
    gather_source(counter.pk, force=True)

    normal = Evidence.objects.get(source=counter, in_inbox=True)
    assert normal.pk != high.pk
    assert normal.state == "unverified" and normal.raw["level"] == "normal"
    high.refresh_from_db()
    assert not high.in_inbox and high.state == "verified"  # its decision stays on record
    # The live poll brings it in as new, and the page still shows the counter once.
    poll = editor_client.get(
        reverse("newsroom:inbox", args=[incident.pk]) + f"?after={after}", **HX
    ).content.decode()
    assert "Report counter normal" in poll and "is-new" in poll
    html = inbox_html(editor_client, incident)
    assert counter_items(html, counter) == 1 and "1 to check" in html


def test_counter_points_cannot_be_decided_one_by_one(editor_client, incident, counter):
    gather_source(counter.pk, force=True)
    point = Evidence.objects.filter(source=counter, in_inbox=False).first()
    response = editor_client.post(
        reverse("newsroom:evidence_verify", args=[incident.pk, point.pk]), **HX
    )
    assert response.status_code == 404
    point.refresh_from_db()
    assert point.state == "unverified"
