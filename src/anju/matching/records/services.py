"""Writes on matches: the agent's marks (喜欢 / 不考虑 / 已看房) and approving a batch to send.

A match's status changes only through ``match_set_status`` (or ``match_mark_sent``, which the
client-care outbox calls once it has actually sent a recommendation). Approving does not send:
it records who approved what and when (``approved_at``/``approved_by``), for the consenting
clients only; the status stays as it is until the outbox reports the message sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Channel, Client, Consent
from anju.clients.selectors import may_write_client
from anju.core.errors import ApplicationError, IllegalTransition
from anju.core.formats import join_list
from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus
from anju.matching.search import layout as match_layout
from anju.matching.search.criteria import criteria_for_need
from anju.matching.search.learning import preferences_for_need
from anju.matching.search.scoring import score
from anju.needs.models import Need
from anju.org.models import Agent

# Which status a match may move to from each status. "sent" is set by the outbox only.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    MatchStatus.NEW: (MatchStatus.SENT, MatchStatus.VIEWED, MatchStatus.LIKED, MatchStatus.REJECTED),
    MatchStatus.SENT: (MatchStatus.VIEWED, MatchStatus.LIKED, MatchStatus.REJECTED),
    MatchStatus.VIEWED: (MatchStatus.LIKED, MatchStatus.REJECTED),
    MatchStatus.LIKED: (MatchStatus.REJECTED,),
    MatchStatus.REJECTED: (MatchStatus.LIKED,),
}
# What an agent may set by hand (the API and the pages).
MARKS = (MatchStatus.VIEWED, MatchStatus.LIKED, MatchStatus.REJECTED)
# Marks the learning reads: after one of these the need's layout row must know it has feedback.
FEEDBACK = (MatchStatus.LIKED, MatchStatus.REJECTED)
MAX_BATCH = 200


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def may_mark(viewer: Agent, match: Match) -> bool:
    """The agent the match was recorded for, and whoever may change the client's records."""
    return match.agent_id == viewer.pk or may_write_client(viewer, match.need.client)


def may_mark_need(viewer: Agent, need: Need) -> bool:
    return need.agent_id == viewer.pk or may_write_client(viewer, need.client)


@transaction.atomic
def match_record_for_need(*, need: Need, listing: Listing, by: Agent) -> Match:
    """The match of ``need`` and ``listing``, recorded now when the agent acts on a ranked listing
    that no job has recorded yet (the ranking covers every fitting listing, recording only new ones)."""
    if not may_mark_need(by, need):
        raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以标记该客户的匹配。"))
    if listing.company_id != need.company_id:
        raise ApplicationError(_("没有找到该房源。"), code="listing_not_found")
    existing = Match.objects.filter(need=need, listing=listing).first()
    if existing is not None:
        return existing
    found = match_layout.facts_for_listings([listing.pk]).get(listing.pk)
    if found is None:
        raise ApplicationError(_("该房源已不在售或在租，不能加入推荐。"), code="listing_not_in_play")
    scored = score(criteria_for_need(need), found[0], preferences_for_need(need))
    match, _created = Match.objects.get_or_create(
        need=need,
        listing=listing,
        defaults={
            "company_id": need.company_id,
            "agent_id": need.client.owner_id or need.agent_id,
            "score": max(0, min(100, scored.score)),
            "fits": scored.fits,
            "lacks": scored.lacks,
        },
    )
    return match


def _transition(match: Match, status: str) -> None:
    """Refuses an unknown status, the same status and a move the current status does not allow."""
    if status not in MatchStatus.values:
        raise ApplicationError(_("匹配状态不正确。"), code="status_invalid")
    current = match.status
    if status == current:
        raise IllegalTransition(
            _("该匹配已经是“%(current)s”。") % {"current": MatchStatus(current).label}, code="same_status"
        )
    if status not in allowed_transitions(current):
        raise IllegalTransition(
            _("该匹配当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": MatchStatus(current).label, "target": MatchStatus(status).label}
        )


