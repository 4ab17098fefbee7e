from django.urls import path

from comments.views import canned, queue

app_name = "comments"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("counts/", queue.counts, name="counts"),
    path("comments/<int:pk>/approve/", queue.approve, name="approve"),
    path("comments/<int:pk>/reject/", queue.reject, name="reject"),
    path("comments/<int:pk>/spam/", queue.spam, name="spam"),
    path("comments/<int:pk>/ban/", queue.ban, name="ban"),
    path("comments/<int:pk>/reply/", queue.reply, name="reply"),
    path("comments/<int:pk>/promote/", queue.promote, name="promote"),
    path("bulk/", queue.bulk, name="bulk"),
    path("incidents/<int:pk>/slow-mode/", queue.slow_mode, name="slow_mode"),
    path("undo/", queue.undo, name="undo"),
    path("replies/", canned.canned_list, name="canned_list"),
    path("replies/new/", canned.canned_create, name="canned_create"),
    path("replies/<int:pk>/", canned.canned_edit, name="canned_edit"),
]
