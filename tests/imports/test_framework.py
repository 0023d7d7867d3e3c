"""The import framework: malformed files, spreadsheet extents, dead workers, checks and writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
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
    call_command(
        "import",
        "clients",
        str(file),
        "--as",
        "zhangwei",
        "--skip-bad",
        "--report",
        str(report),
        "--no-progress",
    )
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
        call_command("import", "clients", str(file), "--as", "zhangwei", "--no-progress")
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
