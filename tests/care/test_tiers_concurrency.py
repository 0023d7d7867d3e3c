"""Follow-ups recorded at once across a company do not wait for each other's tier runs (decision 0029).

Every follow-up runs the tiers of its client in the writing transaction. Such runs share the care
settings' row and take turns per client only; a whole company's run (the nightly job) still has the
row to itself, and a change of the settings waits for none of them. Each run here is a thread with
its own connection, giving up on a lock after half a second unless said otherwise. PostgreSQL only: SQLite lets one transaction write at a time, whatever the rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, transaction

from anju.care.services import care_settings, care_settings_update, tiers_recompute
from tests.deals.test_deals_concurrency import in_thread
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def no_copy() -> None:
    """PostgreSQL: each thread's own ordinary connection (``in_thread``'s first step)."""


def within_lock_timeout(work: Callable[[], object], timeout: str = "500ms") -> Callable[[], object]:
    """``work`` in a transaction that gives up on a lock after ``timeout``."""

    def run() -> object:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{timeout}'")
            return work()

    return run


def test_a_run_for_one_client_waits_for_no_other_clients_run(company, agent, manager):
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
        # when the second client's run, a change of the settings and the nightly run start meanwhile
        other = in_thread(
            no_copy,
            within_lock_timeout(lambda: tiers_recompute(company_id=company.pk, client_ids=[second.pk])),
        )
        saved = in_thread(
            no_copy, within_lock_timeout(lambda: care_settings_update(by=manager, interaction_points=40))
        )
        nightly = in_thread(no_copy, within_lock_timeout(lambda: tiers_recompute(company_id=company.pk)))
        # and the first client's run again, willing to wait
        again: list[object] = []
        same = threading.Thread(
            target=lambda: again.append(
                in_thread(
                    no_copy,
                    within_lock_timeout(
                        lambda: tiers_recompute(company_id=company.pk, client_ids=[first.pk]), "20s"
                    ),
                )
            )
        )
        same.start()
        time.sleep(1)
        same_was_waiting = same.is_alive()
    finally:
        finish.set()
        holder.join(30)
    # then the other client's run and the settings went through at once
    assert isinstance(other, dict), other
    assert other["clients"] == 1
    assert not isinstance(saved, Exception), saved
    # and the whole company's run gave up waiting for the first to commit
    assert isinstance(nightly, OperationalError), nightly
    assert "lock timeout" in str(nightly)
    # and the same client's run waited for it, then went through
    assert same_was_waiting
    same.join(30)
    assert isinstance(again[0], dict), again
    assert again[0]["clients"] == 1
