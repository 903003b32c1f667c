"""The workbook a unit fills, as LibreOffice prints it and as a clerk reads it (issue 15).

Print geometry is measured on the PDF LibreOffice makes (``pdftotext -bbox``): every word of every
sheet at least 15 mm from each edge of the paper, and on 文字部分 each heading on the page of its box.
"""

from __future__ import annotations

import html
import itertools
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from lo.harness import convert_to_pdf, requires_poppler, requires_soffice
from nianbao.layout import get_layout
from nianbao.model import Unit, load_report
from nianbao.workbook import form
from nianbao.workbook.writer import keep_blocks_together, write_template

ROOT = Path(__file__).parents[1]
SEED = ROOT / "samples" / "yubei-2021.json"  # layout 2019, long narrative
MIN_EDGE = 15 * 72 / 25.4  # 15 mm in points
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    return [(float(m.group(1)), float(m.group(2)),
             [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in
              _WORD.findall(m.group(3))]) for m in _PAGE.finditer(out)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both layouts, blank and prefilled with the seed's text, through LibreOffice to PDF."""
    tmp = tmp_path_factory.mktemp("print")
    seed = load_report(SEED).report
    out = {}
    for name, layout_id, report in (("2021", "2021", None), ("2019", "2019", None), ("seed", "2019", seed)):
        xlsx = tmp / f"{name}.xlsx"
        write_template(xlsx, layout_id=layout_id, year=2025, unit=Unit("重庆市渝北区政务服务管理办公室", "A01"),
                       report=report, deadline="2026-01-31", contact="政务公开办 王五 023-67811234",
                       campaign="3958d4e0-1111-2222-3333-444455556666")
        out[name] = xlsx
    return out


@pytest.fixture(scope="module")
def pdfs(printed: dict[str, Path]) -> dict[str, Path]:
    return {name: convert_to_pdf(xlsx, xlsx.with_suffix(".pdf")) for name, xlsx in printed.items()}


@requires_soffice
@requires_poppler
@pytest.mark.parametrize("name", ["2021", "2019", "seed"])
def test_every_word_of_every_sheet_prints_15_mm_inside_the_paper(pdfs: dict[str, Path], name: str) -> None:
    pages = _pages(pdfs[name])
    assert len(pages) >= 7  # 填报说明, 基本信息, 文字部分…, 表二, 表三, 表四, 校验
    for no, (width, height, words) in enumerate(pages, start=1):
        assert words, no
        for x0, y0, x1, y1, text in words:
            edges = (x0, y0, width - x1, height - y1)
            assert min(edges) >= MIN_EDGE, (no, text, [round(e, 1) for e in edges])


@requires_soffice
@requires_poppler
def test_each_text_heading_prints_on_the_page_of_its_box(printed: dict[str, Path], pdfs: dict[str, Path]) -> None:
    """The seed's long 一、总体情况 fills most of a page: no heading is left alone at a page foot."""
    layout = get_layout("2019")
    seed = load_report(SEED).report
    # the pages of 文字部分: its name is in the page header
    pages = [p for p in _pages(pdfs["seed"]) if any(w[4] == form.TEXT_SHEET and w[1] < 72 for w in p[2])]
    assert len(pages) >= 2

    def page_of(fragment: str, whole_word: bool = False) -> int:
        hits = [no for no, (_, _, words) in enumerate(pages)
                if (any(w[4] == fragment for w in words) if whole_word else fragment in "".join(w[4] for w in words))]
        assert hits, fragment
        return hits[0]

    checked = 0
    for tc in form.text_cells(layout):
        text = seed.text.get(tc.section, "")
        heading_page = page_of(tc.heading.replace(" ", ""), whole_word=True)
        assert page_of(tc.guidance[:12].replace(" ", "")) == heading_page, tc.heading
        if text.strip():
            assert page_of(text.replace(" ", "")[:10]) == heading_page, tc.heading
            checked += 1
    assert checked >= 3
    breaks = openpyxl.load_workbook(printed["seed"])[form.TEXT_SHEET].row_breaks.brk
    assert breaks  # the page breaks are the workbook's own, so Excel and WPS print the same


def test_keep_blocks_together_breaks_before_a_block_that_would_not_fit() -> None:
    heights = {0: 30.0, 1: 40.0, 2: 20.0, 3: 20.0, 4: 300.0, 5: 15.0, 6: 20.0, 7: 20.0, 8: 300.0}
    assert keep_blocks_together(heights, [(2, 4), (6, 8)], 500.0) == [6]
    assert keep_blocks_together(heights, [(2, 4), (6, 8)], 1000.0) == []
    assert keep_blocks_together({0: 900.0}, [(0, 0)], 500.0) == []  # taller than a page: no empty page


def _sheet_text(path: Path, sheet: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("layout_id", ["2021", "2019"])
def test_check_sheet_lists_only_checks_that_can_fail_in_chinese(printed: dict[str, Path], layout_id: str) -> None:
    layout = get_layout(layout_id)
    rows = form.check_rows(layout)
    # in the locked sheet only 表三's balance per column depends on what the clerk types
    assert [cr.equation.rule for cr in rows] == ["T3-BALANCE"] * 7
    assert len(layout.equations) > 30 and not any(form.can_fail(layout, eq) for eq in layout.equations
                                                   if eq.rule != "T3-BALANCE")
    ws = openpyxl.load_workbook(printed[layout_id])[form.CHECK_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and not c.value.startswith("="))
    assert not re.search(r"T[234]-|[A-Z]{3,}-[A-Z]", text)  # no rule codes for the clerk
    assert [c.value for c in ws[form.CHECK_HEADER_ROW]][:4] == ["序号", "校验项目", "校验内容", "涉及单元格"]
    for cr in rows:
        assert ws[f"B{cr.row}"].value == "表三收支平衡"
        cells = ws[f"D{cr.row}"].value
        last = max(int(layout.fields[k].ref[1:]) for k in cr.equation.keys)
        col = layout.fields[cr.equation.lhs[0]].ref[0]
        assert cells.startswith("表三 ") and f"{col}4" in cells and f"{col}{last}" in cells, cells


@requires_soffice
@requires_poppler
@pytest.mark.parametrize("name", ["2021", "2019"])
def test_instructions_print_with_the_same_gap_under_every_paragraph(pdfs: dict[str, Path], name: str) -> None:
    """No line of 填报说明 is followed by a blank line's worth of space (a height guessed too large):
    between two lines of text the distance is one line, or one line and the paragraph gap."""
    _width, height, words = _pages(pdfs[name])[0]
    body = [w for w in words if MIN_EDGE + 40 < w[1] < height - MIN_EDGE - 40]  # no page header or footer
    tops: list[float] = []
    for _, y0, *_ in sorted(body, key=lambda w: w[1]):
        if not tops or y0 - tops[-1] > 3:
            tops.append(y0)
    headings = {round(w[1]) for w in body if re.match(r"^[一二三四五六]、", w[4])}
    steps = [b - a for a, b in itertools.pairwise(tops[1:])  # from the first line under the title
             if round(a) not in headings and round(b) not in headings]
    assert len(steps) >= 10
    line = min(steps)
    assert max(steps) < 1.6 * line, [round(x, 1) for x in steps]


def test_instructions_say_what_each_layout_has_in_chinese_dates(printed: dict[str, Path]) -> None:
    t2021 = _sheet_text(printed["2021"], form.INSTRUCTIONS_SHEET)
    t2019 = _sheet_text(printed["2019"], form.INSTRUCTIONS_SHEET)
    assert "本年增/减" not in t2021  # the 2021 表二 has no such column
    assert "本年增/减" in t2019
    for text in (t2021, t2019):
        assert "报送时限：请于2026年1月31日前报送。" in text and "2026-01-31" not in text
        assert "3958d4e0" not in text and "报送批次" not in text  # the batch id is for machines
    text_note = _sheet_text(printed["2021"], form.TEXT_SHEET)
    assert "Alt+Enter 换行（Excel、WPS；LibreOffice 为 Ctrl+Enter）" in text_note
    assert "WPS、LibreOffice 为 Ctrl+Enter" not in text_note
    info = openpyxl.load_workbook(printed["2021"])[form.INFO_SHEET]
    assert info.data_validations.dataValidation
    prompt = next(v.prompt for v in info.data_validations.dataValidation if "B9" in str(v.sqref))
    assert "2026年1月20日" in prompt


def test_template_warns_on_an_unusual_year_and_refuses_one_before_2008(tmp_path: Path) -> None:
    code, output = run("template", "-o", tmp_path / "a.xlsx", "--year", "2035", "--unit-name", "甲局")
    assert code == 0 and (tmp_path / "a.xlsx").is_file()
    assert "提示：报告年度为 2035 年，既不是今年" in output
    code, output = run("template", "-o", tmp_path / "b.xlsx", "--year", "2005", "--unit-name", "甲局")
    assert code == 2 and not (tmp_path / "b.xlsx").exists()
    assert "早于 2008 年" in output and "提示" not in output
    from datetime import date

    code, output = run("template", "-o", tmp_path / "c.xlsx", "--year", date.today().year - 1, "--unit-name", "甲局")
    assert code == 0 and "提示" not in output
