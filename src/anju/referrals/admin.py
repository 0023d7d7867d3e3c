"""The company's reward rule in the admin site. Referrals and rewards are read here; they change
only through the services (the pages and the API), so a reward is never paid twice."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from anju.referrals.models import Referral, ReferralSettings, Reward


@admin.register(ReferralSettings)
class ReferralSettingsAdmin(admin.ModelAdmin):
    list_display = ["company", "kind", "amount", "share_percent", "gift", "earned_at", "yearly_cap"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["referred", "referrer_kind", "referrer_client", "referrer_name", "agent", "channel"]
    list_filter = ["company", "referrer_kind", "channel"]


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    list_display = ["referral", "deal", "kind", "amount", "status", "approved_by", "paid_by"]
    list_filter = ["status", "kind", "year"]
