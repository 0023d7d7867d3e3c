"""Showings in the admin: to look at, not to change. Plans, confirmations and feedback go through the
services (the collision checks, the match and follow-up side effects); a signed confirmation can
never be changed or deleted by anyone (decision 0014)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anju.showings.models import Showing, ShowingConfirmation, Stop


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    can_delete = False
    fields = ("order", "listing", "arrive_at", "leave_at", "confirmed_at", "agreed_name", "access")
    readonly_fields = ("order", "listing", "arrive_at", "leave_at", "confirmed_at", "agreed_name", "access")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Showing)
class ShowingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agent", "status", "starts_at", "ends_at", "company"]
    list_filter = ["company", "status"]
    search_fields = ["client__name", "agent__name"]
    date_hierarchy = "starts_at"
    inlines = [StopInline]


@admin.register(ShowingConfirmation)
class ShowingConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "showing", "agent", "signed_at", "sha256", "supersedes"]
    list_filter = ["company"]
    search_fields = ["client_name", "sha256"]
