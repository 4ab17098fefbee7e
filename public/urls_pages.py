"""The public pages readers land on, one address per language (`/fr/…`, `/en/…`): included by
outagedesk/urls.py inside `i18n_patterns`. Their unprefixed addresses redirect to the reader's
best language (outagedesk/middleware/language.py). The data endpoints (feeds, API, banner,
live state) stay unprefixed in public/urls.py."""

from django.urls import path

from public import views

app_name = "public_pages"
urlpatterns = [
    path("", views.index, name="index"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident"),
]
