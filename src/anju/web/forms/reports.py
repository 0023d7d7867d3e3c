"""The reports' filter (报表筛选): the period, and a store or an agent among those the viewer may pick.

The query string says ``?from=2026-11-01&to=2026-11-30&store=&agent=``, like the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from anju.org.models import Agent
from anju.reports.selectors import default_period, report_agents, report_stores
from anju.web.forms.base import DateInput, style_widgets


def _pick(label: Any, everyone: Any, choices: list[tuple[int, str]]) -> forms.IntegerField:
    """A store or an agent, by id, picked from those the viewer may see; disabled when there is no
    choice to make (an agent sees themselves). An id typed into the address is not refused here but by
    ``report_window``: 404 for another company's, 403 for one outside the viewer's scope."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=2**62,
        widget=forms.Select(
            choices=[("", everyone), *choices], attrs={"disabled": True} if len(choices) <= 1 else {}
        ),
    )


class ReportFilterForm(forms.Form):
    def __init__(self, data: Any, *, viewer: Agent) -> None:
        first, today = default_period()
        query = data.copy()
        query.setdefault("from", first.isoformat())
        query.setdefault("to", today.isoformat())
        query["from"] = query["from"] or first.isoformat()
        query["to"] = query["to"] or today.isoformat()
        super().__init__(query)
        stores = [(s.pk, s.name) for s in report_stores(viewer)]
        agents = [(a.pk, f"{a.name}（{a.store.name}）" if a.store else a.name) for a in report_agents(viewer)]
        self.fields["from"] = forms.DateField(label=gettext_lazy("开始日期"), widget=DateInput())
        self.fields["to"] = forms.DateField(label=gettext_lazy("结束日期"), widget=DateInput())
        self.fields["store"] = _pick(gettext_lazy("门店"), gettext_lazy("全部门店"), stores)
        self.fields["agent"] = _pick(gettext_lazy("经纪人"), gettext_lazy("全部经纪人"), agents)
        style_widgets(self)

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]
