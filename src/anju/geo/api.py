"""/api/v1/communities — the building dictionary; /api/v1/geo — shared geography for pickers.

Everyone in a company reads its dictionary; managers and administrators write it (403 for agents).
Schools and subway stations are shared by all companies; administrators add them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from anju.core.errors import ApplicationError
from anju.core.pagination import CursorPage
from anju.core.schemas import ERRORS
from anju.geo import selectors, services
from anju.geo.models import (
    Amenity,
    Building,
    BusinessArea,
    Community,
    CommunityAlias,
    School,
    SchoolAssignment,
)
from anju.geo.schemas import (
    AliasIn,
    AliasOut,
    AmenityIn,
    AmenityOut,
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    CandidateOut,
    CityTreeOut,
    CommunityDetailOut,
    CommunityIn,
    CommunityOut,
    CommunityPatch,
    DuplicateOut,
    Id,
    SchoolAssignmentIn,
    SchoolAssignmentOut,
    SchoolAssignmentPatch,
    SchoolIn,
    SchoolOut,
    StationIn,
    StationOut,
)
from anju.org.scoping import agent_of

# The app's one Router (decision 0002), mounted at "/": its two resources are sub-routers, each with
# its own tag, added at the end of this module.
router = Router()
communities = Router(tags=["楼盘字典"])
geography = Router(tags=["地理"])

WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: DuplicateOut}


# --- shapes ---------------------------------------------------------------------------------------


def community_out(community: Community) -> dict:
    return {
        "id": community.pk,
        "name": community.name,
        "pinyin_initials": community.pinyin_initials,
        "aliases": [a.name for a in community.aliases.all()],
        "district": {"id": community.district_id, "name": community.district.name},
        "business_area": {"id": community.business_area_id, "name": community.business_area.name},
        "address": community.address,
        "latitude": None if community.latitude is None else float(community.latitude),
        "longitude": None if community.longitude is None else float(community.longitude),
        "build_year": community.build_year,
        "property_fee": community.property_fee,
        "reference_price": community.reference_price,
        "building_count": community.building_count,
    }


def building_out(building: Building) -> dict:
    return {
        "id": building.pk,
        "name": building.name,
        "total_floors": building.total_floors,
        "units": building.units,
        "has_elevator": building.has_elevator,
        "build_year": building.build_year,
    }


def school_out(school: School) -> dict:
    return {
        "id": school.pk,
        "name": school.name,
        "level": school.level,
        "level_label": school.get_level_display(),
        "is_key": school.is_key,
        "district": {"id": school.district_id, "name": school.district.name},
    }


def assignment_out(assignment: SchoolAssignment) -> dict:
    buildings = selectors.sorted_buildings(assignment.buildings.all())
    return {
        "id": assignment.pk,
        "school": school_out(assignment.school),
        "whole_community": not buildings,
        "buildings": [{"id": b.pk, "name": b.name} for b in buildings],
        "year": assignment.year,
        "note": assignment.note,
    }


def amenity_out(amenity: Amenity) -> dict:
    return {
        "id": amenity.pk,
        "kind": amenity.kind,
        "kind_label": amenity.get_kind_display(),
        "name": amenity.name,
        "distance_m": amenity.distance_m,
    }


def alias_out(alias: CommunityAlias) -> dict:
    return {"id": alias.pk, "name": alias.name}


def community_detail_out(community: Community) -> dict:
    city = community.district.city
    return {
        **community_out(community),
        "city": {"id": city.pk, "name": city.name},
        "buildings": [building_out(b) for b in selectors.sorted_buildings(community.buildings.all())],
        "alias_list": [alias_out(a) for a in community.aliases.all()],
        "schools": [assignment_out(a) for a in community.school_assignments.all()],
        "stations": [
            {
                "station_id": s.station_id,
                "line": s.station.line,
                "name": s.station.name,
                "distance_m": s.distance_m,
            }
            for s in community.stations.all()
        ],
        "amenities": [amenity_out(a) for a in community.amenities.all()],
        "updated_at": community.updated_at,
    }


def candidates_out(candidates: list[selectors.SimilarCommunity]) -> list[dict]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "district": c.district,
            "business_area": c.business_area,
            "reason": c.reason,
            "reason_label": c.reason_label,
            "matched": c.matched,
        }
        for c in candidates
    ]


def duplicate_response(exc: services.PossibleDuplicate) -> Status[dict]:
    return Status(
        409, {"code": exc.code, "message": exc.message, "candidates": candidates_out(exc.candidates)}
    )


def _business_area(business_area_id: int) -> BusinessArea:
    """A 板块 named in a request body: a bad id is a 400, not a 404 of the URL."""
    try:
        return selectors.access_business_area(business_area_id)
    except Http404 as exc:
        raise ApplicationError(_("没有这个板块。"), code="unknown_business_area") from exc


# --- communities ------------------------------------------------------------------------------------


@communities.get(
    "", response={200: CursorPage[CommunityOut], **ERRORS}, summary="搜索小区（名称、别名或拼音首字母）"
)
def list_communities(
    request: HttpRequest,
    q: str = "",
    district_id: Id | None = None,
    business_area_id: Id | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    """``q`` matches the name or an alias (包含) or the pinyin initials (``wkcshy`` 找到 万科城市花园);
    exact and prefix matches come first. Without ``q`` the whole dictionary in pinyin order."""
    viewer = agent_of(request.user)
    qs = selectors.community_search(viewer, q=q, district_id=district_id, business_area_id=business_area_id)
    rows, next_cursor = selectors.page(
        selectors.with_aliases(qs), order=selectors.COMMUNITY_ORDER, cursor=cursor, limit=limit
    )
    return {"items": [community_out(c) for c in rows], "next_cursor": next_cursor}


@communities.post("", response={201: CommunityDetailOut, **WRITE_ERRORS}, summary="新建小区（店长、管理员）")
def create_community(request: HttpRequest, payload: CommunityIn) -> Status[dict]:
    """A name like an existing community's (or alias's, or with the same pinyin initials) answers 409
    ``possible_duplicate`` with the ``candidates``; send ``confirm_duplicate: true`` to create anyway.
    The same name in the same district is always 409 ``community_exists``."""
    viewer = agent_of(request.user)
    selectors.ensure_may_edit_dictionary(viewer)
    fields = services.CommunityFields(
        name=payload.name,
        business_area=_business_area(payload.business_area_id),
        latitude=payload.latitude,
        longitude=payload.longitude,
        address=payload.address,
        build_year=payload.build_year,
        property_fee=payload.property_fee,
        reference_price=payload.reference_price,
        building_count=payload.building_count,
    )
    try:
        community = services.community_create(
            company=viewer.company,
            fields=fields,
            aliases=payload.aliases,
            confirm_duplicate=payload.confirm_duplicate,
        )
    except services.PossibleDuplicate as exc:
        return duplicate_response(exc)
    return Status(201, community_detail_out(selectors.community_detail(viewer, community.pk)))


@communities.get("/similar", response={200: list[CandidateOut], **ERRORS}, summary="与某名称相似的已有小区")
def similar_communities(
    request: HttpRequest, name: str, business_area_id: Id | None = None, exclude_id: Id | None = None
) -> list[dict]:
    """What a create form shows while the name is typed; the city is the 板块's, else the company's."""
    viewer = agent_of(request.user)
    city = _business_area(business_area_id).district.city if business_area_id else selectors.city_of(viewer)
    if city is None or len(name) > 60:
        return []
    return candidates_out(
        selectors.similar_communities(
            company_id=viewer.company_id, city=city, name=name, exclude_id=exclude_id
        )
    )


@communities.get("/{community_id}", response={200: CommunityDetailOut, **ERRORS}, summary="小区详情")
def get_community(request: HttpRequest, community_id: int) -> dict:
    return community_detail_out(selectors.community_detail(agent_of(request.user), community_id))


@communities.patch("/{community_id}", response={200: CommunityDetailOut, **WRITE_ERRORS}, summary="修改小区")
def update_community(request: HttpRequest, community_id: int, payload: CommunityPatch) -> Status[dict]:
    """Only the fields sent change. A rename is checked for duplicates like a new community."""
    viewer = agent_of(request.user)
    community = selectors.access_community(viewer, community_id, for_edit=True)
    changes = payload.dict(exclude_unset=True)
    confirm = bool(changes.pop("confirm_duplicate", False))
    for required in ("name", "business_area_id", "latitude", "longitude"):
        if required in changes and changes[required] is None:
            raise ApplicationError(_("%(field)s 不能为空。") % {"field": required}, code="field_required")
    if "business_area_id" in changes:
        changes["business_area"] = _business_area(changes.pop("business_area_id"))
    if "address" in changes and changes["address"] is None:
        changes["address"] = ""
    try:
        services.community_update(community=community, confirm_duplicate=confirm, **changes)
    except services.PossibleDuplicate as exc:
        return duplicate_response(exc)
    return Status(200, community_detail_out(selectors.community_detail(viewer, community.pk)))


# --- aliases, buildings, schools, amenities -----------------------------------------------------------


@communities.post("/{community_id}/aliases", response={201: AliasOut, **ERRORS}, summary="添加别名")
def add_alias(request: HttpRequest, community_id: int, payload: AliasIn) -> Status[dict]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    return Status(201, alias_out(services.alias_add(community=community, name=payload.name)))


@communities.delete("/{community_id}/aliases/{alias_id}", response={204: None, **ERRORS}, summary="删除别名")
def remove_alias(request: HttpRequest, community_id: int, alias_id: int) -> Status[None]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    services.alias_remove(alias=selectors.access_alias(community, alias_id))
    return Status(204, None)


@communities.get("/{community_id}/buildings", response={200: list[BuildingOut], **ERRORS}, summary="楼栋列表")
def list_buildings(request: HttpRequest, community_id: int) -> list[dict]:
    community = selectors.access_community(agent_of(request.user), community_id)
    return [building_out(b) for b in selectors.sorted_buildings(community.buildings.all())]


@communities.post("/{community_id}/buildings", response={201: BuildingOut, **ERRORS}, summary="添加楼栋")
def add_building(request: HttpRequest, community_id: int, payload: BuildingIn) -> Status[dict]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    return Status(201, building_out(services.building_create(community=community, **payload.dict())))


@communities.patch(
    "/{community_id}/buildings/{building_id}", response={200: BuildingOut, **ERRORS}, summary="修改楼栋"
)
def update_building(
    request: HttpRequest, community_id: int, building_id: int, payload: BuildingPatch
) -> dict:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    building = selectors.access_building(community, building_id)
    changes = payload.dict(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise ApplicationError(_("name 不能为空。"), code="field_required")
    return building_out(services.building_update(building=building, **changes))


@communities.delete(
    "/{community_id}/buildings/{building_id}", response={204: None, **ERRORS}, summary="删除楼栋"
)
def delete_building(request: HttpRequest, community_id: int, building_id: int) -> Status[None]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    services.building_delete(building=selectors.access_building(community, building_id))
    return Status(204, None)


def _school(school_id: int) -> School:
    try:
        return selectors.access_school(school_id)
    except Http404 as exc:
        raise ApplicationError(_("没有这所学校。"), code="unknown_school") from exc


@communities.post(
    "/{community_id}/schools", response={201: SchoolAssignmentOut, **ERRORS}, summary="划入学区（可指定楼栋）"
)
def assign_school(request: HttpRequest, community_id: int, payload: SchoolAssignmentIn) -> Status[dict]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    assignment = services.school_assign(
        community=community,
        school=_school(payload.school_id),
        building_ids=payload.building_ids,
        year=payload.year,
        note=payload.note,
    )
    return Status(201, assignment_out(selectors.access_assignment(community, assignment.pk)))


@communities.patch(
    "/{community_id}/schools/{assignment_id}",
    response={200: SchoolAssignmentOut, **ERRORS},
    summary="修改学区划片",
)
def update_assignment(
    request: HttpRequest, community_id: int, assignment_id: int, payload: SchoolAssignmentPatch
) -> dict:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    assignment = selectors.access_assignment(community, assignment_id)
    services.school_assignment_update(
        assignment=assignment, building_ids=payload.building_ids, year=payload.year, note=payload.note
    )
    return assignment_out(selectors.access_assignment(community, assignment.pk))


@communities.delete(
    "/{community_id}/schools/{assignment_id}", response={204: None, **ERRORS}, summary="取消学区划片"
)
def remove_assignment(request: HttpRequest, community_id: int, assignment_id: int) -> Status[None]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    services.school_unassign(assignment=selectors.access_assignment(community, assignment_id))
    return Status(204, None)


@communities.post("/{community_id}/amenities", response={201: AmenityOut, **ERRORS}, summary="添加周边配套")
def add_amenity(request: HttpRequest, community_id: int, payload: AmenityIn) -> Status[dict]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    amenity = services.amenity_add(
        community=community, kind=payload.kind, name=payload.name, distance_m=payload.distance_m
    )
    return Status(201, amenity_out(amenity))


@communities.delete(
    "/{community_id}/amenities/{amenity_id}", response={204: None, **ERRORS}, summary="删除周边配套"
)
def remove_amenity(request: HttpRequest, community_id: int, amenity_id: int) -> Status[None]:
    community = selectors.access_community(agent_of(request.user), community_id, for_edit=True)
    services.amenity_remove(amenity=selectors.access_amenity(community, amenity_id))
    return Status(204, None)


# --- shared geography ------------------------------------------------------------------------------


@geography.get("/districts", response={200: list[CityTreeOut], **ERRORS}, summary="城市 → 区县 → 板块")
def district_tree(request: HttpRequest, city_id: Id | None = None) -> list:
    agent_of(request.user)
    return selectors.district_tree(city_id=city_id)


@geography.get("/schools", response={200: CursorPage[SchoolOut], **ERRORS}, summary="学校（学区划片用）")
def list_schools(
    request: HttpRequest,
    city_id: Id | None = None,
    district_id: Id | None = None,
    level: str | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    agent_of(request.user)
    qs = selectors.schools_in(city_id=city_id, district_id=district_id, level=level, q=q)
    rows, next_cursor = selectors.page(qs, order=["name", "id"], cursor=cursor, limit=limit)
    return {"items": [school_out(s) for s in rows], "next_cursor": next_cursor}


@geography.post("/schools", response={201: SchoolOut, **ERRORS}, summary="新增学校（管理员）")
def create_school(request: HttpRequest, payload: SchoolIn) -> Status[dict]:
    viewer = agent_of(request.user)
    if not viewer.user.has_perm("geo.add_school"):
        raise PermissionDenied(_("只有管理员可以新增学校。"))
    try:
        district = selectors.access_district(payload.district_id)
    except Http404 as exc:
        raise ApplicationError(_("没有这个区县。"), code="unknown_district") from exc
    school = services.school_create(
        district=district,
        name=payload.name,
        level=payload.level,
        is_key=payload.is_key,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, school_out(selectors.access_school(school.pk)))


def station_out(station: Any) -> dict:
    return {
        "id": station.pk,
        "city_id": station.city_id,
        "line": station.line,
        "name": station.name,
        "latitude": float(station.latitude),
        "longitude": float(station.longitude),
    }


@geography.get("/stations", response={200: CursorPage[StationOut], **ERRORS}, summary="地铁站")
def list_stations(
    request: HttpRequest,
    city_id: Id | None = None,
    line: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    agent_of(request.user)
    qs = selectors.stations_in(city_id=city_id, line=line)
    rows, next_cursor = selectors.page(qs, order=["line", "name", "id"], cursor=cursor, limit=limit)
    return {"items": [station_out(s) for s in rows], "next_cursor": next_cursor}


@geography.post("/stations", response={201: StationOut, **ERRORS}, summary="新增地铁站（管理员）")
def create_station(request: HttpRequest, payload: StationIn) -> Status[dict]:
    """Communities of every company within 1,500 m get the new station in their 周边地铁."""
    viewer = agent_of(request.user)
    if not viewer.user.has_perm("geo.add_subwaystation"):
        raise PermissionDenied(_("只有管理员可以新增地铁站。"))
    try:
        city = selectors.access_city(payload.city_id)
    except Http404 as exc:
        raise ApplicationError(_("没有这个城市。"), code="unknown_city") from exc
    station = services.station_create(
        city=city,
        line=payload.line,
        name=payload.name,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, station_out(station))


router.add_router("/communities", communities)
router.add_router("/geo", geography)
