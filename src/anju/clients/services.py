"""Writes for clients: intake, consent, the private/public pools, number reveals, follow-ups and merging.

Ownership is what agents compete over, so every change of owner writes an OwnershipChange row and
the rules of the pool (daily claim limit, automatic return) are enforced here, in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.announcements import (
    ClientErased,
    ClientReferred,
    ClientsMerged,
    InteractionsRecorded,
    KeptRecordsExpired,
)
from anju.clients.models import (
    AccessKind,
    Channel,
    Client,
    ClientTag,
    Consent,
    Interaction,
    InteractionKind,
    KeptRecord,
    OwnershipChange,
    OwnershipReason,
    PersonalDataAccess,
    RevealLog,
    Source,
    Stage,
)
from anju.clients.selectors import ensure_may_write
from anju.core import personal_data
from anju.core.announcements import announce
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import mask_mobile
from anju.core.idcard import normalize_id_number
from anju.core.phones import normalize_mobile, normalize_phone
from anju.core.text import clean_name, clean_text
from anju.org.models import Agent, Notification, Role
from anju.org.scoping import can_see_owned

log = logging.getLogger(__name__)

NAME_MAX = 30  # Client.name's length


@dataclass(frozen=True)
class Birthday:
    """A solar date, or a lunar month/day (with leap flag); the year is optional for lunar ones."""

    calendar: str = ""  # "", "solar" or "lunar"
    solar: dt.date | None = None
    lunar_month: int | None = None
    lunar_day: int | None = None
    lunar_leap: bool = False
    year: int | None = None


@dataclass(frozen=True)
class ConsentInput:
    channel: str
    granted: bool
    how: str


def _check_birthday(birthday: Birthday) -> None:
    if birthday.calendar == "solar":
        if birthday.solar is None:
            raise ApplicationError(_("请填写公历生日。"), code="birthday_invalid")
        if birthday.solar > timezone.localdate():
            raise ApplicationError(_("生日不能晚于今天。"), code="birthday_invalid")
    elif birthday.calendar == "lunar":
        month, day = birthday.lunar_month, birthday.lunar_day
        if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 30:
            raise ApplicationError(_("农历生日的月份应为 1–12，日期应为 1–30。"), code="birthday_invalid")
    elif birthday.calendar:
        raise ApplicationError(_("生日历法只能是公历或农历。"), code="birthday_invalid")
    if birthday.year is not None and not 1900 <= birthday.year <= timezone.localdate().year:
        raise ApplicationError(_("出生年份不正确。"), code="birthday_invalid")


def _apply_birthday(client: Client, birthday: Birthday) -> None:
    _check_birthday(birthday)
    client.birthday_calendar = birthday.calendar
    client.birthday = birthday.solar if birthday.calendar == "solar" else None
    client.birth_year = birthday.solar.year if birthday.solar else birthday.year
    lunar = birthday.calendar == "lunar"
    client.lunar_birth_month = birthday.lunar_month if lunar else None
    client.lunar_birth_day = birthday.lunar_day if lunar else None
    client.lunar_birth_leap = birthday.lunar_leap if lunar else False


def _duplicate_error(existing: Client, viewer: Agent) -> ConflictError:
    if existing.owner_id is None:
        where = _("公客池")
    elif existing.owner_id == viewer.pk:
        where = _("您自己")
    else:
        where = _("%(agent)s（%(store)s）") % {
            "agent": existing.owner.name if existing.owner else "",
            "store": existing.store.name if existing.store else "",
        }
    if viewer.user.has_perm("clients.view_client", existing):
        message = _("手机号 %(mobile)s 已是%(where)s的客户“%(name)s”，未重复创建。") % {
            "mobile": mask_mobile(existing.mobile),
            "where": where,
            "name": existing.name,
        }
    else:
        # A colleague's private client: say whose it is, not who it is.
        message = _("手机号 %(mobile)s 已是%(where)s的客户，未重复创建。") % {
            "mobile": mask_mobile(existing.mobile),
            "where": where,
        }
    return ConflictError(
        message,
        code="duplicate_mobile",
        extra={"client_id": existing.pk},
    )


def find_by_mobile(*, company_id: int, mobile: str) -> Client | None:
    return (
        Client.objects.select_related("owner", "store")
        .filter(company_id=company_id, mobile=mobile, merged_into__isnull=True)
        .first()
    )


def _tags(company_id: int, names: list[str]) -> list[ClientTag]:
    cleaned = sorted({tag for tag in (clean_name(n, label=_("标签")) for n in names) if tag})
    if any(len(n) > 20 for n in cleaned):
        raise ApplicationError(_("标签最长 20 个字。"), code="tag_too_long")
    return [ClientTag.objects.get_or_create(company_id=company_id, name=n)[0] for n in cleaned]


def _owner_for(agent: Agent, owner: Agent | None) -> Agent | None:
    """Whom a new client belongs to: the recording agent, or someone a manager/admin names."""
    if owner is None:
        return agent if agent.store_id is not None else None
    if owner.company_id != agent.company_id or not owner.is_active:
        raise ApplicationError(_("归属经纪人无效。"), code="owner_invalid")
    if owner.pk != agent.pk and not can_see_owned(
        agent, company_id=owner.company_id, owner_id=owner.pk, store_id=owner.store_id
    ):
        raise ApplicationError(_("您只能把客户分配给本人或您管理的经纪人。"), code="owner_out_of_scope")
    if owner.store_id is None:
        raise ApplicationError(_("归属经纪人必须属于一个门店。"), code="owner_invalid")
    return owner


def _clean_email(email: str) -> str:
    """An e-mail address as the outbox sends to it; empty for none."""
    email = email.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("邮箱地址格式不正确。"), code="email_invalid") from None
    return email


@transaction.atomic
def client_create(
    *,
    agent: Agent,
    name: str,
    mobile: str,
    source: str = Source.STORE_VISIT,
    gender: str = "",
    second_phone: str = "",
    id_number: str = "",
    birthday: Birthday | None = None,
    tags: list[str] | None = None,
    referred_by: Client | None = None,
    notes: str = "",
    consents: list[ConsentInput] | None = None,
    owner: Agent | None = None,
    email: str = "",
) -> Client:
    """Record a client. A mobile the company already has is refused, naming whose client it is."""
    name = clean_name(name, label=_("客户姓名"), most=NAME_MAX)
    if not name:
        raise ApplicationError(_("请填写客户姓名。"), code="name_required")
    if source not in Source.values:
        raise ApplicationError(_("来源渠道无效。"), code="source_invalid")
    if gender not in {"", "m", "f"}:
        raise ApplicationError(_("性别无效。"), code="gender_invalid")
    normalized = normalize_mobile(mobile)
    existing = find_by_mobile(company_id=agent.company_id, mobile=normalized)
    if existing is not None:
        raise _duplicate_error(existing, agent)
    if referred_by is not None and referred_by.company_id != agent.company_id:
        raise ApplicationError(_("介绍人不存在。"), code="referrer_invalid")
    new_owner = _owner_for(agent, owner)
    client = Client(
        company_id=agent.company_id,
        name=name,
        mobile=normalized,
        email=_clean_email(email),
        source=source,
        gender=gender,
        second_phone=normalize_phone(second_phone) if second_phone.strip() else "",
        id_number=normalize_id_number(id_number) if id_number.strip() else "",
        referred_by=referred_by,
        notes=clean_text(notes, label=_("备注"), multiline=True),
        owner=new_owner,
        store_id=new_owner.store_id if new_owner else None,
    )
    _apply_birthday(client, birthday or Birthday())
    client.save()
    client.tags.set(_tags(agent.company_id, tags or []))
    OwnershipChange.objects.create(client=client, to_agent=new_owner, reason=OwnershipReason.INTAKE, by=agent)
    for consent in consents or []:
        consent_record(
            client=client, by=agent, channel=consent.channel, granted=consent.granted, how=consent.how
        )
    if referred_by is not None:
        announce(
            ClientReferred(
                company_id=client.company_id, client_id=client.pk, referrer_id=referred_by.pk, by_id=agent.pk
            )
        )
    return client


@transaction.atomic
def client_set_referrer(*, client: Client, referrer: Client, by: Agent) -> Client:
    """Record who referred ``client`` (介绍人) after intake; the referral row follows (``ClientReferred``).

    A client is referred once: naming a different referrer later is refused, naming the same one
    again changes nothing."""
    if referrer.company_id != client.company_id or referrer.merged_into_id is not None:
        raise ApplicationError(_("介绍人不存在。"), code="referrer_invalid")
    if referrer.pk == client.pk:
        raise ApplicationError(_("客户不能介绍自己。"), code="referrer_self")
    locked = _locked(client)
    if locked.referred_by_id not in (None, referrer.pk):
        raise ConflictError(
            _("该客户已登记由“%(name)s”介绍。") % {"name": locked.referred_by.name},  # type: ignore[union-attr]
            code="referrer_already_set",
        )
    if locked.referred_by_id is None:
        locked.referred_by = referrer
        locked.save(update_fields=["referred_by", "updated_at"])
    announce(
        ClientReferred(
            company_id=locked.company_id, client_id=locked.pk, referrer_id=referrer.pk, by_id=by.pk
        )
    )
    client.referred_by = locked.referred_by
    return locked


@transaction.atomic
def client_update(
    *,
    client: Client,
    by: Agent,
    name: str | None = None,
    mobile: str | None = None,
    source: str | None = None,
    gender: str | None = None,
    second_phone: str | None = None,
    id_number: str | None = None,
    birthday: Birthday | None = None,
    tags: list[str] | None = None,
    notes: str | None = None,
    email: str | None = None,
) -> Client:
    """Change what was recorded; a mobile that another client of the company has is refused."""
    if email is not None:
        client.email = _clean_email(email)
    if name is not None:
        name = clean_name(name, label=_("客户姓名"), most=NAME_MAX)
        if not name:
            raise ApplicationError(_("请填写客户姓名。"), code="name_required")
        client.name = name
    if mobile is not None:
        normalized = normalize_mobile(mobile)
        existing = find_by_mobile(company_id=client.company_id, mobile=normalized)
        if existing is not None and existing.pk != client.pk:
            raise _duplicate_error(existing, by)
        client.mobile = normalized
    if source is not None:
        if source not in Source.values:
            raise ApplicationError(_("来源渠道无效。"), code="source_invalid")
        client.source = source
    if gender is not None:
        if gender not in {"", "m", "f"}:
            raise ApplicationError(_("性别无效。"), code="gender_invalid")
        client.gender = gender
    if second_phone is not None:
        client.second_phone = normalize_phone(second_phone) if second_phone.strip() else ""
    if id_number is not None:
        client.id_number = normalize_id_number(id_number) if id_number.strip() else ""
    if birthday is not None:
        _apply_birthday(client, birthday)
    if notes is not None:
        client.notes = clean_text(notes, label=_("备注"), multiline=True)
    client.save()
    if tags is not None:
        client.tags.set(_tags(client.company_id, tags))
    return client


def consent_record(*, client: Client, by: Agent | None, channel: str, granted: bool, how: str) -> Consent:
    """A new consent row; the newest per channel is what holds. Nothing is ever overwritten."""
    if channel not in Channel.values:
        raise ApplicationError(_("营销渠道无效。"), code="channel_invalid")
    how = clean_text(how, label=_("授权方式"))
    if not how:
        raise ApplicationError(_("请说明客户是以什么方式授权或撤回的。"), code="consent_how_required")
    return Consent.objects.create(client=client, channel=channel, granted=granted, how=how, recorded_by=by)


def current_consents(client: Client) -> dict[str, Consent]:
    """The latest consent per channel. Sorted here, so that a list that prefetched its clients'
    consents asks nothing more for each client (``order_by`` would ask again)."""
    latest: dict[str, Consent] = {}
    for consent in sorted(client.consents.all(), key=lambda c: (c.at, c.pk)):
        latest[consent.channel] = consent
    return latest


# --- the pools ------------------------------------------------------------------------------------


def _set_owner(client: Client, *, to: Agent | None, reason: str, by: Agent | None, note: str = "") -> Client:
    OwnershipChange.objects.create(
        client=client, from_agent=client.owner, to_agent=to, reason=reason, by=by, note=note
    )
    client.owner = to
    client.store_id = to.store_id if to else None
    if to is not None:
        # A claimed or transferred client gets a fresh clock before it may return to the pool.
        client.last_contact_at = timezone.now()
    client.save(update_fields=["owner", "store", "last_contact_at"])
    return client


def _locked(client: Client) -> Client:
    # Lock the client row only: PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
    return (
        Client.objects.select_for_update(of=("self",))
        .select_related("owner", "store", "company")
        .get(pk=client.pk)
    )


def claims_today(agent: Agent) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return OwnershipChange.objects.filter(to_agent=agent, reason=OwnershipReason.CLAIM, at__gte=start).count()


@transaction.atomic
def client_claim(*, client: Client, agent: Agent) -> Client:
    """Take a client from the public pool, within the company's daily limit per agent."""
    client = _locked(client)
    if (
        client.company_id != agent.company_id
        or client.merged_into_id is not None
        or client.erased_at is not None
    ):
        raise ApplicationError(_("没有找到该客户。"), code="not_found")
    if client.owner_id is not None:
        raise ConflictError(_("该客户已被认领，不在公客池中。"), code="not_in_pool")
    if agent.store_id is None:
        raise ApplicationError(_("没有门店的账号不能认领客户。"), code="no_store")
    limit = client.company.daily_claim_limit
    if claims_today(agent) >= limit:
        raise ApplicationError(
            _("今天已认领 %(limit)s 位公客，达到公司每日上限。") % {"limit": limit}, code="claim_limit"
        )
    return _set_owner(client, to=agent, reason=OwnershipReason.CLAIM, by=agent)


