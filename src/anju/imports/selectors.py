"""Reads of the import app: the import jobs a viewer may follow, and who ``--as`` names."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anju.clients.selectors import clients_visible
from anju.core.errors import ApplicationError
from anju.imports.models import ImportJob
from anju.listings.selectors import listings_visible
from anju.org.models import Agent, Role
from anju.org.scoping import in_company


def agent_by_username(username: str) -> Agent:
    """The active employee behind a login name (for ``--as`` on the command line)."""
    user = get_user_model().objects.filter(username=username).select_related("agent").first()
    agent = getattr(user, "agent", None) if user is not None else None
    if agent is None or not agent.is_active:
        raise ApplicationError(_("没有用户名为“%(username)s”的在职员工。") % {"username": username})
    return agent


def import_jobs_of(viewer: Agent) -> QuerySet[ImportJob]:
    """The viewer's own jobs; an administrator sees the company's."""
    jobs = in_company(ImportJob.objects.select_related("created_by"), viewer)
    if viewer.role != Role.ADMIN:
        jobs = jobs.filter(created_by=viewer)
    return jobs.order_by("-created_at", "-id")


def access_import_job(viewer: Agent, job_id: int) -> ImportJob:
    """A job, 404 when it is another company's (or absent), 403 when it is a colleague's."""
    job = in_company(ImportJob.objects.select_related("created_by"), viewer).filter(pk=job_id).first()
    if job is None:
        raise Http404(_("没有找到该导入任务。"))
    if job.created_by_id != viewer.pk and viewer.role != Role.ADMIN:
        raise PermissionDenied(_("这是其他员工的导入任务，您无权查看。"))
    return job


def job_percent(job: ImportJob) -> int:
    """How far the job is, 0–100: checking counts for the first half unless it is a dry run."""
    if job.finished:
        return 100
    if not job.total:
        return 0
    passes = 1 if job.dry_run else 2
    return min(99, int(100 * (job.processed + job.written) / (job.total * passes)))


def export_size(viewer: Agent, kind: str) -> int | None:
    """How many rows an export of ``kind`` writes for this viewer (what they may see); ``None``
    when there is no such export."""
    if kind == "clients":
        return clients_visible(viewer).count()
    if kind == "listings":
        return listings_visible(viewer).count()
    return None
