"""The two tables built for the two match questions, and how they are kept current.

``ListingRow``: one row per listing on the market or reserved, integer-coded, under a covering
index led by (company, kind, district, price): "the listings that fit this need" is one index range
per district, scored and ordered in SQL. ``NeedRow``: one row per active buy/rent need, per district
it accepts (0 = anywhere) and per price band its budget (with tolerance) spans: "the needs this
listing satisfies" is an equality on (company, kind, district, band) plus the exact range test.
The rows follow every write through announcements (decision 0010): ``anju.matching.listeners``
hears ``ListingsChanged``, ``NeedsChanged`` and ``CommunitiesChanged`` inside the writing
transaction and calls ``listings_refresh`` / ``needs_refresh`` with the ids, set-based; matching's
own writes (match settings, likes and rejects) call ``need_refresh`` directly. ``rebuild``
recreates a company's rows set-based (the demo calls it). See decision 0009.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from anju.core.bulk import TableWriter, reserve_ids
from anju.geo.models import CommunityStation, SchoolAssignment
from anju.listings.models import Listing, ListingStatus
from anju.listings.selectors import fresh_cutoff
from anju.listings.status import IN_PLAY
from anju.matching.models import (
    LISTING_ROW_COLUMNS,
    NEED_ROW_COLUMNS,
    LayoutChange,
    ListingRow,
    Match,
    MatchStatus,
    NeedMatchSettings,
    NeedPlace,
    NeedRow,
)
from anju.matching.search.criteria import MATCHED_KINDS, NeedCriteria, criteria_from
from anju.matching.search.scoring import (
    NO_MAX,
    NO_MIN,
    ListingFacts,
    SchoolFact,
    StationFact,
    listing_values,
    need_values,
)
from anju.needs.models import Need, NeedStatus
from anju.org.models import Company

# The tables ``rebuild`` fills: bulk loads (the demo) defer their indexes like their own tables'.
LAYOUT_MODELS = (ListingRow, NeedRow, NeedPlace)
STATUS_CODE = {ListingStatus.ACTIVE: 0, ListingStatus.RESERVED: 1}
BATCH = 5000

# Price bands: a need is stored once per band its budget spans, a listing looks up its own band.
# Bands grow by 25% from 10万元 (sale) or 500元 a month (rent), in fen; band 0 is everything
# cheaper, the last band everything dearer.
BAND_RATIO = 1.25
BAND_COUNT = 40
_BAND_BASE = {0: 10_000_000, 1: 50_000}
BAND_BOUNDS = {
    kind: [int(base * BAND_RATIO**i) for i in range(BAND_COUNT)] for kind, base in _BAND_BASE.items()
}


def band_of(kind: int, price: int) -> int:
    return bisect.bisect_right(BAND_BOUNDS[kind], price)


def bands_between(kind: int, low: int, high: int) -> range:
    first = 0 if low <= NO_MIN else band_of(kind, low)
    last = BAND_COUNT if high >= NO_MAX else band_of(kind, high)
    return range(first, last + 1)


# --- listing facts ---------------------------------------------------------------------------------

_FACT_FIELDS = (
    "id",
    "kind",
    "status",
    "district_id",
    "community_id",
    "community__business_area_id",
    "community__name",
    "community__business_area__name",
    "price",
    "area",
    "rooms",
    "verified_at",
    "listed_on",
    "property__building",
    "property__floor",
    "property__total_floors",
    "property__has_elevator",
    "property__orientation",
    "property__decoration",
    "property__build_year",
    "property__halls",
    "property__baths",
)


def facts_for_listings(listing_ids: Iterable[int]) -> dict[int, tuple[ListingFacts, str, int]]:
    """Each listing's facts, its status and ``fresh_at`` (epoch seconds), read in a few queries."""
    ids = list(listing_ids)
    if not ids:
        return {}
    rows = list(Listing.objects.filter(pk__any=ids).values_list(*_FACT_FIELDS))
    return _facts_from_rows(rows)


class _Places:
    """The schools and the nearest station of communities, each community read once across the
    batches of a refresh or a rebuild (a file's listings spread over the same few hundred)."""

    def __init__(self) -> None:
        self.read: set[int] = set()
        self.schools: dict[int, list[tuple[SchoolFact, frozenset[str]]]] = {}
        self.stations: dict[int, StationFact] = {}

    def of(self, communities: set[int]) -> _Places:
        missing = communities - self.read
        if missing:
            self.schools.update(_schools(missing))
            self.stations.update(_nearest_stations(missing))
            self.read |= missing
        return self


