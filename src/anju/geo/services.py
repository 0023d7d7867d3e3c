"""Writes for the building dictionary (楼盘字典).

Permissions are checked by the entry points (``selectors.access_community(..., for_edit=True)``,
``ensure_may_edit_dictionary``); these functions keep the dictionary's own rules: one community is
one record, names are clean, buildings and school assignments belong to their community, and the
nearby subway stations follow the coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.announcements import announce
from anju.core.coordinates import in_china
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import FEN, join_list
from anju.core.text import clean_name as core_clean_name
from anju.geo import distance
from anju.geo.announcements import CommunitiesChanged
from anju.geo.models import (
    Amenity,
    AmenityKind,
    Building,
    BusinessArea,
    City,
    Community,
    CommunityAlias,
    CommunityStation,
    District,
    School,
    SchoolAssignment,
    SchoolLevel,
    SubwayStation,
)
from anju.geo.selectors import SimilarCommunity, printable, similar_communities
from anju.org.models import Company

COORDINATE_PLACES = Decimal("0.000001")
MONEY_PLACES = FEN
EARLIEST_BUILD_YEAR = 1900


class PossibleDuplicate(ConflictError):
    """The name looks like a community already on file; the caller may confirm and create anyway."""

    code = "possible_duplicate"

    def __init__(self, candidates: list[SimilarCommunity]):
        names = join_list(f"{c.name}（{c.district}·{c.business_area}）" for c in candidates[:5])
        super().__init__(
            _("可能与已有小区重复：%(names)s。如确认是不同的小区，请确认后仍然创建。") % {"names": names}
        )
        self.candidates = candidates


# --- small checks shared by the writes ---------------------------------------------------------


def clean_name(value: str, *, label: str, max_length: int) -> str:
    """A name as people type it, with stray spaces removed; control characters are refused."""
    name = " ".join(core_clean_name(value, label=label).split())
    if not name:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, code="name_required")
    if len(name) > max_length:
        raise ApplicationError(
            _("%(label)s最多 %(max)s 个字。") % {"label": label, "max": max_length}, code="name_too_long"
        )
    return name


def _decimal(value: Any, *, places: Decimal, label: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(
            _("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid"
        ) from exc
    if not number.is_finite():
        raise ApplicationError(_("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid")
    return number


def _coordinates(latitude: Any, longitude: Any) -> tuple[Decimal, Decimal]:
    lat = _decimal(latitude, places=COORDINATE_PLACES, label=_("纬度"))
    lng = _decimal(longitude, places=COORDINATE_PLACES, label=_("经度"))
    if not in_china(lat, lng):
        raise ApplicationError(
            _("坐标不在中国境内：纬度应在 3.8 到 53.6 之间，经度应在 73.5 到 135.1 之间。"),
            code="coordinates_invalid",
        )
    return lat, lng


def _optional_money(value: Any, *, label: str, below: int) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = _decimal(value, places=MONEY_PLACES, label=label)
    if amount < 0 or amount >= below:
        raise ApplicationError(
            _("%(label)s应在 0 到 %(max)s 之间。") % {"label": label, "max": below}, code="out_of_range"
        )
    return amount


def _optional_count(value: Any, *, label: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ApplicationError(
            _("%(label)s应在 %(low)s 到 %(high)s 之间。") % {"label": label, "low": low, "high": high},
            code="out_of_range",
        )
    return value


def _build_year(value: Any) -> int | None:
    return _optional_count(
        value, label=_("建成年份"), low=EARLIEST_BUILD_YEAR, high=timezone.localdate().year + 5
    )


# --- 板块 ---------------------------------------------------------------------------------------


@transaction.atomic
def business_area_create(*, district: District, name: str) -> BusinessArea:
    """A new 板块 of ``district`` (shared by every company, like the districts). One name once."""
    name = clean_name(name, label=_("板块"), max_length=30)
    existing = BusinessArea.objects.filter(district=district, name=name).first()
    if existing is not None:
        raise ConflictError(
            _("%(district)s已有板块“%(name)s”。") % {"district": district.name, "name": name},
            code="business_area_exists",
            extra={"business_area_id": existing.pk},
        )
    return BusinessArea.objects.create(district=district, name=name)


# --- communities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityFields:
    """What a manager fills in for a community (the API and the form both build one)."""

    name: str
    business_area: BusinessArea
    latitude: Decimal | float | None  # both or neither
    longitude: Decimal | float | None
    address: str = ""
    build_year: int | None = None
    property_fee: Decimal | None = None
    reference_price: Decimal | None = None
    building_count: int | None = None


EDITABLE_FIELDS = (
    "name",
    "business_area",
    "latitude",
    "longitude",
    "address",
    "build_year",
    "property_fee",
    "reference_price",
    "building_count",
)


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    """Validated values for the fields present in ``values``."""
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = clean_name(values["name"], label=_("小区名称"), max_length=60)
    if "business_area" in values:
        area = values["business_area"]
        if area is None:
            raise ApplicationError(_("请选择板块。"), code="business_area_required")
        out["business_area"] = area
        out["district_id"] = area.district_id
    if "latitude" in values or "longitude" in values:
        lat, lng = values.get("latitude"), values.get("longitude")
        if lat is None and lng is None:
            out["latitude"] = out["longitude"] = None  # no coordinates yet: no nearby stations
        else:
            out["latitude"], out["longitude"] = _coordinates(lat, lng)
    if "address" in values:
        address = " ".join(printable(values["address"] or "").split())
        if len(address) > 200:
            raise ApplicationError(_("地址最多 200 个字。"), code="address_too_long")
        out["address"] = address
    if "build_year" in values:
        out["build_year"] = _build_year(values["build_year"])
    if "property_fee" in values:
        out["property_fee"] = _optional_money(values["property_fee"], label=_("物业费"), below=10_000)
    if "reference_price" in values:
        out["reference_price"] = _optional_money(
            values["reference_price"], label=_("参考单价"), below=100_000_000
        )
    if "building_count" in values:
        out["building_count"] = _optional_count(values["building_count"], label=_("楼栋数"), low=0, high=2000)
    return out


def _city_of_area(area: BusinessArea) -> City:
    return City.objects.get(districts__business_areas=area)


def _refuse_same_name(*, company_id: int, district_id: int, name: str, exclude_id: int | None = None) -> None:
    same = Community.objects.filter(company_id=company_id, district_id=district_id, name=name)
    if exclude_id is not None:
        same = same.exclude(pk=exclude_id)
    existing = same.first()
    if existing is not None:
        raise ConflictError(
            _("本区已有名为“%(name)s”的小区，不能重复创建。") % {"name": name},
            code="community_exists",
            extra={"community_id": existing.pk},
        )


@transaction.atomic
def community_create(
    *,
    company: Company,
    fields: CommunityFields,
    aliases: Sequence[str] = (),
    confirm_duplicate: bool = False,
) -> Community:
    """A new community. A name like one on file (or its aliases') raises ``PossibleDuplicate``
    unless ``confirm_duplicate``; the same name in the same district is refused outright."""
    values = _cleaned({f: getattr(fields, f) for f in EDITABLE_FIELDS})
    alias_names = _clean_aliases(aliases, name=values["name"])
    _refuse_same_name(company_id=company.pk, district_id=values["district_id"], name=values["name"])
    if not confirm_duplicate:
        candidates = similar_communities(
            company_id=company.pk,
            city=_city_of_area(values["business_area"]),
            name=values["name"],
            aliases=alias_names,
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    community = Community(company=company, **values)
    _save(community)
    for alias in alias_names:
        CommunityAlias.objects.create(community=community, name=alias)
    community_refresh_stations(community=community)
    return community


@transaction.atomic
def community_update(*, community: Community, confirm_duplicate: bool = False, **changes: Any) -> Community:
    """Change the given fields. A rename is checked like a new name; new coordinates (or a move to
    another city's 板块) recompute the nearby subway stations."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    if ("latitude" in changes) != ("longitude" in changes):
        changes.setdefault("latitude", community.latitude)
        changes.setdefault("longitude", community.longitude)
    values = _cleaned(changes)
    name = values.get("name", community.name)
    district_id = values.get("district_id", community.district_id)
    area = values.get("business_area", community.business_area)
    if name != community.name or district_id != community.district_id:
        _refuse_same_name(
            company_id=community.company_id, district_id=district_id, name=name, exclude_id=community.pk
        )
    if name != community.name and not confirm_duplicate:
        candidates = similar_communities(
            company_id=community.company_id, city=_city_of_area(area), name=name, exclude_id=community.pk
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    moved = any(
        key in values and values[key] != getattr(community, key)
        for key in ("latitude", "longitude", "district_id")
    )
    for key, value in values.items():
        setattr(community, key, value)
    _save(community)
    if moved:
        _record_stations(community)
    _announce(community.pk)
    return community


def _save(community: Community) -> None:
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError as exc:  # a concurrent write of the same name
        raise ConflictError(
            _("本区已有名为“%(name)s”的小区，不能重复创建。") % {"name": community.name},
            code="community_exists",
        ) from exc


# --- aliases ------------------------------------------------------------------------------------


def _clean_aliases(aliases: Iterable[str], *, name: str) -> list[str]:
    cleaned: list[str] = []
    for raw in aliases:
        alias = clean_name(raw, label=_("别名"), max_length=60)
        if alias != name and alias not in cleaned:
            cleaned.append(alias)
    return cleaned


def alias_add(*, community: Community, name: str) -> CommunityAlias:
    """Another name for the community. Not its own name, not twice, not another community's name."""
    alias = clean_name(name, label=_("别名"), max_length=60)
    if alias == community.name:
        raise ApplicationError(_("别名与小区名称相同。"), code="alias_is_name")
    if CommunityAlias.objects.filter(community=community, name=alias).exists():
        raise ConflictError(_("已有别名“%(name)s”。") % {"name": alias}, code="alias_exists")
    other = (
        Community.objects.filter(company_id=community.company_id, name=alias).exclude(pk=community.pk).first()
    )
    if other is not None:
        raise ConflictError(
            _("“%(name)s”是另一个小区的名称，不能作为别名。") % {"name": alias},
            code="alias_taken",
            extra={"community_id": other.pk},
        )
    return CommunityAlias.objects.create(community=community, name=alias)


def alias_remove(*, alias: CommunityAlias) -> None:
    alias.delete()


# --- buildings ----------------------------------------------------------------------------------


def _building_values(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = clean_name(values["name"], label=_("楼栋名称"), max_length=20)
    if "total_floors" in values:
        out["total_floors"] = _optional_count(values["total_floors"], label=_("总楼层"), low=1, high=200)
    if "units" in values:
        out["units"] = _optional_count(values["units"], label=_("单元数"), low=1, high=50)
    if "has_elevator" in values:
        out["has_elevator"] = values["has_elevator"]
    if "build_year" in values:
        out["build_year"] = _build_year(values["build_year"])
    return out


def building_create(
    *,
    community: Community,
    name: str,
    total_floors: int | None = None,
    units: int | None = None,
    has_elevator: bool | None = None,
    build_year: int | None = None,
) -> Building:
    values = _building_values(
        {
            "name": name,
            "total_floors": total_floors,
            "units": units,
            "has_elevator": has_elevator,
            "build_year": build_year,
        }
    )
    _refuse_same_building(community=community, name=values["name"])
    return Building.objects.create(community=community, **values)


@transaction.atomic
def building_update(*, building: Building, **changes: Any) -> Building:
    unknown = set(changes) - {"name", "total_floors", "units", "has_elevator", "build_year"}
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    values = _building_values(changes)
    if values.get("name", building.name) != building.name:
        _refuse_same_building(community=building.community, name=values["name"], exclude_id=building.pk)
    for key, value in values.items():
        setattr(building, key, value)
    building.save()
    _announce(building.community_id)  # school catchments name buildings
    return building


def _refuse_same_building(*, community: Community, name: str, exclude_id: int | None = None) -> None:
    same = Building.objects.filter(community=community, name=name)
    if exclude_id is not None:
        same = same.exclude(pk=exclude_id)
    if same.exists():
        raise ConflictError(_("已有楼栋“%(name)s”。") % {"name": name}, code="building_exists")


@transaction.atomic
def building_delete(*, building: Building) -> None:
    """Remove a building; school assignments that named it no longer do."""
    building.delete()
    _announce(building.community_id)


# --- school assignments (学区划片) ----------------------------------------------------------------


def _assignment_buildings(community: Community, building_ids: Iterable[int]) -> list[Building]:
    wanted = set(building_ids)
    found = list(Building.objects.filter(community=community, pk__in=wanted))
    if len(found) != len(wanted):
        raise ApplicationError(_("所选楼栋不属于该小区。"), code="building_not_in_community")
    return found


def _assignment_year(year: int | None) -> int | None:
    return _optional_count(year, label=_("划片年份"), low=2000, high=timezone.localdate().year + 1)


def _note(note: str) -> str:
    note = " ".join(printable(note or "").split())
    if len(note) > 200:
        raise ApplicationError(_("说明最多 200 个字。"), code="note_too_long")
    return note


@transaction.atomic
def school_assign(
    *,
    community: Community,
    school: School,
    building_ids: Iterable[int] = (),
    year: int | None = None,
    note: str = "",
) -> SchoolAssignment:
    """Put a community (no buildings chosen) or some of its buildings in a school's catchment."""
    city_id = District.objects.filter(pk=community.district_id).values_list("city_id", flat=True).get()
    if school.city_id != city_id:
        raise ApplicationError(_("学校与小区不在同一城市。"), code="school_other_city")
    buildings = _assignment_buildings(community, building_ids)
    if SchoolAssignment.objects.filter(community=community, school=school).exists():
        raise ConflictError(
            _("该小区已划入“%(school)s”学区，请修改原有划片。") % {"school": school.name},
            code="assignment_exists",
        )
    assignment = SchoolAssignment.objects.create(
        community=community, school=school, year=_assignment_year(year), note=_note(note)
    )
    assignment.buildings.set(buildings)
    _announce(community.pk)
    return assignment


@transaction.atomic
def school_assignment_update(
    *, assignment: SchoolAssignment, building_ids: Iterable[int], year: int | None = None, note: str = ""
) -> SchoolAssignment:
    assignment.buildings.set(_assignment_buildings(assignment.community, building_ids))
    assignment.year = _assignment_year(year)
    assignment.note = _note(note)
    assignment.save(update_fields=["year", "note"])
    _announce(assignment.community_id)
    return assignment


@transaction.atomic
def school_unassign(*, assignment: SchoolAssignment) -> None:
    assignment.delete()
    _announce(assignment.community_id)


# --- amenities (周边配套) ---------------------------------------------------------------------------


def amenity_add(*, community: Community, kind: str, name: str, distance_m: int | None = None) -> Amenity:
    if kind not in AmenityKind.values:
        raise ApplicationError(_("配套类型不正确。"), code="kind_invalid")
    return Amenity.objects.create(
        community=community,
        kind=kind,
        name=clean_name(name, label=_("配套名称"), max_length=60),
        distance_m=_optional_count(distance_m, label=_("距离"), low=0, high=100_000),
    )


def amenity_remove(*, amenity: Amenity) -> None:
    amenity.delete()


# --- subway stations near a community ---------------------------------------------------------------


def _station_places(stations: Iterable[SubwayStation]) -> list[distance.Place[int]]:
    return [distance.Place(key=s.pk, point=distance.Point.of(s.latitude, s.longitude)) for s in stations]


def _announce(*community_ids: int) -> None:
    """Listings of these communities, and needs naming them, are read with what just changed."""
    announce(CommunitiesChanged(community_ids=tuple(sorted(set(community_ids)))))


@transaction.atomic
def community_refresh_stations(*, community: Community) -> list[CommunityStation]:
    """Record the city's subway stations within ``NEARBY_STATION_RADIUS_M`` of the community."""
    near = _record_stations(community)
    _announce(community.pk)
    return near


def _record_stations(community: Community) -> list[CommunityStation]:
    if community.latitude is None or community.longitude is None:
        CommunityStation.objects.filter(community=community).delete()
        return []
    origin = distance.Point.of(community.latitude, community.longitude)
    box = distance.bounding_box(origin, distance.NEARBY_STATION_RADIUS_M)
    city_id = District.objects.filter(pk=community.district_id).values_list("city_id", flat=True).get()
    stations = SubwayStation.objects.filter(
        city_id=city_id,
        latitude__gte=_box_edge(box.min_latitude),
        latitude__lte=_box_edge(box.max_latitude),
        longitude__gte=_box_edge(box.min_longitude),
        longitude__lte=_box_edge(box.max_longitude),
    )
    near = distance.within(origin, _station_places(stations), distance.NEARBY_STATION_RADIUS_M)
    CommunityStation.objects.filter(community=community).delete()
    return CommunityStation.objects.bulk_create(
        CommunityStation(community=community, station_id=n.key, distance_m=n.distance_m) for n in near
    )


def _box_edge(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


@transaction.atomic
def stations_refresh_city(*, city: City) -> int:
    """Recompute the nearby stations of every community in ``city`` (all companies); rows written."""
    places = _station_places(SubwayStation.objects.filter(city=city))
    communities = list(
        Community.objects.filter(district__city=city, latitude__isnull=False).only(
            "id", "latitude", "longitude"
        )
    )
    CommunityStation.objects.filter(community__in=communities).delete()
    rows = []
    for community in communities:
        if community.latitude is None or community.longitude is None:
            continue  # filtered out above; said again for the type checker
        origin = distance.Point.of(community.latitude, community.longitude)
        for near in distance.within(origin, places, distance.NEARBY_STATION_RADIUS_M):
            rows.append(
                CommunityStation(community=community, station_id=near.key, distance_m=near.distance_m)
            )
    CommunityStation.objects.bulk_create(rows, batch_size=1000)
    _announce(*(c.pk for c in communities))
    return len(rows)


@transaction.atomic
def station_refresh_around(*, station: SubwayStation) -> None:
    """Communities (of every company) near a new or moved station get it recorded."""
    box = distance.bounding_box(
        distance.Point.of(station.latitude, station.longitude), distance.NEARBY_STATION_RADIUS_M
    )
    had_it = CommunityStation.objects.filter(station=station)
    touched = set(had_it.values_list("community_id", flat=True))
    had_it.delete()
    nearby = Community.objects.filter(
        district__city_id=station.city_id,
        latitude__gte=_box_edge(box.min_latitude),
        latitude__lte=_box_edge(box.max_latitude),
        longitude__gte=_box_edge(box.min_longitude),
        longitude__lte=_box_edge(box.max_longitude),
    ).only("id", "latitude", "longitude")
    place = _station_places([station])
    rows = []
    for community in nearby:
        if community.latitude is None or community.longitude is None:
            continue  # inside the box, so never; said for the type checker
        origin = distance.Point.of(community.latitude, community.longitude)
        for near in distance.within(origin, place, distance.NEARBY_STATION_RADIUS_M):
            rows.append(CommunityStation(community=community, station=station, distance_m=near.distance_m))
    CommunityStation.objects.bulk_create(rows)
    _announce(*touched, *(row.community_id for row in rows))


# --- shared reference data: administrators only (checked by the entry points) -----------------------


@transaction.atomic
def station_create(*, city: City, line: str, name: str, latitude: Any, longitude: Any) -> SubwayStation:
    line = clean_name(line, label=_("线路"), max_length=20)
    name = clean_name(name, label=_("站名"), max_length=30)
    lat, lng = _coordinates(latitude, longitude)
    if SubwayStation.objects.filter(city=city, line=line, name=name).exists():
        raise ConflictError(
            _("%(line)s已有“%(name)s”站。") % {"line": line, "name": name}, code="station_exists"
        )
    station = SubwayStation.objects.create(city=city, line=line, name=name, latitude=lat, longitude=lng)
    station_refresh_around(station=station)
    return station


@dataclass(frozen=True)
class StationRow:
    line: str
    name: str
    latitude: Decimal
    longitude: Decimal


@transaction.atomic
def stations_load(*, city: City, rows: Iterable[StationRow]) -> tuple[int, int]:
    """Create or move the given stations (by line and name), then recompute the city's communities.

    Returns (created, updated). Running it twice with the same rows changes nothing the second time.
    """
    created = updated = 0
    for row in rows:
        line = clean_name(row.line, label=_("线路"), max_length=20)
        name = clean_name(row.name, label=_("站名"), max_length=30)
        lat, lng = _coordinates(row.latitude, row.longitude)
        station, made = SubwayStation.objects.get_or_create(
            city=city, line=line, name=name, defaults={"latitude": lat, "longitude": lng}
        )
        if made:
            created += 1
        elif (station.latitude, station.longitude) != (lat, lng):
            station.latitude, station.longitude = lat, lng
            station.save(update_fields=["latitude", "longitude"])
            updated += 1
    stations_refresh_city(city=city)
    return created, updated


def school_create(
    *,
    district: District,
    name: str,
    level: str,
    is_key: bool = False,
    latitude: Any = None,
    longitude: Any = None,
) -> School:
    """A school in ``district``'s city. Names are unique per city (学校全称)."""
    name = clean_name(name, label=_("学校名称"), max_length=60)
    if level not in SchoolLevel.values:
        raise ApplicationError(_("学段不正确。"), code="level_invalid")
    lat = lng = None
    if latitude is not None or longitude is not None:
        lat, lng = _coordinates(latitude, longitude)
    if School.objects.filter(city_id=district.city_id, name=name).exists():
        raise ConflictError(_("已有学校“%(name)s”。") % {"name": name}, code="school_exists")
    return School.objects.create(
        city_id=district.city_id,
        district=district,
        name=name,
        level=level,
        is_key=is_key,
        latitude=lat,
        longitude=lng,
    )