@transaction.atomic
def client_release(*, client: Client, by: Agent, note: str = "") -> Client:
    """Put a private client back into the public pool (the owner, or a manager above them)."""
    client = _locked(client)
    if client.owner_id is None:
        raise ConflictError(_("该客户已在公客池中。"), code="already_in_pool")
    return _set_owner(client, to=None, reason=OwnershipReason.RELEASE, by=by, note=note.strip())


@transaction.atomic
def client_transfer(*, client: Client, to: Agent, by: Agent, note: str = "") -> Client:
    """A manager hands a client to another agent (e.g. when someone leaves)."""
    client = _locked(client)
    if by.role not in (Role.MANAGER, Role.ADMIN):
        raise ApplicationError(_("只有店长和管理员可以转交客户。"), code="forbidden")
    if to.company_id != client.company_id or not to.is_active or to.store_id is None:
        raise ApplicationError(_("接收的经纪人无效。"), code="owner_invalid")
    if by.role == Role.MANAGER and to.store_id != by.store_id:
        raise ApplicationError(_("店长只能把客户转交给本店的经纪人。"), code="owner_out_of_scope")
    if client.owner_id == to.pk:
        raise ConflictError(_("该客户已归属此经纪人。"), code="same_owner")
    return _set_owner(client, to=to, reason=OwnershipReason.TRANSFER, by=by, note=note.strip())


