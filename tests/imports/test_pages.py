"""The 导入与导出 page: upload, a background job with progress, the report; Excel downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from anju.clients.models import Client
from anju.imports.models import ImportJob
from anju.imports.services import import_job_create, import_job_run
from anju.imports.tasks import run_import_job
from anju.listings.models import Listing
from tests.conftest import login
from tests.factories import ClientFactory
from tests.imports.conftest import CLIENT_HEADER, LISTING_HEADER, listing_line


def upload(name: str, lines: list[str], encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def post_import(web, capture, *, kind="clients", file, action="import", **fields):
    with capture(execute=True):
        return web.post("/imports/", {"kind": kind, "file": file, "action": action, **fields})


def test_the_page_offers_upload_templates_and_exports(web):
    page = web.get("/imports/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "只检查" in page and "检查并导入" in page
    assert 'href="/exports/clients.xlsx"' in page
    assert 'href="/imports/template/listings.csv"' in page


def test_a_file_with_bad_rows_ends_in_a_line_numbered_report_and_nothing_written(
    web, agent, community, django_capture_on_commit_callbacks
):
    # given
    file = upload("房源.csv", [LISTING_HEADER, listing_line(room="1"), listing_line(room="2", price="面议")])
    # when
    response = post_import(web, django_capture_on_commit_callbacks, kind="listings", file=file)
    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{job.pk}/"
    assert (job.status, job.total, job.bad_count, job.written) == ("done", 2, 1, 0)
    page = web.get(f"/imports/{job.pk}/").content.decode()
    assert '<tr data-line="3"><td>3</td><td class="text-break">价格“面议”不是数字</td></tr>' in page
    assert "其中 1 行有问题，没有写入任何数据" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: the page stops polling
    assert not Listing.objects.exists()
    report = web.get(f"/imports/{job.pk}/report.csv")
    assert report["Content-Type"].startswith("text/csv")
    assert report.content.decode("utf-8-sig").splitlines() == [
        "行号,问题," + LISTING_HEADER,
        "3,价格“面议”不是数字," + listing_line(room="2", price="面议"),
    ]


def test_the_good_rows_can_then_be_imported_without_uploading_again(
    web, agent, community, django_capture_on_commit_callbacks
):
    # given: a finished check with one bad row
    file = upload("房源.csv", [LISTING_HEADER, listing_line(room="1"), listing_line(room="2", area="0")])
    post_import(web, django_capture_on_commit_callbacks, kind="listings", file=file, action="check")
    checked = ImportJob.objects.get()
    assert checked.dry_run and not Listing.objects.exists()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(f"/imports/{checked.pk}/again/", {"skip_bad": "1"})
    # then
    again = ImportJob.objects.exclude(pk=checked.pk).get()
    assert response["Location"] == f"/imports/{again.pk}/"
    assert (again.dry_run, again.skip_bad, again.written) == (False, True, 1)
    assert "已导入 1 行（共 2 行）" in web.get(f"/imports/{again.pk}/").content.decode()
    assert Listing.objects.count() == 1


def test_a_clean_check_offers_to_import_and_importing_writes_every_row(
    web, agent, django_capture_on_commit_callbacks
):
    file = upload("客户.csv", [CLIENT_HEADER, "张三,13811112222,,,", "李四,13811113333,,,"], encoding="gbk")
    post_import(web, django_capture_on_commit_callbacks, file=file, action="check")
    checked = ImportJob.objects.get()
    assert 'data-testid="import-now"' in web.get(f"/imports/{checked.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        web.post(f"/imports/{checked.pk}/again/")
    assert sorted(Client.objects.values_list("name", flat=True)) == ["张三", "李四"]


def test_a_running_job_is_polled_and_shows_its_progress(web, agent):
    # given: a job whose worker has not finished (no on-commit run here)
    job = import_job_create(importer=agent, kind="clients", file=upload("客户.csv", [CLIENT_HEADER]))
    ImportJob.objects.filter(pk=job.pk).update(status="running", total=1000, processed=500)
    # when
    fragment = web.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    # then
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="25"' in fragment  # half checked, nothing written yet
    assert "已检查 500 / 1000 行" in fragment


def test_a_file_that_cannot_be_read_fails_the_job_with_the_reason(
    web, agent, django_capture_on_commit_callbacks
):
    post_import(web, django_capture_on_commit_callbacks, file=upload("客户.csv", ["姓名,备注", "张三,"]))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "缺少必需的列：手机。" in web.get(f"/imports/{job.pk}/").content.decode()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"file": SimpleUploadedFile("客户.pdf", b"%PDF")}, "只支持 CSV 和 XLSX 文件。"),
        (
            {
                "file": SimpleUploadedFile("客户.csv", b"x"),
                "mapping": SimpleUploadedFile("m.json", b'{"a": "b"}'),
            },
            "对照表中的“b”不是标准列名",
        ),
    ],
)
def test_bad_uploads_are_refused_on_the_form_and_nothing_is_queued(web, agent, fields, error):
    page = web.post("/imports/", {"kind": "clients", "action": "import", **fields}).content.decode()
    assert error in page
    assert not ImportJob.objects.exists()


def test_a_job_runs_once_even_when_delivered_twice(agent):
    job = import_job_create(
        importer=agent, kind="clients", file=upload("客户.csv", [CLIENT_HEADER, "张三,13811112222,,,"])
    )
    assert import_job_run(job_id=job.pk).written == 1
    assert import_job_run(job_id=job.pk) is None
    assert Client.objects.count() == 1


def test_a_job_queued_under_the_task_name_before_the_import_app_still_runs(agent):
    # given: a queued job, and its message as a worker reads it back from the queue
    job = import_job_create(
        importer=agent, kind="clients", file=upload("客户.csv", [CLIENT_HEADER, "张三,13811112222,,,"])
    )
    stored = HUEY.serializer.serialize(HUEY._registry.create_message(run_import_job.s(job.pk)))
    message = HUEY.serializer.deserialize(stored)
    # when
    HUEY.execute(HUEY._registry.create_task(message))
    # then: the name is the one deployments queued under when the task lived in core
    assert message.name == "anju.core.tasks.run_import_job"
    assert ImportJob.objects.get().written == 1
    assert Client.objects.count() == 1


def test_jobs_are_private_to_who_uploaded_them(agent, colleague, admin_agent, stranger):
    # given
    job = import_job_create(importer=colleague, kind="clients", file=upload("客户.csv", [CLIENT_HEADER]))
    # then
    assert login(agent).get(f"/imports/{job.pk}/").status_code == 403
    assert login(agent).get(f"/imports/{job.pk}/report.csv").status_code == 403
    assert login(agent).post(f"/imports/{job.pk}/again/").status_code == 403
    assert login(stranger).get(f"/imports/{job.pk}/").status_code == 404
    assert login(admin_agent).get(f"/imports/{job.pk}/").status_code == 200
    assert login(colleague).get(f"/imports/{job.pk}/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in ("/imports/", "/exports/clients.xlsx", "/imports/template/clients.csv"):
        assert client.get(path)["Location"].startswith("/login/")


def test_export_downloads_what_the_agent_may_see_masked(web, agent, colleague, stranger):
    # given
    ClientFactory(owner=agent, name="自己的", mobile="13800001111")
    ClientFactory(owner=colleague, name="同事的", mobile="13800002222")
    ClientFactory(owner=None, store=None, company=agent.company, name="公客", mobile="13900003333")
    ClientFactory(owner=None, store=None, company=stranger.company, name="别家公客", mobile="13900004444")
    # when
    response = web.get("/exports/clients.xlsx")
    # then
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = sorted((row[0], row[1]) for row in list(sheet.iter_rows(values_only=True))[1:])
    assert rows == [("公客", "139****3333"), ("自己的", "13800001111")]
    assert web.get("/exports/other.xlsx").status_code == 404


def test_the_template_has_the_standard_headers(web):
    body = web.get("/imports/template/clients.csv").content.decode("utf-8-sig")
    assert body.startswith("姓名,手机,性别,来源")
    assert web.get("/imports/template/other.csv").status_code == 404


@pytest.mark.parametrize("path", ["/clients/", "/listings/"])
def test_the_client_and_listing_lists_link_to_import_and_export(web, path):
    page = web.get(path).content.decode()
    assert 'href="/imports/" data-testid="imports-link"' in page


def test_an_export_too_big_for_the_page_points_to_the_command(web, agent, monkeypatch):
    # given
    from anju.web.views import imports as views

    monkeypatch.setattr(views, "WEB_EXPORT_LIMIT", 1)
    ClientFactory.create_batch(2, owner=agent)
    # when
    response = web.get("/exports/clients.xlsx", follow=True)
    # then
    assert response.redirect_chain == [("/imports/", 302)]
    assert (
        "共有 2 行，超过网页导出上限 1 行。请让管理员在服务器上运行 anju export 导出。"
        in response.content.decode()
    )
