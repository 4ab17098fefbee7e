from django.contrib import admin

from notifications.models import Delivery, Subscriber


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
    list_display = ["subscriber", "update", "state", "attempts", "sent_at"]
    list_filter = ["state"]
    search_fields = ["last_error"]
    raw_id_fields = ["subscriber", "update"]
