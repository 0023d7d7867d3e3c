"""带看 pages: the agent's showings, planning one (from a need's matches, a listing or a client), the
plan as a timetable and a drawn map, confirming stops, the signature pad and feedback in a few taps."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.clients.models import InteractionKind
from anju.clients.selectors import access_client
from anju.core.errors import ApplicationError
from anju.core.formats import format_date, join_list
from anju.needs.models import NeedStatus
from anju.needs.selectors import access_need
from anju.org.models import Agent
from anju.org.selectors import stores_of_company
from anju.showings import route
from anju.showings.models import ASPECTS, Showing, ShowingStatus, Stop
from anju.showings.selectors import (
    access_confirmation,
    access_showing,
    access_showing_for_change,
    access_stop,
    access_store_of_company,
    clients_to_plan_for,
    confirmations_of,
    listings_by_ids,
    listings_matched_to_client,
    may_change_showing,
    showings_for_page,
    stop_blocked_reason,
)
from anju.showings.services import (
    showing_cancel,
    showing_plan,
    showing_sign,
    stop_confirm,
    stop_record_feedback,
)
from anju.web.forms.needs import InteractionForm
from anju.web.forms.showings import CancelForm, ConfirmForm, FeedbackForm, PlanForm, SignForm
from anju.web.views.base import agent_required

# --- the drawn map ------------------------------------------------------------------------------

MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 320, 220, 24


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    label: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class DrawnMap:
    """An equirectangular drawing of the points; ``bounds`` lets the page turn a tap back into
    coordinates (the meeting point picked on the map)."""

    start: MapPoint | None
    stops: list[MapPoint]
    width: int
    height: int
    bounds: dict[str, float]

    @property
    def path(self) -> str:
        points = ([self.start] if self.start else []) + self.stops
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


Place = tuple[Decimal, Decimal, str]


def drawn_map(start: Place | None, stops: Sequence[tuple[Decimal | None, Decimal | None, str]]) -> DrawnMap:
    """The start and the stops drawn to scale; a stop whose community has no coordinates yet is
    left off the drawing."""
    placed: list[Place] = [
        (lat, lng, label) for lat, lng, label in stops if lat is not None and lng is not None
    ]
    everything = ([start] if start else []) + placed
    if not everything:
        return DrawnMap(None, [], MAP_WIDTH, MAP_HEIGHT, {})
    lats = [float(p[0]) for p in everything]
    lngs = [float(p[1]) for p in everything]
    mid_lat = math.radians((max(lats) + min(lats)) / 2)
    # A kilometre east is as long on the drawing as a kilometre north.
    span_x = max((max(lngs) - min(lngs)) * math.cos(mid_lat), 0.002)
    span_y = max(max(lats) - min(lats), 0.002)
    scale = min((MAP_WIDTH - 2 * MAP_PAD) / span_x, (MAP_HEIGHT - 2 * MAP_PAD) / span_y)
    centre_lng, centre_lat = (max(lngs) + min(lngs)) / 2, (max(lats) + min(lats)) / 2

    def place(p: tuple[Decimal, Decimal, str]) -> MapPoint:
        x = MAP_WIDTH / 2 + (float(p[1]) - centre_lng) * math.cos(mid_lat) * scale
        y = MAP_HEIGHT / 2 - (float(p[0]) - centre_lat) * scale
        return MapPoint(x, y, p[2], p[0], p[1])

    bounds = {
        "centre_lat": centre_lat,
        "centre_lng": centre_lng,
        "scale": scale,
        "cos": math.cos(mid_lat),
    }
    return DrawnMap(
        place(start) if start else None, [place(p) for p in placed], MAP_WIDTH, MAP_HEIGHT, bounds
    )


def showing_map(showing: Showing) -> DrawnMap:
    return drawn_map(
        (showing.start_latitude, showing.start_longitude, showing.start_label),
        [
            (stop.listing.community.latitude, stop.listing.community.longitude, str(stop.order))
            for stop in showing.stops.all()
        ],
    )


# --- the list -----------------------------------------------------------------------------------


@agent_required
def showings(request: HttpRequest, agent: Agent) -> HttpResponse:
    return render(request, "web/showings/list.html", {**showings_for_page(agent), "nav_section": "showings"})


# --- planning -----------------------------------------------------------------------------------


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        if value.isdigit() and len(value) < 11:
            ids.append(int(value))
    return list(dict.fromkeys(ids))


@agent_required
def showing_new(request: HttpRequest, agent: Agent) -> HttpResponse:
    """GET ?client=&need=&listing=…: the form, the ticked homes drawn on the map; POST plans it."""
    source = request.POST if request.method == "POST" else request.GET
    need = access_need(agent, int(source["need"])) if source.get("need", "").isdigit() else None
    client_id = source.get("client", "")
    client = need.client if need else (access_client(agent, int(client_id)) if client_id.isdigit() else None)
    ticked = _ids(source.getlist("listing") or source.getlist("listings"))
    listings = listings_by_ids(agent, ticked)
    if client is not None:
        for listing in listings_matched_to_client(agent, client):
            if listing.pk not in ticked:
                listings.append(listing)
    clients = clients_to_plan_for(agent)
    if client is not None and all(c.pk != client.pk for c in clients):
        clients.insert(0, client)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        clients=[(c.pk, c.name) for c in clients],
        listings=[(x.pk, _listing_choice(x)) for x in listings],
        initial={
            "client": client.pk if client else None,
            "need": need.pk if need else None,
            "listings": ticked,
            "day": timezone.localdate() + dt.timedelta(days=1),
            "start_time": "10:00",
        },
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned_for = access_client(agent, data["client"])
            showing = showing_plan(
                agent=agent,
                client=planned_for,
                need=need if need and need.client_id == planned_for.pk else None,
                starts_at=form.starts_at(),
                listing_ids=data["listings"],
                start=form.start(),
                minutes_per_stop=data.get("minutes_per_stop"),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("已安排带看，请逐一与业主确认。"))
            return redirect("web:showing_detail", showing_id=showing.pk)
    store = agent.store
    start = (
        (store.latitude, store.longitude, store.name)
        if store is not None and store.latitude is not None and store.longitude is not None
        else None
    )
    chosen = [x for x in listings if x.pk in ticked] or listings
    company = agent.company
    return render(
        request,
        "web/showings/new.html",
        {
            "form": form,
            "error": error,
            "need": need,
            "client": client,
            "store_has_start": start is not None,
            "map": drawn_map(
                start,
                [(x.community.latitude, x.community.longitude, x.community.name) for x in chosen],
            ),
            "speed": company.showing_speed_kmh,
            "detour": company.showing_detour_factor,
            "minutes": company.showing_minutes_per_stop,
            "nav_section": "showings",
        },
        status=400 if error else 200,
    )


def _listing_choice(listing: Any) -> str:
    return f"{listing.community.name} · {listing.property.layout} · {listing.district.name}"


# --- the follow-up after a showing -------------------------------------------------------------


def after_showing_form(agent: Agent, client: Any, showing_id: int, needs: list[Any]) -> InteractionForm:
    """The client page's follow-up form, started from the showing: a call about the homes seen."""
    showing = access_showing(agent, showing_id)
    seen = join_list(stop.listing.community.name for stop in showing.stops.all())
    open_needs = [n for n in needs if n.status in (NeedStatus.ACTIVE, NeedStatus.PAUSED)]
    return InteractionForm(
        client=client,
        needs=open_needs,
        initial={
            "kind": InteractionKind.CALL,
            "summary": _("带看后回访（%(date)s 看了 %(homes)s）：")
            % {"date": format_date(showing.starts_at), "homes": seen},
            "need": showing.need_id if any(n.pk == showing.need_id for n in open_needs) else None,
        },
    )


