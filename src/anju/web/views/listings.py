"""房源: the search list, the listing page (房源详情), entry (房源录入), edits and the actions on a listing.

Everyone in the company reads listings, verifies them and adds photos; the listing's agent, the
managers of its store and administrators edit, reprice and change the status (``listings/rules.py``).
Sale prices are typed and shown in 万元 as agents say them; rents in 元 per month.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps

from anju.core.errors import ApplicationError
from anju.core.formats import WAN
from anju.finance.selectors import listing_costs
from anju.geo.models import BusinessArea, Community, District, School, SchoolLevel
from anju.listings import services
from anju.listings.models import (
    Decoration,
    ListingKind,
    ListingMedia,
    ListingStatus,
    Mandate,
    MediaKind,
    Orientation,
    TitleType,
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
    seller_by_mobile,
)
from anju.org.models import Agent, Store
from anju.org.scoping import agent_of
from anju.org.services import token_authenticate
from anju.web.forms import DateInput, StyledFormMixin
from anju.web.views.base import HtmxRequest, agent_required

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
    company_communities = Community.objects.filter(company_id=agent.company_id)
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
        "districts": District.objects.filter(pk__in=company_communities.values("district_id")).order_by(
            "code"
        ),
        "business_areas": BusinessArea.objects.filter(
            pk__in=company_communities.values("business_area_id")
        ).select_related("district"),
        "schools": School.objects.filter(assignments__community__company_id=agent.company_id)
        .distinct()
        .order_by("level", "name"),
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
    qs = Community.objects.filter(company_id=agent.company_id).select_related("district")
    if q:
        term = q.lower()
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(pinyin_initials__startswith=term)
            | Q(aliases__name__icontains=q)
            | Q(aliases__pinyin_initials__startswith=term)
        ).distinct()
    communities = list(qs.order_by("name", "id")[:20])
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


THUMB_SIDE = 640
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def listing_media_file(request: HttpRequest, listing_id: int, media_id: int) -> FileResponse:
    """A photo for a signed-in agent of the company (browser session or API token); ``?thumb=1`` for a small one.

    Not under /media/: listing photos are the agency's, served only after the same access check.
    """
    user: Any = request.user
    if not user.is_authenticated:
        header = request.headers.get("Authorization", "")
        user = (
            token_authenticate(header.removeprefix("Bearer ").strip())
            if header.startswith("Bearer ")
            else None
        )
        if user is None:
            raise Http404(_("没有找到该图片。"))
    agent = agent_of(user)
    media = access_listing_media(agent, access_listing(agent, listing_id), media_id)
    storage, name = media.image.storage, str(media.image.name)
    if request.GET.get("thumb"):
        name = _thumbnail(media)
    content_type = IMAGE_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _thumbnail(media: ListingMedia) -> str:
    """A JPEG no larger than ``THUMB_SIDE`` pixels, made once and kept beside the original."""
    storage, name = media.image.storage, str(media.image.name)
    thumb = services.thumbnail_name(name)
    if not storage.exists(thumb):
        with storage.open(name, "rb") as original, Image.open(original) as image:
            small = ImageOps.exif_transpose(image) or image
            small.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buffer = BytesIO()
            small.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
        storage.save(thumb, ContentFile(buffer.getvalue()))
    return thumb


# --- entry and edits -----------------------------------------------------------------------


class _YesNoUnknown(forms.NullBooleanSelect):
    """是 / 否 / — (not known yet), keeping Django's mapping of True, False and None to the options."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", gettext_lazy("是")), ("false", gettext_lazy("否"))]


