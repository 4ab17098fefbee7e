"""Redis (the cache and the Celery broker) stops in the middle of a crisis.

Readers keep loading the public pages, an editor publishes an update through the newsroom: the
pages are served (rendered without the cache), the update is saved and public, the publish
does not fail on the dead broker. When Redis is back, the sweep job starts the fan-out that
could not be enqueued, and every subscriber gets the update exactly once (emails at a real SMTP
server, webhooks at a real HTTP receiver, sent by a real Celery worker)."""

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.seeding import seed_demo
from incidents.models import Incident, IncidentUpdate, Service
from incidents.services.updates import UpdateDraft, update_publish
from notifications.fanout import sweep, unstarted_fanouts
from notifications.models import Delivery, Fanout, Subscriber
from notifications.tasks import sweep_task
from tests.factories import make_incident, make_subscriber, make_update, make_user
from tests.notifications.receivers import HttpReceiver, SmtpReceiver
from tests.support.workers import celery_broker, wait_until, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.slow]

SLUG = "whatsapp-redis-down"
HOOKS = EMAILS = 20


def public_urls() -> list[str]:
    return [
        "/en/",
        f"/en/incidents/{SLUG}/",
        "/embed/banner.json?service=whatsapp&lang=fr",
        "/api/v2/summary.json",
    ]


@pytest.fixture
def redis_everywhere(settings, redis_server):
    """The production wiring, on a Redis of this test's own: cache and broker, nothing eager."""
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "outagedesk.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "od",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with celery_broker(settings, redis_server.url):
        yield redis_server


@pytest.fixture
def receivers():
    smtp = SmtpReceiver().start()
    http = HttpReceiver().start()
    yield smtp, http
    smtp.stop()
    http.stop()


def open_incident() -> tuple[Incident, object]:
    """WhatsApp down, public with a first update (not announced), and its editor."""
    seed_demo(replay_url="")
    editor = make_user("edith", "editor")
    incident = make_incident(
        Incident.objects.first().service,  # the seeded service
        slug=SLUG,
        title="WhatsApp messages are not delivered",
        language="en",
        status=Incident.Status.INVESTIGATING,
        impact=Incident.Impact.MAJOR,
        started_at=timezone.now() - timedelta(minutes=20),
    )
    update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=incident,
            title="Readers report messages stuck on one grey tick",
            message="We are looking into it.",
            notify=False,
        ),
    )
    return incident, editor


@pytest.fixture
def crisis(transactional_db, receivers):
    """The open incident, committed (a worker process reads it), and its subscribers by email
    and by webhook."""
    smtp, http = receivers
    incident, editor = open_incident()
    confirmed = timezone.now() - timedelta(hours=1)
    for i in range(EMAILS):
        make_subscriber(
            channel="email", service=incident.service, email=f"reader{i}@example.org",
            language="en", confirmed_at=confirmed,
        )  # fmt: skip
    for i in range(HOOKS):
        subscriber = make_subscriber(
            channel="webhook", service=incident.service, webhook_url=http.hook_url(f"h{i}"),
            secret=f"secret-{i}", language="en", confirmed_at=confirmed,
        )  # fmt: skip
        http.secrets[f"h{i}"] = subscriber.secret
    return incident, editor


