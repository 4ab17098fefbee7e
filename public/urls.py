"""The public URL contract (see DESIGN.md): one route per public view, on top of the pipeline."""

from django.urls import path

from public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<slug:service_slug>/", views.service_detail, name="service"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident"),
    path("incidents/<slug:slug>/state.json", views.incident_state, name="incident-state"),
    path("incidents/<slug:slug>/card.png", views.incident_card, name="incident-card"),
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
