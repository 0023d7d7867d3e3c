"""A mortgage's repayment schedule as an Excel workbook (还款计划.xlsx): a summary sheet, then the months."""

from __future__ import annotations

from io import BytesIO
from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from anju.core.formats import format_date
from anju.finance.mortgage import Mortgage, Row
from anju.finance.wording import percent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _rows(sheet: Worksheet, rows: tuple[Row, ...]) -> None:
    sheet.append([_("期数"), _("月供（元）"), _("本金（元）"), _("利息（元）"), _("剩余本金（元）")])
    for row in rows:
        sheet.append([row.month, row.payment, row.principal, row.interest, row.balance])
    for column in "BCDE":
        for cell in sheet[column][1:]:
            cell.number_format = MONEY_FORMAT
        sheet.column_dimensions[column].width = 16
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def schedule_workbook(result: Mortgage) -> bytes:
    workbook = Workbook()
    summary = cast(Worksheet, workbook.active)  # a new workbook always has its first sheet
    summary.title = _("概要")
    summary.append([_("房贷计算"), format_date(result.as_of)])
    summary.append([])
    summary.append(
        [
            _("贷款"),
            _("利率"),
            _("金额（元）"),
            _("期数"),
            _("首月月供"),
            _("末月月供"),
            _("总利息"),
            _("还款总额"),
        ]
    )
    for part in result.parts:
        summary.append(
            [
                part.label,
                f"{percent(part.rate.annual)}（{part.rate.text}）",
                part.part.principal,
                part.months,
                part.first_payment,
                part.last_payment,
                part.total_interest,
                part.total_paid,
            ]
        )
    summary.append(
        [
            _("合计"),
            "",
            result.principal,
            len(result.schedule),
            result.first_payment,
            result.last_payment,
            result.total_interest,
            result.total_paid,
        ]
    )
    for row in summary.iter_rows(min_row=4):
        for cell in row[2:3] + row[4:]:
            cell.number_format = MONEY_FORMAT
    summary.append([])
    summary.append([_("取整规则"), result.rounding])
    for note in result.notes:
        summary.append([_("说明"), note])
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 40
    _rows(workbook.create_sheet(_("还款计划")), result.schedule)
    if len(result.parts) > 1:
        for number, part in enumerate(result.parts, start=1):
            _rows(workbook.create_sheet(f"{number}-{part.label}"[:31]), part.schedule)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
