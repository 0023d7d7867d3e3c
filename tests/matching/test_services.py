"""Marking matches (only through their transitions) and approving a batch to send to consenting clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from anju.clients.models import Consent
from anju.core.errors import ApplicationError, IllegalTransition
from anju.matching.models import Match, MatchStatus
from anju.matching.records.selectors import new_matches_by_client
from anju.matching.records.services import match_set_status, matches_approve
from anju.matching.search import layout
from anju.needs.models import NeedStatus
from tests.factories import AgentFactory, ClientFactory, CommunityFactory, ListingFactory, NeedFactory

pytestmark = pytest.mark.django_db


def make_match(agent, *, client=None, status=MatchStatus.NEW) -> Match:
    client = client or ClientFactory(owner=agent)
    need = NeedFactory(client=client, agent=agent)
    listing = ListingFactory(agent=agent, property__community=CommunityFactory(company=agent.company))
    match = Match.objects.create(
        company=agent.company, need=need, listing=listing, agent=agent, score=80, status=status
    )
    layout.need_refresh(need_id=need.pk)  # a liked or rejected mark tells the need's layout rows
    return match


def consent(client, channel: str, granted: bool, *, days_ago: int = 1) -> None:
    Consent.objects.create(
        client=client,
        channel=channel,
        granted=granted,
        at=timezone.now() - dt.timedelta(days=days_ago),
        how="门店书面签字",
        recorded_by=client.owner,
    )


def test_marking_liked_records_who_and_when(agent):
    # given
    match = make_match(agent)
    # when
    match_set_status(match=match, status="liked", by=agent)
    # then
    match.refresh_from_db()
    assert match.status == MatchStatus.LIKED
    assert match.status_changed_by == agent and match.status_changed_at is not None


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (MatchStatus.LIKED, "viewed", "该匹配当前为“喜欢”，不能改为“已看房”。"),
        (MatchStatus.VIEWED, "viewed", "该匹配已经是“已看房”。"),
        (MatchStatus.REJECTED, "rejected", "该匹配已经是“不考虑”。"),
    ],
)
def test_an_illegal_move_is_refused_in_chinese_and_changes_nothing(agent, current, target, message):
    # given
    match = make_match(agent, status=current)
    # when
    with pytest.raises(IllegalTransition) as refused:
        match_set_status(match=match, status=target, by=agent)
    # then
    assert refused.value.message == message
    match.refresh_from_db()
    assert match.status == current and match.status_changed_at is None


def test_an_agent_cannot_set_sent_or_new_by_hand(agent):
    # given
    match = make_match(agent)
    # when / then
    for status in ("sent", "new", "bogus"):
        with pytest.raises(ApplicationError, match="只能标记为已看房、喜欢或不考虑"):
            match_set_status(match=match, status=status, by=agent)
    assert Match.objects.get().status == MatchStatus.NEW


def test_a_rejected_match_can_be_liked_after_all(agent):
    # given
    match = make_match(agent, status=MatchStatus.REJECTED)
    # when
    match_set_status(match=match, status="liked", by=agent)
    # then
    assert Match.objects.get().status == MatchStatus.LIKED


def test_a_colleague_cannot_mark_another_agents_private_client(agent, colleague):
    # given
    match = make_match(agent)
    # when / then
    with pytest.raises(PermissionDenied):
        match_set_status(match=match, status="rejected", by=colleague)
    assert Match.objects.get().status == MatchStatus.NEW


def test_approving_skips_clients_without_granted_consent_and_says_so(agent):
    # given: one client consented to WeChat; one never did; one granted and later withdrew
    willing = make_match(agent, client=ClientFactory(owner=agent, name="张三"))
    silent = make_match(agent, client=ClientFactory(owner=agent, name="李四"))
    withdrawn = make_match(agent, client=ClientFactory(owner=agent, name="王五"))
    consent(willing.need.client, "wechat", True)
    consent(willing.need.client, "sms", False, days_ago=0)  # another channel does not matter
    consent(withdrawn.need.client, "wechat", True, days_ago=5)
    consent(withdrawn.need.client, "wechat", False, days_ago=2)
    # when
    result = matches_approve(matches=[willing, silent, withdrawn], channel="wechat", by=agent)
    # then
    assert [m.pk for m in result.approved] == [willing.pk]
    assert [c.name for c in result.skipped_clients] == ["李四", "王五"]
    assert "李四、王五 未同意通过该渠道接收推荐，已跳过" in result.message
    rows = {m.pk: m for m in Match.objects.all()}
    assert rows[willing.pk].approved_by == agent and rows[willing.pk].approved_at is not None
    assert rows[willing.pk].status == MatchStatus.NEW  # sent only when the outbox has sent it
    assert rows[silent.pk].approved_at is None and rows[withdrawn.pk].approved_at is None


def test_approving_again_counts_what_was_already_approved(agent):
    # given
    match = make_match(agent)
    consent(match.need.client, "sms", True)
    matches_approve(matches=[match], channel="sms", by=agent)
    # when
    again = matches_approve(matches=[Match.objects.get()], channel="sms", by=agent)
    # then
    assert again.approved == [] and again.already_approved == 1


def test_only_new_matches_can_be_approved(agent):
    # given
    match = make_match(agent, status=MatchStatus.REJECTED)
    consent(match.need.client, "sms", True)
    # when / then
    with pytest.raises(IllegalTransition, match="只有新匹配可以批准推荐"):
        matches_approve(matches=[match], channel="sms", by=agent)
    assert Match.objects.get().approved_at is None


def test_an_unknown_channel_is_refused(agent):
    # given
    match = make_match(agent)
    # when / then
    with pytest.raises(ApplicationError, match="渠道不正确"):
        matches_approve(matches=[match], channel="pigeon", by=agent)


def test_another_agents_matches_cannot_be_approved(agent):
    # given
    other = AgentFactory(store=agent.store)
    match = make_match(other)
    # when / then
    with pytest.raises(PermissionDenied):
        matches_approve(matches=[match], channel="sms", by=agent)


def test_the_workbench_news_leave_out_the_matches_of_a_need_no_longer_sought(agent):
    # given two new matches, one of a need the client has since given up
    sought = make_match(agent)
    dropped = make_match(agent)
    dropped.need.status = NeedStatus.GIVEN_UP
    dropped.need.save(update_fields=["status"])
    layout.need_refresh(need_id=dropped.need.pk)  # as the need's announcement has it done
    # when the agent's news are read
    groups, total = new_matches_by_client(agent)
    # then only the match of the need still sought is news
    assert [m.pk for group in groups for m in group.matches] == [sought.pk]
    assert total == 1
