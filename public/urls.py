"""The public URL contract (see DESIGN.md): the data endpoints (live state, feeds, API, banner),
unprefixed whatever the language (a `lang` parameter picks it). The pages themselves, one per
language, are in public/urls_pages.py."""

from django.urls import path

from public import views

app_name = "public"
urlpatterns = [
    path("incidents/<slug:slug>/state.json", views.incident_state, name="incident-state"),
    path("incidents/<slug:slug>/feed.atom", views.feed_incident, name="incident-feed"),
    path("feeds/incidents.atom", views.feed_all, {"kind": "atom"}, name="feed-atom"),
    path("feeds/incidents.rss", views.feed_all, {"kind": "rss"}, name="feed-rss"),
    path("api/v2/summary.json", views.statuspage_document, {"document": "summary"}, name="api-summary"),
    path("api/v2/status.json", views.statuspage_document, {"document": "status"}, name="api-status"),
    path("api/v2/components.json", views.statuspage_document, {"document": "components"}, name="api-components"),
    path("api/v2/incidents.json", views.statuspage_document, {"document": "incidents"}, name="api-incidents"),
    path("api/v2/incidents/unresolved.json", views.statuspage_document, {"document": "unresolved"}, name="api-unresolved"),
    path("embed/banner.js", views.banner_script, name="banner-js"),
    path("embed/banner.json", views.banner_json, name="banner-json"),
    path("embed/banner.html", views.banner_frame, name="banner-frame"),
]  # fmt: skip
