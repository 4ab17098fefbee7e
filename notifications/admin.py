from django.contrib import admin

from notifications.models import Delivery, Fanout, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "channel",
        "service",
        "incident",
        "language",
        "confirmed_at",
        "is_active",
    ]
    list_filter = ["channel", "is_active", "language", "service"]
    search_fields = ["email", "webhook_url"]
    raw_id_fields = ["incident"]
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "update", "state", "attempts", "last_error", "due_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["last_error"]
    raw_id_fields = ["subscriber", "update"]


@admin.register(Fanout)
class FanoutAdmin(admin.ModelAdmin):
    """Progress of each update's fan-out; written only by the workers."""

    list_display = ["update", "created_at", "deliveries_created", "completed_at"]
    raw_id_fields = ["update"]
    readonly_fields = [
        "update",
        "created_at",
        "cursor",
        "deliveries_created",
        "lease_until",
        "completed_at",
    ]

    def has_add_permission(self, request):
        return False