class Readers:
    """Readers loading the public pages in a loop from their own threads, as a crowd does."""

    def __init__(self, count: int = 3):
        self.statuses: list[tuple[str, int]] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(count)]

    def _read(self) -> None:
        from django.db import connection

        client = Client()
        try:
            while not self._stop.is_set():
                for url in public_urls():
                    self.statuses.append((url, client.get(url).status_code))
        except BaseException as exc:  # surfaced by the test: a thread's error is otherwise lost
            self.errors.append(exc)
        finally:
            connection.close()

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_redis_stopped_pages_served_publish_saved_and_notified_once_after_it_returns(
    redis_everywhere, crisis, receivers, workers, tmp_path
):
    redis_server = redis_everywhere
    incident, editor = crisis
    smtp, http = receivers

    reader = Client()
    for url in public_urls():
        assert reader.get(url).status_code == 200, url
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # the pages were cached there

    redis_server.stop()

    editor_client = Client()
    editor_client.force_login(editor)
    with Readers() as readers:
        response = editor_client.post(
            reverse("newsroom:publish", args=[incident.pk]),
            {
                "title": "Messages are delayed across Europe",
                "message": "Messages sent since 17:40 arrive late or not at all.",
                "advice": "Use SMS for anything urgent.",
                "status": "identified",
                "language": "en",
                "confirmation": "report",
                "notify": "on",
                "seen_update": str(incident.updates.get().pk),
            },
        )
        time.sleep(0.5)  # let the readers load the pages after the publish too
    assert readers.errors == []
    assert readers.statuses and {status for _url, status in readers.statuses} == {200}

    # The publish went through: the editor is sent back to the workspace, not to an error page.
    assert response.status_code == 302, response.content[:500]
    update = IncidentUpdate.objects.get(title="Messages are delayed across Europe")
    assert update.notify is True
    incident.refresh_from_db()
    assert incident.status == "identified" and incident.is_public
    # Readers see it at once, rendered without the cache.
    page = reader.get(f"/en/incidents/{SLUG}/")
    assert page.status_code == 200 and "Messages are delayed across Europe" in page.text
    assert "Messages are delayed across Europe" in reader.get("/api/v2/summary.json").text
    # Nobody was told yet: the fan-out could not be enqueued.
    assert not Fanout.objects.filter(update=update).exists()
    assert not Delivery.objects.exists()

    # Redis comes back (empty: the cache and the queues are gone). A worker starts, and the
    # sweep job runs as beat would enqueue it once the update is older than the grace period.
    redis_server.start()
    env = worker_env(
        redis_server.url,
        tmp_path / "var",
        TEST_SMTP_PORT=str(smtp.port),
        NOTIFY_SWEEP_GRACE_SECONDS="1",
    )
    worker = workers(env, "notify,default", concurrency=2).start()
    time.sleep(1.1)  # the grace period: before it, an unstarted fan-out may still be queued
    sender = broker_client(redis_server.url)
    sender.send_task("notifications.sweep_task", queue="notify")

    total = HOOKS + EMAILS
    wait_until(
        lambda: smtp.count() + http.count() >= total and not worker_busy(redis_server.url),
        90,
        f"{total} notifications\n{worker.output()[-3000:]}",
        every=0.3,
    )
    # Beat keeps running the sweep: running it again sends nothing more.
    sender.send_task("notifications.sweep_task", queue="notify")
    time.sleep(2)
    wait_until(lambda: not worker_busy(redis_server.url), 30, "the notify queue to drain")

    assert len(smtp.per_recipient()) == EMAILS and set(smtp.per_recipient().values()) == {1}
    assert len(http.per_path()) == HOOKS and set(http.per_path().values()) == {1}
    assert http.bad_signatures == 0
    message = smtp.to("reader0@example.org")[0]
    assert "Messages are delayed across Europe" in message["Subject"]
    deliveries = Delivery.objects.filter(update=update)
    assert deliveries.count() == total
    assert set(deliveries.values_list("state", flat=True)) == {"sent"}
    assert Fanout.objects.get(update=update).completed_at is not None
    assert worker.alive


def broker_client(url: str):
    from celery import Celery

    return Celery("fault-test-sender", broker=url, set_as_current=False)


def worker_busy(url: str) -> bool:
    client = redis.Redis.from_url(url)
    return bool(client.llen("notify") or client.hlen("unacked"))


