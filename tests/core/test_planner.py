"""The query planner's statistics: SQLite gathers none by itself, so the nightly job does."""

from __future__ import annotations

import pytest
from django.db import connection

from anju.core import planner
from anju.core.tasks import refresh_planner_statistics
from anju.imports.clients import clients_import
from tests.factories import ClientFactory
from tests.imports.conftest import CLIENT_HEADER, csv_file

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


def _clients_file(count: int):
    return csv_file([CLIENT_HEADER, *(f"客户{n},1370000{n:04d},女,门店到访," for n in range(count))])


def test_a_large_import_gives_sqlite_the_statistics_at_its_end_not_at_night(agent, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum analyses a table once a tenth of it has changed")
    # given "large" is 10 rows, and 5 clients already
    monkeypatch.setattr(planner, "SQLITE_REFRESH_AFTER_ROWS", 10)
    ClientFactory.create_batch(5, owner=agent)
    # when a file of 9 clients is imported, the statistics wait for the night
    small = clients_import(importer=agent, source=_clients_file(9), filename="客户.csv")
    assert small.written == 9
    assert _client_statistics() == {}
    # and a dry run of 12 writes nothing and gathers nothing
    clients_import(importer=agent, source=_clients_file(12), filename="客户.csv", dry_run=True)
    assert _client_statistics() == {}
    # when a file of 12 more is imported
    large = csv_file([CLIENT_HEADER, *(f"新客户{n},1360000{n:04d},男,网络," for n in range(12))])
    assert clients_import(importer=agent, source=large, filename="客户.csv").written == 12
    # then the planner knows every client, those of both files too
    assert _client_statistics()["client_owner_recent"] == 5 + 9 + 12


def test_on_postgresql_the_job_leaves_the_statistics_to_autovacuum():
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite case is the test above")
    assert refresh_planner_statistics.call_local() == {"skipped": "postgresql"}
