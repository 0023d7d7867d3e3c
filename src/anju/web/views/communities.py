"""楼盘字典: search the company's communities, read one, and (managers, administrators) keep them.

Agents read; store managers and administrators create and edit communities, aliases, buildings,
school assignments and amenities (``anju/geo/rules.py``). A new name like one on file is shown
with its look-alikes and needs an explicit “仍然创建”. The URLs are at the end of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.geo import selectors, services
from anju.geo.models import BusinessArea, Community
from anju.geo.rules import may_edit_dictionary
from anju.org.models import Agent
from anju.web.forms.communities import (
    AliasForm,
    AmenityForm,
    AssignmentForm,
    BuildingForm,
    CommunityForm,
    SchoolForm,
    split_aliases,
)
from anju.web.views.base import HtmxRequest, agent_required

PAGE_SIZE = 30
NAV = {"nav_section": "listings"}  # the dictionary is reached from 房源


# --- forms ------------------------------------------------------------------------------------------


def _apply(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service for a valid form; a domain error becomes a form error and nothing is changed."""
    if not form.is_valid():
        return None
    try:
        return action()
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None


# --- search --------------------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@agent_required
def community_list(request: HtmxRequest, agent: Agent) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    district_id = _int(request.GET.get("district"))
    area_id = _int(request.GET.get("area"))
    qs = selectors.with_aliases(
        selectors.community_search(agent, q=q, district_id=district_id, business_area_id=area_id)
    )
    try:
        rows, next_cursor = selectors.page(
            qs, order=selectors.COMMUNITY_ORDER, cursor=request.GET.get("cursor"), limit=PAGE_SIZE
        )
    except ApplicationError as exc:
        return HttpResponseBadRequest(exc.message)
    filters = {k: v for k, v in {"q": q, "district": district_id, "area": area_id}.items() if v}
    context: dict[str, Any] = {
        "rows": rows,
        "next_cursor": next_cursor,
        "more_query": urlencode({**filters, "cursor": next_cursor or ""}),
        "q": q,
        "district_id": district_id,
        "area_id": area_id,
        **NAV,
    }
    if request.htmx:
        return render(request, "web/communities/list.html#rows", context)
    city = selectors.city_of(agent)
    tree = selectors.district_tree(city_id=city.pk) if city else selectors.district_tree()
    context.update(
        {"districts": [d for c in tree for d in c.districts], "can_edit": may_edit_dictionary(agent.user)}
    )
    return render(request, "web/communities/list.html", context)


# --- create and edit ---------------------------------------------------------------------------------


def _areas(agent: Agent) -> list[BusinessArea]:
    return list(selectors.business_areas_of(selectors.city_of(agent)))


@agent_required
def community_create(request: HtmxRequest, agent: Agent) -> HttpResponse:
    selectors.ensure_may_edit_dictionary(agent)
    form = CommunityForm(request.POST or None, areas=_areas(agent))
    candidates: list[selectors.SimilarCommunity] = []
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(
                company=agent.company,
                fields=form.fields_for_service(),
                aliases=split_aliases(form.cleaned_data["aliases"]),
                confirm_duplicate=request.POST.get("confirm_duplicate") == "1",
            )
        except services.PossibleDuplicate as exc:
            candidates = exc.candidates
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已新建小区“%(name)s”。") % {"name": community.name})
            return redirect("web:community_detail", community_id=community.pk)
    return render(
        request,
        "web/communities/form.html",
        {"form": form, "candidates": candidates, "community": None, **NAV},
    )


