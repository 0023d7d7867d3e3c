"""Backups that restore: one tar archive holding the database, the uploaded files and a manifest.

The archive (``anju backup FILE``) holds, in this order:

- ``database/anju.sqlite3`` (SQLite's online backup API, consistent while the site serves) or
  ``database/anju.pgdump`` (``pg_dump`` custom format);
- the data directory's folders of files (``media/``, ``archive/``, ``imports/``,
  ``finance-rules/``) and the generated ``secret_key`` when there is one;
- ``manifest.json``, last: the SHA-256 of every other member, the database engine and the schema
  version (every applied migration).

``anju restore FILE`` checks every checksum and the schema before it writes anything, and loads
only into an empty database and data directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from tqdm import tqdm

from anju.core.errors import ApplicationError

FORMAT = "anju-backup/1"
MANIFEST = "manifest.json"
# The data directory's folders of files that are part of the data (not static files, not the queue).
DATA_FOLDERS = ("media", "archive", "imports", "finance-rules")
SECRET_KEY_FILE = "secret_key"  # noqa: S105 — a file name
SQLITE_MEMBER = "database/anju.sqlite3"
POSTGRES_MEMBER = "database/anju.pgdump"
CHUNK = 1024 * 1024


@dataclass
class BackupResult:
    members: int = 0
    bytes: int = 0
    migrations: int = 0
    engine: str = ""


@dataclass
class Manifest:
    engine: str
    migrations: list[tuple[str, str]]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    created_at: str = ""

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "created_at": self.created_at,
            "engine": self.engine,
            "migrations": [list(pair) for pair in self.migrations],
            "files": self.files,
        }
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()


def engine_of(database: dict[str, Any]) -> str:
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine not in {"sqlite3", "postgresql"}:
        raise ApplicationError(f"不支持的数据库类型：{database['ENGINE']}", code="backup_engine")
    return engine


# --- backup --------------------------------------------------------------------------------------


def backup_create(
    *, path: Path, data_dir: Path, using: str = "default", progress: bool = False
) -> BackupResult:
    """Write the archive at ``path`` (replaced only once it is complete)."""
    connection = connections[using]
    engine = engine_of(connection.settings_dict)
    applied = sorted(MigrationRecorder(connection).applied_migrations())
    manifest = Manifest(
        engine=engine,
        migrations=[(app, name) for app, name in applied],
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        total, count = _write(partial, manifest, connection, data_dir, progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return BackupResult(members=count, bytes=total, migrations=len(applied), engine=engine)


def _write(
    partial: Path, manifest: Manifest, connection: BaseDatabaseWrapper, data_dir: Path, progress: bool
) -> tuple[int, int]:
    with tempfile.TemporaryDirectory(prefix="anju-backup-") as scratch:
        dump = Path(scratch) / "database"
        if manifest.engine == "sqlite3":
            _sqlite_dump(connection, dump)
            database_member = SQLITE_MEMBER
        else:
            _postgres_dump(connection.settings_dict, dump)
            database_member = POSTGRES_MEMBER
        members = [(database_member, dump), *_data_files(data_dir)]
        total = sum(source.stat().st_size for _, source in members)
        with (
            tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive,
            _bar(total, "备份", progress) as bar,
        ):
            for name, source in members:
                manifest.files[name] = _add_file(archive, name, source, bar)
            info = tarfile.TarInfo(MANIFEST)
            body = manifest.as_json()
            info.size = len(body)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
    return total, len(members)


def _data_files(data_dir: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for folder in DATA_FOLDERS:
        root = data_dir / folder
        if root.is_dir():
            files.extend(
                (source.relative_to(data_dir).as_posix(), source)
                for source in sorted(root.rglob("*"))
                if source.is_file()
            )
    secret = data_dir / SECRET_KEY_FILE
    if secret.is_file():
        files.append((SECRET_KEY_FILE, secret))
    return files


class _HashingReader:
    """Hands a file to ``tarfile`` while hashing what it reads and advancing the progress bar."""

    def __init__(self, handle: IO[bytes], bar: tqdm):
        self.handle, self.bar, self.digest = handle, bar, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.bar.update(len(chunk))
        return chunk


def _add_file(archive: tarfile.TarFile, name: str, source: Path, bar: tqdm) -> dict[str, Any]:
    info = archive.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as handle:
        reader = _HashingReader(handle, bar)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _sqlite_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    """SQLite's online backup: a consistent copy while other connections keep writing."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _postgres_environment(database: dict[str, Any]) -> dict[str, str]:
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _run(command: list[str], database: dict[str, Any], what: str) -> None:
    try:
        finished = subprocess.run(  # noqa: S603
            command, env=_postgres_environment(database), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise ApplicationError(
            f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具（postgresql-client）。", code="backup_tool"
        ) from exc
    if finished.returncode != 0:
        raise ApplicationError(f"{what}失败：{finished.stderr.strip()}", code="backup_tool")


def _postgres_dump(database: dict[str, Any], target: Path) -> None:
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
        database,
        "pg_dump",
    )


# --- restore -------------------------------------------------------------------------------------


