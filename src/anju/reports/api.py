"""/api/v1/reports — the figures a manager steers by, scoped like the pages (an agent their own, a
store manager the store, an administrator the company)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from anju.core.schemas import ERRORS
from anju.org.scoping import agent_of
from anju.reports.schemas import FunnelOut, PeriodIn
from anju.reports.selectors import default_period, funnel_report, report_window

router = Router(tags=["报表"])


@router.get(
    "/funnel",
    response={200: FunnelOut, **ERRORS},
    by_alias=True,
    summary="转化漏斗：新增客户 → 需求 → 带看 → 报价 → 签约 → 结案",
)
def funnel(request: HttpRequest, query: Query[PeriodIn]) -> dict:
    viewer = agent_of(request.user)
    first, today = default_period()
    window = report_window(
        viewer, start=query.start or first, end=query.end or today, store_id=query.store, agent_id=query.agent
    )
    report = funnel_report(window)
    return {
        "start": window.start,
        "end": window.end,
        "store": window.store_id,
        "agent": window.agent_id,
        "stages": [{"key": f.key, "label": str(f.label), "count": f.value} for f in report.figures],
    }
