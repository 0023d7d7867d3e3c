"""The client's timeline: everything that happened with a client, newest first, in words agents use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.clients.models import Consent, OwnershipChange, RevealLog
from anju.clients.services import interaction_create
from anju.clients.timeline import (
    TimelineEntry,
    client_timeline,
    consent_text,
    follow_up_due_text,
    interaction_text,
    merged,
    ownership_text,
)
from anju.needs.services import need_set_status
from tests.factories import ClientFactory, InteractionFactory, NeedFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


# --- pure text ---


def test_interaction_text_mentions_the_next_follow_up():
    assert interaction_text("约看房", dt.date(2026, 3, 5)) == "约看房（下次跟进：2026年3月5日）"
    assert interaction_text("约看房", None) == "约看房"


def test_ownership_text_names_the_pool_when_nobody_owns():
    assert ownership_text(None, "张伟") == "公客池 → 张伟"
    assert ownership_text("李娜", None, "离职交接") == "李娜 → 公客池（离职交接）"


def test_consent_text():
    assert consent_text("wechat", True, "门店书面签字") == "同意通过微信接收营销信息（门店书面签字）"
    assert consent_text("sms", False, "") == "撤回短信营销授权"


@pytest.mark.parametrize(
    ("next_on", "shown"),
    [
        (None, ""),
        (dt.date(2026, 3, 2), "今天"),
        (dt.date(2026, 3, 3), "明天"),
        (dt.date(2026, 3, 9), "7天后"),
        (dt.date(2026, 2, 28), "已逾期2天"),
    ],
)
def test_how_far_away_the_next_follow_up_is(next_on, shown):
    assert follow_up_due_text(next_on, dt.date(2026, 3, 2)) == shown


def test_merged_is_newest_first_and_cut_at_the_limit():
    def entry(day: int, kind: str) -> TimelineEntry:
        return TimelineEntry(at=at(day), kind=kind, label="", who="", text=f"{kind}{day}")

    groups = [[entry(1, "interaction"), entry(4, "interaction")], [entry(3, "need")], [entry(2, "consent")]]
    assert [e.text for e in merged(groups, 3)] == ["interaction4", "need3", "consent2"]


# --- reading the records ---


@pytest.fixture
def world(agent, colleague):
    """A client with one of everything, a day apart, oldest first."""
    client = ClientFactory(owner=agent, name="王先生")
    OwnershipChange.objects.create(
        client=client, from_agent=None, to_agent=colleague, reason="intake", by=colleague, at=at(1)
    )
    OwnershipChange.objects.create(
        client=client, from_agent=colleague, to_agent=agent, reason="transfer", by=colleague, at=at(2)
    )
    with time_machine.travel(at(3), tick=False):
        need = NeedFactory(client=client, agent=agent)
    Consent.objects.create(
        client=client, channel="wechat", granted=True, how="门店书面签字", recorded_by=agent, at=at(4)
    )
    with time_machine.travel(at(5), tick=False):
        need_set_status(agent=agent, need=need, status="paused", reason="客户出差")
    RevealLog.objects.create(client=client, viewer=colleague, field="mobile", reason="约看房", at=at(6))
    with time_machine.travel(at(7), tick=False):
        interaction_create(
            agent=agent, client=client, kind="call", summary="客户回来了，约周六看房", need_id=need.pk
        )
    return client, need


def test_the_timeline_tells_the_story_newest_first(agent, world):
    # given
    client, need = world
    # when
    entries = client_timeline(agent, client)
    # then
    assert [(e.at.day, e.kind, e.label, e.who, e.text) for e in entries] == [
        (7, "interaction", "电话", "张伟", "客户回来了，约周六看房"),
        (5, "need_status", "需求状态", "张伟", "购房需求：进行中 → 暂停（客户出差）"),
        (4, "consent", "营销授权", "张伟", "同意通过微信接收营销信息（门店书面签字）"),
        (3, "need", "新增需求", "张伟", "购房 · 250–320万 · 3室及以上"),
        (2, "ownership", "转交", "李娜", "李娜 → 张伟"),
        (1, "ownership", "录入", "李娜", "公客池 → 李娜"),
    ]
    assert entries[0].link == f"#need-{need.pk}"  # the need's card on the client page
    assert entries[3].link == f"#need-{need.pk}"


def test_number_reveals_show_only_to_managers_and_administrators(agent, manager, admin_agent, world):
    client, _need = world
    kinds = {e.kind for e in client_timeline(agent, client)}
    assert {"interaction", "need_status", "consent", "need", "ownership"} <= kinds  # the rest of the story
    assert "reveal" not in kinds
    for boss in (manager, admin_agent):
        reveals = [e for e in client_timeline(boss, client) if e.kind == "reveal"]
        assert [(e.who, e.text) for e in reveals] == [("李娜", "查看了完整手机：约看房")]


def test_the_limit_keeps_the_newest(agent, world):
    client, _need = world
    assert [e.at.day for e in client_timeline(agent, client, limit=2)] == [7, 5]


def test_the_timeline_costs_the_same_queries_however_long_it_is(manager, agent, world):
    # given
    client, _need = world
    with CaptureQueriesContext(connection) as few:
        client_timeline(manager, client)
    # when many more things happen
    InteractionFactory.create_batch(10, client=client, agent=agent)
    for _ in range(5):
        need = NeedFactory(client=client, agent=agent)
        need_set_status(agent=agent, need=need, status="given_up")
    with CaptureQueriesContext(connection) as many:
        entries = client_timeline(manager, client)
    # then
    assert len(entries) == 6 + 10 + 5 + 5 + 1
    assert len(many) == len(few)
