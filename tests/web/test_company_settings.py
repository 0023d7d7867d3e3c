from __future__ import annotations

import datetime as dt

from anju.core.workcalendar import WorkingHours
from anju.org.selectors import company_working_hours
from tests.conftest import login

POOL_RULES = {
    "pool_return_days": 15,
    "pool_warning_days": 2,
    "daily_claim_limit": 10,
    "listing_fresh_days": 15,
}
HOURS = {"work_start": "09:00", "work_end": "18:00"}


def test_admin_changes_the_pool_rules(admin_agent):
    web = login(admin_agent)
    web.post(
        "/settings/company/",
        {
            "pool_return_days": 20,
            "pool_warning_days": 3,
            "daily_claim_limit": 5,
            "listing_fresh_days": 10,
            **HOURS,
        },
    )
    admin_agent.company.refresh_from_db()
    company = admin_agent.company
    assert (
        company.pool_return_days,
        company.pool_warning_days,
        company.daily_claim_limit,
        company.listing_fresh_days,
    ) == (20, 3, 5, 10)


def test_out_of_range_settings_are_refused_and_nothing_changes(admin_agent):
    page = login(admin_agent).post(
        "/settings/company/",
        {
            "pool_return_days": 2,
            "pool_warning_days": 1,
            "daily_claim_limit": 5,
            "listing_fresh_days": 10,
            **HOURS,
        },
    )
    assert "应在 3 到 365 之间" in page.content.decode()
    warning = login(admin_agent).post(
        "/settings/company/",
        {
            "pool_return_days": 5,
            "pool_warning_days": 5,
            "daily_claim_limit": 5,
            "listing_fresh_days": 10,
            **HOURS,
        },
    )
    assert "回池提醒天数必须少于回池天数。" in warning.content.decode()
    admin_agent.company.refresh_from_db()
    assert admin_agent.company.pool_return_days == 15


def test_managers_cannot_change_company_settings(manager):
    assert login(manager).get("/settings/company/").status_code == 403


def test_a_company_that_sets_no_hours_works_nine_to_six(admin_agent):
    # given a new company
    company = admin_agent.company
    # when its hours are read
    hours = company_working_hours(company)
    # then they are the default working day
    assert hours == WorkingHours(start=dt.time(9), end=dt.time(18))
    page = login(admin_agent).get("/settings/company/").content.decode()
    assert 'value="09:00"' in page
    assert 'value="18:00"' in page


def test_admin_sets_the_working_hours_that_deadlines_count(admin_agent):
    # given
    web = login(admin_agent)
    # when
    response = web.post("/settings/company/", {**POOL_RULES, "work_start": "08:30", "work_end": "17:30"})
    # then
    assert response.status_code == 302
    admin_agent.company.refresh_from_db()
    assert company_working_hours(admin_agent.company) == WorkingHours(
        start=dt.time(8, 30), end=dt.time(17, 30)
    )


def test_working_hours_that_end_before_they_start_are_refused_and_nothing_changes(admin_agent):
    # when
    page = login(admin_agent).post(
        "/settings/company/", {**POOL_RULES, "work_start": "18:00", "work_end": "09:00"}
    )
    # then
    assert page.status_code == 200
    assert "上班时间必须早于下班时间。" in page.content.decode()
    admin_agent.company.refresh_from_db()
    assert (admin_agent.company.work_start, admin_agent.company.work_end) == (dt.time(9), dt.time(18))


def test_admin_sets_the_showings_route_assumptions(admin_agent):
    # given
    web = login(admin_agent)
    # when the speed, detour factor and minutes per home are changed
    web.post(
        "/settings/company/",
        {
            **POOL_RULES,
            **HOURS,
            "showing_speed_kmh": "25.0",
            "showing_detour_factor": "1.30",
            "showing_minutes_per_stop": 30,
        },
    )
    # then they are what the next plan uses
    admin_agent.company.refresh_from_db()
    company = admin_agent.company
    assert (str(company.showing_speed_kmh), str(company.showing_detour_factor)) == ("25.0", "1.30")
    assert company.showing_minutes_per_stop == 30
    # and a detour factor below 1 is refused, naming the setting
    page = web.post("/settings/company/", {**POOL_RULES, **HOURS, "showing_detour_factor": "0.8"})
    assert "带看绕路系数" in page.content.decode()
    admin_agent.company.refresh_from_db()
    assert str(admin_agent.company.showing_detour_factor) == "1.30"
