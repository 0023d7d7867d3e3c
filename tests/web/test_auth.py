"""Signing in and out through the real form, and what a wrong password or a guesser sees."""

from __future__ import annotations

from django.test import Client as HttpClient

from anju.org.models import LoginRecord
from tests.factories import PASSWORD


def sign_in(browser: HttpClient, username: str, password: str):
    return browser.post("/login/", {"username": username, "password": password}, follow=True)


def test_login_page_is_in_chinese(db):
    page = HttpClient().get("/login/").content.decode()
    assert "登录安居" in page
    assert "用户名" in page
    assert "密码" in page
    assert 'lang="zh-CN"' in page


def test_signing_in_leads_to_the_workbench_and_records_the_login(agent, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(HttpClient(), "zhangwei", PASSWORD)
    # then
    assert response.redirect_chain[-1][0] == "/"
    assert "工作台" in response.content.decode()
    assert "张伟" in response.content.decode()
    assert LoginRecord.objects.filter(user=agent.user).count() == 1


def test_wrong_password_shows_the_error_in_chinese(agent):
    response = sign_in(HttpClient(), "zhangwei", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。" in page
    assert "_auth_user_id" not in HttpClient().session


def test_repeated_failures_lock_the_account_for_that_address(agent):
    # given five failures
    browser = HttpClient()
    for _ in range(5):
        sign_in(browser, "zhangwei", "wrong")
    # when the right password comes next
    response = sign_in(browser, "zhangwei", PASSWORD)
    # then it is refused, with the reason in Chinese
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "工作台" not in response.content.decode()


def test_pages_need_a_login(db):
    response = HttpClient().get("/clients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/clients/")


def test_logout_is_a_post_and_ends_the_session(web):
    # when
    response = web.post("/logout/", follow=True)
    # then
    assert response.redirect_chain[-1][0] == "/login/"
    assert web.get("/").status_code == 302


def test_a_login_without_an_agent_profile_gets_a_chinese_403(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="root", password="x")
    browser = HttpClient()
    browser.force_login(user)
    response = browser.get("/")
    assert response.status_code == 403
    assert "此账号没有关联在职员工档案。" in response.content.decode()


def _sign_in_from(address: str, forwarded: str, password: str):
    browser = HttpClient(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    return sign_in(browser, "zhangwei", password)


def test_behind_a_trusted_proxy_a_guesser_locks_only_their_own_address(agent, settings):
    # given one reverse proxy (every request arrives from 10.0.0.1) that the operator declared
    settings.ANJU_TRUSTED_PROXIES = 1
    for _ in range(5):
        _sign_in_from("10.0.0.1", "203.0.113.9", "wrong")
    # when the guesser tries again, and the real agent signs in from elsewhere through the same proxy
    guesser = _sign_in_from("10.0.0.1", "203.0.113.9", PASSWORD)
    owner = _sign_in_from("10.0.0.1", "198.51.100.7", PASSWORD)
    # then only the guesser's address is locked out
    assert guesser.status_code == 429
    assert owner.status_code == 200
    assert "工作台" in owner.content.decode()


def test_without_a_declared_proxy_the_forwarded_header_is_not_believed(agent, settings):
    # given no proxy declared: a client can write any X-Forwarded-For it likes
    settings.ANJU_TRUSTED_PROXIES = 0
    for number in range(5):
        _sign_in_from("203.0.113.9", f"192.0.2.{number}", "wrong")
    # when the same socket address claims yet another forwarded address
    response = _sign_in_from("203.0.113.9", "192.0.2.200", PASSWORD)
    # then the lockout still holds: changing the header does not escape it
    assert response.status_code == 429


def test_the_recorded_sign_in_address_is_the_clients_behind_the_proxy(
    agent, settings, django_capture_on_commit_callbacks
):
    settings.ANJU_TRUSTED_PROXIES = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_in_from("10.0.0.1", "1.2.3.4, 198.51.100.7", PASSWORD)
    assert response.status_code == 200
    assert LoginRecord.objects.get(user=agent.user).ip_address == "198.51.100.7"
