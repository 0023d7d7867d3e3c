"""The agent's everyday reads of clients go through their indexes, and answer as before.

At a million clients a read that walks every client an agent may see takes a tenth of a second to
seconds (``bench/load.py`` at 1M); the indexes of ``Client.Meta.indexes`` answer the same from the
agent's few entries (decision 0028). A query and its index must be written alike for the database to
use the index (an expression, a partial index's condition), and nothing else fails when they drift
apart: these tests read each statement's plan, on SQLite, which plans by the query's shape.
PostgreSQL plans by the statistics of the tables, and a test's few rows say nothing of a million:
there the results are checked, and the plans by the load benchmark at a million rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.care.selectors import care_for_day
from anju.clients.models import Client
from anju.clients.selectors import ClientFilters, client_search, clients_for_day
from anju.listings.selectors import listings_for_day
from anju.outreach.occasions import client_occasions, solar_birthdays
from anju.outreach.selectors import clients_cared_for
from tests.factories import ClientFactory, ListingFactory

pytestmark = pytest.mark.django_db

# How SQLite says it reads a range of one agent's entries of a client index.
AGENTS_RANGE = "(company_id=? AND owner_id=?"


def plans(read: Callable[[], Any]) -> list[str]:
    """The plan of each SELECT ``read`` runs, in order (SQLite's ``EXPLAIN QUERY PLAN``, its steps
    joined); on PostgreSQL the test ends here, its results checked."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by statistics: measured at a million rows by bench/load.py")
    with CaptureQueriesContext(connection) as captured:
        read()
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                found.append(" | ".join(str(tuple(row)[-1]) for row in cursor.fetchall()))
    return found


def test_a_search_by_the_mobile_tail_reads_its_index(agent):
    mine = ClientFactory(owner=agent, mobile="13900005678")
    ClientFactory(owner=agent, mobile="13956781234")  # 5678, but not the last four digits
    found = client_search(agent, ClientFilters(q="5678"))
    assert list(found) == [mine]
    [search] = plans(lambda: list(found.all()))
    assert "INDEX client_mobile_tail (company_id=? AND <expr>=?)" in search


def test_the_workbench_counts_and_lists_of_clients_read_the_agents_entries(agent, company):
    today = timezone.localdate()
    due = ClientFactory(owner=agent, next_follow_up_on=today)
    quiet = ClientFactory(owner=agent, last_contact_at=timezone.now() - dt.timedelta(days=40))
    ClientFactory(owner=None, store=None, company=company)
    day = clients_for_day(agent, today)
    assert (day.my_clients, day.pool_clients, day.due_count) == (2, 1, 1)
    assert (day.due, day.quiet) == ([due], [quiet])
    mine, due_count, pool, due_list, quiet_list = plans(lambda: clients_for_day(agent, today))
    assert AGENTS_RANGE in mine
    assert "INDEX client_live_follow_up (company_id=? AND owner_id=? AND next_follow_up_on<?)" in due_count
    assert AGENTS_RANGE in pool  # the pool's entries: owner_id IS NULL
    assert "INDEX client_live_follow_up (company_id=? AND owner_id=? AND next_follow_up_on<?)" in due_list
    # the quietest first, read in the index's order: not every client of the agent sorted
    assert "INDEX client_live_quiet (company_id=? AND owner_id=?)" in quiet_list
    assert "TEMP B-TREE" not in quiet_list


def test_a_manager_who_moved_store_no_longer_counts_the_old_stores_clients(manager, other_store):
    # given a manager with a client in their store, who then moves to another store
    left_behind = ClientFactory(owner=manager, next_follow_up_on=timezone.localdate())
    manager.store = other_store
    manager.save()
    # and a client of theirs in the new store
    kept = ClientFactory(owner=manager, store=other_store, next_follow_up_on=timezone.localdate())
    # when
    day = clients_for_day(manager, timezone.localdate())
    # then the workbench shows what the manager may open: the new store's client only
    assert (day.my_clients, day.due_count, day.due) == (1, 1, [kept])
    assert left_behind.store_id != other_store.pk


def test_the_birthdays_of_the_coming_days_read_their_indexes(agent):
    today = timezone.localdate()
    solar = ClientFactory(owner=agent, birthday_calendar="solar", birthday=today.replace(year=1988))
    later = (today + dt.timedelta(days=30)).replace(year=1988)
    ClientFactory(owner=agent, birthday_calendar="solar", birthday=later)

    def occasions() -> list[Any]:
        return list(client_occasions(clients_cared_for(agent), today, today, festivals=False))

    assert [o.client_id for o in occasions()] == [solar.pk]
    solar_plan, lunar_plan, *anniversaries = plans(occasions)
    assert "INDEX client_solar_birthday (company_id=? AND <expr>=?)" in solar_plan
    assert "INDEX client_lunar_birthday (company_id=? AND lunar_birth_month=?" in lunar_plan
    # the anniversaries start from the closings and look each one's client up by its key, as buyer
    # and as seller: never a list of the agent's clients first
    assert len(anniversaries) == 2
    for plan in anniversaries:
        assert plan.startswith("SCAN deals_stagechange")
        assert "CORRELATED SCALAR SUBQUERY" in plan
        assert "LIST SUBQUERY" not in plan and AGENTS_RANGE not in plan


