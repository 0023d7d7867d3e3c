"""Who may read what through the API: 401 without credentials, 403 for a colleague's private
record, 404 for anything of another company (so its ids cannot be probed)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from anju.org.services import token_create
from tests.conftest import login
from tests.factories import ClientFactory, ListingFactory


def as_token(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/clients", "/api/v1/listings", "/api/v1/agents"])
def test_anonymous_requests_get_401_with_a_chinese_message(db, path):
    response = HttpClient().get(path)
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "请先登录，或在请求头中提供有效的令牌。"}


def test_me_describes_the_caller(agent):
    body = as_token(agent).get("/api/v1/me").json()
    assert body["username"] == "zhangwei"
    assert body["role"] == "agent"
    assert body["role_label"] == "经纪人"
    assert body["store"]["name"] == "光谷店"
    assert body["company"]["name"] == "安居地产"


def test_session_auth_works_for_the_browser(agent):
    assert login(agent).get("/api/v1/me").json()["agent_id"] == agent.pk


def test_session_writes_need_the_csrf_token(agent):
    # given a browser session that does not send the CSRF token
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(agent.user)
    # when
    response = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    # then
    assert response.status_code in {401, 403}
    assert not agent.user.api_tokens.exists()


def test_a_login_without_agent_profile_is_forbidden(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="root", password="x")
    client = HttpClient()
    client.force_login(user)
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


class TestPrivateClients:
    def test_agent_reads_own_private_client_with_full_mobile(self, agent):
        mine = ClientFactory(owner=agent, mobile="13812345678")
        body = as_token(agent).get(f"/api/v1/clients/{mine.pk}").json()
        assert body["mobile"] == "13812345678"
        assert body["mobile_masked"] is False

    def test_colleagues_private_client_is_forbidden_by_id(self, agent, colleague):
        theirs = ClientFactory(owner=colleague)
        response = as_token(agent).get(f"/api/v1/clients/{theirs.pk}")
        assert response.status_code == 403
        assert response.json()["message"] == "这是其他经纪人的私客，您无权查看。"

    def test_colleagues_private_clients_are_not_listed(self, agent, colleague):
        mine = ClientFactory(owner=agent)
        ClientFactory(owner=colleague)
        pool = ClientFactory(owner=None, store=None, company=agent.company)
        ids = {c["id"] for c in as_token(agent).get("/api/v1/clients").json()["items"]}
        assert ids == {mine.pk, pool.pk}

    def test_pool_client_is_visible_but_masked(self, agent):
        pool = ClientFactory(owner=None, store=None, company=agent.company, mobile="13912345678")
        body = as_token(agent).get(f"/api/v1/clients/{pool.pk}").json()
        assert body["mobile"] == "139****5678"
        assert body["in_pool"] is True

    def test_store_manager_reads_store_clients_in_full(self, agent, manager):
        mine = ClientFactory(owner=agent, mobile="13812345678")
        body = as_token(manager).get(f"/api/v1/clients/{mine.pk}").json()
        assert body["mobile"] == "13812345678"

    def test_manager_of_another_store_cannot_read_them(self, agent, other_store):
        from tests.factories import AgentFactory

        other_manager = AgentFactory(store=other_store, company=other_store.company, role="manager")
        mine = ClientFactory(owner=agent)
        their_own = ClientFactory(owner=other_manager)
        assert as_token(other_manager).get(f"/api/v1/clients/{mine.pk}").status_code == 403
        listed = {c["id"] for c in as_token(other_manager).get("/api/v1/clients").json()["items"]}
        assert their_own.pk in listed
        assert mine.pk not in listed

    def test_administrator_reads_every_store(self, agent, admin_agent):
        mine = ClientFactory(owner=agent, mobile="13812345678")
        assert as_token(admin_agent).get(f"/api/v1/clients/{mine.pk}").json()["mobile"] == "13812345678"


class TestOtherCompany:
    def test_another_companys_client_is_not_found_even_for_its_admin_peer(self, agent, stranger):
        mine = ClientFactory(owner=agent)
        theirs = ClientFactory(owner=stranger)
        pool = ClientFactory(owner=None, store=None, company=stranger.company)
        api = as_token(agent)
        assert api.get(f"/api/v1/clients/{theirs.pk}").status_code == 404
        assert api.get(f"/api/v1/clients/{pool.pk}").status_code == 404
        assert [c["id"] for c in api.get("/api/v1/clients").json()["items"]] == [mine.pk]

    def test_another_companys_listing_agent_and_store_are_not_found(self, agent, stranger):
        mine = ListingFactory(agent=agent)
        listing = ListingFactory(agent=stranger)
        api = as_token(agent)
        assert api.get(f"/api/v1/listings/{listing.pk}").status_code == 404
        assert api.get(f"/api/v1/agents/{stranger.pk}").status_code == 404
        assert [x["id"] for x in api.get("/api/v1/listings").json()["items"]] == [mine.pk]
        stores = {s["id"] for s in api.get("/api/v1/stores").json()}
        assert agent.store_id in stores
        assert stranger.store_id not in stores

    def test_listings_are_shared_within_the_company(self, agent, colleague):
        listing = ListingFactory(agent=colleague)
        body = as_token(agent).get(f"/api/v1/listings/{listing.pk}").json()
        assert body["agent_name"] == colleague.name
        assert body["layout"] == "3室2厅1卫"


def test_validation_errors_are_json_with_code_and_message(agent):
    response = as_token(agent).post("/api/v1/tokens", {"name": ["x"]}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"] == "提交的数据不正确。"
    assert body["errors"]


def test_ids_beyond_what_the_database_holds_are_a_clear_400(agent):
    api = as_token(agent)
    huge = 10**30
    for path in [f"/api/v1/clients/{huge}", f"/api/v1/listings/{huge}"]:
        response = api.get(path)
        # SQLite's driver refuses the number (400); PostgreSQL finds nothing (404).
        assert response.status_code in {400, 404}, path
        assert response.json()["code"] in {"out_of_range", "not_found"}
    refused = api.get(f"/api/v1/clients?owner_id={huge}")
    assert refused.status_code == 422
    assert refused.json()["code"] == "validation_error"


def test_a_cursor_with_values_that_do_not_fit_is_refused(agent):
    from anju.core.pagination import encode_cursor

    cursor = encode_cursor(["not-a-date", "not-an-id"])
    response = as_token(agent).get(f"/api/v1/clients?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["code"] == "cursor_invalid"


def test_a_duplicate_mobile_409_names_the_existing_client_id(agent):
    from tests.factories import ClientFactory

    existing = ClientFactory(owner=agent, mobile="13900001111")
    response = as_token(agent).post(
        "/api/v1/clients", {"name": "x", "mobile": "13900001111"}, content_type="application/json"
    )
    assert response.json()["details"] == {"client_id": existing.pk}
