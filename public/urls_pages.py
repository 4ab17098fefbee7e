"""The public pages readers land on, one address per language (`/fr/…`, `/en/…`): included by
outagedesk/urls.py inside `i18n_patterns`. Their unprefixed addresses redirect to the reader's
best language (outagedesk/middleware/language.py). The data endpoints (feeds, API, banner,
live state) stay unprefixed in public/urls.py."""

from django.urls import path

from public import views

app_name = "public_pages"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<slug:service_slug>/", views.service_detail, name="service"),
    path("services/<slug:service_slug>/card.png", views.service_card, name="service-card"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident"),
    # The social card: its words are in the page's language, like the page it illustrates.
    path("incidents/<slug:slug>/card.png", views.incident_card, name="incident-card"),
]
