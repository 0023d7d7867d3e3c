"""The matching engine: the listings that fit a need, best first, and the needs a listing satisfies.

Both questions read the layout tables (``anju.matching.search.layout``) through their covering indexes,
filter on the hard requirements and score in SQL with the terms of ``anju.matching.search.scoring`` (the
same terms ``score`` evaluates in Python), so nothing loops over candidate rows in Python. The
Chinese reasons are computed only for the rows returned. Ties are broken by id, ascending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from anju.geo.models import Community
from anju.listings.models import Listing, ListingStatus
from anju.matching.models import ListingRow, Match, MatchStatus, NeedPlace, NeedRow
from anju.matching.search import resident
from anju.matching.search.criteria import CRITERIA_FIELDS, MATCHED_KINDS, NeedCriteria, criteria_for_need
from anju.matching.search.layout import band_of, criteria_in_bulk, facts_for_listings, fresh_cutoff_epoch
from anju.matching.search.learning import preferences_for_need, preferences_for_needs
from anju.matching.search.scoring import (
    NO_PREFERENCES,
    Expr,
    ListingSide,
    NeedSide,
    Preferences,
    adjustment_terms,
    all_of,
    case,
    clamp,
    eq,
    hard_fit_term,
    pure_listing_side,
    pure_need_side,
    score,
    sql_of,
    total_of,
)
from anju.needs.models import Need, NeedStatus
from anju.org.models import Company


@dataclass
class ListingMatch:
    listing_id: int
    score: int
    fits: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)


@dataclass
class NeedMatches:
    items: list[ListingMatch]
    excluded: dict[str, int]  # reason (Chinese) -> how many fitting listings were left out for it
    total_fitting: int


@dataclass
class NeedMatch:
    need_id: int
    client_id: int
    agent_id: int
    score: int
    fits: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)


@dataclass
class ListingMatches:
    items: list[NeedMatch]
    total: int


# --- need -> listings -------------------------------------------------------------------------

_LISTING_COLUMNS = ListingSide(**{name: Expr(name) for name in ListingSide.__dataclass_fields__})
_EXCLUDED_RESERVED, _EXCLUDED_STALE, _EXCLUDED_UNVERIFIED, _EXCLUDED_REJECTED = 1, 2, 3, 4


def _excluded_labels(company: Company) -> dict[int, str]:
    return {
        _EXCLUDED_RESERVED: _("已预定"),
        _EXCLUDED_STALE: _("待核实（%(days)s天内未核实）") % {"days": company.listing_fresh_days},
        _EXCLUDED_UNVERIFIED: _("未核实（要求真房源）"),
        _EXCLUDED_REJECTED: _("已拒绝过"),
    }


def listings_for_need(
    need: Need,
    *,
    limit: int = 20,
    offset: int = 0,
    criteria: NeedCriteria | None = None,
    now: dt.datetime | None = None,
) -> NeedMatches:
    """The recommendable listings that fit ``need``, best first, with the need's learned preferences:
    the ``limit`` after the first ``offset`` of the ranking (a page; ``total_fitting`` says how many
    pages there are).

    ``excluded`` counts the listings that meet the hard requirements but were left out (reserved,
    stale, unverified when 真房源 is required, already rejected); ``total_fitting`` counts the rest.
    Every candidate is scored for any page, so page 1,000 costs a page 1 plus sorting what comes
    before it; one ``now`` for every page keeps the pages of one ranking apart.
    """
    criteria = criteria or criteria_for_need(need)
    preferences = preferences_for_need(need)
    rejected = set(
        Match.objects.filter(need_id=need.pk, status=MatchStatus.REJECTED).values_list(
            "listing_id", flat=True
        )
    )
    return _listings_for(
        need.company,
        criteria,
        preferences=preferences,
        rejected=rejected,
        limit=limit,
        offset=offset,
        now=now,
    )


def count_fitting(company: Company, criteria: NeedCriteria, *, now: dt.datetime | None = None) -> int:
    """How many recommendable listings of the company meet ``criteria``'s hard requirements."""
    return _listings_for(
        company, criteria, preferences=NO_PREFERENCES, rejected=set(), limit=0, offset=0, now=now
    ).total_fitting


def _company_districts(company_id: int) -> list[int]:
    return sorted(set(Community.objects.filter(company_id=company_id).values_list("district_id", flat=True)))


