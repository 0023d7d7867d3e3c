"""``anju backup`` / ``anju restore``: the demo agency survives a round trip table by table and file by
file, on SQLite and on PostgreSQL; a damaged archive, a newer schema and a non-empty target are refused
before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import tarfile
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from anju.core.backup import MANIFEST, backup_create, backup_restore
from anju.core.errors import ApplicationError
from anju.listings.models import ListingMedia
from tests.demo.demo_runs import FROZEN_NOW, run_demo

pytestmark = pytest.mark.layout_unchecked  # transactional tests: the flush empties the layout too


def table_rows(cursor: Any, tables: list[str]) -> dict[str, list[str]]:
    """Every row of every table, as the driver reads it, as text in a stable order (a moment in UTC,
    whatever the connection's time zone)."""

    def plain(value: Any) -> Any:
        return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo else value

    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — names from introspection
        rows[table] = sorted(repr(tuple(plain(value) for value in row)) for row in cursor.fetchall())
    return rows


def source_rows(tables: list[str]) -> dict[str, list[str]]:
    """The rows as the database driver itself reads them (Django's cursor would convert SQLite's)."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        return table_rows(cursor, tables)
    finally:
        cursor.close()


def file_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("media", "archive", "imports", "finance-rules")
        if (root / folder).is_dir()
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


@pytest.fixture
def small_demo(transactional_db) -> None:
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_demo("--listings", "60", "--clients", "40")


def source_tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def rewrite_member(archive_path: Path, name: str, change) -> Path:
    """A copy of the archive with one member's bytes changed by ``change``."""
    damaged = archive_path.with_name("damaged.tar")
    with tarfile.open(archive_path) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == name:
                body = change(body)
                member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    return damaged


def test_the_demo_round_trips_through_a_backup_on_sqlite(small_demo, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip is the test below")
    # given the demo agency, with its photos and deal documents on disk
    assert ListingMedia.objects.exists()
    data_dir = Path(settings.DATA_DIR)
    assert file_digests(data_dir)
    # when it is backed up through the command, and restored into an empty data directory
    archive = tmp_path / "anju.tar"
    out = StringIO()
    call_command("backup", str(archive), "--no-progress", stdout=out, stderr=StringIO())
    assert "已备份到" in out.getvalue()
    target_dir = tmp_path / "restored"
    target_db = target_dir / "anju.sqlite3"
    backup_restore(
        path=archive,
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target_db)},
        data_dir=target_dir,
    )
    # then every table holds the same rows, and every file the same bytes
    tables = source_tables()
    expected = source_rows(tables)
    # read with the types Django's own SQLite connection declares, so both sides convert alike
    restored = sqlite3.connect(target_db, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        assert table_rows(restored.cursor(), tables) == expected
    finally:
        restored.close()
    assert sum(len(rows) for rows in expected.values()) > 1000
    assert file_digests(target_dir) == file_digests(data_dir)
    # and the manifest names the schema version: every applied migration
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile(MANIFEST).read())
    assert ["core", "0001_initial"] in manifest["migrations"]
    assert manifest["engine"] == "sqlite3"


@pytest.fixture
def fresh_postgres_database() -> Iterator[dict[str, Any]]:
    import psycopg

    database = dict(connection.settings_dict)
    name = f"anju_restore_{uuid.uuid4().hex[:12]}"
    admin = {"host": database["HOST"], "port": database["PORT"] or 5432, "user": database["USER"]}
    with psycopg.connect(**admin, password=database["PASSWORD"], dbname="postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield {**database, "NAME": name}
    with psycopg.connect(**admin, password=database["PASSWORD"], dbname="postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_the_demo_round_trips_through_a_backup_on_postgresql(small_demo, tmp_path, request):
    if connection.vendor != "postgresql":
        from tests.conftest import skip_or_fail

        skip_or_fail("postgres", "needs PostgreSQL (DATABASE_URL=postgres://…)")
    import psycopg
    from psycopg.types.string import TextLoader

    target = request.getfixturevalue("fresh_postgres_database")
    # given the demo agency in PostgreSQL, backed up with pg_dump
    archive = tmp_path / "anju.tar"
    backup_create(path=archive, data_dir=Path(settings.DATA_DIR))
    # when it is restored into a fresh database
    target_dir = tmp_path / "restored"
    backup_restore(path=archive, database=target, data_dir=target_dir)
    # then every table holds the same rows
    tables = source_tables()
    expected = source_rows(tables)
    with psycopg.connect(
        host=target["HOST"],
        port=target["PORT"] or 5432,
        user=target["USER"],
        password=target["PASSWORD"],
        dbname=target["NAME"],
    ) as restored:
        # JSON as text, as Django's own connection reads it
        restored.adapters.register_loader("jsonb", TextLoader)
        restored.adapters.register_loader("json", TextLoader)
        assert table_rows(restored.cursor(), tables) == expected
    assert sum(len(rows) for rows in expected.values()) > 1000
    assert file_digests(target_dir) == file_digests(Path(settings.DATA_DIR))
    # and a second restore into the same, now full, database is refused
    with pytest.raises(ApplicationError, match="不是空的"):
        backup_restore(path=archive, database=target, data_dir=tmp_path / "again")


@pytest.fixture
def backup_file(transactional_db, tmp_path) -> Path:
    """A backup of the bare schema (enough for the refusals). Committed, as in production: the online
    backup waits for a writer's transaction, and a test's own never ends while the test runs."""
    archive = tmp_path / "anju.tar"
    backup_create(path=archive, data_dir=Path(settings.DATA_DIR))
    return archive


def empty_target(tmp_path: Path) -> dict[str, Any]:
    if connection.vendor == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "target" / "anju.sqlite3")}
    return dict(connection.settings_dict)  # refused as non-empty or damaged before it is touched