def backup_read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        assert handle is not None  # noqa: S101
        manifest = json.loads(handle.read())
    except (KeyError, ValueError, AssertionError) as exc:
        raise ApplicationError(
            "备份文件已损坏：缺少或无法读取清单（manifest.json）。", code="backup_damaged"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise ApplicationError(
            f"不认识的备份格式“{manifest.get('format')}”（本版本读取 {FORMAT}）。", code="backup_damaged"
        )
    return manifest


def backup_verify(archive: tarfile.TarFile, manifest: dict[str, Any], *, progress: bool = False) -> None:
    """Every member's SHA-256 equals the manifest's, and no member is missing or added."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    present = {member.name for member in archive.getmembers() if member.isfile()} - {MANIFEST}
    if missing := sorted(set(listed) - present):
        raise ApplicationError(f"备份文件已损坏：缺少 {', '.join(missing[:5])}。", code="backup_damaged")
    if extra := sorted(present - set(listed)):
        raise ApplicationError(
            f"备份文件已损坏：多出清单中没有的 {', '.join(extra[:5])}。", code="backup_damaged"
        )
    total = sum(entry["size"] for entry in listed.values())
    with _bar(total, "校验", progress) as bar:
        for name, entry in listed.items():
            digest = hashlib.sha256()
            for chunk in _chunks(archive, name):
                digest.update(chunk)
                bar.update(len(chunk))
            if digest.hexdigest() != entry["sha256"]:
                raise ApplicationError(
                    f"备份文件已损坏：{name} 的 SHA-256 校验值与清单不符，未恢复任何数据。",
                    code="backup_damaged",
                )


def backup_check_schema(manifest: dict[str, Any]) -> None:
    """Refuse an archive whose database has migrations this code does not know (a newer version)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise ApplicationError(
            "备份来自更新版本的安居：其数据库含有本版本不认识的迁移 "
            f"{', '.join(unknown[:5])}{' 等' if len(unknown) > 5 else ''}。请先升级安居，再恢复。",
            code="backup_newer_schema",
        )


def backup_restore(
    *, path: Path, database: dict[str, Any], data_dir: Path, progress: bool = False
) -> dict[str, Any]:
    """Load the archive into an empty ``database`` and ``data_dir``; the manifest it restored."""
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 — closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise ApplicationError(f"无法读取备份文件 {path}：{exc}", code="backup_damaged") from exc
    with archive:
        try:
            manifest = backup_read_manifest(archive)
            backup_verify(archive, manifest, progress=progress)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise ApplicationError(f"备份文件已损坏：{exc}", code="backup_damaged") from exc
        backup_check_schema(manifest)
        engine = engine_of(database)
        if manifest["engine"] != engine:
            raise ApplicationError(
                f"备份的数据库是 {manifest['engine']}，目标数据库是 {engine}：不能直接恢复。",
                code="backup_engine",
            )
        _refuse_non_empty(database, engine, data_dir)
        with tempfile.TemporaryDirectory(prefix="anju-restore-") as scratch:
            if engine == "sqlite3":
                dump = _extract(archive, SQLITE_MEMBER, Path(scratch) / "anju.sqlite3")
                _sqlite_load(dump, Path(database["NAME"]))
            else:
                dump = _extract(archive, POSTGRES_MEMBER, Path(scratch) / "anju.pgdump")
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--dbname",
                        str(database["NAME"]),
                        str(dump),
                    ],
                    database,
                    "pg_restore",
                )
        names = [name for name in manifest["files"] if not name.startswith("database/")]
        for name in names:
            target = data_dir / name
            if not target.resolve().is_relative_to(data_dir.resolve()):
                raise ApplicationError(f"备份文件已损坏：路径 {name} 不在数据目录内。", code="backup_damaged")
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, name, target)
    return manifest


def _refuse_non_empty(database: dict[str, Any], engine: str, data_dir: Path) -> None:
    tables = _sqlite_tables(Path(database["NAME"])) if engine == "sqlite3" else _postgres_tables(database)
    if tables:
        raise ApplicationError(
            f"目标数据库 {database['NAME']} 不是空的（已有 {tables} 张表）：恢复只写入空数据库，"
            "请换一个新数据库或先清空它。",
            code="backup_target_not_empty",
        )
    for folder in DATA_FOLDERS:
        root = data_dir / folder
        if root.is_dir() and any(item.is_file() for item in root.rglob("*")):
            raise ApplicationError(
                f"数据目录中的 {root} 已有文件：恢复只写入空的数据目录，请换一个新目录或先清空它。",
                code="backup_target_not_empty",
            )


def _sqlite_tables(path: Path) -> int:
    if not path.exists():
        return 0
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        connection.close()


def _postgres_tables(database: dict[str, Any]) -> int:
    import psycopg

    environment = _postgres_environment(database)
    conninfo = {
        key: environment[variable]
        for key, variable in (
            ("host", "PGHOST"),
            ("port", "PGPORT"),
            ("user", "PGUSER"),
            ("password", "PGPASSWORD"),
            ("dbname", "PGDATABASE"),
        )
        if variable in environment
    }
    with psycopg.connect(**conninfo) as connection:  # type: ignore[arg-type]
        row = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return int(row[0]) if row else 0


def _sqlite_load(dump: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source, destination = sqlite3.connect(dump), sqlite3.connect(target)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        destination.close()


def _chunks(archive: tarfile.TarFile, name: str) -> Iterator[bytes]:
    handle = archive.extractfile(name)
    if handle is None:
        raise ApplicationError(f"备份文件已损坏：{name} 不是文件。", code="backup_damaged")
    while chunk := handle.read(CHUNK):
        yield chunk


def _extract(archive: tarfile.TarFile, name: str, target: Path) -> Path:
    with target.open("wb") as out:
        for chunk in _chunks(archive, name):
            out.write(chunk)
    return target


def _bar(total: int, label: str, progress: bool) -> tqdm:
    return tqdm(
        total=total,
        desc=label,
        unit="B",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
