"""The set-based tier and cadence computation (客户分级、定期沟通): a few statements per company,
whatever the number of clients — no row passes through Python (the nightly jobs run it over a
million clients; ``bench/care_jobs.py``). The same statements serve one client when an event
names it, so the nightly answer and the immediate one cannot differ.

1. ``TierFacts`` is refilled by one ``INSERT … SELECT`` of counted facts per client.
2. One ``UPDATE`` of the facts turns them into a score, a tier, the reasons in words and a stage;
   a second one, of the few pinned clients only, lays the managers' pinned tiers over them.
3. The clients whose tier changes get a ``TierChange`` row (one ``INSERT … SELECT``).
4. One ``UPDATE`` copies tier, reasons, stage and the next contact they give onto the clients whose
   answer changed; the cadence is a last ``UPDATE``, of the clients whose next contact moved alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Concat, Floor, Least
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.care.models import CareSettings, TierChange, TierFacts, TierPin
from anju.clients.models import Client, Interaction, Stage, Tier
from anju.core.bulk import insert_from_select
from anju.deals.models import Deal, DealStage
from anju.needs.models import Need, NeedKind, NeedStatus
from anju.showings.models import Showing, ShowingStatus

OPEN_DEAL = ~Q(stage__in=(DealStage.CLOSED, DealStage.CANCELLED))
CLOSED_DEAL = Q(stage=DealStage.CLOSED)


def _counted(rows: QuerySet, by: str) -> Coalesce:
    """How many of ``rows`` point at the outer client through ``by`` (0 when none)."""
    counted = (
        rows.filter(**{by: OuterRef("pk")}).order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _clients(company_id: int, client_ids: Iterable[int] | None) -> QuerySet[Client]:
    clients = Client.objects.filter(company_id=company_id, merged_into__isnull=True, erased_at__isnull=True)
    return clients if client_ids is None else clients.filter(pk__in=list(client_ids))


def _facts(company_id: int, client_ids: Iterable[int] | None) -> QuerySet[TierFacts]:
    facts = TierFacts.objects.filter(company_id=company_id)
    return facts if client_ids is None else facts.filter(client_id__in=list(client_ids))


def _sources(settings: CareSettings, now: dt.datetime) -> dict[str, tuple[QuerySet, str]]:
    """Each fact's rows and the field naming their client: counted (the budget: its highest)."""
    since = now - dt.timedelta(days=settings.recent_days)
    return {
        "interactions": (Interaction.objects.filter(happened_at__gte=since, happened_at__lte=now), "client"),
        "showings": (
            Showing.objects.filter(starts_at__gte=since, starts_at__lte=now).exclude(
                status=ShowingStatus.CANCELLED
            ),
            "client",
        ),
        "budget": (Need.objects.filter(kind=NeedKind.BUY, status=NeedStatus.ACTIVE), "client"),
        "needs": (Need.objects.filter(status=NeedStatus.ACTIVE), "client"),
        "open_buyer": (Deal.objects.filter(OPEN_DEAL), "buyer"),
        "open_seller": (Deal.objects.filter(OPEN_DEAL), "seller"),
        "closed_buyer": (Deal.objects.filter(CLOSED_DEAL), "buyer"),
        "closed_seller": (Deal.objects.filter(CLOSED_DEAL), "seller"),
        "referrals": (Client.objects.filter(merged_into__isnull=True), "referred_by"),
    }


