"""Report figures equal the hand-counted November of ``world.py``, for an agent, a manager and an
administrator, and every figure's list holds exactly as many records as the figure says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from anju.reports.selectors import (
    REPORTS,
    commission_report,
    discipline_report,
    efficiency_report,
    funnel_report,
    measure_records,
    report_window,
)
from tests.reports.world import FUNNEL, NOVEMBER

pytestmark = pytest.mark.django_db


def window_of(viewer, **narrow):
    start, end = NOVEMBER
    return report_window(viewer, start=start, end=end, **narrow)


def figures(report) -> dict:
    return {f.key: f.value for f in report.figures}


@pytest.mark.parametrize("who", ["agent", "manager", "admin"])
def test_the_funnel_counts_each_stage_in_the_period(world, agent, manager, admin_agent, who):
    # given
    viewer = {"agent": agent, "manager": manager, "admin": admin_agent}[who]
    # when
    report = funnel_report(window_of(viewer))
    # then
    assert figures(report) == FUNNEL[who]


def test_an_administrator_narrows_to_a_store_or_an_agent(world, admin_agent, other_store, colleague):
    assert figures(funnel_report(window_of(admin_agent, store_id=other_store.pk))) == {
        "clients": 1,
        "needs": 1,
        "showings": 0,
        "offers": 0,
        "deals": 0,
        "closed": 0,
    }
    assert figures(funnel_report(window_of(admin_agent, agent_id=colleague.pk))) == {
        "clients": 1,
        "needs": 1,
        "showings": 0,
        "offers": 1,
        "deals": 1,
        "closed": 0,
    }


def test_follow_up_discipline_counts_the_overdue_and_the_returned(world, agent, colleague, manager):
    # the store: 张伟's 老客户 is overdue; 李娜 lost 久未跟进 to the pool today
    assert figures(discipline_report(window_of(manager))) == {"overdue": 1, "returned": 1}
    rows = {r.name: r.values for r in discipline_report(window_of(manager)).rows}
    assert rows == {"张伟": {"overdue": 1}, "李娜": {"returned": 1}}
    # each agent sees only their own
    assert figures(discipline_report(window_of(agent))) == {"overdue": 1, "returned": 0}
    assert figures(discipline_report(window_of(colleague))) == {"overdue": 0, "returned": 1}


def test_efficiency_is_showings_per_deal_and_days_from_first_contact(world, manager, agent):
    # the store: 2 showings, 2 deals signed 10 and 12 days (and an hour) after the buyers came in
    assert figures(efficiency_report(window_of(manager))) == {
        "showings": 2,
        "deals": 2,
        "per_deal": Decimal("1.0"),
        "days": Decimal("11.0"),
    }
    assert figures(efficiency_report(window_of(agent))) == {
        "showings": 2,
        "deals": 1,
        "per_deal": Decimal("2.0"),
        "days": Decimal("10.0"),
    }
    days = sorted(d.days_taken.days for d in measure_records(window_of(manager), "deals"))
    assert days == [10, 12]


def test_commission_is_earned_by_role_from_the_deals_signed(world, manager, agent, colleague):
    # ¥3,000,000 and ¥2,000,000 at 2%: ¥100,000, split by the default shares (成交 35%, 录入 10% …)
    report = commission_report(window_of(manager))
    values = figures(report)
    assert values["total"] == Decimal("100000.00")
    assert values["role_closing"] == Decimal("35000.00")
    assert values["role_entry"] == Decimal("10000.00")
    assert {r.name: r.values["total"] for r in report.rows} == {
        "张伟": Decimal("74000.00"),  # all of the first deal, the listing side (35%) of the second
        "李娜": Decimal("26000.00"),
    }
    assert figures(commission_report(window_of(colleague)))["total"] == Decimal("26000.00")


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_every_figure_agrees_with_the_list_behind_it(world, manager, key):
    window = window_of(manager)
    for figure in REPORTS[key](window).figures:
        records = list(measure_records(window, figure.measure, part=figure.part))
        assert figure.count == len(records), figure.key
        if figure.measure == "commission":
            assert figure.value == sum(r.amount for r in records), figure.key
        elif figure.key not in ("per_deal", "days"):
            assert figure.value == len(records), figure.key


def test_an_agent_sees_only_themselves_and_a_manager_only_the_store(
    world, agent, colleague, manager, other_store
):
    # an agent asking for a colleague or another store is refused; a manager for another store too
    with pytest.raises(PermissionDenied):
        window_of(agent, agent_id=colleague.pk)
    with pytest.raises(PermissionDenied):
        window_of(manager, store_id=other_store.pk)
    with pytest.raises(PermissionDenied):
        window_of(manager, agent_id=world.other.pk)
    # positive control: the manager may look at one agent of the store
    assert window_of(manager, agent_id=colleague.pk).agent_id == colleague.pk


def test_another_company_s_store_or_agent_is_not_found(world, stranger, agent, store):
    with pytest.raises(Http404):
        window_of(stranger, store_id=store.pk)
    with pytest.raises(Http404):
        window_of(stranger, agent_id=agent.pk)
    # and the stranger's own company shows nothing of ours
    assert set(figures(funnel_report(window_of(stranger))).values()) == {0}
