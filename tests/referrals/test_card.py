"""The agent's card page (名片页): public, with name, store and a masked mobile; a friend leaving their
number through a link with an old client's referral code is the agent's new client referred by the
old client. The public contact forms are rate-limited per address and per agent: under the limit a
submission is kept, over it the visitor is told to wait (429) and nothing is kept."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

from anju.clients.models import Client, Source
from anju.referrals.models import Channel, Referral
from anju.referrals.services import agent_card_issue, referral_code_issue
from anju.showings.shares import share_issue
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def visitor(address: str) -> HttpClient:
    return HttpClient(REMOTE_ADDR=address)


@pytest.fixture
def card(agent):
    agent.mobile = "13812345678"
    agent.save(update_fields=["mobile"])
    return agent_card_issue(agent=agent)


def test_the_card_is_made_once_and_its_page_is_public_with_the_mobile_masked(card, agent):
    # given the agent made their card, and makes it again
    assert agent_card_issue(agent=agent) == card
    # when someone without an account opens it with an old client's code
    page = visitor("10.0.0.1").get(f"/c/{card.slug}/?ref=abc_DEF-1")
    # then it names the agent and the store, masks the mobile and carries the code in the form
    body = page.content.decode()
    assert page.status_code == 200
    assert agent.name in body and agent.store.name in body
    assert "138****5678" in body and "13812345678" not in body
    assert 'name="ref" value="abc_DEF-1"' in body
    assert page["X-Robots-Tag"] == "noindex"
    assert "<svg" in body  # the QR code of the page


def test_a_code_that_is_not_a_code_is_dropped(card):
    body = visitor("10.0.0.2").get(f"/c/{card.slug}/?ref=<script>").content.decode()
    assert 'name="ref" value=""' in body


def test_the_card_of_someone_who_left_is_not_found(card, agent):
    assert visitor("10.0.0.3").get(f"/c/{card.slug}/").status_code == 200
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert visitor("10.0.0.3").get(f"/c/{card.slug}/").status_code == 404


def test_a_friend_through_a_card_with_a_code_is_the_referrers_referral(card, agent, referrer):
    # given an old client's referral code on the agent's card link
    code = referral_code_issue(client=referrer).code
    # when the friend leaves name and mobile on the card page
    response = visitor("10.0.0.4").post(
        f"/c/{card.slug}/contact/", {"name": "新朋友", "mobile": "13900007777", "ref": code}, follow=True
    )
    # then they are thanked, and they are the agent's new client referred by the old client
    assert "经纪人会尽快与您联系" in response.content.decode()
    client = Client.objects.get(mobile="13900007777")
    assert (client.owner, client.source, client.referred_by) == (agent, Source.REFERRAL, referrer)
    referral = Referral.objects.get(referred=client)
    assert (referral.referrer_client, referral.channel, referral.card) == (referrer, Channel.CARD, card)


def test_a_friend_through_a_card_without_a_code_is_an_online_lead(card, agent):
    visitor("10.0.0.5").post(f"/c/{card.slug}/contact/", {"name": "路人", "mobile": "13900007778"})
    client = Client.objects.get(mobile="13900007778")
    assert (client.owner, client.source, client.referred_by) == (agent, Source.ONLINE, None)


def test_the_referrals_page_makes_the_card_and_shows_its_link_and_qr(web, agent):
    # given no card yet: the page offers to make one
    assert "生成我的名片页" in web.get("/care/referrals/").content.decode()
    # when the agent makes it
    response = web.post("/care/referrals/my-card/", follow=True)
    # then the page shows its link and QR code
    body = response.content.decode()
    slug = agent.card.slug
    assert f"/c/{slug}/" in body and 'data-testid="card-qr"' in body


def test_the_clients_page_has_the_card_link_with_the_clients_code(web, agent, card, referrer):
    code = referral_code_issue(client=referrer).code
    body = web.get(f"/clients/{referrer.pk}/").content.decode()
    assert f"/c/{card.slug}/?ref={code}" in body


# --- the rate limit -------------------------------------------------------------------------------


@override_settings(ANJU_CONTACT_LIMIT_PER_ADDRESS=5, ANJU_CONTACT_LIMIT_PER_AGENT=100)
def test_five_contacts_from_one_address_are_kept_and_the_sixth_is_refused(card):
    # given one address sends five contacts within ten minutes
    same = visitor("10.0.1.1")
    for n in range(5):
        response = same.post(f"/c/{card.slug}/contact/", {"name": f"访客{n}", "mobile": f"1390000100{n}"})
        assert response.status_code == 302
    # then all five are kept
    assert Client.objects.filter(mobile__startswith="139000010").count() == 5
    # when it sends a sixth
    refused = same.post(f"/c/{card.slug}/contact/", {"name": "第六位", "mobile": "13900001009"})
    # then it is told to wait, in Chinese, with 429, and nothing is kept
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    assert not Client.objects.filter(mobile="13900001009").exists()
    # while another address is still heard
    other = visitor("10.0.1.2").post(f"/c/{card.slug}/contact/", {"name": "别人", "mobile": "13900001010"})
    assert other.status_code == 302
    assert Client.objects.filter(mobile="13900001010").exists()


@override_settings(ANJU_CONTACT_LIMIT_PER_ADDRESS=5, ANJU_CONTACT_LIMIT_PER_AGENT=100)
def test_the_shared_listing_form_is_limited_per_address_too(agent):
    share = share_issue(listing=ListingFactory(agent=agent), by=agent)
    same = visitor("10.0.2.1")
    for n in range(5):
        same.post(f"/s/{share.slug}/contact/", {"name": f"访客{n}", "mobile": f"1390000200{n}"})
    assert Client.objects.filter(mobile__startswith="139000020").count() == 5
    refused = same.post(f"/s/{share.slug}/contact/", {"name": "第六位", "mobile": "13900002009"})
    assert refused.status_code == 429
    assert not Client.objects.filter(mobile="13900002009").exists()


@override_settings(ANJU_CONTACT_LIMIT_PER_ADDRESS=100, ANJU_CONTACT_LIMIT_PER_AGENT=3)
def test_a_flood_over_many_addresses_is_limited_per_agent_and_not_for_the_colleague(card, colleague):
    # given three contacts for the agent from three addresses are kept
    for n in range(3):
        visitor(f"10.0.3.{n}").post(
            f"/c/{card.slug}/contact/", {"name": f"访客{n}", "mobile": f"1390000300{n}"}
        )
    assert Client.objects.filter(mobile__startswith="139000030").count() == 3
    # when a fourth address writes to the same agent
    refused = visitor("10.0.3.9").post(
        f"/c/{card.slug}/contact/", {"name": "第四位", "mobile": "13900003009"}
    )
    # then it is refused and not kept, while a colleague's card still takes contacts
    assert refused.status_code == 429
    assert not Client.objects.filter(mobile="13900003009").exists()
    colleague_card = agent_card_issue(agent=colleague)
    kept = visitor("10.0.3.9").post(
        f"/c/{colleague_card.slug}/contact/", {"name": "同事的客户", "mobile": "13900003010"}
    )
    assert kept.status_code == 302
    assert Client.objects.filter(mobile="13900003010").exists()
