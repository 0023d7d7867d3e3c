"""Schemas of /api/v1/deals/{id}/documents: sizes in bytes, hashes as lowercase hex, times ISO 8601
with an offset."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class DocumentOut(Schema):
    id: int
    deal_id: int
    kind: str
    kind_label: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int
    uploaded_by: str
    uploaded_at: datetime
    restricted: bool


class DownloadOut(Schema):
    by_id: int
    by: str
    at: datetime
    via: str
    allowed: bool
    reason: str
