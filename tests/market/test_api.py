"""/api/v1/market: monthly series, places compared in a month, a district's summary — each company its own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from anju.org.services import token_create
from tests.market.conftest import TODAY, build_market


def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def market(agent, time_machine):
    time_machine.move_to(TODAY, tick=False)
    return build_market(agent)


@pytest.mark.django_db
def test_a_district_series_runs_month_by_month_to_this_month(agent, market):
    # when
    response = api(agent).get(
        "/api/v1/market/series",
        {"scope": "district", "id": market.guanggu.district_id, "kind": "sale", "months": 3},
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["place"] == {"scope": "district", "id": market.guanggu.district_id, "name": "洪山区"}
    months = body["months"]
    assert [m["month"] for m in months] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    assert [m["inventory"] for m in months] == [1, 1, 2]
    assert [m["new_listings"] for m in months] == [1, 0, 1]
    # the running month says it is counted only to today; finished months say nothing
    assert [m["through"] for m in months] == [None, None, "2026-11-29"]
    assert Decimal(months[-1]["unit_price"]) == Decimal("25000.00")
    assert Decimal(months[-1]["average_price"]) == Decimal("2500000.00")


@pytest.mark.django_db
def test_the_city_series_needs_no_id(agent, market):
    response = api(agent).get("/api/v1/market/series", {"kind": "rent", "months": 1})
    assert response.status_code == 200
    assert response.json()["months"][0]["inventory"] == 1
    assert Decimal(response.json()["months"][0]["unit_price"]) == Decimal("60.00")


@pytest.mark.django_db
def test_places_compare_the_districts_and_page_by_id(agent, market):
    # when
    first = api(agent).get("/api/v1/market/places", {"scope": "district", "limit": 1}).json()
    second = (
        api(agent)
        .get("/api/v1/market/places", {"scope": "district", "limit": 1, "after": first["next_after"]})
        .json()
    )
    # then
    assert first["month"] == "2026-11-01"
    names = [first["items"][0]["place"]["name"], second["items"][0]["place"]["name"]]
    assert sorted(names) == ["江岸区", "洪山区"]
    assert second["next_after"] is None


@pytest.mark.django_db
def test_places_within_a_district_and_a_past_month(agent, market):
    response = api(agent).get(
        "/api/v1/market/places",
        {
            "scope": "community",
            "within_scope": "district",
            "within_id": market.houhu.district_id,
            "month": "2026-10",
        },
    )
    assert response.status_code == 200
    assert [i["place"]["name"] for i in response.json()["items"]] == ["后湖小区"]
    assert response.json()["items"][0]["figures"]["new_listings"] == 1


@pytest.mark.django_db
def test_the_summary_of_a_district(agent, market):
    # when
    body = api(agent).get("/api/v1/market/summary", {"district": market.guanggu.district_id}).json()
    # then
    assert body["place"]["name"] == "洪山区"
    assert body["now"]["inventory"] == 2
    assert body["city"]["inventory"] == 3
    assert len(body["months"]) == 13
    assert body["business_areas"][0]["place"]["name"] == "光谷"
    assert body["refreshed_at"] is not None


@pytest.mark.django_db
def test_another_company_sees_none_of_it(agent, stranger, market):
    # when: the stranger asks about the same district and the agent's community
    district = api(stranger).get(
        "/api/v1/market/series", {"scope": "district", "id": market.guanggu.district_id}
    )
    community = api(stranger).get("/api/v1/market/series", {"scope": "community", "id": market.guanggu.pk})
    # then: the shared district exists but holds none of the agent's figures; the community is not found
    assert district.status_code == 200
    assert all(m["inventory"] == 0 for m in district.json()["months"])
    assert community.status_code == 404


@pytest.mark.django_db
def test_bad_input_gets_a_clear_answer(agent, market):
    client = api(agent)
    assert client.get("/api/v1/market/series", {"months": 99}).status_code == 422
    assert client.get("/api/v1/market/places", {"month": "0000-01"}).status_code == 422
    missing = client.get("/api/v1/market/places", {"within_scope": "district"})
    assert missing.status_code == 400
    assert "within_id" in missing.json()["message"]
    assert client.get("/api/v1/market/summary", {"district": 2**40}).status_code == 404
