"""The client's timeline (客户档案): everything that happened with a client, newest first.

Follow-ups, changes of owner, marketing consents and — for managers and administrators only — who
revealed the client's number come from here; the apps above ``clients`` add their own entries
(needs recorded and their status changes) with ``timeline_source``, so ``clients`` imports none of
them. The text of each entry is made by pure helpers, so it is tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from anju.clients.models import (
    Channel,
    Client,
    Consent,
    Interaction,
    InteractionKind,
    OwnershipChange,
    OwnershipReason,
    RevealLog,
)
from anju.core.formats import format_date
from anju.org.models import Agent, Role

DEFAULT_LIMIT = 50

# Entry kinds, and the Bootstrap colour of their badge.
TONES = {
    "interaction": "primary",
    "need": "success",
    "need_status": "info",
    "ownership": "warning",
    "reveal": "danger",
    "consent": "secondary",
}
# Among entries at the same moment, the one that happened first in a service comes last.
_SAME_MOMENT = {"ownership": 0, "need": 1, "need_status": 2, "interaction": 3, "consent": 4, "reveal": 5}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    label: str
    who: str
    text: str
    link: str = ""
    row_id: int = 0

    @property
    def tone(self) -> str:
        return TONES.get(self.kind, "secondary")

    def sort_key(self) -> tuple[dt.datetime, int, int]:
        return (self.at, _SAME_MOMENT.get(self.kind, 9), self.row_id)


# --- pure text -----------------------------------------------------------------------------------


def interaction_text(summary: str, next_follow_up_on: dt.date | None) -> str:
    if next_follow_up_on is None:
        return summary
    return _("%(summary)s（下次跟进：%(date)s）") % {
        "summary": summary,
        "date": format_date(next_follow_up_on),
    }


def ownership_text(from_name: str | None, to_name: str | None, note: str = "") -> str:
    """李娜 → 张伟; an empty side is the public pool."""
    pool = _("公客池")
    text = f"{from_name or pool} → {to_name or pool}"
    return f"{text}（{note}）" if note else text


def consent_text(channel: str, granted: bool, how: str) -> str:
    label = Channel(channel).label if channel in Channel.values else channel
    text = (
        _("同意通过%(channel)s接收营销信息") % {"channel": label}
        if granted
        else _("撤回%(channel)s营销授权") % {"channel": label}
    )
    return f"{text}（{how}）" if how else text


def reveal_text(field_label: str, reason: str) -> str:
    return _("查看了完整%(field)s：%(reason)s") % {"field": field_label, "reason": reason}


def follow_up_due_text(next_on: dt.date | None, today: dt.date) -> str:
    """How far away the next follow-up is: 今天, 明天, 3天后, 已逾期2天; empty when none is planned."""
    if next_on is None:
        return ""
    days = (next_on - today).days
    if days == 0:
        return _("今天")
    if days == 1:
        return _("明天")
    if days > 1:
        return _("%(days)s天后") % {"days": days}
    return _("已逾期%(days)s天") % {"days": -days}


def merged(groups: Iterable[Iterable[TimelineEntry]], limit: int) -> list[TimelineEntry]:
    """All entries newest first, at most ``limit``."""
    entries = [entry for group in groups for entry in group]
    entries.sort(key=TimelineEntry.sort_key, reverse=True)
    return entries[:limit]


# --- reading the records -------------------------------------------------------------------------


# A source gives a client's newest ``limit`` entries of one kind, in a constant number of queries.
TimelineSource = Callable[[Client, int], list[TimelineEntry]]
_SOURCES: list[TimelineSource] = []


def timeline_source(source: TimelineSource) -> TimelineSource:
    """Adds ``source``'s entries to every client's timeline (an app above ``clients`` calls it once)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def client_timeline(viewer: Agent, client: Client, *, limit: int = DEFAULT_LIMIT) -> list[TimelineEntry]:
    """The newest ``limit`` things that happened with ``client``; a constant number of queries."""
    limit = max(1, limit)
    groups = [
        _interactions(client, limit),
        _ownership_changes(client, limit),
        _consents(client, limit),
        *(source(client, limit) for source in _SOURCES),
    ]
    if viewer.role in (Role.MANAGER, Role.ADMIN):
        groups.append(_reveals(client, limit))
    return merged(groups, limit)


def agent_name(agent: Agent | None) -> str:
    return agent.name if agent is not None else str(_("系统"))


def need_link(need_id: int) -> str:
    """The need's card on the client page, where the timeline is shown (readable by every viewer)."""
    return f"#need-{need_id}"


def _interactions(client: Client, limit: int) -> list[TimelineEntry]:
    rows = Interaction.objects.filter(client=client).select_related("agent").order_by("-happened_at", "-id")
    return [
        TimelineEntry(
            at=i.happened_at,
            kind="interaction",
            label=str(InteractionKind(i.kind).label) if i.kind in InteractionKind.values else i.kind,
            who=agent_name(i.agent),
            text=interaction_text(i.summary, i.next_follow_up_on),
            link=need_link(i.need_id) if i.need_id else "",
            row_id=i.pk,
        )
        for i in rows[:limit]
    ]


def _ownership_changes(client: Client, limit: int) -> list[TimelineEntry]:
    rows = (
        OwnershipChange.objects.filter(client=client)
        .select_related("from_agent", "to_agent", "by")
        .order_by("-at", "-id")
    )
    return [
        TimelineEntry(
            at=o.at,
            kind="ownership",
            label=str(OwnershipReason(o.reason).label) if o.reason in OwnershipReason.values else o.reason,
            who=agent_name(o.by),
            text=ownership_text(
                o.from_agent.name if o.from_agent else None, o.to_agent.name if o.to_agent else None, o.note
            ),
            row_id=o.pk,
        )
        for o in rows[:limit]
    ]


def _consents(client: Client, limit: int) -> list[TimelineEntry]:
    rows = Consent.objects.filter(client=client).select_related("recorded_by").order_by("-at", "-id")
    return [
        TimelineEntry(
            at=c.at,
            kind="consent",
            label=_("营销授权"),
            who=agent_name(c.recorded_by),
            text=consent_text(c.channel, c.granted, c.how),
            row_id=c.pk,
        )
        for c in rows[:limit]
    ]


def _reveals(client: Client, limit: int) -> list[TimelineEntry]:
    rows = RevealLog.objects.filter(client=client).select_related("viewer").order_by("-at", "-id")
    return [
        TimelineEntry(
            at=r.at,
            kind="reveal",
            label=_("查看号码"),
            who=agent_name(r.viewer),
            text=reveal_text(r.get_field_display(), r.reason),
            row_id=r.pk,
        )
        for r in rows[:limit]
    ]
