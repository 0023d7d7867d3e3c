"""What the reports count (报表的口径): each measure is one kind of record in a period, with the agent
and the store it is credited to, and how one record reads in the list behind a figure.

A figure is ``COUNT``/``SUM`` over a measure's queryset, grouped in SQL by the credited agent; the
list behind it is the same queryset row by row, so a figure and its list agree by construction.

- 新增客户: clients entered in the period (not merged away), credited to their owner and store.
- 需求: needs entered in the period, credited to the agent who entered them.
- 带看: showings starting in the period, cancelled ones left out.
- 报价: offers (斡旋) made in the period on the deals an agent runs.
- 签约: deals whose contract was signed in the period (moved to 已签合同).
- 结案: deals closed in the period.
- 逾期未跟进: private clients whose next follow-up date has passed (as of today, whatever the period).
- 超期回池: clients that went back to the public pool in the period because nobody followed them up,
  credited to the agent who lost them.
- 佣金: each agent's part of the commission of the deals signed in the period, by role: the price ×
  the deal's rate (or the company's: the rule book's for a sale, one month's rent for a lease) × the
  part's percent, to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anju.care.models import TierChange
from anju.clients.models import Client, OwnershipChange, OwnershipReason, Tier
from anju.complaints.models import OPEN_STATUSES, Complaint, RootCause
from anju.core.formats import format_date, format_datetime, format_money
from anju.deals.commission import LEASE_RATE
from anju.deals.models import Deal, DealKind, DealStage, Offer, Split, SplitRole, StageChange
from anju.needs.models import Need
from anju.referrals.models import Referral, Reward, RewardStatus
from anju.showings.models import Showing, ShowingStatus


@dataclass(frozen=True)
class Window:
    """What a report looks at: the company, the period (both days included), and optionally one store
    or one agent (already narrowed to what the viewer may see)."""

    company_id: int
    start: dt.date
    end: dt.date
    store_id: int | None = None
    agent_id: int | None = None
    today: dt.date | None = None
    sale_rate: Decimal = Decimal("0.02")  # the company's default sale commission rate

    @property
    def since(self) -> dt.datetime:
        return _midnight(self.start)

    @property
    def until(self) -> dt.datetime:
        return _midnight(self.end + dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


Link = tuple[str, int]  # ("client" | "deal" | "showing", id): the web layer makes it a URL


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    unit: str | Promise
    agent_field: str
    store_field: str
    records: Callable[[Window], QuerySet[Any]]
    headers: tuple[str | Promise, ...]
    row: Callable[[Any], tuple[Any, ...]]
    link: Callable[[Any], Link]
    related: tuple[str, ...] = ()
    # A figure may stand for one part of the measure (the commission of one role): the field the
    # list is narrowed by, and the part's name for the list's heading.
    part_field: str = ""
    part_label: Callable[[str], str | Promise] | None = None


def _signed_ids(window: Window, stage: str) -> QuerySet[StageChange, Any]:
    return StageChange.objects.filter(
        deal__company_id=window.company_id, to_stage=stage, at__gte=window.since, at__lt=window.until
    ).values("deal_id")


def _moved_at(stage: str) -> Subquery:
    return Subquery(StageChange.objects.filter(deal=OuterRef("pk"), to_stage=stage).values("at")[:1])


def _clients(window: Window) -> QuerySet[Client]:
    return Client.objects.filter(
        company_id=window.company_id,
        merged_into__isnull=True,
        created_at__gte=window.since,
        created_at__lt=window.until,
    )


def _needs(window: Window) -> QuerySet[Need]:
    return Need.objects.filter(
        company_id=window.company_id, created_at__gte=window.since, created_at__lt=window.until
    )


def _showings(window: Window) -> QuerySet[Showing]:
    return Showing.objects.filter(
        company_id=window.company_id, starts_at__gte=window.since, starts_at__lt=window.until
    ).exclude(status=ShowingStatus.CANCELLED)


def _offers(window: Window) -> QuerySet[Offer]:
    return Offer.objects.filter(
        deal__company_id=window.company_id, created_at__gte=window.since, created_at__lt=window.until
    )


def _deals_moved(stage: str) -> Callable[[Window], QuerySet[Deal]]:
    def records(window: Window) -> QuerySet[Deal]:
        deals = Deal.objects.filter(company_id=window.company_id, pk__in=_signed_ids(window, stage))
        moved = deals.annotate(moved_at=_moved_at(stage))
        # Days from first contact (the buyer's entry) to the signing, for 成交周期.
        return moved.annotate(
            days_taken=ExpressionWrapper(F("moved_at") - F("buyer__created_at"), output_field=DurationField())
        )

    return records


def _overdue(window: Window) -> QuerySet[Client]:
    today = window.today or timezone.localdate()
    # Not erased: an erased client has no follow-up date anyway; said here, the report reads the
    # index of the live clients' follow-ups (``client_live_follow_up``).
    return Client.objects.filter(
        company_id=window.company_id,
        merged_into__isnull=True,
        erased_at__isnull=True,
        owner__isnull=False,
        next_follow_up_on__lt=today,
    )


def _returned(window: Window) -> QuerySet[OwnershipChange]:
    return OwnershipChange.objects.filter(
        client__company_id=window.company_id,
        reason=OwnershipReason.AUTO_RETURN,
        at__gte=window.since,
        at__lt=window.until,
    )


MONEY = DecimalField(max_digits=16, decimal_places=2)
RATE = DecimalField(max_digits=8, decimal_places=6)


def _commission(window: Window) -> QuerySet[Split]:
    rate = Coalesce(
        F("deal__commission_rate"),
        Case(When(deal__kind=DealKind.LEASE, then=Value(LEASE_RATE)), default=Value(window.sale_rate)),
        output_field=RATE,
    )
    amount = Round(
        ExpressionWrapper(F("deal__price") * rate * F("percent") / Value(Decimal(100)), output_field=MONEY),
        2,
        output_field=MONEY,
    )
    return (
        Split.objects.filter(
            deal__company_id=window.company_id,
            deal__price__isnull=False,
            deal_id__in=_signed_ids(window, DealStage.CONTRACT),
        )
        .exclude(deal__stage=DealStage.CANCELLED)
        .annotate(amount=amount)
    )


def _agent_name(agent: Any) -> str:
    return agent.name if agent is not None else str(_("公客池"))


def _days(value: dt.timedelta | None) -> int | None:
    return None if value is None else value.days


def _moved(key: str, label: Promise, stage: str, when: Promise, days: Promise) -> Measure:
    """Deals that reached ``stage`` in the period, with the days since the buyer's first contact."""
    return Measure(
        key=key,
        label=label,
        unit=_("单"),
        agent_field="agent",
        store_field="store",
        records=_deals_moved(stage),
        headers=(_("交易"), _("买方（承租方）"), _("经纪人"), when, days),
        row=lambda d: (str(d), d.buyer.name, d.agent.name, format_datetime(d.moved_at), _days(d.days_taken)),
        link=lambda d: ("deal", d.pk),
        related=("buyer", "agent"),
    )


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            key="clients",
            label=_("新增客户"),
            unit=_("人"),
            agent_field="owner",
            store_field="store",
            records=_clients,
            headers=(_("客户"), _("来源"), _("归属经纪人"), _("录入时间")),
            row=lambda c: (
                c.name,
                c.get_source_display(),
                _agent_name(c.owner),
                format_datetime(c.created_at),
            ),
            link=lambda c: ("client", c.pk),
            related=("owner",),
        ),
        Measure(
            key="needs",
            label=_("需求"),
            unit=_("条"),
            agent_field="agent",
            store_field="agent__store",
            records=_needs,
            headers=(_("客户"), _("类型"), _("经纪人"), _("录入时间")),
            row=lambda n: (n.client.name, n.get_kind_display(), n.agent.name, format_datetime(n.created_at)),
            link=lambda n: ("client", n.client_id),
            related=("client", "agent"),
        ),
        Measure(
            key="showings",
            label=_("带看"),
            unit=_("次"),
            agent_field="agent",
            store_field="agent__store",
            records=_showings,
            headers=(_("客户"), _("经纪人"), _("出发时间"), _("状态")),
            row=lambda s: (s.client.name, s.agent.name, format_datetime(s.starts_at), s.get_status_display()),
            link=lambda s: ("showing", s.pk),
            related=("client", "agent"),
        ),
        Measure(
            key="offers",
            label=_("报价"),
            unit=_("次"),
            agent_field="deal__agent",
            store_field="deal__store",
            records=_offers,
            headers=(_("交易"), _("报价方"), _("价格（元）"), _("时间")),
            row=lambda o: (
                str(o.deal),
                o.get_side_display(),
                format_money(o.price),
                format_datetime(o.created_at),
            ),
            link=lambda o: ("deal", o.deal_id),
            related=("deal",),
        ),
        _moved("deals", _("签约"), DealStage.CONTRACT, _("签约时间"), _("首次接触至签约（天）")),
        _moved("closed", _("结案"), DealStage.CLOSED, _("结案时间"), _("首次接触至结案（天）")),
        Measure(
            key="overdue",
            label=_("逾期未跟进"),
            unit=_("人"),
            agent_field="owner",
            store_field="store",
            records=_overdue,
            headers=(_("客户"), _("归属经纪人"), _("应跟进日期"), _("最近跟进")),
            row=lambda c: (
                c.name,
                _agent_name(c.owner),
                format_date(c.next_follow_up_on),
                format_datetime(c.last_contact_at),
            ),
            link=lambda c: ("client", c.pk),
            related=("owner",),
        ),
        Measure(
            key="returned",
            label=_("超期回池"),
            unit=_("人"),
            agent_field="from_agent",
            store_field="from_agent__store",
            records=_returned,
            headers=(_("客户"), _("原归属经纪人"), _("回池时间")),
            row=lambda o: (o.client.name, _agent_name(o.from_agent), format_datetime(o.at)),
            link=lambda o: ("client", o.client_id),
            related=("client", "from_agent"),
        ),
        Measure(
            key="commission",
            label=_("佣金"),
            unit=_("元"),
            agent_field="agent",
            store_field="agent__store",
            records=_commission,
            headers=(_("交易"), _("经纪人"), _("角色"), _("比例（%）"), _("金额（元）")),
            row=lambda s: (str(s.deal), s.agent.name, s.get_role_display(), s.percent, s.amount),
            link=lambda s: ("deal", s.deal_id),
            related=("deal", "agent"),
            part_field="role",
            part_label=lambda role: SplitRole(role).label,
        ),
    )
}


