"""Writes on showings: plan, confirm a stop, the signed confirmation, feedback, cancel.

A showing's status moves only through ``_move`` (planned → done once every stop has its
feedback; planned → cancelled). The signed confirmation (带看确认单) is written once and never
changed; a correction is a new record pointing at the old one (decision 0014).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client, InteractionKind
from anju.clients.selectors import ensure_may_write
from anju.clients.services import interaction_create
from anju.core.errors import ApplicationError, ConflictError, IllegalTransition
from anju.core.formats import format_datetime, join_list
from anju.core.text import clean_name, clean_text
from anju.listings.models import Listing, ListingStatus
from anju.listings.selectors import is_stale, listings_visible
from anju.matching.models import Match, MatchStatus
from anju.matching.records.services import allowed_transitions, match_record_for_need, match_set_status
from anju.needs.models import Need
from anju.org.models import Agent, Store
from anju.showings import route
from anju.showings.models import (
    ASPECTS,
    Access,
    AgreedBy,
    OpenDay,
    OpenDayStatus,
    Outcome,
    PriceOpinion,
    Showing,
    ShowingConfirmation,
    ShowingStatus,
    Stop,
    StopFeedback,
    Verdict,
)
from anju.showings.selectors import HOLDING, current_confirmation, may_change_showing, stop_blocked_reason

MINUTES_PER_STOP_BOUNDS = (5, 180)
SIGNATURE_MAX_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    ShowingStatus.PLANNED: (ShowingStatus.DONE, ShowingStatus.CANCELLED),
    ShowingStatus.DONE: (),
    ShowingStatus.CANCELLED: (),
}


def _move(showing: Showing, to: ShowingStatus) -> None:
    current = Showing.objects.select_for_update().values_list("status", flat=True).get(pk=showing.pk)
    if to not in TRANSITIONS[current]:
        raise IllegalTransition(
            _("该带看当前为“%(current)s”，不能改为“%(to)s”。")
            % {"current": ShowingStatus(current).label, "to": to.label}
        )
    showing.status = to


def _ensure_may_change(by: Agent, showing: Showing) -> None:
    if not may_change_showing(by, showing):
        raise PermissionDenied(_("只有带看经纪人、本店店长和管理员可以修改此带看。"))


def _ensure_planned(showing: Showing) -> None:
    if showing.status != ShowingStatus.PLANNED:
        raise ApplicationError(
            _("该带看已%(status)s，不能再修改。") % {"status": ShowingStatus(showing.status).label},
            code="showing_closed",
        )


def listing_label(listing: Listing) -> str:
    return f"{listing.community.name} {listing.property.layout}"


# --- plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPoint:
    latitude: Decimal
    longitude: Decimal
    label: str = ""


def assumptions_for(agent: Agent, minutes_per_stop: int | None = None) -> route.Assumptions:
    company = agent.company
    minutes = company.showing_minutes_per_stop if minutes_per_stop is None else minutes_per_stop
    low, high = MINUTES_PER_STOP_BOUNDS
    if not low <= minutes <= high:
        raise ApplicationError(
            _("每套看房时间应在 %(low)s 到 %(high)s 分钟之间。") % {"low": low, "high": high},
            code="minutes_per_stop_out_of_range",
        )
    return route.Assumptions(company.showing_speed_kmh, company.showing_detour_factor, minutes)


def _start_for(agent: Agent, start: StartPoint | None) -> StartPoint:
    if start is not None:
        if not (-90 <= start.latitude <= 90 and -180 <= start.longitude <= 180):
            raise ApplicationError(_("出发点坐标不正确。"), code="start_out_of_range")
        return StartPoint(start.latitude, start.longitude, start.label or _("约定地点"))
    store = agent.store
    if store is None:
        raise ApplicationError(_("您没有所属门店，请在地图上选一个出发点或填写坐标。"), code="start_required")
    if store.latitude is None or store.longitude is None:
        raise ApplicationError(
            _("门店“%(store)s”还没有坐标，请在地图上选一个出发点或填写坐标。") % {"store": store.name},
            code="start_required",
        )
    return StartPoint(store.latitude, store.longitude, store.name)


def _place_of(listing: Listing) -> route.Point:
    """Where the listing's community is; refused when the community has no coordinates yet (a
    community imported without them works, but cannot be routed to)."""
    community = listing.community
    if community.latitude is None or community.longitude is None:
        raise ApplicationError(
            _("房源“%(listing)s”所在小区“%(community)s”还没有坐标，无法规划路线：请先在小区页补上坐标。")
            % {"listing": listing_label(listing), "community": community.name},
            code="community_location_missing",
            extra={"listing_id": listing.pk, "community_id": community.pk},
        )
    return route.Point(float(community.latitude), float(community.longitude))


def _plannable(agent: Agent, listing_ids: Sequence[int]) -> list[Listing]:
    """The listings in the order given, refused with the first reason one cannot be shown."""
    if not listing_ids:
        raise ApplicationError(_("请至少选择一套房源。"), code="listings_required")
    if len(listing_ids) > route.MOST_STOPS:
        raise ApplicationError(
            _("一次带看最多 %(most)s 套房源。") % {"most": route.MOST_STOPS}, code="listings_too_many"
        )
    if len(set(listing_ids)) != len(listing_ids):
        raise ApplicationError(_("同一套房源不能重复加入带看。"), code="listings_repeated")
    # Locked, in id order, so two plans for the same listing at once take their turns.
    found = {
        listing.pk: listing
        for listing in listings_visible(agent)
        .select_for_update(of=("self",))
        .filter(pk__in=listing_ids)
        .order_by("pk")
    }
    missing = [pk for pk in listing_ids if pk not in found]
    if missing:
        raise ApplicationError(
            _("没有找到房源 %(ids)s。") % {"ids": join_list(missing)},
            code="listing_not_found",
            extra={"listing_ids": missing},
        )
    listings = [found[pk] for pk in listing_ids]
    company = agent.company
    for listing in listings:
        if listing.status != ListingStatus.ACTIVE:
            raise ApplicationError(
                _("房源“%(listing)s”当前为“%(status)s”，不能安排带看。")
                % {"listing": listing_label(listing), "status": ListingStatus(listing.status).label},
                code="listing_not_available",
                extra={"listing_id": listing.pk, "status": listing.status},
            )
        if is_stale(listing, company=company):
            raise ApplicationError(
                _("房源“%(listing)s”待核实（%(days)s天内未核实），请先核实再安排带看。")
                % {"listing": listing_label(listing), "days": company.listing_fresh_days},
                code="listing_stale",
                extra={"listing_id": listing.pk},
            )
    return listings


def _collision_text(other: Showing) -> str:
    return _("%(agent)s 带 %(client)s 看房（%(start)s–%(end)s，带看 #%(id)s）") % {
        "agent": other.agent.name,
        "client": other.client.name,
        "start": format_datetime(other.starts_at),
        "end": f"{timezone.localtime(other.ends_at):%H:%M}",
        "id": other.pk,
    }


def _refuse_collisions(
    agent: Agent, plan: route.Route, listings: list[Listing], starts_at: dt.datetime
) -> None:
    ends_at = plan.ends_at or starts_at
    busy = (
        Showing.objects.filter(agent=agent, status__in=HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("agent", "client")
        .order_by("starts_at")
        .first()
    )
    if busy is not None:
        raise ConflictError(
            _("与已有带看时间冲突：%(other)s。") % {"other": _collision_text(busy)},
            extra={"showing_id": busy.pk},
        )
    hosting = (
        OpenDay.objects.filter(
            agent=agent, status=OpenDayStatus.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("listing__property__community")
        .order_by("starts_at")
        .first()
    )
    if hosting is not None:
        raise ConflictError(
            _("与%(agent)s主持的开放日时间冲突：%(listing)s（%(start)s–%(end)s）。")
            % {
                "agent": agent.name,
                "listing": listing_label(hosting.listing),
                "start": format_datetime(hosting.starts_at),
                "end": f"{timezone.localtime(hosting.ends_at):%H:%M}",
            },
            extra={"open_day_id": hosting.pk},
        )
    for leg in plan.legs:
        listing = listings[leg.stop]
        taken = (
            Stop.objects.filter(
                listing=listing,
                showing__status__in=HOLDING,
                arrive_at__lt=leg.leave_at,
                leave_at__gt=leg.arrive_at,
            )
            .select_related("showing__agent", "showing__client")
            .order_by("arrive_at")
            .first()
        )
        if taken is not None:
            raise ConflictError(
                _("房源“%(listing)s”在这段时间已有带看：%(other)s。")
                % {"listing": listing_label(listing), "other": _collision_text(taken.showing)},
                extra={"showing_id": taken.showing_id, "listing_id": listing.pk},
            )


@transaction.atomic
def showing_plan(
    *,
    agent: Agent,
    client: Client,
    starts_at: dt.datetime,
    listing_ids: Sequence[int],
    need: Need | None = None,
    start: StartPoint | None = None,
    minutes_per_stop: int | None = None,
    note: str = "",
) -> Showing:
    """Plans a showing: the stops in the shortest route from the start, each with its times.

    Refused (400) for a listing off the market or stale; refused (409, naming the other showing)
    when the agent is already out at that time or a listing is being shown to someone else then.
    """
    ensure_may_write(agent, client)
    if need is not None and need.client_id != client.pk:
        raise ApplicationError(_("该需求不属于此客户。"), code="need_not_clients")
    if timezone.is_naive(starts_at):
        raise ApplicationError(_("出发时间须带时区。"), code="starts_at_naive")
    assumptions = assumptions_for(agent, minutes_per_stop)
    origin = _start_for(agent, start)
    # The agent's row is locked so that two plans of one agent cannot both pass the collision check.
    Agent.objects.select_for_update().filter(pk=agent.pk).first()
    listings = _plannable(agent, listing_ids)
    points = [_place_of(listing) for listing in listings]
    plan = route.plan(
        route.Point(float(origin.latitude), float(origin.longitude)), points, starts_at, assumptions
    )
    _refuse_collisions(agent, plan, listings, starts_at)
    showing = Showing.objects.create(
        company_id=agent.company_id,
        agent=agent,
        client=client,
        need=need,
        starts_at=starts_at,
        ends_at=plan.ends_at or starts_at,
        start_label=clean_text(origin.label, label=_("出发点"), most=100),
        start_latitude=origin.latitude,
        start_longitude=origin.longitude,
        speed_kmh=assumptions.speed_kmh,
        detour_factor=assumptions.detour_factor,
        minutes_per_stop=assumptions.minutes_per_stop,
        total_travel_minutes=plan.total_travel_minutes,
        total_distance_m=plan.total_distance_m,
        note=clean_text(note, label=_("备注"), most=200),
    )
    Stop.objects.bulk_create(
        [
            Stop(
                showing=showing,
                listing=listings[leg.stop],
                order=position,
                arrive_at=leg.arrive_at,
                leave_at=leg.leave_at,
                travel_minutes=leg.travel_minutes,
                distance_m=leg.distance_m,
            )
            for position, leg in enumerate(plan.legs, start=1)
        ]
    )
    return showing


# --- confirm a stop ----------------------------------------------------------------------------


@transaction.atomic
def stop_confirm(
    *,
    stop: Stop,
    by: Agent,
    agreed_by: str,
    agreed_name: str,
    access: str,
    agreed_at: dt.datetime | None = None,
    keys_store: Store | None = None,
    access_code: str = "",
    note: str = "",
) -> Stop:
    """确认房源状态: records who agreed to the visit, when, and how the agent gets in."""
    showing = stop.showing
    _ensure_may_change(by, showing)
    _ensure_planned(showing)
    blocked = stop_blocked_reason(stop)
    if blocked:
        raise ApplicationError(blocked, code="stop_blocked", extra={"listing_id": stop.listing_id})
    if agreed_by not in AgreedBy.values:
        raise ApplicationError(_("请选择同意人身份（业主、租户或其他）。"), code="agreed_by_unknown")
    if access not in Access.values:
        raise ApplicationError(_("请选择看房方式。"), code="access_unknown")
    name = clean_name(agreed_name, label=_("同意人"), most=30)
    if not name:
        raise ApplicationError(_("请填写同意看房的人。"), code="agreed_name_required")
    now = timezone.now()
    agreed_at = agreed_at or now
    if agreed_at > now + CLOCK_SKEW:
        raise ApplicationError(_("同意时间不能晚于现在。"), code="agreed_at_in_future")
    code = clean_text(access_code, label=_("门锁密码"), most=30)
    if access == Access.KEYS:
        keys_store = keys_store or stop.listing.keys_store
        if keys_store is None:
            raise ApplicationError(_("请选择钥匙所在门店。"), code="keys_store_required")
        if keys_store.company_id != showing.company_id:
            raise ApplicationError(_("没有找到该门店。"), code="keys_store_not_found")
    else:
        keys_store = None
    if access == Access.CODE and not code:
        raise ApplicationError(_("请填写门锁密码。"), code="access_code_required")
    if access != Access.CODE:
        code = ""
    stop.confirmed_at = now
    stop.confirmed_by = by
    stop.agreed_by = agreed_by
    stop.agreed_name = name
    stop.agreed_at = agreed_at
    stop.access = access
    stop.keys_store = keys_store
    stop.access_code = code
    stop.confirmation_note = clean_text(note, label=_("确认备注"), most=200)
    stop.save()
    return stop


# --- the signed confirmation (带看确认单) --------------------------------------------------------


def confirmation_content(
    *,
    showing: Showing,
    client_name: str,
    shown_on: dt.date,
    listings: list[Listing],
    supersedes_id: int | None,
) -> str:
    """The canonical text the hash covers (sorted keys, no spaces that could vary)."""
    return json.dumps(
        {
            "showing_id": showing.pk,
            "company_id": showing.company_id,
            "client_id": showing.client_id,
            "client_name": client_name,
            "agent_id": showing.agent_id,
            "agent_name": showing.agent.name,
            "shown_on": shown_on.isoformat(),
            "listings": [{"id": listing.pk, "address": str(listing.property)} for listing in listings],
            "supersedes": supersedes_id,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def confirmation_digest(content: str, signature_png: bytes) -> str:
    """SHA-256 over the content's UTF-8 bytes, a NUL byte, then the signature image's bytes."""
    return hashlib.sha256(content.encode("utf-8") + b"\x00" + signature_png).hexdigest()


def confirmation_intact(confirmation: ShowingConfirmation) -> bool:
    """Whether the stored content and image still hash to the recorded SHA-256 (not once the
    confirmation was disposed of after its retention period: there is nothing left to check)."""
    if not confirmation.signature:
        return False
    with confirmation.signature.open("rb") as image:
        data = image.read()
    return confirmation_digest(confirmation.content, data) == confirmation.sha256


def _check_signature(data: bytes) -> None:
    if not data.startswith(PNG_MAGIC):
        raise ApplicationError(_("签名应为 PNG 图片。"), code="signature_not_png")
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ApplicationError(_("签名图片太大。"), code="signature_too_large")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            extrema = image.convert("LA").getextrema()
    except Exception as exc:
        raise ApplicationError(_("签名图片无法读取。"), code="signature_unreadable") from exc
    # A blank canvas: every pixel the same, or fully transparent.
    luminance, alpha = cast(tuple[tuple[int, int], tuple[int, int]], extrema)
    if alpha[1] == 0 or (luminance[0] == luminance[1] and alpha[0] == alpha[1]):
        raise ApplicationError(_("请让客户在框内手写签名。"), code="signature_blank")


@transaction.atomic
def showing_sign(
    *,
    showing: Showing,
    by: Agent,
    client_name: str,
    signature_png: bytes,
    listing_ids: Sequence[int] | None = None,
    supersedes: ShowingConfirmation | None = None,
    correction_reason: str = "",
) -> ShowingConfirmation:
    """带看确认单: the client signs on the agent's phone; stored once with its SHA-256, never changed.

    A second signing is a correction: it names the confirmation it corrects and why.
    """
    _ensure_may_change(by, showing)
    if showing.status == ShowingStatus.CANCELLED:
        raise ApplicationError(_("该带看已取消，不能签署确认单。"), code="showing_closed")
    Showing.objects.select_for_update().filter(pk=showing.pk).first()
    name = clean_name(client_name, label=_("客户姓名"), most=30)
    if not name:
        raise ApplicationError(_("请填写客户姓名。"), code="client_name_required")
    _check_signature(signature_png)
    in_force = current_confirmation(showing)
    reason = clean_text(correction_reason, label=_("更正原因"), most=200)
    if supersedes is None and in_force is not None:
        raise ApplicationError(
            _("该带看已签署确认单，签署后不能修改；如需更正，请新建一张更正单。"),
            code="confirmation_exists",
            extra={"confirmation_id": in_force.pk},
        )
    if supersedes is not None:
        if supersedes.showing_id != showing.pk:
            raise ApplicationError(_("要更正的确认单不属于此带看。"), code="confirmation_not_showings")
        if in_force is None or supersedes.pk != in_force.pk:
            raise ApplicationError(_("只能更正最新的确认单。"), code="confirmation_superseded")
        if not reason:
            raise ApplicationError(_("请填写更正原因。"), code="correction_reason_required")
    stops = list(showing.stops.select_related("listing__property", "listing__community").order_by("order"))
    by_listing = {stop.listing_id: stop.listing for stop in stops}
    chosen = list(by_listing) if listing_ids is None else list(dict.fromkeys(listing_ids))
    unknown = [pk for pk in chosen if pk not in by_listing]
    if unknown or not chosen:
        raise ApplicationError(_("确认单上的房源须是本次带看的房源。"), code="listings_not_showings")
    listings = [by_listing[pk] for pk in chosen]
    shown_on = timezone.localtime(showing.starts_at).date()
    content = confirmation_content(
        showing=showing,
        client_name=name,
        shown_on=shown_on,
        listings=listings,
        supersedes_id=supersedes.pk if supersedes else None,
    )
    confirmation = ShowingConfirmation(
        company_id=showing.company_id,
        showing=showing,
        client_name=name,
        shown_on=shown_on,
        content=content,
        sha256=confirmation_digest(content, signature_png),
        agent=by,
        supersedes=supersedes,
        correction_reason=reason,
    )
    # FileField.save would save the row a second time (an update, which the model refuses).
    confirmation.signature.save("signature.png", ContentFile(signature_png), save=False)
    confirmation.save()
    confirmation.listings.set(listings)
    return confirmation


# --- feedback ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackInput:
    outcome: str
    interest: int | None = None
    liked: tuple[str, ...] = ()
    disliked: tuple[str, ...] = ()
    text: str = ""
    verdict: str = ""
    price_opinion: str = ""
    price_offer: Decimal | None = None


def _check_feedback(value: FeedbackInput) -> None:
    if value.outcome not in Outcome.values:
        raise ApplicationError(_("请选择带看结果（已看、客户未到或取消）。"), code="outcome_unknown")
    shown = value.outcome == Outcome.SHOWN
    if value.interest is not None and not 1 <= value.interest <= 5:
        raise ApplicationError(_("意向应为 1 到 5。"), code="interest_out_of_range")
    unknown = [tag for tag in (*value.liked, *value.disliked) if tag not in ASPECTS]
    if unknown:
        raise ApplicationError(
            _("无法识别的标签：%(tags)s。") % {"tags": join_list(unknown)}, code="aspect_unknown"
        )
    if set(value.liked) & set(value.disliked):
        raise ApplicationError(_("同一方面不能既喜欢又不满意。"), code="aspect_both")
    if value.verdict and value.verdict not in Verdict.values:
        raise ApplicationError(_("客户结论不正确。"), code="verdict_unknown")
    if value.price_opinion and value.price_opinion not in PriceOpinion.values:
        raise ApplicationError(_("价格看法应为偏高、合适或偏低。"), code="price_opinion_unknown")
    if value.price_offer is not None and value.price_offer <= 0:
        raise ApplicationError(_("客户心理价应大于零。"), code="price_offer_not_positive")
    said_something = (
        value.interest is not None
        or value.liked
        or value.disliked
        or value.verdict
        or value.price_opinion
        or value.price_offer is not None
    )
    if not shown and said_something:
        raise ApplicationError(_("没有看房，不能记录意向和评价。"), code="feedback_not_shown")


def _move_match(showing: Showing, stop: Stop, verdict: str, by: Agent) -> None:
    """已看房, or 喜欢/不考虑 when the client said so, through matching's own record services."""
    need = showing.need
    if need is None:
        return
    match = Match.objects.filter(need=need, listing_id=stop.listing_id).first()
    if match is None:
        try:
            match = match_record_for_need(need=need, listing=stop.listing, by=by)
        except (ApplicationError, PermissionDenied):
            return  # the listing left the market, or the need is no longer the agent's to mark
    target = verdict or MatchStatus.VIEWED
    if match.status == target or target not in allowed_transitions(match.status):
        return  # already there, or further along (a liked match is not moved back to 已看房)
    match_set_status(match=match, status=target, by=by)


