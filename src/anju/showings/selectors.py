"""Reads on showings: who sees which, one showing with its stops, the calendar, the workbench.

An agent sees the showings they lead; a manager (and a transaction specialist) those of their
store's agents; an administrator the company's. Across companies a showing is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.clients.selectors import clients_visible
from anju.listings.models import Listing, ListingStatus
from anju.listings.selectors import listings_visible
from anju.matching.models import MatchStatus
from anju.matching.records.selectors import matches_visible
from anju.org.models import Agent, Role, Store
from anju.org.scoping import in_company
from anju.org.selectors import stores_visible
from anju.showings import route
from anju.showings.models import Showing, ShowingConfirmation, ShowingStatus, Stop

# Showings that still hold the agent's time and the listings' slots.
HOLDING = (ShowingStatus.PLANNED, ShowingStatus.DONE)


def _stops() -> Prefetch:
    return Prefetch(
        "stops",
        queryset=Stop.objects.select_related(
            "listing__property", "listing__community", "listing__district", "keys_store", "feedback"
        ).order_by("order"),
    )


def showings_visible(viewer: Agent) -> QuerySet[Showing]:
    qs = in_company(Showing.objects.select_related("agent", "client", "need"), viewer)
    if viewer.role == Role.ADMIN:
        return qs
    if viewer.role in (Role.MANAGER, Role.SPECIALIST):
        return qs.filter(agent__store=viewer.store_id)
    return qs.filter(agent=viewer)


def may_see_showing(viewer: Agent, showing: Showing) -> bool:
    if showing.company_id != viewer.company_id:
        return False
    if viewer.role == Role.ADMIN or showing.agent_id == viewer.pk:
        return True
    return viewer.role in (Role.MANAGER, Role.SPECIALIST) and showing.agent.store_id == viewer.store_id


def access_showing(viewer: Agent, showing_id: int) -> Showing:
    """The showing with its stops, 404 outside the company, 403 a colleague's outside the viewer's scope."""
    showing = (
        in_company(Showing.objects.select_related("agent", "client", "need"), viewer)
        .prefetch_related(_stops())
        .filter(pk=showing_id)
        .first()
    )
    if showing is None:
        raise Http404(_("没有找到该带看。"))
    if not may_see_showing(viewer, showing):
        raise PermissionDenied(_("这是其他经纪人的带看，您无权查看。"))
    return showing


def may_change_showing(viewer: Agent, showing: Showing) -> bool:
    """The agent leading it, their store's manager, an administrator."""
    if showing.agent_id == viewer.pk:
        return True
    return may_see_showing(viewer, showing) and viewer.role in (Role.MANAGER, Role.ADMIN)


def access_showing_for_change(viewer: Agent, showing_id: int) -> Showing:
    showing = access_showing(viewer, showing_id)
    if not may_change_showing(viewer, showing):
        raise PermissionDenied(_("只有带看经纪人、本店店长和管理员可以修改此带看。"))
    return showing


def access_stop(showing: Showing, stop_id: int) -> Stop:
    for stop in showing.stops.all():
        if stop.pk == stop_id:
            return stop
    raise Http404(_("没有找到该带看房源。"))


def stop_blocked_reason(stop: Stop) -> str:
    """Why a stop can no longer be visited: its listing left the market after the plan; else ""."""
    status = stop.listing.status
    if status == ListingStatus.ACTIVE:
        return ""
    return _("该房源已变为“%(status)s”，此站不能再带看。") % {"status": ListingStatus(status).label}


def showings_between(
    viewer: Agent, *, agent_id: int | None, start: dt.datetime | None, end: dt.datetime | None
) -> QuerySet[Showing]:
    """The visible showings overlapping [start, end), the earliest first."""
    qs = showings_visible(viewer)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    return qs


def showings_for_page(viewer: Agent, *, now: dt.datetime | None = None, limit: int = 20) -> dict:
    """The 带看 page: the agent's upcoming showings (soonest first) and recent ones (latest first)."""
    now = now or timezone.now()
    mine = showings_visible(viewer).filter(agent=viewer).prefetch_related(_stops())
    return {
        "upcoming": list(
            mine.filter(ends_at__gte=now)
            .exclude(status=ShowingStatus.CANCELLED)
            .order_by("starts_at")[:limit]
        ),
        "recent": list(mine.filter(ends_at__lt=now).order_by("-starts_at")[:limit]),
        "cancelled": list(
            mine.filter(ends_at__gte=now, status=ShowingStatus.CANCELLED).order_by("starts_at")[:limit]
        ),
    }


