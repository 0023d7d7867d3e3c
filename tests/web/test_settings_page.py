from __future__ import annotations

from anju.org.models import ApiToken
from anju.org.services import token_create


def test_agent_creates_a_token_on_the_settings_page_and_sees_it_once(web, agent):
    # when
    response = web.post("/settings/tokens/", {"name": "门店报表"}, headers={"HX-Request": "true"})
    # then
    page = response.content.decode()
    token = ApiToken.objects.get(user=agent.user)
    raw = page.split('data-testid="new-token">')[1].split("<")[0]
    assert raw.startswith(token.prefix)
    assert "<html" not in page
    later = web.get("/settings/")
    listed = later.content.decode()
    assert later.status_code == 200
    assert f"<strong>门店报表</strong> <code>{token.prefix}…</code>" in listed  # listed by its prefix only
    assert raw not in listed


def test_empty_token_name_is_refused_in_chinese(web, agent):
    page = web.post("/settings/tokens/", {"name": ""}).content.decode()
    assert "这个字段是必填项。" in page
    assert not ApiToken.objects.exists()


def test_agent_cannot_revoke_a_colleagues_token(web, colleague):
    token, _raw = token_create(user=colleague.user, name="同事的")
    response = web.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_a_token_from_the_page(web, agent):
    token, _raw = token_create(user=agent.user, name="旧脚本")
    web.post(f"/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
