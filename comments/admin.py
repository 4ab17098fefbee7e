from django.contrib import admin

from comments.forms import CannedReplyForm
from comments.models import (
    Ban,
    CannedReply,
    Comment,
    CommentReport,
    ModerationAction,
    ModerationWord,
    OfficialReply,
)
from comments.services import canned_reply_save


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "incident",
        "status",
        "needs_review",
        "spam_score",
        "report_count",
        "created_at",
    ]
    list_filter = ["status", "needs_review", "awaiting_checks", "incident"]
    search_fields = ["name", "text"]
    date_hierarchy = "created_at"
    exclude = ["email"]  # moderators never need the address
    readonly_fields = ["address_hash", "email_hash", "fingerprint", "reasons"]
    raw_id_fields = ["incident", "moderated_by"]
    list_select_related = ["incident"]


@admin.register(OfficialReply)
class OfficialReplyAdmin(admin.ModelAdmin):
    list_display = ["comment", "author", "created_at"]
    search_fields = ["text"]
    raw_id_fields = ["comment"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    form = CannedReplyForm  # the moderators' checks: plain text, only known placeholders
    list_display = ["category", "language", "question", "use_count", "is_active"]
    list_filter = ["language", "category", "is_active"]
    search_fields = ["question", "keywords", "text"]
    readonly_fields = ["use_count"]

    def save_model(self, request, obj, form, change):
        # Same sanitising and audit as the moderators' own form.
        saved = canned_reply_save(
            actor=request.user, data=form.cleaned_data, reply=obj if change else None
        )
        obj.pk = saved.pk


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "language", "action"]
    list_filter = ["language", "action"]
    search_fields = ["word"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["address_hash", "email_hash", "reason", "created_at", "lifted_at"]
    search_fields = ["reason", "address_hash", "email_hash"]


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "created_at"]
    raw_id_fields = ["comment"]
    readonly_fields = ["comment", "address_hash", "created_at"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the undo history of the queue."""

    list_display = ["kind", "actor", "created_at", "undone_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
