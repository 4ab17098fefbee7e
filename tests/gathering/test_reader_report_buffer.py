"""Reader reports through Redis, as in production: the request pushes the report, the worker
stores the waiting reports in batches, and nothing is lost or counted twice on the way."""

import logging

import pytest
import redis
from django.urls import reverse

from incidents.models import Evidence, SignalBucket, Source
from incidents.services import reader_reports, report_buffer
from incidents.services.reader_reports import reader_reports_flush, report_target
from incidents.tasks import reader_reports_store_task
from tests.services import free_port
from tests.support.workers import celery_broker

pytestmark = pytest.mark.redis

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def buffered(settings, redis_server):
    """Reports wait in this test's Redis, and the flush task is really sent to its broker (not
    run): the test runs the flush itself when it wants to."""
    settings.REDIS_URL = redis_server.url
    with celery_broker(settings, redis_server.url):
        yield redis.Redis.from_url(redis_server.url)


@pytest.fixture
def report_url(whatsapp):
    return reverse("incidents:reader_report", kwargs={"service_slug": whatsapp.slug})


def report(client, url, address, **data):
    return client.post(url, data, REMOTE_ADDR=address, **JSON)


def overall_count(service) -> float:
    bucket = SignalBucket.objects.filter(service=service, component="", region="").first()
    return bucket.count if bucket else 0


def test_a_report_waits_in_redis_and_the_worker_stores_the_batch(
    client, report_url, whatsapp, buffered
):
    answers = [
        report(client, report_url, "203.0.113.1", component="calls", country="FR"),
        report(client, report_url, "203.0.113.2"),
        report(client, report_url, "203.0.113.3", component="messages"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json()["message"] == "Thank you: your report about WhatsApp was counted."
    # Answered at once, stored by the worker: one flush asked for the whole batch.
    assert not Evidence.objects.filter(signal_kind="reader").exists()
    assert report_buffer.buffer_waiting() == 3
    assert buffered.llen("default") == 1  # the flush task, sent with the first report only

    assert reader_reports_store_task() == 3
    assert report_buffer.buffer_waiting() == 0
    stored = Evidence.objects.filter(signal_kind="reader").order_by("observed_at")
    assert [e.title for e in stored] == [
        "Reader report: Voice and video calls (FR)",
        "Reader report: not working",
        "Reader report: Messages",
    ]
    assert overall_count(whatsapp) == 3
    assert SignalBucket.objects.get(service=whatsapp, component="calls").count == 1
    assert SignalBucket.objects.get(service=whatsapp, region="FR").count == 1


def test_a_second_report_of_the_hour_is_refused_and_never_stored_twice(
    client, report_url, whatsapp, buffered, monkeypatch
):
    assert report(client, report_url, "203.0.113.9").status_code == 200
    assert report(client, report_url, "203.0.113.9").status_code == 429
    # Even when the cache forgot the reader (evicted, flushed), the batch stores them once.
    monkeypatch.setattr(reader_reports, "rate_limited", lambda *a, **k: False)
    assert report(client, report_url, "203.0.113.9").status_code == 200
    assert report_buffer.buffer_waiting() == 2
    assert reader_reports_flush() == 1
    assert Evidence.objects.filter(signal_kind="reader").count() == 1
    assert overall_count(whatsapp) == 1


def test_a_worker_killed_after_storing_a_batch_counts_nothing_twice(
    client, report_url, whatsapp, buffered, monkeypatch
):
    for n in range(1, 5):
        assert report(client, report_url, f"198.51.100.{n}").status_code == 200

    def killed(count: int) -> None:
        raise SystemExit("worker killed between the commit and the trim")

    monkeypatch.setattr(report_buffer, "buffer_drop", killed)
    with pytest.raises(SystemExit):
        reader_reports_flush()
    assert Evidence.objects.filter(signal_kind="reader").count() == 4
    assert report_buffer.buffer_waiting() == 4  # still there: the next flush takes them again
    monkeypatch.undo()
    assert reader_reports_flush() == 0  # all four already stored
    assert report_buffer.buffer_waiting() == 0
    assert Evidence.objects.filter(signal_kind="reader").count() == 4
    assert overall_count(whatsapp) == 4


def test_one_flush_at_a_time_and_a_report_pushed_meanwhile_is_stored(
    client, report_url, whatsapp, buffered, monkeypatch
):
    assert report(client, report_url, "192.0.2.1").status_code == 200
    with report_buffer.buffer_exclusive() as held:
        assert held
        assert reader_reports_flush() == 0  # another flush holds the lock: this one leaves
    assert report_buffer.buffer_waiting() == 1

    # A reader reports while the flush stores the first batch: the list was not empty, so no
    # new flush was asked for; the running one must not leave the report behind.
    store = reader_reports.reader_reports_store

    def store_while_a_reader_reports(reports):
        if not Evidence.objects.exists():
            assert report(client, report_url, "192.0.2.2").status_code == 200
        return store(reports)

    monkeypatch.setattr(reader_reports, "reader_reports_store", store_while_a_reader_reports)
    assert reader_reports_flush() == 2
    assert report_buffer.buffer_waiting() == 0
    assert overall_count(whatsapp) == 2


def test_a_report_for_a_source_deleted_meanwhile_does_not_block_the_others(
    client, report_url, whatsapp, buffered, caplog
):
    assert report(client, report_url, "192.0.2.10").status_code == 200
    Source.objects.filter(service=whatsapp, kind=Source.Kind.READER).delete()
    assert report(client, report_url, "192.0.2.11").status_code == 200  # a new reader source
    report_buffer.buffer_push("{not json")  # never written by this version; dropped, logged
    with caplog.at_level(logging.ERROR):
        assert reader_reports_flush() == 1
    assert "unreadable in Redis" in caplog.text
    assert report_buffer.buffer_waiting() == 0
    assert Evidence.objects.get(signal_kind="reader").source.kind == Source.Kind.READER


def test_with_redis_unreachable_the_request_stores_the_report_itself(
    client, report_url, whatsapp, settings
):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    assert report(client, report_url, "203.0.113.40", component="calls").status_code == 200
    assert Evidence.objects.filter(signal_kind="reader").count() == 1
    assert overall_count(whatsapp) == 1
    assert report_target(whatsapp.slug) is not None
