"""/api/v1/interactions: a client's follow-ups, and recording one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as HttpClient

from anju.clients.models import Interaction
from anju.org.services import token_create
from tests.factories import ClientFactory, InteractionFactory, NeedFactory

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(agent):
    return as_token(agent)


@pytest.fixture
def mine(agent):
    return ClientFactory(owner=agent)


@time_machine.travel(NOW, tick=False)
def test_recording_a_follow_up_by_api(api, mine):
    # given
    need = NeedFactory(client=mine)
    # when
    response = api.post(
        "/api/v1/interactions",
        {
            "client_id": mine.pk,
            "kind": "wechat",
            "summary": "发了三套房源，客户想周六看",
            "next_follow_up_on": "2026-03-07",
            "need_id": need.pk,
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["kind_label"] == "微信"
    assert body["need_id"] == need.pk
    mine.refresh_from_db()
    assert mine.last_contact_at == NOW
    assert mine.next_follow_up_on == dt.date(2026, 3, 7)


@time_machine.travel(NOW, tick=False)
def test_a_follow_up_without_a_date_keeps_the_scheduled_one_unless_told_to_clear_it(api, mine):
    # given
    mine.next_follow_up_on = dt.date(2026, 3, 6)
    mine.save()
    note = {"client_id": mine.pk, "kind": "call", "summary": "打过电话"}
    # when
    kept = api.post("/api/v1/interactions", note, content_type="application/json")
    mine.refresh_from_db()
    scheduled = mine.next_follow_up_on
    cleared = api.post(
        "/api/v1/interactions", note | {"clear_next_follow_up": True}, content_type="application/json"
    )
    mine.refresh_from_db()
    # then
    assert (kept.status_code, cleared.status_code) == (201, 201)
    assert scheduled == dt.date(2026, 3, 6)
    assert mine.next_follow_up_on is None


def test_a_clients_follow_ups_newest_first(api, agent, mine):
    # given
    old = InteractionFactory(client=mine, happened_at=NOW - dt.timedelta(days=3))
    new = InteractionFactory(client=mine, happened_at=NOW)
    InteractionFactory(client=ClientFactory(owner=agent))
    # when
    body = api.get(f"/api/v1/interactions?client_id={mine.pk}").json()
    # then
    assert [i["id"] for i in body["items"]] == [new.pk, old.pk]


def test_without_a_client_the_list_has_every_visible_clients_follow_ups(api, agent, colleague):
    mine_ = InteractionFactory(client=ClientFactory(owner=agent))
    InteractionFactory(client=ClientFactory(owner=colleague))
    assert [i["id"] for i in api.get("/api/v1/interactions").json()["items"]] == [mine_.pk]


@time_machine.travel(NOW, tick=False)
def test_a_follow_up_date_in_the_past_is_a_400(api, mine):
    response = api.post(
        "/api/v1/interactions",
        {"client_id": mine.pk, "kind": "call", "summary": "x", "next_follow_up_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "下次跟进日期不能早于今天。"


def test_a_need_of_another_client_is_a_400(api, agent, mine):
    other = NeedFactory(client=ClientFactory(owner=agent))
    response = api.post(
        "/api/v1/interactions",
        {"client_id": mine.pk, "kind": "call", "summary": "x", "need_id": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Interaction.objects.exists()


class TestPermissions:
    def test_a_colleagues_private_client_is_403(self, api, colleague):
        theirs = ClientFactory(owner=colleague)
        InteractionFactory(client=theirs)
        assert api.get(f"/api/v1/interactions?client_id={theirs.pk}").status_code == 403
        response = api.post(
            "/api/v1/interactions",
            {"client_id": theirs.pk, "kind": "call", "summary": "x"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert Interaction.objects.count() == 1

    def test_another_companys_client_is_404(self, api, stranger):
        theirs = ClientFactory(owner=stranger)
        assert api.get(f"/api/v1/interactions?client_id={theirs.pk}").status_code == 404
        response = api.post(
            "/api/v1/interactions",
            {"client_id": theirs.pk, "kind": "call", "summary": "x"},
            content_type="application/json",
        )
        assert response.status_code == 404

    def test_a_pool_client_is_readable_but_must_be_claimed_before_recording(self, api, agent):
        pool = ClientFactory(owner=None, store=None, company=agent.company)
        earlier = InteractionFactory(client=pool, agent=agent)
        assert [i["id"] for i in api.get(f"/api/v1/interactions?client_id={pool.pk}").json()["items"]] == [
            earlier.pk
        ]
        response = api.post(
            "/api/v1/interactions",
            {"client_id": pool.pk, "kind": "call", "summary": "x"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert "请先认领该客户" in response.json()["message"]
