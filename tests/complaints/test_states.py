"""A complaint moves received → acknowledged → resolving → resolved → closed (with the client's
satisfaction) or reopened, through one transition function that refuses any other move."""

from __future__ import annotations

import pytest

from anju.complaints.models import Status
from anju.complaints.selectors import complaint_steps, root_causes_of
from anju.complaints.services import complaint_move, complaint_review
from anju.core.errors import ApplicationError, IllegalTransition
from tests.complaints.conftest import beijing, record


def test_the_whole_way_to_closed_records_each_step(agent, customer, manager, time_machine):
    time_machine.move_to(beijing(2026, 12, 1, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")

    time_machine.move_to(beijing(2026, 12, 1, 9, 40), tick=False)
    complaint = complaint_move(complaint=complaint, to="acknowledged", by=agent, note="已电话致歉")
    complaint = complaint_move(complaint=complaint, to="resolving", by=agent)
    complaint = complaint_move(
        complaint=complaint,
        to="resolved",
        by=manager,
        resolution="店长约谈经纪人，重新安排带看",
        remedy="赠送一次免费保洁",
    )
    complaint = complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=5, note="客户满意")

    assert complaint.status == Status.CLOSED
    assert complaint.acknowledged_at == beijing(2026, 12, 1, 9, 40)
    assert complaint.remedy == "赠送一次免费保洁"
    assert complaint.satisfaction == 5
    assert [s.status for s in complaint_steps(complaint)] == [
        "received",
        "acknowledged",
        "resolving",
        "resolved",
        "closed",
    ]


def test_illegal_moves_are_refused_and_change_nothing(agent, customer):
    complaint = record(agent, customer)

    with pytest.raises(IllegalTransition) as refused:
        complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=4)

    assert "已受理" in refused.value.message
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    # positive control: acknowledging is allowed
    assert complaint_move(complaint=complaint, to="acknowledged", by=agent).status == Status.ACKNOWLEDGED


def test_resolving_needs_what_was_done_and_closing_needs_satisfaction(agent, customer):
    complaint = record(agent, customer)

    with pytest.raises(ApplicationError) as no_resolution:
        complaint_move(complaint=complaint, to="resolved", by=agent)
    complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已退还看房押金")
    with pytest.raises(ApplicationError) as no_satisfaction:
        complaint_move(complaint=complaint, to="closed", by=agent)

    assert no_resolution.value.code == "resolution_required"
    assert no_satisfaction.value.code == "satisfaction_required"
    # resolving straight from 已受理 acknowledges it too
    assert complaint.acknowledged_at is not None


def test_reopening_starts_a_new_resolve_deadline(agent, customer, time_machine):
    time_machine.move_to(beijing(2026, 12, 1, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")
    complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已道歉")

    time_machine.move_to(beijing(2026, 12, 3, 14), tick=False)
    complaint = complaint_move(complaint=complaint, to="reopened", by=agent, note="客户说问题又出现了")

    assert complaint.status == Status.REOPENED
    assert complaint.resolved_at is None
    assert complaint.resolve_due_at == beijing(2026, 12, 7, 14)  # 18 working hours from Thursday 14:00


def test_the_review_names_a_cause_and_an_owned_corrective_action(agent, customer, manager):
    import datetime as dt

    complaint = record(agent, customer)
    cause = root_causes_of(agent.company_id).first()
    with pytest.raises(ApplicationError) as early:
        complaint_review(
            complaint=complaint,
            by=manager,
            root_cause=cause,
            corrective_action="",
            corrective_owner=None,
            corrective_due_on=None,
        )
    complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已道歉")

    reviewed = complaint_review(
        complaint=complaint,
        by=manager,
        root_cause=cause,
        corrective_action="带看前一小时短信确认",
        corrective_owner=agent,
        corrective_due_on=dt.date(2026, 12, 31),
    )

    assert early.value.code == "review_too_early"
    assert reviewed.root_cause == cause
    assert reviewed.corrective_owner == agent


def test_satisfied_closures_are_the_ones_rated_highly(agent, customer):
    import datetime as dt

    from django.utils import timezone

    from anju.complaints.selectors import satisfied_closures

    happy = record(agent, customer)
    unhappy = record(agent, customer)
    for complaint, rating in ((happy, 5), (unhappy, 2)):
        complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已处理")
        complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=rating)

    found = satisfied_closures(agent.company_id, since=timezone.now() - dt.timedelta(days=1))

    assert list(found) == [happy]
