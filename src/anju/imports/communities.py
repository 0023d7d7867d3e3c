"""Importing the building dictionary (小区导入): communities and their 板块, in bulk.

Each row is one community: its name, other names (别名), district and 板块 (a portal's 区域
``洪山-光谷`` gives both), address, build year and, optionally, coordinates (a community without
them works; it has no distance-based facts, such as the subway stations nearby, until given them).

The dictionary's look-alike check (decision 0005) applies to the whole file: a row whose name is
like a community already on file, or like another row's, is reported with what it looks like. The
``相似时`` column (or the ``--similar`` option for every row) says what to do instead: ``别名`` adds
the row's names as aliases of the one community it looks like; ``新建`` creates it anyway. The same
name in the same district is never created twice.

``CommunityPlanner`` serves the listing import too: with ``--create-communities``, a listing naming
a community the dictionary lacks creates it (and its 板块), under the same look-alike check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import join_list
from anju.core.tabular import CellError, Column, check_length, parse_choice
from anju.geo.models import BusinessArea, City, Community, CommunityAlias, District
from anju.geo.rules import may_edit_dictionary
from anju.geo.selectors import place_prefixes
from anju.geo.services import CommunityFields, alias_add, business_area_create, community_create
from anju.geo.similarity import SAME_INITIALS, NameKey, alike, name_key
from anju.imports.framework import RowImport, import_file
from anju.org.models import Agent
from anju.org.scoping import in_company

COLUMNS: tuple[Column, ...] = (
    Column("name", "小区名称", ("小区", "楼盘", "楼盘名称", "名称", "name"), required=True),
    Column("aliases", "别名", ("其他名称", "曾用名", "aliases")),
    Column("district", "区县", ("区域", "城区", "行政区", "district")),
    Column("business_area", "板块", ("商圈", "片区", "business_area")),
    Column("address", "地址", ("小区地址", "address")),
    Column("build_year", "建成年份", ("建成年代", "竣工年份", "年代")),
    Column("latitude", "纬度", ("lat", "latitude")),
    Column("longitude", "经度", ("lng", "lon", "longitude")),
    Column("on_similar", "相似时", ("similar",)),
)

REPORT, ALIAS, CREATE = "report", "alias", "create"
SIMILAR_CHOICES = {"报告": REPORT, "别名": ALIAS, "作为别名": ALIAS, "新建": CREATE, "仍然新建": CREATE}
SIMILAR_CHOICES.update({REPORT: REPORT, ALIAS: ALIAS, CREATE: CREATE})
_ALIAS_SPLIT = re.compile(r"[、,，;；/|]")
_AREA_SPLIT = re.compile(r"[-－—–/|·]")
_BUILT = re.compile(r"^(\d{4})(?:年)?(?:建成|建造|建|竣工)?$")
_NOISE = re.compile(r"\s+")


def key(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def _district_names(district: District) -> set[str]:
    short = district.name.removesuffix("区").removesuffix("县").removesuffix("市")
    return {key(name) for name in (district.name, short) if name}


def split_area(text: str) -> tuple[str, str]:
    """区域 ``洪山-光谷`` → (``洪山``, ``光谷``): a portal's district and 板块 in one cell."""
    value = unicodedata.normalize("NFKC", text).strip()
    parts = [part.strip() for part in _AREA_SPLIT.split(value, maxsplit=1)]
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    return value.replace(" ", ""), ""


def parse_build_year(text: str, label: str) -> int:
    """``2005``, ``2005年``, ``2005年建`` → 2005."""
    match = _BUILT.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
    if not match:
        raise CellError(_("%(label)s“%(value)s”应为年份，如 2005") % {"label": label, "value": text})
    return int(match[1])


# --- the look-alike check, for a whole file ----------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A name on file or earlier in the file: ``ref`` is a community id (> 0) or a row's line (< 0)."""

    ref: int
    name: str  # the community's own name
    matched: str  # the name or alias that was compared
    key: NameKey


