"""/api/v1/matches and /api/v1/needs/{id}/analysis: the agent's matches, marks, batch approval, analysis."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from anju.clients.models import Consent
from anju.matching.models import Match, MatchStatus
from anju.matching.search import layout
from anju.matching.search.engine import listings_for_need
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import afforded, buy_need, buyer_with_means, sale
from tests.needs.test_needs_api import as_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(agent):
    return as_token(agent)


@pytest.fixture
def community(company):
    return CommunityFactory(company=company)


@pytest.fixture
def need(agent, community):
    return buy_need(agent, ClientFactory(owner=agent, name="王先生"), districts=[community.district_id])


def recorded(agent, community, django_capture_on_commit_callbacks, **flat):
    with django_capture_on_commit_callbacks(execute=True):
        listing = sale(agent, community, **flat)
    return Match.objects.get(listing=listing)


def listings(agent, community, django_capture_on_commit_callbacks, n: int):
    with django_capture_on_commit_callbacks(execute=True):
        return [sale(agent, community) for _ in range(n)]


def post(api: HttpClient, path: str, body: dict):
    return api.post(path, body, content_type="application/json")


def test_the_list_has_only_my_new_matches_newest_first_and_pages(
    api, agent, colleague, need, community, django_capture_on_commit_callbacks
):
    # given: three of mine, one of a colleague's client
    theirs_need = buy_need(colleague, ClientFactory(owner=colleague), districts=[community.district_id])
    mine = [
        Match.objects.get(need=need, listing=listing)
        for listing in listings(colleague, community, django_capture_on_commit_callbacks, 3)
    ]
    Match.objects.filter(pk=mine[0].pk).update(status=MatchStatus.LIKED)
    layout.need_refresh(need_id=need.pk)  # as marking it through the service does
    # when
    first = api.get("/api/v1/matches", {"status": "new", "limit": 1}).json()
    second = api.get("/api/v1/matches", {"status": "new", "limit": 1, "cursor": first["next_cursor"]}).json()
    # then
    assert [m["id"] for m in first["items"] + second["items"]] == [mine[2].pk, mine[1].pk]
    assert second["next_cursor"] is None
    assert first["items"][0]["client_name"] == "王先生"
    assert Match.objects.filter(need=theirs_need).count() == 3  # the colleague's exist, but are not mine


def test_marking_through_the_api_and_an_illegal_move_is_a_409_in_chinese(
    api, agent, need, community, django_capture_on_commit_callbacks
):
    # given
    match = recorded(agent, community, django_capture_on_commit_callbacks)
    # when
    liked = post(api, f"/api/v1/matches/{match.pk}/status", {"status": "liked"})
    illegal = post(api, f"/api/v1/matches/{match.pk}/status", {"status": "viewed"})
    # then
    assert liked.status_code == 200 and liked.json()["status"] == "liked"
    assert liked.json()["allowed_statuses"] == ["rejected"]
    assert illegal.status_code == 409
    assert illegal.json()["message"] == "该匹配当前为“喜欢”，不能改为“已看房”。"
    assert Match.objects.get().status == MatchStatus.LIKED


def test_a_colleagues_private_match_is_403_and_another_companys_404(
    api, colleague, stranger, community, django_capture_on_commit_callbacks
):
    # given
    theirs_need = buy_need(colleague, ClientFactory(owner=colleague), districts=[community.district_id])
    match = recorded(colleague, community, django_capture_on_commit_callbacks)
    assert match.need == theirs_need
    # when
    refused = post(as_token(stranger), f"/api/v1/matches/{match.pk}/status", {"status": "rejected"})
    forbidden = post(api, f"/api/v1/matches/{match.pk}/status", {"status": "rejected"})
    # then
    assert refused.status_code == 404
    assert forbidden.status_code == 403
    assert Match.objects.get().status == MatchStatus.NEW


def test_rejecting_through_the_api_moves_the_next_ranking(
    api, agent, need, community, django_capture_on_commit_callbacks
):
    # given: three north-facing flats and one south-facing, all fitting
    north = [
        recorded(agent, community, django_capture_on_commit_callbacks, orientation="N", price=Decimal(p))
        for p in ("2000000", "2010000", "2020000")
    ]
    before = {item.listing_id: item.score for item in listings_for_need(need).items}
    # when: the client turns down two north-facing ones
    for match in north[:2]:
        assert post(api, f"/api/v1/matches/{match.pk}/status", {"status": "rejected"}).status_code == 200
    # then: the third ranks lower, says why, and the two rejected are left out and counted
    after = listings_for_need(need)
    third = next(item for item in after.items if item.listing_id == north[2].listing_id)
    assert third.score < before[north[2].listing_id]
    assert any("您已拒绝过2套" in lack for lack in third.lacks)
    assert {item.listing_id for item in after.items}.isdisjoint({m.listing_id for m in north[:2]})
    assert after.excluded.get("已拒绝过") == 2


def test_approving_a_batch_skips_clients_without_consent(
    api, agent, community, django_capture_on_commit_callbacks
):
    # given
    willing = buy_need(agent, ClientFactory(owner=agent, name="张三"), districts=[community.district_id])
    buy_need(agent, ClientFactory(owner=agent, name="李四"), districts=[community.district_id])
    Consent.objects.create(
        client=willing.client, channel="wechat", granted=True, how="微信回复", recorded_by=agent
    )
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community)
    ids = list(Match.objects.order_by("pk").values_list("pk", flat=True))
    # when
    response = post(api, "/api/v1/matches/approve", {"ids": ids, "channel": "wechat"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["approved"] == [Match.objects.get(need=willing).pk]
    assert [c["name"] for c in body["skipped_clients"]] == ["李四"]
    assert "李四 未同意通过该渠道接收推荐" in body["message"]


def test_a_bad_channel_is_a_422_and_an_empty_batch_too(api, db):
    assert post(api, "/api/v1/matches/approve", {"ids": [1], "channel": "fax"}).status_code == 422
    assert post(api, "/api/v1/matches/approve", {"ids": [], "channel": "sms"}).status_code == 422


def test_the_needs_analysis_counts_what_fits(api, agent, need, community, django_capture_on_commit_callbacks):
    # given: two fit; one only with a 10% higher budget
    with django_capture_on_commit_callbacks(execute=True):
        sale(agent, community, price=Decimal("2000000"))
        sale(agent, community, price=Decimal("2100000"))
        sale(agent, community, price=Decimal("2400000"))
    # when
    body = api.get(f"/api/v1/needs/{need.pk}/analysis").json()
    # then
    assert body["count"] == 2
    assert body["best"]["code"] == "budget" and body["best"]["added"] == 1
    assert body["best"]["label"].startswith("总价上限提高10%")
    assert body["affordability"] is None
    assert body["affordability_note"] == "填写可用于首付的资金和家庭月收入后，可估算购买力。"


def test_the_needs_analysis_answers_what_a_buyer_can_afford(api, agent, community):
    # given
    need = buyer_with_means(agent, community, budget_max=Decimal("9000000"), first_home=False)
    afford = afforded(as_of=timezone.localdate(), home_count=2)
    # when
    body = api.get(f"/api/v1/needs/{need.pk}/analysis").json()
    # then
    part = body["affordability"]
    wan = afford.max_price // 10000
    assert part["sentence"] == f"按您的首付和月供，可承受总价约{wan}万"
    assert Decimal(part["affordable"]) == wan * 10000
    assert part["budget_note"] == f"预算上限900万高于可承受的约{wan}万"
    assert part["count_at_affordable"] == 0
    calculation = part["calculation"]
    assert Decimal(calculation["max_price"]) == afford.max_price
    assert Decimal(calculation["loan"]) == afford.loan
    assert Decimal(calculation["monthly_payment"]) == afford.monthly_payment
    assert Decimal(calculation["payment_share"]) == afford.payment_share
    assert body["affordability_note"] == ""
