"""The import framework: malformed files, spreadsheet extents, dead workers, checks and writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from anju.clients.models import Client
from anju.core.errors import ConflictError
from anju.imports.framework import import_file
from anju.imports.listings import ListingImport, flats_by_address
from anju.imports.models import ImportJob
from anju.imports.services import import_job_repeat, import_job_run, import_jobs_recover
from anju.imports.tasks import recover_import_jobs
from anju.listings.models import Listing, Property
from tests.factories import PropertyFactory
from tests.imports.conftest import CLIENT_HEADER, LISTING_HEADER, csv_file, listing_line


def anju_import(*arguments):
    call_command("import", *arguments, "--as", "zhangwei", "--no-progress")


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_an_unterminated_quote_is_a_bad_row_with_skip_bad_and_the_rows_after_it_come_in(
    tmp_path, agent, capsys
):
    # given: 20 clients; the 5th opens a quote in its note and never closes it
    lines = [CLIENT_HEADER] + [f"客户{n},1381111{n:04d},,,备注" for n in range(2, 22)]
    lines[4] = '客户5,13811110005,,,"南北通透'
    file = write(tmp_path / "客户.csv", lines)
    report = tmp_path / "问题.csv"
    # when
    anju_import("clients", str(file), "--skip-bad", "--report", str(report))
    # then: 19 rows written, the 5th reported at its line with the reason
    out = capsys.readouterr().out
    assert "第 5 行：此行的引号没有闭合" in out
    assert "共 20 行，没有问题的 19 行，有问题的 1 行" in out
    assert Client.objects.count() == 19
    assert not Client.objects.filter(name="客户5").exists()
    assert Client.objects.filter(name="客户21").exists()
    assert "5,此行的引号没有闭合" in report.read_text(encoding="utf-8-sig")


def test_an_unterminated_quote_without_skip_bad_refuses_the_file(tmp_path, agent, capsys):
    lines = [CLIENT_HEADER, "张三,13811112222,,,", '李四,13811113333,,,"备注', "王五,13811114444,,,"]
    file = write(tmp_path / "客户.csv", lines)
    with pytest.raises(Exception, match="1 行有问题，没有写入任何数据"):
        anju_import("clients", str(file))
    assert "第 3 行：此行的引号没有闭合" in capsys.readouterr().out
    assert not Client.objects.exists()


# --- a worker that died ----------------------------------------------------------------------------


def left_by_a_dead_worker(agent, lines, *, status="writing", attempts=1, lease_ago=dt.timedelta(minutes=5)):
    """An import job as a worker that died leaves it: 写入中, its lease run out, nothing written."""
    job = ImportJob(
        company_id=agent.company_id,
        kind="clients",
        original_name="客户.csv",
        created_by=agent,
        status=status,
        attempts=attempts,
        started_at=timezone.now() - dt.timedelta(minutes=10),
        lease_until=timezone.now() - lease_ago,
    )
    job.file.save("客户.csv", ContentFile(("\r\n".join(lines) + "\r\n").encode()), save=False)
    job.save()
    return job


def test_a_job_left_writing_by_a_dead_worker_is_taken_up_again_by_the_worker(
    agent, django_capture_on_commit_callbacks
):
    # given
    job = left_by_a_dead_worker(agent, [CLIENT_HEADER, "张三,13811112222,,,", "李四,13811113333,,,"])
    # when: the worker's periodic task runs (the queue in immediate mode)
    with django_capture_on_commit_callbacks(execute=True):
        recover_import_jobs.call_local()
    # then: run again from the start, and written once
    job.refresh_from_db()
    assert (job.status, job.written, job.attempts, job.lease_until) == ("done", 2, 2, None)
    assert sorted(Client.objects.values_list("name", flat=True)) == ["张三", "李四"]


def test_a_job_whose_worker_is_alive_is_left_alone(agent, django_capture_on_commit_callbacks):
    # given: the lease still runs
    job = left_by_a_dead_worker(
        agent, [CLIENT_HEADER, "张三,13811112222,,,"], lease_ago=-dt.timedelta(minutes=1)
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == []
        assert import_job_run(job_id=job.pk) is None  # a second delivery does nothing either
    # then
    job.refresh_from_db()
    assert job.status == "writing"
    assert not Client.objects.exists()


def test_a_job_that_died_every_time_fails_with_nothing_written_and_can_be_run_again(
    agent, django_capture_on_commit_callbacks
):
    # given: the file's job died three times
    job = left_by_a_dead_worker(agent, [CLIENT_HEADER, "张三,13811112222,,,"], attempts=3)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == []
    # then: failed, nothing written, and re-importing is not refused
    job.refresh_from_db()
    assert job.status == "failed"
    assert "多次中断，没有写入任何数据" in job.message
    assert not Client.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = import_job_repeat(job=job, by=agent, skip_bad=False)
    again.refresh_from_db()
    assert (again.status, again.written) == ("done", 1)


def test_an_abandoned_job_can_be_imported_again_at_once_and_is_not_run_twice(
    agent, django_capture_on_commit_callbacks
):
    # given
    job = left_by_a_dead_worker(agent, [CLIENT_HEADER, "张三,13811112222,,,"])
    # when: its owner imports it again before the worker's periodic task came by
    with django_capture_on_commit_callbacks(execute=True):
        again = import_job_repeat(job=job, by=agent, skip_bad=False)
        assert import_jobs_recover() == []
    # then
    job.refresh_from_db()
    again.refresh_from_db()
    assert (job.status, again.status, again.written) == ("failed", "done", 1)
    assert Client.objects.count() == 1


# --- checks before the write, constraints inside it ------------------------------------------------


def test_a_flat_added_by_someone_else_between_the_checks_and_the_write_is_refused_with_its_line(
    agent, community
):
    # given: a file of two new flats; while it is being checked, a colleague adds the second one
    file = csv_file([LISTING_HEADER, listing_line(room="1501"), listing_line(room="1502")])
    added = []

    def meanwhile(rows):
        added.append(
            PropertyFactory(
                company=agent.company, community=community, building="3", unit="1", room_number="1502"
            )
        )

    # when
    with pytest.raises(ConflictError) as refused:
        import_file(
            handler_class=ListingImport,
            importer=agent,
            source=file,
            filename="房源.csv",
            before_write=meanwhile,
        )
    # then: the database refused it, nothing of the file was written, and the line is named
    assert f"第 3 行：该房屋刚被他人录入（房屋编号 {added[0].pk}），请重新导入" in refused.value.message
    assert refused.value.extra["bad_rows"][0]["line"] == 3
    assert not Listing.objects.exists()
    assert list(Property.objects.values_list("room_number", flat=True)) == ["1502"]


def test_the_duplicate_check_compares_whole_addresses(agent, community):
    # given: flats that share the room number or the building with the file's, but not the address
    for building, room in (("3", "9"), ("4", "1502"), ("3", "1502")):
        PropertyFactory(
            company=agent.company, community=community, building=building, unit="2", room_number=room
        )
    reused = PropertyFactory(
        company=agent.company, community=community, building="3", unit="1", room_number="1502"
    )
    # when
    found = flats_by_address(
        agent.company_id,
        {(community.pk, "3", "1", "1502"), (community.pk, "3", "1", "9"), (community.pk, None, None, None)},
    )
    # then
    assert found == {(community.pk, "3", "1", "1502"): reused.pk}


# --- a mapping a person writes, and the preview of a check ------------------------------------------

PORTAL_HEADER = "小区名字,区县,楼栋,单元,门牌号,所在楼层,总楼层,户型,建筑面积,朝向,装修情况,挂牌价"


def portal_line(room: str, decoration: str) -> str:
    return f"万科城市花园,洪山区,3栋,1,{room},15,18,3室2厅1卫,89.5,南北,{decoration},320万"


def test_a_dry_run_shows_how_each_column_was_read_and_suggests_a_mapping_a_person_completes(
    tmp_path, agent, community, capsys
):
    # given: a header the import does not know, and decorations spelled as one portal does
    file = write(
        tmp_path / "房源.csv",
        [
            PORTAL_HEADER,
            portal_line("1501", "精装"),
            portal_line("1502", "精装"),
            portal_line("1503", "拎包入住"),
        ],
    )
    suggested = tmp_path / "对照表.csv"
    # when: checked without a mapping (refused as a whole: no 小区 column)
    with pytest.raises(CommandError, match="缺少必需的列：小区"):
        anju_import("listings", str(file), "--dry-run", "--suggest-mapping", str(suggested))
    # then: the unknown header is proposed as 小区, the unreadable value is listed to fill in
    assert suggested.read_text(encoding="utf-8-sig").splitlines() == [
        "源列名,标准列名",
        "小区名字,小区",
        "装修,拎包入住,",
    ]
    # when: the person completes it (拎包入住 is 精装 here) and checks again with it
    suggested.write_text("源列名,标准列名\n小区名字,小区\n装修,拎包入住,精装\n", encoding="utf-8")
    capsys.readouterr()
    anju_import("listings", str(file), "--dry-run", "--mapping", str(suggested))
    # then: every row is good, and the preview shows each value as in the file and as read
    out = capsys.readouterr().out
    assert "共 3 行，没有问题的 3 行，有问题的 0 行（只检查，未写入）" in out
    assert "  装修：精装 → 精装 ×2；拎包入住 → 精装 ×1" in out
    assert "  户型：3室2厅1卫 → 3室2厅1卫 ×3" in out
    assert "  挂牌价（元）：320万 → 3200000 ×3" in out
    assert "  门牌号：1501 → 1501 ×1；1502 → 1502 ×1；1503 → 1503 ×1" in out
    # and it imports
    anju_import("listings", str(file), "--mapping", str(suggested))
    assert sorted(Property.objects.values_list("decoration", flat=True)) == ["fine", "fine", "fine"]


def test_a_mapping_value_the_column_does_not_accept_is_refused_before_anything_is_read(tmp_path, agent):
    # given
    file = write(tmp_path / "房源.csv", [PORTAL_HEADER])
    mapping = tmp_path / "对照表.json"
    mapping.write_text(
        '{"列名": {"小区名字": "小区"}, "取值": {"装修": {"拎包入住": "很好"}}}', encoding="utf-8"
    )
    # when / then
    with pytest.raises(CommandError, match="对照表有误：装修“很好”无效，可填：毛坯、简装、精装、豪装"):
        anju_import("listings", str(file), "--mapping", str(mapping))


def test_the_import_page_previews_the_reading_and_its_report_repeats_each_bad_row(
    web, agent, community, django_capture_on_commit_callbacks
):
    # given
    lines = [LISTING_HEADER, listing_line(room="1501"), listing_line(room="1502", price="面议")]
    file = SimpleUploadedFile("房源.csv", ("\r\n".join(lines) + "\r\n").encode())
    # when: checked on the page
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/imports/", {"kind": "listings", "file": file, "action": "check"})
    # then
    job = ImportJob.objects.get()
    page = web.get(response["Location"]).content.decode()
    assert 'data-testid="readings"' in page
    assert (
        '<li data-raw="精装"><span class="text-break">精装</span> → <span class="text-break">精装</span>'
        in page
    )
    assert (
        '<li data-raw="320万"><span class="text-break">320万</span> → <span class="text-break">3200000</span>'
        in page
    )
    report = web.get(f"/imports/{job.pk}/report.csv").content.decode("utf-8-sig")
    assert report.splitlines() == [f"行号,问题,{LISTING_HEADER}", f"3,价格“面议”不是数字,{lines[2]}"]
