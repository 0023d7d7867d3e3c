"""A complaint's deadlines count working time only (decision 0011): the company's hours on working
days, official holidays off, 调休 days on, and a year without holiday data guessed and said so."""

from __future__ import annotations

import datetime as dt

from anju.complaints.models import ComplaintSettings
from anju.complaints.selectors import complaint_calendar_note, complaint_client_notice
from tests.complaints.conftest import beijing, record


def test_a_friday_afternoon_complaint_runs_over_the_weekend(agent, customer, time_machine):
    # given: Friday 2026-11-27, an ordinary week
    time_machine.move_to(beijing(2026, 11, 27, 17, 30), tick=False)

    # when
    normal = record(agent, customer, received_at=beijing(2026, 11, 27, 16))
    urgent = record(agent, customer, severity="urgent")  # received now, 17:30

    # then: 一般 9 h / 45 h; 紧急 2 h / 18 h — Saturday and Sunday count nothing
    assert normal.acknowledge_due_at == beijing(2026, 11, 30, 16)
    assert normal.resolve_due_at == beijing(2026, 12, 4, 16)
    assert urgent.received_at == beijing(2026, 11, 27, 17, 30)
    assert urgent.acknowledge_due_at == beijing(2026, 11, 30, 10, 30)
    assert urgent.resolve_due_at == beijing(2026, 12, 1, 17, 30)
    assert complaint_calendar_note(urgent) == ""


def test_national_day_2026_is_off_and_its_makeup_days_are_worked(agent, customer, time_machine):
    time_machine.move_to(beijing(2026, 10, 20, 9), tick=False)

    # when: received on the eve of 国庆 (10-01..10-07 off)
    urgent = record(agent, customer, severity="urgent", received_at=beijing(2026, 9, 30, 17))
    normal = record(agent, customer, received_at=beijing(2026, 9, 30, 17))
    # and on Saturday 09-19, before the Sunday 09-20 that is worked (调休)
    weekend = record(agent, customer, severity="urgent", received_at=beijing(2026, 9, 19, 10))

    # then
    assert urgent.acknowledge_due_at == beijing(2026, 10, 8, 10)
    assert urgent.resolve_due_at == beijing(2026, 10, 9, 17)
    # 1 h on 09-30, then 10-08, 10-09, Saturday 10-10 (worked) and Monday 10-12, 8 h on 10-13
    assert normal.acknowledge_due_at == beijing(2026, 10, 8, 17)
    assert normal.resolve_due_at == beijing(2026, 10, 13, 17)
    assert weekend.acknowledge_due_at == beijing(2026, 9, 20, 11)
    assert weekend.resolve_due_at == beijing(2026, 9, 21, 18)


def test_a_year_without_holiday_data_counts_weekdays_and_says_it_guesses(agent, customer, time_machine):
    # given: 2031, which neither the package nor the table knows
    time_machine.move_to(beijing(2031, 1, 1, 10), tick=False)

    # when
    complaint = record(agent, customer, severity="urgent")

    # then: New Year's Day is guessed a working day (a Wednesday), and the page is told
    assert complaint.acknowledge_due_at == beijing(2031, 1, 1, 12)
    assert complaint.resolve_due_at == beijing(2031, 1, 3, 10)
    assert "2031" in complaint_calendar_note(complaint)
    assert "推算" in complaint_calendar_note(complaint)


def test_the_company_sets_its_own_sla_and_hours(agent, customer, company):
    # given: 08:30–17:30, and 一般 acknowledged within 4 working hours
    company.work_start, company.work_end = dt.time(8, 30), dt.time(17, 30)
    company.save()
    ComplaintSettings.objects.create(company=company, normal_acknowledge_hours=4)

    # when
    complaint = record(agent, customer, received_at=beijing(2026, 12, 3, 16))

    # then
    assert complaint.acknowledge_due_at == beijing(2026, 12, 4, 11)
    assert complaint.resolve_due_at == beijing(2026, 12, 10, 16)


def test_the_client_is_told_the_deadlines(agent, customer):
    complaint = record(agent, customer, received_at=beijing(2026, 11, 27, 16))

    notice = complaint_client_notice(complaint)

    assert "投诉人刘女士" in notice
    assert "2026年11月30日 16:00" in notice
    assert "2026年12月4日 16:00" in notice