# --- one showing --------------------------------------------------------------------------------


@dataclass
class StopView:
    stop: Stop
    blocked: str
    confirm_form: ConfirmForm
    feedback_form: FeedbackForm


def _detail_context(agent: Agent, showing: Showing, **forms: Any) -> dict[str, Any]:
    stores = [(s.pk, s.name) for s in stores_of_company(agent)]
    open_ = showing.status == ShowingStatus.PLANNED
    views = []
    for stop in showing.stops.all():
        feedback = getattr(stop, "feedback", None)
        initial = (
            {
                "outcome": feedback.outcome,
                "interest": feedback.interest,
                "liked": feedback.liked,
                "disliked": feedback.disliked,
                "verdict": feedback.verdict,
                "price_opinion": feedback.price_opinion,
                "text": feedback.text,
            }
            if feedback
            else {"outcome": "shown"}
        )
        views.append(
            StopView(
                stop=stop,
                blocked=stop_blocked_reason(stop) if open_ else "",
                confirm_form=forms.get(f"confirm_{stop.pk}")
                or ConfirmForm(
                    stores=stores,
                    auto_id=f"confirm{stop.pk}_%s",
                    initial={
                        "agreed_by": stop.agreed_by or "owner",
                        "agreed_name": stop.agreed_name,
                        "access": stop.access or ("keys" if stop.listing.keys_store_id else "owner"),
                        "keys_store": stop.keys_store_id or stop.listing.keys_store_id,
                    },
                ),
                feedback_form=forms.get(f"feedback_{stop.pk}")
                or FeedbackForm(initial=initial, auto_id=f"feedback{stop.pk}_%s"),
            )
        )
    confirmations = confirmations_of(showing)
    in_force = next((c for c in confirmations if not hasattr(c, "superseded_by")), None)
    return {
        "showing": showing,
        "stops": views,
        "map": showing_map(showing),
        "may_change": may_change_showing(agent, showing),
        "is_open": open_,
        "confirmations": confirmations,
        "in_force": in_force,
        "sign_form": forms.get("sign") or SignForm(initial={"client_name": showing.client.name}),
        "cancel_form": CancelForm(),
        "exact": len(views) <= route.EXACT_MAX,
        "aspects": ASPECTS,
        "nav_section": "showings",
    }


