"""/api/v1/needs: the needs of the clients one may see; changing them only for clients one may change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.needs.models import Need
from anju.org.services import token_create
from tests.factories import ClientFactory, DistrictFactory, NeedFactory, PropertyFactory


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(agent):
    return as_token(agent)


@pytest.fixture
def mine(agent):
    return ClientFactory(owner=agent, name="王先生")


def test_anonymous_requests_are_refused(db):
    assert HttpClient().get("/api/v1/needs").status_code == 401


def test_the_list_has_the_needs_of_clients_the_agent_sees_newest_first(api, agent, colleague, stranger, mine):
    # given
    older = NeedFactory(client=mine)
    newer = NeedFactory(client=mine, kind="rent", budget_min=None, budget_max=Decimal("4500"))
    pool_need = NeedFactory(client=ClientFactory(owner=None, store=None, company=agent.company), agent=agent)
    NeedFactory(client=ClientFactory(owner=colleague))
    NeedFactory(client=ClientFactory(owner=stranger))
    # when
    body = api.get("/api/v1/needs").json()
    # then
    assert [n["id"] for n in body["items"]] == [pool_need.pk, newer.pk, older.pk]
    assert body["items"][1]["summary"] == "租房 · 4,500元/月以内 · 3室及以上"
    assert body["items"][1]["kind_label"] == "租房"
    assert body["items"][2]["allowed_statuses"] == ["paused", "fulfilled", "given_up"]


def test_the_list_filters_by_kind_status_and_client_and_pages_by_cursor(api, agent, mine):
    # given
    other = ClientFactory(owner=agent)
    buys = NeedFactory.create_batch(3, client=mine)
    NeedFactory(client=mine, kind="rent", budget_min=None, budget_max=Decimal("4500"))
    NeedFactory(client=mine, status="paused")
    NeedFactory(client=other)
    # when
    first = api.get(f"/api/v1/needs?kind=buy&status=active&client={mine.pk}&limit=2").json()
    rest = api.get(
        f"/api/v1/needs?kind=buy&status=active&client={mine.pk}&limit=2&cursor={first['next_cursor']}"
    ).json()
    # then
    assert [n["id"] for n in first["items"] + rest["items"]] == [n.pk for n in reversed(buys)]
    assert rest["next_cursor"] is None


def test_a_bad_filter_value_is_a_422(api):
    assert api.get("/api/v1/needs?kind=villa").status_code == 422


def test_creating_a_need_returns_it_with_its_summary(api, mine):
    # given
    district = DistrictFactory(name="洪山区")
    # when
    response = api.post(
        "/api/v1/needs",
        {
            "client_id": mine.pk,
            "kind": "buy",
            "budget_min": "2500000",
            "budget_max": "3200000",
            "rooms_min": 3,
            "rooms_max": 3,
            "district_ids": [district.pk],
            "school_level": "primary",
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["summary"] == "购房 · 250–320万 · 3室 · 洪山区 · 学区(小学)"
    assert body["districts"] == [{"id": district.pk, "name": "洪山区"}]
    assert body["status"] == "active"


def test_a_unit_mistake_is_a_400_with_a_chinese_message(api, mine):
    response = api.post(
        "/api/v1/needs",
        {"client_id": mine.pk, "kind": "buy", "budget_max": "320"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "是否按万元填写了" in response.json()["message"]
    assert not Need.objects.exists()


def test_a_buyers_cash_income_and_debts_are_accepted_and_returned(api, mine):
    # when
    response = api.post(
        "/api/v1/needs",
        {
            "client_id": mine.pk,
            "kind": "buy",
            "down_payment_cash": "1200000",
            "monthly_income": "30000",
            "monthly_debts": "0",
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["down_payment_cash"], body["monthly_income"], body["monthly_debts"]) == (
        "1200000.00",
        "30000.00",
        "0.00",
    )


def test_a_negative_or_mistyped_income_changes_nothing(api, mine):
    # given
    need = NeedFactory(client=mine, monthly_income=Decimal("30000"))
    # when
    negative = api.patch(
        f"/api/v1/needs/{need.pk}", {"monthly_income": "-1"}, content_type="application/json"
    )
    in_wan = api.patch(f"/api/v1/needs/{need.pk}", {"monthly_income": "3"}, content_type="application/json")
    # then
    assert negative.status_code == 422
    assert in_wan.status_code == 400 and "是否按万元填写了" in in_wan.json()["message"]
    need.refresh_from_db()
    assert need.monthly_income == Decimal("30000")


def test_a_seller_need_by_api(api, agent, mine):
    flat = PropertyFactory(company=agent.company, owner=mine)
    response = api.post(
        "/api/v1/needs",
        {"client_id": mine.pk, "kind": "sell", "property_id": flat.pk, "expected_price": "3200000"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["property_id"] == flat.pk
    assert response.json()["summary"].endswith("心理价位320万")


def test_patch_changes_only_what_is_sent(api, mine):
    need = NeedFactory(client=mine, rooms_min=3, budget_max=Decimal("3200000"))
    response = api.patch(f"/api/v1/needs/{need.pk}", {"rooms_min": 2}, content_type="application/json")
    assert response.status_code == 200
    need.refresh_from_db()
    assert (need.rooms_min, need.budget_max) == (2, Decimal("3200000"))


def test_status_transitions_by_api_and_an_illegal_one_is_a_409(api, mine):
    need = NeedFactory(client=mine)
    done = api.post(
        f"/api/v1/needs/{need.pk}/status", {"status": "fulfilled"}, content_type="application/json"
    )
    again = api.post(f"/api/v1/needs/{need.pk}/status", {"status": "active"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status_label"] == "已成交"
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"
    assert again.json()["message"] == "需求当前为“已成交”，不能改为“进行中”。"


class TestPermissions:
    def test_a_colleagues_private_clients_need_is_403_by_id(self, api, colleague):
        theirs = NeedFactory(client=ClientFactory(owner=colleague))
        for response in [
            api.get(f"/api/v1/needs/{theirs.pk}"),
            api.patch(f"/api/v1/needs/{theirs.pk}", {"rooms_min": 1}, content_type="application/json"),
            api.post(
                f"/api/v1/needs/{theirs.pk}/status", {"status": "paused"}, content_type="application/json"
            ),
        ]:
            assert response.status_code == 403
        assert (
            api.post(
                "/api/v1/needs",
                {"client_id": theirs.client_id, "kind": "buy"},
                content_type="application/json",
            ).status_code
            == 403
        )
        theirs.refresh_from_db()
        assert (theirs.rooms_min, theirs.status) == (3, "active")

    def test_another_companys_need_is_404(self, api, stranger, mine):
        own = NeedFactory(client=mine)
        theirs = NeedFactory(client=ClientFactory(owner=stranger))
        assert api.get(f"/api/v1/needs/{theirs.pk}").status_code == 404
        assert api.patch(f"/api/v1/needs/{theirs.pk}", {}, content_type="application/json").status_code == 404
        assert (
            api.post(
                f"/api/v1/needs/{theirs.pk}/status", {"status": "paused"}, content_type="application/json"
            ).status_code
            == 404
        )
        assert (
            api.post(
                "/api/v1/needs",
                {"client_id": theirs.client_id, "kind": "buy"},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert [n["id"] for n in api.get(f"/api/v1/needs?client={mine.pk}").json()["items"]] == [own.pk]
        assert api.get(f"/api/v1/needs?client={theirs.client_id}").json()["items"] == []

    def test_a_pool_clients_need_is_readable_but_not_changeable(self, api, agent):
        pool = ClientFactory(owner=None, store=None, company=agent.company)
        need = NeedFactory(client=pool, agent=agent)
        assert api.get(f"/api/v1/needs/{need.pk}").status_code == 200
        refused = api.post(
            f"/api/v1/needs/{need.pk}/status", {"status": "paused"}, content_type="application/json"
        )
        assert refused.status_code == 403
        assert "请先认领该客户" in refused.json()["message"]
        created = api.post(
            "/api/v1/needs", {"client_id": pool.pk, "kind": "buy"}, content_type="application/json"
        )
        assert created.status_code == 403
        assert Need.objects.count() == 1

    def test_a_manager_reads_and_changes_the_stores_clients_needs(self, manager, agent):
        need = NeedFactory(client=ClientFactory(owner=agent))
        api = as_token(manager)
        assert api.get(f"/api/v1/needs/{need.pk}").status_code == 200
        response = api.post(
            f"/api/v1/needs/{need.pk}/status", {"status": "paused"}, content_type="application/json"
        )
        assert response.status_code == 200


def test_the_list_costs_the_same_queries_however_many_needs(api, agent, mine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given
    district = DistrictFactory()
    flat = PropertyFactory(company=agent.company, owner=mine)
    NeedFactory(client=mine, districts=[district])
    NeedFactory(client=mine, kind="sell", property=flat, budget_min=None, budget_max=None, rooms_min=None)
    api.get("/api/v1/needs")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/needs")
    # when
    for _ in range(5):
        NeedFactory(client=ClientFactory(owner=agent), districts=[district])
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/v1/needs").json()
    # then
    assert len(body["items"]) == 7
    assert len(many) == len(few)
