from __future__ import annotations

import pytest

from anju.org.models import ApiToken
from anju.org.services import token_create
from tests.factories import PASSWORD


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


NEW_PASSWORD = "Xin-mima-2026!"


def _change(web, current: str, new: str = NEW_PASSWORD, repeated: str | None = None):
    return web.post(
        "/settings/password/",
        {"current": current, "new": new, "repeated": new if repeated is None else repeated},
        follow=True,
    )


def test_agent_changes_their_own_password_and_stays_signed_in(web, agent):
    # given the form on the settings page
    assert "修改密码" in web.get("/settings/").content.decode()
    # when the agent gives the current password and the new one twice
    response = _change(web, PASSWORD)
    # then it is changed, this session goes on, and the next sign-in needs the new password
    assert "密码已修改。" in response.content.decode()
    assert web.get("/settings/").status_code == 200
    agent.user.refresh_from_db()
    assert agent.user.check_password(NEW_PASSWORD)
    assert not agent.user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("current", "new", "repeated", "message"),
    [
        ("wrong", NEW_PASSWORD, NEW_PASSWORD, "当前密码不正确。"),
        (PASSWORD, NEW_PASSWORD, "Xin-mima-2027!", "两次输入的新密码不一致。"),
        (PASSWORD, "12345678", "12345678", "这个密码太常见了。"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与当前密码相同。"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(web, agent, current, new, repeated, message):
    # when
    response = _change(web, current, new, repeated)
    # then the form says why, in Chinese, and the password is as it was
    assert response.status_code == 200
    assert message in response.content.decode()
    agent.user.refresh_from_db()
    assert agent.user.check_password(PASSWORD)
