"""Tiers (客户分级): the score from activity and value, reasons in words, thresholds from the
company's settings, a manager's pin, and every change kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.care.models import TierChange, TierFacts
from anju.care.selectors import client_tiers, stage_of, tier_history
from anju.care.services import care_settings_update, tier_pin, tier_unpin, tiers_recompute
from anju.clients.services import client_merge, interaction_create
from anju.core.errors import ApplicationError
from anju.deals.services import deal_create, deal_move
from tests.factories import ClientFactory, InteractionFactory, ListingFactory, NeedFactory
from tests.showings.seller_data import visit


def _recompute(client):
    tiers_recompute(company_id=client.company_id)
    client.refresh_from_db()
    return client


@pytest.fixture
def client(agent):
    return ClientFactory(owner=agent, name="王先生")


def test_showings_and_budget_give_tier_a_with_reasons_in_words(agent, client):
    listing = ListingFactory(agent=agent)
    # given a buyer with a 4.5 million budget shown homes three times and called twice this month
    NeedFactory(client=client, agent=agent, kind="buy", budget_max=Decimal("4500000"))
    for days in (2, 9, 20):
        visit(listing, client, timezone.now() - dt.timedelta(days=days), feedback={})
    for days in (1, 5):
        InteractionFactory(client=client, happened_at=timezone.now() - dt.timedelta(days=days))
    # when the tiers are computed
    _recompute(client)
    # then the client is A, and the reasons say why in words
    assert client.tier == "A"
    reasons = client.tier_reason_list
    assert "近30天带看3次" in reasons
    assert "预算450万" in reasons
    assert "近30天跟进2次" in reasons


def test_a_quiet_client_is_d_and_the_reason_says_so(client):
    # given a client with nothing in the last 30 days
    InteractionFactory(client=client, happened_at=timezone.now() - dt.timedelta(days=45))
    # when
    _recompute(client)
    # then
    assert client.tier == "D"
    assert client.tier_reason_list == ["近30天没有跟进和带看"]


def test_thresholds_and_points_come_from_the_company_settings(manager, client):
    # given a client with one call: 5 points, a D by default
    InteractionFactory(client=client)
    assert _recompute(client).tier == "D"
    # when the company makes a call worth 20 points and C start at 20
    care_settings_update(by=manager, interaction_points=20, tier_c_min=20)
    # then the same client is C
    assert _recompute(client).tier == "C"


def test_referrals_and_past_deals_count(agent, client):
    # given a client who referred two friends
    ClientFactory(owner=agent, referred_by=client)
    ClientFactory(owner=agent, referred_by=client)
    # when
    _recompute(client)
    # then the referrals are one reason, and 30 points make a C
    assert "转介绍2位客户" in client.tier_reason_list
    assert client.tier == "C"


def test_a_manager_pins_a_tier_with_a_reason_and_every_change_is_kept(manager, client):
    # given a computed D
    _recompute(client)
    assert client.tier == "D"
    # when the manager pins A
    tier_pin(client=client, by=manager, tier="A", reason="老业主介绍的大客户")
    # then the pin holds over the nightly run, with its reason first
    _recompute(client)
    assert client.tier == "A"
    assert client.tier_reason_list[0] == "手动分级：老业主介绍的大客户"
    # and unpinning returns the computed tier
    tier_unpin(client=client, by=manager)
    assert _recompute(client).tier == "D"
    history = [(c.from_tier, c.to_tier, c.by_id) for c in reversed(tier_history(client))]
    assert history == [("", "D", None), ("D", "A", manager.pk), ("A", "D", manager.pk)]


def test_an_agent_may_not_pin(agent, client):
    with pytest.raises(ApplicationError) as refused:
        tier_pin(client=client, by=agent, tier="A", reason="我觉得是")
    assert refused.value.code == "forbidden"


def test_a_run_twice_records_each_change_once(client):
    # given
    _recompute(client)
    # when the job runs again with nothing new
    _recompute(client)
    # then one change only (the first tier)
    assert TierChange.objects.filter(client=client).count() == 1
    assert client_tiers([client.pk]) == {client.pk: "D"}


def test_a_follow_up_recomputes_the_tier_at_once(agent, manager, client):
    # given a client scored D by the nightly job, in a company where a call is worth 40 points
    _recompute(client)
    care_settings_update(by=manager, interaction_points=40)
    # when the agent records a follow-up
    interaction_create(agent=agent, client=client, kind="call", summary="电话沟通")
    client.refresh_from_db()
    # then the tier follows without waiting for the night
    assert client.tier == "B"
    assert "近30天跟进1次" in client.tier_reason_list


def test_a_merge_leaves_the_kept_client_scored_by_what_it_now_holds(agent, manager, client):
    # given a client scored D, and a duplicate of it with a follow-up worth 40 points
    _recompute(client)
    care_settings_update(by=manager, interaction_points=40)
    duplicate = ClientFactory(owner=agent)
    interaction_create(agent=agent, client=duplicate, kind="call", summary="电话沟通")
    # when a manager merges the duplicate into the client
    client_merge(keep=client, merge=duplicate, by=manager)
    client.refresh_from_db()
    # then the client kept is scored with the follow-up it took over, as the next night finds it
    assert client.tier == "B"
    assert "近30天跟进1次" in client.tier_reason_list
    merged = (client.tier, client.tier_reasons, client.stage, client.next_contact_on)
    _recompute(client)
    client.refresh_from_db()
    assert (client.tier, client.tier_reasons, client.stage, client.next_contact_on) == merged


def test_stage_follows_the_clients_deals(agent, colleague):
    # given a seller's listing and a buyer
    seller = ClientFactory(owner=agent)
    buyer = ClientFactory(owner=colleague)
    listing = ListingFactory(agent=agent, seller=seller, price=Decimal("1980000.00"))
    assert stage_of(buyer) == "prospect"
    # when a deal is opened
    deal = deal_create(listing=listing, buyer=buyer, by=agent)
    buyer.refresh_from_db()
    seller.refresh_from_db()
    # then both are in a transaction, and it is one of the reasons
    assert stage_of(buyer) == stage_of(seller) == "transaction"
    assert "交易进行中" in buyer.tier_reason_list
    # and a cancelled deal makes them prospects again
    deal_move(deal=deal, to="cancelled", by=agent, reason="买方放弃")
    buyer.refresh_from_db()
    assert stage_of(buyer) == "prospect"


def test_the_nightly_run_and_a_clients_own_run_find_the_same_facts(agent, colleague):
    # given clients with each kind of fact: follow-ups, showings, a budget, needs, deals both
    # sides, referrals, and one with none
    listing = ListingFactory(agent=agent)
    shown = ClientFactory(owner=agent)
    NeedFactory(client=shown, agent=agent, kind="buy", budget_max=Decimal("3250000"))
    NeedFactory(
        client=shown, agent=agent, kind="buy", budget_min=Decimal("1500000"), budget_max=Decimal("1990000")
    )
    visit(listing, shown, timezone.now() - dt.timedelta(days=3), feedback={})
    InteractionFactory(client=shown, happened_at=timezone.now() - dt.timedelta(days=1))
    InteractionFactory(client=shown, happened_at=timezone.now() - dt.timedelta(days=400))
    seller = ClientFactory(owner=agent)
    buyer = ClientFactory(owner=colleague)
    deal_create(listing=ListingFactory(agent=agent, seller=seller), buyer=buyer, by=agent)
    ClientFactory(owner=agent, referred_by=shown)
    quiet = ClientFactory(owner=agent)
    everyone = [shown, seller, buyer, quiet]
    # when the company's clients are scored together (the nightly form), then each on its own
    # (the form a follow-up or a deal triggers)
    tiers_recompute(company_id=agent.company_id)
    together = _facts(everyone)
    for one in everyone:
        tiers_recompute(company_id=agent.company_id, client_ids=[one.pk])
    alone = _facts(everyone)
    # then every fact, score, tier and reason is the same, and the facts are the ones given
    assert together == alone
    assert together[shown.pk][:6] == (1, 1, 325, 2, 0, 0)
    assert together[shown.pk][6] == 1  # the referral
    assert together[seller.pk][3:5] == together[buyer.pk][3:5] == (0, 1)
    assert together[quiet.pk][:7] == (0, 0, None, 0, 0, 0, 0)


def _facts(clients):
    fields = ("interactions", "showings", "budget_wan", "active_needs", "open_deals", "closed_deals")
    rows = TierFacts.objects.filter(client__in=clients).values_list(
        "client_id", *fields, "referrals", "score", "tier", "reasons", "stage"
    )
    return {row[0]: row[1:] for row in rows}
