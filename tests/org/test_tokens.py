"""Personal API tokens: shown once, stored hashed, revocable, and only ever the owner's."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient

from anju.org.models import ApiToken
from anju.org.services import hash_token, token_authenticate, token_create, token_revoke


def bearer(raw: str) -> HttpClient:
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def test_token_is_stored_only_as_a_hash(agent):
    # when
    token, raw = token_create(user=agent.user, name="报表脚本")
    # then
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("anju_")
    assert raw not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.key_hash == hash_token(raw)
    assert raw.startswith(stored.prefix)


def test_token_authenticates_the_api_until_revoked(agent):
    # given
    token, raw = token_create(user=agent.user, name="脚本")
    # when
    before = bearer(raw).get("/api/v1/me")
    token_revoke(token=token)
    after = bearer(raw).get("/api/v1/me")
    # then
    assert before.status_code == 200
    assert before.json()["name"] == "张伟"
    assert after.status_code == 401
    assert after.json()["code"] == "unauthenticated"


def test_token_of_a_deactivated_user_no_longer_works(agent):
    # given
    _token, raw = token_create(user=agent.user, name="脚本")
    assert token_authenticate(raw) == agent.user  # it worked while the user was active
    agent.user.is_active = False
    agent.user.save()
    # then
    assert token_authenticate(raw) is None


def test_a_made_up_token_is_refused(db):
    response = bearer("anju_not-a-real-token").get("/api/v1/me")
    assert response.status_code == 401


def test_token_needs_a_name(agent):
    from anju.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="名称"):
        token_create(user=agent.user, name="   ")
    assert not ApiToken.objects.exists()


def test_tokens_over_the_api_are_created_listed_and_revoked(agent):
    # given
    _token, raw = token_create(user=agent.user, name="第一个")
    api = bearer(raw)
    # when
    created = api.post("/api/v1/tokens", {"name": "第二个"}, content_type="application/json")
    listed = api.get("/api/v1/tokens")
    revoked = api.delete(f"/api/v1/tokens/{created.json()['id']}")
    # then
    assert created.status_code == 201
    assert created.json()["token"].startswith("anju_")
    assert [t["name"] for t in listed.json()] == ["第二个", "第一个"]
    assert revoked.json()["revoked_at"] is not None
    assert bearer(created.json()["token"]).get("/api/v1/me").status_code == 401


def test_nobody_can_revoke_someone_elses_token(agent, colleague):
    # given
    victim, _ = token_create(user=agent.user, name="我的")
    _t, raw = token_create(user=colleague.user, name="同事的")
    # when
    response = bearer(raw).delete(f"/api/v1/tokens/{victim.pk}")
    # then
    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.revoked_at is None


def test_token_command_creates_a_working_token(agent, capsys):
    # when
    call_command("token", "create", "zhangwei", "--name", "命令行")
    raw = capsys.readouterr().out.strip()
    # then
    assert bearer(raw).get("/api/v1/me").json()["agent_id"] == agent.pk


def test_token_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的用户"):
        call_command("token", "create", "nobody")
