"""/api/v1/deals/{id}/milestones, …/escrow, …/handover, …/close, …/visits — processing a deal from
the signed contract to the keys and after-sales. Mounted beside the deals' own router."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from anju.core.schemas import ERRORS, ErrorOut
from anju.deals.escrow import escrow_record, ledger_balances
from anju.deals.models import Deal, LedgerEntry
from anju.deals.selectors import access_deal, deal_ledger_entries, split_agent
from anju.org.scoping import agent_of
from anju.processing.models import HandoverItem, Milestone, Visit
from anju.processing.money import (
    TaxFacts,
    loan_paper_received,
    loan_set,
    tax_payment_record,
    taxes_compute,
    taxes_recompute,
)
from anju.processing.schemas import (
    ClosedOut,
    DoneIn,
    EscrowEntryOut,
    EscrowIn,
    EscrowOut,
    HandoverItemIn,
    HandoverItemOut,
    HandoverOut,
    KeysIn,
    LoanIn,
    LoanOut,
    MilestoneOut,
    MilestonesOut,
    PaperIn,
    PlanIn,
    ProblemIn,
    ProblemOut,
    SolveIn,
    TaxesIn,
    TaxesOut,
    TaxPaymentIn,
    TaxPaymentOut,
    VisitIn,
    VisitOut,
    VisitsOut,
    WaiveIn,
)
from anju.processing.selectors import (
    access_handover_item,
    access_loan_paper,
    access_milestone,
    access_problem,
    access_visit,
    deal_handover,
    deal_loan,
    deal_plan,
    deal_tax_payments,
    deal_tax_record,
    deal_visits,
    handover_items,
    plan_calendar_note,
    plan_milestones,
    progress_token,
)
from anju.processing.services import (
    deal_close,
    handover_item_done,
    handover_item_waive,
    handover_keys,
    milestone_done,
    plan_choose,
    problem_raise,
    problem_solve,
    visit_problem_solve,
    visit_record,
)

router = Router(tags=["交易办理"])


def milestone_out(m: Milestone, today: Any = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "id": m.pk,
        "position": m.position,
        "name": m.name,
        "responsible": m.responsible,
        "responsible_label": m.get_responsible_display(),
        "agent_id": m.agent_id,
        "agent_name": m.agent.name if m.agent else "",
        "days": m.days,
        "due_on": m.due_on,
        "done_on": m.done_on,
        "overdue": m.done_on is None and m.due_on < today,
        "problems": [
            {
                "id": p.pk,
                "text": p.text,
                "owner_id": p.owner_id,
                "owner_name": p.owner.name,
                "due_on": p.due_on,
                "solved_on": p.solved_on,
                "solution": p.solution,
            }
            for p in m.problems.all()
        ],
    }


def _milestones(deal: Deal) -> dict[str, Any]:
    plan = deal_plan(deal)
    return {
        "items": [milestone_out(m) for m in plan_milestones(plan)],
        "next_cursor": None,
        "calendar_note": plan_calendar_note(plan),
        "progress_url": reverse("web:deal_progress", args=[progress_token(deal)]) if plan else "",
    }


@router.get(
    "/{deal_id}/milestones", response={200: MilestonesOut, **ERRORS}, summary="办理节点（计划、完成、问题）"
)
def list_milestones(request: HttpRequest, deal_id: int) -> dict:
    return _milestones(access_deal(agent_of(request.user), deal_id))


@router.put(
    "/{deal_id}/milestones", response={200: MilestonesOut, **ERRORS}, summary="按交易类型重新排定未完成节点"
)
def choose_plan(request: HttpRequest, deal_id: int, payload: PlanIn) -> dict:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    plan_choose(
        deal=deal, payment=payload.payment, escrow=payload.escrow, mortgage=payload.mortgage, by=viewer
    )
    return _milestones(deal)


@router.post(
    "/{deal_id}/milestones/{milestone_id}/done",
    response={200: MilestoneOut, **ERRORS},
    summary="完成节点（有未解决的问题时 400）",
)
def done_milestone(request: HttpRequest, deal_id: int, milestone_id: int, payload: DoneIn) -> dict:
    viewer = agent_of(request.user)
    milestone = milestone_done(
        milestone=access_milestone(viewer, deal_id, milestone_id), by=viewer, on=payload.on
    )
    return milestone_out(access_milestone(viewer, deal_id, milestone.pk))


@router.post(
    "/{deal_id}/milestones/{milestone_id}/problems",
    response={201: ProblemOut, **ERRORS},
    summary="登记突发问题（负责人、期限；未解决前节点不能完成）",
)
def raise_problem(request: HttpRequest, deal_id: int, milestone_id: int, payload: ProblemIn) -> Status[dict]:
    viewer = agent_of(request.user)
    milestone = access_milestone(viewer, deal_id, milestone_id)
    owner = split_agent(viewer, payload.owner_id) if payload.owner_id else viewer
    p = problem_raise(milestone=milestone, text=payload.text, owner=owner, due_on=payload.due_on, by=viewer)
    return Status(201, _problem_out(p))


def _problem_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "text": p.text,
        "owner_id": p.owner_id,
        "owner_name": p.owner.name,
        "due_on": p.due_on,
        "solved_on": p.solved_on,
        "solution": p.solution,
    }


@router.post(
    "/{deal_id}/milestones/{milestone_id}/problems/{problem_id}/solve",
    response={200: ProblemOut, **ERRORS},
    summary="问题已解决",
)
def solve_problem(
    request: HttpRequest, deal_id: int, milestone_id: int, problem_id: int, payload: SolveIn
) -> dict:
    viewer = agent_of(request.user)
    problem = access_problem(viewer, deal_id, milestone_id, problem_id)
    return _problem_out(problem_solve(problem=problem, solution=payload.solution, on=payload.on, by=viewer))


def entry_out(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "holder": e.holder,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "purpose": e.purpose,
        "amount": e.amount,
        "bank": e.bank,
        "reference": e.reference,
        "on": e.on,
        "note": e.note,
    }


@router.get("/{deal_id}/escrow", response={200: EscrowOut, **ERRORS}, summary="资金台账（每个保管方的余额）")
def get_escrow(request: HttpRequest, deal_id: int) -> dict:
    deal = access_deal(agent_of(request.user), deal_id)
    return {
        "items": [entry_out(e) for e in deal_ledger_entries(deal)],
        "next_cursor": None,
        "balances": ledger_balances(deal),
    }


@router.post(
    "/{deal_id}/escrow",
    response={201: EscrowEntryOut, **ERRORS},
    summary="登记资金：存入、划转、退还、转为房款（余额不足时 400，details.available）",
)
def post_escrow(request: HttpRequest, deal_id: int, payload: EscrowIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    entry = escrow_record(
        deal=deal,
        kind=payload.kind,
        amount=payload.amount,
        on=payload.on,
        holder=payload.holder,
        bank=payload.bank,
        reference=payload.reference,
        note=payload.note,
        by=viewer,
    )
    balances = ledger_balances(deal)
    return Status(201, {**entry_out(entry), "balance": balances[entry.holder], "balances": balances})


def item_out(item: HandoverItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "reading": item.reading,
        "amount_settled": item.amount_settled,
        "account_transferred": item.account_transferred,
        "done_on": item.done_on,
        "waived_reason": item.waived_reason,
        "open": item.is_open,
    }


def _handover(deal: Deal) -> dict[str, Any]:
    handover = deal_handover(deal)
    return {
        "items": [item_out(i) for i in handover_items(deal)],
        "next_cursor": None,
        "keys_count": handover.keys_count if handover else 0,
        "key_kinds": handover.key_kinds if handover else "",
        "buyer_confirmed": bool(handover and handover.buyer_confirmed),
        "seller_confirmed": bool(handover and handover.seller_confirmed),
        "handed_over_on": handover.handed_over_on if handover else None,
    }


@router.get("/{deal_id}/handover", response={200: HandoverOut, **ERRORS}, summary="房屋交接清单")
def get_handover(request: HttpRequest, deal_id: int) -> dict:
    return _handover(access_deal(agent_of(request.user), deal_id))


@router.post(
    "/{deal_id}/handover/{item_id}",
    response={200: HandoverItemOut, **ERRORS},
    summary="登记交接项目（读数、结清、过户）",
)
def done_item(request: HttpRequest, deal_id: int, item_id: int, payload: HandoverItemIn) -> dict:
    viewer = agent_of(request.user)
    item = access_handover_item(viewer, deal_id, item_id)
    return item_out(handover_item_done(item=item, by=viewer, **payload.dict()))


@router.post(
    "/{deal_id}/handover/{item_id}/waive",
    response={200: HandoverItemOut, **ERRORS},
    summary="免除交接项目（店长，须填写原因）",
)
def waive_item(request: HttpRequest, deal_id: int, item_id: int, payload: WaiveIn) -> dict:
    viewer = agent_of(request.user)
    item = access_handover_item(viewer, deal_id, item_id)
    return item_out(handover_item_waive(item=item, reason=payload.reason, by=viewer))


@router.put("/{deal_id}/handover", response={200: HandoverOut, **ERRORS}, summary="钥匙交接与双方确认")
def put_keys(request: HttpRequest, deal_id: int, payload: KeysIn) -> dict:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    handover_keys(deal=deal, by=viewer, **payload.dict())
    return _handover(deal)


@router.post(
    "/{deal_id}/close",
    response={200: ClosedOut, **ERRORS},
    summary="结案（仍有未完成事项时 400，details.open 列出）",
)
def close_deal(request: HttpRequest, deal_id: int) -> dict:
    viewer = agent_of(request.user)
    deal = deal_close(deal=access_deal(viewer, deal_id), by=viewer)
    return {
        "id": deal.pk,
        "number": deal.number,
        "stage": deal.stage,
        "stage_label": deal.get_stage_display(),
    }


def visit_out(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "days": v.days,
        "due_on": v.due_on,
        "agent_id": v.agent_id,
        "done": v.done_at is not None,
        "satisfaction": v.satisfaction,
        "remarks": v.remarks,
        "problem": v.problem,
        "problem_solved": v.problem_solved_at is not None,
    }


@router.get("/{deal_id}/visits", response={200: VisitsOut, **ERRORS}, summary="售后回访")
def list_visits(request: HttpRequest, deal_id: int) -> dict:
    deal = access_deal(agent_of(request.user), deal_id)
    return {"items": [visit_out(v) for v in deal_visits(deal)], "next_cursor": None}


@router.post(
    "/{deal_id}/visits/{visit_id}", response={200: VisitOut, **ERRORS}, summary="记录回访结果（满意度 1–5）"
)
def record_visit(request: HttpRequest, deal_id: int, visit_id: int, payload: VisitIn) -> dict:
    viewer = agent_of(request.user)
    visit = access_visit(viewer, deal_id, visit_id)
    return visit_out(visit_record(visit=visit, by=viewer, **payload.dict()))


def _loan(deal: Deal) -> dict[str, Any] | None:
    loan = deal_loan(deal)
    if loan is None:
        return None
    return {
        **{f: getattr(loan, f) for f in ("bank", "kind", "amount", "rate", "years", "monthly")},
        **{f: getattr(loan, f) for f in ("interview_at", "approved_on", "disbursed_on")},
        "papers": [{"id": p.pk, "name": p.name, "received_on": p.received_on} for p in loan.papers.all()],
    }


@router.get(
    "/{deal_id}/loan",
    response={200: LoanOut, 404: ErrorOut, **ERRORS},
    summary="贷款协助（银行、金额、利率、资料、面签）",
)
def get_loan(request: HttpRequest, deal_id: int) -> Any:
    loan = _loan(access_deal(agent_of(request.user), deal_id))
    if loan is None:
        raise Http404("还没有登记贷款。")
    return loan


@router.put(
    "/{deal_id}/loan", response={200: LoanOut, **ERRORS}, summary="登记或修改贷款（月供按房贷计算器保存）"
)
def put_loan(request: HttpRequest, deal_id: int, payload: LoanIn) -> Any:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    loan_set(deal=deal, by=viewer, **payload.dict())
    return _loan(deal)


@router.post(
    "/{deal_id}/loan/papers/{paper_id}", response={200: LoanOut, **ERRORS}, summary="贷款资料收齐（或撤销）"
)
def paper_received(request: HttpRequest, deal_id: int, paper_id: int, payload: PaperIn) -> Any:
    viewer = agent_of(request.user)
    paper = access_loan_paper(viewer, deal_id, paper_id)
    loan_paper_received(paper=paper, received_on=payload.received_on, by=viewer)
    return _loan(access_deal(viewer, deal_id))


def _taxes(deal: Deal) -> dict[str, Any]:
    record = deal_tax_record(deal)
    return {
        "record": None
        if record is None
        else {
            "id": record.pk,
            "as_of": record.as_of,
            "items": record.items,
            "buyer_total": record.buyer_total,
            "seller_total": record.seller_total,
            "computed_at": record.created_at,
        },
        "changes": taxes_recompute(record) if record is not None else [],
        "payments": [
            {
                "id": p.pk,
                "side": p.side,
                "item": p.item,
                "amount": p.amount,
                "paid_on": p.paid_on,
                "receipt": p.receipt,
            }
            for p in deal_tax_payments(deal)
        ],
    }


@router.get(
    "/{deal_id}/taxes",
    response={200: TaxesOut, **ERRORS},
    summary="税费核算（保存的结果、按现行规则的变化、缴纳记录）",
)
def get_taxes(request: HttpRequest, deal_id: int) -> dict:
    return _taxes(access_deal(agent_of(request.user), deal_id))


@router.post(
    "/{deal_id}/taxes",
    response={201: TaxesOut, **ERRORS},
    summary="按预计过户日期核算税费并保存（含规则版本）",
)
def post_taxes(request: HttpRequest, deal_id: int, payload: TaxesIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    facts = TaxFacts(
        buyer_home_count=payload.buyer_home_count,
        seller_years_held=payload.seller_years_held,
        seller_only_home=payload.seller_only_home,
    )
    taxes_compute(deal=deal, as_of=payload.as_of, facts=facts, by=viewer)
    return Status(201, _taxes(deal))


@router.post(
    "/{deal_id}/taxes/payments", response={201: TaxPaymentOut, **ERRORS}, summary="登记税费缴纳（含票据号）"
)
def post_tax_payment(request: HttpRequest, deal_id: int, payload: TaxPaymentIn) -> Status[dict]:
    viewer = agent_of(request.user)
    deal = access_deal(viewer, deal_id)
    p = tax_payment_record(deal=deal, by=viewer, **payload.dict())
    return Status(
        201,
        {
            "id": p.pk,
            "side": p.side,
            "item": p.item,
            "amount": p.amount,
            "paid_on": p.paid_on,
            "receipt": p.receipt,
        },
    )


@router.post(
    "/{deal_id}/visits/{visit_id}/solved", response={200: VisitOut, **ERRORS}, summary="回访遗留问题已解决"
)
def visit_solved(request: HttpRequest, deal_id: int, visit_id: int) -> dict:
    viewer = agent_of(request.user)
    visit = access_visit(viewer, deal_id, visit_id)
    return visit_out(visit_problem_solve(visit=visit, by=viewer))
