"""Closing: 400 naming what is open, no other path closes it, and closing schedules visits and
adds the price to the market's deal figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from anju.core.errors import ApplicationError
from anju.deals.escrow import escrow_record
from anju.deals.models import DealStage
from anju.deals.services import deal_move
from anju.market.models import MarketMonth
from anju.org.services import token_create
from anju.processing.models import Visit
from anju.processing.services import handover_item_done, handover_item_waive, handover_keys, milestone_done


@pytest.fixture
def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def finish_everything(deal, agent, manager):
    for milestone in deal.plan.milestones.order_by("position"):
        milestone_done(milestone=milestone, by=agent)
    items = list(deal.handover_items.order_by("position"))
    for item in items[:-1]:
        handover_item_done(
            item=item, reading="123", amount_settled="56.70", account_transferred=True, by=agent
        )
    handover_item_waive(item=items[-1], reason="未开通宽带", by=manager)
    handover_keys(
        deal=deal,
        keys_count=3,
        key_kinds="入户门、单元门、信箱",
        buyer_confirmed=True,
        seller_confirmed=True,
        by=agent,
    )


def test_close_names_what_is_open_in_chinese(api, deal, agent):
    # given a signed deal with money still held
    escrow_record(deal=deal, kind="deposit", amount="1000.00", on=dt.date(2026, 11, 20), by=agent)
    # when it is closed
    response = api.post(f"/api/v1/deals/{deal.pk}/close")
    # then 400 lists the milestones, the money and the handover items still open
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "deal_close_open"
    still_open = body["details"]["open"]
    assert "节点未完成：资料准备" in still_open
    assert "监管账户余额未结清：¥1,000.00" in still_open
    assert "交接未完成：燃气" in still_open
    assert "买卖双方尚未确认房屋与合同相符" in still_open
    # and the deal's own move to 已结案 is refused too
    with pytest.raises(ApplicationError, match="不能结案"):
        deal_move(deal=deal, to=DealStage.CLOSED, by=agent)
    deal.refresh_from_db()
    assert deal.stage == DealStage.CONTRACT


def test_an_agent_may_not_waive_a_handover_item_a_manager_may(deal, agent, manager):
    item = deal.handover_items.get(name="燃气")
    with pytest.raises(ApplicationError) as refused:
        handover_item_waive(item=item, reason="无燃气", by=agent)
    assert refused.value.code == "handover_waive_forbidden"
    assert handover_item_waive(item=item, reason="无燃气", by=manager).is_open is False


def test_closing_with_nothing_open_schedules_visits_and_records_the_price(
    api, deal, agent, manager, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
    # given the escrow in and out, every milestone done, the handover complete
    escrow_record(deal=deal, kind="deposit", amount="300000.00", on=dt.date(2026, 11, 20), by=agent)
    escrow_record(deal=deal, kind="release", amount="300000.00", on=dt.date(2026, 11, 20), by=agent)
    finish_everything(deal, agent, manager)
    # when it is closed
    response = api.post(f"/api/v1/deals/{deal.pk}/close")
    # then 200 and 已结案
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "closed"
    # and the owning agent has visits 7 and 30 days after the handover
    visits = Visit.objects.filter(deal=deal).order_by("days")
    assert [(v.days, v.due_on, v.agent_id) for v in visits] == [
        (7, dt.date(2026, 11, 27), agent.pk),
        (30, dt.date(2026, 12, 20), agent.pk),
    ]
    # and the price is a 成交 row of the community's month
    row = MarketMonth.objects.get(source="deal", scope="community", scope_id=deal.listing.community_id)
    assert (row.month, row.closed, row.price_sum) == (dt.date(2026, 11, 1), 1, deal.price)
    assert MarketMonth.objects.filter(source="deal", scope="city").count() == 1


def test_a_visit_records_satisfaction_and_tracks_the_remaining_problem(api, deal, agent, manager):
    # given a closed deal
    escrow_record(deal=deal, kind="deposit", amount="100.00", on=dt.date(2026, 11, 20), by=agent)
    escrow_record(deal=deal, kind="refund", amount="100.00", on=dt.date(2026, 11, 20), by=agent)
    finish_everything(deal, agent, manager)
    assert api.post(f"/api/v1/deals/{deal.pk}/close").status_code == 200
    visit = api.get(f"/api/v1/deals/{deal.pk}/visits").json()["items"][0]
    # when the 7-day visit is recorded with a problem
    url = f"/api/v1/deals/{deal.pk}/visits/{visit['id']}"
    body = {"satisfaction": 4, "remarks": "满意", "problem": "卫生间漏水"}
    recorded = api.post(url, body, content_type="application/json").json()
    # then the problem stays open until solved
    assert (recorded["done"], recorded["satisfaction"], recorded["problem_solved"]) == (True, 4, False)
    assert api.post(f"{url}/solved").json()["problem_solved"] is True
    # and a visit is recorded once
    assert api.post(url, body, content_type="application/json").json()["code"] == "visit_already_done"
