"""The showings' part of a client's personal information (decision 0024): the client's showings,
their stops and feedback, the signed confirmations and open-day sign-ups. On erasure the text is
scrubbed; a signed showing confirmation (带看确认单) is a record the law makes the agency keep, so
within the retention period it stays as signed, listed as kept. When the period ends
(``KeptRecordsExpired``), or at once for one not kept, it is disposed of: the signed name, the
content and the signature image emptied, the image deleted after the commit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.announcements import ClientErased, KeptRecordsExpired
from anju.clients.services import record_kept, retention_ends
from anju.core import personal_data
from anju.core.announcements import listen
from anju.showings.models import OpenDaySignup, Showing, ShowingConfirmation, Stop, StopFeedback


def showings(client: Any) -> list[dict[str, Any]]:
    rows = []
    for showing in Showing.objects.filter(client=client).order_by("pk"):
        row = personal_data.plain_row(showing)
        stops = Stop.objects.filter(showing=showing).order_by("pk")
        row["stops"] = [personal_data.plain_row(s, exclude=("access_code",)) for s in stops]
        row["feedback"] = personal_data.plain_rows(StopFeedback.objects.filter(stop__showing=showing))
        rows.append(row)
    return rows


def confirmations(client: Any) -> list[dict[str, Any]]:
    rows = ShowingConfirmation.objects.filter(showing__client=client)
    return personal_data.plain_rows(rows, exclude=("signature",))


def open_days(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(OpenDaySignup.objects.filter(client=client))


@listen(ClientErased)
def erase_showings(news: ClientErased) -> None:
    theirs = Showing.objects.filter(client_id__in=news.client_ids)
    personal_data.scrub_model(theirs, news.values)
    personal_data.scrub_model(Stop.objects.filter(showing__in=theirs), news.values)
    personal_data.scrub_model(StopFeedback.objects.filter(stop__showing__in=theirs), news.values)
    for confirmation in ShowingConfirmation.objects.filter(showing__in=theirs).select_related("showing"):
        keep_until = retention_ends(confirmation.signed_at)
        if keep_until >= news.on:
            record_kept(
                client_id=confirmation.showing.client_id,
                obj=confirmation,
                what=_("带看确认单 %(date)s") % {"date": confirmation.shown_on.isoformat()},
                reason=_("带看确认单是房地产经纪业务资料，须在保存期内保留"),
                keep_until=keep_until,
            )
        else:
            personal_data.scrub_model(ShowingConfirmation.objects.filter(pk=confirmation.pk), news.values)
            confirmations_dispose([confirmation.pk])


def confirmations_dispose(confirmation_ids: list[int]) -> int:
    """Empty what of these confirmations holds the client's data — the name signed, the content
    (the client, the date, the homes as on the sheet), a correction's reason, the signature image —
    and delete the images once the transaction commits. The date, the homes, the agent and the
    SHA-256 stay. Idempotent; returns the files to delete."""
    # ``update``: the model refuses every change through ``save``, rightly, but this one.
    rows = ShowingConfirmation.objects.filter(pk__in=confirmation_ids)
    files = [c.signature for c in rows]
    rows.update(client_name=personal_data.REDACTED, content="", signature="")
    rows.exclude(correction_reason="").update(correction_reason=personal_data.REDACTED)
    return personal_data.delete_files_on_commit(files)


@listen(KeptRecordsExpired)
def dispose_confirmations(news: KeptRecordsExpired) -> None:
    if ids := news.ids_of(ShowingConfirmation._meta.label):
        confirmations_dispose(ids)


def register() -> None:
    personal_data.register_section("showings", showings, title=gettext_lazy("带看"), order=40)
    personal_data.register_section(
        "showing_confirmations", confirmations, title=gettext_lazy("带看确认单"), order=41
    )
    personal_data.register_section("open_days", open_days, title=gettext_lazy("开放日报名"), order=42)
