"""Outreach's part of a client's personal information (decision 0024): the client's ratings of
partners and the partners recommended to them; on erasure their text is scrubbed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen
from anju.outreach.models import PartnerRating, Recommendation


def partner_ratings(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(PartnerRating.objects.filter(client=client))


def recommendations(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Recommendation.objects.filter(client=client))


@listen(ClientErased)
def erase_outreach(news: ClientErased) -> None:
    for model in (PartnerRating, Recommendation):
        personal_data.scrub_model(model.objects.filter(client_id__in=news.client_ids), news.values)


def register() -> None:
    personal_data.register_section("partner_ratings", partner_ratings, title=_("合作商评价"), order=85)
    personal_data.register_section("recommendations", recommendations, title=_("合作商推荐"), order=86)
