from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from anju.org.models import Agent, Company


def test_operator_creates_an_agency_with_its_first_administrator(db, monkeypatch):
    # given
    monkeypatch.setenv("ANJU_ADMIN_PASSWORD", "a-long-secret")
    # when
    call_command("company", "create", "汉口地产", "--city", "武汉", "--admin", "boss", "--admin-name", "陈总")
    # then
    admin = Agent.objects.get(user__username="boss")
    assert admin.company.name == "汉口地产"
    assert admin.role == "admin"
    assert admin.store is None
    assert admin.user.check_password("a-long-secret")


def test_a_second_company_with_the_same_name_is_refused_and_nothing_changes(db, monkeypatch):
    monkeypatch.setenv("ANJU_ADMIN_PASSWORD", "a-long-secret")
    call_command("company", "create", "汉口地产", "--admin", "boss")
    with pytest.raises(CommandError, match="公司“汉口地产”已存在。"):
        call_command("company", "create", "汉口地产", "--admin", "boss2")
    assert Company.objects.count() == 1
    assert not Agent.objects.filter(user__username="boss2").exists()


def test_a_taken_username_rolls_the_company_back(db, monkeypatch):
    monkeypatch.setenv("ANJU_ADMIN_PASSWORD", "a-long-secret")
    call_command("company", "create", "汉口地产", "--admin", "boss")
    with pytest.raises(CommandError, match="用户名“boss”已被使用。"):
        call_command("company", "create", "武昌地产", "--admin", "boss")
    assert not Company.objects.filter(name="武昌地产").exists()
