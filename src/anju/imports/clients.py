"""Importing clients (客户导入) from a spreadsheet with Chinese headers.

A row becomes a private client (私客) of the importing agent, or of the colleague named in the
``经纪人账号`` column when the importer manages them (an administrator without a store who names
nobody fills the public pool, as intake through the page does). The rules of intake hold for every row, checked
for the whole file at once: a mobile is a real mainland mobile, and one mobile is one client per
company — within the file and against the clients already there (the report says whose client it
already is, without showing what the importer may not see). Every imported client gets its
"录入" ownership record, as intake through the page gives one.

What other systems export comes in as it is: several phones in one cell (``138… / 139…``: the
first is the mobile, the next the second phone, any more are kept in the notes), the owning agent
by account or by name, and where the old system left the client's clocks (``录入日期``,
``最近跟进``), so the public-pool clock starts from there, not from the day of the import.

Their follow-up history (跟进记录) comes from a second file (``anju import followups``): the
client's mobile, the date and time, the agent (account or name, former staff included), the way
and the text. It joins the client's timeline and moves the client's last contact forward, as a
follow-up entered on the page does (never back).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import (
    Client,
    Gender,
    Interaction,
    InteractionKind,
    OwnershipChange,
    OwnershipReason,
    Source,
)
from anju.clients.services import SUMMARY_MAX
from anju.core.bulk import TableWriter, reserve_ids
from anju.core.errors import ApplicationError
from anju.core.formats import WAN, mask_mobile
from anju.core.idcard import gender_of, normalize_id_number
from anju.core.phones import normalize_mobile, normalize_phone
from anju.core.tabular import CellError, Column, check_length, choices_of, parse_choice, parse_date
from anju.core.text import clean_name
from anju.imports.communities import Places
from anju.imports.framework import (
    WRITE_BATCH,
    ImportResult,
    OwnerResolver,
    Progress,
    RowImport,
    chunks,
    import_file,
)
from anju.needs.services import need_create
from anju.org.models import Agent, Role

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("客户姓名", "客户名称", "客户", "name"), required=True),
    Column("mobile", "手机", ("手机号", "手机号码", "移动电话", "联系电话", "电话", "mobile"), required=True),
    Column("gender", "性别", ("gender",)),
    Column("source", "来源", ("客户来源", "渠道", "source")),
    Column("second_phone", "备用电话", ("座机", "其他电话", "电话2", "备用号码")),
    Column("id_number", "身份证号", ("身份证", "身份证号码", "证件号码")),
    Column("birthday", "生日", ("公历生日", "出生日期")),
    Column("notes", "备注", ("说明", "notes")),
    Column("agent", "经纪人账号", ("经纪人", "归属经纪人账号", "agent")),
    Column("created_on", "录入日期", ("录入时间", "登记日期", "创建时间", "创建日期")),
    Column("last_contact", "最近跟进", ("最近跟进时间", "最后跟进时间", "最后跟进", "last_contact")),
    # A buy or rent need in the same row; several rows of one client (same mobile) give several needs.
    Column("need_kind", "需求类型", ("需求", "客户需求", "意向类型")),
    Column("need_budget", "预算", ("意向价格", "预算(万)", "预算（万）", "心理价位", "租金预算")),
    Column("need_rooms", "意向户型", ("需求户型", "意向居室")),
    Column("need_area", "意向面积", ("需求面积",)),
    Column("need_districts", "意向区域", ("意向区县", "需求区域", "意向片区")),
)

GENDERS = choices_of(Gender, 男性="m", 女性="f", 不详="", M="m", F="f")
SOURCES = choices_of(
    Source, 到访="store_visit", 门店="store_visit", 来电="phone", 网络来源="online", 介绍="referral"
)


@dataclass(frozen=True, slots=True)
class ParsedClient:
    name: str
    mobile: str
    gender: str = ""
    source: str = Source.STORE_VISIT
    second_phone: str = ""
    id_number: str = ""
    birthday: dt.date | None = None
    notes: str = ""
    agent: str = ""
    created_at: dt.datetime | None = None
    last_contact_at: dt.datetime | None = None
    need: ParsedNeed | None = None


@dataclass(frozen=True, slots=True)
class ParsedNeed:
    """A buy or rent need as an old system's client sheet gives it (the ranges as written)."""

    kind: str
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    rooms_min: int | None = None
    rooms_max: int | None = None
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    districts: tuple[str, ...] = ()


