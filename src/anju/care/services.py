"""Writes of client care: the company's care settings, pinned tiers, and the recomputations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from anju.care.models import CareSettings, TierPin
from anju.care.refresh import cadence_refresh, tiers_refresh
from anju.clients.models import Client, Tier
from anju.core.errors import ApplicationError
from anju.core.text import clean_text
from anju.org.models import Agent, Company, Role

PROSPECT_INTERVALS = ("prospect_a_days", "prospect_b_days", "prospect_c_days", "prospect_d_days")
INTERVALS = (*PROSPECT_INTERVALS, "transaction_days", "past_days")
POINTS = (
    "interaction_points",
    "interaction_cap",
    "showing_points",
    "showing_cap",
    "budget_high_points",
    "budget_mid_points",
    "active_need_points",
    "open_deal_points",
    "past_deal_points",
    "referral_points",
    "tier_a_min",
    "tier_b_min",
    "tier_c_min",
)
SETTINGS_BOUNDS: dict[str, tuple[int, int]] = {
    "recent_days": (1, 365),
    **dict.fromkeys(POINTS, (0, 1000)),
    **dict.fromkeys(INTERVALS, (1, 365)),
}


def care_settings(company_id: int) -> CareSettings:
    """The company's care settings, created with the defaults the first time."""
    settings, _created = CareSettings.objects.get_or_create(company_id=company_id)
    return settings


def _label(name: str) -> str:
    return str(getattr(CareSettings._meta.get_field(name), "verbose_name", name))


def care_settings_update(*, by: Agent, **values: int | Decimal) -> CareSettings:
    """The scoring rules, thresholds and contact intervals; managers and administrators.

    No prospect's interval may exceed the company's pool-return days: a prospect left that long
    would be back in the pool before the cadence ever asked for a contact.
    """
    if by.role not in (Role.MANAGER, Role.ADMIN):
        raise ApplicationError(_("只有店长和管理员可以修改客户维护设置。"), code="forbidden")
    settings = care_settings(by.company_id)
    for name, value in values.items():
        if name in ("budget_high", "budget_mid"):
            if value <= 0:
                raise ApplicationError(
                    _("%(label)s必须大于 0。") % {"label": _label(name)}, code="setting_out_of_range"
                )
            continue
        low, high = SETTINGS_BOUNDS[name]
        if not low <= value <= high:
            raise ApplicationError(
                _("%(label)s应在 %(low)s 到 %(high)s 之间。")
                % {"label": _label(name), "low": low, "high": high},
                code="setting_out_of_range",
            )
    merged = {
        name: values.get(name, getattr(settings, name))
        for name in (*SETTINGS_BOUNDS, "budget_high", "budget_mid")
    }
    if not merged["tier_a_min"] > merged["tier_b_min"] > merged["tier_c_min"]:
        raise ApplicationError(_("分级最低分必须 A > B > C。"), code="setting_out_of_range")
    if merged["budget_high"] <= merged["budget_mid"]:
        raise ApplicationError(_("高预算线必须高于中预算线。"), code="setting_out_of_range")
    pool_days = Company.objects.values_list("pool_return_days", flat=True).get(pk=by.company_id)
    too_long = [name for name in PROSPECT_INTERVALS if merged[name] > pool_days]
    if too_long:
        raise ApplicationError(
            _("%(label)s不能超过公司的私客回池天数（%(days)s 天），否则客户会先回到公客池。")
            % {"label": _label(too_long[0]), "days": pool_days},
            code="interval_exceeds_pool_days",
            extra={"fields": too_long, "pool_return_days": pool_days},
        )
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