def _facts_from_rows(
    rows: list[tuple], places: _Places | None = None
) -> dict[int, tuple[ListingFacts, str, int]]:
    known = (places or _Places()).of({row[4] for row in rows})
    schools, stations = known.schools, known.stations
    result = {}
    for row in rows:
        (lid, kind, status, district, community, area_id, community_name, area_name, price, area, rooms) = (
            row[:11]
        )
        verified_at, listed_on, building = row[11:14]
        floor, total_floors, elevator, orientation, decoration, build_year, halls, baths = row[14:]
        facts = ListingFacts(
            listing_id=lid,
            kind=kind,
            district_id=district,
            community_id=community,
            business_area_id=area_id,
            price=price,
            area=area,
            rooms=rooms,
            floor=floor,
            has_elevator=elevator,
            orientation=orientation,
            decoration=decoration,
            build_year=build_year,
            halls=halls,
            baths=baths,
            total_floors=total_floors,
            schools=tuple(
                school
                for school, buildings in schools.get(community, ())
                if not buildings or building in buildings
            ),
            station=stations.get(community),
            verified=verified_at is not None,
            address_complete=building is not None,
            community_name=community_name,
            business_area_name=area_name,
        )
        result[lid] = (facts, status, fresh_at(verified_at, listed_on))
    return result


def fresh_at(verified_at: dt.datetime | None, listed_on: dt.date) -> int:
    """When the listing was last known to be real: verified, else listed (the start of that day)."""
    if verified_at is not None:
        return int(verified_at.timestamp())
    start = dt.datetime.combine(listed_on, dt.time(), tzinfo=timezone.get_default_timezone())
    return int(start.timestamp())


def fresh_cutoff_epoch(company: Company, now: dt.datetime | None = None) -> int:
    return int(fresh_cutoff(company, now).timestamp())


def _schools(communities: set[int]) -> dict[int, list[tuple[SchoolFact, frozenset[str]]]]:
    found: dict[int, list[tuple[SchoolFact, frozenset[str]]]] = defaultdict(list)
    if not communities:
        return found
    assignments = (
        SchoolAssignment.objects.filter(community_id__in=communities)
        .select_related("school")
        .prefetch_related("buildings")
        .order_by("community_id", "-school__is_key", "school__name", "id")
    )
    for assignment in assignments:
        buildings = frozenset(b.name for b in assignment.buildings.all())
        fact = SchoolFact(name=assignment.school.name, level=assignment.school.level)
        found[assignment.community_id].append((fact, buildings))
    return found


def _nearest_stations(communities: set[int]) -> dict[int, StationFact]:
    nearest: dict[int, StationFact] = {}
    if not communities:
        return nearest
    rows = (
        CommunityStation.objects.filter(community_id__in=communities)
        .order_by("community_id", "distance_m", "station_id")
        .values_list("community_id", "station__line", "station__name", "distance_m")
    )
    for community, line, name, distance in rows:
        nearest.setdefault(community, StationFact(line=line, name=name, distance_m=distance))
    return nearest


def listing_row(company_id: int, facts: ListingFacts, status: str, fresh: int) -> tuple:
    values = listing_values(facts)
    values.update(
        company_id=company_id,
        listing_id=facts.listing_id,
        status=STATUS_CODE[ListingStatus(status)],
        fresh_at=fresh,
    )
    return tuple(values[column] for column in LISTING_ROW_COLUMNS)


# --- keeping current -----------------------------------------------------------------------------


# How long the change log keeps a write: a copy held in memory is reloaded well within it.
CHANGES_KEPT = dt.timedelta(days=2)
# Changed listings and needs a copy held in memory lays over itself; past this many it is read again
# (``anju.matching.search.resident``), so a write of more is logged as one row naming none.
OVERLAY_MAX = 50_000


CHANGE_COLUMNS = ("id", "company_id", "listing_id", "need_id", "xid", "at")


