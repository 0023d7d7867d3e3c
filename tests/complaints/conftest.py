"""A client of the agent's store, and a complaint recorder for the tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from anju.complaints.services import complaint_record
from tests.factories import ClientFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def customer(agent):
    return ClientFactory(owner=agent, name="投诉人刘女士")


def record(agent, client, *, severity="normal", received_at=None, category="服务态度", **kw):
    return complaint_record(
        by=agent,
        client=client,
        severity=severity,
        category=category,
        text="经纪人带看迟到一个小时，也没有提前说。",
        received_at=received_at,
        **kw,
    )
