"""Needs are checked as a whole before anything is written, and change status only by the transitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.needs.models import Need, NeedStatus
from anju.needs.services import TRANSITIONS, need_create, need_set_status, need_update
from tests.factories import (
    AgentFactory,
    BusinessAreaFactory,
    ClientFactory,
    CommunityFactory,
    CompanyFactory,
    DistrictFactory,
    NeedFactory,
    PropertyFactory,
)


@pytest.fixture
def buyer(agent):
    return ClientFactory(owner=agent, name="王先生")


def test_a_buyers_need_is_recorded_with_its_places(agent, buyer):
    # given
    district = DistrictFactory(name="洪山区")
    area = BusinessAreaFactory(district=district, name="光谷")
    community = CommunityFactory(company=agent.company, business_area=area, name="万科城市花园")
    # when
    need = need_create(
        agent=agent,
        client=buyer,
        kind="buy",
        fields={
            "budget_min": Decimal("2500000"),
            "budget_max": Decimal("3200000"),
            "rooms_min": 3,
            "district_ids": [district.pk],
            "business_area_ids": [area.pk],
            "community_ids": [community.pk, community.pk],
            "school_level": "primary",
            "orientations": ["S", "SN", "S"],
            "purpose": "own",
            "first_home": True,
            "payment": "loan",
        },
    )
    # then
    need.refresh_from_db()
    assert need.status == NeedStatus.ACTIVE
    assert need.agent == agent
    assert need.company == agent.company
    assert need.budget_max == Decimal("3200000.00")
    assert list(need.districts.all()) == [district]
    assert list(need.communities.all()) == [community]
    assert need.school_required is True  # a school level implies a school is needed
    assert need.orientations == ["S", "SN"]


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (
            "buy",
            {"budget_min": Decimal("3200000"), "budget_max": Decimal("2500000")},
            "预算下限不能高于预算上限",
        ),
        ("buy", {"budget_max": Decimal("320")}, "是否按万元填写了？例如 320万 应填 3200000"),
        ("buy", {"budget_max": Decimal("0")}, "预算上限必须大于0"),
        ("rent", {"budget_max": Decimal("3200000")}, "按每月租金（元）填写：3,200,000元/月过高"),
        ("rent", {"budget_max": Decimal("0.45")}, "元/月过低"),
        ("buy", {"area_min": Decimal("120"), "area_max": Decimal("90")}, "面积下限不能大于面积上限"),
        ("buy", {"rooms_min": 4, "rooms_max": 2}, "最少几室不能大于最多几室"),
        ("buy", {"rooms_min": 40}, "最少几室应在 0 到 20 之间"),
        ("buy", {"floor_min": 10, "floor_max": 3}, "最低楼层不能高于最高楼层"),
        ("buy", {"build_year_min": 1200}, "最早建成年份应在 1900"),
        ("buy", {"orientations": ["SOUTH"]}, "朝向“SOUTH”不正确"),
        ("buy", {"district_ids": [999999]}, "没有找到这些区县：999999"),
        ("buy", {"business_area_ids": [999999]}, "没有找到这些板块：999999"),
        ("buy", {"school_level": "university"}, "学段只能是"),
        ("buy", {"purpose": "flip"}, "用途只能是自住或投资"),
        ("buy", {"move_in_on": dt.date(2027, 1, 1)}, "“购房”需求不填写这些内容：入住日期"),
        ("rent", {"payment": "loan"}, "“租房”需求不填写这些内容：付款方式"),
        ("rent", {"lease_months": 0}, "租期（月）应在 1 到 120 之间"),
        ("sell", {}, "“售房”需求必须选择客户的房屋"),
        ("sell", {"property_id": 999999}, "没有找到该房屋"),
        ("let", {"property_id": 1, "budget_max": Decimal("5000")}, "“出租”需求不填写这些内容：预算上限"),
        ("sideline", {}, "需求类型只能是"),
        ("buy", {"down_payment_cash": Decimal("-1")}, "可用于首付的资金不能为负数"),
        ("buy", {"monthly_income": Decimal("-20000")}, "家庭月收入不能为负数"),
        ("buy", {"monthly_debts": Decimal("-0.01")}, "每月其他还款不能为负数"),
        ("buy", {"down_payment_cash": Decimal("80")}, "是否按万元填写了？例如 80万 应填 800000"),
        ("buy", {"monthly_income": Decimal("2")}, "家庭月收入按每月金额（元）填写：2元/月过低"),
        ("buy", {"monthly_income": "两万"}, "家庭月收入不是有效的数字"),
        ("rent", {"monthly_income": Decimal("20000")}, "“租房”需求不填写这些内容：家庭月收入"),
        ("buy", {"must_haves": "南北\x01通透"}, "含有无法显示的控制字符"),
    ],
)
def test_bad_needs_are_refused_with_a_clear_message_and_nothing_is_saved(agent, buyer, kind, fields, message):
    # when
    with pytest.raises(ApplicationError) as refused:
        need_create(agent=agent, client=buyer, kind=kind, fields=fields)
    # then
    assert message in refused.value.message
    assert not Need.objects.exists()


def test_a_buyers_cash_income_and_debts_are_recorded_and_kept_in_the_history(agent, buyer):
    # when
    need = need_create(
        agent=agent,
        client=buyer,
        kind="buy",
        fields={
            "down_payment_cash": Decimal("1200000"),
            "monthly_income": Decimal("30000"),
            "monthly_debts": Decimal("0"),
        },
    )
    # then
    need.refresh_from_db()
    assert need.down_payment_cash == Decimal("1200000.00")
    assert need.monthly_income == Decimal("30000.00")
    assert need.monthly_debts == Decimal("0.00")  # no other loans is an answer, not a blank
    assert need.history.get().monthly_income == Decimal("30000.00")


def test_a_negative_income_in_an_update_is_refused_and_the_stored_one_kept(agent, buyer):
    # given
    need = NeedFactory(client=buyer, monthly_income=Decimal("30000"))
    # when
    with pytest.raises(ApplicationError) as refused:
        need_update(agent=agent, need=need, fields={"monthly_income": Decimal("-30000")})
    # then
    assert refused.value.message == "家庭月收入不能为负数。"
    need.refresh_from_db()
    assert need.monthly_income == Decimal("30000.00")
    assert need.history.count() == 1


def test_the_database_refuses_negative_means_written_around_the_services(buyer):
    # given
    need = NeedFactory(client=buyer)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(monthly_debts=Decimal("-1"))


def test_another_companys_community_is_not_found(agent, buyer, stranger):
    theirs = CommunityFactory(company=stranger.company)
    with pytest.raises(ApplicationError, match="没有找到这些小区"):
        need_create(agent=agent, client=buyer, kind="buy", fields={"community_ids": [theirs.pk]})


def test_a_seller_need_names_the_clients_own_flat_with_the_expected_price(agent, buyer):
    # given
    flat = PropertyFactory(company=agent.company, owner=buyer)
    # when
    need = need_create(
        agent=agent,
        client=buyer,
        kind="sell",
        fields={"property_id": flat.pk, "expected_price": Decimal("3200000"), "reason": "换房"},
    )
    # then
    assert need.property == flat
    assert need.expected_price == Decimal("3200000")


def test_a_flat_of_another_owner_or_company_cannot_be_sold_by_this_client(agent, buyer, stranger):
    someone_elses = PropertyFactory(company=agent.company, owner=ClientFactory(owner=agent))
    other_company = PropertyFactory(company=stranger.company)
    with pytest.raises(ApplicationError, match="业主是其他客户"):
        need_create(agent=agent, client=buyer, kind="sell", fields={"property_id": someone_elses.pk})
    with pytest.raises(ApplicationError, match="没有找到该房屋"):
        need_create(agent=agent, client=buyer, kind="sell", fields={"property_id": other_company.pk})


def test_the_same_flat_is_not_offered_twice_while_the_first_is_open(agent, buyer):
    flat = PropertyFactory(company=agent.company, owner=buyer)
    need_create(agent=agent, client=buyer, kind="let", fields={"property_id": flat.pk})
    with pytest.raises(ConflictError):
        need_create(agent=agent, client=buyer, kind="let", fields={"property_id": flat.pk})


class TestWhoMayWrite:
    def test_a_pool_client_must_be_claimed_first(self, agent):
        pool = ClientFactory(owner=None, store=None, company=agent.company)
        with pytest.raises(PermissionDenied, match="请先认领该客户"):
            need_create(agent=agent, client=pool, kind="buy", fields={})

    def test_a_colleagues_client_is_not_the_agents_to_change(self, agent, colleague):
        theirs = ClientFactory(owner=colleague)
        with pytest.raises(PermissionDenied):
            need_create(agent=agent, client=theirs, kind="buy", fields={})

    def test_the_store_manager_and_an_administrator_may(self, agent, manager, admin_agent):
        client = ClientFactory(owner=agent)
        assert need_create(agent=manager, client=client, kind="buy", fields={}).agent == manager
        assert need_create(agent=admin_agent, client=client, kind="rent", fields={}).agent == admin_agent

    def test_a_manager_of_another_store_may_not(self, agent, other_store):
        elsewhere = AgentFactory(store=other_store, company=other_store.company, role="manager")
        with pytest.raises(PermissionDenied):
            need_create(agent=elsewhere, client=ClientFactory(owner=agent), kind="buy", fields={})

    def test_an_administrator_of_another_company_may_not(self, agent):
        other = CompanyFactory()
        outsider = AgentFactory(store=None, company=other, role="admin")
        with pytest.raises(PermissionDenied):
            need_create(agent=outsider, client=ClientFactory(owner=agent), kind="buy", fields={})


def test_update_changes_only_the_given_fields_and_checks_the_result_as_a_whole(agent, buyer):
    # given
    need = NeedFactory(client=buyer, budget_min=Decimal("2500000"), budget_max=Decimal("3200000"))
    district = DistrictFactory()
    # when
    need_update(
        agent=agent, need=need, fields={"budget_max": Decimal("3500000"), "district_ids": [district.pk]}
    )
    # then
    need.refresh_from_db()
    assert (need.budget_min, need.budget_max) == (Decimal("2500000"), Decimal("3500000"))
    assert list(need.districts.all()) == [district]
    # and a change that breaks the range against the stored minimum is refused
    with pytest.raises(ApplicationError, match="预算下限不能高于预算上限"):
        need_update(agent=agent, need=need, fields={"budget_max": Decimal("2000000")})
    need.refresh_from_db()
    assert need.budget_max == Decimal("3500000")


def test_a_needs_kind_does_not_change_and_a_fulfilled_need_is_closed(agent, buyer):
    need = NeedFactory(client=buyer)
    with pytest.raises(ApplicationError, match="需求类型不能修改"):
        need_update(agent=agent, need=need, fields={"kind": "rent"})
    need_set_status(agent=agent, need=need, status="fulfilled")
    with pytest.raises(ApplicationError, match="已成交的需求不能再修改"):
        need_update(agent=agent, need=need, fields={"rooms_min": 2})


ALL_STATUSES = [s.value for s in NeedStatus]


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (current, target, target in TRANSITIONS[current])
        for current in ALL_STATUSES
        for target in ALL_STATUSES
    ],
)
def test_status_changes_follow_the_transition_table(agent, buyer, current, target, allowed):
    # given
    need = NeedFactory(client=buyer, status=current)
    # when / then
    if allowed:
        need_set_status(agent=agent, need=need, status=target)
        need.refresh_from_db()
        assert need.status == target
    else:
        with pytest.raises(IllegalTransition):
            need_set_status(agent=agent, need=need, status=target)
        need.refresh_from_db()
        assert need.status == current


def test_the_table_says_what_agents_expect():
    assert set(TRANSITIONS["active"]) == {"paused", "fulfilled", "given_up"}
    assert set(TRANSITIONS["paused"]) == {"active", "fulfilled", "given_up"}
    assert TRANSITIONS["given_up"] == ("active",)  # reopen
    assert TRANSITIONS["fulfilled"] == ()  # final


def test_a_status_change_keeps_who_and_why_in_the_history(agent, buyer):
    need = NeedFactory(client=buyer)
    need_set_status(agent=agent, need=need, status="given_up", reason="已在别处成交")
    latest = need.history.latest()
    assert latest.status == "given_up"
    assert latest.history_user == agent.user
    assert latest.history_change_reason == "已在别处成交"


def test_an_unknown_status_is_refused(agent, buyer):
    need = NeedFactory(client=buyer)
    with pytest.raises(ApplicationError, match="需求状态不正确"):
        need_set_status(agent=agent, need=need, status="won")


def test_a_pool_clients_need_cannot_change_status(agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company)
    need = NeedFactory(client=pool, agent=agent)
    with pytest.raises(PermissionDenied, match="请先认领该客户"):
        need_set_status(agent=agent, need=need, status="paused")
