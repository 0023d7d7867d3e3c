from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from anju.core.models import CalendarDay


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """节假日与调休: administrators enter the State Council's holidays for years the package lacks."""

    list_display = ["date", "weekday", "name", "is_working", "note"]
    list_filter = [YearFilter, "is_working"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    ordering = ["date"]

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return "一二三四五六日"[day.date.weekday()]
