"""房源: the search list, the listing page (房源详情), entry (房源录入), edits and the actions on a listing.

Everyone in the company reads listings, verifies them and adds photos; the listing's agent, the
managers of its store and administrators edit, reprice and change the status (``listings/rules.py``).
Sale prices are typed and shown in 万元 as agents say them; rents in 元 per month.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.core.formats import WAN
from anju.core.images import image_content_type, thumbnail
from anju.finance.selectors import listing_costs
from anju.geo.models import Community, SchoolLevel
from anju.geo.selectors import communities_for_picker, community_of, places_in_use
from anju.listings import services
from anju.listings.models import (
    ListingKind,
    ListingMedia,
    ListingStatus,
    MediaKind,
    VerificationMethod,
)
from anju.listings.selectors import (
    ROOMS_OR_MORE,
    SORTS,
    ListingDetail,
    ListingFilters,
    access_listing,
    access_listing_for_change,
    access_listing_media,
    listing_detail,
    listing_for_detail,
    listing_search_page,
    seller_as_seen,
)
from anju.org.models import Agent
from anju.web.forms.listings import ListingForm
from anju.web.views.base import HtmxRequest, agent_required, image_viewer

PAGE_SIZE = 20
NAV = {"nav_section": "listings"}


# --- the list ------------------------------------------------------------------------------

VERIFY_CHOICES = [
    ("", gettext_lazy("全部")),
    ("fresh", gettext_lazy("有效期内已核实")),
    ("stale", gettext_lazy("待核实")),
    ("ever", gettext_lazy("核实过")),
    ("never", gettext_lazy("从未核实")),
]
STATUS_CHOICES = [*ListingStatus.choices, ("all", gettext_lazy("全部状态"))]


def _int(value: str | None, low: int = 1, high: int = 2**62) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def _ints(values: list[str], low: int = 1, high: int = 2**62) -> list[int]:
    return [n for n in (_int(v, low, high) for v in values[:50]) if n is not None]


def _amount(value: str | None, scale: Decimal = Decimal(1)) -> Decimal | None:
    try:
        amount = Decimal((value or "").strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e11"):
        return None
    return (amount * scale).quantize(Decimal("0.01"))


def _page_filters(request: HttpRequest) -> ListingFilters:
    """The search as the list page's form asks for it; values that make no sense are ignored."""
    get = request.GET
    kind = get.get("kind") if get.get("kind") in ListingKind.values else ListingKind.SALE.value
    price_scale = WAN if kind == ListingKind.SALE else Decimal(1)
    status = get.get("status", "")
    statuses = [] if status == "all" else [status if status in ListingStatus.values else ListingStatus.ACTIVE]
    verify = get.get("verify", "")
    return ListingFilters(
        districts=_ints(get.getlist("district")),
        business_area=_int(get.get("business_area")),
        community=_int(get.get("community")),
        kind=kind,
        statuses=statuses,
        price_min=_amount(get.get("price_min"), price_scale),
        price_max=_amount(get.get("price_max"), price_scale),
        unit_price_min=_amount(get.get("unit_price_min")),
        unit_price_max=_amount(get.get("unit_price_max")),
        rooms=_ints(get.getlist("rooms"), 0, 20),
        area_min=_amount(get.get("area_min")),
        area_max=_amount(get.get("area_max")),
        school=_int(get.get("school")),
        school_level=get.get("school_level") if get.get("school_level") in SchoolLevel.values else None,
        freshness=verify if verify in ("fresh", "stale") else None,
        verified={"ever": True, "never": False}.get(verify),
        mine=get.get("mine") == "1",
        sort=get.get("sort", "") if get.get("sort") in SORTS else "newest",
    )


@agent_required
def listing_list(request: HtmxRequest, agent: Agent) -> HttpResponse:
    filters = _page_filters(request)
    rows, next_cursor = listing_search_page(agent, filters, cursor=request.GET.get("cursor"), limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("cursor", None)
    if request.htmx and request.GET.get("cursor"):
        return render(
            request,
            "web/listings/list.html#rows",
            {"rows": rows, "next_cursor": next_cursor, "query": query.urlencode()},
        )
    places = places_in_use(agent)
    get = request.GET
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "query": query.urlencode(),
        "filters": filters,
        "form_values": {
            name: get.get(name, "")
            for name in (
                "price_min",
                "price_max",
                "unit_price_min",
                "unit_price_max",
                "area_min",
                "area_max",
                "verify",
                "school_level",
            )
        },
        "status_value": get.get("status", "") or ListingStatus.ACTIVE.value,
        "districts": places.districts,
        "business_areas": places.business_areas,
        "schools": places.schools,
        "school_levels": SchoolLevel.choices,
        "room_choices": [
            (n, (_("%(n)s室") if n < ROOMS_OR_MORE else _("%(n)s室+")) % {"n": n})
            for n in range(1, ROOMS_OR_MORE + 1)
        ],
        "sorts": [(key, label) for key, (_order, label) in SORTS.items()],
        "status_choices": STATUS_CHOICES,
        "verify_choices": VERIFY_CHOICES,
        "filtered": any(k not in {"kind", "sort", "cursor"} and v for k, v in request.GET.items()),
        **NAV,
    }
    return render(request, "web/listings/list.html", context)


