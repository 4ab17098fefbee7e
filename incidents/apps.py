from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from incidents.events import problem_likely
        from incidents.receivers import on_problem_likely

        problem_likely.connect(on_problem_likely, dispatch_uid="incidents.staff_alert")
