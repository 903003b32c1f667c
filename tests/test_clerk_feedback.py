"""The feedback workbook as the clerk who must correct it reads it (issue 15).

The returned files are LibreOffice-made (tests/files/returned/lo-*.xlsx) or openpyxl edits of a
template (oxl-*.xlsx); the feedback is printed through LibreOffice to check what the page shows.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

from conftest import run
from lo.harness import convert_to_pdf, pdf_page_sizes, requires_poppler, requires_soffice
from nianbao.findings import rule_name
from nianbao.layout import cells_in_range
from nianbao.workbook.feedback import COLUMNS, FEEDBACK_SHEET, HEADER_ROW

RETURNED = Path(__file__).parent / "files" / "returned"
DEADLINE, CONTACT = "2026-01-31", "政务公开办 王五 023-67811234"


def _feedback(tmp_path: Path, name: str) -> openpyxl.Workbook:
    src = tmp_path / name
    shutil.copy(RETURNED / name, src)
    out = tmp_path / f"fix-{name}"
    code, output = run("feedback", src, "-o", out, "--deadline", DEADLINE, "--contact", CONTACT)
    assert code in (0, 1), output
    return openpyxl.load_workbook(out)


def _rows(wb: openpyxl.Workbook) -> list[tuple]:
    return list(wb[FEEDBACK_SHEET].iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def _red(wb: openpyxl.Workbook) -> dict[str, object]:
    """Every red cell of the table sheets, with its value."""
    out = {}
    for name in ("表二", "表三", "表四"):
        for row in wb[name].iter_rows():
            for c in row:
                if c.fill is not None and str(c.fill.start_color.rgb).endswith("FFC7CE"):
                    out[f"{name}!{c.coordinate}"] = c.value
    return out


def test_the_problem_list_says_whose_it_is_by_when_and_what_to_do(tmp_path: Path) -> None:
    wb = _feedback(tmp_path, "lo-odd-values.xlsx")
    ws = wb[FEEDBACK_SHEET]
    assert ws["A1"].value == "重庆市某某区某某局2025年政府信息公开工作年度报告：需要修改的问题"
    assert "填报单位：重庆市某某区某某局" in ws["A2"].value
    assert "报送截止：2026年1月31日" in ws["A2"].value and CONTACT in ws["A2"].value
    assert "改正后直接报送本文件" in ws["A3"].value
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == [name for name, _ in COLUMNS] and header[-1] == "代码"
    assert ws.column_dimensions["G"].width <= 13  # the codes: a narrow last column
    rows = _rows(wb)
    assert rows and all(r[2] == rule_name(r[-1]) and not any(ch.isascii() and ch.isupper() for ch in r[2])
                        for r in rows)
    # 填报说明 of the copy carries the deadline and the contact too
    text = "\n".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "2026年1月31日" in text and CONTACT in text


def test_everything_restored_is_said_so_at_the_top(tmp_path: Path) -> None:
    from nianbao.findings import error
    from nianbao.model import load_report
    from nianbao.workbook.feedback import annotate
    from nianbao.workbook.writer import template_bytes

    report = load_report(Path(__file__).parents[1] / "samples" / "yubei-2021.json").report
    raw, _ = template_bytes(layout_id=report.layout.id, year=report.year, unit=report.unit)
    found = [error("LABEL-ALTERED", cells=("表三!C9",), cell="表三!C9", expected="a", actual="b")]
    wb = openpyxl.load_workbook(__import__("io").BytesIO(annotate(raw, report, found, remaining=[])))
    assert "均已按模板恢复，无需修改" in wb[FEEDBACK_SHEET]["A3"].value


def test_a_restored_label_is_said_to_need_nothing(tmp_path: Path) -> None:
    wb = _feedback(tmp_path, "oxl-label-changed.xlsx")
    [row] = [r for r in _rows(wb) if r[-1] == "LABEL-ALTERED"]
    assert row[5] == "本文件中已按模板恢复，此处无需处理"
    assert _red(wb) == {}  # nothing to find on 表三: the label is the template's again
    assert wb["表三"]["C9"].value == "2.其他法律行政法规禁止公开"


def test_an_overwritten_total_is_restored_with_its_consequences(tmp_path: Path) -> None:
    wb = _feedback(tmp_path, "lo-total-overwritten.xlsx")
    rows = [r for r in _rows(wb) if r[1] == "错误"]
    assert [r[-1] for r in rows] == ["FORMULA-ALTERED", "T3-ROW-TOTAL", "T3-BALANCE"]
    assert [r[5] for r in rows] == ["本文件中已按模板恢复，此处无需处理"] + ["由第 1 项导致；本文件中已按模板恢复，此处无需处理"] * 2
    assert str(wb["表三"]["J4"].value).startswith("=SUM(")
    assert _red(wb) == {}


def test_inputs_whose_sum_disagrees_are_marked_not_the_formula_total(tmp_path: Path) -> None:
    wb = _feedback(tmp_path, "lo-odd-values.xlsx")
    red = _red(wb)
    assert red and not any(isinstance(v, str) and v.startswith("=") for v in red.values()), red
    # 表三 column D does not balance: D27 (（七）总计) is a formula; the outcomes summed into it are marked
    assert str(wb["表三"]["D27"].value).startswith("=SUM(")
    assert "表三!D27" not in red and "表三!D6" in red and "表三!D26" in red and "表三!D4" in red
    note = wb["表三"]["D6"].comment.text
    assert "不平衡" in note and "本格计入 表三!D27" in note
    balance = next(r for r in _rows(wb) if r[-1] == "T3-BALANCE")
    sheet, refs = balance[3].split("!")
    listed = {c for r in refs.split("、") for c in cells_in_range(r)}
    assert sheet == "表三" and "D27" not in listed and {"D4", "D5", "D6", "D26", "D28"} <= listed
    assert balance[5] == "请改正标红的单元格"


@requires_soffice
@requires_poppler
def test_the_problem_list_prints_with_its_title_on_a4_landscape(tmp_path: Path) -> None:
    _feedback(tmp_path, "lo-odd-values.xlsx")
    pdf = convert_to_pdf(tmp_path / "fix-lo-odd-values.xlsx", tmp_path / "fix.pdf")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "需要修改的问题" in first and "改正后直接报送本文件" in first and "2026年1月31日" in first
    assert "VALUE-NEGATIVE" in first.replace("\n", "") or "VALUE-" in first  # the code column is printed last
    width, height = pdf_page_sizes(pdf)[0]
    assert (round(width), round(height)) == (842, 595)
