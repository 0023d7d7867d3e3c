"""Import jobs (导入任务): an upload is stored, then checked and written by a background job.

The 导入 page creates the job and polls it; the job (``anju.imports.tasks.run_import_job``) runs the
same import as ``anju import`` and records its progress and its bad-row report on the job.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import PurePath
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
from anju.core.jobs import enqueue_on_commit
from anju.core.tabular import SUFFIXES, FileMapping, read_mapping
from anju.geo.rules import may_edit_dictionary
from anju.imports.framework import ended_note, import_file
from anju.imports.kinds import import_handler, kind_options
from anju.imports.models import ImportJob
from anju.org.models import Agent

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_MAPPING_BYTES = 64 * 1024
# The job writes its progress at most this often: enough for a bar polled every second.
PROGRESS_SECONDS = 0.5
# A worker renews its job's lease with each progress write; a job whose lease ran out was left by
# a worker that died. The write transaction's lease also allows this many rows a second, slowly.
LEASE = dt.timedelta(minutes=2)
WRITE_ROWS_PER_SECOND = 1000
# What an abandoned job (its worker died) says once given up.
ABANDONED = gettext_lazy("处理这个文件的后台任务中断了，没有写入任何数据，已重新导入。")
# A file whose job died this many times (it may be what kills the worker) is not run again.
MAX_ATTEMPTS = 3


# --- writes ----------------------------------------------------------------------------------------


def _check_upload(file: UploadedFile | IO[bytes], name: str) -> None:
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise ApplicationError(_("只支持 CSV 和 XLSX 文件。"), code="import_file_type")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("文件太大（超过 %(mb)d MB），请分成几个文件导入。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="import_file_too_big",
        )
    if size == 0:
        raise ApplicationError(_("文件是空的。"), code="import_file_empty")


@transaction.atomic
def import_job_create(
    *,
    importer: Agent,
    kind: str,
    file: UploadedFile,
    mapping_file: UploadedFile | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Store the upload and queue its import with the kind's ``options`` (those of the command line,
    see ``kinds.import_handler``); a bad mapping file, or a kind the importer may not import, is
    refused before anything is stored."""
    from anju.imports.tasks import run_import_job

    options = kind_options(kind, options or {})
    handler_class = import_handler(kind, options)
    if kind == ImportJob.Kind.COMMUNITIES and not may_edit_dictionary(importer.user):
        raise ApplicationError(_("只有店长和管理员可以修改楼盘字典。"), code="dictionary_edit_forbidden")
    name = PurePath(file.name or "").name
    _check_upload(file, name)
    mapping = FileMapping()
    if mapping_file is not None:
        if (mapping_file.size or 0) > MAX_MAPPING_BYTES:
            raise ApplicationError(_("对照表太大。"), code="mapping_too_big")
        mapping = read_mapping(
            mapping_file.read(),
            filename=mapping_file.name or "",
            columns=handler_class.columns,
            choices=handler_class.value_choices,
        )
    job = ImportJob(
        company_id=importer.company_id,
        kind=kind,
        original_name=name[:200],
        mapping=mapping.as_json(),
        options=options,
        created_by=importer,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )
    job.file.save(name, file, save=False)
    job.save()
    enqueue_on_commit(run_import_job, job.pk)
    return job


@transaction.atomic
def import_job_repeat(*, job: ImportJob, by: Agent, skip_bad: bool) -> ImportJob:
    """Import for real the file of a finished check (只检查), without uploading it again."""
    from anju.imports.tasks import run_import_job

    if job.created_by_id != by.pk:
        raise ApplicationError(_("只能导入自己上传的文件。"), code="import_not_yours")
    if not job.finished and not job.abandoned:
        raise ApplicationError(_("这个任务还没有完成。"), code="import_running")
    if job.abandoned:
        # Its worker died: it is given up (nothing of it was written), so it is not run twice.
        ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=job.status).update(
            status=ImportJob.Status.FAILED,
            message=ABANDONED,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
            lease_until=None,
        )
    again = ImportJob.objects.create(
        company_id=job.company_id,
        kind=job.kind,
        file=job.file.name,
        original_name=job.original_name,
        mapping=job.mapping,
        options=job.options,
        created_by=by,
        dry_run=False,
        skip_bad=skip_bad,
    )
    enqueue_on_commit(run_import_job, again.pk)
    return again


def _lease(now: dt.datetime, rows: int = 0) -> dt.datetime:
    """Until when a worker holds its job: renewed with each progress write, longer for the write
    transaction (during which nobody sees its progress), in step with the rows to write."""
    return now + LEASE + dt.timedelta(seconds=rows / WRITE_ROWS_PER_SECOND)


