"""开放日 (open viewings): one time slot when several clients view a listing, each signed up by an agent.

Writes (``open_day_schedule``, ``open_day_cancel``, ``open_day_signup``, ``open_day_signup_cancel``)
and reads (``open_days_visible``, ``access_open_day``, …) of the one feature, kept together beside
the showings modules. Open days are visible to the whole company, as listings are: any agent may
bring clients. Only those who may change the listing (its agent, their store's managers,
administrators) schedule or cancel one. A sign-up is for a client the agent may write to.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import format_datetime
from anju.listings.models import Listing, ListingStatus
from anju.listings.selectors import is_stale
from anju.org.models import Agent, Role
from anju.org.scoping import can_see_owned, in_company, owned_scope
from anju.showings.models import OpenDay, OpenDaySignup, OpenDayStatus, Showing, ShowingStatus

LONGEST = dt.timedelta(hours=8)  # an open day is one slot of one day, not a week of viewings


# --- reads -------------------------------------------------------------------------------------


def _signups() -> Prefetch:
    return Prefetch(
        "signups",
        queryset=OpenDaySignup.objects.select_related("client", "agent").order_by("created_at", "id"),
    )


def open_days_visible(viewer: Agent) -> QuerySet[OpenDay]:
    return in_company(
        OpenDay.objects.select_related("listing__community", "listing__property", "agent").annotate(
            taken=Count("signups", filter=Q(signups__cancelled_at__isnull=True))
        ),
        viewer,
    )


def access_open_day(viewer: Agent, open_day_id: int) -> OpenDay:
    open_day = open_days_visible(viewer).prefetch_related(_signups()).filter(pk=open_day_id).first()
    if open_day is None:
        raise Http404(_("没有找到该开放日。"))
    return open_day


def access_signup(open_day: OpenDay, signup_id: int) -> OpenDaySignup:
    signup = next((s for s in open_day.signups.all() if s.pk == signup_id), None)
    if signup is None:
        raise Http404(_("没有找到该报名。"))
    return signup


def open_days_filtered(
    viewer: Agent,
    *,
    listing_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    agent_id: int | None = None,
    store_id: int | None = None,
) -> QuerySet[OpenDay]:
    """Open days of the company, narrowed to a listing, a window (overlapping it), an organiser or a store."""
    qs = open_days_visible(viewer).prefetch_related(_signups())
    if listing_id is not None:
        qs = qs.filter(listing_id=listing_id)
    if since is not None:
        qs = qs.filter(ends_at__gt=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if store_id is not None:
        qs = qs.filter(agent__store_id=store_id)
    return qs


def open_days_of_listing(viewer: Agent, listing: Listing, *, now: dt.datetime | None = None) -> list[OpenDay]:
    """The listing's open days still to come or under way, soonest first, then the last few past ones."""
    now = now or timezone.now()
    qs = open_days_filtered(viewer, listing_id=listing.pk)
    coming = list(qs.filter(ends_at__gt=now).order_by("starts_at", "id"))
    past = list(qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")[:5])
    return coming + past


def signup_client_label(viewer: Agent, signup: OpenDaySignup) -> str:
    """The client's name for those who may see the client; a colleague's private client stays theirs."""
    client = signup.client
    if client.owner_id is None or can_see_owned(
        viewer, company_id=client.company_id, owner_id=client.owner_id, store_id=client.store_id
    ):
        return client.name
    return _("%(agent)s的客户") % {"agent": signup.agent.name}


def may_manage_open_day(viewer: Agent, open_day: OpenDay) -> bool:
    return (
        bool(viewer.user.has_perm("listings.change_listing", open_day.listing))
        or open_day.agent_id == viewer.pk
    )


def may_cancel_signup(viewer: Agent, open_day: OpenDay, signup: OpenDaySignup) -> bool:
    if signup.agent_id == viewer.pk or open_day.agent_id == viewer.pk or viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.MANAGER and viewer.store_id in (signup.agent.store_id, open_day.agent.store_id)


# --- writes ------------------------------------------------------------------------------------


def _ensure_schedulable(
    *, listing: Listing, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime
) -> None:
    if listing.status != ListingStatus.ACTIVE:
        raise ApplicationError(
            _("房源%(status)s，不能安排开放日。") % {"status": listing.get_status_display()},
            code="open_day_listing_unavailable",
            extra={"listing_id": listing.pk},
        )
    if is_stale(listing, now):
        raise ApplicationError(
            _("房源待核实，请先核实房源再安排开放日。"),
            code="open_day_listing_stale",
            extra={"listing_id": listing.pk},
        )
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ApplicationError(_("时间需要带时区。"), code="open_day_time_naive")
    if starts_at <= now:
        raise ApplicationError(_("开放日的开始时间必须在将来。"), code="open_day_in_past")
    if ends_at <= starts_at:
        raise ApplicationError(_("结束时间必须晚于开始时间。"), code="open_day_ends_before_start")
    if ends_at - starts_at > LONGEST:
        raise ApplicationError(_("一场开放日最长 8 小时。"), code="open_day_too_long")


def _ensure_free(*, listing: Listing, agent: Agent, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """The listing has no other open day then, and the organiser no showing: a 409 naming the booking."""
    other = (
        OpenDay.objects.filter(
            listing=listing, status=OpenDayStatus.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )
    if other is not None:
        raise ConflictError(
            _("该房源在%(at)s已有开放日（#%(id)s）。")
            % {"at": format_datetime(other.starts_at), "id": other.pk},
            extra={"open_day_id": other.pk},
        )
    busy = (
        Showing.objects.filter(
            agent=agent, status=ShowingStatus.PLANNED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("client")
        .order_by("starts_at")
        .first()
    )
    if busy is not None:
        raise ConflictError(
            _("您在%(at)s已安排带看（#%(id)s），与开放日时间冲突。")
            % {"at": format_datetime(busy.starts_at), "id": busy.pk},
            extra={"showing_id": busy.pk},
        )


@transaction.atomic
def open_day_schedule(
    *,
    listing: Listing,
    by: Agent,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> OpenDay:
    if not by.user.has_perm("listings.change_listing", listing):
        raise PermissionDenied(_("只有录入经纪人、本店店长和管理员可以为此房源安排开放日。"))
    now = now or timezone.now()
    # Lock the listing: two open days scheduled at once for it cannot both pass the overlap check.
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    _ensure_schedulable(listing=listing, starts_at=starts_at, ends_at=ends_at, now=now)
    if capacity < 1:
        raise ApplicationError(_("名额至少为 1。"), code="open_day_capacity_too_small")
    _ensure_free(listing=listing, agent=by, starts_at=starts_at, ends_at=ends_at)
    return OpenDay.objects.create(
        company_id=listing.company_id,
        listing=listing,
        agent=by,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        note=note.strip(),
    )


def _locked(open_day: OpenDay) -> OpenDay:
    return OpenDay.objects.select_for_update().get(pk=open_day.pk)


@transaction.atomic
def open_day_cancel(*, open_day: OpenDay, by: Agent) -> OpenDay:
    if not may_manage_open_day(by, open_day):
        raise PermissionDenied(_("只有组织者、房源录入经纪人、店长和管理员可以取消开放日。"))
    locked = _locked(open_day)
    if locked.status != OpenDayStatus.SCHEDULED:
        raise ApplicationError(_("该开放日已取消。"), code="open_day_cancelled")
    locked.status = OpenDayStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def open_day_signup(
    *, open_day: OpenDay, client: Client, by: Agent, now: dt.datetime | None = None
) -> OpenDaySignup:
    """Sign a client up; the caller has checked ``by`` may write to ``client`` (``access_client_for_write``)."""
    now = now or timezone.now()
    locked = _locked(open_day)  # sign-ups to one open day queue here, so the capacity holds
    if locked.status != OpenDayStatus.SCHEDULED:
        raise ApplicationError(_("该开放日已取消，不能报名。"), code="open_day_cancelled")
    if locked.ends_at <= now:
        raise ApplicationError(_("该开放日已结束，不能报名。"), code="open_day_over")
    if client.company_id != locked.company_id:
        raise Http404(_("没有找到该客户。"))
    active = OpenDaySignup.objects.filter(open_day=locked, cancelled_at__isnull=True)
    if active.filter(client=client).exists():
        raise ApplicationError(
            _("%(client)s已报名该开放日。") % {"client": client.name},
            code="open_day_client_signed_up",
            extra={"client_id": client.pk},
        )
    if active.count() >= locked.capacity:
        raise ApplicationError(
            _("该开放日名额已满（%(n)s 人）。") % {"n": locked.capacity},
            code="open_day_full",
            extra={"capacity": locked.capacity},
        )
    try:
        with transaction.atomic():
            return OpenDaySignup.objects.create(open_day=locked, client=client, agent=by)
    except IntegrityError as exc:  # the unique constraint, should a write slip past the lock
        raise ConflictError(_("%(client)s刚刚已报名该开放日。") % {"client": client.name}) from exc


@transaction.atomic
def open_day_signup_cancel(
    *, signup: OpenDaySignup, by: Agent, now: dt.datetime | None = None
) -> OpenDaySignup:
    open_day = signup.open_day
    if not may_cancel_signup(by, open_day, signup):
        raise PermissionDenied(_("只有报名的经纪人、组织者、店长和管理员可以取消报名。"))
    locked = OpenDaySignup.objects.select_for_update().get(pk=signup.pk)
    if locked.cancelled_at is not None:
        raise ApplicationError(_("该报名已取消。"), code="open_day_signup_cancelled")
    locked.cancelled_at = now or timezone.now()
    locked.save(update_fields=["cancelled_at", "updated_at"])
    return locked


def clients_to_sign_up(viewer: Agent, *, limit: int = 300) -> list[Client]:
    """The viewer's own clients, by name: whom they may sign up (a manager picks among the store's)."""
    qs = owned_scope(Client.objects.filter(merged_into__isnull=True), viewer).order_by("name", "id")
    return list(qs[:limit])
