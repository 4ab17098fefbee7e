from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public")

    def ready(self) -> None:
        from incidents import events
        from public import cache

        # Anything published or changed makes every cached public response stale at once.
        events.update_published.connect(cache.on_update_published, dispatch_uid="public-cache")
        events.incident_changed.connect(cache.on_incident_changed, dispatch_uid="public-cache")
