"""Fault: two web processes, each holding its own copy of the match layout in memory (decision 0009).

A listing re-priced through one is reflected at once in the other's matching answers: the other
reads the layout's change log before it answers from its copy (issue 17).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.org.services import token_create
from tests.faults.processes import (
    STARTUP_SECONDS,
    anju_environment,
    request,
    require_postgres,
    served,
    shared_database_url,
    wait_until,
)
from tests.matching.test_engine import _make_listing, _make_need, world  # noqa: F401 - fixture
from tests.matching.test_resident import BUYER, SALE
from tests.web.test_operations import metric_value

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _copies_held(site: str) -> float:
    return metric_value(request(f"{site}/metrics").body, "anju_match_resident_copies")


def test_a_listing_re_priced_through_one_process_is_matched_at_once_by_the_other(world, tmp_path):  # noqa: F811
    require_postgres()
    # given two listings a buyer's budget suits, and an agent's API token
    listing = _make_listing(world, SALE)
    other = _make_listing(world, {**SALE, "price": Decimal(2600000)})
    need = _make_need(world, BUYER)
    _, token = token_create(user=world["agent"].user, name="故障演练")
    # and two Anju web processes (one worker each) answering from copies in memory
    database_url = shared_database_url()
    first_env = anju_environment(tmp_path / "a", database_url=database_url, ANJU_MATCH_RESIDENT_MIN_ROWS="1")
    second_env = anju_environment(tmp_path / "b", database_url=database_url, ANJU_MATCH_RESIDENT_MIN_ROWS="1")
    with served(first_env) as first, served(second_env) as second:
        matches = f"{second}/api/v1/needs/{need.pk}/matches"
        before = request(matches, token=token)
        assert before.status == 200, before.body
        assert {item["listing_id"] for item in before.json()["items"]} == {listing.pk, other.pk}
        wait_until(lambda: _copies_held(second) >= 1, seconds=STARTUP_SECONDS, what="the copy to load")
        # when the listing is re-priced above the budget through the first process
        repriced = request(
            f"{first}/api/v1/listings/{listing.pk}/price",
            token=token,
            method="POST",
            data={"price": "4500000"},
        )
        assert repriced.status == 200, repriced.body
        # then the second process's very next answer leaves it out, from its copy still
        after = request(matches, token=token)
        assert [item["listing_id"] for item in after.json()["items"]] == [other.pk]
        assert after.json()["total_fitting"] == 1
        assert _copies_held(second) >= 1
        # and re-priced back into the budget, it is matched again at once
        request(
            f"{first}/api/v1/listings/{listing.pk}/price",
            token=token,
            method="POST",
            data={"price": "2500000"},
        )
        again = request(matches, token=token)
        assert {item["listing_id"] for item in again.json()["items"]} == {listing.pk, other.pk}
