"""Publishing an update mails every confirmed subscriber once, through a real SMTP server, in
their language, with the update's time and sources."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from incidents.models import Evidence, IncidentUpdateTranslation, Source
from notifications.models import Delivery, Fanout
from notifications.tasks import deliver_batch_task, fanout_update_task
from outagedesk.models import AuditEvent
from tests.factories import make_incident, make_subscriber
from tests.notifications.receivers import html_part, text_part

PUBLISHED = datetime(2026, 11, 28, 17, 45, tzinfo=UTC)


@pytest.fixture
def cited_update(make_update, service):
    update = make_update(published_at=PUBLISHED)
    source = Source.objects.create(
        service=service, name="Meta status", kind=Source.Kind.STATUSPAGE, tier="official"
    )
    evidence = Evidence.objects.create(
        source=source,
        service=service,
        url="https://metastatus.com/whatsapp",
        observed_at=PUBLISHED,
        dedup_key="meta-1",
    )
    update.evidence.add(evidence)
    return update


def test_each_confirmed_subscriber_gets_one_mail(smtp, service, incident, cited_update, publish):
    make_subscriber(service, email="all@example.org")
    make_subscriber(service, email="this@example.org", incident=incident)
    other = make_incident(service=service, slug="other", title="Other", is_public=True)
    make_subscriber(service, email="other@example.org", incident=other)
    make_subscriber(service, email="waiting@example.org", confirmed=False)
    make_subscriber(service, email="off@example.org", is_active=False)

    publish(cited_update)

    assert smtp.per_recipient() == {"all@example.org": 1, "this@example.org": 1}
    deliveries = Delivery.objects.filter(update=cited_update)
    assert deliveries.count() == 2
    assert set(deliveries.values_list("state", "attempts")) == {("sent", 1)}
    assert Fanout.objects.get(update=cited_update).completed_at is not None
    assert AuditEvent.objects.filter(action="notification.fanout_done").count() == 1


def test_the_mail_has_the_update_its_time_and_sources(smtp, service, cited_update, publish):
    make_subscriber(service, email="reader@example.org")
    publish(cited_update)
    (message,) = smtp.to("reader@example.org")
    assert message["Subject"] == "[WhatsApp] Investigating: Messages are not delivered"
    text, html = text_part(message), html_part(message)
    for body in (text, html):
        assert "Since 17:40, messages stay on one grey tick." in body
        assert "Use SMS for urgent messages." in body
        assert "Nov. 28, 2026, 5:45 p.m. (UTC)" in body
        assert "Meta status page; 4,000 reports on Downdetector" in body
        assert "https://metastatus.com/whatsapp" in body
        assert "/incidents/whatsapp-down-2026-11-28/" in body
    delivery = Delivery.objects.get()
    assert message["Message-ID"] == f"<delivery-{delivery.pk}@127.0.0.1>"
    assert message["Auto-Submitted"] == "auto-generated"


def test_french_subscribers_read_it_in_french(smtp, service, cited_update, publish):
    make_subscriber(service, email="lecteur@example.org", language="fr")
    incident = cited_update.incident
    incident.title_translations = {"fr": "Les messages WhatsApp ne sont pas distribués"}
    incident.save()
    IncidentUpdateTranslation.objects.create(
        update=cited_update,
        language="fr",
        title="Les messages ne partent plus",
        message="Depuis 17 h 40, les messages restent sur une coche grise.",
        advice="Utilisez les SMS pour l'urgent.",
    )
    publish(cited_update)
    (message,) = smtp.to("lecteur@example.org")
    # French typography in the subject too: a no-break space before the colon.
    assert message["Subject"] == ("[WhatsApp] Enquête en cours\u00a0: Les messages ne partent plus")
    assert "Les messages WhatsApp ne sont pas distribués" in text_part(message)
    text = text_part(message)
    assert "Depuis 17 h 40, les messages restent sur une coche grise." in text
    assert "Since 17:40" not in text
    assert "/fr/incidents/" in text
    assert "Publié le 28 novembre 2026 17:45 (UTC)" in text
    assert "Sources\u00a0:" in text  # French typography: a no-break space before the colon
    assert "Se désabonner en un clic" in text
    assert "Se désabonner en un clic" in html_part(message)


def test_without_a_french_version_a_french_subscriber_reads_it_wholly_in_english(
    smtp, service, cited_update, publish
):
    # French labels around English text is what subscribers must never get.
    make_subscriber(service, email="lecteur@example.org", language="fr")
    publish(cited_update)
    (message,) = smtp.to("lecteur@example.org")
    assert message["Subject"] == "[WhatsApp] Investigating: Messages are not delivered"
    text = text_part(message)
    assert "Since 17:40, messages stay on one grey tick." in text
    assert "Se désabonner" not in text and "Unsubscribe" in text
    assert "/en/incidents/" in text


def test_without_the_incident_title_in_french_a_french_subscriber_reads_it_in_english(
    smtp, service, cited_update, publish
):
    # The update was translated, the incident's title not: a French email would head with an
    # English title, so it is English from subject to footer.
    make_subscriber(service, email="lecteur@example.org", language="fr")
    IncidentUpdateTranslation.objects.create(
        update=cited_update, language="fr", title="Les messages ne partent plus", message="Bloqués."
    )
    publish(cited_update)
    (message,) = smtp.to("lecteur@example.org")
    assert message["Subject"] == "[WhatsApp] Investigating: Messages are not delivered"
    text = text_part(message)
    assert text.startswith("WhatsApp messages are not delivered")
    assert "Unsubscribe" in text and "Se désabonner" not in text


def test_an_update_without_notify_sends_nothing(smtp, service, make_update, publish):
    make_subscriber(service, email="reader@example.org")
    publish(make_update(notify=False))
    assert smtp.count() == 0
    assert not Delivery.objects.exists()
    assert not Fanout.objects.exists()


def test_an_update_of_a_non_public_incident_sends_nothing(
    smtp, service, incident, make_update, publish
):
    incident.is_public = False
    incident.save()
    make_subscriber(service, email="reader@example.org")
    publish(make_update())
    assert smtp.count() == 0


def test_a_subscriber_confirmed_after_the_update_does_not_get_it(
    smtp, service, make_update, publish
):
    update = make_update()
    make_subscriber(service, email="late@example.org", confirmed_at=timezone.now() + timedelta(1))
    publish(update)
    assert smtp.count() == 0


def test_publishing_twice_and_running_every_task_twice_mails_once(
    smtp, service, make_update, publish, run_on_commit
):
    for i in range(5):
        make_subscriber(service, email=f"r{i}@example.org")
    update = make_update()
    publish(update)
    publish(update)
    run_on_commit(fanout_update_task, update.pk)
    run_on_commit(deliver_batch_task, list(Delivery.objects.values_list("pk", flat=True)))
    assert smtp.count() == 5
    assert set(smtp.per_recipient().values()) == {1}


def test_a_temporary_smtp_refusal_is_retried_later(
    smtp, service, make_update, publish, run_on_commit
):
    make_subscriber(service, email="busy@example.org")
    smtp.answers["busy@example.org"] = ["451 4.3.0 Mailbox busy, try later"]
    update = make_update()
    publish(update)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "451" in delivery.last_error
    assert delivery.due_at > timezone.now()
    assert smtp.count() == 0

    Delivery.objects.update(due_at=timezone.now())
    run_on_commit(deliver_batch_task, [delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert smtp.per_recipient() == {"busy@example.org": 1}


def test_a_permanent_refusal_is_not_retried(smtp, service, make_update, publish):
    make_subscriber(service, email="gone@example.org")
    smtp.answers["gone@example.org"] = ["550 5.1.1 No such user"]
    publish(make_update())
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert "550" in delivery.last_error


def test_retries_stop_after_the_last_attempt(
    smtp, service, make_update, publish, run_on_commit, settings
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    make_subscriber(service, email="busy@example.org")
    smtp.answers["busy@example.org"] = ["451 4.3.0 Try later"] * 10
    publish(make_update())
    delivery = Delivery.objects.get()
    for _ in range(5):
        Delivery.objects.filter(state="pending").update(due_at=timezone.now())
        run_on_commit(deliver_batch_task, [delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert smtp.count() == 0


def test_a_refused_connection_is_recorded_and_retried(service, make_update, publish, settings):
    from tests.services import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    make_subscriber(service, email="reader@example.org")
    publish(make_update())
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error


def test_the_embedded_default_writes_the_mails_to_files(
    service, make_update, publish, settings, tmp_path
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    make_subscriber(service, email="reader@example.org")
    make_subscriber(service, email="other@example.org")
    publish(make_update())
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert written.count("Subject: [WhatsApp] Investigating: Messages are not delivered") == 2
    assert written.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
