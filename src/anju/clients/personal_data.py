"""Clients' part of a client's personal information (decision 0024): the export's first sections —
the client's details and their history, follow-ups, consents, ownership, reveals and other staff
access — and what stays of the client after an erasure (the records kept by law)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.models import Client
from anju.core import personal_data
from anju.core.personal_data import row_values

PROFILE_FIELDS = (
    "name",
    "gender",
    "mobile",
    "second_phone",
    "email",
    "id_number",
    "source",
    "birthday_calendar",
    "birthday",
    "birth_year",
    "lunar_birth_month",
    "lunar_birth_day",
    "lunar_birth_leap",
    "notes",
    "tier",
    "stage",
    "created_at",
    "erased_at",
)


def profile(client: Client) -> list[dict[str, Any]]:
    row = row_values(client, PROFILE_FIELDS)
    row["owner"] = client.owner.name if client.owner else ""
    row["store"] = client.store.name if client.store else ""
    row["tags"] = sorted(t.name for t in client.tags.all())
    row["referred_by"] = client.referred_by_id
    merged = Client.objects.filter(merged_into=client).order_by("pk")
    row["merged_duplicates"] = [row_values(m, ("name", "mobile", "created_at")) for m in merged]
    return [row]


def history(client: Client) -> list[dict[str, Any]]:
    rows = Client.history.model.objects.filter(id=client.pk).order_by("history_date", "history_id")
    return [
        {
            "history_date": h.history_date,
            "change": h.get_history_type_display(),
            "reason": h.history_change_reason or "",
            **{f: getattr(h, f) for f in ("name", "mobile", "second_phone", "email", "id_number", "notes")},
            "birthday": h.birthday,
        }
        for h in rows
    ]


def interactions(client: Client) -> list[dict[str, Any]]:
    rows = client.interactions.select_related("agent").order_by("happened_at", "id")
    return [
        {**row_values(i, ("kind", "summary", "happened_at", "next_follow_up_on")), "agent": i.agent.name}
        for i in rows
    ]


def consents(client: Client) -> list[dict[str, Any]]:
    return [row_values(c, ("channel", "granted", "at", "how")) for c in client.consents.order_by("at", "id")]


def ownership(client: Client) -> list[dict[str, Any]]:
    rows = client.ownership_changes.select_related("from_agent", "to_agent").order_by("at", "id")
    return [
        {
            **row_values(o, ("reason", "at", "note")),
            "from_agent": o.from_agent.name if o.from_agent else "",
            "to_agent": o.to_agent.name if o.to_agent else "",
        }
        for o in rows
    ]


def reveals(client: Client) -> list[dict[str, Any]]:
    rows = client.reveals.select_related("viewer").order_by("at", "id")
    return [{**row_values(r, ("field", "reason", "at")), "viewer": r.viewer.name} for r in rows]


def accesses(client: Client) -> list[dict[str, Any]]:
    rows = client.personal_data_accesses.select_related("agent").order_by("at", "id")
    return [{**row_values(a, ("kind", "detail", "reason", "at")), "agent": a.agent.name} for a in rows]


def kept(client: Client) -> list[dict[str, Any]]:
    rows = client.kept_records.order_by("at", "id")
    return [
        row_values(k, ("model", "object_id", "what", "reason", "keep_until", "at", "disposed_on"))
        for k in rows
    ]


def register() -> None:
    personal_data.register_section("client", profile, title=_("客户资料"), order=10)
    personal_data.register_section("client_history", history, title=_("客户资料修改历史"), order=11)
    personal_data.register_section("interactions", interactions, title=_("跟进记录"), order=12)
    personal_data.register_section("consents", consents, title=_("营销授权"), order=13)
    personal_data.register_section("ownership", ownership, title=_("归属变更"), order=14)
    personal_data.register_section("reveals", reveals, title=_("号码查看记录"), order=15)
    personal_data.register_section("accesses", accesses, title=_("个人信息访问记录"), order=16)
    personal_data.register_section("kept_records", kept, title=_("依法保留的记录"), order=99)
