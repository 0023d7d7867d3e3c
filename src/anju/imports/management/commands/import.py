"""``anju import clients|listings|communities FILE --as USERNAME``: load a spreadsheet of clients,
listings or communities (the building dictionary).

Every row is checked; bad rows are listed with their line numbers and nothing is written unless
``--skip-bad`` is given. ``--dry-run`` only checks, and shows how each column's values were read;
``--suggest-mapping`` proposes a mapping file for the headers and values not understood. Exits non-zero when bad rows kept the import
from writing (or would have, in a dry run).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from anju.core.errors import ApplicationError
from anju.core.tabular import FileMapping, read_mapping
from anju.imports.framework import (
    ImportResult,
    RowImport,
    bad_rows_csv,
    ended_note,
    import_file,
    suggest_mapping,
)
from anju.imports.kinds import import_handler
from anju.imports.selectors import agent_by_username


class Command(BaseCommand):
    help = "导入客户、房源、小区或跟进记录（CSV 或 XLSX，中文表头）：逐行检查，有问题的行全部列出；默认有问题就不写入。"
    # The system checks load every page and API route first (seconds); an import needs none of them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=["clients", "followups", "listings", "communities"],
            help="clients 客户 / followups 客户的跟进记录 / listings 房源 / communities 小区（楼盘字典）",
        )
        parser.add_argument("file", type=Path, help="CSV 或 XLSX 文件")
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪位员工的身份导入（决定公司与归属）"
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="对照表（CSV 或 JSON）：哪一列是哪个标准列（源列名,标准列名），哪个值读作什么（标准列名,原值,标准值）",
        )
        parser.add_argument("--skip-bad", action="store_true", help="跳过有问题的行，只导入没有问题的行")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--report", type=Path, help="把问题行（行号、问题和该行原样的内容）写入这个 CSV 文件"
        )
        parser.add_argument(
            "--suggest-mapping",
            nargs="?",
            const="-",
            metavar="FILE",
            help="根据表头和读到的值建议一份对照表（CSV）：写入 FILE，不给 FILE 则打印出来；请核对、补全后用 --mapping 导入",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--create-communities",
            action="store_true",
            help="房源：楼盘字典中没有的小区（和板块）按行中的小区、区县、板块新建（与已有小区相似的不新建，报告出来）",
        )
        parser.add_argument(
            "--similar",
            choices=["report", "alias", "create"],
            default="report",
            help="小区：与已有小区或文件中另一行相似时——report 报告（默认）、alias 作为别名、create 仍然新建；"
            "“相似时”列可逐行指定",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            importer = agent_by_username(options["username"])
            handler_class = import_handler(
                options["kind"],
                {"create_communities": options["create_communities"], "similar": options["similar"]},
            )
            mapping = None
            if options["mapping"]:
                mapping = read_mapping(
                    options["mapping"].read_bytes(),
                    filename=options["mapping"].name,
                    columns=handler_class.columns,
                    choices=handler_class.value_choices,
                )
            if options["suggest_mapping"]:
                self._suggest(handler_class, path, mapping, options["suggest_mapping"])
            with tqdm(
                desc="检查并写入" if not options["dry_run"] else "检查",
                unit="行",
                file=sys.stderr,
                disable=options["no_progress"],
                dynamic_ncols=True,
            ) as bar:

                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                result = import_file(
                    handler_class=handler_class,
                    importer=importer,
                    source=path,
                    filename=path.name,
                    mapping=mapping,
                    dry_run=options["dry_run"],
                    skip_bad=options["skip_bad"],
                    progress=progress,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self._print(result)
        if options["report"] and result.bad_rows:
            options["report"].write_text(bad_rows_csv(result.bad_rows, result.header), encoding="utf-8-sig")
            self.stdout.write(f"问题行已写入 {options['report']}")
        if result.rejected:
            raise CommandError(f"{len(result.bad_rows)} 行有问题，没有写入任何数据。", returncode=1)

    def _suggest(
        self, handler_class: type[RowImport[Any]], path: Path, mapping: FileMapping | None, out: str
    ) -> None:
        suggested = suggest_mapping(
            handler_class=handler_class, source=path, filename=path.name, mapping=mapping
        )
        if out == "-":
            self.stdout.write("建议的对照表（请核对、补全后保存为 CSV 文件，用 --mapping 导入）：")
            self.stdout.write(suggested, ending="")
        else:
            Path(out).write_text(suggested, encoding="utf-8-sig")
            self.stdout.write(f"建议的对照表已写入 {out}，请核对、补全后用 --mapping 导入。")

    def _print(self, result: ImportResult) -> None:
        if result.readings:
            self.stdout.write("各列的读法（原值 → 读作 ×行数；? 表示无法识别）：")
            for reading in result.readings:
                for line in reading.lines():
                    self.stdout.write("  " + line)
        for bad in result.bad_rows:
            self.stdout.write(str(bad))
        if result.ignored_columns:
            self.stdout.write("未使用的列：" + "、".join(result.ignored_columns))
        if result.notes:
            self.stdout.write("；".join(result.notes) + "。")
        if note := ended_note(result):
            self.stdout.write(note)
        summary = f"共 {result.rows} 行，没有问题的 {result.good} 行，有问题的 {len(result.bad_rows)} 行"
        if result.dry_run:
            self.stdout.write(summary + "（只检查，未写入）。")
            self.stdout.write(f"用时 {result.seconds:.1f} 秒。")
        elif result.written:
            self.stdout.write(
                self.style.SUCCESS(f"{summary}；已写入 {result.written} 行，用时 {result.seconds:.1f} 秒。")
            )
        else:
            self.stdout.write(summary + "；未写入。")
