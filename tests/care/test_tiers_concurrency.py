"""Follow-ups recorded at once across a company do not wait for each other's tier runs (decision 0029).

Every follow-up runs the tiers of its client in the writing transaction. Such runs share the care
settings' row and take turns per client only; a whole company's run (the nightly job) still has the
row to itself. Each run here is a thread with its own connection, giving up on a lock after half a
second. PostgreSQL only: SQLite lets one transaction write at a time, whatever the rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, transaction

from anju.care.services import care_settings, tiers_recompute
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(work: Callable[[], object]) -> object:
    """``work()`` in a thread on its own connection, giving up on a lock after 0.5 s; what it
    returned or raised."""
    result: list[object] = []

    def run() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '500ms'")
                result.append(work())
        except Exception as exc:
            result.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return result[0]


def test_a_run_for_one_client_waits_for_no_other_clients_run(company, agent):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    # given two clients, and a follow-up's tier run for the first still in its transaction
    first, second = ClientFactory(owner=agent), ClientFactory(owner=agent)
    care_settings(company.pk)
    running, finish = threading.Event(), threading.Event()

    def follow_up_of_first() -> None:
        try:
            with transaction.atomic():
                tiers_recompute(company_id=company.pk, client_ids=[first.pk])
                running.set()
                finish.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=follow_up_of_first)
    holder.start()
    try:
        assert running.wait(30)
        # when the second client's run, the first's again, and the nightly run start meanwhile
        other = in_thread(lambda: tiers_recompute(company_id=company.pk, client_ids=[second.pk]))
        same = in_thread(lambda: tiers_recompute(company_id=company.pk, client_ids=[first.pk]))
        nightly = in_thread(lambda: tiers_recompute(company_id=company.pk))
    finally:
        finish.set()
        holder.join(30)
    # then the other client's run went through at once
    assert isinstance(other, dict), other
    assert other["clients"] == 1
    # and the same client's run, and the whole company's, waited for the first to commit
    assert isinstance(same, OperationalError), same
    assert isinstance(nightly, OperationalError), nightly
    assert "lock timeout" in str(same) and "lock timeout" in str(nightly)
