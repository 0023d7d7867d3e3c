"""The needs' entries in the client's timeline: needs recorded, and their status changes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.clients.timeline import TimelineEntry, agent_name, need_link, timeline_source
from anju.needs.models import Need, NeedKind, NeedStatus
from anju.needs.text import NEED_PREFETCH, need_summary
from anju.org.models import Agent


def status_change_text(kind: str, old: str, new: str, reason: str = "") -> str:
    """购房需求：进行中 → 已暂停（客户出差一个月）."""
    text = _("%(kind)s需求：%(old)s → %(new)s") % {
        "kind": NeedKind(kind).label if kind in NeedKind.values else kind,
        "old": NeedStatus(old).label if old in NeedStatus.values else old,
        "new": NeedStatus(new).label if new in NeedStatus.values else new,
    }
    return f"{text}（{reason}）" if reason else text


@timeline_source
def needs_recorded(client: Client, limit: int) -> list[TimelineEntry]:
    rows = (
        Need.objects.filter(client=client)
        .select_related("agent", "property__community")
        .prefetch_related(*NEED_PREFETCH)
        .order_by("-created_at", "-id")
    )
    return [
        TimelineEntry(
            at=n.created_at,
            kind="need",
            label=_("新增需求"),
            who=agent_name(n.agent),
            text=need_summary(n),
            link=need_link(n.pk),
            row_id=n.pk,
        )
        for n in rows[:limit]
    ]


@timeline_source
def need_status_changes(client: Client, limit: int) -> list[TimelineEntry]:
    """Status changes read from the needs' history: a record whose status differs from the one before."""
    history = (
        Need.history.filter(client_id=client.pk)
        .order_by("id", "history_date", "history_id")
        .values("id", "kind", "status", "history_date", "history_user_id", "history_change_reason")
    )
    changes = []
    previous: dict[int, str] = {}
    for row in history:
        before = previous.get(row["id"])
        previous[row["id"]] = row["status"]
        if before is not None and before != row["status"]:
            changes.append(row | {"before": before})
    changes = sorted(changes, key=lambda r: r["history_date"], reverse=True)[:limit]
    users = {r["history_user_id"] for r in changes if r["history_user_id"]}
    names = dict(Agent.objects.filter(user_id__in=users).values_list("user_id", "name")) if users else {}
    return [
        TimelineEntry(
            at=r["history_date"],
            kind="need_status",
            label=_("需求状态"),
            who=names.get(r["history_user_id"], str(_("系统"))),
            text=status_change_text(r["kind"], r["before"], r["status"], r["history_change_reason"] or ""),
            link=need_link(r["id"]),
            row_id=r["id"],
        )
        for r in changes
    ]