NEED_KINDS = {
    "买房": "buy",
    "购房": "buy",
    "求购": "buy",
    "买": "buy",
    "租房": "rent",
    "求租": "rent",
    "租": "rent",
}
NEED_KINDS.update({"buy": "buy", "rent": "rent"})
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)(?:-|~|至|到)(\d+(?:\.\d+)?)$")
_AT_MOST = re.compile(r"^(?:不超过|最多|最高)?(\d+(?:\.\d+)?)(?:以内|以下|内|之内)?$")
_AT_LEAST = re.compile(r"^(?:最少|至少)?(\d+(?:\.\d+)?)(?:以上|起)$")
_UNITS = re.compile(r"万元|万|元/月|元|㎡|平方米|平米|平|室|房|居")


def parse_range(text: str, label: str, *, single: str) -> tuple[Decimal | None, Decimal | None]:
    """``150-200万`` → (150, 200); ``200万以内`` → (None, 200); ``90㎡以上`` → (90, None); a single number
    is the ``single`` end ("max", "min" or "both"), in the cell's own unit (its words dropped)."""
    value = _UNITS.sub("", unicodedata.normalize("NFKC", text).replace(" ", ""))
    if match := _RANGE.match(value):
        return Decimal(match[1]), Decimal(match[2])
    if match := _AT_LEAST.match(value):
        return Decimal(match[1]), None
    if match := _AT_MOST.match(value):
        number = Decimal(match[1])
        words = value != match[1]
        if words or single == "max":
            return None, number
        return (number, None) if single == "min" else (number, number)
    raise CellError(
        _("%(label)s“%(value)s”应写成如“150-200”“200以内”或“90以上”") % {"label": label, "value": text}
    )


def parse_need(raw: dict[str, str], errors: list[str]) -> ParsedNeed | None:
    """The row's need, when it names one (a kind, or any of its ranges)."""
    cells = {key: raw.get(key, "").strip() for key in ("need_kind", "need_budget", "need_rooms", "need_area")}
    districts = tuple(d for d in re.split(r"[、,，;；/ ]+", raw.get("need_districts", "").strip()) if d)
    if not any(cells.values()) and not districts:
        return None
    if not cells["need_kind"]:
        errors.append(_("填写了需求，请同时填写需求类型（买房或租房）"))
        return None
    try:
        kind = parse_choice(cells["need_kind"], _("需求类型"), NEED_KINDS)
    except CellError as exc:
        errors.append(str(exc))
        return None
    values: dict[str, object] = {"kind": kind, "districts": districts}
    try:
        if cells["need_budget"]:
            low, high = parse_range(cells["need_budget"], _("预算"), single="max")
            # A sale budget is written in 万元 unless it is plainly in yuan; a rent is in yuan a month.
            scale = WAN if kind == "buy" and max(d for d in (low, high) if d is not None) < 100_000 else 1
            values["budget_min"] = None if low is None else low * scale
            values["budget_max"] = None if high is None else high * scale
        if cells["need_rooms"]:
            low, high = parse_range(cells["need_rooms"].split("室")[0], _("意向户型"), single="both")
            values["rooms_min"] = None if low is None else int(low)
            values["rooms_max"] = None if high is None else int(high)
        if cells["need_area"]:
            values["area_min"], values["area_max"] = parse_range(
                cells["need_area"], _("意向面积"), single="min"
            )
    except CellError as exc:
        errors.append(str(exc))
        return None
    return ParsedNeed(**values)  # type: ignore[arg-type]


_PHONES_SPLIT = re.compile(r"[/,，;；、|]|\s{2,}")
_MOMENT = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?$"
)


