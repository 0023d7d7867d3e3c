"""A follow-up moves the client's clocks: the last contact (the pool-return clock) and the next follow-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from anju.clients.models import Interaction
from anju.clients.services import interaction_create
from anju.core.errors import ApplicationError
from tests.factories import ClientFactory, NeedFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def client_(agent):
    return ClientFactory(owner=agent, next_follow_up_on=dt.date(2026, 3, 1))


@time_machine.travel(NOW, tick=False)
def test_recording_a_follow_up_sets_last_contact_and_the_next_date(agent, client_):
    # when
    interaction = interaction_create(
        agent=agent,
        client=client_,
        kind="call",
        summary="  约了周六看房  ",
        next_follow_up_on=dt.date(2026, 3, 5),
    )
    # then
    client_.refresh_from_db()
    assert interaction.summary == "约了周六看房"
    assert interaction.agent == agent
    assert client_.last_contact_at == NOW
    assert client_.next_follow_up_on == dt.date(2026, 3, 5)


@time_machine.travel(NOW, tick=False)
def test_no_next_date_keeps_the_follow_up_already_scheduled(agent, client_):
    # given
    client_.next_follow_up_on = dt.date(2026, 3, 6)
    client_.save()
    # when
    interaction_create(agent=agent, client=client_, kind="wechat", summary="发了两套房源")
    # then
    client_.refresh_from_db()
    assert client_.next_follow_up_on == dt.date(2026, 3, 6)
    assert client_.last_contact_at == NOW


@time_machine.travel(NOW, tick=False)
def test_clearing_the_next_follow_up_is_explicit(agent, client_):
    # when
    interaction_create(
        agent=agent, client=client_, kind="wechat", summary="客户说暂时不看了", clear_next_follow_up=True
    )
    # then
    client_.refresh_from_db()
    assert client_.next_follow_up_on is None
    assert client_.last_contact_at == NOW


@time_machine.travel(NOW, tick=False)
def test_a_next_date_and_clearing_it_at_once_is_refused(agent, client_):
    with pytest.raises(ApplicationError) as refused:
        interaction_create(
            agent=agent,
            client=client_,
            kind="call",
            summary="x",
            next_follow_up_on=dt.date(2026, 3, 5),
            clear_next_follow_up=True,
        )
    assert refused.value.code == "follow_up_conflicting"
    assert not Interaction.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_follow_up_entered_late_for_an_earlier_time_does_not_move_the_clocks_back(agent, client_):
    # given a follow-up this morning
    interaction_create(
        agent=agent, client=client_, kind="call", summary="今天打过", next_follow_up_on=dt.date(2026, 3, 9)
    )
    # when yesterday's visit is written down afterwards
    interaction_create(
        agent=agent,
        client=client_,
        kind="visit",
        summary="昨天到店面谈",
        happened_at=NOW - dt.timedelta(days=1),
    )
    # then
    client_.refresh_from_db()
    assert client_.last_contact_at == NOW
    assert client_.next_follow_up_on == dt.date(2026, 3, 9)
    assert Interaction.objects.filter(client=client_).count() == 2


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": "   "}, "请填写跟进内容"),
        ({"summary": "长" * 2001}, "跟进内容最多 2000 个字"),
        ({"kind": "telepathy"}, "跟进方式不正确"),
        ({"happened_at": NOW + dt.timedelta(hours=1)}, "跟进时间不能晚于现在"),
        ({"next_follow_up_on": dt.date(2026, 3, 1)}, "下次跟进日期不能早于今天"),
        ({"next_follow_up_on": dt.date(2027, 6, 1)}, "下次跟进日期不能超过一年以后"),
    ],
)
def test_bad_follow_ups_are_refused_and_nothing_changes(agent, client_, changes, message):
    # given
    arguments = {"kind": "call", "summary": "电话", **changes}
    # when
    with pytest.raises(ApplicationError, match=message):
        interaction_create(agent=agent, client=client_, **arguments)
    # then
    client_.refresh_from_db()
    assert not Interaction.objects.exists()
    assert client_.last_contact_at is None
    assert client_.next_follow_up_on == dt.date(2026, 3, 1)


def test_a_need_of_another_client_cannot_be_named(agent, client_):
    other = NeedFactory(client=ClientFactory(owner=agent))
    with pytest.raises(ApplicationError, match="该需求不属于此客户"):
        interaction_create(agent=agent, client=client_, kind="call", summary="x", need_id=other.pk)


def test_a_pool_client_is_claimed_before_follow_ups_are_recorded(agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company)
    with pytest.raises(PermissionDenied, match="请先认领该客户"):
        interaction_create(agent=agent, client=pool, kind="call", summary="打过电话")
    assert not Interaction.objects.exists()


def test_a_colleague_cannot_record_follow_ups_for_the_agents_client(colleague, client_):
    with pytest.raises(PermissionDenied):
        interaction_create(agent=colleague, client=client_, kind="call", summary="打过电话")


def test_the_store_manager_may_record_one(manager, client_):
    interaction = interaction_create(agent=manager, client=client_, kind="note", summary="店长回访")
    assert interaction.agent == manager