class LookAlikes:
    """The dictionary's look-alike rule (``geo.similarity``), indexed so that a file of thousands of
    names costs one key per name rather than one comparison per pair."""

    def __init__(self, prefixes: Sequence[str]) -> None:
        self.prefixes = tuple(prefixes)
        self.by_core: dict[str, list[Known]] = {}
        self.by_initials: dict[str, list[Known]] = {}

    def key_of(self, name: str) -> NameKey:
        return name_key(name, place_prefixes=self.prefixes)

    def add(self, ref: int, name: str, *names: str) -> None:
        for matched in (name, *names):
            found = Known(ref=ref, name=name, matched=matched, key=self.key_of(matched))
            self.by_core.setdefault(found.key.core, []).append(found)
            self.by_initials.setdefault(found.key.initials, []).append(found)

    def like(self, *names: str) -> list[tuple[Known, str]]:
        """What ``names`` look like, one entry per community or row, best reason first."""
        best: dict[int, tuple[Known, str]] = {}
        for name in names:
            new = self.key_of(name)
            for known in (*self.by_core.get(new.core, ()), *self.by_initials.get(new.initials, ())):
                reason = alike(new, known.key)
                if reason is None:
                    continue
                held = best.get(known.ref)
                if held is None or (held[1] == SAME_INITIALS and reason != SAME_INITIALS):
                    best[known.ref] = (known, reason)
        return sorted(best.values(), key=lambda found: (found[1] == SAME_INITIALS, found[0].name))


def _why(reason: str) -> str:
    return _("拼音首字母相同") if reason == SAME_INITIALS else _("名称相同或相近")


# --- districts and 板块 -------------------------------------------------------------------------


class Places:
    """The districts of the company's city (and of its communities) and their 板块, by name."""

    def __init__(self, importer: Agent) -> None:
        communities = in_company(Community.objects.all(), importer)
        city_name = (importer.company.city or "").strip().removesuffix("市")
        self.city = City.objects.filter(name=city_name).first() if city_name else None
        districts = District.objects.filter(pk__in=communities.values("district_id"))
        if self.city is not None:
            districts = districts | District.objects.filter(city=self.city)
        self.districts: dict[str, list[District]] = {}
        for district in districts.select_related("city"):
            for name in _district_names(district):
                self.districts.setdefault(name, []).append(district)
        self.areas: dict[tuple[int, str], BusinessArea] = {
            (area.district_id, key(area.name)): area
            for area in BusinessArea.objects.filter(district__in=districts)
        }
        self.new_areas: dict[tuple[int, str], str] = {}  # 板块 to create: (district, key) → name

    def district(self, name: str) -> District | str:
        found = self.districts.get(key(name), [])
        if not found:
            return _("区县“%(district)s”不存在") % {"district": name}
        if len(found) > 1:
            return _("区县“%(district)s”不止一个（%(where)s），请写全称") % {
                "district": name,
                "where": join_list(f"{d.city.name}{d.name}" for d in found),
            }
        return found[0]

    def area_or_plan(self, district: District, name: str) -> BusinessArea | None:
        """The 板块, or ``None`` when it is to be created (and now planned)."""
        area = self.areas.get((district.pk, key(name)))
        if area is None:
            self.new_areas.setdefault((district.pk, key(name)), name)
        return area

    def create_planned(self) -> int:
        """Create the planned 板块 (inside the import's transaction); how many."""
        created = 0
        for (district_id, name_key_), name in sorted(self.new_areas.items()):
            if (district_id, name_key_) in self.areas:
                continue
            district = District.objects.get(pk=district_id)
            self.areas[(district_id, name_key_)] = business_area_create(district=district, name=name)
            created += 1
        return created

    def area(self, district_id: int, name: str) -> BusinessArea:
        return self.areas[(district_id, key(name))]


# --- one planned community, from a communities file or from listings --------------------------


