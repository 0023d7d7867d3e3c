"""The milestone plan: made on signing by the deal's type, due dates in working days, problems block."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.core.errors import ApplicationError
from anju.deals.models import DealStage
from anju.processing.models import Milestone
from anju.processing.selectors import plan_calendar_note
from anju.processing.services import (
    milestone_done,
    milestones_delayed_notify,
    plan_choose,
    problem_raise,
    problem_solve,
)
from tests.processing.conftest import signed_deal


def names(deal) -> list[str]:
    return list(deal.plan.milestones.order_by("position").values_list("name", flat=True))


def test_signing_makes_a_loan_plan_with_escrow(deal, agent, specialist):
    # given a sale with a 商贷 offer accepted, signed (the fixture)
    # then it has its plan: loan steps, escrow in and out, no 解押, handover at the end
    plan_names = names(deal)
    assert plan_names[0] == "资料准备" and plan_names[-1] == "物业交割"
    assert {"贷款申请", "银行面签", "贷款审批", "放款", "资金监管入账", "资金监管划转"} <= set(plan_names)
    assert "解押" not in plan_names
    # and the specialist answers for the specialist's steps, the agent for the agent's
    by_name = {m.name: m for m in deal.plan.milestones.all()}
    assert by_name["网签备案"].agent_id == specialist.pk
    assert by_name["资料准备"].agent_id == agent.pk
    assert by_name["银行面签"].responsible == "buyer" and by_name["银行面签"].agent_id is None
    # and the handover checklist has the six usual items
    assert list(deal.handover_items.values_list("name", flat=True)) == [
        "水",
        "电",
        "燃气",
        "物业费",
        "供暖",
        "宽带",
    ]


def test_a_full_payment_plan_has_no_loan_steps_and_a_mortgage_adds_release(listing, buyer, agent):
    # given a sale paid in full
    deal = signed_deal(listing, buyer, agent, payment="full")
    assert "贷款申请" not in names(deal) and "网签备案" in names(deal)
    # when the seller turns out to have a mortgage to release
    plan_choose(deal=deal, payment="full", escrow=False, mortgage=True, by=agent)
    # then 解押 is in the plan and the escrow steps are gone
    assert "解押" in names(deal)
    assert "资金监管入账" not in names(deal)


def test_due_dates_skip_the_weekend(listing, buyer, agent, time_machine):
    # given a contract signed on Friday 2025-06-13
    time_machine.move_to(dt.datetime(2025, 6, 13, 10, tzinfo=dt.UTC), tick=False)
    deal = signed_deal(listing, buyer, agent)
    # then 资料准备 (2 working days) is due Tuesday, not Sunday
    first = deal.plan.milestones.order_by("position").first()
    assert (first.name, first.due_on) == ("资料准备", dt.date(2025, 6, 17))
    assert plan_calendar_note(deal.plan) == ""


def test_due_dates_cross_national_day_with_its_makeup_sunday(listing, buyer, agent, time_machine):
    # given a contract signed on Thursday 2025-09-25, before 国庆 (10-01 to 10-08, worked 09-28 and 10-11)
    time_machine.move_to(dt.datetime(2025, 9, 25, 10, tzinfo=dt.UTC), tick=False)
    deal = signed_deal(listing, buyer, agent)
    due = dict(deal.plan.milestones.values_list("name", "due_on"))
    # then 2 working days land on the makeup Sunday, the next 3 jump the holiday, and the next 3
    # count the makeup Saturday 10-11
    assert due["资料准备"] == dt.date(2025, 9, 28)
    assert due["网签备案"] == dt.date(2025, 10, 9)
    assert due["资金监管入账"] == dt.date(2025, 10, 13)


def test_in_a_year_the_calendar_does_not_know_it_counts_weekends_and_says_so(
    listing, buyer, agent, time_machine
):
    # given a contract signed on Friday 2027-03-05, a year without official holiday data
    time_machine.move_to(dt.datetime(2027, 3, 5, 10, tzinfo=dt.UTC), tick=False)
    deal = signed_deal(listing, buyer, agent)
    # then the dates count Monday to Friday, and the plan says it guessed
    first = deal.plan.milestones.order_by("position").first()
    assert first.due_on == dt.date(2027, 3, 9)
    assert "2027" in plan_calendar_note(deal.plan)
    assert "按周末推算" in plan_calendar_note(deal.plan)


def test_an_open_problem_blocks_the_milestone_until_solved(deal, agent, specialist):
    milestone = deal.plan.milestones.order_by("position").first()
    # given a problem raised on it
    problem = problem_raise(
        milestone=milestone,
        text="银行要求补充收入证明",
        owner=specialist,
        due_on=dt.date(2030, 1, 2),
        by=agent,
    )
    # when the milestone is ticked off, it is refused naming the problem
    with pytest.raises(ApplicationError, match="银行要求补充收入证明") as refused:
        milestone_done(milestone=milestone, by=agent)
    assert refused.value.code == "milestone_problem_open"
    # and once solved it can be done, and the deal is now 办理中
    problem_solve(problem=problem, solution="已补交", by=specialist)
    milestone_done(milestone=milestone, by=agent)
    deal.refresh_from_db()
    assert deal.stage == DealStage.PROCESSING
    assert Milestone.objects.get(pk=milestone.pk).done_on is not None
    # and the specialist heard of it (an in-app notice)
    assert specialist.notifications.filter(text__contains="资料准备 已完成").exists()


def test_a_milestone_past_its_date_sends_one_update(deal, agent, specialist):
    first = deal.plan.milestones.order_by("position").first()
    # given the day after the first milestone's due date, nothing done
    day = first.due_on + dt.timedelta(days=1)
    # when the nightly job runs twice
    sent = milestones_delayed_notify(today=day)
    again = milestones_delayed_notify(today=day)
    # then the agent heard once that it is late, and the later milestones are not named
    assert sent >= 1 and again == 0
    assert agent.notifications.filter(text__contains="资料准备 已延误").count() == 1
    assert not agent.notifications.filter(text__contains="物业交割 已延误").exists()
