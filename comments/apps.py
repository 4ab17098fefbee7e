from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # Connected once the app registry is ready: the receivers import the tasks and models.
        from comments.events import comment_received
        from comments.receivers import on_comment_received

        comment_received.connect(on_comment_received, dispatch_uid="comments-checks")
