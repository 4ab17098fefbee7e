from django.urls import path

from newsroom.views import composer, dashboard, faq, inbox, services, sources, workspace

app_name = "newsroom"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("incidents/new/", dashboard.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", workspace.workspace, name="workspace"),
    path("incidents/<int:pk>/state/", workspace.incident_state, name="incident_state"),
    path("incidents/<int:pk>/dismiss/", workspace.incident_dismiss_view, name="incident_dismiss"),
    path("incidents/<int:pk>/inbox/", inbox.inbox, name="inbox"),
    path(
        "incidents/<int:pk>/evidence/<int:evidence_pk>/verify/",
        inbox.evidence_verify_view,
        name="evidence_verify",
    ),
    path(
        "incidents/<int:pk>/evidence/<int:evidence_pk>/reject/",
        inbox.evidence_reject_view,
        name="evidence_reject",
    ),
    path("incidents/<int:pk>/compose/", composer.composer, name="composer"),
    path("incidents/<int:pk>/preview/", composer.preview, name="preview"),
    path("incidents/<int:pk>/publish/", composer.publish, name="publish"),
    path(
        "incidents/<int:pk>/translate/<int:original_pk>/",
        composer.translation_add,
        name="translation_add",
    ),
    path("incidents/<int:pk>/faq/prefill/", faq.faq_prefill_view, name="faq_prefill"),
    path("incidents/<int:pk>/faq/add/", faq.faq_add_view, name="faq_add"),
    path("incidents/<int:pk>/faq/<int:entry_pk>/", faq.faq_save_view, name="faq_save"),
    path("services/", services.service_list, name="service_list"),
    path("services/new/", services.service_new, name="service_new"),
    path("services/<int:service_pk>/", services.service_edit, name="service_edit"),
    path(
        "services/<int:service_pk>/archive/",
        services.service_archive_view,
        name="service_archive",
    ),
    path("services/<int:service_pk>/remove/", services.service_remove_view, name="service_remove"),
    path("services/<int:service_pk>/sources/new/", sources.source_new, name="source_new"),
    path("services/<int:service_pk>/sources/test/", sources.source_test, name="source_test"),
    path(
        "services/<int:service_pk>/sources/<int:source_pk>/",
        sources.source_edit,
        name="source_edit",
    ),
]
