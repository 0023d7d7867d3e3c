"""Reads for the building dictionary: search, detail, pickers. Communities are the company's own;
cities, districts, 板块, schools and subway stations are shared reference data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.pagination import keyset_page
from anju.geo import similarity
from anju.geo.models import (
    Amenity,
    Building,
    BusinessArea,
    City,
    Community,
    CommunityAlias,
    CommunityStation,
    District,
    School,
    SchoolAssignment,
    SubwayStation,
)
from anju.geo.rules import may_edit_dictionary
from anju.org.models import Agent
from anju.org.scoping import in_company

M = TypeVar("M", bound=Model)

# Match ranks, best first: the ordering of a search result.
RANK_EXACT = 0  # the name or its initials, exactly
RANK_PREFIX = 1  # the name or its initials start with the query
RANK_ALIAS = 2  # an alias is, or starts with, the query
RANK_CONTAINS = 3  # somewhere inside the name, the initials or an alias

_INITIALS = re.compile(r"^[a-z0-9]+$")


def communities_visible(viewer: Agent) -> QuerySet[Community]:
    """The viewer's company's dictionary; everyone in the company reads all of it."""
    return in_company(Community.objects.select_related("district", "business_area"), viewer)


def access_community(viewer: Agent, community_id: int, *, for_edit: bool = False) -> Community:
    """The community, 404 when it is another company's (or absent); 403 for edits by agents."""
    community = communities_visible(viewer).filter(pk=community_id).first()
    if community is None:
        raise Http404(_("没有找到该小区。"))
    if for_edit and not viewer.user.has_perm("geo.change_community", community):
        raise PermissionDenied(_("只有店长和管理员可以修改楼盘字典。"))
    return community


def ensure_may_edit_dictionary(viewer: Agent) -> None:
    if not may_edit_dictionary(viewer.user):
        raise PermissionDenied(_("只有店长和管理员可以修改楼盘字典。"))


def printable(text: str) -> str:
    """``text`` without control characters (PostgreSQL refuses NUL in any string)."""
    return "".join(ch for ch in text if ch.isprintable() or ch == " ")


def search_term(q: str) -> tuple[str, bool]:
    """The query as typed (trimmed) and whether it can be pinyin initials (``wkcshy``)."""
    term = printable(q).strip()[:60]
    return term, bool(_INITIALS.match(term.lower()))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string after every string starting with ``prefix`` (``wkcs`` → ``wkct``).

    ``initials >= prefix AND initials < bound`` is a prefix match both SQLite and PostgreSQL answer
    from the plain index on the column, whatever their LIKE and collation rules.
    """
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def community_search(
    viewer: Agent,
    *,
    q: str = "",
    district_id: int | None = None,
    business_area_id: int | None = None,
) -> QuerySet[Community]:
    """Communities matching a name, an alias or pinyin initials, ordered by ``community_order``.

    Without ``q`` the whole dictionary (filtered), in pinyin order. One query, whatever the size.
    """
    qs = communities_visible(viewer)
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    if business_area_id is not None:
        qs = qs.filter(business_area_id=business_area_id)
    term, initials = search_term(q)
    if not term:
        return qs.annotate(match_rank=Value(RANK_CONTAINS, output_field=IntegerField()))
    low = term.lower()
    aliases = CommunityAlias.objects.filter(community=OuterRef("pk"))
    alias_hit = Q(name__icontains=term)
    alias_prefix = Q(name__istartswith=term)
    name_hit = Q(name__icontains=term)
    exact = Q(name__iexact=term)
    prefix = Q(name__istartswith=term)
    if initials:
        bound = prefix_upper_bound(low)
        initials_prefix = Q(pinyin_initials__gte=low, pinyin_initials__lt=bound)
        name_hit |= Q(pinyin_initials__contains=low)
        alias_hit |= Q(pinyin_initials__contains=low)
        alias_prefix |= Q(pinyin_initials__gte=low, pinyin_initials__lt=bound)
        exact |= Q(pinyin_initials=low)
        prefix |= initials_prefix
    return qs.filter(name_hit | Exists(aliases.filter(alias_hit))).annotate(
        match_rank=Case(
            When(exact, then=Value(RANK_EXACT)),
            When(prefix, then=Value(RANK_PREFIX)),
            When(Exists(aliases.filter(alias_prefix)), then=Value(RANK_ALIAS)),
            default=Value(RANK_CONTAINS),
            output_field=IntegerField(),
        )
    )


# Keyset order for community lists: best match first, then pinyin order (which reads as
# alphabetical to Chinese users, unlike code-point order of the characters).
COMMUNITY_ORDER = ["match_rank", "pinyin_initials", "id"]


def page(
    qs: QuerySet[M], *, order: Sequence[str], cursor: str | None, limit: int | None
) -> tuple[list[M], str | None]:
    """``keyset_page``, with a cursor whose values do not fit the columns refused like a garbled one."""
    try:
        return keyset_page(qs, order=order, cursor=cursor, limit=limit)
    except (ValueError, TypeError, ValidationError) as exc:
        raise ApplicationError(_("分页游标无效。"), code="cursor_invalid") from exc


def with_aliases(qs: QuerySet[Community]) -> QuerySet[Community]:
    return qs.prefetch_related(Prefetch("aliases", queryset=CommunityAlias.objects.order_by("name")))


def _surroundings() -> list[Prefetch]:
    """The community's schools, stations and amenities (周边配套), in the order every page shows them."""
    return [
        Prefetch(
            "school_assignments",
            queryset=SchoolAssignment.objects.select_related("school")
            .prefetch_related(Prefetch("buildings", queryset=Building.objects.order_by("id")))
            .order_by("school__level", "school__name", "id"),
        ),
        Prefetch(
            "stations",
            queryset=CommunityStation.objects.select_related("station").order_by(
                "distance_m", "station__line", "id"
            ),
        ),
        Prefetch("amenities", queryset=Amenity.objects.order_by("kind", "distance_m", "name", "id")),
    ]