def _fill_facts_grouped(settings: CareSettings, clients: QuerySet[Client], now: dt.datetime) -> int:
    """The facts of a whole company: each source counted once per client (``GROUP BY``) and joined
    to the clients, where the per-client form probes each source's index a million times. The same
    sources and the same figures as ``_fill_facts`` (a test holds the two equal)."""
    parts: list[str] = []
    params: list[Any] = []
    for name, (rows, by) in _sources(settings, now).items():
        figure = (
            Cast(Floor(Max("budget_max") / Value(10000)), IntegerField()) if name == "budget" else Count("pk")
        )
        sql, found = (
            rows.order_by().values(k=F(by)).annotate(v=figure).values("k", "v").query.sql_with_params()
        )
        parts.append(f"LEFT JOIN ({sql}) {name} ON {name}.k = c.id")
        params += found
    sql, found = clients.order_by().values("id", "company_id").query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c)
        for c in (
            "client_id",
            "company_id",
            "interactions",
            "showings",
            "budget_wan",
            "active_needs",
            "open_deals",
            "closed_deals",
            "referrals",
        )
    )
    figures = (
        "c.id, c.company_id, COALESCE(interactions.v, 0), COALESCE(showings.v, 0), budget.v,"
        " COALESCE(needs.v, 0), COALESCE(open_buyer.v, 0) + COALESCE(open_seller.v, 0),"
        " COALESCE(closed_buyer.v, 0) + COALESCE(closed_seller.v, 0), COALESCE(referrals.v, 0)"
    )
    select = f"SELECT {figures} FROM ({sql}) c {' '.join(parts)}"  # noqa: S608 - Django's SQL, our names
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(TierFacts._meta.db_table)} ({columns}) {select}",
            [*found, *params],
        )
        return int(cursor.rowcount)


def _fill_facts(settings: CareSettings, clients: QuerySet[Client], now: dt.datetime) -> int:
    since = now - dt.timedelta(days=settings.recent_days)
    budget = (
        Need.objects.filter(client=OuterRef("pk"), kind=NeedKind.BUY, status=NeedStatus.ACTIVE)
        .order_by()
        .values("client")
        .annotate(top=Max("budget_max"))
        .values("top")[:1]
    )
    facts = clients.order_by().values(
        v_client=F("pk"),
        v_company=F("company_id"),
        v_interactions=_counted(
            Interaction.objects.filter(happened_at__gte=since, happened_at__lte=now), "client"
        ),
        v_showings=_counted(
            Showing.objects.filter(starts_at__gte=since, starts_at__lte=now).exclude(
                status=ShowingStatus.CANCELLED
            ),
            "client",
        ),
        v_budget=Cast(Floor(Subquery(budget) / Value(10000)), IntegerField()),
        v_needs=_counted(Need.objects.filter(status=NeedStatus.ACTIVE), "client"),
        v_open=_counted(Deal.objects.filter(OPEN_DEAL), "buyer")
        + _counted(Deal.objects.filter(OPEN_DEAL), "seller"),
        v_closed=_counted(Deal.objects.filter(CLOSED_DEAL), "buyer")
        + _counted(Deal.objects.filter(CLOSED_DEAL), "seller"),
        v_referrals=_counted(Client.objects.filter(merged_into__isnull=True), "referred_by"),
    )
    return insert_from_select(
        TierFacts,
        {
            "client_id": "v_client",
            "company_id": "v_company",
            "interactions": "v_interactions",
            "showings": "v_showings",
            "budget_wan": "v_budget",
            "active_needs": "v_needs",
            "open_deals": "v_open",
            "closed_deals": "v_closed",
            "referrals": "v_referrals",
        },
        facts,
    )


def _text(value: Combinable | str) -> Cast | Value:
    return Value(value) if isinstance(value, str) else Cast(value, CharField())


def _line(condition: Q, *parts: Combinable | str) -> Case:
    """One reason, ending in a newline, when ``condition`` holds; nothing otherwise."""
    return Case(
        When(condition, then=Concat(*(_text(p) for p in parts), Value("\n"), output_field=TextField())),
        default=Value(""),
        output_field=TextField(),
    )


