"""Regenerate ``tests/files/review/``: returned workbooks damaged the way clerks damage them.

    python tests/files/review/make.py

Each file starts from a fresh nianbao template (2021 layout, 2023, unit 测试局) and is then changed
the way it happens in practice: through a real LibreOffice (``lo_edit.py``, which drives it with
the test harness's ``uno_driver.py``), by openpyxl, or by editing the XML parts as Excel and WPS
write them. ``cases.json`` records what was done to each file; ``tests/test_review_workbook.py``
asserts what nianbao says about each.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent.parent
UNIT = ("测试局", "U01")
OTHER_UNIT = ("邻县交通局", "U99")
YEAR = 2023
XLSX = "Calc MS Excel 2007 XML"


def _template(path: Path, unit: tuple[str, str]) -> None:
    from nianbao.model import Unit
    from nianbao.workbook.writer import template_bytes

    data, _ = template_bytes(layout_id="2021", year=YEAR, unit=Unit(*unit))
    path.write_bytes(data)


def _val(sheet: str, cell: str, value: float) -> dict[str, Any]:
    return {"do": "value", "sheet": sheet, "cell": cell, "arg": value}


def _str(sheet: str, cell: str, text: str) -> dict[str, Any]:
    return {"do": "string", "sheet": sheet, "cell": cell, "arg": text}


LO_CASES: dict[str, tuple[str, list[dict[str, Any]], str]] = {
    # name: (what a clerk did, steps, filter)
    "lo-typed.xlsx": ("numbers typed as text, formulas and odd numbers in inputs; long and odd text", [
        _str("表三", "D4", "12"), _str("表三", "E4", "１２"), _str("表三", "F4", "1,234"),
        _str("表三", "G4", " 7 "), _str("表三", "H4", "12件"), _str("表三", "I4", "—"),
        {"do": "formula", "sheet": "表三", "cell": "D5", "arg": "=3+4"},
        {"do": "formula", "sheet": "表三", "cell": "E5", "arg": "=D5+1"},
        _str("表三", "H5", "1e3"), _val("表三", "I5", -3), _val("表三", "D6", 2.5),
        _val("表三", "G5", 1e15), _val("表二", "B14", 12.345),
        _str("文字部分", "A10", "第一行\n第二行\r\n第三行 😀"),
        _str("文字部分", "A14", "=cmd|' /C calc'!A0"),
        _str("文字部分", "A18", "长" * 30000),
    ], XLSX),
    "lo-row-deleted.xlsx": ("表三 row 10 （三）3 deleted (protection removed first)", [
        {"do": "unprotect", "sheet": "表三"},
        _val("表三", "D4", 9), _val("表三", "D10", 3), _val("表三", "D11", 4), _val("表三", "D12", 2),
        {"do": "delete_rows", "sheet": "表三", "row": 9, "count": 1},
    ], XLSX),
    "lo-column-inserted.xlsx": ("a column inserted before 表三 column E, then numbers typed", [
        {"do": "unprotect", "sheet": "表三"},
        {"do": "insert_cols", "sheet": "表三", "col": 4, "count": 1},
        _val("表三", "D4", 5), _val("表三", "F4", 6), _val("表三", "J4", 2), _val("表三", "D6", 5),
        _val("表三", "F6", 6), _val("表三", "J6", 2),
    ], XLSX),
    "lo-input-merged.xlsx": ("input 表三!E4 (holding 7) merged with its neighbour D4 (holding 5)", [
        {"do": "unprotect", "sheet": "表三"},
        _val("表三", "D4", 5), _val("表三", "E4", 7), _val("表三", "D6", 5), _val("表三", "E6", 7),
        {"do": "merge", "sheet": "表三", "range": "D4:E4"},
    ], XLSX),
    "lo-sheets-moved-hidden.xlsx": ("structure unprotected, 表四 moved before 表二 and hidden", [
        {"do": "unprotect_book"}, {"do": "move_sheet", "sheet": "表四", "to": 3},
        {"do": "hide_sheet", "sheet": "表四"}, _val("表四", "A4", 1),
    ], XLSX),
    "lo-saved-as.ods": ("saved by LibreOffice as .ods", [_val("表三", "D4", 1)], "calc8"),
    "lo-saved-as.xls": ("saved by LibreOffice as .xls", [_val("表三", "D4", 1)], "MS Excel 97"),
    "lo-ods-renamed.xlsx": ("saved as .ods, then renamed to .xlsx", [_val("表三", "D4", 1)], "calc8"),
}


def _lo(work: Path) -> None:
    sys.path.insert(0, str(TESTS))
    from lo import harness

    harness.DRIVER = HERE / "lo_edit.py"  # the harness's driver plus the "edit" op
    src = work / "template.xlsx"
    actions = [{"op": "edit", "src": src, "dst": HERE / name, "filter": flt, "steps": steps}
               for name, (_, steps, flt) in LO_CASES.items()]
    harness.run_job(actions)


def _zip_edit(src: Path, dst: Path, change: Any) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)


def _other(work: Path) -> dict[str, str]:
    import openpyxl

    tpl = work / "template.xlsx"
    out: dict[str, str] = {}

    def edit(name: str, what: str, change: Any, src: Path = tpl) -> None:
        wb = openpyxl.load_workbook(src)
        change(wb)
        wb.save(HERE / name)
        out[name] = what

    def date_typed(wb: Any) -> None:  # Excel/WPS store a typed date as a number with a date format
        ws = wb["表三"]
        ws["F5"].value = datetime.datetime(2023, 1, 5)
        ws["F5"].number_format = "yyyy/m/d"
        ws["D4"].value = "\u00a012\u3000"

    edit("oxl-date-typed.xlsx", "a date typed into 表三!F5; 表三!D4 '12' padded with NBSP and ideographic space",
         date_typed)

    def meta_2019(wb: Any) -> None:
        ws = wb["_nianbao"]
        for row in ws.iter_rows():
            if row[0].value == "layout":
                row[1].value = "2019"
        for prop in wb.custom_doc_props:
            if prop.name == "nianbao.layout":
                prop.value = "2019"
        wb["表三"]["D4"].value = 4
        wb["表三"]["D6"].value = 4

    edit("oxl-meta-2019-tables-2021.xlsx", "identity says 2019 layout; the tables are 2021", meta_2019)

    other_props = zipfile.ZipFile(work / "other.xlsx").read("docProps/custom.xml")
    _zip_edit(tpl, HERE / "xml-props-other-unit.xlsx",
              lambda n, d: other_props if n == "docProps/custom.xml" else d)
    out["xml-props-other-unit.xlsx"] = "docProps/custom.xml taken from another unit's workbook"

    def drop_custom(name: str, data: bytes) -> bytes | None:
        if name == "docProps/custom.xml":
            return None
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override PartName="/docProps/custom.xml"[^>]*/>', b"", data)
        if name == "_rels/.rels":
            return re.sub(rb"<Relationship [^>]*custom-properties[^>]*/>", b"", data)
        return data

    _zip_edit(tpl, HERE / "xml-props-removed.xlsx", drop_custom)
    out["xml-props-removed.xlsx"] = "custom document properties removed (the _nianbao sheet kept)"

    def drop_meta_sheet(wb: Any) -> None:
        del wb["_nianbao"]

    edit("oxl-meta-sheet-deleted.xlsx", "the very hidden _nianbao sheet deleted (properties kept)", drop_meta_sheet)
    (HERE / "empty.xlsx").write_bytes(b"")
    out["empty.xlsx"] = "0 bytes"
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _template(work / "template.xlsx", UNIT)
        _template(work / "other.xlsx", OTHER_UNIT)
        _lo(work)
        cases = {name: what for name, (what, _, _) in LO_CASES.items()}
        cases.update(_other(work))
    (HERE / "cases.json").write_text(json.dumps(cases, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