@agent_required
def showing_detail(request: HttpRequest, agent: Agent, showing_id: int) -> HttpResponse:
    showing = access_showing(agent, showing_id)
    return render(request, "web/showings/detail.html", _detail_context(agent, showing))


def _refused(request: HttpRequest, agent: Agent, showing: Showing, error: str, **forms: Any) -> HttpResponse:
    messages.error(request, error)
    fresh = access_showing(agent, showing.pk)
    return render(request, "web/showings/detail.html", _detail_context(agent, fresh, **forms), status=400)


@agent_required
@require_POST
def stop_confirm_view(request: HttpRequest, agent: Agent, showing_id: int, stop_id: int) -> HttpResponse:
    showing = access_showing_for_change(agent, showing_id)
    stop = access_stop(showing, stop_id)
    form = ConfirmForm(
        request.POST,
        stores=[(s.pk, s.name) for s in stores_of_company(agent)],
        auto_id=f"confirm{stop.pk}_%s",
    )
    if not form.is_valid():
        return _refused(request, agent, showing, _("请把确认信息填写完整。"), **{f"confirm_{stop.pk}": form})
    data = form.cleaned_data
    try:
        stop_confirm(
            stop=stop,
            by=agent,
            agreed_by=data["agreed_by"],
            agreed_name=data["agreed_name"],
            access=data["access"],
            keys_store=access_store_of_company(agent, data["keys_store"]) if data.get("keys_store") else None,
            access_code=data.get("access_code") or "",
            note=data.get("note") or "",
        )
    except ApplicationError as exc:
        return _refused(request, agent, showing, exc.message, **{f"confirm_{stop.pk}": form})
    messages.success(request, _("第 %(n)s 站已确认。") % {"n": stop.order})
    return redirect(f"{showing_url(showing)}#stop-{stop.pk}")


