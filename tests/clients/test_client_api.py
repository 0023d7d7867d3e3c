"""/api/v1/clients: intake, the pool and reveals as an integrator sees them, with every refusal."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.clients.models import Client, RevealLog
from anju.clients.services import consent_record
from tests.factories import ClientFactory
from tests.org.test_api_access import as_token


def test_create_returns_201_and_a_duplicate_409_with_the_existing_id(agent):
    api = as_token(agent)
    body = {
        "name": "王芳",
        "mobile": "13900001111",
        "source": "online",
        "tags": ["学区房"],
        "consents": [{"channel": "wechat", "granted": True, "how": "微信回复同意"}],
    }
    created = api.post("/api/v1/clients", body, content_type="application/json")
    again = api.post("/api/v1/clients", {**body, "name": "另一个"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["consents"][0]["channel"] == "wechat"
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_mobile"
    assert Client.objects.count() == 1


def test_bad_mobile_is_400_in_chinese(agent):
    response = as_token(agent).post(
        "/api/v1/clients", {"name": "王芳", "mobile": "12345"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "不是有效的" in response.json()["message"]


def test_control_characters_and_direction_marks_are_refused_in_every_text_field(agent):
    # given
    api = as_token(agent)
    good = {"name": "王芳", "mobile": "13900001111"}
    bad = [
        {"name": "王\x00芳"},
        {"name": "王\u202e芳"},
        {"name": "\u200b\ufeff"},
        {"notes": "备\x07注"},
        {"tags": ["学\x1f区"]},
        {"consents": [{"channel": "wechat", "granted": True, "how": "微信\x00同意"}]},
    ]
    # when
    answers = [api.post("/api/v1/clients", good | fields, content_type="application/json") for fields in bad]
    # then
    assert [a.json()["code"] for a in answers] == [
        "text_control_character",
        "name_direction_character",
        "name_required",
        "text_control_character",
        "text_control_character",
        "text_control_character",
    ]
    assert not Client.objects.exists()
    # and a note over several lines is kept as written
    created = api.post(
        "/api/v1/clients", good | {"notes": "第一行\r\n第二行"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert Client.objects.get().notes == "第一行\n第二行"


def test_search_by_the_last_four_digits_finds_pool_and_own_clients_only(agent, colleague):
    mine = ClientFactory(owner=agent, mobile="13900005678")
    pool = ClientFactory(owner=None, store=None, company=agent.company, mobile="13800005678")
    ClientFactory(owner=colleague, mobile="13700005678")
    items = as_token(agent).get("/api/v1/clients?q=5678").json()["items"]
    assert {c["id"] for c in items} == {mine.pk, pool.pk}


def test_a_list_of_clients_asks_as_many_queries_for_twenty_clients_as_for_two(agent):
    # every client with its consents and tags, as the list shows them
    api = as_token(agent)
    api.get("/api/v1/clients?limit=1")  # the token's first use is written down once

    def listed(n: int) -> tuple[int, int]:
        for _ in range(n):
            client = ClientFactory(owner=agent, mobile=f"1390000{Client.objects.count():04d}")
            consent_record(client=client, by=agent, channel="sms", granted=True, how="短信回复同意")
        with CaptureQueriesContext(connection) as queries:
            items = api.get("/api/v1/clients?scope=mine&limit=50").json()["items"]
        assert all(item["consents"] for item in items)
        return len(items), len(queries)

    (two, for_two), (twenty, for_twenty) = listed(2), listed(18)
    assert (two, twenty) == (2, 20)
    assert for_twenty == for_two


def test_pool_client_must_be_claimed_before_changes(agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company)
    api = as_token(agent)
    refused = api.patch(f"/api/v1/clients/{pool.pk}", {"name": "改名"}, content_type="application/json")
    claimed = api.post(f"/api/v1/clients/{pool.pk}/claim")
    changed = api.patch(f"/api/v1/clients/{pool.pk}", {"name": "改名"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["message"] == "这是公客池中的客户，请先认领。"
    assert claimed.json()["owner_id"] == agent.pk
    assert changed.json()["name"] == "改名"


def test_colleagues_private_client_cannot_be_changed_claimed_or_revealed(agent, colleague):
    theirs = ClientFactory(owner=colleague)
    api = as_token(agent)
    assert (
        api.patch(f"/api/v1/clients/{theirs.pk}", {"name": "x"}, content_type="application/json").status_code
        == 403
    )
    assert api.post(f"/api/v1/clients/{theirs.pk}/claim").status_code == 403
    reveal = api.post(
        f"/api/v1/clients/{theirs.pk}/reveal", {"reason": "想看"}, content_type="application/json"
    )
    assert reveal.status_code == 403
    assert not RevealLog.objects.exists()


def test_another_companys_client_is_404_for_every_action(agent, stranger):
    theirs = ClientFactory(owner=None, store=None, company=stranger.company)
    api = as_token(agent)
    for method, path, body in [
        ("post", "claim", {}),
        ("post", "reveal", {"reason": "x"}),
        ("get", "ownership", {}),
        ("post", "release", {"note": "x"}),
    ]:
        response = getattr(api, method)(
            f"/api/v1/clients/{theirs.pk}/{path}", body, content_type="application/json"
        )
        assert response.status_code == 404, path


def test_reveal_logs_and_only_managers_read_the_log(agent, manager):
    pool = ClientFactory(owner=None, store=None, company=agent.company, mobile="13900001111")
    revealed = as_token(agent).post(
        f"/api/v1/clients/{pool.pk}/reveal", {"reason": "回拨"}, content_type="application/json"
    )
    assert revealed.json() == {"field": "mobile", "value": "13900001111"}
    assert as_token(agent).get("/api/v1/clients/reveals/log").status_code == 403
    log = as_token(manager).get("/api/v1/clients/reveals/log").json()["items"]
    assert [(r["viewer"], r["reason"]) for r in log] == [("张伟", "回拨")]


def test_merge_via_api_needs_a_manager(agent, manager):
    keep, dup = ClientFactory(owner=agent), ClientFactory(owner=agent)
    refused = as_token(agent).post(
        f"/api/v1/clients/{keep.pk}/merge", {"merge_id": dup.pk}, content_type="application/json"
    )
    merged = as_token(manager).post(
        f"/api/v1/clients/{keep.pk}/merge", {"merge_id": dup.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert merged.status_code == 200
    # the merged id now leads to the client that absorbed it
    assert as_token(agent).get(f"/api/v1/clients/{dup.pk}").json()["id"] == keep.pk
