"""Processing's part of a client's personal information (decision 0024): the after-sales visits,
problems and handover of the client's deals; on erasure their text is scrubbed of the client's
values (the deal's steps stay: they are the agency's record of the work)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen
from anju.processing.models import HandoverItem, Loan, Problem, TaxPayment, TaxRecord, Visit


def _of(client_ids: Any, path: str = "deal") -> Q:
    return Q(**{f"{path}__buyer_id__in": client_ids}) | Q(**{f"{path}__seller_id__in": client_ids})


def visits(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Visit.objects.filter(_of([client.pk])))


def problems(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Problem.objects.filter(_of([client.pk], "milestone__plan__deal")))


@listen(ClientErased)
def erase_processing(news: ClientErased) -> None:
    ids = news.client_ids
    for model in (Visit, HandoverItem, Loan, TaxRecord, TaxPayment):
        personal_data.scrub_model(model.objects.filter(_of(ids)), news.values)
    personal_data.scrub_model(Problem.objects.filter(_of(ids, "milestone__plan__deal")), news.values)


def register() -> None:
    personal_data.register_section("visits", visits, title=_("售后回访"), order=60)
    personal_data.register_section("problems", problems, title=_("办理中的问题"), order=61)
