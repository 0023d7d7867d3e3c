"""A report as an Excel workbook: the figures, the per-agent table, then the records behind each
figure, one sheet per list — the same querysets as the pages, so the file agrees with them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anju.core.formats import format_date
from anju.reports.measures import MEASURES, Window
from anju.reports.selectors import Report, measure_records

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def _text(value: Any) -> Any:
    """Names are text: one starting with ``=`` must not become a formula; control characters are dropped."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def report_workbook(report: Report, window: Window) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("汇总"))
    summary.append([str(report.title), f"{format_date(window.start)} – {format_date(window.end)}"])
    summary.append([_("指标"), _("数值"), _("单位"), _("记录数")])
    for figure in report.figures:
        summary.append([str(figure.label), figure.value, str(figure.unit), figure.count])
    agents = workbook.create_sheet(_("按经纪人"))
    agents.append([_("经纪人"), _("门店"), *(str(label) for _key, label in report.columns)])
    keys = [key for key, _label in report.columns]
    for row in report.rows:
        agents.append([_text(row.name), _text(row.store), *row.cells(keys)])
    for key in dict.fromkeys(f.measure for f in report.figures):
        measure = MEASURES[key]
        sheet = workbook.create_sheet(str(measure.label))
        sheet.append([str(h) for h in measure.headers])
        for record in measure_records(window, key).iterator(chunk_size=CHUNK):
            sheet.append([_text(v) for v in measure.row(record)])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
