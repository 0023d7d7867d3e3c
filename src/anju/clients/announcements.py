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
