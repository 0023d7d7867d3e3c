"""The pages: a new client arriving through a share link with a referral code is attributed; the
client's page shows the referrals they made and their rewards; a manager approves and pays on the
referrals page; satisfied clients are suggested for a referral ask (鼓励分享) until asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from anju.clients.models import Client, Source
from anju.core import workbench
from anju.processing.models import Visit
from anju.referrals.models import Channel, Referral, Reward
from anju.referrals.selectors import referral_settings
from anju.referrals.services import referral_code_issue
from anju.showings.shares import share_issue
from tests.conftest import login
from tests.factories import ListingFactory
from tests.referrals.conftest import deal_for, rule, sign


@pytest.fixture
def share(agent):
    return share_issue(listing=ListingFactory(agent=agent), by=agent)


def test_a_visitor_through_a_referral_link_becomes_the_referrers_referral(share, referrer, agent):
    # given the agent forwards a listing to an old client with the client's referral code on it
    code = referral_code_issue(client=referrer).code
    visitor = HttpClient()
    page = visitor.get(f"/s/{share.slug}/?ref={code}")
    assert page.status_code == 200
    assert f'name="ref" value="{code}"' in page.content.decode()
    # when the friend it was forwarded to leaves name and mobile on the page
    response = visitor.post(
        f"/s/{share.slug}/contact/", {"name": "新朋友", "mobile": "13900008888", "ref": code}, follow=True
    )
    # then they are thanked, and they are the sharing agent's new client referred by the old client
    assert "经纪人会尽快与您联系" in response.content.decode()
    client = Client.objects.get(mobile="13900008888")
    assert (client.owner, client.source, client.referred_by) == (agent, Source.REFERRAL, referrer)
    referral = Referral.objects.get(referred=client)
    assert (referral.referrer_client, referral.channel, referral.share) == (
        referrer,
        Channel.SHARE_LINK,
        share,
    )


def test_a_visitor_without_a_code_is_an_online_lead_without_referral(share, agent):
    HttpClient().post(f"/s/{share.slug}/contact/", {"name": "路人", "mobile": "13900008889"})
    client = Client.objects.get(mobile="13900008889")
    assert (client.owner, client.source, client.referred_by) == (agent, Source.ONLINE, None)
    assert not Referral.objects.filter(referred=client).exists()


def test_the_client_page_shows_the_referrals_they_made_and_their_rewards(
    web, company, friend, referrer, agent
):
    # given the friend's deal signed and the reward earned
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing")
    sign(deal_for(friend, agent), agent)
    # when the agent opens the referrer's page
    page = web.get(f"/clients/{referrer.pk}/").content.decode()
    # then the friend and the pending ¥800 show
    section = page.split('data-testid="client-referrals"')[1]
    assert "新客户孙先生" in section
    assert "¥800.00" in section
    assert "待审批" in section
    # and the friend's page names who referred them
    friend_page = web.get(f"/clients/{friend.pk}/").content.decode()
    assert 'data-testid="referred-by"' in friend_page
    assert "老客户刘女士" in friend_page.split('data-testid="referred-by"')[1]


def test_a_client_who_referred_no_one_says_so(web, referrer):
    page = web.get(f"/clients/{referrer.pk}/").content.decode()
    assert 'data-testid="no-referrals"' in page
    assert 'data-testid="client-referrals"' in page


def test_a_manager_approves_and_pays_on_the_referrals_page(company, friend, agent, manager):
    rule(company, kind="fixed", amount=Decimal("800.00"), earned_at="signing")
    sign(deal_for(friend, agent), agent)
    reward = Reward.objects.get()
    browser = login(manager)
    # the settings page leads a manager there
    assert 'href="/care/referrals/"' in browser.get("/settings/").content.decode()
    page = browser.get("/care/referrals/").content.decode()
    assert "新客户孙先生" in page and "审批" in page
    browser.post(f"/care/referrals/{reward.referral_id}/rewards/{reward.pk}/approve/")
    browser.post(f"/care/referrals/{reward.referral_id}/rewards/{reward.pk}/pay/")
    again = browser.post(f"/care/referrals/{reward.referral_id}/rewards/{reward.pk}/pay/", follow=True)
    assert "不能重复发放" in again.content.decode()
    reward.refresh_from_db()
    assert (reward.status, reward.approved_by, reward.paid_by) == ("paid", manager, manager)


def test_an_administrator_sets_the_reward_rule(company, admin_agent):
    browser = login(admin_agent)
    response = browser.post(
        "/care/referrals/settings/",
        {
            "kind": "share",
            "amount": "0",
            "share_percent": "10",
            "gift": "",
            "gift_value": "0",
            "earned_at": "closing",
            "yearly_cap": "",
            "high_rating": "5",
        },
    )
    assert response.status_code == 302
    row = referral_settings(company.pk)
    assert (row.kind, row.share_percent, row.earned_at, row.yearly_cap) == (
        "share",
        Decimal("10.00"),
        "closing",
        None,
    )


def test_a_satisfied_client_is_suggested_until_asked(web, friend, agent):
    # given an after-sales visit where the buyer rated the service 5
    deal = deal_for(friend, agent)
    Visit.objects.create(
        deal=deal, agent=agent, days=7, due_on=timezone.localdate(), done_at=timezone.now(), satisfaction=5
    )
    # then its client is suggested
    items = workbench.collect_one("referrals", agent, timezone.localdate()).items
    assert [i.key for i in items] == [f"client:{friend.pk}"]
    # when the agent ticks it off after asking
    web.post(items[0].done_url)
    # then it leaves the workbench
    assert workbench.collect_one("referrals", agent, timezone.localdate()).items == []


def test_a_middling_rating_is_not_suggested(friend, agent, referrer):
    deal = deal_for(friend, agent)
    Visit.objects.create(
        deal=deal, agent=agent, days=7, due_on=timezone.localdate(), done_at=timezone.now(), satisfaction=3
    )
    other = deal_for(referrer, agent)
    Visit.objects.create(
        deal=other, agent=agent, days=7, due_on=timezone.localdate(), done_at=timezone.now(), satisfaction=4
    )
    keys = [i.key for i in workbench.collect_one("referrals", agent, timezone.localdate()).items]
    assert keys == [f"client:{referrer.pk}"]
