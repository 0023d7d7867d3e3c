"""Shared fixtures, and the switches that make PostgreSQL, Redis and browser tests required in CI.

Locally a test that needs a service the machine lacks is skipped with the reason. With
``ANJU_REQUIRE_POSTGRES=1``, ``ANJU_REQUIRE_REDIS=1`` or ``ANJU_REQUIRE_BROWSER=1`` (``.ci/run``
sets all three) such a skip becomes a failure.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.utils import translation

from anju.core.workcalendar import forget_table
from tests.factories import AgentFactory, CompanyFactory, StoreFactory
from tests.layout_check import layout_differences


def required(service: str) -> bool:
    return os.environ.get(f"ANJU_REQUIRE_{service.upper()}", "") in {"1", "true", "yes"}


def skip_or_fail(service: str, reason: str) -> None:
    """Skip locally; fail when CI requires ``service``."""
    if required(service):
        pytest.fail(f"{reason} (ANJU_REQUIRE_{service.upper()} is set)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def chinese_first():
    """Every test starts in Simplified Chinese: a request in English (LocaleMiddleware activates
    the language for the thread and nothing resets it) must not change the next test's words."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_calendar_table():
    """The working-time calendar caches its table per process; a rolled-back test leaves no rows
    behind, so it must leave no cached rows either."""
    forget_table()
    yield
    forget_table()


@pytest.fixture(autouse=True)
def layout_equals_rebuild(request):
    """After every test that used the database, the matching layout equals a fresh rebuild of it:
    a write path that forgets to announce, or a factory building a state production cannot reach,
    fails here (decision 0010). ``@pytest.mark.layout_unchecked`` opts out a test that corrupts
    the layout on purpose."""
    names = request.fixturenames
    uses = next((name for name in ("transactional_db", "db") if name in names), None)
    if uses is None and request.node.get_closest_marker("django_db") is None:
        yield
        return
    if uses is not None:
        request.getfixturevalue(uses)  # set up before, so torn down after, this check
    yield
    if request.node.get_closest_marker("layout_unchecked") is not None:
        return
    from django.db import connection

    if connection.needs_rollback or request.node.rep_call_failed:
        return
    differences = layout_differences()
    if differences:
        pytest.fail(f"the matching layout differs from a rebuild of it:\n{differences}", pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember whether the test itself failed: the layout check then stays quiet."""
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


@pytest.fixture
def company(db):
    return CompanyFactory(name="安居地产", short_name="安居")


@pytest.fixture
def store(company):
    return StoreFactory(company=company, name="光谷店")


@pytest.fixture
def other_store(company):
    return StoreFactory(company=company, name="后湖店")


@pytest.fixture
def agent(store):
    return AgentFactory(store=store, company=store.company, name="张伟", user__username="zhangwei")


@pytest.fixture
def colleague(store):
    """Another agent of the same store."""
    return AgentFactory(store=store, company=store.company, name="李娜", user__username="lina")


@pytest.fixture
def manager(store):
    return AgentFactory(
        store=store, company=store.company, name="王店长", role="manager", user__username="wang"
    )


@pytest.fixture
def admin_agent(company):
    return AgentFactory(store=None, company=company, name="赵管理", role="admin", user__username="zhao")


@pytest.fixture
def stranger(db):
    """An agent of another company."""
    other = CompanyFactory(name="别家地产")
    return AgentFactory(
        store=StoreFactory(company=other), company=other, name="外人", user__username="waiwai"
    )


def login(agent) -> HttpClient:
    """A session for ``agent`` (the sign-in form itself is tested in tests/web/test_auth.py)."""
    client = HttpClient()
    client.force_login(agent.user)
    return client


@pytest.fixture
def web(agent) -> HttpClient:
    """A browser session signed in as ``agent``."""
    return login(agent)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis the tests may use: ``ANJU_TEST_REDIS_URL``, by default database 15 on this machine.

    Deliberately not ``REDIS_URL``: that one switches the application itself to Redis. Tests that
    use this share the database with each other (and with pytest-xdist workers), so they must use
    keys of their own and delete them afterwards.
    """
    import redis

    url = os.environ.get("ANJU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail("redis", f"Redis at {url} does not answer: {exc}")
    return url