@agent_required
def community_edit(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    initial = {
        "name": community.name,
        "business_area": str(community.business_area_id),
        "address": community.address,
        "latitude": community.latitude,
        "longitude": community.longitude,
        "build_year": community.build_year,
        "property_fee": community.property_fee,
        "reference_price": community.reference_price,
        "building_count": community.building_count,
    }
    areas = _areas(agent)
    if community.business_area_id not in {a.pk for a in areas}:
        areas.append(community.business_area)
    form = CommunityForm(
        request.POST or None, areas=areas, with_aliases=False, exclude_id=community.pk, initial=initial
    )
    candidates: list[selectors.SimilarCommunity] = []
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        try:
            services.community_update(
                community=community,
                confirm_duplicate=request.POST.get("confirm_duplicate") == "1",
                **{f: getattr(fields, f) for f in services.EDITABLE_FIELDS},
            )
        except services.PossibleDuplicate as exc:
            candidates = exc.candidates
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": community.name})
            return redirect("web:community_detail", community_id=community.pk)
    return render(
        request,
        "web/communities/form.html",
        {"form": form, "candidates": candidates, "community": community, **NAV},
    )


@agent_required
def community_similar(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The look-alikes of the name being typed in the form (htmx, as the user types)."""
    name = request.GET.get("name", "")[:60]
    area_id = _int(request.GET.get("business_area"))
    city = None
    if area_id is not None:
        try:
            city = selectors.access_business_area(area_id).district.city
        except Http404:
            city = None
    city = city or selectors.city_of(agent)
    candidates = (
        selectors.similar_communities(
            company_id=agent.company_id, city=city, name=name, exclude_id=_int(request.GET.get("exclude"))
        )
        if city is not None
        else []
    )
    return render(request, "web/communities/form.html#similar", {"similar": candidates})


# --- detail and the parts a manager keeps -----------------------------------------------------------


WALK_M_PER_MINUTE = 80  # an unhurried walk; the distance is straight-line, the walk a little longer


def _with_walk_minutes(stations: Iterable[Any]) -> list[Any]:
    rows = list(stations)
    for row in rows:
        row.walk_minutes = max(1, round(row.distance_m / WALK_M_PER_MINUTE))
    return rows


def _detail_context(agent: Agent, community_id: int, **forms_: Any) -> dict[str, Any]:
    community = selectors.community_detail(agent, community_id)
    can_edit = bool(agent.user.has_perm("geo.change_community", community))
    context: dict[str, Any] = {
        "community": community,
        "buildings": selectors.sorted_buildings(community.buildings.all()),
        "assignments": [
            (a, selectors.sorted_buildings(a.buildings.all())) for a in community.school_assignments.all()
        ],
        "stations": _with_walk_minutes(community.stations.all()),
        "can_edit": can_edit,
        "radius_m": services.distance.NEARBY_STATION_RADIUS_M,
        **NAV,
    }
    if can_edit:
        context["alias_form"] = forms_.get("alias_form") or AliasForm()
        context["building_form"] = forms_.get("building_form") or BuildingForm()
        context["assignment_form"] = forms_.get("assignment_form") or AssignmentForm(community=community)
        context["amenity_form"] = forms_.get("amenity_form") or AmenityForm()
        if agent.user.has_perm("geo.add_school"):
            districts = selectors.districts_of_city(community.district.city_id)
            context["school_form"] = forms_.get("school_form") or SchoolForm(
                districts=districts, initial={"district": str(community.district_id)}
            )
    return context


@agent_required
def community_detail(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    return render(request, "web/communities/detail.html", _detail_context(agent, community_id))


def _section(
    request: HtmxRequest, agent: Agent, community: Community, section: str, done: str | None, **forms_: Any
) -> HttpResponse:
    """After a change to one part of the page: that part again (htmx) or the whole page."""
    if request.htmx:
        context = _detail_context(agent, community.pk, **({} if done else forms_))
        context["done"] = done
        return render(request, f"web/communities/detail.html#{section}", context)
    if done:
        messages.success(request, done)
    else:
        for form in forms_.values():
            for error in [*form.non_field_errors(), *[e for f in form.errors.values() for e in f]]:
                messages.error(request, error)
                break
    return redirect("web:community_detail", community_id=community.pk)


@agent_required
@require_POST
def alias_add(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    form = AliasForm(request.POST)
    alias = _apply(form, lambda: services.alias_add(community=community, name=form.cleaned_data["name"]))
    done = _("已添加别名“%(name)s”。") % {"name": alias.name} if alias else None
    return _section(request, agent, community, "aliases", done, alias_form=form)


@agent_required
@require_POST
def alias_remove(request: HtmxRequest, agent: Agent, community_id: int, alias_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    alias = selectors.access_alias(community, alias_id)
    services.alias_remove(alias=alias)
    return _section(request, agent, community, "aliases", _("已删除别名“%(name)s”。") % {"name": alias.name})


@agent_required
@require_POST
def building_add(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    form = BuildingForm(request.POST)
    building = _apply(form, lambda: services.building_create(community=community, **form.values()))
    done = _("已添加楼栋“%(name)s”。") % {"name": building.name} if building else None
    return _section(request, agent, community, "buildings", done, building_form=form)


@agent_required
def building_edit(request: HtmxRequest, agent: Agent, community_id: int, building_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    building = selectors.access_building(community, building_id)
    elevator = "" if building.has_elevator is None else ("1" if building.has_elevator else "0")
    initial = {
        "name": building.name,
        "total_floors": building.total_floors,
        "units": building.units,
        "has_elevator": elevator,
        "build_year": building.build_year,
    }
    form = BuildingForm(request.POST or None, initial=initial)
    if request.method == "POST" and _apply(
        form, lambda: services.building_update(building=building, **form.values())
    ):
        messages.success(request, _("已保存楼栋“%(name)s”。") % {"name": building.name})
        return redirect("web:community_detail", community_id=community.pk)
    return render(
        request,
        "web/communities/part_form.html",
        {
            "community": community,
            "form": form,
            "title": _("楼栋 %(name)s") % {"name": building.name},
            "delete_url": "web:building_delete",
            "delete_id": building.pk,
            "delete_label": _("删除楼栋"),
            "delete_confirm": _("删除楼栋“%(name)s”？学区划片中的这栋楼也会一并去掉。")
            % {"name": building.name},
            **NAV,
        },
    )


@agent_required
@require_POST
def building_delete(request: HtmxRequest, agent: Agent, community_id: int, building_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    building = selectors.access_building(community, building_id)
    services.building_delete(building=building)
    messages.success(request, _("已删除楼栋“%(name)s”。") % {"name": building.name})
    return redirect("web:community_detail", community_id=community.pk)


@agent_required
@require_POST
def assignment_add(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    community = selectors.community_detail(agent, community_id)
    if not agent.user.has_perm("geo.change_community", community):
        raise PermissionDenied(_("只有店长和管理员可以修改楼盘字典。"))
    form = AssignmentForm(request.POST, community=community)

    def assign() -> Any:
        school = selectors.access_school(int(form.cleaned_data["school"]))
        return services.school_assign(
            community=community,
            school=school,
            building_ids=form.building_ids(),
            year=form.cleaned_data["year"],
            note=form.cleaned_data["note"],
        )

    assignment = _apply(form, assign)
    done = _("已划入“%(school)s”学区。") % {"school": assignment.school.name} if assignment else None
    return _section(request, agent, community, "schools", done, assignment_form=form)


@agent_required
def assignment_edit(
    request: HtmxRequest, agent: Agent, community_id: int, assignment_id: int
) -> HttpResponse:
    community = selectors.community_detail(agent, community_id)
    if not agent.user.has_perm("geo.change_community", community):
        raise PermissionDenied(_("只有店长和管理员可以修改楼盘字典。"))
    assignment = selectors.access_assignment(community, assignment_id)
    initial = {
        "buildings": [str(pk) for pk in selectors.building_ids_of_assignment(assignment)],
        "year": assignment.year,
        "note": assignment.note,
    }
    form = AssignmentForm(request.POST or None, community=community, with_school=False, initial=initial)
    if request.method == "POST" and _apply(
        form,
        lambda: services.school_assignment_update(
            assignment=assignment,
            building_ids=form.building_ids(),
            year=form.cleaned_data["year"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("已保存“%(school)s”的学区划片。") % {"school": assignment.school.name})
        return redirect("web:community_detail", community_id=community.pk)
    return render(
        request,
        "web/communities/part_form.html",
        {
            "community": community,
            "form": form,
            "title": _("学区划片：%(school)s") % {"school": assignment.school.name},
            "delete_url": "web:assignment_delete",
            "delete_id": assignment.pk,
            "delete_label": _("取消划片"),
            "delete_confirm": _("取消“%(school)s”的学区划片？") % {"school": assignment.school.name},
            **NAV,
        },
    )


@agent_required
@require_POST
def assignment_delete(
    request: HtmxRequest, agent: Agent, community_id: int, assignment_id: int
) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    assignment = selectors.access_assignment(community, assignment_id)
    services.school_unassign(assignment=assignment)
    messages.success(request, _("已取消“%(school)s”的学区划片。") % {"school": assignment.school.name})
    return redirect("web:community_detail", community_id=community.pk)


@agent_required
@require_POST
def school_add(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    """A school not on file yet; administrators only (schools are shared by every company)."""
    community = selectors.access_community(agent, community_id, for_edit=True)
    if not agent.user.has_perm("geo.add_school"):
        raise PermissionDenied(_("只有管理员可以新增学校。"))
    districts = selectors.districts_of_city(community.district.city_id)
    form = SchoolForm(request.POST, districts=districts)
    school = _apply(
        form,
        lambda: services.school_create(
            district=form.cleaned_data["district"],
            name=form.cleaned_data["name"],
            level=form.cleaned_data["level"],
            is_key=form.cleaned_data["is_key"],
        ),
    )
    done = _("已新增学校“%(name)s”，现在可以划片了。") % {"name": school.name} if school else None
    return _section(request, agent, community, "schools", done, school_form=form)


@agent_required
@require_POST
def amenity_add(request: HtmxRequest, agent: Agent, community_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    form = AmenityForm(request.POST)
    amenity = _apply(form, lambda: services.amenity_add(community=community, **form.cleaned_data))
    done = _("已添加配套“%(name)s”。") % {"name": amenity.name} if amenity else None
    return _section(request, agent, community, "amenities", done, amenity_form=form)


@agent_required
@require_POST
def amenity_remove(request: HtmxRequest, agent: Agent, community_id: int, amenity_id: int) -> HttpResponse:
    community = selectors.access_community(agent, community_id, for_edit=True)
    amenity = selectors.access_amenity(community, amenity_id)
    services.amenity_remove(amenity=amenity)
    return _section(
        request, agent, community, "amenities", _("已删除配套“%(name)s”。") % {"name": amenity.name}
    )


urlpatterns = [
    path("communities/", community_list, name="communities"),
    path("communities/new/", community_create, name="community_create"),
    path("communities/similar/", community_similar, name="community_similar"),
    path("communities/<int:community_id>/", community_detail, name="community_detail"),
    path("communities/<int:community_id>/edit/", community_edit, name="community_edit"),
    path("communities/<int:community_id>/aliases/", alias_add, name="alias_add"),
    path("communities/<int:community_id>/aliases/<int:alias_id>/delete/", alias_remove, name="alias_remove"),
    path("communities/<int:community_id>/buildings/", building_add, name="building_add"),
    path("communities/<int:community_id>/buildings/<int:building_id>/", building_edit, name="building_edit"),
    path(
        "communities/<int:community_id>/buildings/<int:building_id>/delete/",
        building_delete,
        name="building_delete",
    ),
    path("communities/<int:community_id>/schools/", assignment_add, name="assignment_add"),
    path("communities/<int:community_id>/schools/new/", school_add, name="school_add"),
    path(
        "communities/<int:community_id>/schools/<int:assignment_id>/", assignment_edit, name="assignment_edit"
    ),
    path(
        "communities/<int:community_id>/schools/<int:assignment_id>/delete/",
        assignment_delete,
        name="assignment_delete",
    ),
    path("communities/<int:community_id>/amenities/", amenity_add, name="amenity_add"),
    path(
        "communities/<int:community_id>/amenities/<int:amenity_id>/delete/",
        amenity_remove,
        name="amenity_remove",
    ),
]
