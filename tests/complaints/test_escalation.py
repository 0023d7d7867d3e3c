"""Alarms: a quarter of a deadline's time left alerts the handler; a passed deadline escalates to
the store manager, and some working hours later to the company administrator. The periodic job
raises each once, and never for a deadline met in time."""

from __future__ import annotations

from anju.complaints.models import Alarm, Level
from anju.complaints.services import complaint_alarms_raise, complaint_move
from tests.complaints.conftest import beijing, record


def raised(complaint) -> list[tuple[str, str, str]]:
    return [
        (a.deadline, a.level, a.to.name if a.to else "")
        for a in Alarm.objects.filter(complaint=complaint, raised_at__isnull=False).order_by(
            "raised_at", "id"
        )
    ]


def test_alert_then_manager_then_administrator_each_once(agent, customer, manager, admin_agent, time_machine):
    # given: urgent, received Monday 09:00 — acknowledge by 11:00, resolve by Tuesday 18:00
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")

    # then: nothing before a quarter of the time is left (10:30)
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 10, 29)) == 0
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 10, 30)) == 1
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 10, 45)) == 0  # run again: nothing twice
    assert raised(complaint) == [("acknowledge", "alert", "张伟")]
    # the deadline passes: the store manager; four working hours later: the administrator
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 11)) == 1
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 14, 59)) == 0
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 15)) == 1
    assert raised(complaint)[1:] == [("acknowledge", "manager", "王店长"), ("acknowledge", "admin", "赵管理")]


def test_a_deadline_met_in_time_raises_nothing_more(agent, customer, manager, admin_agent, time_machine):
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")
    complaint_alarms_raise(now=beijing(2026, 11, 30, 10, 30))

    # when: acknowledged at 10:50, before 11:00
    time_machine.move_to(beijing(2026, 11, 30, 10, 50), tick=False)
    complaint_move(complaint=complaint, to="acknowledged", by=agent)

    # then: the acknowledge deadline escalates to nobody; the resolve one still runs (Tuesday 13:30 alert)
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 17)) == 0
    assert complaint_alarms_raise(now=beijing(2026, 12, 1, 13, 30)) == 1
    assert complaint_alarms_raise(now=beijing(2026, 12, 1, 18)) == 1
    assert raised(complaint) == [
        ("acknowledge", "alert", "张伟"),
        ("resolve", "alert", "张伟"),
        ("resolve", "manager", "王店长"),
    ]


def test_escalation_waits_for_working_time_over_the_weekend(agent, customer, manager, time_machine):
    # given: 一般, received Friday 17:00 — acknowledge by Monday 17:00
    time_machine.move_to(beijing(2026, 11, 27, 17), tick=False)
    complaint = record(agent, customer)

    # then: the weekend does not run the clock
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 9)) == 0
    assert complaint_alarms_raise(now=beijing(2026, 11, 30, 17)) == 2  # alert (14:45) and manager
    assert [level for _, level, _ in raised(complaint)] == [Level.ALERT, Level.MANAGER]


def test_a_store_without_a_manager_escalates_to_the_administrator(agent, customer, admin_agent, time_machine):
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")

    complaint_alarms_raise(now=beijing(2026, 11, 30, 11))

    assert raised(complaint) == [("acknowledge", "alert", "张伟"), ("acknowledge", "manager", "赵管理")]


def test_the_periodic_job_raises_what_is_due_and_nothing_twice(agent, customer, manager, time_machine):
    from anju.complaints.tasks import complaint_alarms

    # given: urgent, received Monday 09:00, acknowledge by 11:00
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")

    # when the job runs at 11:05, twice (as after a worker's crash)
    time_machine.move_to(beijing(2026, 11, 30, 11, 5), tick=False)
    complaint_alarms()
    complaint_alarms()

    # then the alert and the manager's escalation, once each
    assert raised(complaint) == [("acknowledge", "alert", "张伟"), ("acknowledge", "manager", "王店长")]