@dataclass
class Planned:
    """A community to create (``alias_of`` None) or names to add to another community."""

    line: int
    name: str
    district: District
    business_area: str
    aliases: tuple[str, ...] = ()
    address: str = ""
    build_year: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    alias_of: int | None = None  # a community id (> 0) or the line of a row creating it (< 0)
    created: Community | None = field(default=None, repr=False)


class CommunityPlanner:
    """Plans the communities a file creates, checking each against the dictionary and the file."""

    def __init__(self, importer: Agent) -> None:
        self.importer = importer
        self.places = Places(importer)
        prefixes = place_prefixes(self.places.city) if self.places.city is not None else ()
        self.look_alikes = LookAlikes(prefixes)
        self.by_district_name: dict[tuple[int, str], int] = {}  # (district, name key) → ref
        self.described: dict[int, str] = {}  # ref → how a report names it
        communities = list(
            in_company(Community.objects.select_related("district", "business_area"), self.importer)
        )
        aliases: dict[int, list[str]] = {}
        for community_id, alias in CommunityAlias.objects.filter(
            community__company_id=importer.company_id
        ).values_list("community_id", "name"):
            aliases.setdefault(community_id, []).append(alias)
        for community in communities:
            self.look_alikes.add(community.pk, community.name, *aliases.get(community.pk, ()))
            self.by_district_name[(community.district_id, key(community.name))] = community.pk
            self.described[community.pk] = _("已有小区“%(name)s”（%(district)s·%(area)s）") % {
                "name": community.name,
                "district": community.district.name,
                "area": community.business_area.name,
            }
        self.known_aliases = {(c, key(a)) for c, names in aliases.items() for a in names}
        self.plans: dict[int, Planned] = {}  # line → plan

    def plan(self, row: Planned, *, on_similar: str, advice: str | None = None) -> str | None:
        """Check ``row`` against the dictionary and the rows planned before it; plan it, or say why not
        (``advice``: what the user may do about a look-alike)."""
        same = self.by_district_name.get((row.district.pk, key(row.name)))
        if same is not None:
            return (
                _("与%(what)s同名") % {"what": self.described[same]}
                if same > 0
                else _("与第 %(line)d 行是同一小区（同区同名）") % {"line": -same}
            )
        like = self.look_alikes.like(row.name, *row.aliases)
        if like and on_similar == ALIAS:
            targets = {known.ref for known, _reason in like}
            if len(targets) > 1:
                return _("与多个小区相似（%(what)s），无法判断作为哪个小区的别名") % {
                    "what": join_list(self.described[ref] for ref in sorted(targets))
                }
            row.alias_of = targets.pop()
        elif like and on_similar != CREATE:
            known, reason = like[0]
            found = _("与%(what)s相似（%(why)s）") % {"what": self.described[known.ref], "why": _why(reason)}
            return f"{found}。{advice or _('如是同一小区，在“相似时”列填“别名”；如确是另一个小区，填“新建”')}"
        if row.alias_of is None:
            self.places.area_or_plan(row.district, row.business_area)
            self.look_alikes.add(-row.line, row.name, *row.aliases)
            self.by_district_name[(row.district.pk, key(row.name))] = -row.line
            self.described[-row.line] = _("第 %(line)d 行的“%(name)s”") % {"line": row.line, "name": row.name}
        self.plans[row.line] = row
        return None

    def create(self, lines: set[int] | None = None) -> tuple[int, int, int]:
        """Create what was planned (of ``lines``, when given): (communities, 板块, aliases) written.

        Through the dictionary's services: its rules and its announcements hold.
        """
        plans = [p for line, p in sorted(self.plans.items()) if lines is None or line in lines]
        areas = self.places.create_planned()
        communities = aliases = 0
        company = self.importer.company
        for plan in plans:
            if plan.alias_of is not None:
                continue
            plan.created = community_create(
                company=company,
                fields=CommunityFields(
                    name=plan.name,
                    business_area=self.places.area(plan.district.pk, plan.business_area),
                    latitude=plan.latitude,
                    longitude=plan.longitude,
                    address=plan.address,
                    build_year=plan.build_year,
                ),
                aliases=plan.aliases,
                confirm_duplicate=True,  # the whole file was checked above
            )
            communities += 1
        for plan in plans:
            if plan.alias_of is None:
                continue
            target = self._community(plan.alias_of)
            for name in (plan.name, *plan.aliases):
                if name != target.name and (target.pk, key(name)) not in self.known_aliases:
                    alias_add(community=target, name=name)
                    self.known_aliases.add((target.pk, key(name)))
                    aliases += 1
        return communities, areas, aliases

    def _community(self, ref: int) -> Community:
        if ref > 0:
            return Community.objects.get(pk=ref)
        created = self.plans[-ref].created
        if created is None:  # the row it was like was bad and skipped
            raise ApplicationError(_("要添加别名的小区没有导入"), code="import_alias_target_missing")
        return created

    def community_of(self, line: int) -> Community | None:
        plan = self.plans.get(line)
        if plan is None:
            return None
        return plan.created if plan.alias_of is None else self._community(plan.alias_of)


