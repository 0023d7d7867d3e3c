"""Reads of referrals, scoped like clients: an administrator sees the company's, a manager their
store's, an agent the referrals they serve or whose referrer is their client (404 across companies)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.complaints.models import Complaint
from anju.complaints.selectors import satisfied_closures
from anju.org.models import Agent, Role
from anju.org.scoping import in_company
from anju.processing.models import Visit
from anju.referrals.models import AgentCard, Referral, ReferralCode, ReferralSettings, Reward

ASK_WITHIN_DAYS = 180  # a visit older than this is no longer a fresh reason to ask


def referral_settings(company_id: int) -> ReferralSettings:
    """The company's reward rule, or the defaults (unsaved) while it has none."""
    return ReferralSettings.objects.filter(company_id=company_id).first() or ReferralSettings(
        company_id=company_id
    )


def referrals_visible(viewer: Agent) -> QuerySet[Referral]:
    qs = in_company(Referral.objects.select_related("referrer_client", "referred", "agent"), viewer)
    if viewer.role == Role.ADMIN:
        return qs
    if viewer.role in (Role.MANAGER, Role.SPECIALIST):
        return qs.filter(Q(agent__store_id=viewer.store_id) | Q(referrer_client__store_id=viewer.store_id))
    return qs.filter(Q(agent_id=viewer.pk) | Q(referrer_client__owner_id=viewer.pk))


def referrals_recent(viewer: Agent, *, limit: int = 50) -> list[Referral]:
    """The newest referrals the viewer may see, each with its rewards."""
    return list(referrals_visible(viewer).prefetch_related("rewards").order_by("-created_at", "-id")[:limit])


def access_referral(viewer: Agent, referral_id: int) -> Referral:
    referral = referrals_visible(viewer).filter(pk=referral_id).first()
    if referral is None:
        raise Http404(_("没有找到该转介绍。"))
    return referral


def access_reward(viewer: Agent, referral_id: int, reward_id: int) -> Reward:
    referral = access_referral(viewer, referral_id)
    reward = Reward.objects.filter(referral=referral, pk=reward_id).first()
    if reward is None:
        raise Http404(_("没有找到该奖励。"))
    return reward


def referrals_made_by(client: Client) -> list[Referral]:
    """The referrals a client made, with their rewards (the client's page)."""
    return list(
        Referral.objects.filter(referrer_client=client)
        .select_related("referred", "agent")
        .prefetch_related("rewards")
        .order_by("-created_at", "-id")
    )


def referral_of(client: Client) -> Referral | None:
    """How the client came to the agency, when they were referred."""
    return Referral.objects.select_related("referrer_client").filter(referred=client).first()


def referral_code_of(client: Client) -> ReferralCode | None:
    return ReferralCode.objects.filter(client=client).first()


def _high_rating(company_id: int) -> Coalesce:
    """The company's 邀请转介绍 threshold as an expression, so it is read in the query that uses it."""
    default = ReferralSettings._meta.get_field("high_rating").get_default()
    own = ReferralSettings.objects.filter(company_id=company_id).values("high_rating")[:1]
    return Coalesce(Subquery(own), Value(default))


def _ask_since(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=ASK_WITHIN_DAYS), dt.time()))


def card_of(agent: Agent) -> AgentCard | None:
    """The agent's card page (名片页), once made."""
    return AgentCard.objects.filter(agent=agent).first()


def card_by_slug(slug: str) -> AgentCard:
    """The public card page's card: its agent, store and company. A card of someone who has left
    the agency is not found (their clients are another agent's now)."""
    card = (
        AgentCard.objects.select_related("agent__store", "company")
        .filter(slug=slug, agent__is_active=True)
        .first()
    )
    if card is None:
        raise Http404(_("没有找到该名片。"))
    return card


def card_photo(slug: str) -> Agent:
    """The agent of a public card page, when they have a photo: as the page itself, not found once
    they have left (the photo goes with the page) or when there is no photo."""
    agent = card_by_slug(slug).agent
    if not agent.photo:
        raise Http404(_("没有找到该图片。"))
    return agent


def visits_to_ask(agent: Agent, day: dt.date, *, limit: int) -> list[Visit]:
    """鼓励分享: after-sales visits of the agent's deals where the client rated the service highly
    (the company's threshold), newest first, one per client, the clients not yet asked."""
    threshold = _high_rating(agent.company_id)  # one query with the visits
    since = _ask_since(day)
    visits = (
        Visit.objects.filter(
            deal__agent_id=agent.pk,
            deal__company_id=agent.company_id,
            satisfaction__gte=threshold,
            done_at__gte=since,
            deal__buyer__referral_ask__isnull=True,
            deal__buyer__merged_into__isnull=True,
        )
        .select_related("deal__buyer", "deal__listing__community")
        .order_by("-done_at", "-id")[: limit * 3]
    )
    seen: set[int] = set()
    picked = []
    for visit in visits:
        if visit.deal.buyer_id not in seen:
            seen.add(visit.deal.buyer_id)
            picked.append(visit)
    return picked[:limit]


def closures_to_ask(agent: Agent, day: dt.date, *, limit: int) -> list[Complaint]:
    """鼓励分享 after a complaint: complaints closed with the client rating the resolution at the
    company's threshold or above, newest first, one per client, the clients not yet asked. They are
    the agent's when the client is theirs, or the handler's when the client has no agent: a complaint
    put right well is as good a moment to ask as a happy after-sales visit."""
    closures = (
        satisfied_closures(agent.company_id, since=_ask_since(day), at_least=_high_rating(agent.company_id))
        .filter(
            Q(client__owner_id=agent.pk) | Q(client__owner__isnull=True, handler_id=agent.pk),
            client__referral_ask__isnull=True,
            client__merged_into__isnull=True,
        )
        .order_by("-closed_at", "-id")[: limit * 3]
    )
    seen: set[int] = set()
    picked = []
    for complaint in closures:
        if complaint.client_id not in seen:
            seen.add(complaint.client_id)
            picked.append(complaint)
    return picked[:limit]