def _log_change(company_id: int, *, listing_ids: Iterable[int] = (), need_ids: Iterable[int] = ()) -> None:
    """Log writes for the processes holding the layout in memory (``anju.matching.search.resident``):
    one row per listing or need; one naming neither (a rebuild) when none is given."""
    xid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            xid = cursor.fetchone()[0]
    at = timezone.now()
    rows: list[tuple[int, int | None, int | None, int | None, dt.datetime]]
    rows = [(company_id, i, None, xid, at) for i in listing_ids]
    rows += [(company_id, None, i, xid, at) for i in need_ids]
    rows = rows or [(company_id, None, None, xid, at)]
    # The multi-row writer, not the ORM's bulk_create: an import of 100,000 listings logs 100,000
    # changes, and the ORM's per-value preparation cost more than writing the listings themselves.
    with transaction.atomic():
        ids = reserve_ids(LayoutChange, len(rows))
        TableWriter(LayoutChange, CHANGE_COLUMNS).write(
            [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        )


def prune_changes(now: dt.datetime | None = None) -> int:
    """Forget the change log's writes older than ``CHANGES_KEPT``; returns how many."""
    return LayoutChange.objects.filter(at__lt=(now or timezone.now()) - CHANGES_KEPT).delete()[0]


def listing_refresh(*, listing_id: int) -> None:
    listings_refresh([listing_id])


def listings_refresh(listing_ids: Iterable[int]) -> None:
    """Replace the listings' rows: present while on the market or reserved, gone otherwise. Set-based:
    a few queries a batch of ``BATCH`` listings, whatever their number."""
    wanted = sorted(set(listing_ids))
    # More changes than a copy in memory would lay over itself: one row saying "read it all again"
    # tells the copies as much as one row a listing would, at a fraction of the writing.
    log_each = len(wanted) <= OVERLAY_MAX
    companies: set[int] = set()
    places = _Places()
    for chunk in _batches(wanted, BATCH):
        found = list(Listing.objects.filter(pk__any=chunk).values_list("company_id", *_FACT_FIELDS))
        held = ListingRow.objects.filter(listing_id__any=chunk)
        company_of = dict(held.values_list("listing_id", "company_id"))
        if company_of:  # new listings have no rows yet: nothing to delete
            held.delete()
        company_of.update((row[1], row[0]) for row in found)
        if not company_of:
            continue
        by_company: dict[int, list[int]] = defaultdict(list)
        for listing_id, company_id in sorted(company_of.items()):
            by_company[company_id].append(listing_id)
        companies.update(by_company)
        if log_each:
            for company_id, ids in by_company.items():
                _log_change(company_id, listing_ids=ids)
        in_play = [row for row in found if row[3] in IN_PLAY]
        company_in_play = {row[1]: row[0] for row in in_play}
        facts = _facts_from_rows([row[1:] for row in in_play], places)
        TableWriter(ListingRow, LISTING_ROW_COLUMNS).write(
            [listing_row(company_in_play[lid], *found_facts) for lid, found_facts in facts.items()]
        )
    if not log_each:
        for company_id in sorted(companies):
            _log_change(company_id)


def need_refresh(*, need_id: int) -> None:
    """``needs_refresh`` of one need: call after any change to the need, its places, its matching
    settings, or a match of it marked liked or rejected."""
    needs_refresh([need_id])


@transaction.atomic
def needs_refresh(need_ids: Iterable[int]) -> None:
    """Replace the needs' rows: present while they are active buy/rent needs. Set-based, as
    ``listings_refresh``; in one transaction, which the ids reserved for the rows need on SQLite."""
    for chunk in _batches(sorted(set(need_ids)), BATCH):
        company_of = dict(NeedRow.objects.filter(need_id__in=chunk).values_list("need_id", "company_id"))
        company_of.update(Need.objects.filter(pk__in=chunk).values_list("pk", "company_id"))
        by_company: dict[int, list[int]] = defaultdict(list)
        for need_id, company_id in sorted(company_of.items()):
            by_company[company_id].append(need_id)
        for company_id, ids in by_company.items():
            _log_change(company_id, need_ids=ids)
        NeedRow.objects.filter(need_id__in=chunk).delete()
        NeedPlace.objects.filter(need_id__in=chunk).delete()
        active = Need.objects.filter(pk__in=chunk, status=NeedStatus.ACTIVE, kind__in=MATCHED_KINDS)
        _write_needs(list(active.order_by("pk")))


def _write_needs(needs: list[Need]) -> int:
    """Write the needs' rows and places, with ids reserved from the tables (safe beside other
    writers); returns the rows written."""
    rows, places = [], []
    for need, criteria, feedback in criteria_in_bulk(needs):
        rows += need_rows(need, criteria, has_feedback=feedback)
        places += [(need.pk, place) for place in place_codes(criteria)]
    TableWriter(NeedRow, ("id", *NEED_ROW_COLUMNS)).write(
        [(pk, *row) for pk, row in zip(reserve_ids(NeedRow, len(rows)), rows, strict=True)]
    )
    TableWriter(NeedPlace, ("id", "need_id", "place")).write(
        [(pk, *place) for pk, place in zip(reserve_ids(NeedPlace, len(places)), places, strict=True)]
    )
    return len(rows)


def place_codes(criteria: NeedCriteria) -> list[int]:
    return sorted({2 * a for a in criteria.business_area_ids} | {2 * c + 1 for c in criteria.community_ids})


def need_rows(need: Need, criteria: NeedCriteria, *, has_feedback: bool) -> list[tuple]:
    """The need's layout rows, without ids: one per district (0 = anywhere) and price band."""
    values = need_values(criteria)
    values.update(
        company_id=need.company_id,
        need_id=need.pk,
        client_id=need.client_id,
        agent_id=need.agent_id,
        has_feedback=int(has_feedback),
    )
    rows: list[tuple] = []
    for district in sorted(criteria.district_ids) or [0]:
        for band in bands_between(values["kind"], values["price_low"], values["price_high"]):
            values.update(district=district, band=band)
            rows.append(tuple(values[column] for column in NEED_ROW_COLUMNS))
    return rows


# --- rebuild -------------------------------------------------------------------------------------


@transaction.atomic
def rebuild(company: Company) -> dict[str, int]:
    """Recreate the company's layout rows from scratch; returns how many rows each table got."""
    _log_change(company.pk)  # neither listing nor need: copies held in memory are void
    ListingRow.objects.filter(company_id=company.pk).delete()
    need_ids = Need.objects.filter(company=company).values_list("pk", flat=True)
    NeedRow.objects.filter(company_id=company.pk).delete()
    NeedPlace.objects.filter(need_id__in=need_ids).delete()
    counts = {"listings": 0, "needs": 0, "need_rows": 0}
    writer = TableWriter(ListingRow, LISTING_ROW_COLUMNS)
    listings = (
        Listing.objects.filter(company=company, status__in=IN_PLAY).order_by("pk").values_list(*_FACT_FIELDS)
    )
    places = _Places()
    for batch in _batches(listings.iterator(chunk_size=BATCH), BATCH):
        rows = [listing_row(company.pk, *found) for found in _facts_from_rows(batch, places).values()]
        writer.write(rows)
        counts["listings"] += len(rows)
    active = Need.objects.filter(company=company, status=NeedStatus.ACTIVE, kind__in=MATCHED_KINDS).order_by(
        "pk"
    )
    for batch in _batches(active.iterator(chunk_size=BATCH), BATCH):
        counts["needs"] += len(batch)
        counts["need_rows"] += _write_needs(batch)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (ListingRow, NeedRow, NeedPlace):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return counts


def criteria_in_bulk(
    needs: list[Need],
    *,
    with_feedback: bool = True,
    settings: dict[int, NeedMatchSettings] | None = None,
) -> Iterator[tuple[Need, NeedCriteria, bool]]:
    """``criteria_for_need`` for a batch, with the places, settings (unless given: those the needs
    have) and (unless not asked for, then always ``False``) whether any match was marked liked or
    rejected, read in a few queries."""
    ids = [n.pk for n in needs]
    places: dict[str, dict[int, set[int]]] = {name: defaultdict(set) for name in _PLACE_FIELDS}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_places_sql(ids))
            for name, need_id, place_id in cursor.fetchall():
                places[name][need_id].add(place_id)
    district_of: dict[str, dict[int, int]] = {}
    from anju.geo.models import BusinessArea, Community

    district_of["business_areas"] = dict(
        BusinessArea.objects.filter(pk__in=set().union(*places["business_areas"].values())).values_list(
            "pk", "district_id"
        )
    )
    district_of["communities"] = dict(
        Community.objects.filter(pk__in=set().union(*places["communities"].values())).values_list(
            "pk", "district_id"
        )
    )
    if settings is None:
        settings = {s.need_id: s for s in NeedMatchSettings.objects.filter(need_id__in=ids)}
    feedback = set()
    if with_feedback:
        feedback = set(
            Match.objects.filter(
                need_id__in=ids, status__in=(MatchStatus.LIKED, MatchStatus.REJECTED)
            ).values_list("need_id", flat=True)
        )
    for need in needs:
        areas = places["business_areas"].get(need.pk, set())
        communities = places["communities"].get(need.pk, set())
        districts = set(places["districts"].get(need.pk, set()))
        districts |= {district_of["business_areas"][a] for a in areas}
        districts |= {district_of["communities"][c] for c in communities}
        setting = settings.get(need.pk)
        yield (
            need,
            criteria_from(
                need, districts=districts, business_areas=areas, communities=communities, settings=setting
            ),
            need.pk in feedback,
        )


# A need's places, each kind from its many-to-many table: one query for all three.
_PLACE_FIELDS = {"districts": "district", "business_areas": "businessarea", "communities": "community"}


def _places_sql(need_ids: list[int]) -> str:
    marks = ", ".join(str(int(i)) for i in need_ids)  # integers read from the database
    parts = []
    for name, through_field in _PLACE_FIELDS.items():
        table = Need._meta.get_field(name).remote_field.through._meta.db_table  # type: ignore[union-attr]
        parts.append(
            f"SELECT '{name}', need_id, {through_field}_id FROM {table} WHERE need_id IN ({marks})"  # noqa: S608
        )
    return " UNION ALL ".join(parts)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
