from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.admin_forms import (
    ComponentAdminForm,
    ResponseTemplateAdminForm,
    ServiceAdminForm,
    SourceAdminForm,
)
from incidents.models import (
    Component,
    Evidence,
    FAQEntry,
    Incident,
    IncidentUpdate,
    ResponseTemplate,
    Service,
    Source,
)


class ComponentInline(admin.TabularInline):
    model = Component
    form = ComponentAdminForm
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = ["name", "slug", "owner", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ComponentInline]


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    form = ComponentAdminForm
    list_display = ["name_en", "name_fr", "service", "slug", "position"]
    list_filter = ["service"]
    search_fields = ["name_en", "name_fr", "slug"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm
    list_display = [
        "name",
        "public_label",
        "service",
        "kind",
        "tier",
        "poll_interval_seconds",
        "is_enabled",
        "last_success_at",
        "last_run_summary",
        "consecutive_failures",
        "last_error",
    ]
    list_editable = ["poll_interval_seconds", "is_enabled"]
    list_filter = ["service", "kind", "tier", "is_enabled"]
    search_fields = ["name", "public_label", "url", "owner"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_run_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "consecutive_failures",
        "last_item_count",
        "last_run_summary",
        "next_poll_at",
        "lease_until",
    ]

    @admin.display(description=_("last run result"))
    def last_run_summary(self, source: Source) -> str:
        return source.health_summary if source.last_success_at else ""


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "signal_kind", "signal_value", "state", "observed_at"]
    list_filter = ["state", "signal_kind", "source__tier", "service"]
    search_fields = ["title", "text", "url", "author"]
    date_hierarchy = "observed_at"
    raw_id_fields = ["incident", "verified_by"]
    list_select_related = ["source"]


class IncidentUpdateInline(admin.StackedInline):
    model = IncidentUpdate
    extra = 0
    fields = ["published_at", "status", "title", "message", "author"]
    readonly_fields = ["published_at", "status", "title", "message", "author"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # updates are published from the newsroom, append-only


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "service", "status", "impact", "kind", "is_public", "started_at"]
    list_filter = ["status", "impact", "kind", "service", "is_public"]
    search_fields = ["title", "slug"]
    date_hierarchy = "started_at"
    filter_horizontal = ["services", "components"]
    inlines = [IncidentUpdateInline]
    # Written through the newsroom (cleaned, audited, pages refreshed), not as raw JSON here.
    readonly_fields = ["title_translations"]


@admin.register(IncidentUpdate)
class IncidentUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "incident", "status", "is_confirmed", "language", "published_at"]
    list_filter = ["status", "is_confirmed", "language"]
    search_fields = ["title", "message"]
    date_hierarchy = "published_at"
    raw_id_fields = ["incident", "corrects", "evidence"]

    # Published updates are append-only: corrections are new updates.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    form = ResponseTemplateAdminForm
    list_display = ["name", "language", "tone", "purpose", "is_active"]
    list_filter = ["language", "tone", "purpose", "is_active"]
    search_fields = ["name", "title", "message"]


@admin.register(FAQEntry)
class FAQEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "service", "incident", "language", "is_published"]
    list_filter = ["language", "is_published", "service"]
    search_fields = ["question", "answer"]
    raw_id_fields = ["incident"]
