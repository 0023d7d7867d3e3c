"""Money held for a deal: POST/GET …/escrow, no holder below 0.00, and any sequence keeps it so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anju.core.errors import ApplicationError
from anju.deals.escrow import escrow_record, ledger_balances
from anju.org.services import token_create
from anju.processing.services import open_items


@pytest.fixture
def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def post(api, deal, **body):
    body = {"bank": "招商银行", "reference": "LS001", "on": "2026-11-20", **body}
    return api.post(f"/api/v1/deals/{deal.pk}/escrow", body, content_type="application/json")


def test_deposit_release_and_a_refusal_naming_what_is_available(api, deal):
    # when the buyer's funds go into the supervised account
    response = post(api, deal, kind="deposit", amount="300000.00")
    # then 201 with the holder's balance (supervised by default)
    assert response.status_code == 201, response.content
    assert response.json()["holder"] == "supervised"
    assert response.json()["balance"] == "300000.00"
    # when more is released than is held
    refused = post(api, deal, kind="release", amount="300000.01")
    # then 400 with what is available, and nothing was written
    assert refused.status_code == 400
    assert refused.json()["code"] == "escrow_balance_short"
    assert refused.json()["details"]["available"] == "300000.00"
    # and the agency's account holds nothing of it
    assert (
        post(api, deal, kind="refund", amount="1.00", holder="agency").json()["details"]["available"]
        == "0.00"
    )
    # when all of it is released to the seller
    assert post(api, deal, kind="release", amount="300000.00").json()["balance"] == "0.00"
    # then the ledger lists both entries and zero balances
    listed = api.get(f"/api/v1/deals/{deal.pk}/escrow").json()
    assert [e["kind"] for e in listed["items"]] == ["release", "deposit"]
    assert listed["balances"] == {"agency": "0.00", "supervised": "0.00"}
    assert listed["next_cursor"] is None


operations = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "release", "refund", "convert"]),
        st.sampled_from(["agency", "supervised"]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_any_sequence_of_entries_keeps_every_balance_at_or_above_zero(deal, agent, steps):
    for kind, holder, amount in steps:
        before = ledger_balances(deal)
        try:
            escrow_record(
                deal=deal, kind=kind, amount=amount, holder=holder, on=dt.date(2026, 11, 20), by=agent
            )
        except ApplicationError as exc:
            # a refused entry changes nothing and says what was there
            assert exc.code == "escrow_balance_short"
            assert Decimal(exc.extra["available"]) == before[holder] < amount
            assert ledger_balances(deal) == before
        balances = ledger_balances(deal)
        assert all(balance >= 0 for balance in balances.values())
        # and closing names the money exactly when some holder still holds any
        held = [line for line in open_items(deal) if "余额未结清" in line]
        assert bool(held) == any(balance != 0 for balance in balances.values())
