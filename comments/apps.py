from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # Connected once the app registry is ready: the receivers import the tasks and models.
        from comments.events import comment_received
        from comments.models import Ban
        from comments.receivers import on_ban_saved, on_comment_received

        comment_received.connect(on_comment_received, dispatch_uid="comments-checks")
        for signal in (post_save, post_delete):
            signal.connect(on_ban_saved, sender=Ban, dispatch_uid="comments-banned-hashes")
