"""报表 pages: the charts' data and the numbers under them, each number opening a list of exactly
that many records, the .xlsx with the same numbers, pinned query counts, and who sees what."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.reports.world import FUNNEL, NOVEMBER, build_world
from tests.showings.conftest import located_store  # noqa: F401  (a store with coordinates)

pytestmark = pytest.mark.django_db
PERIOD = {"from": NOVEMBER[0].isoformat(), "to": NOVEMBER[1].isoformat()}


@pytest.fixture
def world(agent, colleague, manager, other_store, located_store, time_machine):  # noqa: F811
    return build_world(
        agent=agent, colleague=colleague, manager=manager, other_store=other_store, time_machine=time_machine
    )


def chart_data(html: str) -> dict:
    start = html.index('<script id="report-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def figure_links(html: str) -> dict[str, str]:
    return {
        key: href.replace("&amp;", "&")
        for href, key in re.findall(r'<a class="card[^"]*" href="([^"]+)" data-figure="([^"]+)"', html)
    }


def list_rows(html: str) -> int:
    if 'data-testid="report-list"' not in html:
        return 0
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.count("<tr>")


def test_the_funnel_page_draws_the_stages_and_each_number_opens_its_list(
    world, manager, django_assert_num_queries
):
    # given
    web = login(manager)
    # when: the page's queries do not grow with the data (one per stage, one for the agents' names)
    with django_assert_num_queries(13):
        response = web.get("/reports/", PERIOD)
    # then the chart has the six stages, counted as by hand
    html = response.content.decode()
    assert response.status_code == 200
    data = chart_data(html)
    assert data["labels"] == ["新增客户", "需求", "带看", "报价", "签约", "结案"]
    assert data["values"] == list(FUNNEL["manager"].values())
    # and each number under it opens a list with as many rows
    links = figure_links(html)
    assert set(links) == set(FUNNEL["manager"])
    for key, count in FUNNEL["manager"].items():
        page = web.get(links[key]).content.decode()
        assert list_rows(page) == count, key
        assert f'data-testid="list-total">{count}<' in page


@pytest.mark.parametrize(
    "report", ["discipline", "efficiency", "commission", "complaints", "referrals", "tiers"]
)
def test_every_report_s_figures_open_lists_that_agree(world, manager, report):
    web = login(manager)
    html = web.get(f"/reports/{report}/", PERIOD).content.decode()
    links = figure_links(html)
    assert links
    for key, url in links.items():
        page = web.get(url).content.decode()
        total = int(re.search(r'data-testid="list-total">(\d+)<', page).group(1))
        assert list_rows(page) == total, key
    if report == "commission":
        assert "¥100,000.00" in html and "¥35,000.00" in html  # the total and 成交's 35%
        closing = web.get(links["role_closing"]).content.decode()
        assert list_rows(closing) == 2  # one 成交 part per signed deal


def test_the_list_page_pins_its_queries(world, manager, django_assert_num_queries):
    web = login(manager)
    with django_assert_num_queries(7):
        response = web.get("/reports/lists/clients/", PERIOD)
    assert list_rows(response.content.decode()) == 3


def test_the_export_opens_with_the_same_numbers(world, manager):
    # when
    response = login(manager).get("/reports/funnel/export.xlsx", PERIOD)
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    summary = list(book["汇总"].iter_rows(min_row=3, values_only=True))
    assert {row[0]: row[1] for row in summary} == dict(
        zip(["新增客户", "需求", "带看", "报价", "签约", "结案"], FUNNEL["manager"].values(), strict=True)
    )
    # and each list sheet holds as many rows as its figure (under the header)
    assert len(list(book["新增客户"].iter_rows(min_row=2))) == FUNNEL["manager"]["clients"]
    assert len(list(book["签约"].iter_rows(min_row=2))) == FUNNEL["manager"]["deals"]


def test_an_agent_sees_their_own_figures_and_cannot_open_a_colleague_s(world, agent, colleague):
    web = login(agent)
    data = chart_data(web.get("/reports/", PERIOD).content.decode())
    assert data["values"] == list(FUNNEL["agent"].values())
    refused = web.get("/reports/lists/clients/", {**PERIOD, "agent": colleague.pk})
    assert refused.status_code == 403


def test_an_administrator_sees_the_company_and_another_company_sees_nothing_of_it(
    world, admin_agent, stranger, store
):
    data = chart_data(login(admin_agent).get("/reports/", PERIOD).content.decode())
    assert data["values"] == list(FUNNEL["admin"].values())
    assert login(stranger).get("/reports/", {**PERIOD, "store": store.pk}).status_code == 404


def test_a_period_that_ends_before_it_starts_is_explained(world, manager):
    html = login(manager).get("/reports/", {"from": "2026-11-30", "to": "2026-11-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in html


def test_the_funnel_api_answers_stages(world, manager):
    response = login(manager).get("/api/v1/reports/funnel", PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["from"] == "2026-11-01" and body["to"] == "2026-11-30"
    assert [(s["key"], s["count"]) for s in body["stages"]] == list(FUNNEL["manager"].items())
    assert body["stages"][0]["label"] == "新增客户"


@pytest.mark.parametrize(
    ("report", "queries"),
    [
        ("discipline", 9),
        ("efficiency", 9),
        ("commission", 9),
        ("complaints", 11),
        ("referrals", 9),
        ("tiers", 9),
    ],
)
def test_every_report_page_pins_its_queries(world, manager, report, queries, django_assert_num_queries):
    # one aggregate query per figure group and one for the agents' names, whatever the data
    web = login(manager)
    with django_assert_num_queries(queries):
        assert web.get(f"/reports/{report}/", PERIOD).status_code == 200