def _follow_up(showing: Showing, stop: Stop, value: FeedbackInput, by: Agent) -> None:
    """A 带看 follow-up in the client's record: the contact that resets the public-pool clock, and
    tomorrow's follow-up unless an earlier one is already set (an existing date is never cleared)."""
    client = showing.client
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # Read under a lock: the copy loaded with the showing may be older than another follow-up.
    scheduled = (
        Client.objects.select_for_update().values_list("next_follow_up_on", flat=True).get(pk=client.pk)
    )
    parts = [_("带看 %(listing)s") % {"listing": listing_label(stop.listing)}]
    if value.interest is not None:
        parts.append(_("意向 %(n)s/5") % {"n": value.interest})
    if value.liked:
        parts.append(_("喜欢：%(tags)s") % {"tags": join_list(value.liked)})
    if value.disliked:
        parts.append(_("不满意：%(tags)s") % {"tags": join_list(value.disliked)})
    if value.price_opinion:
        parts.append(_("价格%(opinion)s") % {"opinion": PriceOpinion(value.price_opinion).label})
    if value.text:
        parts.append(value.text)
    now = timezone.now()
    interaction_create(
        agent=by,
        client=client,
        kind=InteractionKind.SHOWING,
        summary="；".join(str(p) for p in parts),
        happened_at=min(stop.arrive_at, now),
        next_follow_up_on=None if scheduled is not None and scheduled <= tomorrow else tomorrow,
        need_id=showing.need_id,
    )


