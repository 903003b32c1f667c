"""The fill-in workbook in a real LibreOffice: typed into like a person would, saved as .xlsx, read back.

One LibreOffice job fills every workbook (a few seconds); a second run of a plain soffice with
LibreOffice's *default* settings (no recalculation of xlsx on load) checks that a prefilled template
shows correct totals rather than stale zeros.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lo.harness import pdf_page_sizes, requires_poppler, requires_soffice, run_job
from nianbao.layout import Layout, get_layout
from nianbao.model import Report, Unit, compute_totals
from nianbao.synth import random_report
from nianbao.values import Number
from nianbao.workbook import form
from nianbao.workbook.meta import META_SHEET
from nianbao.workbook.writer import write_template

pytestmark = [requires_soffice, pytest.mark.soffice]

UNIT = Unit("测试区政务服务管理办公室", "T-001")
CLERK = "李四"
TEXT_S1 = "（一）主动公开\n本年度主动公开政府信息 12 条。"


def _number(value: Number) -> int | float:
    return float(value) if isinstance(value, Decimal) else int(value)


def _typed(layout: Layout, values: dict[str, Number]) -> list[dict[str, Any]]:
    """The cells a clerk types: every input, the 填报人 and the text of 一、总体情况."""
    cells: list[dict[str, Any]] = []
    for key in layout.inputs:
        sheet, ref = layout.cell(key).split("!")
        cells.append({"sheet": sheet, "cell": ref, "value": _number(values[key])})
    cells.append({"sheet": form.INFO_SHEET, "cell": form.info_cell("filler").ref, "string": CLERK})
    s1 = next(tc for tc in form.text_cells(layout) if tc.section == "s1")
    cells.append({"sheet": form.TEXT_SHEET, "cell": s1.ref, "string": TEXT_S1})
    return cells


def _broken(layout: Layout, values: dict[str, Number]) -> int:
    """How many equations a workbook with these inputs breaks (totals are formulas, so only the
    equations that are not a total's own definition can break)."""
    full = {**values, **compute_totals(layout, values)}
    return sum(1 for eq in layout.equations
               if sum(full[k] for k in eq.lhs) != sum(full[k] for k in eq.rhs))


class Case:
    def __init__(self, name: str, report: Report, template: Path, filled: Path) -> None:
        self.name = name
        self.report = report
        self.layout = report.layout
        self.template = template
        self.filled = filled


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    d = tmp_path_factory.mktemp("lo")
    rng = random.Random(20251126)
    out: dict[str, Case] = {}
    for lid, year in (("2021", 2025), ("2019", 2020)):
        report = random_report(lid, year, UNIT, rng, with_totals=False)
        out[lid] = Case(lid, report, d / f"t{lid}.xlsx", d / f"filled{lid}.xlsx")
    bad = random_report("2021", 2025, UNIT, rng, with_totals=False)
    bad.values["t3.new.natural"] = int(bad.values["t3.new.natural"]) + 1  # breaks 自然人 and 总计 columns
    bad.values["t3.granted.research"] = int(bad.values["t3.granted.research"]) + 2  # breaks 科研机构 (not 总计)
    bad.values["t3.carried_out.legal"] = int(bad.values["t3.carried_out.legal"]) + 2  # … 法律服务机构, and 总计 again
    out["bad"] = Case("bad", bad, d / "tbad.xlsx", d / "filledbad.xlsx")
    actions: list[dict[str, Any]] = []
    for case in out.values():
        write_template(case.template, layout_id=case.layout.id, year=case.report.year, unit=UNIT, password="pw")
        actions.append({"op": "fill", "src": case.template, "dst": case.filled,
                        "cells": _typed(case.layout, case.report.values), "recalc": True})
    actions.append({"op": "convert", "src": out["2021"].template, "dst": d / "t2021.pdf",
                    "filter": "calc_pdf_Export"})
    run_job(actions)
    return out


def _cached(path: Path, layout: Layout) -> tuple[Any, dict[str, Any]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    values = {}
    for key in layout.fields:
        sheet, ref = layout.cell(key).split("!")
        values[key] = wb[sheet][ref].value
    return wb, values


@pytest.mark.parametrize("name", ["2021", "2019"])
def test_typed_values_read_back_and_totals_as_nianbao_computes(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    layout = case.layout
    wb, cached = _cached(case.filled, layout)
    for key in layout.inputs:
        assert cached[key] == pytest.approx(float(case.report.values[key])), key
    expected = compute_totals(layout, case.report.values)
    assert len(expected) == len(layout.totals)
    for key in layout.totals:
        assert cached[key] == pytest.approx(float(expected[key])), key
    check = wb[form.CHECK_SHEET]
    assert check[form.STATUS_REF].value == form.STATUS_OK
    assert check[form.EMPTY_COUNT_REF].value == 0
    assert {check[cr.result_ref].value for cr in form.check_rows(layout)} == {form.CHECK_OK}
    for chk in form.table_checks(layout):
        assert wb[chk.sheet][chk.ref].value == form.CHECK_OK, chk
    for table in layout.tables:
        place = form.table_placement(layout, table.sheet)
        assert wb[table.sheet][place.status_ref].value == form.STATUS_OK
    assert wb[form.INFO_SHEET][form.info_cell("filler").ref].value == CLERK
    s1 = next(tc for tc in form.text_cells(layout) if tc.section == "s1")
    assert wb[form.TEXT_SHEET][s1.ref].value == TEXT_S1
    # the formulas survived LibreOffice's save; protection and structure lock too
    wb_f = openpyxl.load_workbook(case.filled)
    for key in layout.totals:
        sheet, ref = layout.cell(key).split("!")
        assert str(wb_f[sheet][ref].value).startswith("=SUM("), key
    assert all(ws.protection.sheet for ws in wb_f.worksheets)
    # LibreOffice keeps the document protected but writes a bare <workbookProtection/> (it drops the
    # lockStructure attribute on export), and it saves the very hidden sheet as merely hidden.
    assert "<workbookProtection" in zipfile.ZipFile(case.filled).read("xl/workbook.xml").decode()
    assert wb_f[META_SHEET].sheet_state in ("hidden", "veryHidden")


@pytest.mark.parametrize("name", ["2021", "2019"])
def test_filled_workbook_through_the_reader(cases: dict[str, Case], name: str) -> None:
    reader = pytest.importorskip("nianbao.workbook.reader")
    case = cases[name]
    loaded = reader.read_workbook(case.filled)
    assert loaded.report.layout.id == case.layout.id and loaded.report.year == case.report.year
    assert {k: loaded.report.values[k] for k in case.layout.inputs} == case.report.values
    assert loaded.report.computed_totals() == compute_totals(case.layout, case.report.values)


def test_inconsistent_inputs_show_the_error_count(cases: dict[str, Case]) -> None:
    case = cases["bad"]
    layout = case.layout
    broken = _broken(layout, case.report.values)
    assert broken == 4  # 自然人, 科研机构, 法律服务机构 and 总计 columns of rule 1
    wb, _ = _cached(case.filled, layout)
    check = wb[form.CHECK_SHEET]
    assert check[form.STATUS_REF].value == f"有 {broken} 处不一致，请检查标红单元格"
    bad_rows = [cr for cr in form.check_rows(layout) if check[cr.result_ref].value == form.CHECK_BAD]
    assert {cr.equation.lhs[0] for cr in bad_rows} == {
        "t3.new.natural", "t3.new.research", "t3.new.legal", "t3.new.total"}
    assert {cr.equation.rule for cr in bad_rows} == {"T3-BALANCE"}
    bad_beside = {c.ref for c in form.table_checks(layout) if wb[c.sheet][c.ref].value == form.CHECK_BAD}
    below = form.table_placement(layout, "表三").below_labels
    balance_row = next(ref for ref, rule in below if rule == "T3-BALANCE")[1:]
    assert bad_beside == {f"{c}{balance_row}" for c in "DFHJ"}


def test_blank_template_status_counts_empty_inputs(tmp_path: Path) -> None:
    """LibreOffice computes the status of an untouched template: nothing broken, all inputs empty."""
    layout = get_layout("2021")
    src = tmp_path / "blank.xlsx"
    write_template(src, layout_id="2021", year=2025, unit=UNIT)
    [res] = run_job([{"op": "read", "src": src, "cells": [
        {"sheet": form.CHECK_SHEET, "cell": form.STATUS_REF},
        {"sheet": form.CHECK_SHEET, "cell": form.EMPTY_COUNT_REF},
        {"sheet": "表三", "cell": "J27"}]}])
    status, empty, total = res["cells"]
    assert empty["value"] == len(layout.inputs)
    assert status["string"] == f"勾稽关系一致，尚有 {len(layout.inputs)} 个单元格未填写（无数据请填 0）"
    assert total["value"] == 0 and total["formula"] == "=SUM(D27:I27)"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_prefilled_template_shows_correct_totals_with_default_settings(tmp_path: Path) -> None:
    """LibreOffice's default is not to recalculate xlsx on load: totals must not be stale zeros."""
    layout = get_layout("2021")
    report = random_report("2021", 2025, UNIT, random.Random(7), with_totals=False)
    src = tmp_path / "prefilled.xlsx"
    write_template(src, layout_id="2021", year=2025, unit=UNIT, report=report)
    outdir = tmp_path / "out"
    profile = tmp_path / "profile"  # a fresh profile: LibreOffice's default settings
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=120)
    wb, cached = _cached(outdir / src.name, layout)
    expected = compute_totals(layout, report.values)
    assert any(v for v in expected.values())
    for key in layout.totals:
        assert cached[key] == pytest.approx(float(expected[key])), key
    assert wb[form.CHECK_SHEET][form.STATUS_REF].value == form.STATUS_OK


@requires_poppler
def test_t3_prints_on_one_landscape_page(cases: dict[str, Case]) -> None:
    pdf = cases["2021"].template.with_name("t2021.pdf")
    sizes = pdf_page_sizes(pdf)
    landscape = [s for s in sizes if s[0] > s[1]]
    assert len(landscape) == 3  # 表三 and 表四, each on one page, and 校验
    assert all(abs(w - 841.89) < 1 and abs(h - 595.3) < 1 for w, h in landscape)
