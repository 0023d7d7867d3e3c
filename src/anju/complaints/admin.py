"""The company's complaint settings in the admin site: the SLA by severity, the category and the
root-cause lists. A complaint itself changes only through the services (the pages and the API)."""

from __future__ import annotations

from django.contrib import admin

from anju.complaints.models import SLA_FIELDS, Category, ComplaintSettings, RootCause


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(admin.ModelAdmin):
    list_display = ["company", *SLA_FIELDS]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "position", "is_active"]
    list_filter = ["company", "is_active"]
    ordering = ["company", "position"]


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "position", "is_active"]
    list_filter = ["company", "is_active"]
    ordering = ["company", "position"]
