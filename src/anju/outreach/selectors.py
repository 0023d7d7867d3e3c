"""Reads of the outreach app: the viewer's clients' occasions, templates, campaigns, partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.core.errors import ApplicationError
from anju.org.models import Agent
from anju.org.scoping import in_company, owned_scope
from anju.outreach.models import (
    Campaign,
    ContentItem,
    ContentKind,
    OutreachSettings,
    Partner,
    PartnerKind,
    PartnerRating,
    Recommendation,
)
from anju.outreach.occasions import MAX_WINDOW_DAYS, Occasion, client_occasions


def clients_cared_for(viewer: Agent) -> QuerySet[Client]:
    """The private clients in the viewer's scope (an agent's own, a manager's store's, an admin's
    company's): the ones the viewer greets. The public pool has nobody to greet it."""
    return owned_scope(
        Client.objects.filter(owner__isnull=False, merged_into__isnull=True, erased_at__isnull=True), viewer
    )


# The years the lunar calendar is worked out for here: a birthday's or festival's date outside them
# means nothing to an agent (and the conversion has no year 0 to fall back on).
FIRST_YEAR, LAST_YEAR = 1901, 2099


def check_window(start: dt.date, end: dt.date) -> None:
    if start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise ApplicationError(
            _("日期须在 %(first)s 年至 %(last)s 年之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="occasions_window_out_of_range",
            extra={"first_year": FIRST_YEAR, "last_year": LAST_YEAR},
        )
    if end < start:
        raise ApplicationError(_("结束日期不能早于开始日期。"), code="occasions_window_reversed")
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise ApplicationError(
            _("一次最多查询 %(days)s 天。") % {"days": MAX_WINDOW_DAYS},
            code="occasions_window_too_long",
            extra={"max_days": MAX_WINDOW_DAYS},
        )


def occasions_visible(viewer: Agent, start: dt.date, end: dt.date) -> list[Occasion]:
    """The occasions of the viewer's clients from ``start`` to ``end``, by date then client."""
    check_window(start, end)
    found = client_occasions(clients_cared_for(viewer), start, end)
    return sorted(found, key=lambda o: (o.date, o.client_id, o.kind, o.name))


def outreach_settings(company_id: int) -> OutreachSettings:
    """The company's settings, or the defaults (unsaved) when it has none."""
    return OutreachSettings.objects.filter(company_id=company_id).first() or OutreachSettings(
        company_id=company_id
    )


def partners_ranked(viewer: Agent, *, kind: str = "") -> QuerySet[Partner]:
    """The company's partners, best rated and most used first, each with ``rating`` (average or
    None), ``ratings_count`` and ``uses`` (recommendations)."""
    qs = in_company(Partner.objects.all(), viewer)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        rating=Avg("ratings__score"),
        ratings_count=Count("ratings", distinct=True),
        uses=Count("recommendations", distinct=True),
    ).order_by("-active", F("rating").desc(nulls_last=True), "-uses", "name")


def access_partner(viewer: Agent, partner_id: int) -> Partner:
    partner = partners_ranked(viewer).filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("没有找到该合作商。"))
    return partner


def content_items_visible(viewer: Agent) -> QuerySet[ContentItem]:
    return in_company(ContentItem.objects.all(), viewer).order_by("-created_at", "-id")


def access_content_item(viewer: Agent, content_id: int) -> ContentItem:
    item = content_items_visible(viewer).filter(pk=content_id).first()
    if item is None:
        raise Http404(_("没有找到该内容。"))
    return item


def campaigns_visible(viewer: Agent) -> QuerySet[Campaign]:
    return in_company(Campaign.objects.select_related("content"), viewer).order_by("-created_at", "-id")


def access_campaign(viewer: Agent, campaign_id: int) -> Campaign:
    campaign = campaigns_visible(viewer).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_("没有找到该推送活动。"))
    return campaign


def partner_flagged(partner: Partner, poor_below: Decimal) -> bool:
    """A partner whose clients rate it below the company's line on average (a poorly rated one)."""
    rating = getattr(partner, "rating", None)
    return rating is not None and Decimal(str(rating)) < poor_below


def partners_directory(viewer: Agent, *, kind: str = "") -> list[Partner]:
    """The directory as the page shows it: ranked, each with ``flagged`` set."""
    poor_below = outreach_settings(viewer.company_id).poor_rating_below
    partners = list(partners_ranked(viewer, kind=kind))
    for partner in partners:
        partner.flagged = partner_flagged(partner, poor_below)  # type: ignore[attr-defined]
    return partners


def partner_kinds(viewer: Agent) -> list[tuple[str, str]]:
    """The built-in kinds and the company's own, as (value, label)."""
    own = in_company(Partner.objects.all(), viewer).exclude(kind__in=PartnerKind.values)
    words = sorted(set(own.values_list("kind", flat=True)))
    return [*((k.value, str(k.label)) for k in PartnerKind), *((w, w) for w in words)]


def partner_ratings(partner: Partner) -> list[PartnerRating]:
    return list(partner.ratings.select_related("client", "recorded_by").order_by("-at", "-id"))


def partner_recommendations(partner: Partner, *, limit: int = 20) -> list[Recommendation]:
    return list(
        partner.recommendations.select_related("client", "agent").order_by("-created_at", "-id")[:limit]
    )


def clients_to_choose(viewer: Agent) -> list[Client]:
    """The viewer's clients for a choice list (a rating, a recommendation), by name."""
    return list(clients_cared_for(viewer).order_by("name", "id")[:500])


def campaigns_list(viewer: Agent, *, limit: int = 30) -> list[Campaign]:
    return list(campaigns_visible(viewer)[:limit])


def partners_fitting(company_id: int, *, district: str, per_kind: int = 1, limit: int = 3) -> list[Partner]:
    """The best partners for a flat in ``district``: active, serving the district (or the whole
    city), not flagged; the best rated and most used of each kind first."""
    poor_below = outreach_settings(company_id).poor_rating_below
    ranked = (
        Partner.objects.filter(company_id=company_id, active=True)
        .filter(Q(service_area="") | Q(service_area__contains=district))
        .annotate(rating=Avg("ratings__score"), uses=Count("recommendations", distinct=True))
        .order_by(F("rating").desc(nulls_last=True), "-uses", "name")
    )
    found: list[Partner] = []
    taken: dict[str, int] = {}
    for partner in ranked:
        if partner_flagged(partner, poor_below) or taken.get(partner.kind, 0) >= per_kind:
            continue
        taken[partner.kind] = taken.get(partner.kind, 0) + 1
        found.append(partner)
        if len(found) >= limit:
            break
    return found


def home_tips(company_id: int) -> ContentItem | None:
    """The company's newest home-life tips, for a client who just got the keys."""
    return (
        ContentItem.objects.filter(company_id=company_id, kind=ContentKind.HOME_TIPS)
        .order_by("-created_at", "-id")
        .first()
    )