def _neglected(company_days: int, now: dt.datetime) -> Q:
    cutoff = now - dt.timedelta(days=company_days)
    return Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff)


def clients_return_to_pool(*, now: dt.datetime | None = None) -> int:
    """The nightly job: private clients with no follow-up for the company's N days go to the pool.

    Only prospects: a client in a transaction or a past client (the stage the care app keeps on the
    client from their deals) stays with the agent who serves them, however quiet.
    """
    from anju.org.models import Company

    now = now or timezone.now()
    returned = 0
    for company in Company.objects.all():
        due = Client.objects.filter(
            company=company,
            owner__isnull=False,
            merged_into__isnull=True,
            erased_at__isnull=True,
            stage=Stage.PROSPECT,
        ).filter(_neglected(company.pool_return_days, now))
        for client_id in due.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                client = _locked(Client(pk=client_id))
                # Checked again under the lock: a follow-up may have arrived since the query.
                if (
                    client.owner_id is None
                    or not Client.objects.filter(
                        _neglected(company.pool_return_days, now), pk=client_id, stage=Stage.PROSPECT
                    ).exists()
                ):
                    continue
                note = _("%(days)s 天无跟进，自动回到公客池。") % {"days": company.pool_return_days}
                _set_owner(client, to=None, reason=OwnershipReason.AUTO_RETURN, by=None, note=note)
                returned += 1
    return returned