def split_phones(text: str) -> list[str]:
    """``13812345678 / 13987654321`` → both numbers: old systems keep several phones in one cell."""
    return [part.strip() for part in _PHONES_SPLIT.split(text) if part.strip()]


def parse_moment(text: str, label: str, *, now: dt.datetime) -> dt.datetime:
    """``2024-05-01 14:30`` (or a date alone: the start of that day), in the local time zone; never later
    than now."""
    match = _MOMENT.match(unicodedata.normalize("NFKC", text).strip())
    moment = None
    if match:
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            zone = timezone.get_current_timezone()
            moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            moment = None
    if moment is None:
        raise CellError(
            _("%(label)s“%(value)s”不是有效的日期时间（例如 2024-05-01 14:30）")
            % {"label": label, "value": text}
        )
    if moment > now or moment.year < 1990:
        raise CellError(_("%(label)s“%(value)s”不在合理范围内") % {"label": label, "value": text})
    return moment


def _masked(text: str) -> bool:
    return "*" in text or "＊" in text


def _mobile(text: str) -> str:
    if _masked(text):
        raise CellError(_("手机号“%(value)s”已打码，无法导入（导出文件只含您可见的号码）") % {"value": text})
    try:
        return normalize_mobile(text)
    except ApplicationError as exc:
        if exc.code == "not_a_mobile":
            raise CellError(
                _("手机号“%(value)s”不是手机号码（座机请填在备用电话）") % {"value": text}
            ) from exc
        raise CellError(_("手机号“%(value)s”无效") % {"value": text}) from exc


def parse_row(raw: dict[str, str], *, today: dt.date | None = None) -> ParsedClient | list[str]:
    """One client from one row's cells, or every reason the row is bad (no database)."""
    today = today or timezone.localdate()
    errors: list[str] = []
    values: dict[str, object] = {}

    def take(key: str, parse: Callable[[str], object], *, required_label: str | None = None) -> None:
        text = raw.get(key, "")
        if not text:
            if required_label:
                errors.append(_("%(label)s不能为空") % {"label": required_label})
            return
        try:
            values[key] = parse(text)
        except CellError as exc:
            errors.append(str(exc))

    take("name", _name, required_label=_("姓名"))
    phones = split_phones(raw.get("mobile", ""))
    if len(phones) > 1:  # several phones in one cell: the mobile first, then the second phone
        raw = {**raw, "mobile": phones[0]}
        if not raw.get("second_phone"):
            raw["second_phone"], phones = phones[1], phones[2:]
        else:
            phones = phones[1:]
        if phones:
            more = _("其他电话：%(phones)s") % {"phones": "、".join(phones)}
            raw["notes"] = f"{raw.get('notes', '')}\n{more}".strip()
    take("mobile", _mobile, required_label=_("手机号"))
    take("gender", lambda t: parse_choice(t, _("性别"), GENDERS))
    take("source", lambda t: parse_choice(t, _("来源"), SOURCES))
    take("second_phone", _second_phone)
    take("id_number", _id_number)
    take("birthday", lambda t: _birthday(t, today))
    take("notes", lambda t: t)
    take("agent", lambda t: t)
    values["need"] = parse_need(raw, errors)
    now = timezone.now()
    take("created_on", lambda t: parse_moment(t, _("录入日期"), now=now))
    take("last_contact", lambda t: parse_moment(t, _("最近跟进"), now=now))
    values["created_at"] = values.pop("created_on", None)
    values["last_contact_at"] = values.pop("last_contact", None)
    id_number = values.get("id_number")
    if isinstance(id_number, str):
        from_id = gender_of(id_number)
        if values.setdefault("gender", from_id) not in ("", from_id):
            errors.append(_("性别与身份证号不符"))
    if errors:
        return errors
    return ParsedClient(**values)  # type: ignore[arg-type]


