"""The needs analysis: what fits, what one change adds, and for a buyer what their money can afford."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

import pytest

from anju.matching.search.analysis import need_analysis
from anju.needs.services import need_create
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import CASH, INCOME, afforded, buy_need, buyer_with_means, sale

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 16)
WAN = Decimal(10000)


@pytest.fixture(autouse=True)
def on_a_fixed_day(time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 16, 10, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def community(company):
    return CommunityFactory(company=company)


def buyer(agent, community, **fields):
    return buy_need(agent, ClientFactory(owner=agent), districts=[community.district_id], **fields)


def expected(city: str = "武汉", home_count: int = 1):
    return afforded(as_of=TODAY, city=city, home_count=home_count)


def in_wan(price: Decimal) -> Decimal:
    return (price / WAN).quantize(Decimal(1), rounding=ROUND_DOWN)


def test_the_widest_single_change_comes_first(agent, community, django_capture_on_commit_callbacks):
    # given: two flats fit a 220万 ceiling; a third only with 10% more
    need = buyer(agent, community)
    with django_capture_on_commit_callbacks(execute=True):
        for price in ("2000000", "2100000", "2400000"):
            sale(agent, community, price=Decimal(price))
    # when
    analysis = need_analysis(need)
    # then
    assert analysis.count == 2
    assert analysis.best is not None and (analysis.best.code, analysis.best.added) == ("budget", 1)


def test_a_buyer_with_cash_and_income_is_told_what_they_can_afford(agent, community):
    # given
    need = buyer_with_means(agent, community, budget_max=None)
    # when
    part = need_analysis(need).affordability
    # then: the calculator's numbers, the price rounded down to 万 in the sentence
    calculated = expected()
    assert part is not None
    assert part.result == calculated
    assert part.affordable == in_wan(calculated.max_price) * WAN
    assert part.sentence == f"按您的首付和月供，可承受总价约{in_wan(calculated.max_price)}万"
    assert part.result.loan > 0 and 0 < part.result.payment_share <= Decimal("0.5")
    assert (part.budget_note, part.count_at_affordable) == ("", None)


def test_a_second_home_is_priced_at_the_citys_second_home_down_payment(agent, community):
    # given: 上海 asks a larger down payment for a second home
    agent.company.city = "上海市"
    agent.company.save()
    need = buyer_with_means(agent, community, first_home=False)
    # when
    part = need_analysis(need).affordability
    # then
    assert part is not None
    assert part.result == expected(city="上海", home_count=2)
    assert part.result.min_down_ratio > expected(city="上海", home_count=1).min_down_ratio


def test_a_budget_above_what_they_can_afford_is_pointed_out_with_what_fits_below(
    agent, community, django_capture_on_commit_callbacks
):
    # given: a ceiling 50万 above the affordable price; one flat under it, one between the two
    affordable = in_wan(expected().max_price) * WAN
    budget = affordable + 50 * WAN
    need = buyer_with_means(agent, community, budget_max=budget)
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community, price=affordable - 10 * WAN)
        sale(agent, community, price=affordable + 40 * WAN)
    # when
    analysis = need_analysis(need)
    # then
    part = analysis.affordability
    assert analysis.count == 2
    assert part is not None
    assert part.budget_note == f"预算上限{budget / WAN:.0f}万高于可承受的约{affordable / WAN:.0f}万"
    assert part.count_at_affordable == 1


def test_a_budget_within_reach_gets_no_warning(agent, community):
    # given
    need = buyer_with_means(agent, community, budget_max=Decimal("1000000"))
    # when
    part = need_analysis(need).affordability
    # then
    assert part is not None and part.budget_note == "" and part.count_at_affordable is None


def test_a_company_without_a_city_is_priced_by_wuhans_rules(agent, community):
    # given
    agent.company.city = ""
    agent.company.save()
    need = buyer_with_means(agent, community)
    # when
    part = need_analysis(need).affordability
    # then
    assert part is not None and part.result == expected(city="武汉")


@pytest.mark.parametrize(
    ("city", "means", "note"),
    [
        ("武汉", {"down_payment_cash": CASH}, "填写可用于首付的资金和家庭月收入后，可估算购买力。"),
        (
            "拉萨",
            {"down_payment_cash": CASH, "monthly_income": INCOME},
            "无法估算购买力：暂无“拉萨”的税费规则",
        ),
        (
            "武汉",
            {"down_payment_cash": CASH, "monthly_income": Decimal(0)},
            "无法估算购买力：月收入必须大于 0",
        ),
    ],
)
def test_without_an_estimate_the_analysis_says_why(agent, community, city, means, note):
    # given
    agent.company.city = city
    agent.company.save()
    need = buyer(agent, community, **means)
    # when
    analysis = need_analysis(need)
    # then
    assert analysis.affordability is None
    assert analysis.affordability_note.startswith(note)


def test_a_rent_need_has_no_affordability(agent, community):
    # given
    need = need_create(
        agent=agent, client=ClientFactory(owner=agent), kind="rent", fields={"budget_max": 4000}
    )
    # when
    analysis = need_analysis(need)
    # then
    assert (analysis.affordability, analysis.affordability_note) == (None, "")
