"""需求与跟进 pages: a need typed on a phone in 万元, status buttons, a follow-up in a few taps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.clients.models import Interaction
from anju.needs.models import Need
from tests.conftest import login
from tests.factories import (
    ClientFactory,
    CommunityFactory,
    DistrictFactory,
    InteractionFactory,
    NeedFactory,
    PropertyFactory,
)

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HTMX = {"HX-Request": "true"}


@pytest.fixture
def mine(agent):
    return ClientFactory(owner=agent, name="王先生")


def client_url(client) -> str:
    from anju.web.views.needs import client_page_url

    return client_page_url(client)


class TestNeedForm:
    def test_a_buyer_need_typed_in_wan_is_saved_in_yuan(self, web, agent, mine):
        # given
        district = DistrictFactory(name="洪山区")
        community = CommunityFactory(company=agent.company, name="万科城市花园")
        # when
        response = web.post(
            f"/clients/{mine.pk}/needs/new/",
            {
                "kind": "buy",
                "buy_budget_min": "250",
                "buy_budget_max": "320",
                "rooms_min": "3",
                "districts": [str(district.pk)],
                "communities": "万科城市花园",
                "school_required": "on",
                "school_level": "primary",
                "purpose": "own",
                "first_home": "true",
                "payment": "loan",
                "orientations": ["S", "SN"],
                # typed in the rent section before switching to 购房: not saved
                "rent_budget_max": "4500",
            },
        )
        # then
        need = Need.objects.get()
        assert response.status_code == 302
        assert response["Location"] == client_url(mine)
        assert (need.kind, need.budget_min, need.budget_max) == (
            "buy",
            Decimal("2500000"),
            Decimal("3200000"),
        )
        assert list(need.districts.all()) == [district]
        assert list(need.communities.all()) == [community]
        assert need.first_home is True
        assert need.orientations == ["S", "SN"]

    def test_a_buyers_cash_is_typed_in_wan_and_the_form_says_what_it_is_for(self, web, mine):
        # when
        page = web.get(f"/clients/{mine.pk}/needs/new/").content.decode()
        response = web.post(
            f"/clients/{mine.pk}/needs/new/",
            {
                "kind": "buy",
                "buy_down_payment_cash": "120",
                "monthly_income": "30000",
                "monthly_debts": "2000",
            },
        )
        # then
        assert "需求分析会按首套/二套的首付比例估算客户可承受的总价和月供" in page
        assert response.status_code == 302
        need = Need.objects.get()
        assert (need.down_payment_cash, need.monthly_income, need.monthly_debts) == (
            Decimal("1200000"),
            Decimal("30000"),
            Decimal("2000"),
        )
        assert 'value="120"' in web.get(f"/needs/{need.pk}/edit/").content.decode()

    def test_negative_debts_are_refused_on_the_form_and_nothing_is_saved(self, web, mine):
        page = web.post(
            f"/clients/{mine.pk}/needs/new/", {"kind": "buy", "monthly_debts": "-500"}
        ).content.decode()
        assert "每月其他还款不能为负数。" in page
        assert not Need.objects.exists()

    def test_the_page_offers_the_four_kinds_and_preselects_the_one_asked_for(self, web, mine):
        page = web.get(f"/clients/{mine.pk}/needs/new/?kind=rent").content.decode()
        for label in ["购房", "租房", "售房", "出租"]:
            assert label in page
        assert 'value="rent" autocomplete="off" checked' in page
        assert 'data-kinds="buy rent"' in page

    def test_a_unit_mistake_is_explained_on_the_form_and_nothing_is_saved(self, web, mine):
        page = web.post(
            f"/clients/{mine.pk}/needs/new/", {"kind": "rent", "rent_budget_max": "450000"}
        ).content.decode()
        assert "元/月过高，是否填成了总价或年租金？" in page
        assert not Need.objects.exists()

    def test_an_unknown_community_name_is_named_in_the_error(self, web, mine):
        page = web.post(
            f"/clients/{mine.pk}/needs/new/", {"kind": "buy", "communities": "不存在花园"}
        ).content.decode()
        assert "楼盘字典中没有这些小区：不存在花园。" in page
        assert not Need.objects.exists()

    def test_a_seller_picks_one_of_their_flats(self, web, agent, mine):
        flat = PropertyFactory(company=agent.company, owner=mine, community__name="保利花园")
        PropertyFactory(company=agent.company, owner=ClientFactory(owner=agent), community__name="别人家小区")
        page = web.get(f"/clients/{mine.pk}/needs/new/?kind=sell").content.decode()
        assert "保利花园" in page
        assert "别人家小区" not in page
        web.post(
            f"/clients/{mine.pk}/needs/new/",
            {"kind": "sell", "property": str(flat.pk), "sell_expected_price": "320", "reason": "换大房子"},
        )
        need = Need.objects.get()
        assert (need.property, need.expected_price, need.reason) == (flat, Decimal("3200000"), "换大房子")

    def test_a_seller_without_a_flat_is_told_to_register_it_first(self, web, mine):
        page = web.get(f"/clients/{mine.pk}/needs/new/?kind=sell").content.decode()
        assert "该客户名下还没有登记房屋" in page

    def test_editing_shows_money_in_wan_and_saves_changes(self, web, mine):
        # given
        need = NeedFactory(
            client=mine, budget_min=Decimal("2500000"), budget_max=Decimal("3200000"), rooms_min=3
        )
        # when
        page = web.get(f"/needs/{need.pk}/edit/").content.decode()
        web.post(
            f"/needs/{need.pk}/edit/", {"buy_budget_min": "250", "buy_budget_max": "350", "rooms_min": "2"}
        )
        # then
        assert 'value="320"' in page
        need.refresh_from_db()
        assert (need.budget_max, need.rooms_min) == (Decimal("3500000"), 2)
        assert need.kind == "buy"


class TestPermissions:
    def test_a_colleagues_client_is_403_on_every_page_and_action(self, web, colleague):
        theirs = ClientFactory(owner=colleague)
        need = NeedFactory(client=theirs)
        assert web.get(f"/clients/{theirs.pk}/needs/").status_code == 403
        assert web.get(f"/clients/{theirs.pk}/needs/new/").status_code == 403
        assert web.get(f"/clients/{theirs.pk}/timeline/").status_code == 403
        assert web.get(f"/needs/{need.pk}/edit/").status_code == 403
        assert web.post(f"/needs/{need.pk}/status/", {"status": "paused"}).status_code == 403
        assert (
            web.post(f"/clients/{theirs.pk}/interactions/", {"kind": "call", "summary": "x"}).status_code
            == 403
        )
        need.refresh_from_db()
        assert need.status == "active"
        assert not Interaction.objects.exists()

    def test_another_companys_client_is_404(self, web, stranger):
        theirs = ClientFactory(owner=stranger)
        need = NeedFactory(client=theirs)
        assert web.get(f"/clients/{theirs.pk}/needs/").status_code == 404
        assert web.get(f"/clients/{theirs.pk}/needs/new/").status_code == 404
        assert web.get(f"/needs/{need.pk}/edit/").status_code == 404
        assert web.post(f"/needs/{need.pk}/status/", {"status": "paused"}).status_code == 404
        assert (
            web.post(f"/clients/{theirs.pk}/interactions/", {"kind": "call", "summary": "x"}).status_code
            == 404
        )

    def test_a_pool_client_is_shown_without_buttons_and_must_be_claimed_to_change(self, web, agent):
        pool = ClientFactory(owner=None, store=None, company=agent.company)
        need = NeedFactory(client=pool, agent=agent)
        page = web.get(f"/clients/{pool.pk}/needs/").content.decode()
        assert "公客池中的客户，认领后才能录入需求和跟进。" in page
        assert f'action="/needs/{need.pk}/status/"' not in page
        assert 'id="interaction-form"' not in page
        refused = web.get(f"/clients/{pool.pk}/needs/new/")
        assert refused.status_code == 403
        assert "请先认领该客户" in refused.content.decode()
        assert (
            web.post(f"/clients/{pool.pk}/interactions/", {"kind": "call", "summary": "x"}).status_code == 403
        )

    def test_sign_in_is_required(self, mine):
        from django.test import Client as HttpClient

        response = HttpClient().get(f"/clients/{mine.pk}/needs/")
        assert response.status_code == 302
        assert "/login/" in response["Location"]


class TestStatusButtons:
    def test_pausing_by_htmx_returns_the_refreshed_needs(self, web, mine):
        need = NeedFactory(client=mine)
        response = web.post(f"/needs/{need.pk}/status/", {"status": "paused"}, headers=HTMX)
        part = response.content.decode()
        need.refresh_from_db()
        assert need.status == "paused"
        assert part.lstrip().startswith('<section id="client-needs"')
        assert "<html" not in part
        assert f'data-need="{need.pk}" data-status="paused"' in part
        assert ">恢复</button>" in part

    def test_an_illegal_change_is_explained_in_place(self, web, mine):
        need = NeedFactory(client=mine, status="fulfilled")
        part = web.post(f"/needs/{need.pk}/status/", {"status": "active"}, headers=HTMX).content.decode()
        assert "需求当前为“已成交”，不能改为“进行中”。" in part

    def test_without_htmx_the_change_redirects_back_to_the_client(self, web, mine):
        need = NeedFactory(client=mine)
        response = web.post(f"/needs/{need.pk}/status/", {"status": "given_up"})
        assert response.status_code == 302
        assert response["Location"] == client_url(mine)

    def test_status_changes_are_posted_only(self, web, mine):
        need = NeedFactory(client=mine)
        assert web.get(f"/needs/{need.pk}/status/?status=paused").status_code == 405


class TestFollowUps:
    @time_machine.travel(NOW, tick=False)
    def test_saving_by_htmx_returns_the_timeline_and_an_empty_form(self, web, mine):
        response = web.post(
            f"/clients/{mine.pk}/interactions/",
            {"kind": "wechat", "summary": "发了三套房源", "next_follow_up_on": "2026-03-05"},
            headers=HTMX,
        )
        part = response.content.decode()
        mine.refresh_from_db()
        assert mine.next_follow_up_on == dt.date(2026, 3, 5)
        assert part.lstrip().startswith('<section id="client-timeline"')
        assert "发了三套房源（下次跟进：2026年3月5日）" in part
        assert "2026年3月5日（3天后）" in part
        assert 'id="interaction-form"' in part
        assert 'hx-swap-oob="true"' in part
        assert "发了三套房源</textarea>" not in part

    @time_machine.travel(NOW, tick=False)
    def test_an_invalid_follow_up_comes_back_as_the_form_with_its_error(self, web, mine):
        response = web.post(
            f"/clients/{mine.pk}/interactions/",
            {"kind": "call", "summary": "打过电话", "next_follow_up_on": "2026-02-01"},
            headers=HTMX,
        )
        part = response.content.decode()
        assert response["HX-Retarget"] == "#interaction-form"
        assert "下次跟进日期不能早于今天。" in part
        assert "打过电话</textarea>" in part
        assert not Interaction.objects.exists()

    @time_machine.travel(NOW, tick=False)
    def test_the_form_offers_quick_dates(self, web, mine):
        page = web.get(f"/clients/{mine.pk}/needs/").content.decode()
        assert 'data-date="2026-03-03"' in page and ">明天</button>" in page
        assert 'data-date="2026-03-05"' in page and ">3天后</button>" in page
        assert 'data-date="2026-03-09"' in page and ">1周后</button>" in page

    @time_machine.travel(NOW, tick=False)
    def test_a_quick_note_keeps_the_next_follow_up_and_the_checkbox_clears_it(self, web, mine):
        # given
        mine.next_follow_up_on = dt.date(2026, 3, 6)
        mine.save()
        # when: a note without a date
        web.post(f"/clients/{mine.pk}/interactions/", {"kind": "call", "summary": "打过电话"}, headers=HTMX)
        mine.refresh_from_db()
        kept = mine.next_follow_up_on
        # and: one with 不再安排跟进 ticked
        web.post(
            f"/clients/{mine.pk}/interactions/",
            {"kind": "call", "summary": "不买了", "clear_next_follow_up": "on"},
            headers=HTMX,
        )
        mine.refresh_from_db()
        # then
        assert kept == dt.date(2026, 3, 6)
        assert mine.next_follow_up_on is None
        assert Interaction.objects.count() == 2

    def test_without_htmx_saving_redirects_back_to_the_client(self, web, mine):
        response = web.post(f"/clients/{mine.pk}/interactions/", {"kind": "call", "summary": "打过电话"})
        assert response.status_code == 302
        assert Interaction.objects.get().summary == "打过电话"

    def test_the_timeline_grows_by_a_page_when_asked(self, web, agent, mine):
        InteractionFactory.create_batch(55, client=mine, agent=agent)
        page = web.get(f"/clients/{mine.pk}/needs/").content.decode()
        more = web.get(f"/clients/{mine.pk}/timeline/?limit=100", headers=HTMX).content.decode()
        assert page.count('data-kind="interaction"') == 50
        assert f'hx-get="/clients/{mine.pk}/timeline/?limit=100"' in page
        assert more.count('data-kind="interaction"') == 55
        assert "更早的记录" not in more


def test_the_client_needs_page_pins_its_query_count(web, agent, mine):
    NeedFactory.create_batch(2, client=mine)
    InteractionFactory.create_batch(2, client=mine, agent=agent)
    with CaptureQueriesContext(connection) as few:
        web.get(f"/clients/{mine.pk}/needs/")
    NeedFactory.create_batch(8, client=mine)
    InteractionFactory.create_batch(8, client=mine, agent=agent)
    with CaptureQueriesContext(connection) as many:
        web.get(f"/clients/{mine.pk}/needs/")
    assert len(many) == len(few)


def test_a_manager_sees_the_stores_client_and_may_act(agent, manager, mine):
    need = NeedFactory(client=mine)
    page = login(manager).get(f"/clients/{mine.pk}/needs/").content.decode()
    assert f'action="/needs/{need.pk}/status/"' in page
    assert 'id="interaction-form"' in page
