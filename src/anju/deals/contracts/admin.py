"""Contracts in the admin site, to look at with their history: like deals, they change only through
the services (a signed contract never), so nothing here edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from anju.deals.admin import ReadOnlyInline
from anju.deals.contracts.models import Amendment, Contract, ContractTemplate, TitleCheck


class LookOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = ["sequence", "changes", "text", "signed_on", "by", "at"]


@admin.register(Contract)
class ContractAdmin(LookOnly, SimpleHistoryAdmin):
    list_display = ["number", "deal", "kind", "price", "generated_at", "signed_at", "signed_by"]
    list_filter = ["kind"]
    search_fields = ["number", "deal__number", "certificate_number"]
    inlines = [AmendmentInline]


@admin.register(ContractTemplate)
class ContractTemplateAdmin(LookOnly, admin.ModelAdmin):
    list_display = ["kind", "version", "is_current", "company", "uploaded_by", "created_at"]
    list_filter = ["company", "kind", "is_current"]


@admin.register(TitleCheck)
class TitleCheckAdmin(LookOnly, admin.ModelAdmin):
    list_display = ["deal", "certificate_number", "mortgaged", "seized", "by", "at"]
    search_fields = ["deal__number", "certificate_number"]
