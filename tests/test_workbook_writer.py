"""The fill-in workbook: labels and merges as the spec, locks, protection, validation, identity,
formulas, prefill, the CLI, and the committed blank templates."""

from __future__ import annotations

import json
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from typer.testing import CliRunner

from nianbao.carry import carry_forward
from nianbao.cli import app
from nianbao.errors import NianbaoError
from nianbao.layout import Kind, cells_in_range, get_layout, split_ref
from nianbao.model import Report, Unit
from nianbao.synth import random_report
from nianbao.workbook import form
from nianbao.workbook.meta import META_SHEET
from nianbao.workbook.writer import (
    BLANK_UNIT,
    TEMPLATE_FILES,
    TEMPLATE_YEAR,
    TEMPLATES_DIR,
    blank_template_id,
    compress_refs,
    refresh_templates,
    template_bytes,
    write_template,
)
from spec_tables import spec_table

LAYOUT_IDS = ("2021", "2019")
UNIT = Unit("重庆市渝北区某某局（试点）/ 政务公开办 & 信息中心：一个很长很长的单位名称用于测试换行", "500112-001")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Any]]:
    out = {}
    for lid in LAYOUT_IDS:
        path = tmp_path_factory.mktemp("wb") / f"t{lid}.xlsx"
        meta = write_template(path, layout_id=lid, year=2025, unit=UNIT, password="mima", campaign="c-1",
                              deadline="2026年1月31日", contact="张三 023-12345678")
        out[lid] = (path, meta)
    return out


def _load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_sheets_in_order_and_labels_merges_as_spec(books: dict, lid: str) -> None:
    path, _ = books[lid]
    wb = _load(path)
    assert wb.sheetnames == ["填报说明", "基本信息", "文字部分", "表二", "表三", "表四", "校验", "_nianbao"]
    for tid, sheet in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
        spec = spec_table(lid, tid)
        ws = wb[sheet]
        n_rows = max(int(re.sub(r"\D", "", ref)) for ref in [*spec.labels, *spec.numbers])
        n_cols = max(openpyxl.utils.column_index_from_string(re.sub(r"\d", "", ref))
                     for ref in [*spec.labels, *spec.numbers])
        labels = {}
        for row in ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols):
            for c in row:
                if isinstance(c.value, str) and not c.value.startswith("="):
                    labels[c.coordinate] = c.value
        assert labels == spec.labels, sheet
        grid = {str(m) for m in ws.merged_cells.ranges}
        assert grid == spec.merges, sheet
        # every number cell of the spec is a blank input or a formula, nothing else
        for ref in spec.numbers:
            value = ws[ref].value
            assert value is None or (isinstance(value, str) and value.startswith("=SUM(")), (sheet, ref)


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_exactly_the_input_cells_are_unlocked(books: dict, lid: str) -> None:
    path, _ = books[lid]
    layout = get_layout(lid)
    wb = _load(path)
    expected: dict[str, set[str]] = {name: set() for name in wb.sheetnames}
    for key in layout.inputs:
        sheet, ref = layout.cell(key).split("!")
        expected[sheet].add(ref)
    expected["基本信息"] = {"B7", "B8", "B9"}  # 填报人, 联系电话, 填报日期
    expected["文字部分"] = {tc.ref for tc in form.text_cells(layout)}
    assert len(expected["文字部分"]) == 7  # the preface and the six sections
    n_inputs = {"2021": 10 + 24 * 6 + 12, "2019": 22 + 22 * 6 + 12}[lid]
    assert sum(len(expected[s]) for s in ("表二", "表三", "表四")) == n_inputs
    for ws in wb.worksheets:
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row
                    if not isinstance(c, MergedCell) and c.has_style and c.protection.locked is False}
        assert unlocked == expected[ws.title], ws.title


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_every_sheet_protected_and_structure_locked(books: dict, lid: str) -> None:
    path, _ = books[lid]
    wb = _load(path)
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.password  # a password was given
        assert ws.protection.formatColumns is False  # False = allowed: widening columns is fine
        assert ws.protection.insertRows is not False and ws.protection.deleteColumns is not False
    assert wb.security is not None and wb.security.lockStructure is True
    xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    # CT_Workbook order: workbookPr, workbookProtection, bookViews
    assert xml.index("<workbookPr") < xml.index("<workbookProtection") < xml.index("<bookViews>")