@transaction.atomic
def tiers_recompute(
    *,
    company_id: int,
    client_ids: Iterable[int] | None = None,
    by_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Tiers and then cadence, for the whole company or for ``client_ids``; idempotent.

    Returns how many clients were scored, how many changed tier, how many were rewritten (tier,
    reasons, stage or the next contact these give changed) and how many others only had their next
    contact moved.

    The settings row is locked: a whole company's run takes it for itself, so that two workers
    running the job at once take turns instead of writing the shared working table together; a run
    for the clients an event names shares it with the other such runs, and takes those clients' rows
    instead (decision 0029).
    """
    care_settings(company_id)
    ids = None if client_ids is None else sorted(set(client_ids))
    settings = _locked_settings(company_id, ids)
    covered, changed, rewritten = tiers_refresh(settings=settings, client_ids=ids, by_id=by_id, now=now)
    moved = cadence_refresh(settings=settings, client_ids=ids)
    return {"clients": covered, "changed": changed, "rewritten": rewritten, "contacts_moved": moved}


def _locked_settings(company_id: int, client_ids: list[int] | None) -> CareSettings:
    """The settings a run scores by, locked until its transaction ends.

    Every follow-up recorded runs the tiers of its one client: with the row taken for itself, each
    waited for every other follow-up of the company to commit (a chain's agents, all day). A run
    for named clients writes the working table's rows of those clients only, so such runs share the
    row and take turns per client instead, on the clients' rows (in id order: two runs naming the
    same clients cannot wait for each other). They take the weakest share, ``FOR KEY SHARE``: the
    whole company's run (``FOR UPDATE``) waits for them and they for it, but a manager saving the
    settings does not wait for the follow-ups of the moment (a run scores by the settings it read),
    and the clients' rows are taken ``FOR NO KEY UPDATE``, which leaves the rows that point at a
    client free to be written meanwhile. SQLite has one writer at a time and no row locks.
    """
    rows = CareSettings.objects.filter(company_id=company_id)
    if client_ids is None:
        return rows.select_for_update().get()
    if connection.vendor != "postgresql":
        return rows.get()
    table = connection.ops.quote_name(CareSettings._meta.db_table)
    [settings] = CareSettings.objects.raw(
        f"SELECT * FROM {table} WHERE company_id = %s FOR KEY SHARE",  # noqa: S608 - our table's name
        [company_id],
    )
    locked = Client.objects.select_for_update(no_key=True).filter(pk__in=client_ids).order_by("pk")
    list(locked.values_list("pk", flat=True))
    return settings


@transaction.atomic
def cadence_recompute(*, company_id: int, client_ids: Iterable[int] | None = None) -> int:
    settings = CareSettings.objects.select_for_update().get(pk=care_settings(company_id).pk)
    return cadence_refresh(settings=settings, client_ids=client_ids)


def _ensure_manager(by: Agent, client: Client) -> None:
    if by.company_id != client.company_id or by.role not in (Role.MANAGER, Role.ADMIN):
        raise ApplicationError(_("只有店长和管理员可以手动设定客户分级。"), code="forbidden")
    if by.role == Role.MANAGER and client.store_id not in (None, by.store_id):
        raise ApplicationError(_("店长只能设定本店客户的分级。"), code="forbidden")


@transaction.atomic
def tier_pin(*, client: Client, by: Agent, tier: str, reason: str) -> TierPin:
    """A manager sets the client's tier by hand; it holds over the computed one until unpinned."""
    _ensure_manager(by, client)
    if tier not in Tier.values:
        raise ApplicationError(_("分级不正确。"), code="tier_invalid")
    text = clean_text(reason, label=_("原因"), most=200)
    if not text:
        raise ApplicationError(_("请填写手动分级的原因。"), code="reason_required")
    pin, _created = TierPin.objects.update_or_create(
        client=client, defaults={"tier": tier, "reason": text, "by": by}
    )
    tiers_recompute(company_id=client.company_id, client_ids=[client.pk], by_id=by.pk)
    client.refresh_from_db(fields=["tier", "tier_reasons", "stage", "next_contact_on"])
    return pin


@transaction.atomic
def tier_unpin(*, client: Client, by: Agent) -> Client:
    """The computed tier holds again (the change is kept in the history like any other)."""
    _ensure_manager(by, client)
    TierPin.objects.filter(client=client).delete()
    tiers_recompute(company_id=client.company_id, client_ids=[client.pk], by_id=by.pk)
    client.refresh_from_db(fields=["tier", "tier_reasons", "stage", "next_contact_on"])
    return client
