from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from incidents.events import problem_likely
        from incidents.models import Component, Service, Source
        from incidents.receivers import on_problem_likely, on_service_setup_saved

        problem_likely.connect(on_problem_likely, dispatch_uid="incidents.staff_alert")
        # Services are written outside the incidents' services too (the admin): model signals.
        for model in (Service, Component, Source):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_service_setup_saved,
                    sender=model,
                    dispatch_uid=f"incidents.report-target-{model.__name__}",
                )
