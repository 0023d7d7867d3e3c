"""日程: the showings calendar by day and week — the agent's own, the store's for a manager."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.showings.open_days import open_day_schedule, open_day_signup
from tests.conftest import login
from tests.factories import AgentFactory, ClientFactory, ListingFactory, StoreFactory
from tests.showings.seller_data import visit


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def monday_next_week() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)


def test_the_week_shows_the_agents_own_showings_day_by_day(web, agent, colleague):
    # given: two showings of the agent on Tuesday and Thursday, one of a colleague on Tuesday
    monday = monday_next_week()
    mine_tue = visit(
        ListingFactory(agent=agent),
        ClientFactory(owner=agent, name="王先生"),
        at(monday + dt.timedelta(1), 10),
    )
    mine_thu = visit(
        ListingFactory(agent=agent),
        ClientFactory(owner=agent, name="李女士"),
        at(monday + dt.timedelta(3), 15),
    )
    theirs = visit(
        ListingFactory(agent=colleague), ClientFactory(owner=colleague), at(monday + dt.timedelta(1), 11)
    )
    # when
    page = web.get(
        f"/showings/calendar/?view=week&day={(monday + dt.timedelta(2)).isoformat()}"
    ).content.decode()
    # then: the week runs Monday to Sunday, each showing under its day
    assert page.count("data-day=") == 7 and f'data-day="{monday.isoformat()}"' in page
    tuesday = page.split(f'data-day="{(monday + dt.timedelta(1)).isoformat()}"')[1].split("data-day=")[0]
    thursday = page.split(f'data-day="{(monday + dt.timedelta(3)).isoformat()}"')[1].split("data-day=")[0]
    assert f'data-showing="{mine_tue.showing_id}"' in tuesday and "王先生" in tuesday
    assert (
        f'data-showing="{mine_thu.showing_id}"' in thursday and "14:45" in thursday
    )  # it sets off a quarter before the 15:00 visit
    assert f'data-showing="{theirs.showing_id}"' not in page
    assert 'data-testid="scope-store"' not in page  # an agent has no store view


def test_a_manager_sees_the_stores_week_and_not_another_stores(manager, agent, colleague, company):
    # given
    monday = monday_next_week()
    ours = visit(ListingFactory(agent=agent), ClientFactory(owner=agent), at(monday, 10))
    also_ours = visit(ListingFactory(agent=colleague), ClientFactory(owner=colleague), at(monday, 14))
    elsewhere = AgentFactory(company=company, store=StoreFactory(company=company, name="别的门店"))
    other_store = visit(ListingFactory(agent=elsewhere), ClientFactory(owner=elsewhere), at(monday, 9))
    web = login(manager)
    # when
    store = web.get(f"/showings/calendar/?view=week&day={monday.isoformat()}&scope=store").content.decode()
    mine = web.get(f"/showings/calendar/?view=week&day={monday.isoformat()}&scope=mine").content.decode()
    # then
    assert f'data-showing="{ours.showing_id}"' in store and f'data-showing="{also_ours.showing_id}"' in store
    assert agent.name in store and colleague.name in store
    assert f'data-showing="{other_store.showing_id}"' not in store
    assert 'data-showing="' not in mine


def test_an_agent_asking_for_the_store_still_gets_their_own(web, agent, colleague):
    monday = monday_next_week()
    theirs = visit(ListingFactory(agent=colleague), ClientFactory(owner=colleague), at(monday, 10))
    page = web.get(f"/showings/calendar/?view=week&day={monday.isoformat()}&scope=store").content.decode()
    assert f'data-showing="{theirs.showing_id}"' not in page


def test_the_day_view_with_open_days_organised_or_joined(web, agent, colleague):
    # given: tomorrow, the agent's showing, a colleague's open day the agent signed a client up for,
    # and another open day of the colleague's that the agent has nothing to do with
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shown = visit(ListingFactory(agent=agent), ClientFactory(owner=agent), at(tomorrow, 9))
    joined = open_day_schedule(
        listing=ListingFactory(agent=colleague, verified_at=timezone.now()),
        by=colleague,
        starts_at=at(tomorrow, 14),
        ends_at=at(tomorrow, 16),
        capacity=5,
    )
    open_day_signup(open_day=joined, client=ClientFactory(owner=agent), by=agent)
    unrelated = open_day_schedule(
        listing=ListingFactory(agent=colleague, verified_at=timezone.now()),
        by=colleague,
        starts_at=at(tomorrow, 17),
        ends_at=at(tomorrow, 18),
        capacity=5,
    )
    # when
    page = web.get(f"/showings/calendar/?view=day&day={tomorrow.isoformat()}").content.decode()
    # then: in time order, the open day with its sign-ups
    assert page.count("data-day=") == 1
    assert page.index(f'data-showing="{shown.showing_id}"') < page.index(f'data-open-day="{joined.pk}"')
    assert "已报名 1/5" in page
    assert f'data-open-day="{unrelated.pk}"' not in page


def test_nonsense_parameters_fall_back_to_this_week(web):
    page = web.get("/showings/calendar/?view=month&day=yesterday").content.decode()
    assert page.count("data-day=") == 7 and f'data-day="{timezone.localdate().isoformat()}"' in page


def test_the_week_costs_the_same_queries_however_full(web, agent):
    monday = monday_next_week()
    url = f"/showings/calendar/?view=week&day={monday.isoformat()}"
    visit(ListingFactory(agent=agent), ClientFactory(owner=agent), at(monday, 10))
    with CaptureQueriesContext(connection) as few:
        web.get(url)
    for n in range(4):
        visit(ListingFactory(agent=agent), ClientFactory(owner=agent), at(monday + dt.timedelta(n), 15))
    with CaptureQueriesContext(connection) as many:
        web.get(url)
    assert len(many) == len(few)


def test_the_showings_page_links_to_the_calendar(web):
    assert "/showings/calendar/" in web.get("/showings/").content.decode()
