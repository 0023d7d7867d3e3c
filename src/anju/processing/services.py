"""Writes for processing a deal: the plan and its milestones, problems, the handover, closing and
the after-sales visits. Every write is one transaction; the deal's stage moves only through
``deals.services.deal_move``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import FEN, format_date, format_money
from anju.core.workcalendar import add_working_days
from anju.deals.escrow import ledger_balances
from anju.deals.models import Deal, DealKind, DealStage, Holder, Payment
from anju.deals.services import deal_move
from anju.deals.stages import FINAL
from anju.org.models import Agent, Notification, Role
from anju.processing.models import (
    Handover,
    HandoverItem,
    HandoverTemplate,
    Milestone,
    MilestoneTemplate,
    Party,
    PaymentWhen,
    Plan,
    Problem,
    ProcessingSettings,
    Visit,
)
from anju.processing.plans import DEFAULT_HANDOVER, DEFAULT_STEPS

LOANS = (Payment.COMMERCIAL, Payment.PROVIDENT, Payment.COMBINATION)
DEFAULT_VISIT_DAYS = (7, 30)


def company_templates(company_id: int) -> list[MilestoneTemplate]:
    """The company's milestone templates, the defaults copied in the first time they are needed."""
    rows = list(MilestoneTemplate.objects.filter(company_id=company_id).order_by("position", "id"))
    if rows:
        return rows
    MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(
            company_id=company_id,
            name=step.name,
            position=(index + 1) * 10,
            days=step.days,
            responsible=step.responsible,
            deal_kind=step.deal_kind,
            payment=step.payment,
            escrow=step.escrow,
            mortgage=step.mortgage,
        )
        for index, step in enumerate(DEFAULT_STEPS)
    )
    return list(MilestoneTemplate.objects.filter(company_id=company_id).order_by("position", "id"))


def company_handover_names(company_id: int) -> list[str]:
    """The company's handover items, the six defaults copied in the first time they are needed."""
    names = list(HandoverTemplate.objects.filter(company_id=company_id).values_list("name", flat=True))
    if names:
        return names
    HandoverTemplate.objects.bulk_create(
        HandoverTemplate(company_id=company_id, name=name, position=(index + 1) * 10)
        for index, name in enumerate(DEFAULT_HANDOVER)
    )
    return list(DEFAULT_HANDOVER)


def _fits(template: MilestoneTemplate, deal: Deal, plan: Plan) -> bool:
    loan = plan.payment in LOANS
    return (
        template.deal_kind in ("", deal.kind)
        and (template.payment == PaymentWhen.ANY or (template.payment == PaymentWhen.LOAN) == loan)
        and template.escrow in (None, plan.escrow)
        and template.mortgage in (None, plan.mortgage)
    )


def _specialist_of(deal: Deal) -> Agent | None:
    """The deal's store's transaction specialist (交易专员), if it has one."""
    return (
        Agent.objects.filter(
            company_id=deal.company_id, store_id=deal.store_id, role=Role.SPECIALIST, is_active=True
        )
        .order_by("id")
        .first()
    )


def _lay_out(plan: Plan, deal: Deal, *, after: dt.date, keep: list[Milestone]) -> list[Milestone]:
    """The milestones the templates give ``plan``, their due dates counted in working days from
    ``after`` (each after the one before)."""
    done = {m.name for m in keep}
    due = after
    made = []
    position = max((m.position for m in keep), default=0)
    for template in company_templates(deal.company_id):
        if not _fits(template, deal, plan) or template.name in done:
            continue
        due = add_working_days(due, template.days)
        position += 1
        agent = {Party.AGENT: deal.agent, Party.SPECIALIST: plan.specialist or deal.agent}.get(
            Party(template.responsible)
        )
        made.append(
            Milestone(
                plan=plan,
                position=position,
                name=template.name,
                days=template.days,
                responsible=template.responsible,
                agent=agent,
                due_on=due,
            )
        )
    return Milestone.objects.bulk_create(made)


@transaction.atomic
def plan_start(*, deal: Deal, by: Agent, signed_on: dt.date | None = None) -> Plan:
    """The deal's plan, made when its contract is signed: the type from the accepted offer (loan or
    not), escrow for sales, no 解押 until someone says so; and its handover checklist."""
    existing = Plan.objects.filter(deal_id=deal.pk).first()
    if existing is not None:
        return existing
    payment = deal.accepted_offer.payment if deal.accepted_offer is not None else ""
    plan = Plan.objects.create(
        deal=deal,
        payment=payment or (Payment.FULL if deal.kind == DealKind.SALE else ""),
        escrow=deal.kind == DealKind.SALE,
        mortgage=False,
        signed_on=signed_on or timezone.localdate(),
        specialist=_specialist_of(deal),
    )
    _lay_out(plan, deal, after=plan.signed_on, keep=[])
    Handover.objects.create(deal=deal)
    HandoverItem.objects.bulk_create(
        HandoverItem(deal=deal, position=index + 1, name=name)
        for index, name in enumerate(company_handover_names(deal.company_id))
    )
    return plan


