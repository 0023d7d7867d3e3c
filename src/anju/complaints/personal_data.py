"""Complaints' part of a client's personal information (decision 0024): the client's complaints
and their steps; on erasure their text is scrubbed of the client's values (the complaint stays for
the monthly compliance figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.complaints.models import Complaint, Step
from anju.core import personal_data
from anju.core.announcements import listen


def complaints(client: Any) -> list[dict[str, Any]]:
    rows = []
    for complaint in Complaint.objects.filter(client=client).order_by("pk"):
        row = personal_data.plain_row(complaint)
        row["steps"] = personal_data.plain_rows(Step.objects.filter(complaint=complaint))
        rows.append(row)
    return rows


@listen(ClientErased)
def erase_complaints(news: ClientErased) -> None:
    theirs = Complaint.objects.filter(client_id__in=news.client_ids)
    personal_data.scrub_model(theirs, news.values)
    personal_data.scrub_model(Step.objects.filter(complaint__in=theirs), news.values)


def register() -> None:
    personal_data.register_section("complaints", complaints, title=_("投诉"), order=90)
