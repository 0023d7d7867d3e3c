"""Reads for the reports (报表): what a viewer may look at, the figures and the records behind them.

Visibility (decision 0001): an agent sees the figures credited to them, a store manager (and a
transaction specialist) their store's, an administrator the company's; a store or an agent of another
company is a 404. Every figure is one aggregate query (``GROUP BY`` the credited agent, or the role);
the list behind it is the same queryset (``measure_records``), so the two always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.models import Tier
from anju.core.errors import ApplicationError
from anju.deals.models import DealKind, SplitRole
from anju.deals.selectors import company_commission_terms
from anju.org.models import Agent, Role, Store
from anju.referrals.models import RewardStatus
from anju.reports.measures import MEASURES, Measure, Window

MAX_DAYS = 366 * 3
DEFAULT_DAYS = 30


def _store_of_company(viewer: Agent, store_id: int) -> Store:
    store = Store.objects.filter(company_id=viewer.company_id, pk=store_id).first()
    if store is None:
        raise Http404(_("没有找到该门店。"))
    return store


def _agent_of_company(viewer: Agent, agent_id: int) -> Agent:
    agent = Agent.objects.filter(company_id=viewer.company_id, pk=agent_id).first()
    if agent is None:
        raise Http404(_("没有找到该员工。"))
    return agent


def report_window(
    viewer: Agent,
    *,
    start: dt.date,
    end: dt.date,
    store_id: int | None = None,
    agent_id: int | None = None,
) -> Window:
    """The window a viewer asked for, narrowed to what they may see.

    An agent always looks at themselves (a store or colleague asked for is refused, 403); a manager at
    their store, or one agent in it; an administrator at the company, a store or an agent."""
    if start > end:
        raise ApplicationError(_("开始日期不能晚于结束日期。"), code="report_period_invalid")
    if (end - start).days > MAX_DAYS:
        raise ApplicationError(_("统计区间最长三年。"), code="report_period_too_long")
    store = _store_of_company(viewer, store_id) if store_id is not None else None
    agent = _agent_of_company(viewer, agent_id) if agent_id is not None else None
    if viewer.role == Role.ADMIN:
        pass
    elif viewer.role in (Role.MANAGER, Role.SPECIALIST) and viewer.store_id is not None:
        if (store and store.pk != viewer.store_id) or (agent and agent.store_id != viewer.store_id):
            raise PermissionDenied(_("店长只能查看本门店的报表。"))
        store_id = viewer.store_id
    else:
        if (store is not None and store.pk != viewer.store_id) or (
            agent is not None and agent.pk != viewer.pk
        ):
            raise PermissionDenied(_("经纪人只能查看自己的报表。"))
        store_id, agent_id = None, viewer.pk
    today = timezone.localdate()
    # Today's company rate, as the deal page computes a deal's commission (``deal_commission``).
    rate, _payer = company_commission_terms(viewer.company, DealKind.SALE, today)
    return Window(
        company_id=viewer.company_id,
        start=start,
        end=end,
        store_id=store_id,
        agent_id=agent_id,
        today=today,
        sale_rate=rate,
    )


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 30 days, today included: never the near-empty first days of a month."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


def report_agents(viewer: Agent) -> QuerySet[Agent]:
    """The agents the viewer may pick in the report's filter."""
    agents = (
        Agent.objects.filter(company_id=viewer.company_id).select_related("store").order_by("store", "name")
    )
    if viewer.role == Role.ADMIN:
        return agents
    if viewer.role in (Role.MANAGER, Role.SPECIALIST) and viewer.store_id is not None:
        return agents.filter(store_id=viewer.store_id)
    return agents.filter(pk=viewer.pk)


def report_stores(viewer: Agent) -> QuerySet[Store]:
    stores = Store.objects.filter(company_id=viewer.company_id).order_by("name")
    return stores if viewer.role == Role.ADMIN else stores.none()


# --- one measure ---------------------------------------------------------------------------------


def measure_of(key: str) -> Measure:
    try:
        return MEASURES[key]
    except KeyError:
        raise Http404(_("没有这项统计。")) from None


def _narrowed(window: Window, measure: Measure) -> QuerySet[Any]:
    records = measure.records(window)
    if window.store_id is not None:
        records = records.filter(**{measure.store_field: window.store_id})
    if window.agent_id is not None:
        records = records.filter(**{measure.agent_field: window.agent_id})
    return records


def measure_part(key: str, part: str) -> str | Promise:
    """The name of one part of a measure (a role of the commission); 404 for a part it does not have."""
    measure = measure_of(key)
    if measure.part_label is None:
        raise Http404(_("没有这项统计。"))
    try:
        return measure.part_label(part)
    except (ValueError, LookupError):
        raise Http404(_("没有这项统计。")) from None


def measure_records(window: Window, key: str, *, part: str = "") -> QuerySet[Any]:
    """The records behind a figure, newest first (narrowed to one part, as the commission to a role)."""
    measure = measure_of(key)
    records = _narrowed(window, measure)
    if part:
        measure_part(key, part)
        records = records.filter(**{measure.part_field: part})
    return records.select_related(*measure.related).order_by("-pk")


