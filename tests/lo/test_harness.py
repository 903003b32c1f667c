"""The LibreOffice harness itself: it must really type into, recalculate,
save and convert files with LibreOffice."""

from __future__ import annotations

import getpass
import socket
import struct
from pathlib import Path

import pytest

from .harness import (
    LibreOfficeError,
    cell_spec,
    convert_to_pdf,
    fill_workbook,
    last_job_timing,
    pdf_page_sizes,
    pdf_to_pngs,
    read_cells,
    requires_poppler,
    requires_soffice,
    run_job,
    sheet_protection,
)

xlsxwriter = pytest.importorskip("xlsxwriter")
openpyxl = pytest.importorskip("openpyxl")

A4_PT = (595.28, 841.89)


def make_workbook(path: Path, *, stale_total: object = "") -> Path:
    """表三 (protected): inputs A1:A3 unlocked, A4 = SUM(A1:A3) with the given
    cached result ("" = none); 基本信息 (protected): B5 unlocked text input;
    说明: unprotected."""
    wb = xlsxwriter.Workbook(str(path))
    unlocked = wb.add_format({"locked": False})
    locked = wb.add_format({"locked": True, "bold": True})

    t3 = wb.add_worksheet("表三")
    for row in range(3):
        t3.write_blank(row, 0, None, unlocked)
    t3.write_formula("A4", "=SUM(A1:A3)", locked, stale_total)
    t3.protect("secret")

    info = wb.add_worksheet("基本信息")
    info.write("A5", "填报人", locked)
    info.write_blank("B5", None, unlocked)
    info.protect("secret")

    notes = wb.add_worksheet("说明")
    notes.write("A1", "本表由测试生成")
    wb.close()
    return path


def test_cell_spec_shorthand():
    assert cell_spec(("表三", "D4", 3)) == {"sheet": "表三", "cell": "D4", "value": 3}
    assert cell_spec(("表三", "D4", 2.5)) == {"sheet": "表三", "cell": "D4", "value": 2.5}
    assert cell_spec(("基本信息", "B5", "张三")) == {"sheet": "基本信息", "cell": "B5", "string": "张三"}
    assert cell_spec(("表三", "J4")) == {"sheet": "表三", "cell": "J4"}
    assert cell_spec(("表三", "D4", None)) == {"sheet": "表三", "cell": "D4", "clear": True}
    with pytest.raises(TypeError):
        cell_spec(("表三", "D4", True))


@requires_soffice
def test_fill_types_values_and_libreoffice_computes_total(tmp_path):
    src = make_workbook(tmp_path / "in.xlsx")
    dst = tmp_path / "out" / "filled.xlsx"

    fill_workbook(
        src, dst, [("表三", "A1", 3), ("表三", "A2", 4.5), ("表三", "A3", -1), ("基本信息", "B5", "张三")]
    )
    assert last_job_timing["total_seconds"] < 60, last_job_timing

    formulas = openpyxl.load_workbook(dst)
    t3 = formulas["表三"]
    assert [t3[c].value for c in ("A1", "A2", "A3")] == [3, 4.5, -1]
    assert t3["A4"].value == "=SUM(A1:A3)"  # formula kept
    assert formulas["基本信息"]["B5"].value == "张三"
    assert t3.protection.sheet  # LibreOffice kept the protection
    assert t3["A1"].protection.locked is False
    assert t3["A4"].protection.locked is True

    cached = openpyxl.load_workbook(dst, data_only=True)
    assert cached["表三"]["A4"].value == pytest.approx(6.5)

    # LibreOffice's own reading of the saved file agrees.
    a4, b5 = read_cells(dst, [("表三", "A4"), ("基本信息", "B5")])
    assert a4["type"] == "FORMULA" and a4["formula"] == "=SUM(A1:A3)"
    assert a4["value"] == pytest.approx(6.5) and a4["error"] == 0
    assert b5["type"] == "TEXT" and b5["string"] == "张三"


@requires_soffice
def test_overwriting_locked_formula_replaces_it(tmp_path):
    src = make_workbook(tmp_path / "in.xlsx")
    dst = tmp_path / "overwritten.xlsx"
    # A lock file left behind by a killed office must not block loading, and a
    # job must not leave lock files of its own (e.g. next to repository fixtures).
    stale_lock = tmp_path / ".~lock.in.xlsx#"
    stale_lock.write_text(
        f",{getpass.getuser()},{socket.gethostname()},01.01.2026 09:00,file:///tmp/nianbao-lo-profile-gone;"
    )
    fill_workbook(src, dst, [("表三", "A1", 1), ("表三", "A2", 2), ("表三", "A4", 100)])
    assert [p.name for p in tmp_path.glob(".~lock*")] == [stale_lock.name]

    t3 = openpyxl.load_workbook(dst)["表三"]
    assert t3.protection.sheet  # still protected...
    assert t3["A4"].data_type == "n"  # ...but the total is now a constant
    assert t3["A4"].value == 100
    assert t3["A1"].value == 1