# --- after the merge: complaints (投诉), referrals (转介绍), tiers (客户分级) ------------------------------
#
# - 投诉: complaints received in the period, credited to the agent they are about and the store
#   answerable; 回应超时 / 解决超时: a deadline not met (one still open counts once it has passed);
#   按时处理: both met. Each root cause (根本原因) is a part of 投诉.
# - 转介绍: referrals recorded in the period, credited to the agent serving the new client; 成交转化:
#   those whose new client signed a deal (at any time since); 奖励: rewards earned in the period, each
#   status (待审批、已审批、已发放) a part.
# - 分级变化: tier changes in the period, credited to the client's owner; each new tier a part.


def _complaints(window: Window) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        company_id=window.company_id, received_at__gte=window.since, received_at__lt=window.until
    )


def _acknowledged_in_time(now: dt.datetime) -> Q:
    return Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("acknowledge_due_at")) | Q(
        acknowledged_at__isnull=True, status__in=OPEN_STATUSES, acknowledge_due_at__gte=now
    )


def _resolved_in_time(now: dt.datetime) -> Q:
    return Q(resolved_at__isnull=False, resolved_at__lte=F("resolve_due_at")) | Q(
        resolved_at__isnull=True, status__in=OPEN_STATUSES, resolve_due_at__gte=now
    )


