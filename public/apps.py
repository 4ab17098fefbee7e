"""The public app's configuration: where the pipeline's receivers are connected to the
incidents app's signals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from incidents import events


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public")

    def ready(self) -> None:
        # The one function-level import allowed in public/: the receivers reach the renderers,
        # which import models, and models cannot be imported before the app registry is ready.
        from public import receivers

        events.update_published.connect(receivers.on_update_published, dispatch_uid="public-cache")
        events.incident_changed.connect(receivers.on_incident_changed, dispatch_uid="public-cache")
