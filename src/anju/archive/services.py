"""Writes of the archive: upload a document (checked by content and size), open one for download
(logged, refused or not), and the client's archive as a .zip with an index page.

The client's archive is built at once, in the request, not by a job: one client's documents are a
handful of files of at most ``ARCHIVE_MAX_BYTES`` each, stored without recompression, so writing
the zip takes about as long as reading the files (decision 0019).
"""

from __future__ import annotations

import hashlib
import html
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.archive.content import TYPES, named_type, sniff
from anju.archive.models import Document, DocumentKind, Download, Via
from anju.archive.selectors import client_documents, download_refusal
from anju.clients.models import AccessKind, Client
from anju.clients.services import personal_data_access_record
from anju.core.errors import ApplicationError
from anju.core.formats import format_date, format_datetime
from anju.deals.models import Deal
from anju.org.models import Agent

NAME_MOST = 200


def _read_limited(file: IO[bytes]) -> bytes:
    most = settings.ARCHIVE_MAX_BYTES
    data = file.read(most + 1)
    if len(data) > most:
        raise ApplicationError(
            _("文件太大：每个文件最大 %(most)s，请压缩或拆分后再上传。") % {"most": filesizeformat(most)},
            code="document_too_large",
            extra={"max_bytes": most},
        )
    if not data:
        raise ApplicationError(_("文件是空的，请重新选择。"), code="document_empty")
    return data


def document_upload(*, deal: Deal, by: Agent, file: IO[bytes], name: str, kind: str) -> Document:
    """Store a document of the deal: its type is read from its content, and must be what its name
    says; the stored file's name is random, with the extension of the real type."""
    if kind not in DocumentKind.values:
        raise ApplicationError(
            _("请选择资料类型：%(kinds)s。")
            % {"kinds": "、".join(str(label) for label in DocumentKind.labels)},
            code="document_kind_invalid",
        )
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[-NAME_MOST:] or "file"
    data = _read_limited(file)
    actual = sniff(data)
    if actual is None:
        raise ApplicationError(
            _("不支持的文件：“%(name)s”的内容不是 %(types)s 中的任何一种。")
            % {"name": name, "types": "、".join(t.label for t in TYPES)},
            code="document_type_unsupported",
        )
    claimed = named_type(name)
    if claimed != actual:
        raise ApplicationError(
            _("文件内容与文件名不符：“%(name)s”的内容实际是 %(actual)s 文件。请确认文件后重新上传。")
            % {"name": name, "actual": actual.label},
            code="document_content_mismatch",
            extra={"detected": actual.key},
        )
    document = Document(
        company_id=deal.company_id,
        deal=deal,
        kind=kind,
        original_name=name,
        content_type=actual.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    document.file.save(
        f"deals/{deal.pk}/{secrets.token_hex(12)}.{actual.extension}", ContentFile(data), save=False
    )
    stored = str(document.file.name)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


def _log(*, document: Document, by: Agent, via: str, refusal: str | None) -> Download:
    download = Download.objects.create(
        document=document, by=by, via=via, allowed=refusal is None, reason=refusal or "", at=timezone.now()
    )
    if refusal is None and document.kind == DocumentKind.ID_COPY:
        # An ID copy opened is access to personal data: it joins the audit log of each party.
        deal = document.deal
        for client in (deal.buyer, deal.seller):
            if client is not None:
                personal_data_access_record(
                    client=client,
                    agent=by,
                    kind=AccessKind.ID_COPY,
                    detail=_("交易 %(deal)s 的身份证复印件（%(via)s）")
                    % {"deal": deal.number or deal.pk, "via": download.get_via_display()},
                )
    return download


def document_open(*, document: Document, by: Agent, via: str = Via.PAGE) -> IO[bytes]:
    """The document's file, opened for reading; the download is logged. A refused download is
    logged too (committed on its own), then refused with the reason."""
    refusal = download_refusal(by, document)
    with transaction.atomic():
        _log(document=document, by=by, via=via, refusal=refusal)
    if refusal is not None:
        raise PermissionDenied(refusal)
    return document.file.open("rb")


# --- the client's archive (.zip with an index page) --------------------------------------------


@dataclass(frozen=True)
class Bundle:
    file: IO[bytes]  # the zip, positioned at its start
    filename: str
    included: int
    left_out: int


def _entry_name(document: Document) -> str:
    safe = "".join(c for c in document.original_name if c not in '/\\:*?"<>|') or "file"
    return f"{document.deal.number or document.deal_id}/{document.pk}-{document.get_kind_display()}-{safe}"


@transaction.atomic
def client_archive_build(*, client: Client, by: Agent) -> Bundle:
    """The documents of the client's deals that ``by`` sees, with ``index.html`` listing each file,
    its kind, date and SHA-256. Files ``by`` may not download are left out and named in the index;
    every file put in is a logged download, every one left out a logged refusal."""
    rows: list[tuple[Document, str | None]] = []
    for document in client_documents(by, client):
        refusal = download_refusal(by, document)
        _log(document=document, by=by, via=Via.ZIP, refusal=refusal)
        rows.append((document, refusal))
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as bundle:
        for document, refusal in rows:
            if refusal is None:
                with document.file.open("rb") as source, bundle.open(_entry_name(document), "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
        bundle.writestr("index.html", _index_page(client=client, by=by, rows=rows))
    spool.seek(0)
    left_out = sum(1 for _d, refusal in rows if refusal is not None)
    return Bundle(
        file=spool,
        filename=f"archive-client-{client.pk}-{timezone.localdate():%Y%m%d}.zip",
        included=len(rows) - left_out,
        left_out=left_out,
    )


def _index_page(*, client: Client, by: Agent, rows: list[tuple[Document, str | None]]) -> str:
    e = html.escape
    lines = []
    for document, refusal in rows:
        file_cell = (
            f'<a href="{e(_entry_name(document))}">{e(document.original_name)}</a>'
            if refusal is None
            else f"{e(document.original_name)}<br><small>{e(_('未包含'))}：{e(refusal)}</small>"
        )
        lines.append(
            "<tr>"
            f"<td>{e(str(document.deal.number))}</td>"
            f"<td>{e(document.get_kind_display())}</td>"
            f"<td>{file_cell}</td>"
            f"<td>{e(format_date(document.uploaded_at))}</td>"
            f"<td>{e(filesizeformat(document.size))}</td>"
            f'<td><code class="sha256">{e(document.sha256)}</code></td>'
            "</tr>"
        )
    title = _("%(name)s 的交易资料") % {"name": client.name}
    headers = "".join(
        f"<th>{e(h)}</th>"
        for h in (_("交易编号"), _("资料类型"), _("文件"), _("上传日期"), _("大小"), "SHA-256")
    )
    made = _("%(by)s 于 %(at)s 导出，共 %(n)s 份。") % {
        "by": by.name,
        "at": format_datetime(timezone.now()),
        "n": len(rows),
    }
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:4px;text-align:left;vertical-align:top}"
        "code{word-break:break-all;font-size:.8em}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{e(made)}</p>"
        f"<table><thead><tr>{headers}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
        "</body></html>"
    )
