"""Adversarial review: returned workbooks damaged the way clerks damage them (tests/files/review/).

The files are made by ``tests/files/review/make.py``: through a real LibreOffice where a clerk uses
a spreadsheet program, with openpyxl, or by editing the XML as Excel and WPS write it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.findings import Finding
from nianbao.rules import check_report
from nianbao.workbook.feedback import feedback_bytes
from nianbao.workbook.reader import read_workbook

REVIEW = Path(__file__).parent / "files" / "review"
runner = CliRunner()


def check(name: str) -> list[Finding]:
    """Every finding except blank inputs (a template is mostly blank), as ``nianbao check`` makes them."""
    loaded = read_workbook(REVIEW / name)
    return [f for f in check_report(loaded.report, None, loaded.findings).findings if f.rule != "VALUE-BLANK"]


def rules(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.severity.value, f.cells) for f in check(name)]


# --- values typed the way clerks type them (LibreOffice) ---------------------------------------


def test_numbers_typed_as_text_formulas_and_odd_numbers() -> None:
    assert rules("lo-typed.xlsx") == [
        # text that is a number ("12", "１２", "1,234", " 7 "): read, but the workbook's own sums skip it
        ("NUMBER-AS-TEXT", "warning", ("表三!D4",)),
        ("NUMBER-AS-TEXT", "warning", ("表三!E4",)),
        ("NUMBER-AS-TEXT", "warning", ("表三!F4",)),
        ("NUMBER-AS-TEXT", "warning", ("表三!G4",)),
        ("INPUT-FORMULA", "warning", ("表三!D5",)),
        ("INPUT-FORMULA", "warning", ("表三!E5",)),
        ("VALUE-NOTE", "warning", ("表三!H4",)),
        ("VALUE-NOT-NUMBER", "error", ("表三!H5",)),
        ("VALUE-NEGATIVE", "error", ("表三!I5",)),
        ("VALUE-NOT-INTEGER", "error", ("表三!D6",)),
        ("T3-BALANCE", "error", ("表三!D4", "表三!D5", "表三!D27", "表三!D28")),
        ("T3-BALANCE", "error", ("表三!E4", "表三!E5", "表三!E27", "表三!E28")),
        ("T3-BALANCE", "error", ("表三!F4", "表三!F5", "表三!F27", "表三!F28")),
        ("T3-BALANCE", "error", ("表三!G4", "表三!G5", "表三!G27", "表三!G28")),
        ("T3-BALANCE", "error", ("表三!I4", "表三!I5", "表三!I27", "表三!I28")),
        ("VALUE-TOO-LARGE", "error", ("表三!G5",)),  # 10^15 requests
    ]
    values = read_workbook(REVIEW / "lo-typed.xlsx").report.values
    assert [values[f"t3.new.{c}"] for c in ("natural", "business", "research", "nonprofit", "legal", "other")] \
        == [12, 12, 1234, 7, 12, 0]
    assert (values["t3.carried_in.natural"], values["t3.carried_in.business"]) == (7, 8)  # =3+4, =D5+1
    assert values["t3.carried_in.nonprofit"] == 10**15 and str(values["t2.fees.amount"]) == "12.345"
    assert "t3.carried_in.legal" not in values  # "1e3" as text is not read as a number


def test_text_sections_keep_line_breaks_emoji_formula_like_starts_and_length() -> None:
    loaded = read_workbook(REVIEW / "lo-typed.xlsx")
    text = loaded.report.text
    assert text["s1"] == "第一行\n第二行\n第三行 😀"  # Alt+Enter (\n) and pasted \r\n both become \n
    assert text["s2"] == "=cmd|' /C calc'!A0" and len(text["s3"]) == 30000
    # the feedback workbook writes formula-like text back as text, never as a formula
    from openpyxl import load_workbook

    result = check_report(loaded.report, None, loaded.findings)
    wb = load_workbook(io.BytesIO(feedback_bytes(loaded, result)))
    cells = {c.value: c.data_type for row in wb["文字部分"].iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["=cmd|' /C calc'!A0"] == "s"


def test_date_typed_into_a_number_cell_is_shown_as_a_date() -> None:
    [f, balance] = [f for f in check("oxl-date-typed.xlsx") if f.rule != "NUMBER-AS-TEXT"]
    assert (f.rule, f.cells) == ("VALUE-NOT-NUMBER", ("表三!F5",))
    assert "“2023-01-05”不是数字" in f.message and "00:00" not in f.message
    assert balance.rule == "T3-BALANCE"
    assert read_workbook(REVIEW / "oxl-date-typed.xlsx").report.values["t3.new.natural"] == 12  # NBSP/全角空格


# --- structure changed in LibreOffice ----------------------------------------------------------


def test_row_deleted_is_named_and_its_values_are_not_taken_from_the_next_row() -> None:
    found = rules("lo-row-deleted.xlsx")
    assert ("ROW-DELETED", "error", ("表三!C10",)) in found
    assert not {r for r, _, _ in found} & {"LABEL-ALTERED", "FORMULA-ALTERED", "TABLE-MOVED", "CONTENT-OUTSIDE"}
    [deleted] = [f for f in check("lo-row-deleted.xlsx") if f.rule == "ROW-DELETED"]
    assert "3.危及“三安全一稳定”" in deleted.message and "t3.denied_security.natural" in deleted.keys
    values = read_workbook(REVIEW / "lo-row-deleted.xlsx").report.values
    assert not any(k.startswith("t3.denied_security.") for k in values)
    assert (values["t3.denied_third_party.natural"], values["t3.denied_internal.natural"]) == (4, 2)
    result = runner.invoke(app, ["check", str(REVIEW / "lo-row-deleted.xlsx")])
    assert result.exit_code == 1 and "被删除" in result.output


def test_column_inserted_is_one_error_and_values_follow_their_columns() -> None:
    found = rules("lo-column-inserted.xlsx")
    assert [r for r in found if r[0] == "TABLE-MOVED"] == [("TABLE-MOVED", "error", ("表三!F2",))]
    assert not {r for r, _, _ in found} & {"LABEL-ALTERED", "FORMULA-ALTERED", "CELL-UNLOCKED", "T3-ROW-TOTAL"}
    values = read_workbook(REVIEW / "lo-column-inserted.xlsx").report.values
    assert [values[f"t3.new.{c}"] for c in ("natural", "business", "other")] == [5, 6, 2]
    assert [values[f"t3.granted.{c}"] for c in ("natural", "business", "other")] == [5, 6, 2]


def test_input_merged_with_its_neighbour_is_an_error_not_a_silent_zero() -> None:
    found = check("lo-input-merged.xlsx")
    [merged] = [f for f in found if f.rule == "INPUT-MERGED"]
    assert merged.severity.value == "error" and merged.cells == ("表三!E4",)
    assert merged.keys == ("t3.new.business",) and "D4:E4" in merged.message
    assert "t3.new.business" not in read_workbook(REVIEW / "lo-input-merged.xlsx").report.values


def test_sheet_moved_and_hidden_is_still_read() -> None:
    assert rules("lo-sheets-moved-hidden.xlsx") == [("SHEET-ORDER", "warning", ())]
    assert read_workbook(REVIEW / "lo-sheets-moved-hidden.xlsx").report.values["t4.review.upheld"] == 1


# --- identity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xml-props-removed.xlsx", "oxl-meta-sheet-deleted.xlsx"])
def test_one_copy_of_the_identity_is_enough(name: str) -> None:
    loaded = read_workbook(REVIEW / name)
    assert check(name) == []
    assert (loaded.report.unit.name, loaded.report.year, loaded.report.layout.id) == ("测试局", 2023, "2021")


def test_properties_of_another_unit_are_an_error() -> None:
    found = check("xml-props-other-unit.xlsx")
    conflicts = [f for f in found if f.rule == "META-IDENTITY"]
    assert [(f.severity.value, f.actual, f.expected) for f in conflicts] == [
        ("error", "邻县交通局", "测试局"), ("error", "U99", "U01")]
    assert "其他单位" in conflicts[0].message
    assert runner.invoke(app, ["check", str(REVIEW / "xml-props-other-unit.xlsx")]).exit_code == 1


def test_identity_of_the_other_layout_is_read_by_the_tables() -> None:
    loaded = read_workbook(REVIEW / "oxl-meta-2019-tables-2021.xlsx")
    assert loaded.report.layout.id == "2021"
    found = rules("oxl-meta-2019-tables-2021.xlsx")
    assert found == [("META-LAYOUT", "warning", ())]
    assert loaded.report.values["t3.new.natural"] == 4 and loaded.report.values["t3.granted.natural"] == 4


# --- files nianbao cannot read --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("lo-saved-as.ods", "是 OpenDocument（.ods）格式。请另存为 Excel 工作簿 (*.xlsx) 后重新报送。"),
    ("lo-ods-renamed.xlsx", "是 OpenDocument（.ods）格式。请另存为 Excel 工作簿 (*.xlsx) 后重新报送。"),
    ("lo-saved-as.xls", "是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法核对模板的公式和保护。"
                        "请另存为 Excel 工作簿 (*.xlsx) 后重新报送。"),
    ("empty.xlsx", "是空文件（0 字节），可能保存或传送时出错，请重新保存后报送。"),
])
def test_refused_with_a_chinese_reason(name: str, text: str) -> None:
    for command in (["check"], ["export", "-o", "/nonexistent/x.json"], ["feedback", "-o", "/nonexistent/x.xlsx"]):
        result = runner.invoke(app, [command[0], str(REVIEW / name), *command[1:]])
        assert result.exit_code == 2, (command, result.output)
        assert f"{REVIEW / name} {text}" in " ".join(result.output.split()).replace("\n", ""), result.output
        assert "Traceback" not in result.output
