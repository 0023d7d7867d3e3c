"""报表: the reports a manager steers by — the funnel, follow-up discipline, efficiency, commission —
as charts with their numbers, each number opening the records behind it, and each report as .xlsx.

Parse (the filter form) → access (``report_window`` narrows to what the viewer may see) → the
report's selectors → render. The charts read their data from a ``json_script`` block.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
from anju.org.models import Agent
from anju.reports.exports import XLSX_TYPE, report_workbook
from anju.reports.measures import Window
from anju.reports.selectors import (
    REPORTS,
    Figure,
    Report,
    measure_list,
    measure_of,
    measure_part,
    report_of,
    report_window,
)
from anju.web.forms.reports import ReportFilterForm
from anju.web.views.base import agent_required

NAV = {"nav_section": "reports"}
LIST_LIMIT = 500
TABS: tuple[tuple[str, str | Promise], ...] = (
    ("funnel", gettext_lazy("转化漏斗")),
    ("discipline", gettext_lazy("跟进纪律")),
    ("efficiency", gettext_lazy("成交效率")),
    ("commission", gettext_lazy("佣金")),
    ("complaints", gettext_lazy("投诉")),
    ("referrals", gettext_lazy("转介绍")),
    ("tiers", gettext_lazy("客户分级")),
)
RECORD_PAGES = {
    "client": "web:client_detail",
    "complaint": "web:complaint_detail",
    "deal": "web:deal_detail",
    "showing": "web:showing_detail",
}


@dataclass(frozen=True)
class Filtered:
    form: ReportFilterForm
    window: Window | None
    error: str = ""


def _filtered(request: HttpRequest, agent: Agent) -> Filtered:
    form = ReportFilterForm(request.GET, viewer=agent)
    if not form.is_valid():
        return Filtered(form, None, _("请检查筛选条件。"))
    start, end = form.period()
    try:
        window = report_window(
            agent,
            start=start,
            end=end,
            store_id=form.cleaned_data.get("store"),
            agent_id=form.cleaned_data.get("agent"),
        )
    except ApplicationError as exc:
        return Filtered(form, None, exc.message)
    return Filtered(form, window)


def _query(window: Window, **extra: Any) -> str:
    params: dict[str, Any] = {"from": window.start.isoformat(), "to": window.end.isoformat()}
    if window.store_id is not None:
        params["store"] = window.store_id
    if window.agent_id is not None:
        params["agent"] = window.agent_id
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def list_url(window: Window, measure: str, *, part: str = "", agent_id: int | None = None) -> str:
    query = _query(window, part=part, agent=agent_id)
    return f"{reverse('web:report_list', args=[measure])}?{query}"


def _number(value: int | Decimal | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def _chart(report: Report, window: Window) -> dict[str, Any]:
    figures = [f for f in report.figures if not (report.key == "commission" and f.key == "total")]
    if report.key == "efficiency":
        figures = [f for f in figures if f.key in ("per_deal", "days")]
    return {
        "kind": report.key,
        "labels": [str(f.label) for f in figures],
        "units": [str(f.unit) for f in figures],
        "values": [_number(f.value) for f in figures],
        "links": [list_url(window, f.measure, part=f.part) for f in figures],
    }


def _figure_out(figure: Figure, window: Window) -> dict[str, Any]:
    return {"figure": figure, "url": list_url(window, figure.measure, part=figure.part)}


def _table(report: Report, window: Window) -> list[dict[str, Any]]:
    measures = {f.key: f.measure for f in report.figures}
    keys = [key for key, _label in report.columns]
    return [
        {
            "row": row,
            "cells": [
                {
                    "value": row.values.get(key),
                    "url": list_url(window, measures.get(key, key), agent_id=row.agent_id)
                    if row.agent_id
                    else "",
                }
                for key in keys
            ],
        }
        for row in report.rows
    ]


def _page(request: HttpRequest, agent: Agent, **context: Any) -> tuple[Filtered, dict[str, Any]]:
    """The filter read, and what every report page shows around it (the tabs, the form, its error)."""
    filtered = _filtered(request, agent)
    return filtered, {**NAV, "tabs": TABS, "form": filtered.form, "error": filtered.error, **context}


def _report_key(report: str) -> str:
    if report not in REPORTS:
        raise Http404(_("没有这张报表。"))
    return report


@agent_required
def report_page(request: HttpRequest, agent: Agent, report: str = "funnel") -> HttpResponse:
    filtered, context = _page(request, agent, current=_report_key(report))
    window = filtered.window
    if window is not None:
        built = report_of(window, report)
        context |= {
            "report": built,
            "figures": [_figure_out(f, window) for f in built.figures],
            "table": _table(built, window),
            "chart": _chart(built, window),
            "query": _query(window),
        }
    return render(request, "web/reports/report.html", context)


@agent_required
def report_list(request: HttpRequest, agent: Agent, measure: str) -> HttpResponse:
    """The records behind a figure: as many rows as the figure says (up to the first 500)."""
    about = measure_of(measure)
    part = request.GET.get("part", "")
    part_label = measure_part(measure, part) if part else ""
    filtered, context = _page(request, agent, measure=about, part=part, part_label=part_label)
    window = filtered.window
    if window is not None:
        shown, total = measure_list(window, measure, part=part, limit=LIST_LIMIT)
        context |= {
            "total": total,
            "rows": [
                {"cells": about.row(r), "url": reverse(RECORD_PAGES[kind], args=[pk])}
                for r in shown
                for kind, pk in [about.link(r)]
            ],
            "query": _query(window, part=part),
        }
    return render(request, "web/reports/list.html", context)


@agent_required
def report_xlsx(request: HttpRequest, agent: Agent, report: str) -> HttpResponse:
    report = _report_key(report)
    filtered = _filtered(request, agent)
    if filtered.window is None:
        return HttpResponse(filtered.error, status=400, content_type="text/plain; charset=utf-8")
    built = report_of(filtered.window, report)
    response = HttpResponse(report_workbook(built, filtered.window), content_type=XLSX_TYPE)
    name = f"{built.title}-{filtered.window.start:%Y%m%d}-{filtered.window.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


urlpatterns = [
    path("reports/", report_page, name="reports"),
    path("reports/lists/<slug:measure>/", report_list, name="report_list"),
    path("reports/<slug:report>/", report_page, name="report"),
    path("reports/<slug:report>/export.xlsx", report_xlsx, name="report_xlsx"),
]