def test_an_agents_follow_ups_due_are_a_range_of_their_index(agent, colleague):
    today = timezone.localdate()
    due = ClientFactory(owner=agent, next_follow_up_on=today - dt.timedelta(days=3))
    ClientFactory(owner=agent, next_follow_up_on=today + dt.timedelta(days=1))
    ClientFactory(owner=colleague, next_follow_up_on=today)
    ClientFactory(owner=None, store=agent.store, company=agent.company, next_follow_up_on=today)
    found = client_search(agent, ClientFilters(scope="mine", follow_up_due=True))
    assert list(found) == [due]
    [listed] = plans(lambda: list(found.all()))
    assert (
        "INDEX client_live_follow_up (company_id=? AND owner_id=? AND next_follow_up_on>? AND next_follow_up_on<?)"
        in listed
    )


@pytest.mark.parametrize(
    ("start", "end", "born", "celebrated"),
    [
        # over the new year: 1 January is next year's
        (dt.date(2026, 12, 30), dt.date(2027, 1, 5), dt.date(1990, 1, 1), dt.date(2027, 1, 1)),
        # a single-digit month and day (305, 107 must not be read as 3050 or 1070)
        (dt.date(2027, 3, 4), dt.date(2027, 3, 6), dt.date(1990, 3, 5), dt.date(2027, 3, 5)),
        (dt.date(2027, 1, 7), dt.date(2027, 1, 7), dt.date(1975, 1, 7), dt.date(2027, 1, 7)),
        # 29 February in a common year: with the 28th
        (dt.date(2027, 2, 27), dt.date(2027, 3, 1), dt.date(1988, 2, 29), dt.date(2027, 2, 28)),
        # and in a leap year on its own day
        (dt.date(2028, 2, 28), dt.date(2028, 3, 1), dt.date(1988, 2, 29), dt.date(2028, 2, 29)),
    ],
)
def test_a_solar_birthday_is_found_by_its_month_and_day_whatever_the_year(
    agent, start, end, born, celebrated
):
    found = ClientFactory(owner=agent, birthday_calendar="solar", birthday=born)
    # the days just outside the window are not in it
    ClientFactory(owner=agent, birthday_calendar="solar", birthday=born.replace(day=15))
    occasions = list(solar_birthdays(Client.objects.filter(owner=agent), start, end))
    assert [(o.client_id, o.date) for o in occasions] == [(found.pk, celebrated)]


def test_the_cadence_and_the_active_listings_are_counted_from_their_indexes(agent):
    today = timezone.localdate()
    ClientFactory(owner=agent, next_contact_on=today - dt.timedelta(days=1))
    ListingFactory(agent=agent)
    assert care_for_day(agent, today).overdue_count == 1
    assert listings_for_day(agent).my_active == 1
    cadence_counts, cadence_first = plans(lambda: care_for_day(agent, today))
    assert "INDEX client_live_cadence (company_id=? AND owner_id=? AND next_contact_on<?)" in cadence_counts
    assert "INDEX client_live_cadence" in cadence_first
    active, _recent = plans(lambda: listings_for_day(agent))
    assert "COVERING INDEX listing_agent_status (company_id=? AND agent_id=? AND status=?)" in active


def test_a_managers_agents_behind_are_grouped_from_the_stores_index(agent, colleague, manager):
    # given overdue contacts of two agents of the manager's store, one of them erased
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for _ in range(2):
        ClientFactory(owner=agent, next_contact_on=yesterday)
    ClientFactory(owner=colleague, next_contact_on=yesterday)
    ClientFactory(owner=colleague, next_contact_on=yesterday, erased_at=timezone.now())
    # when
    behind = care_for_day(manager, timezone.localdate()).behind
    # then each agent with their own overdue count and name, the erased client in no count
    assert behind == [
        {"owner_id": agent.pk, "overdue": 2, "owner__name": agent.name},
        {"owner_id": colleague.pk, "overdue": 1, "owner__name": colleague.name},
    ]
    *_cadence, grouped = plans(lambda: care_for_day(manager, timezone.localdate()))
    assert "INDEX client_live_store_contact (company_id=? AND store_id=? AND next_contact_on<?)" in grouped
