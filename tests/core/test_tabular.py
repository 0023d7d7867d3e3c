"""Reading spreadsheets: encodings, headers, line numbers, shifted columns, mapping files, cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from anju.core.tabular import (
    CellError,
    Column,
    FileMapping,
    TabularError,
    open_table,
    parse_area,
    parse_bool,
    parse_date,
    parse_money,
    read_mapping,
)
from tests.imports.conftest import csv_file, xlsx_file

COLUMNS = (
    Column("name", "姓名", ("客户",), required=True),
    Column("mobile", "手机", required=True),
    Column("notes", "备注"),
)


def rows(file, filename="a.csv", **options):
    table = open_table(file, filename=filename, columns=COLUMNS, **options)
    return table, [(row.line, row.values, row.errors) for row in table.rows]


def test_utf8_gbk_and_utf16_files_read_the_same():
    lines = ["姓名,手机,备注", "张三,13811112222,南北通透"]
    expected = [(2, {"name": "张三", "mobile": "13811112222", "notes": "南北通透"}, [])]
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        _table, found = rows(io.BytesIO("\r\n".join(lines).encode(encoding)))
        assert found == expected, encoding
    utf16 = io.BytesIO("\r\n".join(line.replace(",", "\t") for line in lines).encode("utf-16"))
    assert rows(utf16)[1] == expected


def test_a_line_in_another_encoding_is_reported_by_its_line_number_not_a_crash():
    # given: a UTF-8 file with one GBK line, and a GBK file with one UTF-8 line
    utf8 = csv_file(
        ["姓名,手机,备注", "张三,13811112222,", "李四,13811113333,备注".encode("gbk"), "王五,13811114444,"]
    )
    gbk = csv_file(
        ["姓名,手机,备注", "张三,13811112222,", "李四,13811113333,备注".encode(), "王五,13811114444,"],
        encoding="gbk",
    )
    # when
    _table, from_utf8 = rows(utf8)
    table, from_gbk = rows(gbk)
    # then
    assert [(line, bool(errors)) for line, _values, errors in from_utf8] == [
        (2, False),
        (3, True),
        (4, False),
    ]
    assert from_utf8[1][2] == ["编码错误：此行不是 UTF-8 编码的文字，请把整个文件另存为 UTF-8 或 GBK 后重试"]
    assert table.encoding == "gb18030"
    assert [(line, bool(errors)) for line, _values, errors in from_gbk] == [(2, False), (3, True), (4, False)]


def test_a_quoted_cell_with_a_line_break_keeps_the_following_line_numbers_right():
    _table, found = rows(
        csv_file(["姓名,手机,备注", '张三,13811112222,"第一行', '第二行"', "李四,13811113333,"])
    )
    assert [(line, values["name"]) for line, values, _errors in found] == [(2, "张三"), (4, "李四")]
    assert found[0][1]["notes"] == "第一行\r\n第二行"


def test_an_unterminated_quote_is_reported_at_its_line_and_the_lines_after_it_are_still_read():
    # given: 20 rows; row 5 opens a quote it never closes, row 12 has one too (closed by row 15's)
    lines = ["姓名,手机,备注"] + [f"客户{n},138{n:08d},备注{n}" for n in range(2, 22)]
    lines[4] = '客户5,13800000005,"他说：南北通透'
    lines[11] = '客户12,13800000012,"三房'
    lines[14] = '客户15",13800000015,备注15'
    # when
    _table, found = rows(csv_file(lines))
    # then: every line is a row, the two with the open quote are bad at their own line
    assert [line for line, _values, _errors in found] == list(range(2, 22))
    bad = {line: errors for line, _values, errors in found if errors}
    assert bad == {
        5: ["此行的引号没有闭合，后面的行会被并进一个单元格；请删去或补全这个引号"],
        12: ["此行的引号没有闭合，后面的行会被并进一个单元格；请删去或补全这个引号"],
    }
    assert found[4 - 2 + 2][1] == {"name": "客户6", "mobile": "13800000006", "notes": "备注6"}


def test_a_quote_left_open_in_the_last_column_until_the_end_of_the_file_is_reported():
    # given: the open quote is in the last column, so the cell count alone would look right
    lines = ["姓名,手机,备注", "张三,13811112222,无", '李四,13811113333,"三房', "王五,13811114444,无"]
    # when
    _table, found = rows(csv_file(lines))
    # then
    assert [(line, bool(errors)) for line, _values, errors in found] == [(2, False), (3, True), (4, False)]
    assert found[2][1]["name"] == "王五"


def test_shifted_columns_are_a_bad_row_but_trailing_empty_cells_are_not():
    _table, found = rows(
        csv_file(["姓名,手机,备注", "张三,13811112222", "李四,13811113333,,,", "王五,1,2,3"])
    )
    assert [errors for _line, _values, errors in found] == [
        ["本行有 2 列，表头有 3 列（列错位或少了分隔符）"],
        [],
        ["本行有 4 列，表头只有 3 列（列错位或多了分隔符）"],
    ]


def test_blank_lines_are_skipped_and_cells_trimmed_of_spaces_and_excel_wrappers():
    _table, found = rows(csv_file(["姓名,手机,备注", "", ' 张三\u3000,="13811112222",\t', ",,"]))
    assert found == [(3, {"name": "张三", "mobile": "13811112222", "notes": ""}, [])]


def test_headers_match_by_alias_and_ignoring_width_spaces_and_required_marks():
    table, found = rows(csv_file(["*客户, 手 机 ,其他", "张三,13811112222,x"]))
    assert table.keys == ["name", "mobile"]
    assert table.ignored == ["其他"]
    assert found[0][1] == {"name": "张三", "mobile": "13811112222"}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("姓名,备注", "缺少必需的列：手机。"),
        ("姓名,客户,手机", "“姓名”和“客户”两列都对应“姓名”"),
        ("", "文件是空的，没有表头。"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole_says_why(header, message):
    with pytest.raises(TabularError, match=message):
        rows(csv_file([header] if header else []))


def test_other_file_types_are_refused():
    with pytest.raises(TabularError, match="不支持旧版 Excel"):
        rows(io.BytesIO(b"x"), filename="a.xls")
    with pytest.raises(TabularError, match="只支持 CSV 和 XLSX"):
        rows(io.BytesIO(b"x"), filename="a.pdf")
    with pytest.raises(TabularError, match="无法读取这个 XLSX 文件"):
        rows(io.BytesIO(b"not a zip"), filename="a.xlsx")


def test_xlsx_rows_carry_excel_row_numbers_and_typed_cells_become_text():
    file = xlsx_file(
        [
            ["客户名单"],
            ["姓名", "手机", "备注"],
            ["张三", 13811112222, 89.5],
            [None, None, None],
            ["李四", "13811113333", dt.date(2024, 5, 1)],
            ["王五", "13811114444", None, "多出来的"],
        ]
    )
    table, found = rows(file, filename="a.xlsx")
    assert table.encoding is None
    assert found == [
        (3, {"name": "张三", "mobile": "13811112222", "notes": "89.5"}, []),
        (5, {"name": "李四", "mobile": "13811113333", "notes": "2024-05-01"}, []),
        (
            6,
            {"name": "王五", "mobile": "13811114444", "notes": ""},
            ["本行有 4 列，表头只有 3 列（列错位或多了分隔符）"],
        ),
    ]


def test_an_xlsx_claiming_the_whole_sheet_is_read_only_as_far_as_its_data_goes():
    # given: a few-KB workbook with two real rows and one cell at the sheet's far corner
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "手机", "备注"])
    sheet.append(["张三", "13811112222", "南北通透"])
    sheet.append(["李四", "13811113333", None])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    assert out.tell() < 10_000
    out.seek(0)
    # when
    table, found = rows(out, filename="a.xlsx")
    # then: the two rows, and the reader stopped after the data instead of walking the sheet
    assert [(line, values["name"], errors) for line, values, errors in found] == [
        (2, "张三", []),
        (3, "李四", []),
    ]
    assert table.reading.ended_after == 3
    assert table.reading.rows <= 4
    assert table.reading.cells <= 10


def test_an_xlsx_row_with_a_cell_far_past_the_header_is_a_shifted_row_not_a_wide_one():
    # given
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "手机"])
    sheet.append(["张三", "13811112222"])
    sheet["XFD2"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    # when
    _table, found = rows(out, filename="a.xlsx")
    # then
    assert found == [
        (2, {"name": "张三", "mobile": "13811112222"}, ["本行有 102 列，表头只有 2 列（列错位或多了分隔符）"])
    ]


def test_mapping_files_in_json_and_csv():
    assert read_mapping('{"Tel": "手机", "Who": "name"}'.encode(), filename="m.json", columns=COLUMNS) == {
        "tel": "mobile",
        "who": "name",
    }
    assert read_mapping("Tel,手机\n".encode("gbk"), filename="m.csv", columns=COLUMNS) == {"tel": "mobile"}
    with pytest.raises(TabularError, match="对照表中的“电话号码”不是标准列名"):
        read_mapping('{"Tel": "电话号码"}'.encode(), filename="m.json", columns=COLUMNS)
    with pytest.raises(TabularError, match="不是有效的 JSON"):
        read_mapping(b"{", filename="m.json", columns=COLUMNS)


def test_a_mapping_file_maps_headers_and_cell_values_and_an_empty_target_drops_a_column():
    # given
    as_csv = "源列名,标准列名\n客户名字,姓名\n旧备注,\n备注,无,（无）\n".encode()
    as_json = '{"列名": {"客户名字": "姓名", "旧备注": ""}, "取值": {"备注": {"无": "（无）"}}}'.encode()
    for data, filename in ((as_csv, "m.csv"), (as_json, "m.json")):
        mapping = read_mapping(data, filename=filename, columns=COLUMNS)
        # when
        table, found = rows(csv_file(["客户名字,手机,备注,旧备注", "张三,13811112222,无,x"]), mapping=mapping)
        # then
        assert table.ignored == ["旧备注"], filename
        assert found == [(2, {"name": "张三", "mobile": "13811112222", "notes": "（无）"}, [])], filename
        assert FileMapping.from_json(mapping.as_json()) == mapping
        assert FileMapping.from_json(mapping.as_json()).cell_values == {"notes": {"无": "（无）"}}


def test_cell_parsers_read_what_agents_write():
    assert parse_money("320万", "价格") == Decimal("3200000.00")
    assert parse_money("¥1,280,000元", "价格") == Decimal("1280000.00")
    assert parse_money("150.5", "价格", wan=True) == Decimal("1505000.00")
    assert parse_money("133.6188万", "价格") == Decimal("1336188.00")
    assert parse_area("89.5㎡", "面积") == Decimal("89.50")
    assert parse_area("１２０平米", "面积") == Decimal("120.00")
    assert parse_date("2024年5月1日", "日期") == dt.date(2024, 5, 1)
    assert parse_date("2024/5/1 00:00:00", "日期") == dt.date(2024, 5, 1)
    assert parse_bool("有", "电梯") is True
    for bad in ("面议", "NaN", "Infinity", "1e", ""):
        with pytest.raises(CellError, match="不是数字"):
            parse_money(bad, "价格")
    with pytest.raises(CellError, match="精确到分"):
        parse_money("1.001", "价格")
    with pytest.raises(CellError, match="不是有效日期"):
        parse_date("2024-02-30", "日期")
