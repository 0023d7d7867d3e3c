"""``anju market refresh [--company ID]``: rebuild the market figures (行情) now, with a progress bar."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from anju.market.services import REFRESH_STEPS, market_refresh
from anju.org.models import Company


class Command(BaseCommand):
    help = "重新计算市场行情（挂牌均价、新增、库存、降价、在市天数）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="重新计算行情")
        refresh.add_argument("--company", type=int, help="只计算这家公司（编号）；默认全部公司")
        refresh.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        companies = Company.objects.order_by("pk")
        if options["company"] is not None:
            companies = companies.filter(pk=options["company"])
            if not companies.exists():
                raise CommandError(f"没有编号为 {options['company']} 的公司。")
        companies_list = list(companies)
        with tqdm(
            total=len(companies_list) * len(REFRESH_STEPS),
            desc="行情",
            unit="步",
            file=sys.stderr,
            disable=options["no_progress"],
            dynamic_ncols=True,
        ) as bar:

            def step(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update()

            for company in companies_list:
                bar.set_description(str(company))
                refresh = market_refresh(company=company, progress=step)
                self.stdout.write(
                    f"{company}：{refresh.listings} 套房源，{refresh.rows} 行行情，用时 {refresh.seconds:.1f} 秒。"
                )
