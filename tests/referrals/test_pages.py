"""The pages: a new client arriving through a share link with a referral code is attributed; the
client's page shows the referrals they made and their rewards; a manager approves and pays on the
referrals page; satisfied clients are suggested for a referral ask (鼓励分享) until asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from anju.clients.models import Client, Source
from anju.complaints.services import complaint_move
from anju.core import workbench
from anju.processing.models import Visit
from anju.referrals.models import Channel, Referral, Reward
from anju.referrals.selectors import referral_settings
from anju.referrals.services import referral_code_issue
from anju.showings.shares import share_issue
from tests.complaints.conftest import record as record_complaint
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


def test_a_complaint_closed_with_the_client_satisfied_suggests_asking_until_asked(web, agent, referrer):
    # given a complaint of the agent's client, put right and closed with the client rating it 5
    complaint = record_complaint(agent, referrer)
    complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已道歉并退还押金")
    # and, before it is closed, nothing to ask about (the positive control below is the same client)
    assert workbench.collect_one("referrals", agent, timezone.localdate()).items == []
    complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=5)
    # then the client is suggested for a referral ask, saying why
    items = workbench.collect_one("referrals", agent, timezone.localdate()).items
    assert [(i.key, i.kind) for i in items] == [(f"client:{referrer.pk}", "referral_ask_complaint")]
    assert "投诉处理满意度 5 分" in items[0].note
    page = web.get("/").content.decode()
    assert f'data-item="referrals:client:{referrer.pk}"' in page
    # when the agent ticks it off after asking
    web.post(items[0].done_url)
    # then it leaves the workbench
    assert workbench.collect_one("referrals", agent, timezone.localdate()).items == []


def test_a_closure_rated_below_the_companys_threshold_is_not_suggested(agent, company, referrer, friend):
    rule(company, high_rating=5)
    for client, score in ((referrer, 4), (friend, 5)):
        complaint = record_complaint(agent, client)
        complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已处理")
        complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=score)
    keys = [i.key for i in workbench.collect_one("referrals", agent, timezone.localdate()).items]
    assert keys == [f"client:{friend.pk}"]


def test_a_client_with_a_good_visit_and_a_good_closure_is_suggested_once(agent, friend):
    deal = deal_for(friend, agent)
    Visit.objects.create(
        deal=deal, agent=agent, days=7, due_on=timezone.localdate(), done_at=timezone.now(), satisfaction=5
    )
    complaint = record_complaint(agent, friend)
    complaint = complaint_move(complaint=complaint, to="resolved", by=agent, resolution="已处理")
    complaint_move(complaint=complaint, to="closed", by=agent, satisfaction=5)
    items = workbench.collect_one("referrals", agent, timezone.localdate()).items
    assert [(i.key, i.kind) for i in items] == [(f"client:{friend.pk}", "referral_ask_complaint")]
