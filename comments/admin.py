from django.contrib import admin

from comments.models import Ban, CannedReply, Comment, ModerationWord, OfficialReply


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "incident", "status", "spam_score", "report_count", "created_at"]
    list_filter = ["status", "incident"]
    search_fields = ["name", "text"]
    date_hierarchy = "created_at"
    exclude = ["email"]  # moderators never need the address
    readonly_fields = ["address_hash", "email_hash"]
    raw_id_fields = ["incident"]


@admin.register(OfficialReply)
class OfficialReplyAdmin(admin.ModelAdmin):
    list_display = ["comment", "author", "created_at"]
    search_fields = ["text"]
    raw_id_fields = ["comment"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["category", "language", "question", "use_count", "is_active"]
    list_filter = ["language", "category", "is_active"]
    search_fields = ["question", "text"]


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "language", "action"]
    list_filter = ["language", "action"]
    search_fields = ["word"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["address_hash", "email_hash", "reason", "created_at", "lifted_at"]
    search_fields = ["reason", "address_hash", "email_hash"]