def _name(text: str) -> str:
    try:
        name = clean_name(text, label=_("姓名"))
    except ApplicationError as exc:
        raise CellError(exc.message.rstrip("。")) from exc
    if not name:
        raise CellError(_("%(label)s不能为空") % {"label": _("姓名")})
    return check_length(name, _("姓名"), 30)


def _second_phone(text: str) -> str:
    if _masked(text):
        raise CellError(_("备用电话“%(value)s”已打码，无法导入") % {"value": text})
    try:
        return normalize_phone(text)
    except ApplicationError as exc:
        raise CellError(_("备用电话“%(value)s”无效") % {"value": text}) from exc


def _id_number(text: str) -> str:
    if _masked(text):
        raise CellError(_("身份证号已打码，无法导入"))
    try:
        return normalize_id_number(text)
    except ApplicationError as exc:
        raise CellError(exc.message.rstrip("。")) from exc


def _birthday(text: str, today: dt.date) -> dt.date:
    value = parse_date(text, _("生日"))
    if not dt.date(1900, 1, 1) <= value <= today:
        raise CellError(_("生日“%(value)s”不在合理范围内") % {"value": text})
    return value


CLIENT_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "name",
    "gender",
    "mobile",
    "source",
    "owner_id",
    "store_id",
    "notes",
    "second_phone",
    "id_number",
    "birthday_calendar",
    "birthday",
    "birth_year",
    "last_contact_at",
)
OWNERSHIP_COLUMNS = ("id", "client_id", "from_agent_id", "to_agent_id", "reason", "by_id", "at", "note")


