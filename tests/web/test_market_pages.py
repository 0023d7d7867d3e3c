"""行情 pages: the overview with its charts' data, the htmx filters, a district, the client summary."""

from __future__ import annotations

import json

import pytest

from tests.conftest import login
from tests.market.conftest import TODAY, build_market


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="market-data" type="application/json">') + len(
        '<script id="market-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


@pytest.fixture
def market(agent, time_machine):
    time_machine.move_to(TODAY, tick=False)
    return build_market(agent)


@pytest.mark.django_db
def test_the_overview_carries_the_charts_data(agent, market, django_assert_max_num_queries):
    # given
    client = login(agent)
    # when: a handful of queries, however many listings the company has
    with django_assert_max_num_queries(16):
        response = client.get("/market/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="districts"' in html and 'data-chart="price"' in html
    assert "数据更新于 2026年11月29日" in html
    data = chart_data(response)
    assert data["districts"]["names"] == ["洪山区", "江岸区"]  # dearest first
    assert data["districts"]["unit_price"] == [25000.0, 15000.0]
    # the running month is labelled as counted to today, and its bars are drawn faded
    assert data["city"]["months"][-2:] == ["2026年10月", "2026年11月（至29日）"]
    assert data["city"]["partial"] == len(data["city"]["months"]) - 1
    assert "（至29日）" in html  # beside 本月新增 and 本月降价
    assert data["city"]["inventory"][-1] == 3
    assert data["chosen"] is None


@pytest.mark.django_db
def test_the_filter_swaps_in_a_district_and_ignores_a_business_area_outside_it(agent, market):
    # when: htmx asks for 洪山区 with the 板块 of another district still in the query
    response = login(agent).get(
        "/market/",
        {
            "kind": "sale",
            "district": market.guanggu.district_id,
            "business_area": market.houhu.business_area_id,
        },
        headers={"HX-Request": "true"},
    )
    # then: only the figures part, for 洪山区 and its own 板块 list
    html = response.content.decode()
    assert response.status_code == 200
    assert "<nav" not in html and 'id="figures"' in html
    data = chart_data(response)
    assert data["chosen_name"] == "洪山区"
    assert data["chosen"]["inventory"][-1] == 2
    assert ">光谷</option>" in html and "后湖</option>" not in html


@pytest.mark.django_db
def test_rent_figures_are_their_own(agent, market):
    data = chart_data(login(agent).get("/market/", {"kind": "rent", "community": "abc"}))
    assert data["unit"] == "元/㎡/月"
    assert data["city"]["unit_price"][-1] == 60.0


@pytest.mark.django_db
def test_a_company_without_listings_sees_an_empty_state(stranger, market):
    response = login(stranger).get("/market/")
    assert response.status_code == 200
    assert 'data-testid="market-empty"' in response.content.decode()
    assert chart_data(response)["districts"]["names"] == []


@pytest.mark.django_db
def test_the_district_page_compares_its_business_areas(agent, market):
    response = login(agent).get(f"/market/districts/{market.guanggu.district_id}/")
    assert response.status_code == 200
    assert "洪山区行情" in response.content.decode()
    data = chart_data(response)
    assert data["districts"]["names"] == ["光谷"]
    assert data["chosen"]["new_listings"][-1] == 1
    assert login(agent).get("/market/districts/999999/").status_code == 404


@pytest.mark.django_db
def test_the_client_summary_is_one_printable_page_without_agent_data(agent, market):
    # when
    response = login(agent).get(f"/market/districts/{market.guanggu.district_id}/summary/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "安居地产" in html and "洪山区二手房挂牌行情" in html
    assert "2026年11月29日" in html
    assert "¥25,000.00" in html and "250万" in html
    assert "@media print" in html and 'data-print="1"' in html
    assert agent.name not in html.split('data-testid="market-summary"')[1]  # no agent on the page itself
    assert chart_data(response)["chosen"]["unit_price"][-1] == 25000.0
