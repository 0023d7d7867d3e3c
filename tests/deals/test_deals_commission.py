"""The commission split: parts add up to the whole to the fen, whatever the split and the price."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from anju.deals.commission import Share, commission_amount, split_commission

ROLES = ["entry", "maintain", "survey", "referral", "first_showing", "closing", "transaction"]


@st.composite
def splits(draw):
    """Between one and ten lines whose percents (two decimals) add up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=10))
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10000]
    shares = []
    for i in range(count):
        hundredths = bounds[i + 1] - bounds[i]
        if hundredths:
            role = draw(st.sampled_from(ROLES))
            shares.append(Share(agent_id=i + 1, role=role, percent=Decimal(hundredths) / 100))
    return shares


@given(
    shares=splits(),
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999999.99"), places=2),
    rate=st.decimals(min_value=Decimal(0), max_value=Decimal("0.1"), places=6),
)
def test_any_split_of_any_commission_adds_up_to_it_to_the_fen(shares, price, rate):
    # given a commission
    total = commission_amount(price, rate)
    # when it is split
    parts = split_commission(total, shares)
    # then the parts are in fen, add up to the whole, and none is off its exact share by a fen or more
    assert sum(p.amount for p in parts) == total
    for part in parts:
        assert part.amount == part.amount.quantize(Decimal("0.01"))
        assert abs(part.amount - total * part.share.percent / 100) < Decimal("0.01")


def test_the_left_over_fen_go_to_the_largest_remainder_and_ties_to_the_closing_role():
    # given 100.00 yuan split in three equal-ish thirds
    shares = [
        Share(agent_id=1, role="entry", percent=Decimal("33.33")),
        Share(agent_id=2, role="closing", percent=Decimal("33.33")),
        Share(agent_id=3, role="referral", percent=Decimal("33.34")),
    ]
    # when
    parts = split_commission(Decimal("100.00"), shares)
    # then each gets 33.33 or 33.34, and the one fen left after rounding down goes to 成交 on a tie
    assert [p.amount for p in parts] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    parts = split_commission(Decimal("0.02"), shares)
    assert [p.amount for p in parts] == [Decimal("0.00"), Decimal("0.01"), Decimal("0.01")]


def test_commission_is_the_price_times_the_rate_rounded_half_up():
    assert commission_amount(Decimal("1980000.00"), Decimal("0.02")) == Decimal("39600.00")
    assert commission_amount(Decimal("1234567.89"), Decimal("0.015")) == Decimal("18518.52")