def _grouped(window: Window, key: str, by: str, **values: Any) -> list[dict[str, Any]]:
    measure = measure_of(key)
    column = measure.agent_field if by == "agent" else by
    return list(_narrowed(window, measure).order_by().values(column).annotate(**values))


# --- the reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number of a report and the list that opens from it (``measure``, optionally one ``part`` of it)."""

    key: str
    label: str | Promise
    value: int | Decimal | None
    unit: str | Promise
    measure: str
    part: str = ""
    count: int = 0  # the records behind it (for a sum or an average)


@dataclass
class AgentRow:
    agent_id: int | None
    name: str
    store: str
    values: dict[str, int | Decimal | None] = field(default_factory=dict)

    def cells(self, keys: Sequence[str]) -> list[int | Decimal | None]:
        return [self.values.get(k) for k in keys]


@dataclass(frozen=True)
class Report:
    key: str
    title: str | Promise
    figures: list[Figure]
    columns: list[tuple[str, str | Promise]]  # (figure key, label) of the per-agent table
    rows: list[AgentRow]


def _rows(per_agent: dict[str, dict[int | None, Any]]) -> list[AgentRow]:
    """One row per agent credited with anything (one query for their names), busiest first."""
    ids = {a for values in per_agent.values() for a in values if a is not None}
    agents = {a.pk: a for a in Agent.objects.filter(pk__in=ids).select_related("store")}
    rows: dict[int | None, AgentRow] = {}
    for key, values in per_agent.items():
        for agent_id, value in values.items():
            if agent_id not in rows:
                agent = agents.get(agent_id) if agent_id is not None else None
                rows[agent_id] = AgentRow(
                    agent_id=agent_id,
                    name=agent.name if agent else _("公客池"),
                    store=agent.store.name if agent and agent.store else "",
                )
            rows[agent_id].values[key] = value
    return sorted(rows.values(), key=lambda r: (r.agent_id is None, r.name, r.agent_id or 0))


def _counts(window: Window, keys: Iterable[str]) -> dict[str, dict[int | None, int]]:
    per_agent: dict[str, dict[int | None, int]] = {}
    for key in keys:
        column = measure_of(key).agent_field
        per_agent[key] = {r[column]: r["n"] for r in _grouped(window, key, "agent", n=Count("pk"))}
    return per_agent


FUNNEL = ("clients", "needs", "showings", "offers", "deals", "closed")
DISCIPLINE = ("overdue", "returned")


def _count_report(window: Window, key: str, title: str | Promise, keys: Sequence[str]) -> Report:
    per_agent = _counts(window, keys)
    figures = [
        Figure(
            key=k,
            label=MEASURES[k].label,
            value=sum(per_agent[k].values()),
            unit=MEASURES[k].unit,
            measure=k,
            count=sum(per_agent[k].values()),
        )
        for k in keys
    ]
    return Report(key, title, figures, [(k, MEASURES[k].label) for k in keys], _rows(dict(per_agent)))


def funnel_report(window: Window) -> Report:
    """新增客户 → 需求 → 带看 → 报价 → 签约 → 结案, each counted in the period."""
    return _count_report(window, "funnel", gettext_lazy("转化漏斗"), FUNNEL)


def discipline_report(window: Window) -> Report:
    """逾期未跟进 (as of today) and 超期回池 (in the period)."""
    return _count_report(window, "discipline", gettext_lazy("跟进纪律"), DISCIPLINE)


def _ratio(showings: int, deals: int) -> Decimal | None:
    return (Decimal(showings) / Decimal(deals)).quantize(Decimal("0.1")) if deals else None


