"""Reads for processing: a deal's plan with its milestones and problems, the handover, the visits,
what is due for an agent or a transaction specialist, and the client's progress page.

Who may see them is who may see the deal (``deals.selectors.access_deal``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.core.workcalendar import unknown_years
from anju.deals.models import Deal, DealStage
from anju.deals.selectors import access_deal
from anju.org.models import Agent, Role
from anju.processing.models import (
    Handover,
    HandoverItem,
    Loan,
    LoanPaper,
    Milestone,
    Plan,
    Problem,
    TaxPayment,
    TaxRecord,
    Visit,
)

PROGRESS_SALT = "anju.processing.progress"


def deal_plan(deal: Deal) -> Plan | None:
    return Plan.objects.filter(deal_id=deal.pk).select_related("specialist").first()


def plan_milestones(plan: Plan | None) -> list[Milestone]:
    if plan is None:
        return []
    return list(
        plan.milestones.select_related("agent", "done_by")
        .prefetch_related("problems__owner")
        .order_by("position")
    )


def plan_calendar_note(plan: Plan | None) -> str:
    """Says when due dates fall in a year whose holidays the calendar does not know (weekends only)."""
    if plan is None:
        return ""
    last = plan.milestones.order_by("-due_on").values_list("due_on", flat=True).first() or plan.signed_on
    years = unknown_years(plan.signed_on, last)
    if not years:
        return ""
    return _("%(years)s 年的节假日安排尚未公布，计划日期暂按周末推算。") % {
        "years": "、".join(str(y) for y in years)
    }


def access_milestone(viewer: Agent, deal_id: int, milestone_id: int) -> Milestone:
    deal = access_deal(viewer, deal_id)
    milestone = (
        Milestone.objects.filter(plan__deal_id=deal.pk, pk=milestone_id).select_related("plan__deal").first()
    )
    if milestone is None:
        raise Http404(_("没有找到该节点。"))
    return milestone


def access_problem(viewer: Agent, deal_id: int, milestone_id: int, problem_id: int) -> Problem:
    milestone = access_milestone(viewer, deal_id, milestone_id)
    problem = milestone.problems.filter(pk=problem_id).first()
    if problem is None:
        raise Http404(_("没有找到该问题。"))
    return problem


def deal_handover(deal: Deal) -> Handover | None:
    return Handover.objects.filter(deal_id=deal.pk).first()


def handover_items(deal: Deal) -> list[HandoverItem]:
    return list(
        HandoverItem.objects.filter(deal_id=deal.pk)
        .select_related("done_by", "waived_by")
        .order_by("position")
    )


def access_handover_item(viewer: Agent, deal_id: int, item_id: int) -> HandoverItem:
    deal = access_deal(viewer, deal_id)
    item = HandoverItem.objects.filter(deal_id=deal.pk, pk=item_id).select_related("deal").first()
    if item is None:
        raise Http404(_("没有找到该交接项目。"))
    return item


def deal_visits(deal: Deal) -> list[Visit]:
    return list(Visit.objects.filter(deal_id=deal.pk).select_related("agent").order_by("due_on"))


def access_visit(viewer: Agent, deal_id: int, visit_id: int) -> Visit:
    deal = access_deal(viewer, deal_id)
    visit = Visit.objects.filter(deal_id=deal.pk, pk=visit_id).first()
    if visit is None:
        raise Http404(_("没有找到该回访。"))
    return visit


# --- what is due ------------------------------------------------------------------------------

OPEN_STAGES = (DealStage.CONTRACT, DealStage.PROCESSING)
MILESTONE_RELATED = ("plan__deal__listing__community", "plan__deal__buyer", "agent")


def milestones_due_for(agent: Agent, *, until: dt.date) -> QuerySet[Milestone]:
    """Open milestones due by ``until`` that the agent is responsible for or whose deal they run,
    with the deal's community (what the workbench shows; every relation joined costs the planner)."""
    return (
        Milestone.objects.filter(
            plan__deal__company_id=agent.company_id,
            plan__deal__stage__in=OPEN_STAGES,
            done_on__isnull=True,
            due_on__lte=until,
        )
        .filter(Q(agent_id=agent.pk) | Q(plan__deal__agent_id=agent.pk) | Q(plan__specialist_id=agent.pk))
        .select_related("plan__deal__listing__community")
        .order_by("due_on", "id")
    )


def board_milestones(viewer: Agent, *, until: dt.date) -> QuerySet[Milestone]:
    """The specialist's board: every open deal's open milestones due by ``until`` (the store's for a
    specialist or manager, the company's for an administrator), by deal."""
    rows = Milestone.objects.filter(
        plan__deal__company_id=viewer.company_id,
        plan__deal__stage__in=OPEN_STAGES,
        done_on__isnull=True,
        due_on__lte=until,
    )
    if viewer.role != Role.ADMIN:
        rows = rows.filter(plan__deal__store=viewer.store)
    return rows.select_related(*MILESTONE_RELATED).order_by("plan__deal_id", "due_on", "position")


def visits_due_for(agent: Agent, *, until: dt.date) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(agent_id=agent.pk, done_at__isnull=True, due_on__lte=until)
        .select_related("deal__listing__community", "deal__buyer")
        .order_by("due_on", "id")
    )


# --- the client's progress page ---------------------------------------------------------------


def progress_token(deal: Deal) -> str:
    """A signed token that opens the deal's progress page without logging in."""
    return signing.dumps({"deal": deal.pk}, salt=PROGRESS_SALT)


@dataclass(frozen=True)
class Progress:
    number: str
    community: str
    stage: str
    milestones: list[Milestone]
    calendar_note: str


def progress_by_token(token: str) -> Progress:
    """Milestones and dates of the deal the token names, nothing about its people (404 otherwise)."""
    try:
        payload = signing.loads(token, salt=PROGRESS_SALT)
    except signing.BadSignature:
        raise Http404(_("链接无效。")) from None
    deal = Deal.objects.filter(pk=payload.get("deal")).select_related("listing__community").first()
    if deal is None:
        raise Http404(_("链接无效。"))
    plan = deal_plan(deal)
    return Progress(
        number=deal.number,
        community=deal.listing.community.name,
        stage=deal.get_stage_display(),
        milestones=plan_milestones(plan),
        calendar_note=plan_calendar_note(plan),
    )


def deal_loan(deal: Deal) -> Loan | None:
    return Loan.objects.filter(deal_id=deal.pk).prefetch_related("papers").first()


def access_loan_paper(viewer: Agent, deal_id: int, paper_id: int) -> LoanPaper:
    deal = access_deal(viewer, deal_id)
    paper = LoanPaper.objects.filter(loan__deal_id=deal.pk, pk=paper_id).first()
    if paper is None:
        raise Http404(_("没有找到该资料。"))
    return paper


def deal_tax_record(deal: Deal) -> TaxRecord | None:
    return TaxRecord.objects.filter(deal_id=deal.pk).select_related("deal__listing", "deal__company").first()


def deal_tax_payments(deal: Deal) -> list[TaxPayment]:
    return list(TaxPayment.objects.filter(deal_id=deal.pk).order_by("paid_on", "id"))
