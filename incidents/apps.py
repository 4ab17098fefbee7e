from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from incidents.events import (
            incident_changed,
            problem_likely,
            reader_reports_waiting,
            update_published,
        )
        from incidents.models import Component, Service, Source
        from incidents.receivers import (
            on_incident_content_changed,
            on_problem_likely,
            on_reader_reports_waiting,
            on_service_setup_saved,
        )

        problem_likely.connect(on_problem_likely, dispatch_uid="incidents.staff_alert")
        for content_signal in (update_published, incident_changed):
            content_signal.connect(
                on_incident_content_changed, dispatch_uid="incidents.page_language"
            )
        reader_reports_waiting.connect(
            on_reader_reports_waiting, dispatch_uid="incidents.reader_reports_flush"
        )
        # Services are written outside the incidents' services too (the admin): model signals.
        for model in (Service, Component, Source):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_service_setup_saved,
                    sender=model,
                    dispatch_uid=f"incidents.report-target-{model.__name__}",
                )
