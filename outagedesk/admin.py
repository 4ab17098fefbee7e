from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outagedesk.audit import audit_record
from outagedesk.login_policy import ThrottledAdminAuthenticationForm, address_hash
from outagedesk.models import AuditEvent, LoginThrottle, ScheduledJob


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


# Both login forms follow the one policy (outagedesk/login_policy.py).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Who is being slowed down at login, from where, and until when; unlocking is audited."""

    list_display = [
        "account",
        "address",
        "failures",
        "last_failure_at",
        "locked_until",
        "is_locked",
    ]
    search_fields = ["username", "address"]
    readonly_fields = [
        "username",
        "address",
        "failures",
        "first_failure_at",
        "last_failure_at",
        "locked_until",
    ]
    actions = ["unlock"]

    @admin.display(description=_("account"), ordering="username")
    def account(self, obj):
        return obj.username or _("(every account from this address)")

    @admin.display(description=_("locked now"), boolean=True)
    def is_locked(self, obj):
        return obj.locked_until is not None and obj.locked_until > timezone.now()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Django 6.1's signature (the one without action_location is deprecated).
    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # unlocking goes through `unlock`, which audits
        return actions

    @admin.action(description=_("Unlock (forget these failures)"), permissions=["delete"])
    def unlock(self, request, queryset):
        with transaction.atomic():
            for row in queryset:
                audit_record(
                    actor=request.user,
                    action="login.unlock",
                    target=row,
                    details={
                        "account": row.username or None,
                        "address_hash": address_hash(row.address),
                    },
                )
            count, _by_model = queryset.delete()
        self.message_user(
            request,
            ngettext(
                "%(count)d login throttle removed.", "%(count)d login throttles removed.", count
            )
            % {"count": count},
        )

    def delete_model(self, request, obj):
        self.unlock(request, LoginThrottle.objects.filter(pk=obj.pk))
