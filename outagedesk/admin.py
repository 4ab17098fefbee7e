from django.contrib import admin

from outagedesk.models import AuditEvent, ScheduledJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_repr", "object_id"]
    date_hierarchy = "at"

    # The log is append-only, even for superusers.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "task_name",
        "interval_seconds",
        "enabled",
        "last_run_at",
        "next_run_at",
    ]
    list_editable = ["interval_seconds", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["name", "task_name", "description"]
    readonly_fields = ["task_name", "last_run_at", "next_run_at"]
