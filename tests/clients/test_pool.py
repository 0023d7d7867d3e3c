"""The private/public pools: claiming within the daily limit, the nightly return, every change kept."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from anju.clients.models import OwnershipChange
from anju.clients.services import (
    client_claim,
    client_merge,
    client_release,
    client_reveal,
    client_transfer,
    clients_return_to_pool,
    pool_return_warnings,
)
from anju.clients.tasks import nightly_pool_upkeep
from anju.core.errors import ApplicationError, ConflictError
from anju.org.models import Notification
from tests.factories import ClientFactory

NOON = dt.datetime(2026, 11, 29, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing


def pool_client(company, **kwargs):
    return ClientFactory(owner=None, store=None, company=company, **kwargs)


def test_claiming_makes_the_client_private_and_is_recorded(agent):
    client = pool_client(agent.company)
    client_claim(client=client, agent=agent)
    client.refresh_from_db()
    assert (client.owner, client.store) == (agent, agent.store)
    change = OwnershipChange.objects.get(client=client)
    assert (change.reason, change.from_agent, change.to_agent, change.by) == ("claim", None, agent, agent)


def test_a_claimed_client_cannot_be_claimed_again(agent, colleague):
    client = pool_client(agent.company)
    client_claim(client=client, agent=agent)
    with pytest.raises(ConflictError, match="已被认领"):
        client_claim(client=client, agent=colleague)
    client.refresh_from_db()
    assert client.owner == agent


@time_machine.travel(NOON, tick=False)
def test_claims_are_limited_per_agent_per_day(agent):
    agent.company.daily_claim_limit = 2
    agent.company.save()
    clients = [pool_client(agent.company) for _ in range(3)]
    client_claim(client=clients[0], agent=agent)
    client_claim(client=clients[1], agent=agent)
    with pytest.raises(ApplicationError, match="今天已认领 2 位公客"):
        client_claim(client=clients[2], agent=agent)
    clients[2].refresh_from_db()
    assert clients[2].in_pool
    # the next day the limit starts again
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        client_claim(client=clients[2], agent=agent)


def test_release_and_transfer_are_recorded(agent, colleague, manager):
    client = ClientFactory(owner=agent)
    client_transfer(client=client, to=colleague, by=manager, note="张伟休假")
    client_release(client=client, by=colleague)
    reasons = list(
        OwnershipChange.objects.filter(client=client).order_by("id").values_list("reason", flat=True)
    )
    assert reasons == ["transfer", "release"]
    client.refresh_from_db()
    assert client.in_pool


def test_an_agent_cannot_transfer_clients(agent, colleague):
    client = ClientFactory(owner=agent)
    with pytest.raises(ApplicationError, match="只有店长和管理员"):
        client_transfer(client=client, to=colleague, by=agent)


def test_a_manager_transfers_only_within_the_store(agent, manager, other_store):
    from tests.factories import AgentFactory

    elsewhere = AgentFactory(store=other_store, company=other_store.company)
    with pytest.raises(ApplicationError, match="本店"):
        client_transfer(client=ClientFactory(owner=agent), to=elsewhere, by=manager)


def test_neglected_private_clients_return_to_the_pool_after_the_company_days(agent):
    # given the default of 15 days
    neglected = ClientFactory(owner=agent, last_contact_at=NOON - dt.timedelta(days=16))
    recent = ClientFactory(owner=agent, last_contact_at=NOON - dt.timedelta(days=3))
    never = ClientFactory(owner=agent, last_contact_at=None, created_at=NOON - dt.timedelta(days=20))
    # when
    returned = clients_return_to_pool(now=NOON)
    # then
    for client in (neglected, recent, never):
        client.refresh_from_db()
    assert returned == 2
    assert neglected.in_pool and never.in_pool and not recent.in_pool
    change = OwnershipChange.objects.get(client=neglected)
    assert (change.reason, change.from_agent, change.by) == ("auto_return", agent, None)
    assert change.note == "15 天无跟进，自动回到公客池。"
    # and a second run the same night does nothing twice
    assert clients_return_to_pool(now=NOON) == 0


def test_agents_are_warned_two_days_before_the_return_once(agent):
    due_soon = ClientFactory(
        owner=agent, name="快到期", last_contact_at=NOON - dt.timedelta(days=13, hours=1)
    )
    ClientFactory(owner=agent, name="还早", last_contact_at=NOON - dt.timedelta(days=5))
    assert pool_return_warnings(now=NOON) == 1
    assert pool_return_warnings(now=NOON) == 0
    notice = Notification.objects.get(agent=agent)
    assert "快到期" in notice.text
    assert notice.url == f"/clients/{due_soon.pk}/"


def test_the_nightly_job_runs_both_steps(agent):
    ClientFactory(owner=agent, last_contact_at=timezone.now() - dt.timedelta(days=30))
    ClientFactory(owner=agent, last_contact_at=timezone.now() - dt.timedelta(days=14))
    result = nightly_pool_upkeep.call_local()
    assert result == {"warned": 1, "returned": 1}


def test_reveal_needs_a_reason_and_is_logged(agent):
    client = pool_client(agent.company, mobile="13900001111")
    with pytest.raises(ApplicationError, match="原因"):
        client_reveal(client=client, viewer=agent, field="mobile", reason="  ")
    assert client_reveal(client=client, viewer=agent, field="mobile", reason="客户来电回拨") == "13900001111"
    log = client.reveals.get()
    assert (log.viewer, log.field, log.reason) == (agent, "mobile", "客户来电回拨")


def test_merge_moves_everything_and_keeps_the_duplicate_row(manager, agent):
    from anju.clients.models import Consent, Interaction

    keep = ClientFactory(owner=agent, name="王芳", mobile="13900001111")
    dup = ClientFactory(
        owner=agent, name="王芳（重复）", mobile="13900002222", id_number="11010519491231002X"
    )
    Interaction.objects.create(client=dup, agent=agent, kind="call", summary="问学区")
    Consent.objects.create(client=dup, channel="sms", granted=True, how="书面", recorded_by=agent)
    referred = ClientFactory(owner=agent, referred_by=dup)
    # when
    client_merge(keep=keep, merge=dup, by=manager)
    # then
    dup.refresh_from_db()
    keep.refresh_from_db()
    referred.refresh_from_db()
    assert dup.merged_into == keep
    assert keep.interactions.get().summary == "问学区"
    assert keep.consents.count() == 1
    assert referred.referred_by == keep
    assert keep.id_number == "11010519491231002X"
    assert OwnershipChange.objects.filter(client=keep, reason="merge").exists()


def test_agents_cannot_merge(agent):
    with pytest.raises(ApplicationError, match="只有店长和管理员"):
        client_merge(keep=ClientFactory(owner=agent), merge=ClientFactory(owner=agent), by=agent)
