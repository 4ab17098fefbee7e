"""Browser fixtures for the accessibility tests: seeded pages, axe-core, and staff logins."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from incidents.models import Component, Incident
from tests.conftest import PASSWORD
from tests.public.conftest import publish_update

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
TIMEOUT = 15_000


@pytest.fixture
def public_incident(transactional_db, seeded):
    """An ongoing, confirmed outage of WhatsApp messages with two updates and FAQ answers."""
    now = timezone.now()
    incident = Incident.objects.create(
        service=seeded,
        slug="whatsapp-down",
        title="WhatsApp down in Europe",
        language="en",
        kind=Incident.Kind.REGIONAL,
        status=Incident.Status.IDENTIFIED,
        impact=Incident.Impact.CRITICAL,
        regions=["europe"],
        is_public=True,
        started_at=now - timedelta(minutes=40),
    )
    incident.components.set(Component.objects.filter(service=seeded, slug__in=["messages"]))
    publish_update(
        incident,
        title="Messages are not sent",
        message="Readers report messages stuck on one grey tick.",
        status="investigating",
        at=now - timedelta(minutes=35),
        sources_text="Downdetector, reader reports",
    )
    publish_update(
        incident,
        title="WhatsApp confirms the outage",
        message=(
            "A configuration change is being rolled back. Details: "
            "https://engineering.example.com/status/2026/whatsapp-messages-delivery-incident-report"
            "-configuration-rollback-in-progress"
        ),
        status="identified",
        is_confirmed=True,
        advice="Use SMS meanwhile.",
        call_to_action="Follow this page for the next update.",
        at=now - timedelta(minutes=10),
    )
    return incident


@pytest.fixture
def reader_comments(public_incident):
    """Two published reader comments (one with an official reply) and two waiting for a
    moderator, one of them a question the canned replies answer."""
    from comments.models import Comment, OfficialReply
    from comments.services import comment_submit

    published = comment_submit(
        incident=public_incident,
        name="Camille",
        email="",
        text="Nothing since noon here in Lyon. Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaargh!",
        address="203.0.113.7",
        fill_seconds=30,
    )
    Comment.objects.filter(pk=published.pk).update(status=Comment.Status.APPROVED)
    answered = comment_submit(
        incident=public_incident,
        name="Sam",
        email="",
        text="Are my messages lost?",
        address="203.0.113.8",
        fill_seconds=30,
    )
    Comment.objects.filter(pk=answered.pk).update(status=Comment.Status.APPROVED)
    OfficialReply.objects.create(comment=answered, text="No: they are sent once it is back.")
    for number, text in enumerate(
        [
            "Will my messages be lost? It has been an hour.",
            "Still down in Paris: https://downdetector.example.com/status/whatsapp/map/france/"
            "paris-ile-de-france-region-outage-reports-last-24-hours",
        ]
    ):
        comment_submit(
            incident=public_incident,
            name=f"Reader {number}",
            email="",
            text=text,
            address=f"198.51.100.{number + 1}",
            fill_seconds=30,
        )
    return public_incident


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "login failed"


class CSPWatch:
    """Collects what the page's Content-Security-Policy blocked (Chromium logs each refusal)."""

    def __init__(self, page):
        self.blocked: list[str] = []
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.blocked.append(message.text)


def run_axe(page, *, label: str, context: str = "document") -> list[dict]:
    """axe-core on the page as loaded, its CSP enforced: evaluate() runs through the DevTools
    protocol, which the page's policy does not govern. Returns the violations, and prints the
    minor and moderate ones."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async (context) => {
            const target = context === "document" ? document : context;
            const result = await axe.run(target, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 6).map(n => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        context,
    )
    for violation in violations:
        if violation["impact"] not in ("serious", "critical"):
            print(f"[axe {label}] {violation['impact']}: {violation['id']} – {violation['help']}")
    return violations


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def report(found: dict[str, list[dict]]) -> str:
    return json.dumps(found, indent=1, ensure_ascii=False)