def pool_return_warnings(*, now: dt.datetime | None = None) -> int:
    """Tell each agent which private clients will return to the pool within the warning days."""
    from anju.org.models import Company

    now = now or timezone.now()
    sent = 0
    for company in Company.objects.all():
        horizon = company.pool_return_days - company.pool_warning_days
        if horizon <= 0:
            continue
        soon = (
            Client.objects.filter(
                company=company,
                owner__isnull=False,
                merged_into__isnull=True,
                erased_at__isnull=True,
                stage=Stage.PROSPECT,
            )
            .filter(_neglected(horizon, now))
            .exclude(_neglected(company.pool_return_days, now))
            .select_related("owner")
        )
        for client in soon.iterator():
            last = client.last_contact_at or client.created_at
            returns_on = timezone.localtime(last + dt.timedelta(days=company.pool_return_days)).date()
            if client.owner is None:
                continue
            _notice, created = Notification.objects.get_or_create(
                key=f"pool-warning:{client.pk}:{returns_on.isoformat()}",
                defaults={
                    "agent": client.owner,
                    "text": _("私客“%(name)s”将于 %(date)s 回到公客池，请及时跟进。")
                    % {"name": client.name, "date": f"{returns_on.month}月{returns_on.day}日"},
                    "url": f"/clients/{client.pk}/",
                },
            )
            sent += int(created)
    return sent


# --- privacy ---------------------------------------------------------------------------------------

REVEALABLE = {"mobile": "mobile", "id_number": "id_number", "second_phone": "second_phone"}


@transaction.atomic
def client_reveal(*, client: Client, viewer: Agent, field: str, reason: str) -> str:
    """The full number for this viewer, once the reason is written to the access log."""
    if field not in REVEALABLE:
        raise ApplicationError(_("无法查看该内容。"), code="field_invalid")
    if not reason.strip():
        raise ApplicationError(_("请填写查看号码的原因。"), code="reason_required")
    if client.erased_at is not None:
        raise ApplicationError(_("该客户的个人信息已按个人信息保护法删除。"), code="client_erased")
    value = getattr(client, REVEALABLE[field])
    if not value:
        raise ApplicationError(_("该客户没有登记此号码。"), code="empty")
    reveal = RevealLog.objects.create(client=client, viewer=viewer, field=field, reason=reason.strip()[:200])
    personal_data_access_record(
        client=client,
        agent=viewer,
        kind=AccessKind.REVEAL,
        detail=reveal.get_field_display(),
        reason=reveal.reason,
    )
    return str(value)


# --- follow-ups (跟进记录) -------------------------------------------------------------------------

SUMMARY_MAX = 2000
FOLLOW_UP_HORIZON = dt.timedelta(days=366)
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)


@transaction.atomic
def interaction_create(
    *,
    agent: Agent,
    client: Client,
    kind: str,
    summary: str,
    happened_at: dt.datetime | None = None,
    next_follow_up_on: dt.date | None = None,
    clear_next_follow_up: bool = False,
    need_id: int | None = None,
) -> Interaction:
    """Records a follow-up and moves the client's clocks: the last contact, and the next follow-up.

    The client's ``last_contact_at`` (what returns a neglected client to the pool) and
    ``next_follow_up_on`` follow the newest follow-up; one entered afterwards for an earlier time
    is kept in the record without moving them back. A follow-up without a next date keeps the one
    already scheduled: a quick note must not unschedule it. ``clear_next_follow_up`` clears it.
    """
    ensure_may_write(agent, client)
    if kind not in InteractionKind.values:
        raise ApplicationError(_("跟进方式不正确。"), code="kind_invalid")
    text = clean_text(summary, label=_("跟进内容"), multiline=True, most=SUMMARY_MAX)
    if not text:
        raise ApplicationError(_("请填写跟进内容。"), code="summary_required")
    now = timezone.now()
    if happened_at is None:
        happened_at = now
    elif timezone.is_naive(happened_at):
        happened_at = timezone.make_aware(happened_at)
    if happened_at > now + CLOCK_SKEW:
        raise ApplicationError(_("跟进时间不能晚于现在。"), code="in_future")
    today = timezone.localdate()
    if next_follow_up_on is not None:
        if clear_next_follow_up:
            raise ApplicationError(_("不能既安排下次跟进又清除它。"), code="follow_up_conflicting")
        if next_follow_up_on < today:
            raise ApplicationError(_("下次跟进日期不能早于今天。"), code="follow_up_in_past")
        if next_follow_up_on > today + FOLLOW_UP_HORIZON:
            raise ApplicationError(_("下次跟进日期不能超过一年以后。"), code="follow_up_too_far")
    # ``needs`` is the reverse of the need's client: the need named must be one of this client's.
    if need_id is not None and not client.needs.filter(pk=need_id).exists():
        raise ApplicationError(_("该需求不属于此客户。"), code="need_not_clients")
    interaction = Interaction.objects.create(
        client=client,
        agent=agent,
        need_id=need_id,
        kind=kind,
        summary=text,
        happened_at=happened_at,
        next_follow_up_on=next_follow_up_on,
    )
    # The row is locked so that two follow-ups saved at once leave the newer one's dates.
    last = Client.objects.select_for_update().values_list("last_contact_at", flat=True).get(pk=client.pk)
    if last is None or happened_at >= last:
        # update(), not save(): the clocks are excluded from the client's history on purpose.
        clocks: dict[str, object] = {"last_contact_at": happened_at}
        if next_follow_up_on is not None or clear_next_follow_up:
            clocks["next_follow_up_on"] = next_follow_up_on
        Client.objects.filter(pk=client.pk).update(**clocks)
        for name, value in clocks.items():
            setattr(client, name, value)
    announce(InteractionsRecorded(company_id=client.company_id, client_ids=(client.pk,)))
    return interaction


# --- merging duplicates ----------------------------------------------------------------------------


@transaction.atomic
def client_merge(*, keep: Client, merge: Client, by: Agent) -> Client:
    """Fold ``merge`` into ``keep``: every need, follow-up, consent and record moves; nothing is lost.

    The merged row stays (marked ``merged_into``) so that its history and any old link still lead
    somewhere; blank details of ``keep`` are filled from ``merge``.
    """
    if by.role not in (Role.MANAGER, Role.ADMIN):
        raise ApplicationError(_("只有店长和管理员可以合并客户。"), code="forbidden")
    if keep.pk == merge.pk:
        raise ApplicationError(_("不能把客户与自己合并。"), code="same_client")
    if keep.company_id != merge.company_id or merge.merged_into_id or keep.merged_into_id:
        raise ApplicationError(_("只能合并本公司尚未合并的客户。"), code="merge_invalid")
    keep, merge = _locked(keep), _locked(merge)
    for model in (Interaction, Consent, RevealLog, OwnershipChange):
        model.objects.filter(client=merge).update(client=keep)
    Client.objects.filter(referred_by=merge).update(referred_by=keep)
    for field in ("second_phone", "id_number", "gender", "notes"):
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
    if not keep.birthday_calendar and merge.birthday_calendar:
        for field in (
            "birthday_calendar",
            "birthday",
            "birth_year",
            "lunar_birth_month",
            "lunar_birth_day",
            "lunar_birth_leap",
        ):
            setattr(keep, field, getattr(merge, field))
    if keep.referred_by_id is None and merge.referred_by_id not in (None, keep.pk):
        keep.referred_by_id = merge.referred_by_id
    latest = max((d for d in (keep.last_contact_at, merge.last_contact_at) if d), default=None)
    keep.last_contact_at = latest
    keep.save()
    keep.tags.add(*merge.tags.all())
    merge.merged_into = keep
    merge.save(update_fields=["merged_into"])
    OwnershipChange.objects.create(
        client=keep,
        from_agent=keep.owner,
        to_agent=keep.owner,
        reason=OwnershipReason.MERGE,
        by=by,
        note=_("合并了客户“%(name)s”（%(mobile)s）")
        % {"name": merge.name, "mobile": mask_mobile(merge.mobile)},
    )
    # Needs, flats and listings belong to the apps that keep them: they move what points at ``merge``.
    # Announced last: client care scores ``keep`` by what it now holds and writes its tier, which a
    # ``keep.save()`` after it would put back as it was.
    announce(ClientsMerged(company_id=keep.company_id, keep_id=keep.pk, merged_id=merge.pk))
    return keep


# --- personal information rights (个人信息保护法, decision 0024) ----------------------------------

ERASED_NAME = "已删除客户"
ERASED_TEXT = "（个人信息已按个人信息保护法删除）"
ERASED_HOW = "客户要求删除个人信息"
# A part of the notes shorter than this ("周末") is too common to be the client's: it is not scrubbed.
NOTE_PART_MIN = 4


def erased_mobile(client_id: int) -> str:
    """What stands in the mobile column of an erased client: no number, unique per client (the
    column is unique per company)."""
    return f"erased-{client_id}"


def _may_handle_personal_data(by: Agent) -> None:
    if by.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("只有店长和管理员可以导出或删除客户的个人信息。"))


def personal_data_access_record(
    *, client: Client, agent: Agent, kind: str, detail: str = "", reason: str = ""
) -> PersonalDataAccess:
    """One line of the audit log a manager reads (个人信息访问记录)."""
    return PersonalDataAccess.objects.create(
        company_id=client.company_id,
        client=client,
        agent=agent,
        kind=kind,
        detail=detail[:200],
        reason=reason[:200],
    )