@requires_soffice
def test_stale_cached_total_is_recalculated_on_load(tmp_path):
    # A cached 999 that LibreOffice would keep with its default settings; the
    # harness profile (OOXMLRecalcMode=0) must recompute it on load, even
    # without an explicit calculateAll().
    src = make_workbook(tmp_path / "stale.xlsx", stale_total=999)
    assert openpyxl.load_workbook(src, data_only=True)["表三"]["A4"].value == 999
    filled = tmp_path / "filled.xlsx"
    resaved = tmp_path / "resaved.xlsx"
    fill_workbook(src, filled, [("表三", "A1", 5), ("表三", "A2", 6)], recalc=False)
    run_job(
        [{"op": "convert", "src": src, "dst": resaved, "filter": "Calc MS Excel 2007 XML", "recalc": False}]
    )

    assert openpyxl.load_workbook(resaved, data_only=True)["表三"]["A4"].value == 0
    assert openpyxl.load_workbook(filled, data_only=True)["表三"]["A4"].value == 11


@requires_soffice
def test_sheet_protection_as_libreoffice_sees_it(tmp_path):
    src = make_workbook(tmp_path / "in.xlsx")
    assert sheet_protection(src) == {"表三": True, "基本信息": True, "说明": False}
    assert list(sheet_protection(src)) == ["表三", "基本信息", "说明"]  # order kept

    # The same file with protection stripped by openpyxl reads as unprotected.
    wb = openpyxl.load_workbook(src)
    wb["表三"].protection.sheet = False
    unprotected = tmp_path / "unprotected.xlsx"
    wb.save(unprotected)
    assert sheet_protection(unprotected)["表三"] is False


@requires_soffice
def test_errors_are_reported(tmp_path):
    src = make_workbook(tmp_path / "in.xlsx")
    with pytest.raises(LibreOfficeError, match="no sheet"):
        read_cells(src, [("表九", "A1")])
    with pytest.raises(LibreOfficeError, match="bad job"):
        run_job([{"op": "explode", "src": src}])
    # The office from the failed job is gone: the next job still works.
    [a4] = read_cells(src, [("表三", "A4")])
    assert a4["value"] == 0 and a4["formula"] == "=SUM(A1:A3)"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@requires_soffice
@requires_poppler
def test_docx_to_pdf_keeps_a4(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.shared import Mm

    doc = docx.Document()
    section = doc.sections[0]  # python-docx's default template is US Letter
    section.page_width, section.page_height = Mm(210), Mm(297)
    doc.add_paragraph("政府信息公开工作年度报告")
    doc.add_page_break()
    doc.add_paragraph("第二页")
    src = tmp_path / "report.docx"
    doc.save(src)

    pdf = convert_to_pdf(src, tmp_path / "pdf" / "report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    sizes = pdf_page_sizes(pdf)
    assert len(sizes) == 2
    for w, h in sizes:
        assert w == pytest.approx(A4_PT[0], abs=1) and h == pytest.approx(A4_PT[1], abs=1)

    pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=40)
    assert [p.name for p in pngs] == ["report-1.png", "report-2.png"]
    w, h = _png_size(pngs[0])
    assert (w, h) == (round(210 / 25.4 * 40), round(297 / 25.4 * 40))


@requires_soffice
@requires_poppler
def test_xlsx_to_pdf_in_the_same_job_as_a_fill(tmp_path):
    src = make_workbook(tmp_path / "in.xlsx")
    filled, pdf = tmp_path / "filled.xlsx", tmp_path / "filled.pdf"
    results = run_job(
        [
            {"op": "fill", "src": src, "dst": filled, "cells": [cell_spec(("表三", "A1", 42))]},
            {"op": "convert", "src": filled, "dst": pdf, "filter": "calc_pdf_Export"},
            {"op": "read", "src": filled, "cells": [cell_spec(("表三", "A4"))]},
        ]
    )
    assert [r["op"] for r in results] == ["fill", "convert", "read"]
    assert results[1]["size"] == pdf.stat().st_size > 0
    assert results[2]["cells"][0]["value"] == 42
    assert len(pdf_page_sizes(pdf)) >= 1
