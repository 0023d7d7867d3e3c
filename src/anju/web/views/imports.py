"""导入与导出: upload a spreadsheet of clients, listings, communities or follow-ups, follow the check, download the report;
export what the viewer may see to Excel."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.errors import ApplicationError
from anju.geo.rules import may_edit_dictionary
from anju.imports.clients import COLUMNS as CLIENT_COLUMNS
from anju.imports.clients import FOLLOW_UP_COLUMNS
from anju.imports.communities import COLUMNS as COMMUNITY_COLUMNS
from anju.imports.exports import export_kind
from anju.imports.framework import bad_rows_csv
from anju.imports.listings import COLUMNS as LISTING_COLUMNS
from anju.imports.models import ImportJob
from anju.imports.selectors import access_import_job, export_size, import_jobs_of, job_percent
from anju.imports.services import import_job_create, import_job_repeat
from anju.org.models import Agent
from anju.web.forms.imports import ImportForm
from anju.web.views.base import HtmxRequest, agent_required

# Rows an export may have to be downloaded from the page: openpyxl writes about 3,000 listing rows
# a second, and a web request must finish well within the server's 30-second limit.
WEB_EXPORT_LIMIT = 30_000
REPORT_ROWS_SHOWN = 50
COLUMN_HELP = {
    ImportJob.Kind.CLIENTS: CLIENT_COLUMNS,
    ImportJob.Kind.LISTINGS: LISTING_COLUMNS,
    ImportJob.Kind.COMMUNITIES: COMMUNITY_COLUMNS,
    ImportJob.Kind.FOLLOWUPS: FOLLOW_UP_COLUMNS,
}


@agent_required
def imports(request: HtmxRequest, agent: Agent) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = import_job_create(
                importer=agent,
                kind=data["kind"],
                file=data["file"],
                mapping_file=data["mapping"],
                dry_run=request.POST.get("action") != "import",
                skip_bad=data["skip_bad"],
                options=form.options(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("web:import_job", job_id=job.pk)
    return render(
        request,
        "web/imports/index.html",
        {
            "form": form,
            "jobs": import_jobs_of(agent)[:10],
            "column_help": [(kind, ImportJob.Kind(kind).label, cols) for kind, cols in COLUMN_HELP.items()],
            "may_import_communities": may_edit_dictionary(agent.user),
        },
    )


@agent_required
def import_job(request: HtmxRequest, agent: Agent, job_id: int) -> HttpResponse:
    job = access_import_job(agent, job_id)
    context = {
        "job": job,
        "percent": job_percent(job),
        "bad_rows": job.bad_rows[:REPORT_ROWS_SHOWN],
        "more_bad_rows": max(0, job.bad_count - REPORT_ROWS_SHOWN),
    }
    template = "web/imports/job.html#status" if request.htmx else "web/imports/job.html"
    return render(request, template, context)


@require_POST
@agent_required
def import_job_again(request: HtmxRequest, agent: Agent, job_id: int) -> HttpResponse:
    job = access_import_job(agent, job_id)
    try:
        again = import_job_repeat(job=job, by=agent, skip_bad=request.POST.get("skip_bad") == "1")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:import_job", job_id=job.pk)
    return redirect("web:import_job", job_id=again.pk)


@agent_required
def import_report(request: HtmxRequest, agent: Agent, job_id: int) -> HttpResponse:
    job = access_import_job(agent, job_id)
    response = HttpResponse(
        bad_rows_csv(job.bad_rows, job.header).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response


@agent_required
def import_template(request: HtmxRequest, agent: Agent, kind: str) -> HttpResponse:
    """An empty file with the standard headers, ready to fill in Excel."""
    columns = COLUMN_HELP.get(kind)  # type: ignore[call-overload]
    if columns is None:
        raise Http404(_("没有这种导入模板。"))
    body = ",".join(column.header for column in columns) + "\r\n"
    response = HttpResponse(body.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="anju-{kind}-template.csv"'
    return response


@agent_required
def export(request: HtmxRequest, agent: Agent, kind: str) -> HttpResponse:
    count = export_size(agent, kind)
    if count is None:
        raise Http404(_("没有这种导出。"))
    if count > WEB_EXPORT_LIMIT:
        messages.error(
            request,
            _("共有 %(count)d 行，超过网页导出上限 %(limit)d 行。请让管理员在服务器上运行 anju export 导出。")
            % {"count": count, "limit": WEB_EXPORT_LIMIT},
        )
        return redirect("web:imports")
    # Under the limit the workbook is a few megabytes: built in memory, sent in one piece.
    out = io.BytesIO()
    export_kind(kind)(viewer=agent, out=out)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="anju-{kind}-{stamp}.xlsx"'
    return response
