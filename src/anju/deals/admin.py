"""Deals in the admin site: to look at, with their history. Stages, splits, offers and money change
only through the deals' services (the pages and the API), so nothing here edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from anju.deals.models import Deal, Offer, Split, StageChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SplitInline(ReadOnlyInline):
    model = Split
    fields = ["agent", "role", "percent"]


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ["side", "price", "payment", "handover_on", "created_at", "accepted_at"]


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ["from_stage", "to_stage", "by", "at", "reason"]


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "stage", "listing", "buyer", "agent", "price", "company"]
    list_filter = ["company", "stage", "kind"]
    search_fields = ["number", "buyer__name", "listing__community__name"]
    inlines = [StageChangeInline, OfferInline, SplitInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The contract's tables register themselves from their own module.
from anju.deals.contracts import admin as contracts_admin  # noqa: E402, F401