class ClientImport(RowImport[ParsedClient]):
    kind = "clients"
    columns = COLUMNS
    multiline = frozenset({"notes"})

    def __init__(self, *, importer: Agent, source_name: str, keys: Sequence[str]) -> None:
        super().__init__(importer=importer, source_name=source_name, keys=keys)
        self.today = timezone.localdate()
        self.owners: dict[int, Agent | None] = {}
        self.need_of: dict[int, int] = {}  # line of a row that only adds a need → the client's line
        self.district_ids: dict[str, int] = {}
        self.needs_written = 0

    def parse_row(self, raw: dict[str, str]) -> ParsedClient | list[str]:
        return parse_row(raw, today=self.today)

    def check(self, rows: list[tuple[int, ParsedClient]]) -> dict[int, list[str]]:
        errors: dict[int, list[str]] = {}
        first_line: dict[str, int] = {}
        names = {line: row.name for line, row in rows}
        places: Places | None = None
        for line, row in rows:
            if row.need is not None and row.need.districts:
                places = places or Places(self.importer)
                for name in row.need.districts:
                    district = places.district(name)
                    if isinstance(district, str):
                        errors.setdefault(line, []).append(district)
                    else:
                        self.district_ids[name] = district.pk
            if (
                row.mobile in first_line
                and row.need is not None
                and row.name == names[first_line[row.mobile]]
            ):
                self.need_of[line] = first_line[row.mobile]  # one more need of the client above
            elif row.mobile in first_line:
                errors.setdefault(line, []).append(
                    _("手机号 %(mobile)s 与第 %(line)d 行重复")
                    % {"mobile": mask_mobile(row.mobile), "line": first_line[row.mobile]}
                )
            else:
                first_line[row.mobile] = line
        existing = self._existing_clients(list(first_line))
        resolver = OwnerResolver(self.importer)
        for line, row in rows:
            if line in self.need_of:
                continue
            client = existing.get(row.mobile)
            if client is not None:
                errors.setdefault(line, []).append(self._already_a_client(client))
            owner = resolver.resolve(row.agent)
            if isinstance(owner, str):
                errors.setdefault(line, []).append(owner)
            else:
                self.owners[line] = owner
        for line, row in rows:
            client_line = self.need_of.get(line, line)
            if row.need is not None and client_line in self.owners and self.owners[client_line] is None:
                errors.setdefault(line, []).append(
                    _("公客池中的客户不能导入需求，请在“经纪人账号”列填写归属经纪人")
                )
        return errors

    def _existing_clients(self, mobiles: list[str]) -> dict[str, Client]:
        found: dict[str, Client] = {}
        for chunk in chunks(mobiles):
            query = Client.objects.filter(
                company_id=self.importer.company_id, mobile__in=chunk, merged_into__isnull=True
            ).select_related("owner", "store")
            found.update({client.mobile: client for client in query})
        return found

    def _already_a_client(self, client: Client) -> str:
        """Whose client the number already is; the client's name only when the importer may see it."""
        mobile = mask_mobile(client.mobile)
        if client.owner is None:
            return _("手机号 %(mobile)s 已是公客池中的客户“%(name)s”，可直接认领") % {
                "mobile": mobile,
                "name": client.name,
            }
        whose = client.owner.name + (f"（{client.store.name}）" if client.store else "")
        if client.owner_id == self.importer.pk:
            return _("手机号 %(mobile)s 已是您的客户“%(name)s”") % {"mobile": mobile, "name": client.name}
        if self.importer.user.has_perm("clients.view_client", client):
            return _("手机号 %(mobile)s 已是%(whose)s的私客“%(name)s”") % {
                "mobile": mobile,
                "whose": whose,
                "name": client.name,
            }
        return _("手机号 %(mobile)s 已是%(whose)s的私客") % {"mobile": mobile, "whose": whose}

    def write(self, rows: list[tuple[int, ParsedClient]], advance: Callable[[int], None]) -> int:
        clients = [(line, row) for line, row in rows if line not in self.need_of]
        written = self._write_clients(clients, advance)
        self._write_needs(rows)
        advance(len(rows) - len(clients))
        return written + len(rows) - len(clients)  # a row adding a need to the client above is written too

    def _write_needs(self, rows: list[tuple[int, ParsedClient]]) -> None:
        """Through the needs' service, so that their rules hold and matching hears of them."""
        wanted = [(line, row) for line, row in rows if row.need is not None]
        if not wanted:
            return
        mobiles = {row.mobile for _line, row in wanted}
        clients = {
            client.mobile: client
            for chunk in chunks(sorted(mobiles))
            for client in Client.objects.filter(
                company_id=self.importer.company_id, mobile__in=chunk, merged_into__isnull=True
            ).select_related("owner")
        }
        for line, row in wanted:
            need = row.need
            assert need is not None  # noqa: S101 - filtered above
            client = clients[row.mobile]
            owner = self.owners[self.need_of.get(line, line)]
            fields: dict[str, object] = {
                name: getattr(need, name)
                for name in ("budget_min", "budget_max", "rooms_min", "rooms_max", "area_min", "area_max")
                if getattr(need, name) is not None
            }
            if need.districts:
                fields["district_ids"] = [self.district_ids[name] for name in need.districts]
            need_create(agent=owner or self.importer, client=client, kind=need.kind, fields=fields)
            self.needs_written += 1

    def notes(self) -> list[str]:
        if not self.needs_written:
            return []
        return [_("导入需求 %(n)d 条") % {"n": self.needs_written}]

    def _write_clients(self, rows: list[tuple[int, ParsedClient]], advance: Callable[[int], None]) -> int:
        now = timezone.now()
        note = (_("导入：%(file)s") % {"file": self.source_name})[:200]
        clients = TableWriter(Client, CLIENT_COLUMNS)
        changes = TableWriter(OwnershipChange, OWNERSHIP_COLUMNS)
        written = 0
        for batch in chunks(rows, WRITE_BATCH):
            ids = reserve_ids(Client, len(batch))
            change_ids = reserve_ids(OwnershipChange, len(batch))
            client_rows = []
            change_rows = []
            for client_id, change_id, (line, row) in zip(ids, change_ids, batch, strict=True):
                owner = self.owners[line]
                owner_id = owner.pk if owner else None
                created_at = row.created_at or now
                client_rows.append(
                    (
                        client_id,
                        created_at,
                        now,
                        self.importer.company_id,
                        row.name,
                        row.gender,
                        row.mobile,
                        row.source,
                        owner_id,
                        owner.store_id if owner else None,
                        row.notes,
                        row.second_phone,
                        row.id_number,
                        "solar" if row.birthday else "",
                        row.birthday,
                        row.birthday.year if row.birthday else None,
                        row.last_contact_at,
                    )
                )
                change_rows.append(
                    (
                        change_id,
                        client_id,
                        None,
                        owner_id,
                        OwnershipReason.INTAKE.value,
                        self.importer.pk,
                        now,
                        note,
                    )
                )
            clients.write(client_rows)
            changes.write(change_rows)
            written += len(batch)
            advance(len(batch))
        return written