@transaction.atomic
def match_set_status(*, match: Match, status: str, by: Agent) -> Match:
    """The agent's mark on a match; liked and rejected marks move the need's next ranking."""
    if status not in MARKS:
        raise ApplicationError(_("只能标记为已看房、喜欢或不考虑。"), code="status_invalid")
    if not may_mark(by, match):
        raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以标记该客户的匹配。"))
    match.status = Match.objects.select_for_update().values_list("status", flat=True).get(pk=match.pk)
    _transition(match, status)
    match.status = status
    match.status_changed_at = timezone.now()
    match.status_changed_by = by
    match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    if status in FEEDBACK:
        # The layout row tells ``needs_for_listing`` which needs carry learned preferences.
        match_layout.need_refresh(need_id=match.need_id)
    return match


@transaction.atomic
def match_mark_sent(*, match: Match) -> Match:
    """The outbox sent the recommendation: the match moves to 已推荐 (if nothing happened since)."""
    match.status = Match.objects.select_for_update().values_list("status", flat=True).get(pk=match.pk)
    _transition(match, MatchStatus.SENT)
    match.status = MatchStatus.SENT
    match.status_changed_at = timezone.now()
    match.save(update_fields=["status", "status_changed_at", "updated_at"])
    return match


@dataclass
class ApprovalResult:
    """What a batch approval recorded, and which clients it left out for want of consent."""

    approved: list[Match] = field(default_factory=list)
    skipped_clients: list[Client] = field(default_factory=list)
    already_approved: int = 0

    @property
    def message(self) -> str:
        parts = [_("已批准推荐 %(n)s 套房源。") % {"n": len(self.approved)}]
        if self.already_approved:
            parts.append(_("%(n)s 套此前已批准。") % {"n": self.already_approved})
        if self.skipped_clients:
            parts.append(
                _("%(names)s 未同意通过该渠道接收推荐，已跳过。")
                % {"names": join_list(c.name for c in self.skipped_clients)}
            )
        return "".join(parts)


def consenting_client_ids(client_ids: Iterable[int], channel: str) -> set[int]:
    """Clients whose newest consent row for ``channel`` grants it (rows are never changed)."""
    latest: dict[int, bool] = {}
    rows = (
        Consent.objects.filter(client_id__in=list(client_ids), channel=channel)
        .order_by("client_id", "-at", "-id")
        .values_list("client_id", "granted")
    )
    for client_id, granted in rows:
        latest.setdefault(client_id, granted)
    return {client_id for client_id, granted in latest.items() if granted}


@transaction.atomic
def matches_approve(*, matches: list[Match], channel: str, by: Agent) -> ApprovalResult:
    """Marks the matches ready to send on ``channel``; clients without a granted consent are skipped.

    Only matches still to recommend (新匹配) are approved; nothing is sent here.
    """
    if channel not in Channel.values:
        raise ApplicationError(
            _("渠道不正确，可选：%(choices)s。")
            % {"choices": join_list(f"{v}（{label}）" for v, label in Channel.choices)},
            code="channel_invalid",
        )
    if not matches:
        raise ApplicationError(_("请至少选择一条匹配。"), code="empty_batch")
    if len(matches) > MAX_BATCH:
        raise ApplicationError(_("一次最多批准 %(n)s 条匹配。") % {"n": MAX_BATCH}, code="batch_too_big")
    for match in matches:
        if not may_mark(by, match):
            raise PermissionDenied(_("只有归属经纪人及其店长、管理员可以批准推荐该客户的匹配。"))
        if match.status != MatchStatus.NEW:
            raise IllegalTransition(
                _("只有新匹配可以批准推荐，该匹配当前为“%(current)s”。")
                % {"current": MatchStatus(match.status).label}
            )
    result = ApprovalResult()
    consenting = consenting_client_ids({m.need.client_id for m in matches}, channel)
    now = timezone.now()
    to_approve = []
    for match in matches:
        client = match.need.client
        if client.pk not in consenting:
            if client not in result.skipped_clients:
                result.skipped_clients.append(client)
        elif match.approved_at is not None:
            result.already_approved += 1
        else:
            to_approve.append(match.pk)
            match.approved_at, match.approved_by = now, by
            result.approved.append(match)
    Match.objects.filter(pk__in=to_approve, approved_at__isnull=True).update(
        approved_at=now, approved_by=by, updated_at=now
    )
    return result
