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
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def started(work: Callable[[], object], *, lock_timeout: str = "500ms") -> Callable[[], object]:
    """``work()`` started in a thread on its own connection, giving up on a lock after
    ``lock_timeout``; the function returned waits for it and gives what it returned or raised."""
    result: list[object] = []

    def run() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
                result.append(work())
        except Exception as exc:
            result.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def outcome() -> object:
        thread.join(30)
        return result[0] if result else None

    outcome.running = thread.is_alive  # type: ignore[attr-defined]
    return outcome


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
        other = started(lambda: tiers_recompute(company_id=company.pk, client_ids=[second.pk]))()
        saved = started(lambda: care_settings_update(by=manager, interaction_points=40))()
        nightly = started(lambda: tiers_recompute(company_id=company.pk))()
        # and the first client's run again, willing to wait
        same = started(
            lambda: tiers_recompute(company_id=company.pk, client_ids=[first.pk]), lock_timeout="20s"
        )
        time.sleep(1)
        same_was_waiting = same.running()  # type: ignore[attr-defined]
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
    again = same()
    assert isinstance(again, dict), again
    assert again["clients"] == 1
