"""The agent's everyday reads of clients go through their indexes.

At a million clients a read that walks every client an agent may see takes a tenth of a second to
seconds (``bench/load.py`` at 1M); the indexes of ``Client.Meta.indexes`` answer the same from a few
entries. A query and its index must be written alike for the database to use the index (an
expression, a partial index's condition), and nothing else fails when they drift apart: these tests
read the plans, on SQLite, which plans by the query's shape. PostgreSQL plans by the statistics of
the tables, and tables of a test's few rows say nothing of a million: there the reads' results are
checked, and the plans by the load benchmark at a million rows (``docs/decisions/0028``).
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
from anju.clients.selectors import ClientFilters, client_search, clients_for_day
from anju.listings.selectors import listings_for_day
from anju.outreach.occasions import client_occasions
from anju.outreach.selectors import clients_cared_for
from tests.factories import ClientFactory, ListingFactory

pytestmark = pytest.mark.django_db


def plans(read: Callable[[], Any]) -> str:
    """The plans of every statement ``read`` runs (SQLite's ``EXPLAIN QUERY PLAN``); on PostgreSQL
    the test ends here, its results checked."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by statistics: measured at a million rows by bench/load.py")
    with CaptureQueriesContext(connection) as captured:
        read()
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                found.append("\n".join(str(row) for row in cursor.fetchall()))
    return "\n\n".join(found)


def test_a_search_by_the_mobile_tail_reads_its_index(agent):
    mine = ClientFactory(owner=agent, mobile="13900005678")
    ClientFactory(owner=agent, mobile="13956781234")  # 5678, but not the last four digits
    found = client_search(agent, ClientFilters(q="5678"))
    assert list(found) == [mine]
    assert "client_mobile_tail" in plans(lambda: list(found.all()))


def test_the_workbench_counts_and_lists_of_clients_read_their_indexes(agent, company):
    today = timezone.localdate()
    due = ClientFactory(owner=agent, next_follow_up_on=today)
    quiet = ClientFactory(owner=agent, last_contact_at=timezone.now() - dt.timedelta(days=40))
    ClientFactory(owner=None, store=None, company=company)
    day = clients_for_day(agent, today)
    assert (day.my_clients, day.pool_clients, day.due_count) == (2, 1, 1)
    assert (day.due, day.quiet) == ([due], [quiet])
    read = plans(lambda: clients_for_day(agent, today))
    assert "client_live_follow_up" in read  # the counts
    assert "client_live_quiet" in read  # the quietest first


def test_the_birthdays_of_the_coming_days_read_their_indexes(agent):
    today = timezone.localdate()
    solar = ClientFactory(owner=agent, birthday_calendar="solar", birthday=today.replace(year=1988))
    ClientFactory(
        owner=agent, birthday_calendar="solar", birthday=(today + dt.timedelta(days=30)).replace(year=1988)
    )

    def occasions() -> list[Any]:
        return list(client_occasions(clients_cared_for(agent), today, today, festivals=False))

    assert [o.client_id for o in occasions()] == [solar.pk]
    read = plans(occasions)
    assert "client_solar_birthday" in read
    assert "client_lunar_birthday" in read


def test_the_cadence_and_the_active_listings_are_counted_from_their_indexes(agent):
    today = timezone.localdate()
    ClientFactory(owner=agent, next_contact_on=today - dt.timedelta(days=1))
    ListingFactory(agent=agent)
    assert care_for_day(agent, today).overdue_count == 1
    assert listings_for_day(agent).my_active == 1
    assert "client_live_cadence" in plans(lambda: care_for_day(agent, today))
    assert "listing_agent_status" in plans(lambda: listings_for_day(agent))
