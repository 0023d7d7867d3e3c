"""On a phone, in Debian's Chromium: the agent's day fits the screen, and a notice or a new match is
dealt with in place (htmx) without leaving the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.matching.models import Match, MatchStatus
from anju.org.models import Notification
from tests.e2e.conftest import assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.factories import ClientFactory, CommunityFactory, ListingFactory
from tests.matching.match_world import buy_need, sale
from tests.needs.test_needs_browser import signed_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_the_agents_day_fits_a_phone_and_is_dealt_with_in_place(phone, signed_in):  # noqa: F811
    # given a notice, a new match, a follow-up overdue and a new listing
    agent = signed_in
    notice = Notification.objects.create(
        agent=agent, text="私客“王芳”将于 12月1日 回到公客池，请及时跟进。", key="w"
    )
    community = CommunityFactory(company=agent.company, name="光谷天悦府")
    buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])
    listing = sale(agent, community, price=Decimal("2000000"))
    ClientFactory(owner=agent, name="李女士", next_follow_up_on=timezone.localdate() - dt.timedelta(days=1))
    ListingFactory(agent=agent, property__community__name="万科城市花园")
    phone.goto("/")
    expect(phone.get_by_text("李女士")).to_be_visible()
    expect(phone.get_by_text("万科城市花园")).to_be_visible()
    assert_fits_phone(phone)
    # when the notice is dismissed and the match is not considered
    phone.locator(f'[data-notice="{notice.pk}"]').get_by_role("button", name="知道了").click()
    match = Match.objects.get(listing=listing)
    phone.locator(f'[data-match="{match.pk}"]').get_by_role("button", name="不考虑").click()
    # then both leave the page, which stays the workbench
    expect(phone.locator(f'[data-notice="{notice.pk}"]')).to_have_count(0)
    expect(phone.locator(f'[data-match="{match.pk}"]')).to_have_count(0)
    expect(phone.get_by_test_id("new-matches")).to_contain_text("暂无新匹配。")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Match.objects.get(pk=match.pk).status == MatchStatus.REJECTED


def test_an_approval_answers_where_the_agent_is_looking_on_a_phone(phone, signed_in):  # noqa: F811
    # given: more new matches than fit a phone's screen
    agent = signed_in
    community = CommunityFactory(company=agent.company, name="光谷天悦府")
    for name in ("王先生", "赵女士", "钱先生"):
        buy_need(agent, ClientFactory(owner=agent, name=name), districts=[community.district_id])
    for _ in range(4):
        sale(agent, community, price=Decimal("2000000"))
    phone.goto("/")
    # when: the agent scrolls down to 批准推荐所选, ticks the last match and approves it
    matches = phone.get_by_test_id("new-matches")
    matches.locator('input[name="ids"]').last.check()
    matches.get_by_role("button", name="批准推荐所选").click()
    # then: the answer is on screen, next to the button
    message = phone.get_by_test_id("approve-message")
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    assert matches.get_by_role("button", name="批准推荐所选").is_visible()