def _claim(job_id: int) -> int | None:
    """Take a queued job, or one whose worker died (its lease ran out): the attempt now run."""
    now = timezone.now()
    claimable = Q(status=ImportJob.Status.QUEUED) | Q(
        status__in=(ImportJob.Status.RUNNING, ImportJob.Status.WRITING),
        lease_until__lt=now,
        attempts__lt=MAX_ATTEMPTS,
    )
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(claimable, pk=job_id).first()
        if job is None:
            return None
        attempt = job.attempts + 1
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.RUNNING,
            started_at=now,
            lease_until=_lease(now),
            attempts=attempt,
            processed=0,
            written=0,
        )
    return attempt


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a job once: a job delivered twice finds it taken and does nothing, unless the worker
    that took it died (its lease ran out), when it is run again from the start — its write
    transaction never committed, so nothing of it was written."""
    attempt = _claim(job_id)
    if attempt is None:
        return None
    mine = ImportJob.objects.filter(pk=job_id, attempts=attempt)  # no longer mine once taken over
    job = ImportJob.objects.select_related("created_by__user", "created_by__company").get(pk=job_id)
    importer = job.created_by
    passes = 1 if job.dry_run else 2
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        rows = max(total // passes, 1)
        now = time.monotonic()
        boundary = done in (rows, total)  # checking finished, or everything
        if now - last < PROGRESS_SECONDS and not boundary:
            return
        last = now
        fields: dict[str, Any] = {"total": rows, "processed": min(done, rows), "written": max(0, done - rows)}
        if not transaction.get_connection().in_atomic_block:
            fields["lease_until"] = _lease(timezone.now())
        mine.update(**fields)

    def writing(rows: int) -> None:
        # The write transaction starts now: its progress is seen only at commit, so the lease
        # covers the whole write.
        mine.update(status=ImportJob.Status.WRITING, lease_until=_lease(timezone.now(), rows))

    outcome: dict[str, Any]
    try:
        if not importer.is_active:
            raise ApplicationError(_("导入人的账号已停用。"))
        with job.file.open("rb") as source:
            result = import_file(
                handler_class=import_handler(job.kind, job.options),
                importer=importer,
                source=source,
                filename=job.original_name,
                mapping=FileMapping.from_json(job.mapping),
                dry_run=job.dry_run,
                skip_bad=job.skip_bad,
                progress=progress,
                before_write=writing,
            )
    except ApplicationError as exc:
        outcome = {"status": ImportJob.Status.FAILED, "message": exc.message[:500]}
    except Exception:
        logger.exception("import job %s failed", job_id)
        outcome = {
            "status": ImportJob.Status.FAILED,
            "message": _("导入时出现意外错误，没有写入任何数据。请联系管理员。"),
        }
    else:
        outcome = {
            "status": ImportJob.Status.DONE,
            "total": result.rows,
            "processed": result.rows,
            "written": result.written,
            "bad_count": len(result.bad_rows),
            "bad_rows": [bad.as_dict() for bad in result.bad_rows],
            "header": result.header,
            "readings": [reading.as_dict() for reading in result.readings],
            "message": " ".join(
                note
                for note in (
                    _("未使用的列：%(columns)s") % {"columns": "、".join(result.ignored_columns)}
                    if result.ignored_columns
                    else "",
                    "；".join(result.notes) + "。" if result.notes else "",
                    ended_note(result),
                )
                if note
            )[:500],
        }
    mine.update(finished_at=timezone.now(), updated_at=timezone.now(), lease_until=None, **outcome)
    job.refresh_from_db()
    return job


def import_jobs_recover() -> list[int]:
    """Jobs left 检查中/写入中 by a worker that died: run again (their write never committed), or
    after ``MAX_ATTEMPTS`` runs that all died, failed with nothing written, so they can be re-run.

    Called every minute by the job worker; returns the ids queued again.
    """
    from anju.imports.tasks import run_import_job

    now = timezone.now()
    stale = ImportJob.objects.filter(
        status__in=(ImportJob.Status.RUNNING, ImportJob.Status.WRITING), lease_until__lt=now
    )
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ImportJob.Status.FAILED,
        message=_("处理这个文件的后台任务多次中断，没有写入任何数据。请检查文件后重新导入。"),
        finished_at=now,
        updated_at=now,
        lease_until=None,
    )
    again = list(stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    for job_id in again:
        logger.warning("import job %s was left by a worker that stopped; running it again", job_id)
        enqueue_on_commit(run_import_job, job_id)
    return again