def _listings_for(
    company: Company,
    criteria: NeedCriteria,
    *,
    preferences: Preferences,
    rejected: set[int],
    limit: int,
    offset: int,
    now: dt.datetime | None,
) -> NeedMatches:
    districts = sorted(criteria.district_ids) or _company_districts(company.pk)
    if not districts:
        return NeedMatches(items=[], excluded={}, total_fitting=0)
    n = pure_need_side(criteria)
    # Every listing that meets the requirements other than 真房源 is counted by why it is left out
    # (0 = recommended); the unverified are a reason of their own when 真房源 is required.
    loose = pure_need_side(replace(criteria, verified_only=False))
    cutoff = int(fresh_cutoff_epoch(company, now))
    answer = resident.answering(company.pk)
    if answer is not None:
        counts, rows = resident.listings_scan(
            answer,
            need=n,
            loose=loose,
            districts=districts,
            category=lambda c: _category(
                c["status"],
                c["fresh_at"],
                c["verified"],
                np.isin(c["listing_id"], list(rejected)),
                cutoff=cutoff,
                verified_only=criteria.verified_only,
            ),
            preferences=preferences,
            limit=limit,
            offset=offset,
        )
    else:
        counts, rows = _listings_in_database(
            company, n, loose, districts, cutoff, criteria.verified_only, rejected, preferences, limit, offset
        )
    labels = _excluded_labels(company)
    excluded = {labels[code]: count for code, count in sorted(counts.items()) if code and count}
    facts = facts_for_listings([listing_id for listing_id, _score in rows])
    items = []
    for listing_id, points in rows:
        scored = score(criteria, facts[listing_id][0], preferences)
        items.append(
            ListingMatch(listing_id=listing_id, score=int(points), fits=scored.fits, lacks=scored.lacks)
        )
    return NeedMatches(items=items, excluded=excluded, total_fitting=counts.get(0, 0))


def _category(
    status: Any, fresh: Any, verified: Any, rejected: Any, *, cutoff: int, verified_only: bool
) -> Any:
    """Why a listing that meets the requirements is left out, the first reason that applies
    (0: it is not) — rendered to SQL or computed on the resident arrays alike."""
    return case(
        eq(status, 1),
        _EXCLUDED_RESERVED,
        case(
            fresh < cutoff,
            _EXCLUDED_STALE,
            case(
                all_of(verified_only, eq(verified, 0)),
                _EXCLUDED_UNVERIFIED,
                case(rejected, _EXCLUDED_REJECTED, 0),
            ),
        ),
    )


def _listings_in_database(
    company: Company,
    n: NeedSide,
    loose: NeedSide,
    districts: list[int],
    cutoff: int,
    verified_only: bool,
    rejected: set[int],
    preferences: Preferences,
    limit: int,
    offset: int,
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """One pass counts by ``_category``; a top-N query ranks the recommended (from ``offset`` on)."""
    district_sql = Expr(f"district IN ({', '.join(str(int(d)) for d in districts)})")
    where = sql_of(hard_fit_term(n, _LISTING_COLUMNS, district_sql))
    loose_where = sql_of(hard_fit_term(loose, _LISTING_COLUMNS, district_sql))
    rejected_sql = ", ".join(str(int(i)) for i in sorted(rejected)) or "NULL"
    not_rejected = f" AND listing_id NOT IN ({rejected_sql})" if rejected else ""
    category = sql_of(
        _category(
            Expr("status"),
            Expr("fresh_at"),
            Expr("verified"),
            Expr(f"listing_id IN ({rejected_sql})"),
            cutoff=cutoff,
            verified_only=verified_only,
        )
    )
    table = ListingRow._meta.db_table
    counts: dict[int, int] = {}
    rows: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {category} AS c, COUNT(*) FROM {table}"  # noqa: S608 - integers we rendered
            f" WHERE company_id = %s AND {loose_where} GROUP BY c",
            [company.pk],
        )
        counts.update(dict(cursor.fetchall()))
        if limit > 0 and counts.get(0, 0) > offset:
            total = sql_of(total_of(n, _LISTING_COLUMNS, preferences))
            cursor.execute(
                f"SELECT listing_id, {total} AS score FROM {table}"  # noqa: S608
                f" WHERE company_id = %s AND {where} AND status = 0 AND fresh_at >= {cutoff}"
                f"{not_rejected} ORDER BY score DESC, listing_id LIMIT {int(limit)} OFFSET {int(offset)}",
                [company.pk],
            )
            rows = cursor.fetchall()
    return counts, rows


# --- listing -> needs -------------------------------------------------------------------------


def _need_columns(community: int, business_area: int) -> NeedSide:
    places = NeedPlace._meta.db_table

    def contains(_community: Any, _business_area: Any) -> Expr:
        return Expr(
            f"EXISTS (SELECT 1 FROM {places} p WHERE p.need_id = n.need_id"  # noqa: S608 - integers
            f" AND p.place IN ({2 * int(business_area)}, {2 * int(community) + 1}))"
        )

    names = [name for name in NeedSide.__dataclass_fields__ if name != "places"]
    return NeedSide(**{name: Expr(f"n.{name}") for name in names}, places=contains)


