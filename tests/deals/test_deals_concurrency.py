"""Two agents accept offers on the same flat at the same moment: exactly one reserves it.

Each accept runs in its own thread with its own database connection. On PostgreSQL the listing's
row lock (``select_for_update``) makes the second wait for the first and then see its
reservation; on SQLite the write transaction (``BEGIN IMMEDIATE``) serialises them the same way.
SQLite's in-memory test database cannot have two writers wait for each other (its shared cache
refuses the second at once), so there the test copies the database to a file, as production
keeps it, and every connection of the test uses that file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections

from anju.core.errors import ConflictError
from anju.deals.services import OfferTerms, deal_create, offer_accept, offer_make
from anju.listings.models import ListingStatus
from tests.factories import ClientFactory


def on_file(tmp_path: Path) -> Callable[[], None]:
    """What a thread calls first to use the test's database: on SQLite a file copy of it (made
    now), elsewhere its own ordinary connection."""
    if connection.vendor != "sqlite":
        return lambda: None
    path = tmp_path / "deals.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    wrapper_class = type(connections["default"])

    def use() -> None:
        settings = {**connections.settings["default"], "NAME": str(path)}
        connections["default"] = wrapper_class(settings, "default")  # this thread's only

    return use


def in_thread(use: Callable[[], None], work: Callable[[], object]) -> object:
    """``work()`` in a thread of its own, on its own connection; what it returned or raised."""
    result: list[object] = []

    def run() -> None:
        use()
        try:
            result.append(work())
        except Exception as exc:
            result.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_two_accepts_on_one_listing_at_once_exactly_one_succeeds(listing, buyer, agent, colleague, tmp_path):
    # given two deals on one flat, each with the seller's latest offer waiting
    deals = [
        deal_create(listing=listing, buyer=buyer, by=agent),
        deal_create(listing=listing, buyer=ClientFactory(owner=colleague), by=colleague),
    ]
    offers = [
        offer_make(deal=d, terms=OfferTerms(side="seller", price=Decimal("1950000.00")), by=d.agent)
        for d in deals
    ]
    use = on_file(tmp_path)
    start = threading.Barrier(2, timeout=30)
    outcomes: dict[int, object] = {}

    def accept(i: int) -> None:
        use()
        try:
            start.wait()
            offer_accept(offer=offers[i], by=deals[i].agent)
            outcomes[i] = "ok"
        except ConflictError as exc:
            outcomes[i] = exc
        except Exception as exc:
            outcomes[i] = repr(exc)
        finally:
            connection.close()

    # when both accept at the same moment, each on its own connection
    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # then exactly one succeeded, and the other was told in Chinese who holds the flat
    assert sorted(str(type(o).__name__) if o != "ok" else "ok" for o in outcomes.values()) == [
        "ConflictError",
        "ok",
    ], outcomes
    winner = next(i for i, o in outcomes.items() if o == "ok")
    loser = outcomes[1 - winner]
    assert isinstance(loser, ConflictError)
    assert deals[winner].agent.name in loser.message
    assert "预定" in loser.message

    def after() -> tuple[str, list[bool]]:
        listing.refresh_from_db()
        for d in deals:
            d.refresh_from_db()
        return listing.status, [d.accepted_offer_id is not None for d in deals]

    status, accepted = in_thread(use, after)  # type: ignore[misc]
    assert status == ListingStatus.RESERVED
    assert accepted.count(True) == 1
    assert accepted[winner]