def community_detail(viewer: Agent, community_id: int) -> Community:
    """A community with everything its page shows, in a fixed number of queries (404 as access_community)."""
    community = (
        communities_visible(viewer)
        .select_related("district__city")
        .prefetch_related(
            Prefetch("aliases", queryset=CommunityAlias.objects.order_by("name", "id")),
            Prefetch("buildings", queryset=Building.objects.order_by("id")),
            *_surroundings(),
        )
        .filter(pk=community_id)
        .first()
    )
    if community is None:
        raise Http404(_("没有找到该小区。"))
    return community


def community_surroundings(*, company_id: int, community_id: int) -> Community:
    """A community of the company with its schools, stations and amenities: what a listing sheet
    and a shared listing page show. The caller has already given the reader access to a listing
    there (an agent of the company, or a share link's holder), so there is no viewer to check."""
    community = (
        Community.objects.select_related("district", "business_area")
        .prefetch_related(*_surroundings())
        .filter(company_id=company_id, pk=community_id)
        .first()
    )
    if community is None:
        raise Http404(_("没有找到该小区。"))
    return community


def sorted_buildings(buildings: Iterable[Building]) -> list[Building]:
    return sorted(buildings, key=lambda b: (building_sort_key(b.name), b.pk))


def building_sort_key(name: str) -> tuple:
    """Natural order for building names: 2栋 before 10栋, A座 before B座."""
    parts = re.split(r"(\d+)", name)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def access_building(community: Community, building_id: int) -> Building:
    building = Building.objects.filter(community=community, pk=building_id).first()
    if building is None:
        raise Http404(_("没有找到该楼栋。"))
    return building


def access_alias(community: Community, alias_id: int) -> CommunityAlias:
    alias = CommunityAlias.objects.filter(community=community, pk=alias_id).first()
    if alias is None:
        raise Http404(_("没有找到该别名。"))
    return alias