@transaction.atomic
def plan_choose(*, deal: Deal, payment: str, escrow: bool, mortgage: bool, by: Agent) -> Plan:
    """Change the deal's type (loan or not, escrow, 解押): the milestones not done yet are laid out
    again from the templates, after the last one done (or the signing)."""
    plan = Plan.objects.select_for_update().filter(deal_id=deal.pk).first()
    if plan is None:
        raise ApplicationError(_("合同签订后才有办理计划。"), code="plan_missing")
    if deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，办理计划不能再修改。"), code="plan_deal_final")
    if payment not in Payment.values:
        raise ApplicationError(_("未知的付款方式。"), code="plan_payment_invalid")
    plan.payment, plan.escrow, plan.mortgage = payment, escrow, mortgage
    plan.save(update_fields=["payment", "escrow", "mortgage", "updated_at"])
    done = list(plan.milestones.filter(done_on__isnull=False).order_by("position"))
    if Problem.objects.filter(milestone__plan=plan, milestone__done_on__isnull=True).exists():
        raise ApplicationError(
            _("还有未完成节点上的问题记录，请先处理后再修改计划。"), code="plan_has_problems"
        )
    plan.milestones.filter(done_on__isnull=True).delete()
    after = max((m.done_on for m in done if m.done_on), default=plan.signed_on)
    _lay_out(plan, deal, after=after, keep=done)
    return plan


def _notify(agents: set[int], text: str, url: str, key: str) -> None:
    for agent_id in agents:
        Notification.objects.get_or_create(
            key=f"{key}:{agent_id}"[:120], defaults={"agent_id": agent_id, "text": text[:300], "url": url}
        )


def _deal_url(deal: Deal) -> str:
    from django.urls import reverse

    return reverse("web:deal_detail", args=[deal.pk])


