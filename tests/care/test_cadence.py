"""Cadence (定期沟通): the next contact follows from the last one and the interval of the client's
tier and stage, unless the agent set a date; the settings refuse a prospect interval longer than the
pool-return days; clients in a transaction and past clients never return to the pool."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anju.care.services import care_settings_update, tier_pin, tiers_recompute
from anju.care.tasks import nightly_care_cadence, nightly_care_tiers
from anju.clients.services import clients_return_to_pool, interaction_create
from anju.core.errors import ApplicationError
from anju.deals.models import DealStage
from anju.deals.services import deal_create, deal_move
from tests.factories import ClientFactory, ListingFactory
from tests.processing.conftest import signed_deal
from tests.processing.test_close import finish_everything

NOON = dt.datetime(2026, 11, 29, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing, 29 November


@pytest.fixture(autouse=True)
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)


def test_next_contact_is_the_last_contact_plus_the_tier_interval(agent, manager):
    # given a prospect pinned A, last called on 27 November (Beijing), and a quiet D
    a_client = ClientFactory(owner=agent, last_contact_at=NOON - dt.timedelta(days=2))
    d_client = ClientFactory(owner=agent, last_contact_at=NOON - dt.timedelta(days=2))
    tier_pin(client=a_client, by=manager, tier="A", reason="重点客户")
    # when the nightly jobs run
    nightly_care_tiers.call_local()
    nightly_care_cadence.call_local()
    # then A is due three days after the call, D fourteen
    a_client.refresh_from_db()
    d_client.refresh_from_db()
    assert a_client.next_contact_on == dt.date(2026, 11, 30)
    assert d_client.next_contact_on == dt.date(2026, 12, 11)


def test_the_agents_own_date_wins_and_a_new_call_moves_the_next_contact(agent, manager):
    client = ClientFactory(owner=agent)
    tier_pin(client=client, by=manager, tier="B", reason="有预算")
    # when the agent records a call without a date, B's week follows from today
    interaction_create(agent=agent, client=client, kind="call", summary="电话沟通")
    client.refresh_from_db()
    assert client.next_contact_on == dt.date(2026, 12, 6)
    # and a call with a date of the agent's own sets that date
    interaction_create(
        agent=agent,
        client=client,
        kind="call",
        summary="约了下周看房",
        next_follow_up_on=dt.date(2026, 12, 2),
    )
    client.refresh_from_db()
    assert client.next_contact_on == dt.date(2026, 12, 2)


def test_intervals_by_stage_come_from_the_settings(agent, manager):
    # given a seller whose flat is in a deal
    seller = ClientFactory(owner=agent, last_contact_at=NOON)
    deal_create(
        listing=ListingFactory(agent=agent, seller=seller), buyer=ClientFactory(owner=agent), by=agent
    )
    seller.refresh_from_db()
    assert (seller.stage, seller.next_contact_on) == ("transaction", dt.date(2026, 12, 6))
    # when the company contacts clients in a transaction every 3 days
    care_settings_update(by=manager, transaction_days=3)
    tiers_recompute(company_id=seller.company_id)
    # then
    seller.refresh_from_db()
    assert seller.next_contact_on == dt.date(2026, 12, 2)


def test_a_prospect_interval_longer_than_the_pool_days_is_refused(manager, company):
    # given the company's 15 pool-return days
    assert company.pool_return_days == 15
    # when a manager asks for C prospects every 20 days
    with pytest.raises(ApplicationError) as refused:
        care_settings_update(by=manager, prospect_c_days=20)
    # then refused, naming the interval and the pool days
    assert refused.value.code == "interval_exceeds_pool_days"
    assert "潜在客户 C 类联系间隔（天）不能超过公司的私客回池天数（15 天）" in refused.value.message
    # and a past client's month is fine: they never return to the pool
    assert care_settings_update(by=manager, past_days=60).past_days == 60


def test_an_agent_may_not_change_the_care_settings(agent):
    with pytest.raises(ApplicationError) as refused:
        care_settings_update(by=agent, past_days=20)
    assert refused.value.code == "forbidden"


def test_clients_in_a_transaction_and_past_clients_never_return_to_the_pool(agent, manager, specialist):
    quiet = NOON - dt.timedelta(days=40)
    # given a quiet prospect (the positive control), a quiet buyer in a deal, a quiet past client
    prospect = ClientFactory(owner=agent, last_contact_at=quiet)
    in_deal = ClientFactory(owner=agent, last_contact_at=quiet)
    deal_create(listing=ListingFactory(agent=agent), buyer=in_deal, by=agent)
    past = ClientFactory(owner=agent, last_contact_at=quiet)
    deal = signed_deal(ListingFactory(agent=agent, price=Decimal("1980000.00")), past, agent)
    finish_everything(deal, agent, manager)
    deal_move(deal=deal, to=DealStage.CLOSED, by=agent)
    for client in (prospect, in_deal, past):
        client.refresh_from_db()
    assert [c.stage for c in (prospect, in_deal, past)] == ["prospect", "transaction", "past"]
    # when the pool-return job runs
    returned = clients_return_to_pool(now=NOON)
    # then only the prospect went back to the pool
    for client in (prospect, in_deal, past):
        client.refresh_from_db()
    assert returned == 1
    assert prospect.in_pool
    assert in_deal.owner == agent and past.owner == agent
