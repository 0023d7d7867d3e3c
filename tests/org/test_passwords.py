"""Staff passwords: hashed with Argon2id at OWASP's parameters (decision 0031), and a password hashed
before with other parameters still signs in, then is stored at these."""

from __future__ import annotations

import argon2
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password
from django.test import Client as HttpClient

from anju.org.services import agent_set_password
from tests.web.test_auth import sign_in


def parameters(encoded: str) -> tuple[str, int, int, int]:
    found = argon2.extract_parameters(encoded.removeprefix("argon2"))
    return found.type.name, found.memory_cost, found.time_cost, found.parallelism


def stored_with_djangos_parameters(agent, password: str) -> str:
    """The agent's password as Django's own Argon2 parameters hashed it, before decision 0031."""
    old = Argon2PasswordHasher().encode(password, Argon2PasswordHasher().salt())
    agent.user.password = old
    agent.user.save(update_fields=["password"])
    return old


def test_a_new_password_is_hashed_with_argon2id_at_owasps_parameters(agent):
    # when
    agent_set_password(agent=agent, password="新密码 morning-2026")
    # then
    stored = agent.user.password
    assert stored.startswith("argon2$argon2id$")
    assert parameters(stored) == ("ID", 19 * 1024, 2, 1)
    assert check_password("新密码 morning-2026", stored)
    assert not check_password("新密码 morning-2027", stored)


def test_a_password_hashed_with_djangos_parameters_signs_in_and_is_hashed_again(agent):
    # given
    old = stored_with_djangos_parameters(agent, "旧密码 since-2025")
    assert parameters(old) == ("ID", 100 * 1024, 2, 8)
    # when
    response = sign_in(HttpClient(), "zhangwei", "旧密码 since-2025")
    # then
    assert response.redirect_chain[-1][0] == "/"
    agent.user.refresh_from_db()
    assert agent.user.password != old
    assert parameters(agent.user.password) == ("ID", 19 * 1024, 2, 1)
    assert check_password("旧密码 since-2025", agent.user.password)


def test_a_wrong_password_against_an_old_hash_changes_nothing(agent):
    # given
    old = stored_with_djangos_parameters(agent, "旧密码 since-2025")
    # when
    response = sign_in(HttpClient(), "zhangwei", "旧密码 since-2024")
    # then
    assert "用户名或密码不正确，请重新输入。" in response.content.decode()
    agent.user.refresh_from_db()
    assert agent.user.password == old