@transaction.atomic
def milestone_done(*, milestone: Milestone, by: Agent, on: dt.date | None = None) -> Milestone:
    """Tick a milestone off. Refused while a problem on it is open. The first one done moves the
    deal from 已签合同 to 办理中; the deal's agents hear of it (an update)."""
    locked = Milestone.objects.select_for_update().select_related("plan__deal").get(pk=milestone.pk)
    deal = locked.plan.deal
    if deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，节点不能再修改。"), code="milestone_deal_final")
    if locked.done_on is not None:
        raise ApplicationError(_("该节点已经完成。"), code="milestone_already_done")
    open_problems = list(locked.problems.filter(solved_on__isnull=True).values_list("text", flat=True))
    if open_problems:
        raise ApplicationError(
            _("节点“%(name)s”还有未解决的问题：%(problems)s。")
            % {"name": locked.name, "problems": "；".join(open_problems)},
            code="milestone_problem_open",
            extra={"problems": open_problems},
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ApplicationError(_("完成日期不能晚于今天。"), code="milestone_date_future")
    locked.done_on, locked.done_by = on, by
    locked.save(update_fields=["done_on", "done_by"])
    if deal.stage == DealStage.CONTRACT:
        deal_move(deal=deal, to=DealStage.PROCESSING, by=by)
    late = on > locked.due_on
    text = (
        _("交易 %(number)s：%(name)s 已完成（计划 %(due)s，延误）")
        if late
        else _("交易 %(number)s：%(name)s 已完成")
    ) % {"number": deal.number, "name": locked.name, "due": format_date(locked.due_on)}
    _notify(_deal_agents(deal, locked) - {by.pk}, text, _deal_url(deal), f"milestone-done:{locked.pk}")
    milestone.done_on, milestone.done_by = locked.done_on, by
    return locked


def _deal_agents(deal: Deal, milestone: Milestone | None = None) -> set[int]:
    agents = {deal.agent_id}
    plan = getattr(deal, "plan", None)
    if plan is not None and plan.specialist_id:
        agents.add(plan.specialist_id)
    if milestone is not None and milestone.agent_id:
        agents.add(milestone.agent_id)
    return agents


@transaction.atomic
def problem_raise(*, milestone: Milestone, text: str, owner: Agent, due_on: dt.date, by: Agent) -> Problem:
    """A problem on a milestone (bank wants more papers, a seizure appears): its owner and due date."""
    text = text.strip()
    if not text:
        raise ApplicationError(_("请描述问题。"), code="problem_text_missing")
    if owner.company_id != by.company_id:
        raise ApplicationError(_("问题负责人必须是本公司员工。"), code="problem_owner_invalid")
    if milestone.done_on is not None:
        raise ApplicationError(_("该节点已经完成，不能再登记问题。"), code="problem_milestone_done")
    problem = Problem.objects.create(milestone=milestone, text=text[:300], owner=owner, due_on=due_on, by=by)
    deal = milestone.plan.deal
    _notify(
        {owner.pk} - {by.pk},
        _("交易 %(number)s：%(name)s 出现问题：%(text)s")
        % {"number": deal.number, "name": milestone.name, "text": text},
        _deal_url(deal),
        f"problem:{problem.pk}",
    )
    return problem


@transaction.atomic
def problem_solve(*, problem: Problem, solution: str, by: Agent, on: dt.date | None = None) -> Problem:
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.solved_on is not None:
        raise ApplicationError(_("该问题已经解决。"), code="problem_already_solved")
    solution = solution.strip()
    if not solution:
        raise ApplicationError(_("请填写解决办法。"), code="problem_solution_missing")
    locked.solved_on, locked.solution = on or timezone.localdate(), solution[:300]
    locked.save(update_fields=["solved_on", "solution", "updated_at"])
    return locked


# --- the handover (物业交割) -------------------------------------------------------------------


def _settled(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("结清金额必须是数字。"), code="handover_amount_invalid") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10") or amount != amount.quantize(FEN):
        raise ApplicationError(_("结清金额不能为负，最多两位小数。"), code="handover_amount_invalid")
    return amount


@transaction.atomic
def handover_item_done(
    *,
    item: HandoverItem,
    by: Agent,
    reading: str = "",
    amount_settled: Any = None,
    account_transferred: bool = False,
    on: dt.date | None = None,
) -> HandoverItem:
    """Record an item of the checklist: its reading, what was settled, the account transferred."""
    locked = HandoverItem.objects.select_for_update().select_related("deal").get(pk=item.pk)
    if locked.deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，交接不能再修改。"), code="handover_deal_final")
    locked.reading = reading.strip()[:40]
    locked.amount_settled = _settled(amount_settled)
    locked.account_transferred = account_transferred
    locked.done_on, locked.done_by = on or timezone.localdate(), by
    locked.save()
    return locked


@transaction.atomic
def handover_item_waive(*, item: HandoverItem, reason: str, by: Agent) -> HandoverItem:
    """A manager waives an item (the flat has no gas, say) with a reason."""
    if by.role not in (Role.MANAGER, Role.ADMIN):
        raise ApplicationError(_("只有店长或管理员可以免除交接项目。"), code="handover_waive_forbidden")
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("免除交接项目必须填写原因。"), code="handover_reason_missing")
    locked = HandoverItem.objects.select_for_update().select_related("deal").get(pk=item.pk)
    if locked.deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，交接不能再修改。"), code="handover_deal_final")
    locked.waived_reason, locked.waived_by = reason[:200], by
    locked.save(update_fields=["waived_reason", "waived_by"])
    return locked


@transaction.atomic
def handover_keys(
    *,
    deal: Deal,
    keys_count: int,
    key_kinds: str,
    buyer_confirmed: bool,
    seller_confirmed: bool,
    by: Agent,
    on: dt.date | None = None,
) -> Handover:
    """The keys handed over (count and kinds) and both sides' confirmation that the flat matches
    the contract; the handover date is the day both confirm."""
    handover = Handover.objects.select_for_update().filter(deal_id=deal.pk).first()
    if handover is None:
        raise ApplicationError(_("合同签订后才有交接清单。"), code="handover_missing")
    if deal.stage in FINAL:
        raise ApplicationError(_("交易已结束，交接不能再修改。"), code="handover_deal_final")
    if not 0 <= keys_count <= 99:
        raise ApplicationError(_("钥匙数量应在 0 到 99 之间。"), code="handover_keys_invalid")
    handover.keys_count, handover.key_kinds = keys_count, key_kinds.strip()[:120]
    handover.buyer_confirmed, handover.seller_confirmed = buyer_confirmed, seller_confirmed
    if buyer_confirmed and seller_confirmed:
        handover.handed_over_on = handover.handed_over_on or on or timezone.localdate()
    else:
        handover.handed_over_on = None
    handover.save()
    return handover


# --- closing (结案) ----------------------------------------------------------------------------


