"""What clients announce (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ClientsMerged:
    """``merged_id`` was folded into ``keep_id``: whatever points at the duplicate moves to the kept one."""

    company_id: int
    keep_id: int
    merged_id: int


@dataclass(frozen=True)
class ClientReferred:
    """``client_id`` was recorded as referred by ``referrer_id`` (``Client.referred_by``), at intake or
    later; the referrals app keeps its referral row for it from this, so the two never disagree."""

    company_id: int
    client_id: int
    referrer_id: int
    by_id: int


@dataclass(frozen=True)
class InteractionsRecorded:
    """Follow-ups were recorded for these clients (``interaction_create``): their activity changed."""

    company_id: int
    client_ids: tuple[int, ...]


@dataclass(frozen=True)
class ClientErased:
    """The personal information of ``client_ids`` (a client and the duplicates merged into it) is
    being erased at the client's request (decision 0024). Each app anonymises its own rows now, in
    the erasing transaction: the client's own text goes, and ``values`` (the name, phones, ID
    number, e-mail, birthday, the notes) are replaced by ``***`` wherever they were copied into
    text that stays. The rows the law makes a deal keep (``clients.services.record_kept``) stay as
    they are until ``on`` plus the retention period. The values travel with the announcement
    because the client's row is anonymised in the same transaction."""

    company_id: int
    client_ids: tuple[int, ...]
    values: tuple[str, ...]
    by_id: int
    on: dt.date


@dataclass(frozen=True)
class KeptRecordsExpired:
    """The retention period of these kept records (``KeptRecord``: an erased client's rows the law
    made a deal keep) has ended: each app that owns one of the rows, named by its model label and
    id, disposes of it now, in this transaction — empties the row's personal fields wholesale (the
    erased client's values are no longer known) and deletes its files once the transaction commits
    (decision 0024). Hearing the same rows again changes nothing."""

    company_id: int
    records: tuple[tuple[str, int], ...]  # (model label, object id): ("archive.Document", 42)
    on: dt.date

    def ids_of(self, label: str) -> list[int]:
        """The ids of the rows of the model labelled ``label`` among the expired records."""
        return sorted({object_id for model, object_id in self.records if model == label})
