"""Referrals' part of a client's personal information (decision 0024): whom the client referred,
who referred them, their referral code and rewards; on erasure the names and notes are scrubbed
(the referral and its rewards stay: money was paid on them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen
from anju.referrals.models import Referral, ReferralCode, Reward


def _of(client_ids: Any) -> Q:
    return Q(referrer_client_id__in=client_ids) | Q(referred_id__in=client_ids)


def referrals(client: Any) -> list[dict[str, Any]]:
    rows = []
    for referral in Referral.objects.filter(_of([client.pk])).order_by("pk"):
        row = personal_data.plain_row(referral)
        row["rewards"] = personal_data.plain_rows(Reward.objects.filter(referral=referral))
        rows.append(row)
    return rows


def codes(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(ReferralCode.objects.filter(client=client))


@listen(ClientErased)
def erase_referrals(news: ClientErased) -> None:
    theirs = Referral.objects.filter(_of(news.client_ids))
    personal_data.scrub_model(theirs, news.values)
    # A person named without a client row (介绍人 by name) may be this client, too.
    named = Referral.objects.filter(company_id=news.company_id, referrer_name__in=news.values)
    personal_data.scrub_model(named, news.values)
    rewards = Reward.objects.filter(referral__in=theirs)
    personal_data.scrub_model(rewards, news.values)
    reward_ids = list(rewards.values_list("pk", flat=True))
    personal_data.scrub_model(Reward.history.model.objects.filter(id__in=reward_ids), news.values)


def register() -> None:
    personal_data.register_section("referrals", referrals, title=_("转介绍"), order=95)
    personal_data.register_section("referral_codes", codes, title=_("推荐码"), order=96)
