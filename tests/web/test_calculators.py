"""The 计算器 page: three tabs posting through htmx, results with their rules, prefilled from a listing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import time_machine
from openpyxl import load_workbook

from tests.factories import DistrictFactory, ListingFactory

TODAY = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)

COSTS = {
    "calculator": "costs",
    "costs-city": "武汉",
    "costs-district_type": "city",
    "costs-price_wan": "300",
    "costs-area": "100",
    "costs-property_type": "residential",
    "costs-buyer_home_count": "1",
    "costs-seller_years_held": "1.5",
    "costs-as_of": "2026-03-01",
}
MORTGAGE = {
    "calculator": "mortgage",
    "mortgage-commercial_wan": "100",
    "mortgage-commercial_years": "30",
    "mortgage-commercial_rate": "3.5",
    "mortgage-commercial_method": "equal_installment",
    "mortgage-provident_years": "30",
    "mortgage-provident_method": "equal_installment",
    "mortgage-as_of": "2026-03-01",
}
HTMX = {"HX-Request": "true"}


@time_machine.travel(TODAY, tick=False)
def test_the_page_has_three_tabs_and_the_rules_in_force(web):
    # when
    page = web.get("/calculators/").content.decode()
    # then
    for tab in ("税费", "房贷", "购买力"):
        assert f">{tab}</button>" in page
    panel = page.split('data-testid="rules-panel"')[1]
    assert "当前生效规则" in panel and "武汉 · 2026年3月1日" in panel
    assert 'data-rule="vat.2026-01"' in panel
    assert 'data-rule="wuhan.income_tax.2006-08"' in panel
    assert "财政部 税务总局公告2023年第12号" in panel
    assert "未核实" in panel.split('data-rule="vat_surcharges_relief.2023"')[1].split("</li>")[0]
    assert "此功能尚在开发中" not in page


def test_the_tax_calculator_answers_with_its_pane_through_htmx(web):
    # when
    response = web.post("/calculators/", COSTS, headers=HTMX)
    # then: the pane alone, with the worked example's figures, payers, rules and sources
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="total-buyer"><span class="num">¥89,206.21</span><' in html
    assert 'data-testid="total-seller"><span class="num">¥121,747.57</span><' in html
    vat = html.split('data-item="vat"')[1].split("</li>")[0]
    assert (
        "¥87,378.64" in vat
        and "卖方" in vat
        and '计税依据 <span class="num">¥2,912,621.36</span> × 3%' in vat
    )
    assert "财政部 税务总局公告2025年第17号" in vat
    surcharges = html.split('data-item="vat_surcharges"')[1].split("</li>")[0]
    assert 'data-badge="unverified"' in surcharges


def test_a_form_without_javascript_gets_the_whole_page_on_the_right_tab(web):
    page = web.post("/calculators/", MORTGAGE).content.decode()
    assert "<html" in page
    assert 'id="tab-mortgage" data-bs-toggle="tab"' in page
    assert 'class="tab-pane fade show active" id="pane-mortgage"' in page
    assert 'data-testid="first-payment"><span class="num">¥4,490.45</span><' in page


def test_bad_input_is_shown_on_the_form_in_chinese(web):
    html = web.post("/calculators/", {**COSTS, "costs-area": "0"}, headers=HTMX).content.decode()
    assert "costs-result" not in html
    assert 'invalid-feedback d-block">确保该值大于或等于0.01。<' in html


def test_a_date_before_any_rule_says_so(web):
    html = web.post("/calculators/", {**COSTS, "costs-as_of": "1990-01-01"}, headers=HTMX).content.decode()
    assert "1990年1月1日 没有生效的" in html


def test_the_mortgage_tab_shows_the_first_year_and_a_chart(web):
    # when
    html = web.post("/calculators/", MORTGAGE, headers=HTMX).content.decode()
    # then
    assert 'data-testid="first-payment"><span class="num">¥4,490.45</span><' in html
    assert 'data-testid="total-interest"><span class="num">¥616,560.88</span><' in html
    assert 'data-testid="loan-principal"><span class="num">100万</span><' in html
    schedule = html.split('data-testid="schedule"')[1].split("</table>")[0]
    assert schedule.count("<tr>") == 13  # the header and twelve months
    assert "998,426.22" in schedule
    assert 'id="mortgage-chart-data"' in html
    assert "取整规则" in html


def test_the_full_schedule_downloads_from_the_link(web):
    # given
    html = web.post("/calculators/", MORTGAGE, headers=HTMX).content.decode()
    link = (
        html.split('data-testid="schedule-xlsx"')[0]
        .rsplit('href="', 1)[1]
        .split('"')[0]
        .replace("&amp;", "&")
    )
    # when
    response = web.get(link)
    # then
    assert "csrfmiddlewaretoken" not in link
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content))["还款计划"].iter_rows(values_only=True))
    assert len(rows) == 361


def test_affordability_says_what_the_buyer_can_afford(web):
    html = web.post(
        "/calculators/",
        {
            "calculator": "afford",
            "afford-city": "武汉",
            "afford-cash_wan": "90",
            "afford-monthly_income": "30000",
            "afford-monthly_debts": "0",
            "afford-home_count": "1",
            "afford-years": "30",
            "afford-max_debt_percent": "50",
            "afford-as_of": "2026-01-05",
        },
        headers=HTMX,
    ).content.decode()
    assert "按您的首付和月供，可承受总价约411.7万" in html
    # prices and the loan in 万 as agents say them; the monthly payment owed stays to the fen
    assert 'data-testid="max-price"><span class="num">411.7万</span><' in html
    assert 'data-testid="afford-loan"><span class="num">' in html
    assert html.split('data-testid="afford-loan"><span class="num">')[1].split("<")[0].endswith("万")
    monthly = html.split("月供</dt>")[1].split("</dd>")[0]
    assert '<span class="num">¥' in monthly and "." in monthly


@time_machine.travel(TODAY, tick=False)
def test_a_listing_fills_in_the_tax_calculator_and_is_calculated_at_once(web, agent):
    # given: bought 2024-04-17, the seller's only home
    listing = ListingFactory(
        agent=agent,
        price=Decimal("3000000"),
        property__area=Decimal("100.00"),
        property__certificate_date=dt.date(2024, 4, 17),
        property__only_home=True,
        property__community__business_area__district=DistrictFactory(name="洪山区"),
    )
    # when
    page = web.get(f"/calculators/?listing={listing.pk}").content.decode()
    # then
    assert 'data-testid="from-listing"' in page
    assert 'name="costs-price_wan" value="300"' in page
    assert 'name="costs-seller_acquired_on" value="2024-04-17"' in page
    assert 'data-testid="advice">再持有47天满二年，可免增值税及附加约92,621元' in page
    assert 'data-testid="total-seller"><span class="num">¥121,747.57</span><' in page


def test_another_companys_listing_is_not_found(web, stranger):
    listing = ListingFactory(agent=stranger)
    assert web.get(f"/calculators/?listing={listing.pk}").status_code == 404


def test_a_broken_rule_file_pauses_the_calculators_with_the_reasons(web, settings, tmp_path):
    # given
    settings.DATA_DIR = tmp_path
    (tmp_path / "finance-rules").mkdir()
    (tmp_path / "finance-rules" / "bad.toml").write_text(
        '[[rules]]\nid = "x"\nitem = "vat"\n', encoding="utf-8"
    )
    # when
    page = web.get("/calculators/").content.decode()
    # then
    assert "税费规则文件有问题，计算已暂停" in page
    assert "规则文件 finance-rules/bad.toml，规则 x：缺少 source（出处）。" in page


@time_machine.travel(TODAY, tick=False)
def test_a_sale_listing_shows_its_estimated_costs_and_links_to_the_calculator(web, agent):
    # given: held over two years, not the seller's only home
    listing = ListingFactory(
        agent=agent,
        price=Decimal("3000000"),
        property__area=Decimal("100.00"),
        property__certificate_date=dt.date(2020, 5, 1),
        property__only_home=False,
    )
    # when
    page = web.get(f"/listings/{listing.pk}/").content.decode()
    # then: no VAT, 1% deed tax and income tax on the full price, the default commission paid by the buyer
    card = page.split('data-testid="cost-estimate"')[1].split("</section>")[0]
    assert "税费估算（参考）" in page
    assert "按挂牌价和2026年3月1日武汉生效的规则估算" in card
    assert 'data-testid="estimate-buyer"><span class="num">¥90,080.00</span><' in card
    assert 'data-testid="estimate-seller"><span class="num">¥30,000.00</span><' in card
    assert "六税两费" not in card  # no VAT, so the relief was not used
    assert f'href="/calculators/?listing={listing.pk}"' in card


def test_a_rental_or_a_city_without_rules_shows_no_estimate(web, agent):
    rental = ListingFactory(agent=agent, kind="rent", price=Decimal("3000"))
    elsewhere = ListingFactory(
        agent=agent,
        price=Decimal("1500000"),
        property__community__business_area__district=DistrictFactory(city__name="拉萨", city__code="540100"),
    )
    for listing, price in ((rental, "3,000元/月<"), (elsewhere, "150万<")):
        response = web.get(f"/listings/{listing.pk}/")
        page = response.content.decode()
        assert response.status_code == 200
        # the listing's own page, just without an estimate
        assert f'data-testid="price"><span class="num">{price}' in page
        assert 'data-testid="cost-estimate"' not in page
