"""The company's processing settings in the admin site: the milestone templates, the handover
items, the banks' papers and the after-sales visit days. A deal's own plan, handover and visits
change only through the services (the pages and the API)."""

from __future__ import annotations

from django.contrib import admin

from anju.processing.models import BankPapers, HandoverTemplate, MilestoneTemplate, ProcessingSettings


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "company",
        "position",
        "days",
        "responsible",
        "deal_kind",
        "payment",
        "escrow",
        "mortgage",
    ]
    list_filter = ["company", "deal_kind", "payment"]
    ordering = ["company", "position"]


@admin.register(HandoverTemplate)
class HandoverTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "position"]
    list_filter = ["company"]


@admin.register(BankPapers)
class BankPapersAdmin(admin.ModelAdmin):
    list_display = ["bank", "company"]
    list_filter = ["company"]


@admin.register(ProcessingSettings)
class ProcessingSettingsAdmin(admin.ModelAdmin):
    list_display = ["company", "visit_days"]
