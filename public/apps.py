"""The public app's configuration: where the pipeline's receivers are connected to the
incidents app's signals."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
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
        # Written outside the incidents' services (the admin): no domain signal, so model signals.
        for name in ("Service", "Component", "FAQEntry"):
            model = apps.get_model("incidents", name)
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.on_service_content_saved,
                    sender=model,
                    dispatch_uid=f"public-cache-{model.__name__}",
                )