def open_items(deal: Deal) -> list[str]:
    """What still keeps the deal from closing, in Chinese: milestones not done, money still held,
    handover items neither done nor waived, keys and confirmations."""
    found = []
    plan = Plan.objects.filter(deal_id=deal.pk).first()
    if plan is not None:
        for name in (
            plan.milestones.filter(done_on__isnull=True).order_by("position").values_list("name", flat=True)
        ):
            found.append(_("节点未完成：%(name)s") % {"name": name})
    for holder, balance in ledger_balances(deal).items():
        if balance != 0:
            found.append(
                _("%(holder)s余额未结清：%(amount)s")
                % {"holder": Holder(holder).label, "amount": format_money(balance)}
            )
    for item in HandoverItem.objects.filter(deal_id=deal.pk).order_by("position"):
        if item.is_open:
            found.append(_("交接未完成：%(name)s") % {"name": item.name})
    handover = Handover.objects.filter(deal_id=deal.pk).first()
    if handover is not None and handover.handed_over_on is None:
        found.append(_("买卖双方尚未确认房屋与合同相符"))
    return found


def refuse_if_open(deal: Deal) -> None:
    still_open = open_items(deal)
    if still_open:
        raise ApplicationError(
            _("还有 %(count)s 项未完成，不能结案：%(items)s。")
            % {"count": len(still_open), "items": "；".join(still_open)},
            code="deal_close_open",
            extra={"open": still_open},
        )


def company_visit_days(company_id: int) -> tuple[int, ...]:
    setting = ProcessingSettings.objects.filter(company_id=company_id).first()
    if setting is None:
        return DEFAULT_VISIT_DAYS
    days = tuple(sorted({int(part) for part in setting.visit_days.split(",") if part.strip().isdigit()}))
    return days or DEFAULT_VISIT_DAYS


@transaction.atomic
def deal_close(*, deal: Deal, by: Agent) -> Deal:
    """已结案, only with nothing open (refused with ``details.open``); the deal's move is heard by
    ``listeners.close_only_when_done``, which schedules the visits and records a sale's price."""
    locked = Deal.objects.select_for_update().select_related("listing__property").get(pk=deal.pk)
    if locked.stage in FINAL:
        raise ApplicationError(_("交易已经结束。"), code="deal_close_final")
    refuse_if_open(locked)
    if locked.stage == DealStage.CONTRACT:
        deal_move(deal=locked, to=DealStage.PROCESSING, by=by)
    deal_move(deal=locked, to=DealStage.CLOSED, by=by)
    deal.stage = locked.stage
    return locked


# --- after-sales (售后回访) --------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *, visit: Visit, satisfaction: int, remarks: str = "", problem: str = "", by: Agent
) -> Visit:
    """The outcome of a visit: satisfaction 1–5 and what is still wrong (a problem tracked until solved)."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.done_at is not None:
        raise ApplicationError(_("该回访已经记录。"), code="visit_already_done")
    if not 1 <= satisfaction <= 5:
        raise ApplicationError(_("满意度应为 1 到 5。"), code="visit_satisfaction_invalid")
    locked.done_at, locked.satisfaction = timezone.now(), satisfaction
    locked.remarks, locked.problem = remarks.strip()[:300], problem.strip()[:300]
    locked.save(update_fields=["done_at", "satisfaction", "remarks", "problem", "updated_at"])
    return locked


@transaction.atomic
def visit_problem_solve(*, visit: Visit, by: Agent) -> Visit:
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if not locked.problem or locked.problem_solved_at is not None:
        raise ApplicationError(_("该回访没有待解决的问题。"), code="visit_no_problem")
    locked.problem_solved_at = timezone.now()
    locked.save(update_fields=["problem_solved_at", "updated_at"])
    return locked


def milestones_delayed_notify(*, today: dt.date | None = None) -> int:
    """An update for each milestone that has just gone past its due date undone, to whoever answers
    for it and the deal's agents; once per milestone and person (the key), so a second run adds none."""
    today = today or timezone.localdate()
    late = Milestone.objects.filter(
        done_on__isnull=True,
        due_on__lt=today,
        plan__deal__stage__in=(DealStage.CONTRACT, DealStage.PROCESSING),
    ).select_related("plan__deal")
    sent = 0
    for milestone in late:
        deal = milestone.plan.deal
        text = _("交易 %(number)s：%(name)s 已延误（计划 %(due)s）") % {
            "number": deal.number,
            "name": milestone.name,
            "due": format_date(milestone.due_on),
        }
        for agent_id in _deal_agents(deal, milestone):
            _notice, created = Notification.objects.get_or_create(
                key=f"milestone-late:{milestone.pk}:{agent_id}",
                defaults={"agent_id": agent_id, "text": text[:300], "url": _deal_url(deal)},
            )
            sent += created
    return sent
