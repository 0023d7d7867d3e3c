"""Two agents saving needs at the same moment on PostgreSQL: the layout rows of each get ids of
their own (from the tables' sequences), so neither waits on the other's rows nor fails on a taken id.

On SQLite every write transaction holds the database's write lock from its start (``BEGIN
IMMEDIATE``), so two writers never overlap and there is nothing to race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from anju.matching.models import NeedRow
from anju.matching.search.layout import needs_refresh
from tests.factories import NeedFactory


@pytest.mark.django_db(transaction=True)
def test_two_needs_refreshed_in_overlapping_transactions_both_get_their_rows():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: two layout writes never overlap")
    # given two agents' needs, and a third whose rows hold the highest ids
    first, second, _latest = NeedFactory(), NeedFactory(), NeedFactory()
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def refresh(need_id: int, hold: bool) -> None:
        try:
            with transaction.atomic():
                needs_refresh([need_id])
                if hold:  # the first agent's transaction stays open while the second writes
                    holding.set()
                    release.wait(timeout=30)
        except BaseException as failure:
            failures.append(failure)
        finally:
            connection.close()

    # when the first need's rows are written and not yet committed, and the second's meanwhile
    first_agent = threading.Thread(target=refresh, args=(first.pk, True))
    first_agent.start()
    assert holding.wait(timeout=30)
    second_agent = threading.Thread(target=refresh, args=(second.pk, False))
    second_agent.start()
    second_agent.join(timeout=10)
    second_finished_alone = not second_agent.is_alive()
    release.set()
    first_agent.join(timeout=30)
    second_agent.join(timeout=30)

    # then the second did not wait for the first, nobody failed, and both needs have their rows
    assert second_finished_alone, "the second writer waited on the first one's uncommitted rows"
    assert failures == []
    assert NeedRow.objects.filter(need_id=first.pk).exists()
    assert NeedRow.objects.filter(need_id=second.pk).exists()