def test_blank_password_still_protects(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    write_template(path, layout_id="2021", year=2024, unit=Unit("甲"))
    wb = _load(path)
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert not wb["表三"].protection.password
    assert wb.security.lockStructure is True and not wb.security.workbookPassword


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_hidden_identity(books: dict, lid: str) -> None:
    path, meta = books[lid]
    wb = _load(path)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    pairs = dict(meta.as_pairs())
    # an empty text property reads back as None in openpyxl
    assert {k: v or "" for k, v in props.items()} == {f"nianbao.{k}": v for k, v in pairs.items()}
    assert props["nianbao.layout"] == lid and props["nianbao.year"] == "2025"
    assert props["nianbao.unit_code"] == "500112-001" and props["nianbao.unit_name"] == UNIT.name
    assert props["nianbao.fingerprint"] == get_layout(lid).fingerprint
    assert props["nianbao.campaign"] == "c-1" and len(props["nianbao.template_id"]) == 32
    ws = wb[META_SHEET]
    assert ws.sheet_state == "veryHidden"
    assert {r[0].value: r[1].value or "" for r in ws.iter_rows(max_col=2)} == pairs
    info = wb["基本信息"]
    assert info["B3"].value == UNIT.name and info["B4"].value == "500112-001" and info["B5"].value == 2025
    assert info["B6"].value == form.layout_text(get_layout(lid))
    assert info["B3"].alignment.wrap_text is True  # a long unit name wraps
    assert info.row_dimensions[3].height >= 2 * 14  # … and its row is tall enough for two lines


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_input_validation_and_prompts(books: dict, lid: str) -> None:
    path, _ = books[lid]
    layout = get_layout(lid)
    wb = _load(path)
    expected = {Kind.COUNT: ("whole", "greaterThanOrEqual", "0"),
                Kind.AMOUNT: ("decimal", "greaterThanOrEqual", "0"),
                Kind.SIGNED: ("whole", "between", "-1000000000")}
    kinds_seen = set()
    for key in layout.inputs:
        sheet, ref = layout.cell(key).split("!")
        dvs = [dv for dv in wb[sheet].data_validations.dataValidation if ref in dv.sqref]
        assert len(dvs) == 1, key
        dv = dvs[0]
        kind = layout.fields[key].kind
        kinds_seen.add(kind)
        assert (dv.type, dv.operator or "between", dv.formula1) == expected[kind], key
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and "只能填写" in dv.error
        assert dv.showInputMessage and dv.prompt == form.INPUT_PROMPT[kind]
    assert kinds_seen == ({Kind.COUNT, Kind.AMOUNT, Kind.SIGNED} if lid == "2019" else {Kind.COUNT, Kind.AMOUNT})


def _refs_of(formula: str) -> set[str]:
    out: set[str] = set()
    for rng in re.findall(r"(?<![A-Z'])([A-O]\d+(?::[A-O]\d+)?)", formula):
        out.update(cells_in_range(rng))
    return out


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_totals_are_locked_formulas_of_their_parts_with_empty_cache(books: dict, lid: str) -> None:
    path, _ = books[lid]
    layout = get_layout(lid)
    wb = _load(path)
    for key in layout.totals:
        f = layout.fields[key]
        sheet, ref = layout.cell(key).split("!")
        cell = wb[sheet][ref]
        assert cell.protection.locked is True
        assert _refs_of(cell.value) == {layout.fields[p].ref for p in f.parts}, key
    sheet3 = zipfile.ZipFile(path).read("xl/worksheets/sheet5.xml").decode()
    j4 = re.search(r'<c r="J4"[^>]*>(.*?)</c>', sheet3).group(1)
    assert j4 == "<f>SUM(D4:I4)</f><v></v>"  # no cached 0: LibreOffice computes it on load


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_live_checks_for_every_equation(books: dict, lid: str) -> None:
    path, _ = books[lid]
    layout = get_layout(lid)
    wb = _load(path)
    chk = wb["校验"]
    rows = form.check_rows(layout)
    # 校验 lists only the equations the clerk's inputs decide: 表三's balance per column
    assert [cr.equation for cr in rows] == [eq for eq in layout.equations if eq.rule == "T3-BALANCE"]
    rules = {eq.rule for eq in layout.equations}
    assert rules == {"T3-BALANCE", "T3-ROW-TOTAL", "T3-OUTCOME-TOTAL", "T4-TOTAL"}
    for cr in rows:
        eq = cr.equation
        assert chk[f"B{cr.row}"].value == "表三收支平衡"
        assert _refs_of(chk[cr.lhs_ref].value) == {layout.fields[k].ref for k in eq.lhs}
        assert _refs_of(chk[cr.rhs_ref].value) == {layout.fields[k].ref for k in eq.rhs}
        assert chk[cr.result_ref].value.startswith("=IF(ROUND(")
    # 表三 rule 1 per column D–J: 7 checks, the copies on the sheet below the table
    balance = [c for c in form.table_checks(layout) if c.equation.rule == "T3-BALANCE"]
    assert sorted(c.ref[0] for c in balance) == list("DEFGHIJ")
    for c in form.table_checks(layout):
        ws = wb[c.sheet]
        table = layout.table_by_sheet[c.sheet]
        row, col = split_ref(c.ref)
        assert row > table.n_rows or col > table.n_cols, c  # outside the statutory grid
        formula = ws[c.ref].value
        assert _refs_of(formula) == {layout.fields[k].ref for k in c.equation.keys}
    status = chk[form.STATUS_REF].value
    assert form.STATUS_OK in status and "处不一致，请检查标红单元格" in status and "COUNTIF(H7:H" in status
    empty = chk[form.EMPTY_COUNT_REF].value
    counted = set()
    for part in re.findall(r"COUNTBLANK\('(表.)'!([A-O0-9:]+)\)", empty):
        counted.update(f"{part[0]}!{r}" for r in cells_in_range(part[1]))
    assert counted == {layout.cell(k) for k in layout.inputs}
    # conditional formatting marks broken checks red, on 校验 and on 表三
    assert any(form.CHECK_BAD in r.formula[0] for cf in chk.conditional_formatting for r in cf.rules)
    cf3 = [str(cf.sqref) for cf in wb["表三"].conditional_formatting]
    marked = [{c for r in s.split() for c in cells_in_range(r)} for s in cf3]
    # the input cells of the balance check of column D, not its formula total (七)总计
    total_row = int(layout.fields["t3.total.natural"].ref[1:])
    assert any({"D4", "D5", "D6"} <= m and f"D{total_row}" not in m for m in marked), cf3


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_print_setup(books: dict, lid: str) -> None:
    path, _ = books[lid]
    layout = get_layout(lid)
    wb = _load(path)
    for t in layout.tables:
        ws = wb[t.sheet]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if t.id in ("t3", "t4") else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        assert ws.page_setup.fitToHeight in (None, 1)  # each table on one page (1 is the default)
        assert t.title in ws.oddHeader.center.text
        if t.header_rows:
            assert ws.print_title_rows == f"$1:${t.header_rows}"
            assert ws.freeze_panes is not None
        assert ws.print_area == f"'{t.sheet}'!$A$1:${chr(64 + t.n_cols)}${t.n_rows}"
        for c in range(1, t.n_cols + 1):
            assert ws.column_dimensions[chr(64 + c)].width >= 8
    c7 = wb["表三"]["C21"]
    assert c7.font.name == "宋体" and c7.alignment.wrap_text and c7.border.left.style == "thin"


def test_prefilled_inputs_and_text(tmp_path: Path) -> None:
    report = random_report("2019", 2020, Unit("乙"), random.Random(5))
    report.values["t2.procurement.amount"] = Decimal("12.34")
    report.text = {"s1": "（一）主动公开\n正文第一段。", "s6": "未收取信息处理费。"}
    path = tmp_path / "p.xlsx"
    write_template(path, layout_id="2019", year=2020, unit=Unit("乙"), report=report)
    layout = report.layout
    wb = _load(path)
    for key in layout.inputs:
        sheet, ref = layout.cell(key).split("!")
        assert wb[sheet][ref].value == float(report.values[key]), key
    assert wb["表二"]["C18"].value == 12.34
    for key in layout.totals:
        sheet, ref = layout.cell(key).split("!")
        assert str(wb[sheet][ref].value).startswith("=SUM("), key  # never a constant
    texts = {tc.section: wb["文字部分"][tc.ref].value for tc in form.text_cells(layout)}
    assert texts == {"preface": None, "s1": report.text["s1"], "s2": None, "s3": None, "s4": None, "s5": None,
                     "s6": report.text["s6"]}


def test_prefill_of_another_layout_is_refused(tmp_path: Path) -> None:
    report = random_report("2019", 2020, Unit("乙"), random.Random(1))
    with pytest.raises(NianbaoError) as exc:
        write_template(tmp_path / "x.xlsx", layout_id="2021", year=2021, unit=Unit("乙"), report=report)
    assert exc.value.code == "E-TEMPLATE-DATA-LAYOUT" and "2019 版" in str(exc.value)
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(NianbaoError) as exc:
        write_template(tmp_path / "x.xlsx", layout_id="2020", year=2021, unit=Unit("乙"))
    assert exc.value.code == "E-TEMPLATE-LAYOUT-ID"
    with pytest.raises(NianbaoError) as exc:
        write_template(tmp_path / "x.xlsx", layout_id="2021", year=2021, unit=Unit("  "))
    assert exc.value.code == "E-TEMPLATE-UNIT"


def test_carry_forward_prefills_carried_in() -> None:
    last = random_report("2019", 2020, Unit("丙"), random.Random(3))
    this = carry_forward(last, 2021, Unit("丙"))
    assert this.layout.id == "2021"
    assert this.values == {f"t3.carried_in.{c}": last.values[f"t3.carried_out.{c}"]
                           for c in ("natural", "business", "research", "nonprofit", "legal", "other")}
    data, _ = template_bytes(layout_id="2021", year=2021, unit=Unit("丙"), report=this)
    assert data[:2] == b"PK"


def test_compress_refs() -> None:
    assert compress_refs(["D6", "D7", "D8", "D10"]) == ["D6:D8", "D10"]
    assert compress_refs(["D4", "E4", "F4"]) == ["D4:F4"]


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

runner = CliRunner()


def _data_file(tmp_path: Path, values: dict[str, Any], layout: str = "2021", **extra: Any) -> Path:
    p = tmp_path / "d.json"
    doc = {"schema": "nianbao/1", "layout": layout, "year": 2024, "unit": {"name": "甲"}, "values": values, **extra}
    p.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return p


def test_cli_template_defaults_layout_by_year(tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    res = runner.invoke(app, ["template", "-o", str(out), "--year", "2020", "--unit-name", "某某局",
                              "--unit-code", "001"])
    assert res.exit_code == 0, res.output
    assert "已生成" in res.output
    wb = _load(out)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["nianbao.layout"] == "2019" and props["nianbao.unit_code"] == "001"
    res = runner.invoke(app, ["template", "-o", str(out), "--year", "2021", "--unit-name", "某某局", "--force"])
    assert res.exit_code == 0
    assert {p.name: p.value for p in _load(out).custom_doc_props.props}["nianbao.layout"] == "2021"


def test_cli_template_partial_data_prefills(tmp_path: Path) -> None:
    data = _data_file(tmp_path, {"t3.carried_in.natural": 4, "t3.carried_in.total": 99},
                      text={"s5": "问题与改进。"})
    out = tmp_path / "b.xlsx"
    res = runner.invoke(app, ["template", "-o", str(out), "--year", "2025", "--unit-name", "某某局",
                              "--data", str(data), "--password", "pw"])
    assert res.exit_code == 0, res.output
    wb = _load(out)
    assert wb["表三"]["D5"].value == 4 and wb["表三"]["E5"].value is None
    assert wb["表三"]["J5"].value == "=SUM(D5:I5)"  # a stated total never replaces the formula
    s5 = next(tc for tc in form.text_cells(get_layout("2021")) if tc.section == "s5")
    assert wb["文字部分"][s5.ref].value == "问题与改进。"


@pytest.mark.parametrize(("content", "words"), [
    ("{不是 JSON", "不是有效的 JSON"),
    ('{"schema": "nianbao/1", "layout": "2021", "year": 2024, "unit": {"name": "甲"},'
     ' "values": {"t3.new.natural": "很多"}}', "不是数字"),
    ('{"schema": "nianbao/1", "layout": "2021", "year": 2024, "unit": {"name": "甲"},'
     ' "values": {"t3.nonsense": 1}}', "未知的数据项"),
])
def test_cli_template_bad_data_exit_2_no_file(tmp_path: Path, content: str, words: str) -> None:
    data = tmp_path / "bad.json"
    data.write_text(content, "utf-8")
    out = tmp_path / "c.xlsx"
    res = runner.invoke(app, ["template", "-o", str(out), "--year", "2025", "--unit-name", "某某局",
                              "--data", str(data)])
    assert res.exit_code == 2
    assert words in res.output and "Traceback" not in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == [data]


def test_cli_template_layout_conflict(tmp_path: Path) -> None:
    data = _data_file(tmp_path, {"t3.carried_in.natural": 4})
    res = runner.invoke(app, ["template", "-o", str(tmp_path / "d.xlsx"), "--year", "2025", "--unit-name", "甲",
                              "--layout", "2019", "--data", str(data)])
    assert res.exit_code == 2 and "须一致" in res.output
    res = runner.invoke(app, ["template", "-o", str(tmp_path / "d.xlsx"), "--year", "2025", "--unit-name", "甲",
                              "--layout", "2022"])
    assert res.exit_code == 2 and "只支持“2019”或“2021”" in res.output


# --------------------------------------------------------------------------------------------
# templates/ is up to date
# --------------------------------------------------------------------------------------------


def semantic(path: Path) -> dict[str, Any]:
    """What a workbook means: cells, locks, merges, validations, formats, print set-up, identity."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {
        "sheets": wb.sheetnames,
        "structure": bool(wb.security and wb.security.lockStructure),
        "props": sorted((p.name, str(p.value)) for p in wb.custom_doc_props.props),
    }
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.protection.locked, c.fill.fgColor.rgb, c.alignment.wrap_text,
                  c.font.name, c.font.b)
                 for row in ws.iter_rows() for c in row if not isinstance(c, MergedCell) and c.has_style]
        out[ws.title] = {
            "state": ws.sheet_state,
            "protected": ws.protection.sheet,
            "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt,
                                   dv.error) for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), tuple(r.formula or ()) ) for cf in ws.conditional_formatting
                                  for r in cf.rules),
            "widths": sorted((k, v.width) for k, v in ws.column_dimensions.items()),
            "heights": sorted((k, v.height) for k, v in ws.row_dimensions.items()),
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                      ws.print_title_rows, ws.print_area, ws.freeze_panes, ws.oddHeader.center.text),
        }
    return out


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_committed_templates_are_up_to_date(tmp_path: Path, lid: str) -> None:
    committed = Path(__file__).resolve().parents[1] / TEMPLATES_DIR / TEMPLATE_FILES[lid]
    assert committed.is_file(), "run: python -m nianbao.workbook.writer --refresh-templates"
    fresh = tmp_path / committed.name
    write_template(fresh, layout_id=lid, year=TEMPLATE_YEAR, unit=BLANK_UNIT, template_id=blank_template_id(lid))
    assert semantic(fresh) == semantic(committed), (
        f"{committed.name} is out of date: run python -m nianbao.workbook.writer --refresh-templates")
    wb = openpyxl.load_workbook(committed)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["nianbao.template_id"] == blank_template_id(lid)
    assert props["nianbao.unit_name"] == "（单位名称）"
    layout = get_layout(lid)
    assert all(wb[s][r].value is None for s, r in (layout.cell(k).split("!") for k in layout.inputs))


def test_refresh_templates_writes_both(tmp_path: Path) -> None:
    written = refresh_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(TEMPLATE_FILES.values())
    assert all(p.read_bytes()[:2] == b"PK" for p in written)


def test_semantic_comparison_sees_a_change(tmp_path: Path) -> None:
    a = tmp_path / "a.xlsx"
    b = tmp_path / "b.xlsx"
    write_template(a, layout_id="2021", year=2025, unit=Unit("甲"), template_id="x" * 32)
    write_template(b, layout_id="2021", year=2025, unit=Unit("甲"), template_id="x" * 32)
    assert semantic(a) == semantic(b)
    report = Report(get_layout("2021"), 2025, Unit("甲"), {"t3.new.natural": 1})
    write_template(b, layout_id="2021", year=2025, unit=Unit("甲"), template_id="x" * 32, report=report)
    assert semantic(a) != semantic(b)
