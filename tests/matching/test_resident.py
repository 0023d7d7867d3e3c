"""The layout held in memory: it answers as the database would, and steps aside when it cannot."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from anju.matching.models import LayoutChange
from anju.matching.search import engine, layout, resident
from tests.matching.test_engine import _make_listing, _make_need, world  # noqa: F401 - fixture

SALE = {
    "community": 0, "kind": "sale", "status": "active", "price": Decimal(2500000), "rooms": 3,
    "area": Decimal(90), "floor": 3, "elevator": True, "orientation": "S", "build_year": 2010,
    "verified_days_ago": 1,
}  # fmt: skip
BUYER = {
    "kind": "buy", "districts": {0}, "areas": set(), "communities": set(), "budget_min": Decimal(2000000),
    "budget_span": Decimal(1000000), "rooms_min": 3, "area_max": None, "floor_max": None, "orientations": [],
    "elevator_required": False, "build_year_min": None, "school_required": False, "status": "active",
    "tolerance": None, "verified_only": True,
}  # fmt: skip


@pytest.fixture(autouse=True)
def no_copies():
    resident.forget()
    yield
    resident.forget()


def _answers(need, listing) -> tuple:
    found = engine.listings_for_need(need)
    matched = engine.needs_for_listing(listing)
    return (
        [(m.listing_id, m.score) for m in found.items],
        found.excluded,
        [(m.need_id, m.score) for m in matched.items],
    )


@pytest.mark.django_db
def test_writes_after_the_copy_are_answered_as_the_database_sees_them(world):  # noqa: F811
    # given a copy read when one listing and one buyer were on file
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    company_id = listing.company_id
    resident.load(company_id)
    # when the listing is re-priced above the budget, a second one listed and the buyer widens the
    # budget, all after the copy was read
    listing.price = Decimal(3300000)
    listing.save()
    layout.listing_refresh(listing_id=listing.pk)
    second = _make_listing(world, {**SALE, "price": Decimal(2600000)})
    need.budget_max = Decimal(3500000)
    need.save()
    layout.need_refresh(need_id=need.pk)
    from_copy = _answers(need, second), _answers(need, listing)
    # then the copy answers exactly what the database answers
    resident.forget()
    assert resident.answering(company_id) is None
    assert (_answers(need, second), _answers(need, listing)) == from_copy
    assert [pk for pk, _score in from_copy[0][0]] == [listing.pk, second.pk]  # alike: ties by id


@pytest.mark.django_db
def test_a_rebuild_or_too_many_changes_send_the_question_to_the_database(world, monkeypatch):  # noqa: F811
    # given a copy
    listing = _make_listing(world, SALE)
    company = listing.company
    resident.load(company.pk)
    assert resident.answering(company.pk) is not None
    # when more listings change than an overlay may hold
    monkeypatch.setattr(resident, "OVERLAY_MAX", 1)
    _make_listing(world, SALE)
    _make_listing(world, SALE)
    # then the database answers
    assert resident.answering(company.pk) is None
    # when the copy is fresh again but the layout is rebuilt
    resident.load(company.pk)
    assert resident.answering(company.pk) is not None
    layout.rebuild(company)
    # then too
    assert resident.answering(company.pk) is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_copy_answering_as_before(world):  # noqa: F811
    # given a copy of one listing and one buyer who wants it
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    resident.load(listing.company_id)
    before = _answers(need, listing)
    assert before[2] == [(need.pk, before[2][0][1])]
    # when, inside a transaction, the listing is priced out of the budget
    with pytest.raises(RuntimeError), transaction.atomic():
        listing.price = Decimal(4000000)
        listing.save()
        layout.listing_refresh(listing_id=listing.pk)
        # then that transaction already sees it gone
        assert _answers(need, listing)[0] == []
        raise RuntimeError("rolled back")
    # and after the rollback everyone sees it as before
    listing.refresh_from_db()
    assert resident.answering(listing.company_id) is not None
    assert _answers(need, listing) == before


@pytest.mark.django_db(transaction=True)
def test_a_big_layout_is_read_into_memory_in_the_background(world, settings):  # noqa: F811
    # given a company whose layout counts as big
    settings.MATCH_RESIDENT_MIN_ROWS = 2
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    # when the first question is asked, the database answers and a copy is read meanwhile
    assert resident.answering(listing.company_id) is None
    first = _answers(need, listing)
    deadline = time.monotonic() + 30
    while resident.answering(listing.company_id) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    # then later questions are answered from it, alike
    assert resident.answering(listing.company_id) is not None
    assert _answers(need, listing) == first


@pytest.mark.django_db
def test_a_small_layout_stays_in_the_database(world):  # noqa: F811
    listing = _make_listing(world, SALE)
    need = _make_need(world, BUYER)
    assert resident.answering(listing.company_id) is None
    # the database answers the question, with the listing and the need on file
    found, _excluded, matched = _answers(need, listing)
    assert [listing_id for listing_id, _score in found] == [listing.pk]
    assert [need_id for need_id, _score in matched] == [need.pk]
    time.sleep(0.2)
    assert resident.answering(listing.company_id) is None


@pytest.mark.django_db
def test_the_change_log_keeps_two_days(world):  # noqa: F811
    # given changes from three days ago and from today
    listing = _make_listing(world, SALE)
    LayoutChange.objects.filter(listing_id=listing.pk).update(at=timezone.now() - dt.timedelta(days=3))
    layout.listing_refresh(listing_id=listing.pk)
    # when
    pruned = layout.prune_changes()
    # then only today's is kept
    assert pruned >= 1
    assert list(LayoutChange.objects.values_list("listing_id", flat=True)) == [listing.pk]
