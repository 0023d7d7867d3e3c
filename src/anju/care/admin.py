"""Client care in the admin site: the company's scoring and cadence, and the tier history to read.
Tiers themselves change only through the jobs and a manager's pin (the pages and the services):
the settings saved here apply at the next nightly run."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from anju.care.models import CareSettings, TierChange


@admin.register(CareSettings)
class CareSettingsAdmin(admin.ModelAdmin):
    list_display = ["company", "tier_a_min", "tier_b_min", "tier_c_min", "prospect_a_days", "past_days"]


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ["client", "from_tier", "to_tier", "by", "at"]
    list_filter = ["to_tier"]
    raw_id_fields = ["client", "by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