def created_notes(communities: int, areas: int, aliases: int, *, planned: bool) -> list[str]:
    """The summary's words for what the dictionary gained."""
    notes = []
    if communities:
        notes.append((_("将新建小区 %(n)d 个") if planned else _("新建小区 %(n)d 个")) % {"n": communities})
    if areas:
        notes.append((_("将新建板块 %(n)d 个") if planned else _("新建板块 %(n)d 个")) % {"n": areas})
    if aliases:
        notes.append((_("将添加别名 %(n)d 个") if planned else _("添加别名 %(n)d 个")) % {"n": aliases})
    return notes


# --- the communities file ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCommunity:
    name: str
    aliases: tuple[str, ...]
    district: str
    business_area: str
    address: str
    build_year: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    on_similar: str


def _coordinate(text: str, label: str, low: float, high: float) -> Decimal:
    try:
        value = Decimal(unicodedata.normalize("NFKC", text).strip())
    except InvalidOperation:
        raise CellError(_("%(label)s“%(value)s”不是数字") % {"label": label, "value": text}) from None
    if not value.is_finite() or not low <= value <= high:
        raise CellError(
            _("%(label)s“%(value)s”不在中国境内（应在 %(low)s 到 %(high)s 之间）")
            % {"label": label, "value": text, "low": low, "high": high}
        )
    return value.quantize(Decimal("0.000001"))


def parse_community_row(raw: dict[str, str], *, on_similar: str = REPORT) -> ParsedCommunity | list[str]:
    """One community from one row's cells, or every reason the row is bad (no database)."""
    errors: list[str] = []

    def cell(name: str, read: Callable[[str], Any], default: Any = None) -> Any:
        text = raw.get(name, "")
        if not text:
            return default
        try:
            return read(text)
        except CellError as exc:
            errors.append(str(exc))
            return default

    name = cell("name", lambda t: check_length(" ".join(t.split()), _("小区名称"), 60), "")
    if not raw.get("name"):
        errors.append(_("%(label)s不能为空") % {"label": _("小区名称")})
    aliases = tuple(
        dict.fromkeys(
            a
            for a in (" ".join(part.split()) for part in _ALIAS_SPLIT.split(raw.get("aliases", "")))
            if a and a != name
        )
    )
    for alias in aliases:
        if len(alias) > 60:
            errors.append(_("别名“%(name)s”太长，最多 60 个字") % {"name": alias})
    district, area = split_area(raw.get("district", ""))
    area = " ".join(raw.get("business_area", "").split()) or area
    if not district:
        errors.append(_("%(label)s不能为空") % {"label": _("区县")})
    if not area:
        errors.append(_("%(label)s不能为空") % {"label": _("板块")})
    elif len(area) > 30:
        errors.append(_("板块“%(name)s”太长，最多 30 个字") % {"name": area})
    address = cell("address", lambda t: check_length(" ".join(t.split()), _("地址"), 200), "")
    build_year = cell("build_year", lambda t: parse_build_year(t, _("建成年份")))
    latitude = cell("latitude", lambda t: _coordinate(t, _("纬度"), 3.8, 53.6))
    longitude = cell("longitude", lambda t: _coordinate(t, _("经度"), 73.5, 135.1))
    if bool(raw.get("latitude")) != bool(raw.get("longitude")):
        errors.append(_("纬度和经度须同时填写，或都不填"))
    choice = cell("on_similar", lambda t: parse_choice(t, _("相似时"), SIMILAR_CHOICES), on_similar)
    if errors:
        return errors
    return ParsedCommunity(
        name=name,
        aliases=aliases,
        district=district,
        business_area=area,
        address=address,
        build_year=build_year,
        latitude=latitude,
        longitude=longitude,
        on_similar=choice,
    )


