"""Data for bench/public_load.sh, run with the bench's environment (DATABASE_URL, REDIS_URL…).

    python bench/public_load_data.py create          # the active incident the bench reads
    python bench/public_load_data.py publish URL     # publish an update, print when URL shows it

`publish` goes through the same path as the newsroom: the update row, then `update_published`
once the transaction commits, which invalidates the public cache. It then polls URL (through
nginx in the production run) and prints how long the update took to become visible.
"""

import os
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outagedesk.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.seeding import seed_demo  # noqa: E402
from incidents import events  # noqa: E402
from incidents.models import (  # noqa: E402
    Component,
    FAQEntry,
    Incident,
    IncidentUpdate,
    Service,
    SignalBucket,
)
from incidents.selectors.signals import bucket_floor  # noqa: E402

SLUG = "whatsapp-bench"


def publish_update(incident: Incident, **fields) -> IncidentUpdate:
    with transaction.atomic():
        update = IncidentUpdate.objects.create(
            incident=incident, language=incident.language, **fields
        )
        events.send_on_commit(events.update_published, update=update)
    return update


def create() -> None:
    seed_demo(replay_url="")
    service = Service.objects.get(slug="whatsapp")
    if Incident.objects.filter(slug=SLUG).exists():
        return
    now = timezone.now()
    incident = Incident.objects.create(
        service=service,
        slug=SLUG,
        title="Panne de WhatsApp : les messages ne partent plus",
        language="fr",
        kind=Incident.Kind.GLOBAL,
        status=Incident.Status.IDENTIFIED,
        impact=Incident.Impact.CRITICAL,
        regions=["europe", "FR", "BE"],
        is_public=True,
        started_at=now - timedelta(hours=2),
    )
    incident.components.set(
        Component.objects.filter(service=service, slug__in=["messages", "calls", "media"])
    )
    texts = [
        ("investigating", False, "Des lecteurs signalent une panne de WhatsApp"),
        ("investigating", True, "WhatsApp est hors service en Europe"),
        ("identified", True, "WhatsApp a identifié la cause de la panne"),
    ]
    for minutes, (status, confirmed, title) in zip((110, 70, 20), texts, strict=True):
        publish_update(
            incident,
            status=status,
            is_confirmed=confirmed,
            title=title,
            message="Les messages restent bloqués sur une coche grise et les appels échouent. "
            "Nous suivons la page d'état officielle : https://metastatus.com/",
            advice="En attendant : SMS, appels classiques, Telegram ou Signal.",
            sources_text="Selon Downdetector, le compte officiel de WhatsApp et nos lecteurs",
            published_at=now - timedelta(minutes=minutes),
        )
    for position, (question, answer) in enumerate(
        [
            ("Mes messages sont-ils perdus ?", "Non : ils partiront au retour du service."),
            ("Quand WhatsApp reviendra-t-il ?", "Personne ne peut encore le dire."),
        ]
    ):
        FAQEntry.objects.create(
            incident=incident,
            service=service,
            language="fr",
            question=question,
            answer=answer,
            is_published=True,
            position=position,
        )
    start = bucket_floor(now - timedelta(days=29))
    buckets = []
    moment = start
    while moment < now:
        usual = 5 + (moment.hour % 12)
        spike = 4000 if now - moment < timedelta(hours=2) else 0
        buckets.append(SignalBucket(service=service, bucket_start=moment, count=usual + spike))
        moment += timedelta(minutes=5)
    SignalBucket.objects.bulk_create(buckets, ignore_conflicts=True)


def publish(url: str, timeout: float = 10.0) -> None:
    incident = Incident.objects.get(slug=SLUG)
    title = f"Mise à jour du banc d'essai {time.time_ns()}"
    publish_update(
        incident,
        status="identified",
        is_confirmed=True,
        title=title,
        message="Le correctif est en cours de déploiement.",
        published_at=timezone.now(),
    )
    published = time.monotonic()
    needle = title.encode()
    while time.monotonic() - published < timeout:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            if needle in response.read():
                print(f"{time.monotonic() - published:.3f}")
                return
        time.sleep(0.05)
    print("timeout")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "create":
        create()
    elif command == "publish" and len(sys.argv) == 3:
        publish(sys.argv[2])
    else:
        sys.exit(__doc__)
