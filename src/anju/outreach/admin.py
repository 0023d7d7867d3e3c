from django.contrib import admin

from anju.outreach.models import (
    Campaign,
    ContentItem,
    GreetingTemplate,
    OutreachSettings,
    Partner,
    PartnerRating,
    Recommendation,
)


@admin.register(OutreachSettings)
class OutreachSettingsAdmin(admin.ModelAdmin):
    list_display = ("company", "greetings_auto_send", "recent_contact_days", "poor_rating_below")


@admin.register(GreetingTemplate)
class GreetingTemplateAdmin(admin.ModelAdmin):
    list_display = ("company", "kind")
    list_filter = ("kind",)


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "company", "created_at")
    list_filter = ("kind",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("content", "channel", "status", "sent_count", "sent_at")
    list_filter = ("status", "channel")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "phone", "service_area", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(PartnerRating)
class PartnerRatingAdmin(admin.ModelAdmin):
    list_display = ("partner", "client", "score", "at")
    raw_id_fields = ("client",)


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("partner", "client", "agent", "channel", "created_at")
    raw_id_fields = ("client",)
