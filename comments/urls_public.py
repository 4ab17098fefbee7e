from django.urls import path

from comments.views import public

app_name = "comments_public"
urlpatterns = [
    path("incidents/<slug:slug>/comments/", public.incident_comments, name="section"),
    path(
        "incidents/<slug:slug>/comments/<int:pk>/report/",
        public.comment_report,
        name="report",
    ),
]