def _score(s: CareSettings) -> Combinable:
    return (
        Least(F("interactions"), Value(s.interaction_cap)) * Value(s.interaction_points)
        + Least(F("showings"), Value(s.showing_cap)) * Value(s.showing_points)
        + Case(
            When(budget_wan__gte=int(s.budget_high) // 10000, then=Value(s.budget_high_points)),
            When(budget_wan__gte=int(s.budget_mid) // 10000, then=Value(s.budget_mid_points)),
            default=Value(0),
        )
        + Case(When(active_needs__gt=0, then=Value(s.active_need_points)), default=Value(0))
        + Case(When(open_deals__gt=0, then=Value(s.open_deal_points)), default=Value(0))
        + F("closed_deals") * Value(s.past_deal_points)
        + F("referrals") * Value(s.referral_points)
    )


def _reasons(s: CareSettings) -> Concat:
    recent = _("近%(days)s天") % {"days": s.recent_days}
    return Concat(
        _line(Q(open_deals__gt=0), _("交易进行中")),
        _line(Q(interactions__gt=0), recent, _("跟进"), F("interactions"), _("次")),
        _line(Q(showings__gt=0), recent, _("带看"), F("showings"), _("次")),
        _line(Q(interactions=0, showings=0), recent, _("没有跟进和带看")),
        _line(Q(budget_wan__isnull=False), _("预算"), F("budget_wan"), _("万")),
        _line(
            Q(budget_wan__isnull=True, active_needs__gt=0), _("有"), F("active_needs"), _("个进行中的需求")
        ),
        _line(Q(closed_deals__gt=0), _("已成交"), F("closed_deals"), _("单")),
        _line(Q(referrals__gt=0), _("转介绍"), F("referrals"), _("位客户")),
        output_field=TextField(),
    )


def _grade(s: CareSettings) -> Case:
    """The tier of the score, computed from the facts in the same ``UPDATE`` that stores the score."""
    score = _score(s)
    return Case(
        When(GreaterThanOrEqual(score, Value(s.tier_a_min)), then=Value(Tier.A)),
        When(GreaterThanOrEqual(score, Value(s.tier_b_min)), then=Value(Tier.B)),
        When(GreaterThanOrEqual(score, Value(s.tier_c_min)), then=Value(Tier.C)),
        default=Value(Tier.D),
    )


def tiers_refresh(
    *,
    settings: CareSettings,
    client_ids: Iterable[int] | None = None,
    by_id: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[int, int, int]:
    """Recompute the tier, reasons and stage of the company's clients (or of ``client_ids``).

    Returns how many clients were scored, how many changed tier and how many were rewritten. Call inside a transaction holding the settings row
    locked (``services.tiers_recompute``): the working table is shared by the company's runs.
    """
    now = now or timezone.now()
    ids = None if client_ids is None else list(client_ids)
    company_id = settings.company_id
    _facts(company_id, ids).delete()
    fill = _fill_facts if ids is not None else _fill_facts_grouped
    covered = fill(settings, _clients(company_id, ids), now)
    facts = _facts(company_id, ids)
    facts.update(  # one pass over the working table: each row rewritten once
        score=_score(settings),
        tier=_grade(settings),
        reasons=_reasons(settings),
        stage=Case(
            When(open_deals__gt=0, then=Value(Stage.IN_TRANSACTION)),
            When(closed_deals__gt=0, then=Value(Stage.PAST)),
            default=Value(Stage.PROSPECT),
        ),
    )
    pin = TierPin.objects.filter(client_id=OuterRef("client_id"))
    facts.filter(
        client_id__in=TierPin.objects.filter(client__company_id=company_id).values("client_id")
    ).update(
        tier=Subquery(pin.values("tier")[:1]),
        reasons=Concat(
            Value(_("手动分级：")),
            Subquery(pin.values("reason")[:1]),
            Value("\n"),
            F("reasons"),
            output_field=TextField(),
        ),
    )
    changed = insert_from_select(
        TierChange,
        {
            "client_id": "client_id",
            "from_tier": "v_from",
            "to_tier": "tier",
            "reasons": "reasons",
            "at": "v_at",
            "by_id": "v_by",
            "company_id": "company_id",
            "owner_id": "v_owner",
            "store_id": "v_store",
        },
        facts.exclude(tier=F("client__tier")).values(
            "client_id",
            "tier",
            "reasons",
            "company_id",
            v_owner=F("client__owner_id"),
            v_store=F("client__store_id"),
            v_from=F("client__tier"),
            v_at=Value(now, output_field=DateTimeField()),
            v_by=Cast(Value(by_id), BigIntegerField()),
        ),
    )
    row = TierFacts.objects.filter(client_id=OuterRef("pk"))
    # Only the clients whose answer changed are written: a client row carries many indexes, and on
    # an ordinary night most answers stay the same. Their next contact follows their new tier and
    # stage in the same write (the cadence's own ``UPDATE`` then finds them in place): each row is
    # rewritten once, not twice, on a night when many change (the first one: all of them).
    differs = row.exclude(tier=OuterRef("tier"), reasons=OuterRef("tier_reasons"), stage=OuterRef("stage"))
    tier = Subquery(row.values("tier")[:1])
    stage = Subquery(row.values("stage")[:1])
    rewritten = (
        _clients(company_id, ids)
        .filter(Exists(differs))
        .update(
            tier=tier,
            tier_reasons=Subquery(row.values("reasons")[:1]),
            stage=stage,
            next_contact_on=_due(settings, stage=stage, tier=tier),
        )
    )
    return covered, changed, rewritten


def _interval(s: CareSettings, *, stage: Combinable, tier: Combinable) -> Case:
    """Days between contacts for a stage and tier (the client's own, or the ones being given it)."""
    return Case(
        When(Exact(stage, Value(Stage.IN_TRANSACTION)), then=Value(s.transaction_days)),
        When(Exact(stage, Value(Stage.PAST)), then=Value(s.past_days)),
        When(Exact(tier, Value(Tier.A)), then=Value(s.prospect_a_days)),
        When(Exact(tier, Value(Tier.B)), then=Value(s.prospect_b_days)),
        When(Exact(tier, Value(Tier.C)), then=Value(s.prospect_c_days)),
        default=Value(s.prospect_d_days),
        output_field=IntegerField(),
    )


def _due(s: CareSettings, *, stage: Combinable, tier: Combinable) -> Coalesce:
    """The next contact: the agent's own next follow-up date when set, else the last contact (or the
    intake, for a client never contacted) plus the interval of the stage and tier, as a Beijing date."""
    last = Coalesce(F("last_contact_at"), F("created_at"))
    return Coalesce(F("next_follow_up_on"), LocalDatePlusDays(last, _interval(s, stage=stage, tier=tier)))


class LocalDatePlusDays(Func):
    """The local (Beijing) date of a moment plus a number of days, in the database's own date
    arithmetic: Django's portable version calls back into Python for every row on SQLite."""

    output_field = DateField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        moment_sql, moment_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        zone = timezone.get_current_timezone()
        if connection.vendor == "sqlite":
            # SQLite keeps UTC text; Asia/Shanghai has kept one offset (+8) since 1991.
            offset = int(timezone.now().astimezone(zone).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            sql = f"date({moment_sql}, '{offset:+d} minutes', '+' || ({days_sql}) || ' days')"
            return sql, [*moment_params, *days_params]
        return f"(({moment_sql} AT TIME ZONE %s)::date + ({days_sql}))", [
            *moment_params,
            str(zone),
            *days_params,
        ]


def cadence_refresh(*, settings: CareSettings, client_ids: Iterable[int] | None = None) -> int:
    """Each client's next contact (下次维护联系): the agent's own next follow-up date when set, else
    the last contact (or the intake, for a client never contacted) plus the interval of its tier and
    stage, as a Beijing date. One ``UPDATE`` of the clients whose date moves; returns how many."""
    due = _due(settings, stage=F("stage"), tier=F("tier"))
    moved = Q(next_contact_on__isnull=True) | ~Q(next_contact_on=due)
    return _clients(settings.company_id, client_ids).filter(moved).update(next_contact_on=due)