def _complaints_where(pick: Callable[[dt.datetime], Q]) -> Callable[[Window], QuerySet[Complaint]]:
    def records(window: Window) -> QuerySet[Complaint]:
        return _complaints(window).filter(pick(timezone.now()))

    return records


def _cause_name(part: str) -> str:
    cause = RootCause.objects.filter(pk=int(part)).first()
    if cause is None:
        raise LookupError(part)
    return cause.name


def _complaint_measure(key: str, label: Promise, records: Callable[[Window], QuerySet[Complaint]]) -> Measure:
    return Measure(
        key=key,
        label=label,
        unit=_("件"),
        agent_field="about_agent",
        store_field="store",
        records=records,
        headers=(_("客户"), _("类别"), _("紧急程度"), _("受理时间"), _("状态")),
        row=lambda c: (
            c.client.name,
            c.category.name,
            c.get_severity_display(),
            format_datetime(c.received_at),
            c.get_status_display(),
        ),
        link=lambda c: ("complaint", c.pk),
        related=("client", "category"),
        part_field="root_cause",
        part_label=_cause_name,
    )


def _referrals(window: Window) -> QuerySet[Referral]:
    return Referral.objects.filter(
        company_id=window.company_id, created_at__gte=window.since, created_at__lt=window.until
    )