def test_the_sweep_starts_unstarted_fan_outs_only_while_they_are_news(db, settings):
    """What the sweep picks up: announced updates whose fan-out never started, past the grace
    period (their task may still be in the queue before that), and not older than
    NOTIFY_UNSTARTED_MAX_AGE (an announcement hours late is history, not news)."""
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 60
    settings.NOTIFY_UNSTARTED_MAX_AGE = 3600
    incident, _editor = open_incident()
    now = timezone.now()

    def update(minutes_ago: int, **fields) -> IncidentUpdate:
        values: dict[str, Any] = {"notify": True, "incident": incident, "status": "investigating"}
        values.update(fields)
        return make_update(
            title=f"{minutes_ago} minutes ago",
            message="m",
            language="en",
            published_at=now - timedelta(minutes=minutes_ago),
            **values,
        )

    lost = update(5)
    update(0)  # within the grace period
    update(120)  # too old
    update(5, notify=False)  # the editor chose not to notify
    started = update(6)
    Fanout.objects.create(update=started, completed_at=now)

    assert unstarted_fanouts(now=now) == [lost.pk]

    Incident.objects.filter(pk=incident.pk).update(is_public=False)
    assert unstarted_fanouts(now=now) == []  # unpublished since: never announced


def test_the_sweep_enqueues_the_unstarted_fan_outs(
    db, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 0
    incident, _editor = open_incident()
    update = IncidentUpdate.objects.create(
        incident=incident,
        status="investigating",
        title="t",
        message="m",
        language="en",
        published_at=timezone.now() - timedelta(seconds=5),
        notify=True,
    )
    assert sweep().fanouts == [update.pk]
    with django_capture_on_commit_callbacks() as callbacks:
        counts = sweep_task()
    assert counts["fanouts"] == 1 and len(callbacks) == 1


def test_subscribing_while_redis_is_down_answers_as_usual_and_the_sweep_mails_later(
    redis_everywhere, transactional_db, receivers, workers, tmp_path
):
    """Finding 10 of issue 13: the reader who subscribes while the broker is down gets the
    usual page, not a 500; the request is saved, and its confirmation mail goes out once Redis
    is back (so does the one of a reader whose task was in the queue Redis lost)."""
    redis_server = redis_everywhere
    smtp, _http = receivers
    Service.objects.create(slug="whatsapp", name="WhatsApp")
    reader = Client()

    def subscribe(email: str):
        return reader.post(
            "/subscribe/",
            {"channel": "email", "language": "en", "email": email, "service": "whatsapp"},
            HTTP_ORIGIN="http://testserver",
        )

    before = subscribe("early@example.org")  # its task waits in Redis, no worker yet
    redis_server.stop()
    during = subscribe("late@example.org")

    assert during.status_code == before.status_code == 200
    assert [t.name for t in during.templates][:1] == ["notifications/check_inbox.html"]
    assert [t.name for t in before.templates][:1] == ["notifications/check_inbox.html"]
    assert "Check your inbox" in during.text
    late = Subscriber.objects.get(email="late@example.org")
    assert late.confirmed_at is None and late.confirmation_due_at is not None
    assert smtp.count() == 0

    # Redis comes back empty (the early task is gone with it); a worker starts, and beat's
    # sweep runs once the requests are older than the grace period.
    redis_server.start()
    env = worker_env(
        redis_server.url,
        tmp_path / "var",
        TEST_SMTP_PORT=str(smtp.port),
        NOTIFY_SWEEP_GRACE_SECONDS="1",
    )
    worker = workers(env, "notify", concurrency=1).start()
    time.sleep(1.1)
    sender = broker_client(redis_server.url)
    sender.send_task("notifications.sweep_task", queue="notify")
    wait_until(
        lambda: smtp.count() >= 2 and not worker_busy(redis_server.url),
        60,
        f"the confirmation mails\n{worker.output()[-3000:]}",
        every=0.3,
    )
    sender.send_task("notifications.sweep_task", queue="notify")  # beat keeps running it
    time.sleep(2)
    wait_until(lambda: not worker_busy(redis_server.url), 30, "the notify queue to drain")

    for address in ("early@example.org", "late@example.org"):
        (message,) = smtp.to(address)
        assert "Confirm your subscription to WhatsApp updates" in message["Subject"]
    assert not Subscriber.objects.filter(confirmation_due_at__isnull=False).exists()
    assert worker.alive