def access_assignment(community: Community, assignment_id: int) -> SchoolAssignment:
    assignment = (
        SchoolAssignment.objects.select_related("school")
        .filter(community=community, pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404(_("没有找到该学区划片。"))
    return assignment


def access_amenity(community: Community, amenity_id: int) -> Amenity:
    amenity = Amenity.objects.filter(community=community, pk=amenity_id).first()
    if amenity is None:
        raise Http404(_("没有找到该配套。"))
    return amenity


# --- shared reference data -------------------------------------------------------------------


def city_of(viewer: Agent) -> City | None:
    """The city the viewer's company works in (``Company.city``), when the database knows it."""
    name = (viewer.company.city or "").strip().removesuffix("市")
    return City.objects.filter(name=name).first() if name else None


@dataclass(frozen=True)
class AreaNode:
    id: int
    name: str


@dataclass(frozen=True)
class DistrictNode:
    id: int
    name: str
    code: str
    business_areas: list[AreaNode]


@dataclass(frozen=True)
class CityNode:
    id: int
    name: str
    code: str
    districts: list[DistrictNode]


def district_tree(*, city_id: int | None = None) -> list[CityNode]:
    """City → districts → 板块, for pickers. Three queries, however many rows."""
    cities = City.objects.order_by("code", "id")
    if city_id is not None:
        cities = cities.filter(pk=city_id)
    districts = District.objects.filter(city__in=cities).order_by("code", "id")
    areas = BusinessArea.objects.filter(district__in=districts).order_by("district_id", "name", "id")
    areas_by_district: dict[int, list[AreaNode]] = {}
    for area in areas:
        areas_by_district.setdefault(area.district_id, []).append(AreaNode(id=area.pk, name=area.name))
    districts_by_city: dict[int, list[DistrictNode]] = {}
    for d in districts:
        districts_by_city.setdefault(d.city_id, []).append(
            DistrictNode(id=d.pk, name=d.name, code=d.code, business_areas=areas_by_district.get(d.pk, []))
        )
    return [
        CityNode(id=c.pk, name=c.name, code=c.code, districts=districts_by_city.get(c.pk, [])) for c in cities
    ]


def business_areas_of(city: City | None) -> QuerySet[BusinessArea]:
    qs = BusinessArea.objects.select_related("district").order_by("district__code", "name", "id")
    return qs.filter(district__city=city) if city is not None else qs


def access_business_area(business_area_id: int) -> BusinessArea:
    area = (
        BusinessArea.objects.select_related("district", "district__city").filter(pk=business_area_id).first()
    )
    if area is None:
        raise Http404(_("没有找到该板块。"))
    return area


def schools_in(
    *, city_id: int | None = None, district_id: int | None = None, level: str | None = None, q: str = ""
) -> QuerySet[School]:
    qs = School.objects.select_related("district")
    if city_id is not None:
        qs = qs.filter(city_id=city_id)
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    if level:
        qs = qs.filter(level=printable(level))
    term = printable(q).strip()
    if term:
        qs = qs.filter(name__icontains=term)
    return qs


def access_school(school_id: int) -> School:
    school = School.objects.select_related("city", "district").filter(pk=school_id).first()
    if school is None:
        raise Http404(_("没有找到该学校。"))
    return school


def stations_in(*, city_id: int | None = None, line: str = "") -> QuerySet[SubwayStation]:
    qs = SubwayStation.objects.all()
    if city_id is not None:
        qs = qs.filter(city_id=city_id)
    line = printable(line).strip()
    if line:
        qs = qs.filter(line=line)
    return qs


def access_city(city_id: int) -> City:
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        raise Http404(_("没有找到该城市。"))
    return city


def access_district(district_id: int) -> District:
    district = District.objects.select_related("city").filter(pk=district_id).first()
    if district is None:
        raise Http404(_("没有找到该区县。"))
    return district


# --- one community, one record ----------------------------------------------------------------


@dataclass(frozen=True)
class SimilarCommunity:
    """An existing community a new or renamed one probably is, and why it looks so."""

    id: int
    name: str
    district: str
    business_area: str
    reason: str
    matched: str

    @property
    def reason_label(self) -> str:
        if self.reason == similarity.SAME_NAME:
            return _("名称相同（不计“小区”“花园”、期数和标点）")
        if self.reason == similarity.ALIAS:
            return _("与别名相同：%(name)s") % {"name": self.matched}
        return _("拼音首字母相同：%(initials)s") % {"initials": similarity.name_key(self.matched).initials}


def place_prefixes(city: City) -> tuple[str, ...]:
    """What people put in front of a name without it meaning anything (武汉万科城市花园)."""
    return (city.name, f"{city.name}市")


def similar_communities(
    *,
    company_id: int,
    city: City,
    name: str,
    aliases: tuple[str, ...] | list[str] = (),
    exclude_id: int | None = None,
) -> list[SimilarCommunity]:
    """The company's communities in ``city`` that ``name`` (or its aliases) probably duplicates.

    Two queries: the city's communities and their aliases, compared in Python (a few hundred names).
    """
    if not name.strip():
        return []
    rows = Community.objects.filter(company_id=company_id, district__city=city)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    communities = {
        row["id"]: row
        for row in rows.values("id", "name", "district__name", "business_area__name").order_by("id")
    }
    alias_names: dict[int, list[str]] = {}
    for community_id, alias in CommunityAlias.objects.filter(community_id__in=rows.values("id")).values_list(
        "community_id", "name"
    ):
        alias_names.setdefault(community_id, []).append(alias)
    known = [
        similarity.KnownCommunity(id=pk, name=row["name"], aliases=tuple(alias_names.get(pk, ())))
        for pk, row in communities.items()
    ]
    found = similarity.find_similar(name, known, aliases=tuple(aliases), place_prefixes=place_prefixes(city))
    return [
        SimilarCommunity(
            id=s.id,
            name=s.name,
            district=communities[s.id]["district__name"],
            business_area=communities[s.id]["business_area__name"],
            reason=s.reason,
            matched=s.matched,
        )
        for s in found
    ]


# --- what pages offer to choose from ---------------------------------------------------------


def community_of(viewer: Agent, community_id: int | None) -> Community | None:
    """The company's community with this id, or ``None``: a form's remembered or suggested choice."""
    if community_id is None:
        return None
    return communities_visible(viewer).filter(pk=community_id).first()


def communities_for_picker(viewer: Agent, q: str, *, limit: int = 20) -> list[Community]:
    """The listing form's picker: a name or alias containing ``q``, or pinyin initials starting it."""
    qs = communities_visible(viewer)
    if q:
        term = q.lower()
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(pinyin_initials__startswith=term)
            | Q(aliases__name__icontains=q)
            | Q(aliases__pinyin_initials__startswith=term)
        ).distinct()
    return list(qs.order_by("name", "id")[:limit])


def communities_by_name(*, company_id: int, names: Iterable[str]) -> dict[str, int]:
    """Each of ``names`` that is one of the company's communities' name or alias → its id.

    A name wins over another community's alias that reads the same; names not found are absent.
    """
    names = list(names)
    found = (
        Community.objects.filter(company_id=company_id)
        .filter(Q(name__in=names) | Q(aliases__name__in=names))
        .distinct()
        .prefetch_related("aliases")
    )
    by_name: dict[str, int] = {}
    aliases: dict[str, int] = {}
    for community in found:
        by_name[community.name] = community.pk
        for alias in community.aliases.all():
            aliases.setdefault(alias.name, community.pk)
    known = {**aliases, **by_name}
    return {name: known[name] for name in names if name in known}


def communities_in_business_area(
    viewer: Agent, business_area_id: int, *, limit: int = 300
) -> list[Community]:
    return list(
        communities_visible(viewer).filter(business_area_id=business_area_id).order_by("name")[:limit]
    )


def districts_of_city(city_id: int) -> list[District]:
    return list(District.objects.filter(city_id=city_id).order_by("code"))


def districts_for_city_name(city_name: str) -> list[District]:
    """The districts of the city so named; every district when the dictionary does not know it."""
    everywhere = District.objects.order_by("code")
    local = list(everywhere.filter(city__name=city_name)) if city_name else []
    return local or list(everywhere)


def business_areas_of_district(district_id: int) -> list[BusinessArea]:
    return list(BusinessArea.objects.filter(district_id=district_id).order_by("name"))


def business_areas_in(district_ids: Iterable[int]) -> list[BusinessArea]:
    """The 板块 of these districts, grouped by district (in code order), by name within one."""
    return list(
        BusinessArea.objects.filter(district_id__in=list(district_ids))
        .select_related("district")
        .order_by("district__code", "name")
    )


def schools_for_picker(city_id: int) -> list[School]:
    """A city's schools by level, then name: the school assignment form's choices."""
    return list(schools_in(city_id=city_id).order_by("level", "name"))


def building_ids_of_assignment(assignment: SchoolAssignment) -> list[int]:
    """The buildings an assignment names (none: the whole community)."""
    return list(assignment.buildings.values_list("pk", flat=True))


@dataclass(frozen=True)
class PlacesInUse:
    """The districts, 板块 and schools the company's communities lie in: the listing list's filters."""

    districts: list[District]
    business_areas: list[BusinessArea]
    schools: list[School]


def places_in_use(viewer: Agent) -> PlacesInUse:
    communities = communities_visible(viewer)
    return PlacesInUse(
        districts=list(District.objects.filter(pk__in=communities.values("district_id")).order_by("code")),
        business_areas=list(
            BusinessArea.objects.filter(pk__in=communities.values("business_area_id")).select_related(
                "district"
            )
        ),
        schools=list(
            School.objects.filter(assignments__community__company_id=viewer.company_id)
            .distinct()
            .order_by("level", "name")
        ),
    )
