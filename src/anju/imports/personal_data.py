"""Imports' part of a client's personal information (decision 0024): an import job keeps the rows it
could not import and what it read, so a client's phone or name may sit in a job's report; on
erasure the company's jobs are scrubbed of the client's values."""

from __future__ import annotations

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen
from anju.imports.models import ImportJob


@listen(ClientErased)
def erase_import_reports(news: ClientErased) -> None:
    personal_data.scrub_model(ImportJob.objects.filter(company_id=news.company_id), news.values)