def clients_import(
    *,
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import clients from a CSV or XLSX file as ``importer``: all rows or none (or the good ones
    with ``skip_bad``); ``dry_run`` only checks."""
    return import_file(
        handler_class=ClientImport,
        importer=importer,
        source=source,
        filename=filename,
        mapping=mapping,
        dry_run=dry_run,
        skip_bad=skip_bad,
        progress=progress,
    )


# --- follow-up history (跟进记录) ------------------------------------------------------------------

FOLLOW_UP_COLUMNS: tuple[Column, ...] = (
    Column("mobile", "手机", ("手机号", "客户手机", "客户电话", "联系电话", "电话", "mobile"), required=True),
    Column("happened_at", "跟进时间", ("跟进日期", "时间", "日期", "date"), required=True),
    Column("agent", "经纪人", ("跟进人", "经纪人账号", "跟进经纪人", "agent")),
    Column("kind", "跟进方式", ("方式", "类型", "kind")),
    Column("summary", "跟进内容", ("内容", "记录", "备注", "summary"), required=True),
    Column("name", "姓名", ("客户姓名", "客户", "name")),
)
FOLLOW_UP_KINDS = choices_of(
    InteractionKind,
    电话跟进="call",
    去电="call",
    来电="call",
    到访="visit",
    面访="visit",
    见面="visit",
    看房="showing",
    其他="note",
)
INTERACTION_COLUMNS = ("id", "client_id", "agent_id", "kind", "summary", "happened_at")


@dataclass(frozen=True)
class ParsedFollowUp:
    mobile: str
    happened_at: dt.datetime
    agent: str
    kind: str
    summary: str
    name: str


def parse_follow_up_row(raw: dict[str, str], *, now: dt.datetime | None = None) -> ParsedFollowUp | list[str]:
    """One follow-up from one row's cells, or every reason the row is bad (no database)."""
    now = now or timezone.now()
    errors: list[str] = []
    values: dict[str, object] = {"agent": raw.get("agent", ""), "name": raw.get("name", "")}
    readers: dict[str, Callable[[str], object]] = {
        "mobile": lambda t: _mobile(split_phones(t)[0] if split_phones(t) else t),
        "happened_at": lambda t: parse_moment(t, _("跟进时间"), now=now),
        "kind": lambda t: parse_choice(t, _("跟进方式"), FOLLOW_UP_KINDS),
        "summary": lambda t: check_length(t.strip(), _("跟进内容"), SUMMARY_MAX),
    }
    labels = {"mobile": _("手机号"), "happened_at": _("跟进时间"), "summary": _("跟进内容")}
    for key, read in readers.items():
        text = raw.get(key, "")
        if not text.strip():
            if key in labels:
                errors.append(_("%(label)s不能为空") % {"label": labels[key]})
            values[key] = InteractionKind.NOTE.value if key == "kind" else None
            continue
        try:
            values[key] = read(text)
        except CellError as exc:
            errors.append(str(exc))
    if errors:
        return errors
    return ParsedFollowUp(**values)  # type: ignore[arg-type]


class FollowUpImport(RowImport[ParsedFollowUp]):
    """The follow-up history of clients already in Anju (imported first), found by mobile."""

    kind = "followups"
    columns = FOLLOW_UP_COLUMNS
    multiline = frozenset({"summary"})

    def __init__(self, *, importer: Agent, source_name: str, keys: Sequence[str]) -> None:
        super().__init__(importer=importer, source_name=source_name, keys=keys)
        self.now = timezone.now()
        self.client_of: dict[int, Client] = {}
        self.agent_of: dict[int, Agent] = {}

    def parse_row(self, raw: dict[str, str]) -> ParsedFollowUp | list[str]:
        return parse_follow_up_row(raw, now=self.now)

    def check(self, rows: list[tuple[int, ParsedFollowUp]]) -> dict[int, list[str]]:
        errors: dict[int, list[str]] = {}
        mobiles = sorted({row.mobile for _line, row in rows})
        clients: dict[str, Client] = {}
        for chunk in chunks(mobiles):
            query = Client.objects.filter(
                company_id=self.importer.company_id, mobile__in=chunk, merged_into__isnull=True
            )
            clients.update({client.mobile: client for client in query})
        # Former staff wrote much of the history: every agent of the company, active or not.
        staff = list(Agent.objects.filter(company_id=self.importer.company_id).select_related("user"))
        by_username = {agent.user.username.lower(): agent for agent in staff}
        by_name: dict[str, list[Agent]] = {}
        for agent in staff:
            by_name.setdefault(agent.name, []).append(agent)
        for line, row in rows:
            client = clients.get(row.mobile)
            if client is None:
                errors.setdefault(line, []).append(
                    _("手机号 %(mobile)s 不是本公司的客户，请先导入客户")
                    % {"mobile": mask_mobile(row.mobile)}
                )
            elif not self._may_write(client):
                errors.setdefault(line, []).append(
                    _("手机号 %(mobile)s 的客户不在您管理的范围内") % {"mobile": mask_mobile(row.mobile)}
                )
            else:
                self.client_of[line] = client
            if not row.agent:
                self.agent_of[line] = self.importer
                continue
            found = by_username.get(row.agent.lower())
            named = by_name.get(row.agent, [])
            if found is None and len(named) > 1:
                errors.setdefault(line, []).append(
                    _("有 %(count)d 位经纪人叫“%(name)s”，请填写账号")
                    % {"count": len(named), "name": row.agent}
                )
            elif found is None and not named:
                errors.setdefault(line, []).append(_("经纪人“%(ref)s”不存在") % {"ref": row.agent})
            else:
                self.agent_of[line] = found or named[0]
        return errors

    def _may_write(self, client: Client) -> bool:
        """Whose history the importer may write: the clients they may change; managers and
        administrators also those in the public pool."""
        if client.owner_id is None:
            return self.importer.role in (Role.MANAGER, Role.ADMIN)
        return bool(self.importer.user.has_perm("clients.change_client", client))

    def write(self, rows: list[tuple[int, ParsedFollowUp]], advance: Callable[[int], None]) -> int:
        interactions = TableWriter(Interaction, INTERACTION_COLUMNS)
        latest: dict[int, dt.datetime] = {}
        for batch in chunks(rows, WRITE_BATCH):
            ids = reserve_ids(Interaction, len(batch))
            records = []
            for interaction_id, (line, row) in zip(ids, batch, strict=True):
                client = self.client_of[line]
                records.append(
                    (
                        interaction_id,
                        client.pk,
                        self.agent_of[line].pk,
                        row.kind,
                        row.summary,
                        row.happened_at,
                    )
                )
                if row.happened_at > latest.get(client.pk, row.happened_at - dt.timedelta(seconds=1)):
                    latest[client.pk] = row.happened_at
            interactions.write(records)
            advance(len(batch))
        # The pool clock: a client's last contact moves forward to its newest follow-up, never back.
        for client_id, moment in latest.items():
            Client.objects.filter(pk=client_id).filter(
                Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=moment)
            ).update(last_contact_at=moment)
        return len(rows)


def follow_ups_import(
    *,
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> ImportResult:
    """Import clients' follow-up history from a CSV or XLSX file as ``importer``."""
    return import_file(
        handler_class=FollowUpImport,
        importer=importer,
        source=source,
        filename=filename,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )
