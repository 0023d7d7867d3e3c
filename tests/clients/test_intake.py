"""Client intake: numbers normalised, duplicates refused with whose client it is, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from anju.clients.models import Client, OwnershipChange
from anju.clients.services import Birthday, ConsentInput, client_create, client_update, current_consents
from anju.core.errors import ApplicationError, ConflictError
from tests.factories import AgentFactory, ClientFactory


def test_agent_records_a_private_client_with_normalised_numbers(agent):
    # when
    client = client_create(
        agent=agent,
        name=" 王芳 ",
        mobile="+86 139-0000-1111",
        second_phone="027 8765 4321",
        id_number="11010519491231002x",
        source="referral",
        tags=["学区房", "首套"],
    )
    # then
    assert (client.name, client.mobile, client.second_phone) == ("王芳", "13900001111", "027-87654321")
    assert client.id_number == "11010519491231002X"
    assert (client.owner, client.store) == (agent, agent.store)
    assert sorted(t.name for t in client.tags.all()) == ["学区房", "首套"]
    assert OwnershipChange.objects.get(client=client).reason == "intake"


def test_a_landline_as_the_main_number_is_refused(agent):
    with pytest.raises(ApplicationError, match="座机请填在备用电话"):
        client_create(agent=agent, name="王芳", mobile="027-87654321")
    assert not Client.objects.exists()


def test_a_mobile_the_company_has_names_its_owner_and_creates_nothing(agent, colleague):
    ClientFactory(owner=colleague, name="老客户", mobile="13900001111")
    with pytest.raises(ConflictError) as error:
        client_create(agent=agent, name="王芳", mobile="139 0000 1111")
    assert error.value.message == "手机号 139****1111 已是李娜（光谷店）的客户，未重复创建。"
    assert "老客户" not in error.value.message  # a colleague's private client stays private
    assert Client.objects.count() == 1


def test_a_pool_duplicate_says_it_is_in_the_pool(agent):
    ClientFactory(owner=None, store=None, company=agent.company, name="池中人", mobile="13900001111")
    with pytest.raises(ConflictError, match="已是公客池的客户“池中人”"):
        client_create(agent=agent, name="王芳", mobile="13900001111")


def test_the_same_mobile_in_another_company_is_a_different_client(agent, stranger):
    ClientFactory(owner=stranger, mobile="13900001111")
    assert client_create(agent=agent, name="王芳", mobile="13900001111").company == agent.company


@time_machine.travel(dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC))
def test_birthdays_solar_or_lunar(agent):
    solar = client_create(
        agent=agent,
        name="甲",
        mobile="13900000001",
        birthday=Birthday(calendar="solar", solar=dt.date(1988, 5, 2)),
    )
    lunar = client_create(
        agent=agent,
        name="乙",
        mobile="13900000002",
        birthday=Birthday(calendar="lunar", lunar_month=6, lunar_day=30, lunar_leap=True),
    )
    assert (solar.birthday, solar.birth_year) == (dt.date(1988, 5, 2), 1988)
    assert (lunar.lunar_birth_month, lunar.lunar_birth_day, lunar.lunar_birth_leap) == (6, 30, True)
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        client_create(
            agent=agent,
            name="丙",
            mobile="13900000003",
            birthday=Birthday(calendar="solar", solar=dt.date(2027, 1, 1)),
        )
    with pytest.raises(ApplicationError, match="农历生日的月份"):
        client_create(
            agent=agent,
            name="丁",
            mobile="13900000004",
            birthday=Birthday(calendar="lunar", lunar_month=13, lunar_day=1),
        )
    assert Client.objects.count() == 2


def test_consent_history_is_kept_and_the_newest_holds(agent):
    client = client_create(
        agent=agent,
        name="王芳",
        mobile="13900001111",
        consents=[ConsentInput(channel="sms", granted=True, how="门店书面签字")],
    )
    from anju.clients.services import consent_record

    consent_record(client=client, by=agent, channel="sms", granted=False, how="电话要求不再发送")
    assert client.consents.count() == 2
    assert current_consents(client)["sms"].granted is False


def test_consent_needs_to_say_how(agent):
    with pytest.raises(ApplicationError, match="以什么方式"):
        client_create(
            agent=agent,
            name="王芳",
            mobile="13900001111",
            consents=[ConsentInput(channel="sms", granted=True, how=" ")],
        )
    assert not Client.objects.exists()


def test_changing_to_a_mobile_another_client_has_is_refused(agent):
    first = ClientFactory(owner=agent, mobile="13900001111")
    second = ClientFactory(owner=agent, mobile="13900002222")
    with pytest.raises(ConflictError):
        client_update(client=second, by=agent, mobile="13900001111")
    second.refresh_from_db()
    assert second.mobile == "13900002222"
    assert client_update(client=first, by=agent, mobile="13900001111").mobile == "13900001111"


def test_manager_may_assign_a_new_client_to_an_agent_of_the_store_but_an_agent_may_not(
    manager, agent, colleague
):
    assigned = client_create(agent=manager, name="甲", mobile="13900000001", owner=agent)
    assert assigned.owner == agent
    with pytest.raises(ApplicationError, match="您管理的经纪人"):
        client_create(agent=agent, name="乙", mobile="13900000002", owner=colleague)


def test_an_administrator_without_a_store_records_into_the_pool(admin_agent):
    client = client_create(agent=admin_agent, name="甲", mobile="13900000001")
    assert client.in_pool


def test_referrer_from_another_company_is_refused(agent, stranger):
    other = ClientFactory(owner=stranger)
    with pytest.raises(ApplicationError, match="介绍人"):
        client_create(agent=agent, name="甲", mobile="13900000001", referred_by=other)


def test_inactive_owner_cannot_receive_clients(manager, store):
    gone = AgentFactory(store=store, company=store.company, is_active=False)
    with pytest.raises(ApplicationError, match="归属经纪人无效"):
        client_create(agent=manager, name="甲", mobile="13900000001", owner=gone)
