"""The query planner's statistics: SQLite gathers none by itself, so the nightly job does."""

from __future__ import annotations

import pytest
from django.db import connection

from anju.core.tasks import refresh_planner_statistics
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _client_statistics() -> dict[str, int]:
    """The clients table's row count as each of its indexes' statistics give it (sqlite_stat1)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return {}
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'clients_client'")
        return {index: int(stat.split()[0]) for index, stat in cursor.fetchall()}


def test_the_nightly_job_gives_sqlite_the_statistics_of_every_table(agent):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics; the job leaves them to it")
    # given 30 clients and no statistics yet
    ClientFactory.create_batch(30, owner=agent)
    assert _client_statistics() == {}
    # when the nightly job runs
    report = refresh_planner_statistics.call_local()
    # then the planner knows the clients table's size from each of its indexes, the search by the
    # mobile's tail among them
    assert report == {"analysed": "all tables"}
    statistics = _client_statistics()
    assert statistics["client_mobile_tail"] == 30
    assert statistics["client_owner_recent"] == 30


def test_on_postgresql_the_job_leaves_the_statistics_to_autovacuum():
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite case is the test above")
    assert refresh_planner_statistics.call_local() == {"skipped": "postgresql"}
