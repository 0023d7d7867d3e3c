"""Write paths that do not go through the listing and need forms still reach matching: an import
and a client merge announce what they wrote, and matching's layout follows (decision 0010)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from anju.clients.services import client_merge
from anju.imports.listings import listings_import
from anju.listings.models import Listing
from anju.matching.records.need_settings import need_match_settings_update
from anju.matching.search.engine import listings_for_need, needs_for_listing
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory, NeedFactory
from tests.imports.conftest import LISTING_HEADER, community, csv_file, hongshan, listing_line

__all__ = ["community", "hongshan"]  # the import tests' dictionary, used here as fixtures

UNVERIFIED = "未核实（要求真房源）"


def _buyer(agent, *, verified_only: bool):
    need = NeedFactory(
        client=ClientFactory(owner=agent),
        agent=agent,
        budget_min=Decimal("3000000"),
        budget_max=Decimal("3400000"),
        rooms_min=3,
    )
    need_match_settings_update(agent=agent, need=need, verified_only=verified_only)
    return need


def test_an_imported_active_listing_is_matched_at_once_and_counted_when_left_out(agent, community):
    # given: one buyer who takes unverified listings, one who requires 真房源
    open_minded = _buyer(agent, verified_only=False)
    strict = _buyer(agent, verified_only=True)
    # when: a file brings an active listing nobody has verified yet
    result = listings_import(
        importer=agent, source=csv_file([LISTING_HEADER, listing_line()]), filename="房源.csv"
    )
    # then
    assert result.written == 1
    imported = Listing.objects.get()
    assert imported.status == "active" and imported.verified_at is None
    assert [item.listing_id for item in listings_for_need(open_minded).items] == [imported.pk]
    left_out = listings_for_need(strict)
    assert left_out.items == []
    assert left_out.excluded == {UNVERIFIED: 1}


def test_after_a_merge_the_needs_of_a_listing_name_the_kept_client(agent, manager):
    # given: a buyer entered twice, the need under the duplicate
    keep = ClientFactory(owner=agent, name="王芳")
    duplicate = ClientFactory(owner=agent, name="王芳（重复）")
    need = NeedFactory(
        client=duplicate, agent=agent, budget_min=Decimal("1500000"), budget_max=Decimal("2000000")
    )
    listing = ListingFactory(agent=agent, price=Decimal("1800000.00"), verified_at=timezone.now())
    assert [item.client_id for item in needs_for_listing(listing).items] == [duplicate.pk]
    # when
    client_merge(keep=keep, merge=duplicate, by=manager)
    # then: the engine and the listing's API answer with the kept client
    assert [(item.need_id, item.client_id) for item in needs_for_listing(listing).items] == [
        (need.pk, keep.pk)
    ]
    response = login(agent).get(f"/api/v1/listings/{listing.pk}/matches")
    assert response.status_code == 200
    assert [(item["need_id"], item["client_id"]) for item in response.json()["items"]] == [(need.pk, keep.pk)]
