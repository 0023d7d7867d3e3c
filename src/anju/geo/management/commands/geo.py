"""``anju geo load-stations FILE --city 武汉`` and ``anju geo refresh-stations [--city 武汉]``.

Subway stations are shared reference data. An operator loads them from a file they trust (the
city's metro operator, a map provider) in the coordinate system the agency's maps use (GCJ-02 on
Chinese maps); every community of every company in that city then gets its stations within
1,500 m. Loading the same file again changes nothing; a moved station is moved.

FILE is CSV with the header ``line,name,latitude,longitude`` (UTF-8, e.g. ``2号线,光谷广场,…``)
or JSON: a list of objects with those keys.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anju.core.errors import ApplicationError
from anju.geo.models import City
from anju.geo.services import StationRow, stations_load, stations_refresh_city

COLUMNS = ("line", "name", "latitude", "longitude")


def read_station_rows(path: Path) -> list[StationRow]:
    """Every row of the file, or CommandError naming the first bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取 {path}：{exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} 不是有效的 JSON：{exc}") from exc
        if not isinstance(records, list):
            raise CommandError(f"{path} 应是一个数组，每项含 {', '.join(COLUMNS)}。")
        numbered = list(enumerate(records, start=1))
        where = "第 {} 项"
    else:
        reader = csv.DictReader(text.splitlines())
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise CommandError(f"{path} 缺少列：{', '.join(sorted(missing))}（需要 {','.join(COLUMNS)}）")
        numbered = list(enumerate(reader, start=2))
        where = "第 {} 行"
    return [_row(record, where.format(number)) for number, record in numbered]


def _row(record: Any, where: str) -> StationRow:
    if not isinstance(record, dict) or any(record.get(c) in (None, "") for c in COLUMNS):
        raise CommandError(f"{where}：需要 {', '.join(COLUMNS)} 四项。")
    try:
        latitude, longitude = Decimal(str(record["latitude"])), Decimal(str(record["longitude"]))
    except InvalidOperation as exc:
        raise CommandError(f"{where}：坐标不是数字。") from exc
    return StationRow(
        line=str(record["line"]), name=str(record["name"]), latitude=latitude, longitude=longitude
    )


class Command(BaseCommand):
    help = "地铁站（共享参考数据）：从文件导入，或重新计算小区的周边地铁。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-stations", help="从 CSV/JSON 导入或更新某城市的地铁站")
        load.add_argument("file", type=Path)
        load.add_argument("--city", required=True, help="城市名，如 武汉")
        refresh = sub.add_parser("refresh-stations", help="按坐标重新计算小区 1500 米内的地铁站")
        refresh.add_argument("--city", help="只算这个城市（默认全部）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load-stations":
            city = _city(options["city"])
            rows = read_station_rows(options["file"])
            try:
                created, updated = stations_load(city=city, rows=rows)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"{city.name}：新增 {created} 个地铁站，更新 {updated} 个，共 {len(rows)} 行。")
            return
        cities = [_city(options["city"])] if options.get("city") else list(City.objects.order_by("code"))
        for city in cities:
            written = stations_refresh_city(city=city)
            self.stdout.write(f"{city.name}：记录了 {written} 条小区周边地铁。")


def _city(name: str) -> City:
    city = City.objects.filter(name=name.strip().removesuffix("市")).first()
    if city is None:
        raise CommandError(f"没有名为“{name}”的城市（先运行 anju demo 或在 /admin/ 中添加）。")
    return city