@agent_required
def community_options(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """Communities of the company matching a name, alias or pinyin initials (wkcs): the entry form's picker."""
    q = request.GET.get("q", "").strip()[:30]
    communities = communities_for_picker(agent, q)
    return render(request, "web/listings/form.html#community_options", {"communities": communities, "q": q})


# --- the listing page ----------------------------------------------------------------------


def _chart(detail: ListingDetail) -> dict[str, Any]:
    """The asking price over time for the chart: the first price, every change, and today."""
    listing = detail.listing
    changes = sorted(detail.price_changes, key=lambda c: (c.at, c.pk))
    scale = WAN if listing.kind == ListingKind.SALE else Decimal(1)
    first = changes[0].old_price if changes else listing.price
    points = [(listing.listed_on.isoformat(), first)]
    points += [(timezone.localtime(c.at).date().isoformat(), c.new_price) for c in changes]
    points.append((timezone.localdate().isoformat(), listing.price))
    return {
        "points": [[day, float((price / scale).quantize(Decimal("0.01")))] for day, price in points],
        "unit": _("万元") if listing.kind == ListingKind.SALE else _("元/月"),
    }


def _detail_context(agent: Agent, detail: ListingDetail, **extra: Any) -> dict[str, Any]:
    listing = detail.listing
    return {
        "listing": listing,
        "prop": listing.property,
        "detail": detail,
        "chart": _chart(detail),
        "status_label": (
            (_("在售") if listing.kind == ListingKind.SALE else _("在租"))
            if listing.status == ListingStatus.ACTIVE
            else listing.get_status_display()
        ),
        "methods": VerificationMethod.choices,
        "media_kinds": MediaKind.choices,
        "may_upload": agent.user.has_perm("listings.add_listingmedia", listing)
        and listing.status not in (ListingStatus.SOLD, ListingStatus.RENTED),
        "removable": {m.pk for m in detail.media if agent.user.has_perm("listings.delete_listingmedia", m)},
        "price_in_wan": listing.kind == ListingKind.SALE,
        "cost_estimate": listing_costs(listing, as_of=timezone.localdate()),
        **NAV,
        **extra,
    }


@agent_required
def listing_detail_page(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    detail = listing_detail(agent, listing_for_detail(agent, listing_id))
    return render(request, "web/listings/detail.html", _detail_context(agent, detail))


def _back(listing_id: int) -> HttpResponse:
    return redirect("web:listing_detail", listing_id=listing_id)


@require_POST
@agent_required
def listing_reprice_view(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing_for_change(agent, listing_id)
    scale = WAN if listing.kind == ListingKind.SALE else Decimal(1)
    price = _amount(request.POST.get("price"), scale)
    try:
        if price is None:
            raise ApplicationError(_("请填写大于 0 的新价格。"))
        services.listing_reprice(listing=listing, price=price, by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已调价。"))
    return _back(listing_id)


@require_POST
@agent_required
def listing_status_view(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing_for_change(agent, listing_id)
    try:
        services.listing_transition(listing=listing, to=request.POST.get("to", ""), by=agent)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("房源状态已改为“%(status)s”。") % {"status": listing.get_status_display()}
        )
    return _back(listing_id)


@require_POST
@agent_required
def listing_verify_view(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing(agent, listing_id)
    if not agent.user.has_perm("listings.verify_listing", listing):
        raise PermissionDenied(_("您无权核实此房源。"))
    post = request.POST
    try:
        verification = services.listing_verify(
            listing=listing,
            by=agent,
            method=post.get("method", ""),
            exists=post.get("exists") == "1",
            available=post.get("available") == "1",
            price_confirmed=post.get("price_confirmed") == "1",
            note=post.get("note", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if verification.exists and verification.available and verification.price_confirmed:
            messages.success(request, _("已核实：房源真实、在售、价格属实。"))
        elif not (verification.exists and verification.available):
            messages.warning(request, _("已记录核实结果，房源已下架。"))
        else:
            messages.warning(request, _("已记录核实结果：价格不符，请调价后重新核实。"))
    return _back(listing_id)


@require_POST
@agent_required
def listing_media_upload(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing(agent, listing_id)
    if not agent.user.has_perm("listings.add_listingmedia", listing):
        raise PermissionDenied(_("您无权为此房源上传图片。"))
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _("请选择要上传的图片。"))
        return _back(listing_id)
    added = 0
    for upload in files[:20]:
        try:
            services.listing_media_add(
                listing=listing,
                by=agent,
                file=upload,
                kind=request.POST.get("kind", MediaKind.PHOTO),
                caption=request.POST.get("caption", ""),
            )
        except ApplicationError as exc:
            messages.error(request, f"{upload.name}：{exc.message}")
        else:
            added += 1
    if added:
        messages.success(request, _("已上传 %(n)s 张图片。") % {"n": added})
    return _back(listing_id)


@require_POST
@agent_required
def listing_media_delete(request: HtmxRequest, agent: Agent, listing_id: int, media_id: int) -> HttpResponse:
    media = access_listing_media(agent, access_listing(agent, listing_id), media_id)
    if not agent.user.has_perm("listings.delete_listingmedia", media):
        raise PermissionDenied(_("只有上传人、录入经纪人、本店店长和管理员可以删除图片。"))
    services.listing_media_remove(media=media, by=agent)
    messages.success(request, _("已删除图片。"))
    return _back(listing_id)


def listing_media_file(request: HttpRequest, listing_id: int, media_id: int) -> FileResponse:
    """A photo for a signed-in agent of the company (browser session or API token); ``?thumb=1`` for a small one.

    Not under /media/: listing photos are the agency's, served only after the same access check.
    """
    agent = image_viewer(request)
    media = access_listing_media(agent, access_listing(agent, listing_id), media_id)
    storage, name = media.image.storage, str(media.image.name)
    if request.GET.get("thumb"):
        name = thumbnail_of(media)
    response = FileResponse(storage.open(name, "rb"), content_type=image_content_type(name))
    response["Cache-Control"] = "private, max-age=86400"
    return response


def thumbnail_of(media: ListingMedia) -> str:
    """The photo's small copy (``core/images.py``): what leaves the agency, and the lists' pictures."""
    return thumbnail(media.image.storage, str(media.image.name))


# --- entry and edits -----------------------------------------------------------------------


@agent_required
def listing_create_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if not agent.user.has_perm("listings.add_listing"):
        raise PermissionDenied(_("您无权录入房源。"))
    initial: dict[str, Any] = {}
    community_id = _int(request.GET.get("community"))
    if community_id:
        initial["community"] = community_of(agent, community_id)
    form = ListingForm(request.POST or None, viewer=agent, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(agent=agent, **form.service_arguments())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("房源已录入。"))
            return redirect("web:listing_detail", listing_id=listing.pk)
    return render(
        request, "web/listings/form.html", {"form": form, "selected": _selected_community(form), **NAV}
    )


def _selected_community(form: ListingForm) -> Community | None:
    if "community" not in form.fields:
        return None
    value = form["community"].value()
    if isinstance(value, Community):
        return value
    return community_of(form.viewer, _int(str(value)) if value else None)


@agent_required
def listing_edit_page(request: HtmxRequest, agent: Agent, listing_id: int) -> HttpResponse:
    listing = access_listing_for_change(agent, listing_id)
    prop = listing.property
    initial = {
        name: getattr(prop, name)
        for name in (
            "area",
            "inner_area",
            "rooms",
            "halls",
            "baths",
            "floor",
            "total_floors",
            "orientation",
            "decoration",
            "has_elevator",
            "build_year",
            "title_type",
            "certificate_date",
            "only_home",
            "mortgaged",
            "seized",
        )
    }
    initial.update(
        {
            name: getattr(listing, name)
            for name in (
                "mandate",
                "mandate_start",
                "mandate_end",
                "keys_store",
                "title",
                "highlights",
                "drawbacks",
            )
        }
    )
    completing = not prop.address_complete
    form = ListingForm(
        request.POST or None, viewer=agent, editing=True, completing=completing, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the address and the other changes: both or neither
                if completing:
                    listing = services.listing_complete_address(
                        listing=listing, by=agent, **form.address_arguments()
                    )
                services.listing_update(listing=listing, by=agent, changes=form.service_arguments())  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存房源。"))
            return redirect("web:listing_detail", listing_id=listing.pk)
    return render(
        request,
        "web/listings/form.html",
        {
            "form": form,
            "listing": listing,
            "seller": seller_as_seen(agent, listing.seller) if listing.seller_id else None,
            "completing": completing,
            **NAV,
        },
    )


urlpatterns = [
    path("listings/", listing_list, name="listings"),
    path("listings/new/", listing_create_page, name="listing_create"),
    path("listings/communities/", community_options, name="listing_community_options"),
    path("listings/<int:listing_id>/", listing_detail_page, name="listing_detail"),
    path("listings/<int:listing_id>/edit/", listing_edit_page, name="listing_edit"),
    path("listings/<int:listing_id>/price/", listing_reprice_view, name="listing_reprice"),
    path("listings/<int:listing_id>/status/", listing_status_view, name="listing_status"),
    path("listings/<int:listing_id>/verify/", listing_verify_view, name="listing_verify"),
    path("listings/<int:listing_id>/media/", listing_media_upload, name="listing_media_upload"),
    path("listings/<int:listing_id>/media/<int:media_id>/", listing_media_file, name="listing_media"),
    path(
        "listings/<int:listing_id>/media/<int:media_id>/delete/",
        listing_media_delete,
        name="listing_media_delete",
    ),
]