@transaction.atomic
def stop_record_feedback(*, stop: Stop, by: Agent, value: FeedbackInput) -> StopFeedback:
    """带看过程: what happened at a stop. A home shown moves the match, records the contact in the
    client's follow-ups and schedules tomorrow's follow-up; recording again corrects the answers."""
    showing = stop.showing
    _ensure_may_change(by, showing)
    if showing.status == ShowingStatus.CANCELLED:
        raise ApplicationError(_("该带看已取消。"), code="showing_closed")
    if timezone.localtime(stop.arrive_at).date() > timezone.localdate():
        raise ApplicationError(_("还没到带看日期，不能记录看房结果。"), code="stop_in_future")
    _check_feedback(value)
    blocked = stop_blocked_reason(stop)
    if blocked and value.outcome == Outcome.SHOWN and not hasattr(stop, "feedback"):
        raise ApplicationError(blocked, code="stop_blocked", extra={"listing_id": stop.listing_id})
    fields = {
        "outcome": value.outcome,
        "interest": value.interest,
        "liked": list(value.liked),
        "disliked": list(value.disliked),
        "text": clean_text(value.text, label=_("客户评价"), multiline=True, most=1000),
        "verdict": value.verdict,
        "price_opinion": value.price_opinion,
        "price_offer": value.price_offer,
        "recorded_by": by,
        "recorded_at": timezone.now(),
    }
    feedback, created = StopFeedback.objects.update_or_create(stop=stop, defaults=fields)
    stop.feedback = feedback
    if value.outcome == Outcome.SHOWN:
        _move_match(showing, stop, value.verdict, by)
        if created:
            _follow_up(showing, stop, value, by)
    remaining = showing.stops.filter(feedback__isnull=True).exists()
    if showing.status == ShowingStatus.PLANNED and not remaining:
        _move(showing, ShowingStatus.DONE)
        showing.save(update_fields=["status", "updated_at"])
    return feedback


# --- cancel ------------------------------------------------------------------------------------


@transaction.atomic
def showing_cancel(*, showing: Showing, by: Agent, reason: str = "") -> Showing:
    """Cancels a planned showing: its stops free the agent's time and the listings' slots."""
    _ensure_may_change(by, showing)
    _move(showing, ShowingStatus.CANCELLED)
    showing.cancelled_at = timezone.now()
    showing.cancelled_by = by
    showing.cancel_reason = clean_text(reason, label=_("取消原因"), most=200)
    showing.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    return showing