class CommunityImport(RowImport[ParsedCommunity]):
    kind = "communities"
    columns = COLUMNS
    # What a row like another community becomes when its 相似时 cell is empty (``--similar``).
    on_similar: ClassVar[str] = REPORT

    def __init__(self, *, importer: Agent, source_name: str, keys: Sequence[str]) -> None:
        super().__init__(importer=importer, source_name=source_name, keys=keys)
        self.planner: CommunityPlanner | None = None
        self.done: tuple[int, int, int] | None = None

    @classmethod
    def with_options(cls, *, on_similar: str = REPORT) -> type[CommunityImport]:
        if on_similar not in (REPORT, ALIAS, CREATE):
            raise ValueError(on_similar)
        return type(cls.__name__, (cls,), {"on_similar": on_similar})

    def check_columns(self) -> None:
        if not may_edit_dictionary(self.importer.user):
            raise ApplicationError(_("只有店长和管理员可以修改楼盘字典。"), code="dictionary_edit_forbidden")

    def parse_row(self, raw: dict[str, str]) -> ParsedCommunity | list[str]:
        return parse_community_row(raw, on_similar=self.on_similar)

    def check(self, rows: list[tuple[int, ParsedCommunity]]) -> dict[int, list[str]]:
        planner = self.planner = CommunityPlanner(self.importer)
        errors: dict[int, list[str]] = {}
        for line, row in rows:
            district = planner.places.district(row.district)
            if isinstance(district, str):
                errors[line] = [district]
                continue
            refused = planner.plan(
                Planned(
                    line=line,
                    name=row.name,
                    district=district,
                    business_area=row.business_area,
                    aliases=row.aliases,
                    address=row.address,
                    build_year=row.build_year,
                    latitude=row.latitude,
                    longitude=row.longitude,
                ),
                on_similar=row.on_similar,
            )
            if refused:
                errors[line] = [refused]
        return errors

    def write(self, rows: list[tuple[int, ParsedCommunity]], advance: Callable[[int], None]) -> int:
        assert self.planner is not None  # noqa: S101 - check() ran first
        self.done = self.planner.create({line for line, _row in rows})
        advance(len(rows))
        return len(rows)

    def notes(self) -> list[str]:
        if self.done is not None:
            return created_notes(*self.done, planned=False)
        if self.planner is None:
            return []
        plans = self.planner.plans.values()
        return created_notes(
            sum(1 for p in plans if p.alias_of is None),
            len(self.planner.places.new_areas),
            sum(1 + len(p.aliases) for p in plans if p.alias_of is not None),
            planned=True,
        )


def communities_import(
    *,
    importer: Agent,
    source: Any,
    filename: str,
    on_similar: str = REPORT,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> Any:
    """Import communities from a CSV or XLSX file as ``importer`` (a manager or administrator)."""
    return import_file(
        handler_class=CommunityImport.with_options(on_similar=on_similar),
        importer=importer,
        source=source,
        filename=filename,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )
