"""Writes for the organisation: stores, agents (their photos too) and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.coordinates import in_china
from anju.core.errors import ApplicationError, ConflictError
from anju.core.images import image_check, thumbnail_name
from anju.org.models import Agent, ApiToken, Company, Notification, Role, Store

TOKEN_PREFIX = "anju_"  # noqa: S105 - a marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def agent_create(
    *,
    company: Company,
    username: str,
    password: str,
    name: str,
    role: Role | str = Role.AGENT,
    store: Store | None = None,
    mobile: str = "",
) -> Agent:
    """A login and its agent profile, in one step."""
    username = username.strip()
    if not username:
        raise ApplicationError(_("请填写用户名。"), code="username_required")
    _check_store(company=company, role=role, store=store)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ConflictError(
            _("用户名“%(username)s”已被使用。") % {"username": username}, code="username_taken"
        )
    _check_password(password, username=username)
    user = user_model.objects.create_user(username=username, password=password)
    return Agent.objects.create(user=user, company=company, store=store, name=name, role=role, mobile=mobile)


def _check_store(*, company: Company, role: Role | str, store: Store | None) -> None:
    if store is not None and store.company_id != company.pk:
        raise ApplicationError(_("门店不属于该公司。"), code="store_company_mismatch")
    if role != Role.ADMIN and store is None:
        raise ApplicationError(_("除管理员外，员工必须属于一个门店。"), code="store_required")


def _check_password(password: str, *, username: str = "") -> None:
    try:
        validate_password(password, user=get_user_model()(username=username))
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password") from exc


def _active_admins(company_id: int) -> int:
    return Agent.objects.filter(company_id=company_id, role=Role.ADMIN, is_active=True).count()


def _store_fields(
    *,
    company_id: int,
    store_id: int | None,
    name: str,
    address: str,
    phone: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> dict[str, object]:
    """A store's checked fields: a name unique in the company, coordinates both or neither and in China."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("请填写门店名称。"), code="store_name_required")
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("门店的纬度和经度要一起填写。"), code="store_coordinates_partial")
    if latitude is not None and longitude is not None and not in_china(latitude, longitude):
        raise ApplicationError(
            _("门店坐标不在中国境内：纬度应在 3.8 到 53.6 之间，经度应在 73.5 到 135.1 之间。"),
            code="store_coordinates_out_of_range",
        )
    same_name = Store.objects.filter(company_id=company_id, name=name)
    if (same_name.exclude(pk=store_id) if store_id is not None else same_name).exists():
        raise ConflictError(_("门店“%(name)s”已存在。") % {"name": name}, code="store_exists")
    return {
        "name": name,
        "address": address.strip(),
        "phone": phone.strip(),
        "latitude": latitude,
        "longitude": longitude,
    }


def store_create(
    *,
    company: Company,
    name: str,
    address: str = "",
    phone: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Store:
    """A new store; its coordinates (both or neither) are where its showings start."""
    fields = _store_fields(
        company_id=company.pk,
        store_id=None,
        name=name,
        address=address,
        phone=phone,
        latitude=latitude,
        longitude=longitude,
    )
    return Store.objects.create(company=company, **fields)


@transaction.atomic
def store_update(
    *,
    store: Store,
    name: str,
    address: str = "",
    phone: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Store:
    """Rename a store or set where its showings start; checked exactly as on creation."""
    fields = _store_fields(
        company_id=store.company_id,
        store_id=store.pk,
        name=name,
        address=address,
        phone=phone,
        latitude=latitude,
        longitude=longitude,
    )
    for field, value in fields.items():
        setattr(store, field, value)
    store.save(update_fields=list(fields))
    return store


@transaction.atomic
def agent_update(
    *, agent: Agent, name: str, role: Role | str, store: Store | None, mobile: str = ""
) -> Agent:
    """Change a colleague's name, role or store. The company always keeps an active administrator."""
    _check_store(company=agent.company, role=role, store=store)
    if (
        agent.role == Role.ADMIN
        and role != Role.ADMIN
        and agent.is_active
        and _active_admins(agent.company_id) <= 1
    ):
        raise ApplicationError(_("公司至少需要一位在职管理员。"), code="last_admin")
    agent.name = name.strip() or agent.name
    agent.role = role
    agent.store = store
    agent.mobile = mobile.strip()
    agent.save()
    return agent


@transaction.atomic
def agent_set_active(*, agent: Agent, active: bool, by: Agent) -> Agent:
    """Let a colleague sign in again, or stop them (a departure). Their records stay as they are."""
    if not active and agent.pk == by.pk:
        raise ApplicationError(_("不能停用自己的账号。"), code="self_deactivation")
    if not active and agent.role == Role.ADMIN and agent.is_active and _active_admins(agent.company_id) <= 1:
        raise ApplicationError(_("公司至少需要一位在职管理员。"), code="last_admin")
    agent.is_active = active
    agent.save(update_fields=["is_active"])
    agent.user.is_active = active
    agent.user.save(update_fields=["is_active"])
    return agent


@transaction.atomic
def agent_photo_set(*, agent: Agent, file: IO[bytes]) -> Agent:
    """The agent's photo for their card page (名片页): checked as listing photos are
    (``core/images.py``); a refused file changes nothing, a new photo replaces the old one, whose
    files go once the change is committed."""
    image = image_check(file)
    locked = Agent.objects.select_for_update().get(pk=agent.pk)
    old = str(locked.photo.name) if locked.photo else ""
    # The stored name comes from the real format, never from the uploaded name.
    locked.photo.save(f"photo.{image.extension}", ContentFile(image.data), save=False)
    name = str(locked.photo.name)
    try:
        locked.save(update_fields=["photo", "updated_at"])
    except Exception:
        locked.photo.storage.delete(name)
        raise
    if old:
        _delete_photo_on_commit(locked, old)
    agent.photo = locked.photo
    return agent


@transaction.atomic
def agent_photo_remove(*, agent: Agent) -> Agent:
    """No photo: the card page shows the first character of the name again."""
    locked = Agent.objects.select_for_update().get(pk=agent.pk)
    old = str(locked.photo.name) if locked.photo else ""
    if old:
        locked.photo = ""
        locked.save(update_fields=["photo", "updated_at"])
        _delete_photo_on_commit(locked, old)
    agent.photo = locked.photo
    return agent


def _delete_photo_on_commit(agent: Agent, name: str) -> None:
    storage = agent.photo.storage

    def delete_files() -> None:
        storage.delete(name)
        storage.delete(thumbnail_name(name))

    # The files go only once the row no longer names them for good.
    transaction.on_commit(delete_files)


def agent_set_password(*, agent: Agent, password: str) -> Agent:
    _check_password(password, username=agent.user.get_username())
    agent.user.set_password(password)
    agent.user.save(update_fields=["password"])
    return agent


def agent_change_own_password(*, agent: Agent, current: str, new: str, repeated: str) -> Agent:
    """An agent changes their own password: the current one first, then the new one twice."""
    if not agent.user.check_password(current):
        raise ApplicationError(_("当前密码不正确。"), code="password_wrong")
    if new != repeated:
        raise ApplicationError(_("两次输入的新密码不一致。"), code="password_mismatch")
    if new == current:
        raise ApplicationError(_("新密码不能与当前密码相同。"), code="password_unchanged")
    return agent_set_password(agent=agent, password=new)


@transaction.atomic
def company_create(
    *, name: str, city: str, admin_username: str, admin_password: str, admin_name: str
) -> Agent:
    """A new agency with its first administrator, who then adds stores and agents."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("请填写公司名称。"), code="company_name_required")
    if Company.objects.filter(name=name).exists():
        raise ConflictError(_("公司“%(name)s”已存在。") % {"name": name}, code="company_exists")
    company = Company.objects.create(name=name, city=city.strip())
    return agent_create(
        company=company, username=admin_username, password=admin_password, name=admin_name, role=Role.ADMIN
    )


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token. The raw token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("请为令牌起一个名称。"), code="token_name_required")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None. Marks the token as used (at most once a minute)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user__agent")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        _record_token_use(token.pk, now)
    return token.user


def _record_token_use(token_id: int, now: dt.datetime) -> None:
    """Record a token's use without ever waiting for it: on SQLite a long write (an import holds
    the database's write lock while it writes) would keep the request waiting, or fail it after
    the busy timeout. The use is then recorded by a later request."""
    used = ApiToken.objects.filter(pk=token_id)
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        used.update(last_used_at=now)
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waits = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            used.update(last_used_at=now)
        except OperationalError:
            pass  # the database is busy writing
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {waits}")


COMPANY_SETTINGS_BOUNDS = {
    "pool_return_days": (3, 365),
    "pool_warning_days": (0, 30),
    "daily_claim_limit": (0, 500),
    "listing_fresh_days": (1, 180),
    # Showings' route estimate (decision 0014).
    "showing_speed_kmh": (5, 80),
    "showing_detour_factor": (1, 3),
    "showing_minutes_per_stop": (5, 180),
}


def company_update_settings(
    *,
    company: Company,
    by: Agent,
    work_start: dt.time | None = None,
    work_end: dt.time | None = None,
    **values: int | Decimal,
) -> Company:
    """The rules an agency tunes (pool days, claim limit, freshness, working hours); administrators only.

    The working hours (上下班时间) are what working-time deadlines count (``company_working_hours``).
    """
    if by.role != Role.ADMIN or by.company_id != company.pk:
        raise ApplicationError(_("只有管理员可以修改公司设置。"), code="forbidden")
    for name, value in values.items():
        low, high = COMPANY_SETTINGS_BOUNDS[name]
        if not low <= value <= high:
            label = getattr(Company._meta.get_field(name), "verbose_name", name)
            raise ApplicationError(
                _("%(label)s应在 %(low)s 到 %(high)s 之间。") % {"label": label, "low": low, "high": high},
                code="setting_out_of_range",
            )
    if values.get("pool_warning_days", company.pool_warning_days) >= values.get(
        "pool_return_days", company.pool_return_days
    ):
        raise ApplicationError(_("回池提醒天数必须少于回池天数。"), code="setting_out_of_range")
    work_start = work_start or company.work_start
    work_end = work_end or company.work_end
    if work_start >= work_end:
        raise ApplicationError(_("上班时间必须早于下班时间。"), code="setting_out_of_range")
    for name, value in values.items():
        setattr(company, name, value)
    company.work_start, company.work_end = work_start, work_end
    company.save()
    return company


def notification_mark_read(*, agent: Agent, notification_id: int) -> bool:
    """Tick off one of the agent's own unread notices (知道了); ``False`` when there is none such.

    Another agent's notice, or one read already, is left as it is: the button is idempotent.
    """
    marked = Notification.objects.filter(agent=agent, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(marked)