def _converted(window: Window) -> QuerySet[Referral]:
    signed = Deal.objects.filter(
        buyer_id=OuterRef("referred_id"),
        stage__in=(DealStage.CONTRACT, DealStage.PROCESSING, DealStage.CLOSED),
    )
    return _referrals(window).filter(Exists(signed))


def _rewards(window: Window) -> QuerySet[Reward]:
    return Reward.objects.filter(
        referral__company_id=window.company_id, created_at__gte=window.since, created_at__lt=window.until
    )


def _tier_changes(window: Window) -> QuerySet[TierChange]:
    return TierChange.objects.filter(company_id=window.company_id, at__gte=window.since, at__lt=window.until)


def _referral_measure(key: str, label: Promise, records: Callable[[Window], QuerySet[Referral]]) -> Measure:
    return Measure(
        key=key,
        label=label,
        unit=_("人"),
        agent_field="agent",
        store_field="agent__store",
        records=records,
        headers=(_("介绍人"), _("被介绍客户"), _("经纪人"), _("登记时间")),
        row=lambda r: (
            r.referrer_display,
            r.referred.name,
            _agent_name(r.agent),
            format_datetime(r.created_at),
        ),
        link=lambda r: ("client", r.referred_id),
        related=("referrer_client", "referred", "agent"),
    )


MEASURES.update(
    {
        m.key: m
        for m in (
            _complaint_measure("complaints", _("投诉"), _complaints),
            _complaint_measure(
                "complaints_in_time",
                _("按时处理"),
                _complaints_where(lambda now: _acknowledged_in_time(now) & _resolved_in_time(now)),
            ),
            _complaint_measure(
                "complaints_ack_late",
                _("回应超时"),
                _complaints_where(lambda now: ~_acknowledged_in_time(now)),
            ),
            _complaint_measure(
                "complaints_resolve_late",
                _("解决超时"),
                _complaints_where(lambda now: ~_resolved_in_time(now)),
            ),
            _referral_measure("referrals", _("转介绍"), _referrals),
            _referral_measure("referrals_converted", _("成交转化"), _converted),
            Measure(
                key="rewards",
                label=_("转介绍奖励"),
                unit=_("元"),
                agent_field="referral__agent",
                store_field="referral__agent__store",
                records=_rewards,
                headers=(_("介绍人"), _("交易"), _("金额（元）"), _("状态")),
                row=lambda w: (w.referral.referrer_display, str(w.deal), w.amount, w.get_status_display()),
                link=lambda w: ("deal", w.deal_id),
                related=("referral__referrer_client", "deal"),
                part_field="status",
                part_label=lambda status: RewardStatus(status).label,
            ),
            Measure(
                key="tier_changes",
                label=_("分级变化"),
                unit=_("人次"),
                # The owner and store of the moment it changed, as the change recorded them.
                agent_field="owner",
                store_field="store",
                records=_tier_changes,
                headers=(_("客户"), _("原分级"), _("新分级"), _("时间")),
                row=lambda t: (t.client.name, t.from_tier or "—", t.to_tier, format_datetime(t.at)),
                link=lambda t: ("client", t.client_id),
                related=("client",),
                part_field="to_tier",
                part_label=lambda tier: Tier(tier).label,
            ),
        )
    }
)
