"""The agent's day from care: contacts the cadence asks for, with the tier; a store manager sees who
is behind; the list costs a fixed number of queries however many clients the agent has."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anju.care import workbench as care_workbench
from anju.care.services import tier_pin, tiers_recompute
from anju.clients.models import Client
from anju.clients.services import interaction_create
from anju.core import workbench
from anju.core.workbench import Urgency
from tests.factories import AgentFactory, ClientFactory


def _quiet_clients(agent, count: int, *, days: int = 20) -> None:
    """``count`` private clients of ``agent``, last contacted ``days`` ago (bulk: the test stays fast)."""
    last = timezone.now() - dt.timedelta(days=days)
    Client.objects.bulk_create(
        Client(
            company_id=agent.company_id,
            store_id=agent.store_id,
            owner=agent,
            name=f"客户{agent.pk}-{n}",
            mobile=f"139{agent.pk:03d}{n:05d}",
            last_contact_at=last,
        )
        for n in range(count)
    )


def test_due_contacts_carry_the_tier_and_leave_when_a_follow_up_is_recorded(agent, manager):
    # given a pinned A last called four days ago, and a B called yesterday
    today = timezone.localdate()
    due = ClientFactory(owner=agent, name="该联系了", last_contact_at=timezone.now() - dt.timedelta(days=4))
    fresh = ClientFactory(owner=agent, name="刚联系过", last_contact_at=timezone.now() - dt.timedelta(days=1))
    tier_pin(client=due, by=manager, tier="A", reason="重点客户")
    tier_pin(client=fresh, by=manager, tier="B", reason="一般")
    # when
    result = care_workbench.contribute(agent, today)
    # then only the A is due, overdue since yesterday, with its tier
    [item] = result.items
    assert (item.title, item.badge, item.urgency) == ("该联系了", "A类", Urgency.OVERDUE)
    assert item.note.startswith("应联系 ")
    assert result.figures[0].value == 1
    # and a call recorded takes it off the list (its next contact is three days on)
    interaction_create(agent=agent, client=due, kind="call", summary="电话回访")
    assert care_workbench.contribute(agent, today).items == []


def test_an_agent_with_5000_clients_reads_in_a_fixed_number_of_queries(agent, colleague):
    # given an agent with one quiet client, and one with 5,000
    _quiet_clients(colleague, 1)
    _quiet_clients(agent, 5000)
    tiers_recompute(company_id=agent.company_id)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        small = care_workbench.contribute(colleague, today)
    # when
    with CaptureQueriesContext(connection) as many:
        big = care_workbench.contribute(agent, today)
    # then the same two queries, the first eight listed and all counted
    assert len(few) == len(many) == 2
    assert len(small.items) == 1
    assert len(big.items) == 8
    assert big.figures[0].value == 5000


def test_a_store_manager_sees_who_in_the_store_is_behind(agent, colleague, manager, other_store):
    # given two agents of the store behind, and one of another store
    elsewhere = AgentFactory(store=other_store, company=other_store.company)
    _quiet_clients(agent, 3)
    _quiet_clients(colleague, 1)
    _quiet_clients(elsewhere, 5)
    tiers_recompute(company_id=agent.company_id)
    # when
    with CaptureQueriesContext(connection) as queries:
        result = care_workbench.contribute(manager, timezone.localdate())
    # then one row per agent of the store, the furthest behind first, in three queries
    behind = [(item.title, item.note) for item in result.items if item.kind == "agent_behind"]
    assert behind == [(agent.name, "3 位客户逾期未联系"), (colleague.name, "1 位客户逾期未联系")]
    assert len(queries) == 3


def test_the_page_shows_the_furthest_behind_first(agent, colleague, manager):
    # given the agent who joined later further behind
    _quiet_clients(agent, 1)
    _quiet_clients(colleague, 3)
    tiers_recompute(company_id=agent.company_id)
    # when the manager's workbench is put together
    page = workbench.collect(manager, timezone.localdate())
    # then the section lists the furthest behind first
    care = next(c for c in page.contributions if c.section.name == "care")
    behind = [item.title for item in care.items if item.kind == "agent_behind"]
    assert behind == [colleague.name, agent.name]
