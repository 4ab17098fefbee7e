from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from incidents.events import update_published
        from notifications import receivers
        from notifications.events import confirmation_owed, owner_notice_owed

        update_published.connect(receivers.on_update_published, dispatch_uid="notifications.fanout")
        confirmation_owed.connect(
            receivers.on_confirmation_owed, dispatch_uid="notifications.confirmation"
        )
        owner_notice_owed.connect(
            receivers.on_owner_notice_owed, dispatch_uid="notifications.owner_notice"
        )