def _in_days(value: dt.timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def efficiency_report(window: Window) -> Report:
    """带看 per 签约, and the days from the buyer's first contact to the signing, per agent."""
    showings = {r["agent"]: r["n"] for r in _grouped(window, "showings", "agent", n=Count("pk"))}
    signed = {
        r["agent"]: (r["n"], r["days"])
        for r in _grouped(window, "deals", "agent", n=Count("pk"), days=Avg("days_taken"))
    }
    total_showings = sum(showings.values())
    total_deals = sum(n for n, _days in signed.values())
    weighted = [(days, n) for n, days in signed.values() if days is not None]
    average = (
        sum((days * n for days, n in weighted), dt.timedelta()) / sum(n for _d, n in weighted)
        if weighted
        else None
    )
    figures = [
        Figure(
            "showings", MEASURES["showings"].label, total_showings, _("次"), "showings", count=total_showings
        ),
        Figure("deals", MEASURES["deals"].label, total_deals, _("单"), "deals", count=total_deals),
        Figure(
            "per_deal",
            gettext_lazy("每单带看"),
            _ratio(total_showings, total_deals),
            _("次"),
            "showings",
            count=total_showings,
        ),
        Figure(
            "days", gettext_lazy("首次接触至签约"), _in_days(average), _("天"), "deals", count=total_deals
        ),
    ]
    per_agent: dict[str, dict[int | None, Any]] = {
        "showings": showings,
        "deals": {a: n for a, (n, _d) in signed.items()},
        "per_deal": {
            a: _ratio(showings.get(a, 0), signed.get(a, (0, None))[0]) for a in {*showings, *signed}
        },
        "days": {a: _in_days(days) for a, (_n, days) in signed.items()},
    }
    columns = [(f.key, f.label) for f in figures]
    return Report("efficiency", gettext_lazy("成交效率"), figures, columns, _rows(per_agent))


def _sums_by_part(window: Window, key: str) -> dict[str, tuple[Decimal, int]]:
    """The amounts of a measure summed per part (the commission per role, rewards per status)."""
    field = MEASURES[key].part_field
    rows = _grouped(window, key, field, total=Sum("amount"), n=Count("pk"))
    return {r[field]: (r["total"], r["n"]) for r in rows}


def _money_part(
    key: str, label: Any, measure: str, part: str, total_and_count: tuple[Decimal, int]
) -> Figure:
    total, count = total_and_count
    return Figure(key, label, total, _("元"), measure, part=part, count=count)


def commission_report(window: Window) -> Report:
    """The commission of the deals signed in the period, by role, and each agent's total."""
    by_role = _sums_by_part(window, "commission")
    by_agent = {r["agent"]: r["total"] for r in _grouped(window, "commission", "agent", total=Sum("amount"))}
    figures = [
        _money_part(f"role_{role}", label, "commission", role, by_role[role])
        for role, label in SplitRole.choices
        if role in by_role
    ]
    total = sum((t for t, _n in by_role.values()), Decimal(0))
    figures.append(
        Figure(
            "total",
            gettext_lazy("合计"),
            total,
            _("元"),
            "commission",
            count=sum(n for _t, n in by_role.values()),
        )
    )
    columns: list[tuple[str, str | Promise]] = [("total", gettext_lazy("佣金合计"))]
    return Report("commission", gettext_lazy("佣金（按角色）"), figures, columns, _rows({"total": by_agent}))


COMPLAINTS = ("complaints", "complaints_in_time", "complaints_ack_late", "complaints_resolve_late")


def complaints_report(window: Window) -> Report:
    """Complaints received in the period, their deadline compliance, and their root causes."""
    counted = _count_report(window, "complaints", gettext_lazy("投诉时限与原因"), COMPLAINTS)
    causes = _grouped(window, "complaints", "root_cause", name=Min("root_cause__name"), n=Count("pk"))
    named = sorted((r for r in causes if r["root_cause"] is not None), key=lambda r: (-r["n"], r["name"]))
    figures = counted.figures + [
        Figure(
            f"cause_{r['root_cause']}",
            r["name"],
            r["n"],
            _("件"),
            "complaints",
            part=str(r["root_cause"]),
            count=r["n"],
        )
        for r in named
    ]
    return Report(counted.key, counted.title, figures, counted.columns, counted.rows)


def referrals_report(window: Window) -> Report:
    """Referrals recorded in the period, those that became a signed deal, and the rewards by status."""
    counted = _count_report(window, "referrals", gettext_lazy("转介绍"), ("referrals", "referrals_converted"))
    by_status = _sums_by_part(window, "rewards")
    rewards = [
        _money_part(f"rewards_{status}", label, "rewards", status, by_status[status])
        for status, label in RewardStatus.choices
        if status in by_status
    ]
    return Report(counted.key, counted.title, counted.figures + rewards, counted.columns, counted.rows)


def tiers_report(window: Window) -> Report:
    """Tier changes in the period: how many clients moved into each tier, and per agent."""
    by_tier = {r["to_tier"]: r["n"] for r in _grouped(window, "tier_changes", "to_tier", n=Count("pk"))}
    figures = [
        Figure(
            f"tier_{t.value}",
            t.label,
            by_tier.get(t.value, 0),
            _("人次"),
            "tier_changes",
            part=t.value,
            count=by_tier.get(t.value, 0),
        )
        for t in Tier
    ]
    per_agent = _counts(window, ["tier_changes"])
    columns: list[tuple[str, str | Promise]] = [("tier_changes", MEASURES["tier_changes"].label)]
    return Report("tiers", gettext_lazy("客户分级变化"), figures, columns, _rows(dict(per_agent)))


REPORTS = {
    "funnel": funnel_report,
    "discipline": discipline_report,
    "efficiency": efficiency_report,
    "commission": commission_report,
    "complaints": complaints_report,
    "referrals": referrals_report,
    "tiers": tiers_report,
}


def report_of(window: Window, key: str) -> Report:
    try:
        build = REPORTS[key]
    except KeyError:
        raise Http404(_("没有这张报表。")) from None
    return build(window)


def measure_list(window: Window, key: str, *, part: str = "", limit: int = 500) -> tuple[list[Any], int]:
    """The first ``limit`` records behind a figure and how many there are in all (counted only when
    there are more than ``limit``, so a short list costs one query)."""
    records = measure_records(window, key, part=part)
    shown = list(records[:limit])
    return shown, len(shown) if len(shown) < limit else records.count()