@agent_required
@require_POST
def stop_feedback_view(request: HttpRequest, agent: Agent, showing_id: int, stop_id: int) -> HttpResponse:
    showing = access_showing_for_change(agent, showing_id)
    stop = access_stop(showing, stop_id)
    form = FeedbackForm(request.POST, auto_id=f"feedback{stop.pk}_%s")
    if not form.is_valid():
        return _refused(request, agent, showing, _("反馈填写有误。"), **{f"feedback_{stop.pk}": form})
    try:
        stop_record_feedback(stop=stop, by=agent, value=form.value())
    except ApplicationError as exc:
        return _refused(request, agent, showing, exc.message, **{f"feedback_{stop.pk}": form})
    messages.success(request, _("已记录第 %(n)s 站的反馈。") % {"n": stop.order})
    return redirect(f"{showing_url(showing)}#stop-{stop.pk}")


@agent_required
@require_POST
def showing_sign_view(request: HttpRequest, agent: Agent, showing_id: int) -> HttpResponse:
    showing = access_showing_for_change(agent, showing_id)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _refused(request, agent, showing, _("请填写客户姓名并手写签名。"), sign=form)
    data = form.cleaned_data
    try:
        supersedes = access_confirmation(showing, data["supersedes"]) if data.get("supersedes") else None
        showing_sign(
            showing=showing,
            by=agent,
            client_name=data["client_name"],
            signature_png=data["signature"],
            supersedes=supersedes,
            correction_reason=data.get("correction_reason") or "",
        )
    except ApplicationError as exc:
        return _refused(request, agent, showing, exc.message, sign=form)
    messages.success(request, _("带看确认单已签署。"))
    return redirect(f"{showing_url(showing)}#confirmation")


@agent_required
@require_POST
def showing_cancel_view(request: HttpRequest, agent: Agent, showing_id: int) -> HttpResponse:
    showing = access_showing_for_change(agent, showing_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        showing_cancel(showing=showing, by=agent, reason=reason)
    except ApplicationError as exc:
        return _refused(request, agent, showing, exc.message)
    messages.success(request, _("带看已取消。"))
    return redirect("web:showing_detail", showing_id=showing.pk)


@agent_required
@require_GET
def confirmation_signature(
    request: HttpRequest, agent: Agent, showing_id: int, confirmation_id: int
) -> HttpResponse:
    """The signature image, to those who may see the showing."""
    showing = access_showing(agent, showing_id)
    confirmation = access_confirmation(showing, confirmation_id)
    if not confirmation.signature:  # disposed of when its retention period ended (decision 0024)
        raise Http404(_("该签名已按期销毁。"))
    with confirmation.signature.open("rb") as image:
        response = HttpResponse(image.read(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def showing_url(showing: Showing) -> str:
    return reverse("web:showing_detail", args=[showing.pk])


urlpatterns = [
    path("showings/", showings, name="showings"),
    path("showings/new/", showing_new, name="showing_new"),
    path("showings/<int:showing_id>/", showing_detail, name="showing_detail"),
    path("showings/<int:showing_id>/stops/<int:stop_id>/confirm/", stop_confirm_view, name="stop_confirm"),
    path("showings/<int:showing_id>/stops/<int:stop_id>/feedback/", stop_feedback_view, name="stop_feedback"),
    path("showings/<int:showing_id>/sign/", showing_sign_view, name="showing_sign"),
    path("showings/<int:showing_id>/cancel/", showing_cancel_view, name="showing_cancel"),
    path(
        "showings/<int:showing_id>/confirmations/<int:confirmation_id>/signature.png",
        confirmation_signature,
        name="confirmation_signature",
    ),
]