def showings_of_client(viewer: Agent, client_id: int, *, limit: int = 10) -> list[Showing]:
    return list(
        showings_visible(viewer)
        .filter(client_id=client_id)
        .prefetch_related(_stops())
        .order_by("-starts_at")[:limit]
    )


def confirmations_of(showing: Showing) -> list[ShowingConfirmation]:
    """The showing's signed confirmations, the newest first; a corrected one is followed by its correction."""
    return list(
        ShowingConfirmation.objects.filter(showing=showing)
        .select_related("agent", "supersedes")
        .prefetch_related("listings__property", "listings__community")
        .order_by("-signed_at", "-id")
    )


def current_confirmation(showing: Showing) -> ShowingConfirmation | None:
    """The confirmation in force: signed and not corrected by a later one."""
    return (
        ShowingConfirmation.objects.filter(showing=showing, superseded_by__isnull=True)
        .order_by("-signed_at", "-id")
        .first()
    )


def access_confirmation(showing: Showing, confirmation_id: int) -> ShowingConfirmation:
    found = ShowingConfirmation.objects.filter(showing=showing, pk=confirmation_id).first()
    if found is None:
        raise Http404(_("没有找到该确认单。"))
    return found


# --- the workbench ---------------------------------------------------------------------------


def unconfirmed_stops(agent: Agent, day: dt.date) -> list[Stop]:
    """The agent's stops on ``day`` and the next day that nobody has confirmed with the occupant yet."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=2)
    return list(
        Stop.objects.filter(
            showing__agent=agent,
            showing__status=ShowingStatus.PLANNED,
            confirmed_at__isnull=True,
            arrive_at__gte=start,
            arrive_at__lt=end,
        )
        .select_related("showing__client", "listing__community", "listing__property")
        .order_by("arrive_at", "id")
    )


def follow_ups_after_showings(agent: Agent, day: dt.date) -> list[Showing]:
    """Showings of ``day`` or earlier whose client is due for the after-showing follow-up tomorrow.

    The clients' own section lists follow-ups due up to today; this one shows tomorrow's that a
    showing set, so the agent sees them the day the showing happens.
    """
    tomorrow = day + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    showings = (
        Showing.objects.filter(
            agent=agent,
            starts_at__gte=start,
            starts_at__lt=end,
            client__next_follow_up_on=tomorrow,
            client__owner=agent,
            stops__feedback__isnull=False,
        )
        .exclude(status=ShowingStatus.CANCELLED)
        .select_related("client")
        .distinct()
        .order_by("-starts_at")
    )
    seen: set[int] = set()
    found = []
    for showing in showings:
        if showing.client_id not in seen:
            seen.add(showing.client_id)
            found.append(showing)
    return found


def access_store_of_company(viewer: Agent, store_id: int) -> Store:
    """A store of the viewer's company (where keys are held), 404 otherwise."""
    store = stores_visible(viewer).filter(pk=store_id).first()
    if store is None:
        raise Http404(_("没有找到该门店。"))
    return store


# --- the planning page ---------------------------------------------------------------------------


def clients_to_plan_for(viewer: Agent, *, limit: int = 200) -> list[Client]:
    """The viewer's own private clients (showings are planned for them), most recently contacted first."""
    return list(
        clients_visible(viewer)
        .filter(owner=viewer)
        .order_by(F("last_contact_at").desc(nulls_last=True), "-id")[:limit]
    )


def listings_by_ids(viewer: Agent, listing_ids: list[int]) -> list[Listing]:
    """The company's listings among ``listing_ids``, in that order."""
    found = {
        listing.pk: listing
        for listing in listings_visible(viewer).filter(pk__in=listing_ids[: route.MOST_STOPS * 2])
    }
    return [found[pk] for pk in listing_ids if pk in found]


def listings_matched_to_client(viewer: Agent, client: Client, *, limit: int = 30) -> list[Listing]:
    """Homes on the market matched to the client's needs and not turned down, the best first."""
    matches = (
        matches_visible(viewer)
        .filter(need__client=client, listing__status=ListingStatus.ACTIVE)
        .exclude(status=MatchStatus.REJECTED)
        .select_related("listing__property", "listing__district")
        .order_by("-score", "-id")[: limit * 2]
    )
    seen: dict[int, Listing] = {}
    for match in matches:
        seen.setdefault(match.listing_id, match.listing)
    return list(seen.values())[:limit]
