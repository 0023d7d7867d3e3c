"""The needs' part of a client's personal information (decision 0024): the needs in the export;
on erasure the open needs are given up (so nothing matches the client any more) and their text
and history scrubbed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import announce, listen
from anju.needs.announcements import NeedsChanged
from anju.needs.models import Need, NeedStatus


def needs(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Need.objects.filter(client=client))


@listen(ClientErased)
def erase_needs(news: ClientErased) -> None:
    theirs = Need.objects.filter(client_id__in=news.client_ids)
    ids = tuple(theirs.order_by("pk").values_list("pk", flat=True))
    open_ones = theirs.filter(status__in=[NeedStatus.ACTIVE, NeedStatus.PAUSED])
    for need in open_ones:
        need.status = NeedStatus.GIVEN_UP
        need._change_reason = "客户要求删除个人信息"  # type: ignore[attr-defined]
        need.save(update_fields=["status"])
    personal_data.scrub_model(theirs, news.values)
    personal_data.scrub_model(Need.history.model.objects.filter(id__in=ids), news.values)
    if ids:
        announce(NeedsChanged(company_id=news.company_id, need_ids=ids))


def register() -> None:
    personal_data.register_section("needs", needs, title=_("需求"), order=20)