@dataclass(frozen=True)
class PersonalDataExport:
    filename: str
    content: bytes
    sections: tuple[str, ...]


@transaction.atomic
def client_export(*, client: Client, by: Agent) -> PersonalDataExport:
    """Everything Anju holds about the client, one section per app, as one JSON file; the export
    is itself logged as staff access to personal data."""
    _may_handle_personal_data(by)
    personal_data_access_record(client=client, agent=by, kind=AccessKind.EXPORT, detail=_("个人信息导出文件"))
    sections = personal_data.export_sections(client)
    now = timezone.localtime()
    content = personal_data.export_json(
        {
            "client_id": client.pk,
            "company": client.company.name,
            "exported_at": now,
            "exported_by": by.name,
            "erased_at": client.erased_at,
        },
        sections,
    )
    return PersonalDataExport(
        filename=f"client-{client.pk}-personal-data-{now:%Y%m%d}.json",
        content=content,
        sections=tuple(s.key for s in sections),
    )


def personal_values(clients: list[Client]) -> tuple[str, ...]:
    """The values that identify these clients, as they may have been copied into other text: the
    name, phones, ID number, e-mail, the birthday as a date, the notes and each line and clause of
    them (of at least ``NOTE_PART_MIN`` characters)."""
    values: set[str] = set()
    for client in clients:
        values.update({client.name, client.mobile, client.second_phone, client.id_number, client.email})
        if client.birthday:
            values.add(client.birthday.isoformat())
        notes = client.notes.strip()
        if notes:
            # The notes, and each line and clause of them: a follow-up or a need copies a part.
            values.add(notes)
            values.update(
                p.strip() for p in re.split(r"[\n，。；！？,;!?]", notes) if len(p.strip()) >= NOTE_PART_MIN
            )
    values.discard("")
    values.discard(ERASED_NAME)
    return tuple(sorted(values, key=len, reverse=True))


def retention_years(on: dt.date) -> int:
    """The retention period of a deal's records on ``on`` (``data/retention.toml``)."""
    return int(_retention_rule(on)["years"])


def _retention_rule(on: dt.date) -> dict[str, Any]:
    rules = [r for r in _retention_rules() if r["effective"] <= on]
    if not rules:
        raise ApplicationError(_("没有适用的资料保存期限规则。"), code="retention_unknown")
    return max(rules, key=lambda r: r["effective"])


@functools.cache
def _retention_rules() -> list[dict[str, Any]]:
    with (Path(__file__).parent / "data" / "retention.toml").open("rb") as file:
        return list(tomllib.load(file)["rule"])


def retention_ends(start: dt.date | dt.datetime) -> dt.date:
    """The last day a record dated ``start`` must be kept."""
    day = timezone.localdate(start) if isinstance(start, dt.datetime) else start
    years = retention_years(day)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def record_kept(*, client_id: int, obj: Any, what: str, reason: str, keep_until: dt.date) -> KeptRecord:
    """Mark ``obj`` as kept by law for an erased client: it stays, for storage only, until
    ``keep_until`` (the apps above call this from their erasers)."""
    kept, _created = KeptRecord.objects.get_or_create(
        client_id=client_id,
        model=obj._meta.label,
        object_id=obj.pk,
        defaults={"what": what[:200], "reason": reason[:200], "keep_until": keep_until},
    )
    return kept


def kept_records_dispose(*, today: dt.date) -> dict[str, int]:
    """Dispose of the kept records whose period ended before ``today`` (the company's date): the
    owning apps empty the rows' personal fields and delete their files (``KeptRecordsExpired``),
    and each record is marked ``disposed_on``. One transaction per client, so a failure leaves that
    client's records as they were (logged, tried again the next night) and the others go on; the
    files are deleted only after the commit. Idempotent: a record disposed of is not heard again.

    Returns how many clients and records were disposed of, and how many clients failed."""
    done = {"clients": 0, "records": 0, "failed": 0}
    due = KeptRecord.objects.filter(keep_until__lt=today, disposed_on__isnull=True)
    client_ids = sorted(set(due.values_list("client_id", flat=True)))
    for client_id in client_ids:
        try:
            disposed = _kept_records_dispose_of(client_id=client_id, today=today)
        except Exception:  # one client's failure must not keep every other client's records
            log.exception("the expired kept records of client %s could not be disposed of", client_id)
            done["failed"] += 1
            continue
        if disposed:
            done["clients"] += 1
            done["records"] += disposed
    return done


