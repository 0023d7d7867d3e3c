from django.contrib import admin

from anju.messaging.models import ChannelWebhook, Message, MessagingSettings


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["idempotency_key", "client", "channel", "kind", "status", "attempts", "sent_at"]
    list_filter = ["company", "channel", "kind", "status"]
    search_fields = ["idempotency_key", "client__name"]
    raw_id_fields = ["client", "agent", "created_by", "approved_by"]
    readonly_fields = ["claim", "lease_until", "provider_answer"]


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    list_display = ["company", "weekly_marketing_cap", "quiet_from", "quiet_until"]


@admin.register(ChannelWebhook)
class ChannelWebhookAdmin(admin.ModelAdmin):
    list_display = ["company", "channel", "url"]
    list_filter = ["company", "channel"]
