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
