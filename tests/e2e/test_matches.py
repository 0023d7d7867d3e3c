"""On a phone, in Debian's Chromium: an agent opens a need's matches and marks one 不考虑; it leaves the
list and a line says so where it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anju.matching.models import Match, MatchStatus
from tests.e2e.conftest import PHONE, assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import buy_need, buyer_with_means, sale
from tests.needs.test_needs_browser import signed_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_marking_a_match_not_considered_takes_it_off_the_list(phone, signed_in):  # noqa: F811
    # given: a need and two fitting flats
    community = CommunityFactory(company=signed_in.company, name="光谷天悦府")
    need = buy_need(
        signed_in, ClientFactory(owner=signed_in, name="王先生"), districts=[community.district_id]
    )
    first = sale(signed_in, community, price=Decimal("2000000"))
    sale(signed_in, community, price=Decimal("2100000"))
    phone.goto(f"/needs/{need.pk}/matches/")
    rows = phone.get_by_test_id("ranked-listing")
    expect(rows).to_have_count(2)
    expect(phone.get_by_test_id("analysis")).to_contain_text("现在有 2 套在售房源符合")
    # when
    row = phone.locator(f'[data-listing="{first.pk}"]')
    row.get_by_role("button", name="不考虑").click()
    # then: the row leaves, and where it was the agent reads what was done
    expect(row).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(phone.get_by_test_id("mark-done")).to_contain_text("已标记为不考虑")
    expect(phone.get_by_test_id("mark-done")).to_be_in_viewport()
    assert Match.objects.get(need=need, listing=first).status == MatchStatus.REJECTED
    assert_fits_phone(phone)


def test_on_a_phone_the_first_match_is_on_the_first_screen_and_the_pages_follow(phone, signed_in):  # noqa: F811
    # given a buyer with means (so the analysis has its affordability too) and 21 fitting flats
    community = CommunityFactory(company=signed_in.company, name="光谷天悦府")
    need = buyer_with_means(signed_in, community)
    for i in range(21):
        sale(signed_in, community, price=Decimal(2_000_000 + 1_000 * i))
    # when the matches open on a phone
    phone.goto(f"/needs/{need.pk}/matches/")
    first = phone.get_by_test_id("ranked-listing").first
    expect(first).to_be_visible()
    # then the whole first match is on the first screen, the analysis below the list
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    analysis = phone.get_by_test_id("analysis").bounding_box()
    assert analysis is not None and analysis["y"] > box["y"]
    # and the second page is a tap away, with the one flat left
    phone.get_by_role("link", name="第2页").click()
    expect(phone.get_by_test_id("page-of")).to_contain_text("第 2/2 页")
    expect(phone.get_by_test_id("ranked-listing")).to_have_count(1)
    assert_fits_phone(phone)