def restore_command(archive: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--no-progress", stdout=StringIO(), stderr=err)
    return str(refused.value)


def test_a_damaged_archive_is_refused_naming_the_member_and_nothing_is_written(backup_file, tmp_path):
    # given a backup whose database bytes were changed after it was written
    member = "database/anju.sqlite3" if connection.vendor == "sqlite" else "database/anju.pgdump"
    damaged = rewrite_member(backup_file, member, lambda body: body[:-1] + bytes([body[-1] ^ 1]))
    target = empty_target(tmp_path)
    # when the command restores it, then it is refused, naming the member, and no database was created
    assert f"{member} 的 SHA-256 校验值与清单不符" in restore_command(damaged)
    with pytest.raises(ApplicationError, match="SHA-256"):
        backup_restore(path=damaged, database=target, data_dir=tmp_path / "target")
    if connection.vendor == "sqlite":
        assert not Path(target["NAME"]).exists()
    # and (positive control) the undamaged original restores into the same target
    if connection.vendor == "sqlite":
        backup_restore(path=backup_file, database=target, data_dir=tmp_path / "target")
        assert Path(target["NAME"]).exists()


def test_a_backup_from_a_newer_version_is_refused_naming_the_unknown_migration(backup_file, tmp_path):
    # given a backup whose database has a migration this code does not know
    def newer(body: bytes) -> bytes:
        manifest = json.loads(body)
        manifest["migrations"].append(["core", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    # (the manifest's checksums cover the other members; the manifest itself is what is read)
    newer_archive = rewrite_member(backup_file, MANIFEST, newer)
    # when it is restored, then it is refused, naming the migration
    with pytest.raises(ApplicationError, match=r"core\.9999_from_the_future") as refused:
        backup_restore(path=newer_archive, database=empty_target(tmp_path), data_dir=tmp_path / "target")
    assert refused.value.code == "backup_newer_schema"


def test_restore_refuses_a_database_that_is_not_empty(backup_file, tmp_path):
    # given a database that already has a table
    if connection.vendor == "sqlite":
        target = empty_target(tmp_path)
        Path(target["NAME"]).parent.mkdir(parents=True)
        with sqlite3.connect(target["NAME"]) as existing:
            existing.execute("CREATE TABLE earlier (id integer)")
    else:
        target = dict(connection.settings_dict)  # the test database itself, full of tables
    # when the archive is restored into it, then it is refused and says why
    with pytest.raises(ApplicationError, match="不是空的") as refused:
        backup_restore(path=backup_file, database=target, data_dir=tmp_path / "target")
    assert refused.value.code == "backup_target_not_empty"


def test_restore_refuses_a_data_directory_with_files(backup_file, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the data directory check follows the database one; shown on SQLite")
    # given an empty database but a data directory that already holds an uploaded photo
    target_dir = tmp_path / "target"
    (target_dir / "media").mkdir(parents=True)
    (target_dir / "media" / "photo.jpg").write_bytes(b"\xff\xd8")
    target = empty_target(tmp_path)
    # when restored, then refused naming the folder
    with pytest.raises(ApplicationError, match="已有文件"):
        backup_restore(path=backup_file, database=target, data_dir=target_dir)
    # and (positive control) with the photo gone the same archive restores
    (target_dir / "media" / "photo.jpg").unlink()
    backup_restore(path=backup_file, database=target, data_dir=target_dir)
    assert Path(target["NAME"]).exists()
