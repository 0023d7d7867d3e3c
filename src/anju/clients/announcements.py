"""What clients announce (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

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