@transaction.atomic
def _kept_records_dispose_of(*, client_id: int, today: dt.date) -> int:
    # Locked and read again: a second worker running the job at once finds them disposed.
    records = list(
        KeptRecord.objects.select_for_update()
        .filter(client_id=client_id, keep_until__lt=today, disposed_on__isnull=True)
        .order_by("pk")
    )
    if not records:
        return 0
    announce(
        KeptRecordsExpired(
            company_id=Client.objects.values_list("company_id", flat=True).get(pk=client_id),
            records=tuple((r.model, r.object_id) for r in records),
            on=today,
        )
    )
    return KeptRecord.objects.filter(pk__in=[r.pk for r in records]).update(disposed_on=today)


@transaction.atomic
def client_erase(*, client: Client, by: Agent, confirm_name: str) -> Client:
    """Erase the client's personal information everywhere (个人信息保护法 第四十七条): the client's
    fields and their history anonymised, follow-ups emptied, consents withdrawn, and every app's
    copies scrubbed (``ClientErased``); the records a deal must keep stay, listed with the reason.
    ``confirm_name`` must repeat the client's name: this cannot be undone."""
    _may_handle_personal_data(by)
    if client.merged_into_id is not None:
        raise ApplicationError(_("该客户已合并到其他客户，请在合并后的客户下操作。"), code="client_merged")
    client = _locked(client)
    if client.erased_at is not None:
        raise ApplicationError(_("该客户的个人信息已经删除。"), code="client_erased")
    if confirm_name.strip() != client.name:
        raise ApplicationError(_("请输入客户姓名以确认删除。"), code="confirm_name_mismatch")
    duplicates = list(Client.objects.select_for_update().filter(merged_into=client))
    everyone = [client, *duplicates]
    ids = tuple(c.pk for c in everyone)
    values = personal_values(everyone)
    now = timezone.now()
    personal_data_access_record(client=client, agent=by, kind=AccessKind.ERASURE, detail=_("个人信息已删除"))
    # The apps above scrub their copies while the values are still known to them.
    announce(
        ClientErased(
            company_id=client.company_id,
            client_ids=ids,
            values=values,
            by_id=by.pk,
            on=timezone.localdate(now),
        )
    )
    for channel in Channel.values:
        for one in everyone:
            Consent.objects.create(client=one, channel=channel, granted=False, how=ERASED_HOW, recorded_by=by)
    Interaction.objects.filter(client_id__in=ids).update(summary=ERASED_TEXT)
    personal_data.scrub_rows(OwnershipChange.objects.filter(client_id__in=ids), ["note"], values)
    personal_data.scrub_rows(RevealLog.objects.filter(client_id__in=ids), ["reason"], values)
    personal_data.scrub_rows(
        PersonalDataAccess.objects.filter(client_id__in=ids), ["detail", "reason"], values
    )
    personal_data.scrub_rows(Consent.objects.filter(client_id__in=ids), ["how"], values)
    personal_data.scrub_rows(
        Notification.objects.filter(agent__company_id=client.company_id), ["text"], values
    )
    # Other clients' notes and history may name the client (介绍人 张三).
    company_clients = Client.objects.filter(company_id=client.company_id).exclude(pk__in=ids)
    personal_data.scrub_rows(company_clients, ["notes"], values)
    personal_data.scrub_rows(
        Client.history.model.objects.filter(company_id=client.company_id).exclude(id__in=ids),
        ["notes"],
        values,
    )
    anonymous = {
        "name": ERASED_NAME,
        "gender": "",
        "email": "",
        "notes": "",
        "second_phone": "",
        "id_number": "",
        "birthday_calendar": "",
        "birthday": None,
        "birth_year": None,
        "lunar_birth_month": None,
        "lunar_birth_day": None,
        "lunar_birth_leap": False,
    }
    for one in everyone:
        for name, value in {**anonymous, "mobile": erased_mobile(one.pk)}.items():
            setattr(one, name, value)
        one.tier_reasons = ""
        one.next_follow_up_on = None
        one.next_contact_on = None
        one.erased_at = now
        one._change_reason = ERASED_HOW  # type: ignore[attr-defined]
        one.save()
        one.tags.clear()
        # The history copies the rows: every earlier version is anonymised like the row.
        Client.history.model.objects.filter(id=one.pk).update(
            **anonymous, mobile=erased_mobile(one.pk), history_change_reason=ERASED_HOW
        )
    return client
