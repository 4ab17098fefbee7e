import pytest
from django.core.cache import cache
from django.utils import timezone

from incidents.events import send_on_commit, update_published
from incidents.models import Incident, IncidentUpdate, Service
from tests import factories
from tests.factories import make_incident
from tests.notifications.receivers import HttpReceiver, SmtpReceiver


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    receiver = SmtpReceiver().start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": receiver.port, "timeout": 10},
        }
    }
    yield receiver
    receiver.stop()


@pytest.fixture
def receiver():
    """A real HTTP receiver on 127.0.0.1 for webhooks and push."""
    server = HttpReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def service(db):
    return Service.objects.create(slug="whatsapp", name="WhatsApp")


@pytest.fixture
def incident(service):
    return make_incident(
        service,
        slug="whatsapp-down-2026-11-28",
        title="WhatsApp messages are not delivered",
        language="en",
        status=Incident.Status.INVESTIGATING,
        impact=Incident.Impact.MAJOR,
        is_public=True,
        started_at=timezone.now(),
    )


@pytest.fixture
def make_update(incident):
    def make(**fields) -> IncidentUpdate:
        values = {
            "incident": incident,
            "status": Incident.Status.INVESTIGATING,
            "title": "Messages are not delivered",
            "message": "Since 17:40, messages stay on one grey tick.",
            "advice": "Use SMS for urgent messages.",
            "sources_text": "Meta status page; 4,000 reports on Downdetector",
            "language": "en",
            "published_at": timezone.now(),
            "notify": True,
        }
        values.update(fields)
        return factories.make_update(**values)

    return make


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish like the newsroom does: update_published sent on commit; every callback the
    fan-out registers (batches, retries) runs too, the Celery tasks eagerly."""

    def run(update: IncidentUpdate) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            send_on_commit(update_published, update=update)

    return run


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
