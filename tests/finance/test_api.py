"""/api/v1/finance: the contract's field names, the check values over HTTP, and errors in Chinese."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.test import Client as HttpClient
from openpyxl import load_workbook

from anju.org.services import token_create
from tests.finance.test_rules import vat_rule

CONTRACT_ITEM_FIELDS = {"code", "name", "payer", "base", "rate", "amount", "rule"}
CONTRACT_RULE_FIELDS = {"id", "name", "source", "effective_from", "effective_to", "verified"}


@pytest.fixture
def api(agent, book) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def post(client: HttpClient, path: str, body: dict):
    return client.post(f"/api/v1/finance/{path}", body, content_type="application/json")


WORKED_EXAMPLE = {
    "city": "武汉",
    "district_type": "city",
    "price": "3000000",
    "area": "100",
    "buyer_home_count": 1,
    "seller_years_held": "1.5",
    "seller_only_home": False,
    "as_of": "2026-03-01",
}


def test_transaction_costs_answer_in_the_contracts_shape(api):
    # when
    response = post(api, "transaction-costs", WORKED_EXAMPLE)
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"items", "totals", "notes"}
    assert set(body["totals"]) >= {"buyer", "seller"}
    items = {item["code"]: item for item in body["items"]}
    assert list(items) == [
        "deed_tax",
        "vat",
        "vat_surcharges",
        "income_tax",
        "registration_fee",
        "commission",
    ]
    for item in body["items"]:
        assert set(item) >= CONTRACT_ITEM_FIELDS
        assert set(item["rule"]) >= CONTRACT_RULE_FIELDS
    assert {code: item["amount"] for code, item in items.items()} == {
        "deed_tax": "29126.21",
        "vat": "87378.64",
        "vat_surcharges": "5242.72",
        "income_tax": "29126.21",
        "registration_fee": "80.00",
        "commission": "60000.00",
    }
    assert (items["vat"]["base"], items["vat"]["rate"], items["vat"]["payer"]) == (
        "2912621.36",
        "0.03",
        "seller",
    )
    assert items["vat"]["rule"] | {"note": ""} == {
        "id": "vat.2026-01",
        "name": "个人销售住房增值税（未满2年按3%征收率）",
        "source": "财政部 税务总局公告2025年第17号（2025年12月30日）",
        "effective_from": "2026-01-01",
        "effective_to": None,
        "verified": True,
        "note": "",
    }
    assert body["totals"] == {"buyer": "89206.21", "seller": "121747.57", "total": "210953.78"}


def test_an_item_that_does_not_apply_is_there_with_zero_and_the_reason(api):
    body = post(api, "transaction-costs", {**WORKED_EXAMPLE, "seller_years_held": "3"}).json()
    vat = next(i for i in body["items"] if i["code"] == "vat")
    assert (vat["amount"], vat["reason"]) == ("0.00", "满二年，免征增值税")


def test_the_vat_switches_on_new_years_day(api):
    # given
    held_a_year = {**WORKED_EXAMPLE, "seller_years_held": None, "seller_acquired_on": "2025-01-02"}
    # when
    old = post(api, "transaction-costs", {**held_a_year, "as_of": "2025-12-31"}).json()
    new = post(api, "transaction-costs", {**held_a_year, "as_of": "2026-01-02"}).json()
    # then
    assert old["items"][1]["amount"] == "142857.14"
    assert new["items"][1]["amount"] == "87378.64"


@time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_without_a_date_todays_rules_are_used(api):
    body = post(api, "transaction-costs", {k: v for k, v in WORKED_EXAMPLE.items() if k != "as_of"}).json()
    assert body["as_of"] == "2026-04-01"
    assert body["items"][1]["rule"]["id"] == "vat.2026-01"


def test_timing_advice_comes_with_the_money(api):
    body = post(
        api,
        "transaction-costs",
        {**WORKED_EXAMPLE, "seller_years_held": None, "seller_acquired_on": "2024-04-17"},
    ).json()
    assert body["notes"][0].startswith("再持有47天满二年，可免增值税及附加约92,621元")


def test_a_new_rule_version_in_the_data_directory_is_used_without_a_restart(api, overlay):
    # given
    before = post(api, "transaction-costs", {**WORKED_EXAMPLE, "as_of": "2026-07-02"}).json()
    (overlay / "vat.toml").write_text(vat_rule("vat.2026-07", "2026-07-01", rate="0.01"), encoding="utf-8")
    # when
    after = post(api, "transaction-costs", {**WORKED_EXAMPLE, "as_of": "2026-07-02"}).json()
    # then
    assert before["items"][1]["rate"] == "0.03"
    assert (after["items"][1]["rate"], after["items"][1]["rule"]["id"]) == ("0.01", "vat.2026-07")


def test_a_broken_rule_file_stops_calculations_and_says_why(api, overlay):
    # given
    (overlay / "broken.toml").write_text(vat_rule("vat.x", "2026-03-01", rate="1.5"), encoding="utf-8")
    # when
    response = post(api, "transaction-costs", WORKED_EXAMPLE)
    # then
    assert response.status_code == 503
    assert response.json()["code"] == "rules_invalid"
    assert (
        "规则文件 finance-rules/broken.toml，规则 vat.x：参数 rate=1.5 超出 0～1 的范围"
        in response.json()["message"]
    )


def test_a_city_without_rules_lists_those_that_have_them(api):
    response = post(api, "transaction-costs", {**WORKED_EXAMPLE, "city": "拉萨"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_city"
    assert response.json()["message"] == "暂无“拉萨”的税费规则。已有规则的城市：上海、武汉。"
    assert response.json()["details"] == {"cities": ["上海", "武汉"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"price": "-1"}, "成交价必须大于 0，且不超过 1,000,000,000,000。"),
        ({"area": "0"}, "建筑面积必须大于 0，且不超过 100,000。"),
        ({"price": "1e400"}, "成交价必须大于 0，且不超过 1,000,000,000,000。"),
        ({"price": "100.001"}, "成交价最多保留 2 位小数。"),
        ({"buyer_home_count": 4}, "买方家庭住房套数应为 1～3。"),
    ],
)
def test_impossible_figures_are_a_422_in_chinese(api, change, message):
    response = post(api, "transaction-costs", {**WORKED_EXAMPLE, **change})
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["errors"]] == [message]


def test_a_purchase_after_the_day_asked_about_is_a_422(api):
    response = post(api, "transaction-costs", {**WORKED_EXAMPLE, "seller_acquired_on": "2026-05-01"})
    assert response.status_code == 422
    assert response.json()["message"] == "卖方取得房屋的日期不能晚于计算日期。"


def test_a_day_before_any_rule_is_a_clear_400(api):
    response = post(api, "transaction-costs", {**WORKED_EXAMPLE, "as_of": "0001-01-01"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("1年1月1日 没有生效的")


COMMERCIAL_30Y = {"kind": "commercial", "principal": "1000000", "years": 30, "annual_rate_percent": "3.5"}


def test_mortgage_check_values_over_http(api):
    # when
    body = post(
        api, "mortgage", {"parts": [{**COMMERCIAL_30Y, "method": "equal_installment"}], "as_of": "2026-01-05"}
    ).json()
    # then
    assert (body["first_payment"], body["total_interest"], body["total_paid"]) == (
        "4490.45",
        "616560.88",
        "1616560.88",
    )
    assert body["schedule"][0] == {
        "month": 1,
        "payment": "4490.45",
        "principal": "1573.78",
        "interest": "2916.67",
        "balance": "998426.22",
    }
    assert len(body["schedule"]) == 360
    assert body["parts"][0]["total_interest"] == "616560.88"
    assert "最后一期调整尾差" in body["rounding"]


def test_a_combination_loan_over_http(api):
    body = post(
        api,
        "mortgage",
        {
            "parts": [
                {**COMMERCIAL_30Y, "annual_rate_percent": None, "lpr_spread_bp": -45},
                {"kind": "provident", "principal": "600000", "years": 30, "method": "equal_principal"},
            ],
            "as_of": "2026-01-05",
        },
    ).json()
    assert [p["annual_rate_percent"] for p in body["parts"]] == ["3.05", "2.6"]
    assert body["parts"][0]["rule"]["id"] == "lpr.2025-05-20"
    first = sum(float(p["first_payment"]) for p in body["parts"])
    assert float(body["first_payment"]) == pytest.approx(first)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"years": 0}, "贷款年限应为 1～30 年。"), ({"years": 50}, "贷款年限应为 1～30 年。")],
)
def test_impossible_loans_are_a_422_in_chinese(api, change, message):
    response = post(api, "mortgage", {"parts": [{**COMMERCIAL_30Y, **change}]})
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["errors"]] == [message]


def test_no_parts_is_a_422(api):
    response = post(api, "mortgage", {"parts": []})
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "请填写 1～4 笔贷款（组合贷为商贷加公积金两笔）。"


def test_the_schedule_downloads_as_xlsx(api):
    # when
    response = post(api, "mortgage.xlsx", {"parts": [COMMERCIAL_30Y], "as_of": "2026-01-05"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content))["还款计划"]
    assert sheet.max_row == 361
    assert sheet["B2"].value == 4490.45


def test_affordability_over_http(api):
    body = post(
        api,
        "affordability",
        {"city": "武汉", "cash": "900000", "monthly_income": "30000", "as_of": "2026-01-05"},
    ).json()
    assert body["sentence"] == "按您的首付和月供，可承受总价约411.7万"
    assert (body["limited_by"], body["monthly_payment"], body["payment_share"]) == (
        "income",
        "15000.00",
        "0.5",
    )
    assert body["max_debt_ratio"] == "0.5"


def test_the_calculators_need_a_signed_in_agent(db):
    assert post(HttpClient(), "transaction-costs", WORKED_EXAMPLE).status_code == 401
