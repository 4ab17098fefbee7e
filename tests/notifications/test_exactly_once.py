"""The claim that makes each delivery happen once: duplicate and concurrent batches, leases of
dead workers, the sweep that recovers lost work, and the fan-out resumed after a crash."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.fanout import fanout_run
from notifications.models import Delivery, Fanout
from notifications.services import deliveries_send
from notifications.tasks import deliver_batch_task, sweep_task
from tests.factories import make_subscriber


@pytest.fixture
def hooks(service, receiver, allow_loopback_fetch):
    def make(count: int):
        subscribers = []
        for i in range(count):
            subscriber = make_subscriber(
                service,
                channel="webhook",
                webhook_url=receiver.hook_url(f"h{i}"),
                secret=f"secret-{i}",
            )
            receiver.secrets[f"h{i}"] = subscriber.secret
            subscribers.append(subscriber)
        return subscribers

    return make


def deliveries_for(update, subscribers, **fields):
    return [Delivery.objects.create(subscriber=s, update=update, **fields) for s in subscribers]


def test_the_same_batch_run_twice_sends_once(hooks, receiver, make_update):
    update = make_update()
    ids = [d.pk for d in deliveries_for(update, hooks(10))]
    first = deliveries_send(ids)
    second = deliveries_send(ids)
    assert (first.sent, second.sent) == (10, 0)
    assert receiver.count() == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_on_the_same_batch_send_each_delivery_once(hooks, receiver, make_update):
    update = make_update()
    ids = [d.pk for d in deliveries_for(update, hooks(60))]
    errors = []

    def worker():
        try:
            deliveries_send(ids)
        except Exception as exc:  # surfaced below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert receiver.count() == 60
    assert set(receiver.per_path().values()) == {1}
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_a_claim_held_by_a_live_worker_is_left_alone(hooks, receiver, make_update):
    update = make_update()
    (delivery,) = deliveries_for(
        update,
        hooks(1),
        state="sending",
        attempts=1,
        lease_until=timezone.now() + timedelta(minutes=5),
    )
    assert deliveries_send([delivery.pk]).sent == 0
    assert receiver.count() == 0
    delivery.refresh_from_db()
    assert delivery.state == "sending"


def test_the_claim_of_a_dead_worker_is_taken_over_once_its_lease_expired(
    hooks, receiver, make_update
):
    update = make_update()
    (delivery,) = deliveries_for(
        update,
        hooks(1),
        state="sending",
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert deliveries_send([delivery.pk]).sent == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.lease_until) == ("sent", 2, None)
    assert receiver.count() == 1


def test_the_sweep_recovers_expired_claims_and_lost_tasks_only(
    hooks, receiver, make_update, run_on_commit, settings
):
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 60
    now = timezone.now()
    update = make_update()
    expired, lost, queued, live = hooks(4)
    deliveries_for(update, [expired], state="sending", attempts=1, lease_until=now - timedelta(1))
    deliveries_for(update, [lost], due_at=now - timedelta(minutes=5))
    deliveries_for(update, [queued], due_at=now)  # its task is probably still in the queue
    deliveries_for(update, [live], state="sending", attempts=1, lease_until=now + timedelta(1))

    counts = run_on_commit(sweep_task)

    assert (counts["expired"], counts["overdue"]) == (1, 1)
    assert set(receiver.per_path()) == {"/hook/h0", "/hook/h1"}
    assert set(
        Delivery.objects.filter(subscriber__in=[expired, lost]).values_list("state", flat=True)
    ) == {"sent"}


def test_a_fan_out_stopped_half_way_is_resumed_by_the_sweep(
    hooks, receiver, make_update, run_on_commit, settings
):
    settings.NOTIFY_FANOUT_CHUNK = 3
    subscribers = hooks(8)
    update = make_update()
    # A worker died after the first chunk: its rows exist, its lease expired.
    deliveries_for(update, subscribers[:3])
    Fanout.objects.create(
        update=update, cursor=subscribers[2].pk, lease_until=timezone.now() - timedelta(1)
    )
    run_on_commit(sweep_task)
    fanout = Fanout.objects.get()
    assert fanout.completed_at is not None and fanout.deliveries_created == 8
    assert receiver.count() == 8
    assert set(receiver.per_path().values()) == {1}


def test_a_fan_out_in_progress_elsewhere_is_not_run_twice(hooks, make_update):
    hooks(3)
    update = make_update()
    Fanout.objects.create(update=update, lease_until=timezone.now() + timedelta(minutes=1))
    handed_on: list[list[int]] = []
    assert fanout_run(update_id=update.pk, enqueue_batch=handed_on.append) == 0
    assert not Delivery.objects.exists() and handed_on == []


def test_a_batch_out_of_time_hands_the_rest_to_a_new_task(
    hooks, receiver, make_update, run_on_commit, settings
):
    update = make_update()
    ids = [d.pk for d in deliveries_for(update, hooks(5))]
    outcome = deliveries_send(ids, budget_seconds=0)
    assert outcome.sent == 1 and len(outcome.leftover_ids) == 4
    settings.NOTIFY_BATCH_TIME_BUDGET = 0
    run_on_commit(deliver_batch_task, outcome.leftover_ids)
    assert receiver.count() == 5


def test_publishing_enqueues_the_fan_out_only_when_notify_is_on(
    hooks, receiver, make_update, publish
):
    hooks(2)
    publish(make_update(notify=False))
    assert not Fanout.objects.exists() and receiver.count() == 0
    publish(make_update(notify=True))
    assert Fanout.objects.count() == 1 and receiver.count() == 2
