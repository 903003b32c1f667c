"""``nianbao feedback``: a fresh, prefilled template with every problem marked; the original untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from nianbao.api import check_loaded, write_feedback
from nianbao.cli import app
from nianbao.findings import rule_name
from nianbao.rules import check_report
from nianbao.workbook.feedback import FEEDBACK_SHEET, HEADER_ROW
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

RETURNED = Path(__file__).parent / "files" / "returned"
runner = CliRunner()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    tmp = tmp_path_factory.mktemp("feedback")
    src = tmp / "returned.xlsx"
    shutil.copy(RETURNED / "lo-odd-values.xlsx", src)
    before = hashlib.sha256(src.read_bytes()).digest()
    out = tmp / "fix.xlsx"
    result = runner.invoke(app, ["feedback", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the returned file has errors
    return src, out, before


def test_the_original_is_never_modified(made: tuple[Path, Path, bytes]) -> None:
    src, _, before = made
    assert hashlib.sha256(src.read_bytes()).digest() == before


def test_problem_cells_are_red_with_the_message_as_comment(made: tuple[Path, Path, bytes]) -> None:
    src, out, _ = made
    loaded = read_workbook(src)
    result = check_report(loaded.report, None, loaded.findings)
    wb = openpyxl.load_workbook(out)
    negative = next(f for f in result.findings if f.rule == "VALUE-NEGATIVE")
    cell = wb["表三"]["G7"]
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    assert negative.message in cell.comment.text
    # a cell in two findings carries both messages
    d4 = wb["表三"]["D4"].comment.text
    assert "22（其中修订16件）" in d4 and "不平衡" in d4
    assert wb["表三"]["C4"].comment is None  # an untouched cell stays unmarked


def test_the_problem_list_lists_every_finding(made: tuple[Path, Path, bytes]) -> None:
    src, out, _ = made
    loaded = read_workbook(src)
    result = check_loaded(loaded)  # as ``nianbao feedback`` checks it (基本信息 included)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == FEEDBACK_SHEET
    rows = list(wb[FEEDBACK_SHEET].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [(r[2], r[4], r[-1]) for r in rows] == [(rule_name(f.rule), f.message, f.rule) for f in result.findings]


def test_the_feedback_template_keeps_the_writer_s_form(made: tuple[Path, Path, bytes]) -> None:
    _src, out, _ = made
    wb = openpyxl.load_workbook(out)
    for sheet in ("表二", "表三", "表四", "基本信息", "文字部分"):
        assert wb[sheet].protection.sheet
    assert wb["表三"].data_validations.dataValidation  # input prompts kept
    assert wb["表三"]["J4"].value.startswith("=")  # totals are formulas again
    assert wb.security is not None and wb.security.lockStructure
    assert {p.name for p in wb.custom_doc_props} >= {"nianbao.layout", "nianbao.unit_name"}
    assert wb["_nianbao"].sheet_state == "veryHidden"


def test_reading_the_feedback_back_gives_the_same_data_and_only_data_findings(
        made: tuple[Path, Path, bytes]) -> None:
    src, out, _ = made
    original = read_workbook(src)
    again = read_workbook(out)
    inputs = {k: v for k, v in original.report.values.items() if original.report.layout.fields[k].is_input}
    assert again.report.values == inputs
    assert again.report.text == original.report.text
    assert (again.report.unit, again.report.year) == (original.report.unit, original.report.year)
    assert {f.rule for f in again.findings} == {"VALUE-NEGATIVE", "VALUE-NOT-INTEGER"}


def test_a_clean_file_gets_an_empty_problem_list(tmp_path: Path) -> None:
    # LibreOffice typed the numbers only: what is left are the empty sections and contact cells
    result = write_feedback(RETURNED / "lo-filled-2021.xlsx", tmp_path / "numbers-only.xlsx")
    assert [(f.rule, f.cells) for f in result.findings] == [
        ("TEXT-EMPTY", ("文字部分!A10",)), ("TEXT-EMPTY", ("文字部分!A26",)),
        ("INFO-EMPTY", ("基本信息!B7",)), ("INFO-EMPTY", ("基本信息!B8",))]
    # the same figures with text and contact filled in: nothing to say
    loaded = read_workbook(RETURNED / "lo-filled-2021.xlsx")
    report = loaded.report
    report.text = {"s1": "（一）主动公开\n本年度主动公开政府信息。", "s5": "存在的主要问题。", "s6": "未收取信息处理费。"}
    src = tmp_path / "complete.xlsx"
    write_template(src, layout_id=report.layout.id, year=report.year, unit=report.unit, report=report,
                   campaign="c", info={"filler": "张三", "phone": "023-12345678"})
    out = tmp_path / "ok.xlsx"
    result = write_feedback(src, out)
    assert result.findings == []
    ws = openpyxl.load_workbook(out)[FEEDBACK_SHEET]
    assert ws.cell(HEADER_ROW + 1, 5).value == "未发现问题。"
    # the clerk's 填报人 and 联系电话 are kept in the feedback workbook
    info = openpyxl.load_workbook(out)["基本信息"]
    assert (info["B7"].value, info["B8"].value) == ("张三", "023-12345678")


def test_feedback_on_an_unusable_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "fix.xlsx"
    result = runner.invoke(app, ["feedback", str(RETURNED.parent / "unsafe" / "password-to-open.xlsx"),
                                 "-o", str(out)])
    assert result.exit_code == 2 and "请取消打开密码后重新报送" in result.output
    assert not out.exists()


def test_the_problem_list_prints_on_a4_landscape_with_every_message_visible(
        made: tuple[Path, Path, bytes]) -> None:
    _, out, _ = made
    ws = openpyxl.load_workbook(out)[FEEDBACK_SHEET]
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth) == ("landscape", 1)
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        message = str(ws.cell(row, 5).value)
        # tall enough for the wrapped message (about 44 CJK characters a line in a 90-wide column)
        assert ws.row_dimensions[row].height >= 15 * (len(message) // 44)
