"""Client care's part of a client's personal information (decision 0024): the tier, its pin and its
changes; on erasure their reasons are scrubbed of the client's values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.care.models import TierChange, TierFacts, TierPin
from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen


def tiers(client: Any) -> list[dict[str, Any]]:
    return [
        *personal_data.plain_rows(TierPin.objects.filter(client=client)),
        *personal_data.plain_rows(TierChange.objects.filter(client=client)),
    ]


@listen(ClientErased)
def erase_care(news: ClientErased) -> None:
    for model in (TierPin, TierChange, TierFacts):
        personal_data.scrub_model(model.objects.filter(client_id__in=news.client_ids), news.values)


def register() -> None:
    personal_data.register_section("tiers", tiers, title=_("客户分级"), order=80)
