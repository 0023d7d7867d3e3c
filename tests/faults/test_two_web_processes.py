"""Fault: two web processes, each holding its own copy of the match layout in memory (decision 0009)
and its own kept workbenches (decision 0027).

A listing re-priced through one is reflected at once in the other's matching answers: the other
reads the layout's change log before it answers from its copy (issue 17). A follow-up recorded
through one is on the other's very next workbench: the database's generation moved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from anju.org.services import token_create
from tests.factories import ClientFactory
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


def test_a_follow_up_recorded_through_one_process_shows_on_the_other_s_kept_workbench(
    agent, tmp_path, settings
):
    require_postgres()
    # given a client due for a follow-up, the agent's API token and a browser session the servers accept
    client = ClientFactory(
        owner=agent, name="早就该跟进", next_follow_up_on=timezone.localdate() - dt.timedelta(days=1)
    )
    _, token = token_create(user=agent.user, name="故障演练")
    settings.SECRET_KEY = "test-only-not-secret"  # the servers' (tests/faults/processes.py)
    browser = HttpClient()
    browser.force_login(agent.user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    database_url = shared_database_url()
    with (
        served(anju_environment(tmp_path / "a", database_url=database_url)) as first,
        served(anju_environment(tmp_path / "b", database_url=database_url)) as second,
    ):
        # and the second process's workbench computed and kept, the client due on it
        for _ in range(2):
            page = request(f"{second}/", cookie=cookie)
            assert page.status == 200, page.body
            assert "应跟进" in page.body.split("待跟进的私客")[1].split("<h2")[0]
        # when the follow-up is recorded through the first process
        recorded = request(
            f"{first}/api/v1/interactions",
            token=token,
            method="POST",
            data={
                "client_id": client.pk,
                "kind": "call",
                "summary": "约了周六看房",
                "next_follow_up_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            },
        )
        assert recorded.status == 201, recorded.body
        # then the second process's very next workbench no longer has the client due
        after = request(f"{second}/", cookie=cookie).body.split("待跟进的私客")[1].split("<h2")[0]
        assert "早就该跟进" in after
        assert "应跟进" not in after
