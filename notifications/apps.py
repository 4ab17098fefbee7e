from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from incidents.events import update_published
        from notifications.receivers import on_update_published

        update_published.connect(on_update_published, dispatch_uid="notifications.fanout")