class ListingForm(StyledFormMixin, forms.Form):
    """房源录入 and 修改: the flat and the listing's terms; the address and price only on entry."""

    community = forms.ModelChoiceField(label=gettext_lazy("小区"), queryset=Community.objects.none())
    building = forms.CharField(label=gettext_lazy("楼栋"), max_length=20)
    unit = forms.CharField(label=gettext_lazy("单元"), max_length=10, required=False)
    room_number = forms.CharField(label=gettext_lazy("门牌号"), max_length=20)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=ListingKind.choices,
        initial=ListingKind.SALE,
        widget=forms.RadioSelect,
    )
    price_wan = forms.DecimalField(
        label=gettext_lazy("售价（万元）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    rent = forms.DecimalField(
        label=gettext_lazy("月租金（元）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    area = forms.DecimalField(
        label=gettext_lazy("建筑面积（㎡）"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    inner_area = forms.DecimalField(
        label=gettext_lazy("套内面积（㎡）"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    rooms = forms.IntegerField(label=gettext_lazy("室"), min_value=0, max_value=20, initial=2)
    halls = forms.IntegerField(label=gettext_lazy("厅"), min_value=0, max_value=10, initial=1)
    baths = forms.IntegerField(label=gettext_lazy("卫"), min_value=0, max_value=10, initial=1)
    floor = forms.IntegerField(label=gettext_lazy("所在楼层"), min_value=-5, max_value=200)
    total_floors = forms.IntegerField(label=gettext_lazy("总楼层"), min_value=1, max_value=200)
    orientation = forms.ChoiceField(label=gettext_lazy("朝向"), choices=Orientation.choices, initial="SN")
    decoration = forms.ChoiceField(label=gettext_lazy("装修"), choices=Decoration.choices, initial="fine")
    has_elevator = forms.BooleanField(label=gettext_lazy("有电梯"), required=False)
    build_year = forms.IntegerField(
        label=gettext_lazy("建成年份"), min_value=1900, max_value=2100, required=False
    )
    title_type = forms.ChoiceField(
        label=gettext_lazy("产权类型"), choices=TitleType.choices, initial="commodity"
    )
    certificate_date = forms.DateField(
        label=gettext_lazy("产权证日期"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("不动产权证或契税票日期，用于判断满二、满五。"),
    )
    only_home = forms.NullBooleanField(
        label=gettext_lazy("卖方家庭唯一住房"),
        required=False,
        widget=_YesNoUnknown(),
    )
    mortgaged = forms.BooleanField(label=gettext_lazy("有抵押"), required=False)
    seized = forms.BooleanField(label=gettext_lazy("被查封"), required=False)
    seller_mobile = forms.CharField(
        label=gettext_lazy("业主手机号"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("业主须已在“客户”中录入；修改时留空表示不变。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    mandate = forms.ChoiceField(label=gettext_lazy("委托方式"), choices=Mandate.choices, initial="general")
    mandate_start = forms.DateField(label=gettext_lazy("委托开始"), required=False, widget=DateInput())
    mandate_end = forms.DateField(label=gettext_lazy("委托结束"), required=False, widget=DateInput())
    keys_store = forms.ModelChoiceField(
        label=gettext_lazy("钥匙所在门店"),
        queryset=Store.objects.none(),
        required=False,
        empty_label=gettext_lazy("未收钥匙"),
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100, required=False)
    highlights = forms.CharField(
        label=gettext_lazy("房源亮点"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    drawbacks = forms.CharField(
        label=gettext_lazy("已知不足"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("如实告知买方的不足：临街、顶楼漏水、无电梯高楼层……"),
    )
    store = forms.ModelChoiceField(label=gettext_lazy("所属门店"), queryset=Store.objects.none())
    verify_method = forms.ChoiceField(
        label=gettext_lazy("录入时已与业主核实"),
        choices=[("", gettext_lazy("尚未核实（标为待核实）")), *VerificationMethod.choices],
        required=False,
    )

    ENTRY_ONLY = (
        "community",
        "building",
        "unit",
        "room_number",
        "kind",
        "price_wan",
        "rent",
        "store",
        "verify_method",
    )

    def __init__(self, *args: Any, viewer: Agent, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.editing = editing
        stores = Store.objects.filter(company_id=viewer.company_id).order_by("name")
        cast(forms.ModelChoiceField, self.fields["keys_store"]).queryset = stores
        cast(forms.ModelChoiceField, self.fields["store"]).queryset = stores
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = Community.objects.filter(
            company_id=viewer.company_id
        ).select_related("district")
        for name in ("area", "inner_area", "price_wan", "rent"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        for name in ("rooms", "halls", "baths", "floor", "total_floors", "build_year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if editing:
            for name in self.ENTRY_ONLY:
                del self.fields[name]
        elif viewer.store_id is not None:
            del self.fields["store"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.editing:
            kind = data.get("kind")
            if kind == ListingKind.SALE and data.get("price_wan") is None:
                self.add_error("price_wan", _("请填写售价。"))
            if kind == ListingKind.RENT and data.get("rent") is None:
                self.add_error("rent", _("请填写月租金。"))
        mobile = (data.get("seller_mobile") or "").strip()
        data["seller"] = None
        if mobile:
            try:
                data["seller"] = seller_by_mobile(self.viewer, mobile)
            except ApplicationError as exc:
                self.add_error("seller_mobile", exc.message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``listing_create``/``listing_update`` take it."""
        data = dict(self.cleaned_data)
        mobile = data.pop("seller_mobile", "")
        seller = data.pop("seller", None)
        if self.editing:
            if mobile:  # left empty, the seller stays as they are
                data["seller"] = seller
            return data
        kind = data["kind"]
        price_wan, rent = data.pop("price_wan"), data.pop("rent")
        data["price"] = (price_wan * WAN) if kind == ListingKind.SALE else rent
        data["seller"] = seller
        data["verify_method"] = data.get("verify_method") or None
        return data


@agent_required
def listing_create_page(request: HtmxRequest, agent: Agent) -> HttpResponse:
    if not agent.user.has_perm("listings.add_listing"):
        raise PermissionDenied(_("您无权录入房源。"))
    initial: dict[str, Any] = {}
    community_id = _int(request.GET.get("community"))
    if community_id:
        initial["community"] = Community.objects.filter(company_id=agent.company_id, pk=community_id).first()
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
    community_id = _int(str(value)) if value else None
    if community_id is None:
        return None
    return (
        Community.objects.filter(company_id=form.viewer.company_id, pk=community_id)
        .select_related("district")
        .first()
    )


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
    form = ListingForm(request.POST or None, viewer=agent, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
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