def needs_for_listing(
    listing: Listing, *, limit: int | None = None, now: dt.datetime | None = None
) -> ListingMatches:
    """The active needs ``listing`` satisfies, best first, each with its agent and reasons.

    A listing that is not recommendable (reserved, sold, stale) satisfies none. Needs that
    rejected it are left out; each need's learned preferences apply as in ``listings_for_need``.
    """
    found = facts_for_listings([listing.pk]).get(listing.pk)
    if found is None:
        return ListingMatches(items=[], total=0)
    facts, status, fresh = found
    if status != ListingStatus.ACTIVE or fresh < fresh_cutoff_epoch(listing.company, now):
        return ListingMatches(items=[], total=0)
    lst = pure_listing_side(facts)
    rejected = sorted(
        Match.objects.filter(listing_id=listing.pk, status=MatchStatus.REJECTED).values_list(
            "need_id", flat=True
        )
    )
    answer = resident.answering(listing.company_id)
    if answer is not None:
        total, best = resident.needs_scan(
            answer, listing=lst, rejected=rejected, preferences=preferences_for_needs, limit=limit
        )
        names = ("need_id", "client_id", "agent_id", "score", "has_feedback")
        chosen = list(zip(*(best[name].tolist() for name in names), strict=True))
    else:
        total, chosen = _needs_in_database(listing, facts, lst, rejected, limit)
    items = [NeedMatch(need_id=r[0], client_id=r[1], agent_id=r[2], score=int(r[3])) for r in chosen]
    _explain_needs(items, facts, learned=[r[0] for r in chosen if r[4]])
    return ListingMatches(items=items, total=total)


def _needs_in_database(
    listing: Listing, facts: Any, lst: ListingSide, rejected: list[int], limit: int | None
) -> tuple[int, list[tuple[int, int, int, int, int]]]:
    """How many needs match, and the best ``limit`` of them (all if ``None``): need, client,
    agent, score, whether it has learned preferences."""
    n = _need_columns(facts.community_id, facts.business_area_id)
    where = sql_of(hard_fit_term(n, lst, Expr(f"n.district IN (0, {int(facts.district_id)})")))
    total_sql = sql_of(total_of(n, lst, NO_PREFERENCES))
    not_rejected = f" AND n.need_id NOT IN ({', '.join(str(int(i)) for i in rejected)})" if rejected else ""
    matching = (
        f" FROM {NeedRow._meta.db_table} n WHERE n.company_id = %s AND n.band = %s AND {where}{not_rejected}"
    )
    params = [listing.company_id, band_of(lst.kind, lst.price)]
    with connection.cursor() as cursor:
        total, learned_count = len(rejected), 0
        if limit is not None:
            # With a page and no learned preferences among the needs, the database keeps only the
            # page while it ranks (a top-N sort): tens of thousands of rows never reach Python.
            cursor.execute(f"SELECT COUNT(*), SUM(n.has_feedback){matching}", params)
            total, learned_count = cursor.fetchone()
        page = f" LIMIT {int(limit)}" if limit is not None and not learned_count else ""
        cursor.execute(
            f"SELECT n.need_id, n.client_id, n.agent_id, n.has_feedback, {total_sql} AS score"
            f"{matching} ORDER BY score DESC, n.need_id{page}",
            params,
        )
        rows = cursor.fetchall()
    if not page:
        total = len(rows)
    learned = [row[0] for row in rows if row[3]]
    if learned:
        rows = _with_preferences(rows, preferences_for_needs(learned), lst)
    chosen = rows if limit is None else rows[:limit]
    return total, [(r[0], r[1], r[2], r[4], r[3]) for r in chosen]


def _with_preferences(
    rows: list[tuple], preferences: dict[int, Preferences], lst: ListingSide
) -> list[tuple]:
    adjusted = []
    for row in rows:
        learned = preferences.get(row[0])
        if learned is not None and learned.adjustments:
            extra = sum(adjustment_terms(learned, lst))
            row = (*row[:4], clamp(row[4] + extra))
        adjusted.append(row)
    adjusted.sort(key=lambda r: (-r[4], r[0]))
    return adjusted


def _explain_needs(items: list[NeedMatch], facts: Any, *, learned: list[int]) -> None:
    """Fill in the reasons of the returned needs (their criteria read in a few queries);
    ``learned``: those of them with learned preferences (the layout's ``has_feedback``)."""
    if not items:
        return
    by_id = {item.need_id: item for item in items}
    needs = list(
        Need.objects.filter(pk__in=list(by_id), status=NeedStatus.ACTIVE, kind__in=MATCHED_KINDS)
        .select_related("match_settings")
        .only(*CRITERIA_FIELDS, "match_settings__tolerance", "match_settings__verified_only")
    )
    preferences = preferences_for_needs(learned) if learned else {}
    settings = {need.pk: need.match_settings for need in needs if hasattr(need, "match_settings")}
    for need, criteria, _feedback in criteria_in_bulk(needs, with_feedback=False, settings=settings):
        scored = score(criteria, facts, preferences.get(need.pk, NO_PREFERENCES))
        item = by_id[need.pk]
        item.fits, item.lacks = scored.fits, scored.lacks


__all__ = [
    "ListingMatch",
    "ListingMatches",
    "NeedMatch",
    "NeedMatches",
    "count_fitting",
    "listings_for_need",
    "needs_for_listing",
]
